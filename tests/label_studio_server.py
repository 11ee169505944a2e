"""Start a real Label Studio server for the test session (SQLite, temp data dir, loopback only)."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).parent.parent
STARTUP_SECONDS = 420


@dataclass
class LabelStudioServer:
    url: str
    token: str
    process: subprocess.Popen
    log: Path
    email: str = "admin@newsgold.test"
    password: str = ""
    """The web UI login of the admin (browser tests sign in with it)."""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def label_studio_binary() -> Path | None:
    configured = os.environ.get("NEWSGOLD_LABEL_STUDIO_BIN")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO / ".venv-labelstudio" / "bin" / "label-studio")
    return next((c for c in candidates if c.is_file()), None)


def launch(binary: Path, data_dir: Path) -> LabelStudioServer:
    """Start the server process and return at once (it takes about half a minute to answer)."""
    port = free_port()
    token = secrets.token_hex(20)
    password = secrets.token_hex(12)
    log = data_dir / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update({"LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "SENTRY_DSN": "", "DEBUG": "false"})
    command = [
        str(binary), "start", "--no-browser", "--data-dir", str(data_dir),
        "--internal-host", "127.0.0.1", "--port", str(port),
        "--username", "admin@newsgold.test", "--password", password,
        "--user-token", token, "--enable-legacy-api-token",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=data_dir, start_new_session=True)
    return LabelStudioServer(f"http://127.0.0.1:{port}", token, process, log, password=password)


def wait_until_ready(server: LabelStudioServer) -> LabelStudioServer:
    """Wait until a launched server answers /health (stopping it and raising if it never does)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"label-studio exited with {server.process.returncode}:\n{server.log_tail()}")
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
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
