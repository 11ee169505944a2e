"""Start a real Label Studio server for the test session (SQLite, temp data dir, loopback only)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from newsgold.studio.server import server_environment, start_command

REPO = Path(__file__).parent.parent
STARTUP_SECONDS = 420


@dataclass
class LabelStudioServer:
    url: str
    token: str
    pid: int
    """The server's process, the leader of its own process group (`stop` ends the group)."""
    log: Path
    email: str = "admin@newsgold.test"
    password: str = ""
    """The web UI login of the admin (browser tests sign in with it)."""
    process: subprocess.Popen | None = None
    """Set in the process that launched the server; the others know it by `pid` (`to_json`)."""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def exit_code(self) -> int | None:
        """The server's exit status once it has exited (-1 when another process launched it), else None."""
        if self.process is not None:
            return self.process.poll()
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            return -1
        return -1 if state in ("Z", "X") else None

    def to_json(self) -> str:
        """What another test process needs to use (and the launching one to stop) this server."""
        fields = {"url": self.url, "token": self.token, "pid": self.pid, "log": str(self.log),
                  "email": self.email, "password": self.password}
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> LabelStudioServer:
        fields = json.loads(text)
        return cls(**{**fields, "log": Path(fields["log"])})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def label_studio_binary() -> Path | None:
    configured = os.environ.get("NEWSGOLD_LABEL_STUDIO_BIN")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO / ".venv-labelstudio" / "bin" / "label-studio")
    return next((c for c in candidates if c.is_file()), None)


def empty_database(binary: Path) -> Path | None:
    """The empty, migrated Label Studio database `make test` makes beside the server's environment
    (its first migration costs about 30 s of CPU), or None where there is none."""
    made = binary.parent.parent / "empty.sqlite3"
    return made if made.is_file() else None


def launch(binary: Path, data_dir: Path) -> LabelStudioServer:
    """Start the server process and return at once (a few seconds to answer when it starts from
    `empty_database`, about half a minute when it must migrate a new database first)."""
    port = free_port()
    token = secrets.token_hex(20)
    password = secrets.token_hex(12)
    log = data_dir / "server.log"
    if (empty := empty_database(binary)) is not None:
        shutil.copyfile(empty, data_dir / "label_studio.sqlite3")
    env = server_environment(data_dir, email="admin@newsgold.test", password=password, token=token)
    command = start_command(binary, data_dir, host="127.0.0.1", port=port)
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=data_dir, start_new_session=True)
    _LAUNCHED.append(process)  # referenced until this process exits (no "still running" warning)
    return LabelStudioServer(f"http://127.0.0.1:{port}", token, process.pid, log, password=password,
                             process=process)


_LAUNCHED: list[subprocess.Popen[bytes]] = []


def wait_until_ready(server: LabelStudioServer) -> LabelStudioServer:
    """Wait until a launched server answers /health (stopping it and raising if it never does)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if (code := server.exit_code()) is not None:
            raise RuntimeError(f"label-studio exited with {code}:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(1)
    stop(server)
    raise RuntimeError(f"label-studio did not answer /health in {STARTUP_SECONDS}s:\n{server.log_tail()}")


def start(binary: Path, data_dir: Path) -> LabelStudioServer:
    """Launch a server and wait until it answers."""
    return wait_until_ready(launch(binary, data_dir))


def stop(server: LabelStudioServer) -> None:
    """End the server's process group (from any process: the launching one also reaps it)."""
    if server.exit_code() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while server.exit_code() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    if server.exit_code() is None:
        os.killpg(server.pid, signal.SIGKILL)
    if server.process is not None:
        server.process.wait()
