"""A stand-in for the `label-studio` command, for fast tests of how `studio serve` manages its
process (never of Label Studio itself: those run against the real server). `start --data-dir DIR
--internal-host HOST --port N` makes `DIR/label_studio.sqlite3` as Label Studio does (with the
process's umask) and answers `/health` on HOST:N, unless $FAKE_LABEL_STUDIO_SILENT is set (a server
that never comes up)."""

from __future__ import annotations

import http.server
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    options = {flag: argv[i + 1] for i, flag in enumerate(argv[:-1]) if flag in ("--data-dir", "--internal-host", "--port")}
    data_dir = Path(options["--data-dir"])
    (data_dir / "label_studio.sqlite3").write_bytes(b"SQLite format 3\0")
    if os.environ.get("FAKE_LABEL_STUDIO_SILENT"):
        time.sleep(600)
        return

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()
            self.wfile.write(b'{"status": "UP"}')

        def log_message(self, *args: object) -> None:
            pass

    http.server.HTTPServer((options["--internal-host"], int(options["--port"])), Health).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
