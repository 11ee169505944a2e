"""A loopback TCP proxy in front of the real Label Studio that dies after N requests, or in the
middle of a response.

It forwards bytes unchanged; it only counts HTTP request lines from the client and, once the
budget is spent, closes every connection and stops listening: the server "goes down" mid-run.
With `die_inside` it dies, instead, as soon as a response holds those bytes, having passed on only
what came before them: the server killed while it sends a body (a pull's export half sent).
"""

from __future__ import annotations

import re
import socket
import threading

_REQUEST_LINE = re.compile(rb"(?:GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS) \S+ HTTP/1\.[01]\r\n")


class FaultProxy:
    def __init__(self, upstream_port: int, requests_before_death: int = 1 << 30, *,
                 die_inside: bytes | None = None) -> None:
        self.upstream_port = upstream_port
        self.budget = requests_before_death
        self.die_inside = die_inside
        self.seen = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.dead = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.dead.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, counting: bool) -> None:
        try:
            while not self.dead.is_set():
                chunk = source.recv(65536)
                if not chunk:
                    break
                if counting:
                    with self._lock:
                        self.seen += len(_REQUEST_LINE.findall(chunk))
                        over = self.seen > self.budget
                    if over:
                        self.kill()
                        return
                elif self.die_inside is not None and self.die_inside in chunk:
                    target.sendall(chunk[:chunk.index(self.die_inside)])
                    self.kill()
                    return
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.close()
                except OSError:
                    pass

    def kill(self) -> None:
        self.dead.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in [self._listener, *sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
