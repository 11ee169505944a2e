"""A Label Studio server for a team, started and stopped by newsgold (`newsgold studio serve`).

The pinned Label Studio runs from an environment of its own (its many pins never shape newsgold's),
installed the first time into newsgold's home folder, and keeps its data in a folder of its own,
outside any corpus. Its admin account and API token are generated once per data folder and stored
in `label-studio.json` in newsgold's home folder, readable by the user alone; `connect()` finds the
server and its token there when LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY are not set. Nothing
secret is printed: reports show the token's first characters only.

newsgold's home folder is `$NEWSGOLD_HOME`, else `$XDG_DATA_HOME/newsgold`, else
`~/.local/share/newsgold`.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.resources
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from newsgold._io import atomic_write_bytes
from newsgold._progress import task
from newsgold.corpus.outcomes import Report
from newsgold.errors import CannotWriteError, StudioError, UsageError

__all__ = ["LABEL_STUDIO_VERSION", "QUIET_SERVER", "label_studio_installed", "label_studio_lock", "server_environment", "start_command", "AnnotatorsReport", "Member", "SIGN_UP_STEPS", "ServeReport",
           "ServerRecord", "StopReport", "annotators", "home", "label_studio_binary", "read_record", "record_path",
           "serve", "stop_server"]

LABEL_STUDIO_VERSION = "1.23.2"
"""The Label Studio that newsgold is tested against (the Makefile pins the same)."""

HOME_VARIABLE = "NEWSGOLD_HOME"
BINARY_VARIABLE = "NEWSGOLD_LABEL_STUDIO_BIN"
QUIET_SERVER = {"SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "LATEST_VERSION_CHECK": "false",
                "COLLECT_ANALYTICS": "false"}
"""Label Studio's settings that make it call other hosts, off: error reports (Sentry), the check for
a newer release on PyPI at start (newsgold pins its version; offline the check waits up to 10 s)
and usage analytics. A team's server talks to its annotators' browsers and to newsgold only."""
ADMIN_EMAIL = "admin@newsgold.local"
STARTUP_SECONDS = 420.0


def home() -> Path:
    """newsgold's home folder (see the module's docstring); not created here."""
    configured = os.environ.get(HOME_VARIABLE)
    if configured:
        return Path(configured)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newsgold"


def record_path() -> Path:
    """Where the server's address, process and credentials are kept (mode 0600)."""
    return home() / "label-studio.json"


@dataclass(frozen=True)
class ServerRecord:
    """A server newsgold started: where it answers, its process, its data and its admin login.
    `repr` never shows the password or the token."""

    url: str
    pid: int | None
    data_dir: Path
    email: str
    password: str
    token: str
    database: str
    """"sqlite" (in `data_dir`), or the PostgreSQL URL without its password."""
    started: int | None = None
    """When the process started (clock ticks after boot, /proc/PID/stat): with `pid`, it tells the
    server newsgold started from a later process that was given the same pid."""

    def __repr__(self) -> str:
        return (f"ServerRecord(url={self.url!r}, pid={self.pid}, data_dir={str(self.data_dir)!r}, "
                f"email={self.email!r}, password='***', token={masked(self.token)!r}, database={self.database!r})")

    def as_json(self) -> bytes:
        fields = {"url": self.url, "pid": self.pid, "data_dir": str(self.data_dir), "email": self.email,
                  "password": self.password, "token": self.token, "database": self.database,
                  "started": self.started, "label_studio": LABEL_STUDIO_VERSION}
        return json.dumps(fields, indent=2).encode() + b"\n"


def masked(token: str) -> str:
    """The first four characters of a secret, the rest hidden."""
    return f"{token[:4]}..." if token else ""


def read_record() -> ServerRecord | None:
    """The stored server record, or None if there is none; UsageError if it cannot be read or is a
    link (it holds the admin's token: newsgold reads and writes it only as a file of its own)."""
    path = record_path()
    _refuse_link(path)
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        return ServerRecord(url=fields["url"], pid=fields.get("pid"), data_dir=Path(fields["data_dir"]),
                            email=fields["email"], password=fields["password"], token=fields["token"],
                            database=fields.get("database", "sqlite"), started=fields.get("started"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} cannot be read ({type(exc).__name__}: {exc}); remove it, then run "
                         "`newsgold studio serve` again (it makes a new admin account only for a new data folder)") from None


def _refuse_link(path: Path) -> None:
    if path.is_symlink():  # its secrets would be read from, written to and chmod-ed wherever the link points
        raise UsageError(f"{path} is a link: newsgold keeps the server's token only in a file of its own; "
                         "remove the link, then run `newsgold studio serve` again")


def _write_record(record: ServerRecord) -> None:
    path = record_path()
    _refuse_link(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # created user-only, so the secret is never readable by others
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise CannotWriteError(path, exc) from None
    atomic_write_bytes(path, record.as_json())  # keeps the 0600 mode of the file it replaces


@dataclass
class ServeReport(Report):
    """What `serve` did: started a server, or found the one it started before still answering."""

    url: str
    data_dir: Path
    log: Path
    email: str
    token_shown: str
    """The token's first characters (the whole token is in `record`)."""
    record: Path
    already_running: bool
    database: str


@dataclass
class StopReport(Report):
    """What `stop_server` did."""

    url: str | None
    stopped: bool
    """False when no server newsgold started was running."""


LOCK = "label-studio.lock"
"""The whole resolution of the Label Studio environment, with hashes, shipped inside the package
(`make lock` refreshes it): every machine installs the same server."""


def label_studio_lock() -> Path:
    """The packaged lock that Label Studio's environment is installed from."""
    return Path(str(importlib.resources.files("newsgold.studio").joinpath(LOCK)))


def _environment() -> Path:
    return home() / f"label-studio-{LABEL_STUDIO_VERSION}"


def label_studio_installed() -> bool:
    """Whether `label_studio_binary()` has a Label Studio to return without installing one."""
    configured = os.environ.get(BINARY_VARIABLE)
    if configured:
        return Path(configured).is_file()
    return (_environment() / "bin" / "label-studio").is_file() and (_environment() / ".newsgold-installed").is_file()


def label_studio_binary(*, install: bool = True, configured: Path | None = None) -> Path:
    """The `label-studio` command: `configured` if given, else `$NEWSGOLD_LABEL_STUDIO_BIN` if set,
    else the pinned version in newsgold's home folder, installed there the first time (when
    `install` is true) into an environment of its own from the packaged lock (`label_studio_lock`),
    showing pip's progress as packages of the lock. UsageError if it is missing and not installed."""
    if configured is None and os.environ.get(BINARY_VARIABLE):
        configured = Path(os.environ[BINARY_VARIABLE])
    if configured is not None:
        if not configured.is_file() or not os.access(configured, os.X_OK):
            raise UsageError(f"{configured} is no label-studio command; point label_studio= (or {BINARY_VARIABLE}) at "
                             f"one, or leave both unset to let newsgold install Label Studio {LABEL_STUDIO_VERSION}")
        return configured
    environment = _environment()
    binary = environment / "bin" / "label-studio"
    if label_studio_installed():
        return binary
    if not install:
        raise UsageError(f"Label Studio {LABEL_STUDIO_VERSION} is not installed in {environment}; run "
                         "`newsgold studio serve` to install it, or set " + BINARY_VARIABLE)
    _install(environment)
    return binary


def _install(environment: Path) -> None:
    """Build the Label Studio environment in place (a virtual environment's scripts name its own
    path, so it cannot be moved); the marker, written last, says it is complete, so an interrupted
    install is made again. pip's output goes to `install.log` beside it."""
    lock = label_studio_lock()
    packages = sum(1 for line in lock.read_text(encoding="utf-8").splitlines() if "==" in line and line[:1].isalnum())
    shutil.rmtree(environment, ignore_errors=True)
    environment.mkdir(parents=True)
    log = environment.parent / f"label-studio-{LABEL_STUDIO_VERSION}-install.log"
    log.unlink(missing_ok=True)  # the output of this install only
    python = environment / "bin" / "python"
    with task(f"creating Label Studio {LABEL_STUDIO_VERSION}'s environment in {environment}", None, "steps"):
        _run_logged([sys.executable, "-m", "venv", str(environment)], log, None)
    with task(f"downloading and installing Label Studio {LABEL_STUDIO_VERSION} (the first start only)",
              packages, "packages") as bar:
        _run_logged([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
                     "--require-hashes", "--no-deps", "-r", str(lock)], log, bar)
    (environment / ".newsgold-installed").write_text(f"label-studio=={LABEL_STUDIO_VERSION}\n")


def _run_logged(command: list[str], log: Path, bar: Any) -> None:
    """Run `command` with its output appended to `log`, advancing `bar` at each package pip collects;
    StudioError with the log's end (and the environment removed) if it fails."""
    with open(log, "ab") as out, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        assert process.stdout is not None
        for line in process.stdout:
            out.write(line)
            if bar is not None and line.startswith((b"Collecting ", b"Processing ")):  # from an index, a file
                bar.advance()
        status = process.wait()
    if status != 0:
        shutil.rmtree(_environment(), ignore_errors=True)
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise StudioError(f"installing Label Studio failed ({' '.join(command[:4])} ...; the whole output is in "
                          f"{log}):\n" + "\n".join(tail))


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    return state not in ("Z", "X")


def _start_time(pid: int) -> int | None:
    """The start time of process `pid` (clock ticks after boot), or None if it is gone."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _ours(record: ServerRecord) -> bool:
    """Whether the process of `record` still runs and is the one `serve` started: same pid, same
    start time (a pid the system gave to a later process is not ours), and a `label-studio` command."""
    if record.pid is None or not _alive(record.pid):
        return False
    if record.started is not None:
        return _start_time(record.pid) == record.started
    try:  # a record of an older newsgold, without the start time
        command_line = Path(f"/proc/{record.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(part.endswith(b"label-studio") for part in command_line[:2]) and b"start" in command_line


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _database_environment(database_url: str | None) -> tuple[dict[str, str], str]:
    """Label Studio's PostgreSQL settings from a `postgresql://USER:PASSWORD@HOST:PORT/NAME` URL
    (its environment variables DJANGO_DB and POSTGRE_*), and how to show the URL without the password."""
    if database_url is None:
        return {}, "sqlite"
    expected = "database_url= must look like postgresql://USER:PASSWORD@HOST:5432/NAME"
    try:
        parsed = urllib.parse.urlsplit(database_url)
        port = parsed.port or 5432
    except ValueError as exc:  # a port that is no number or out of range, a bracket left open
        raise UsageError(f"{expected} ({exc})") from None
    if parsed.scheme not in ("postgresql", "postgres") or not parsed.hostname or not parsed.path.strip("/"):
        raise UsageError(f"{expected}, not {parsed.scheme or '?'}://{parsed.hostname or '?'}/...")
    environment = {"DJANGO_DB": "default", "POSTGRE_NAME": parsed.path.strip("/"),
                   "POSTGRE_USER": urllib.parse.unquote(parsed.username or ""),
                   "POSTGRE_PASSWORD": urllib.parse.unquote(parsed.password or ""),
                   "POSTGRE_HOST": parsed.hostname, "POSTGRE_PORT": str(port)}
    shown = f"postgresql://{parsed.username or ''}@{parsed.hostname}:{port}/{parsed.path.strip('/')}"
    return environment, shown


def server_environment(data_dir: Path, *, email: str, password: str, token: str) -> dict[str, str]:
    """The environment Label Studio starts with: this process's, less any Label Studio or
    PostgreSQL setting, with its data folder, its calls to other hosts off (`QUIET_SERVER`), and
    the admin login and token. Secrets pass through the environment, which only the user who runs
    the server can read (/proc/PID/environ), never through the command line, which `ps` shows to
    every local user."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "POSTGRE_"))}
    environment.update({"LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "DEBUG": "false", **QUIET_SERVER,
                        "LABEL_STUDIO_USERNAME": email, "LABEL_STUDIO_PASSWORD": password,
                        "LABEL_STUDIO_USER_TOKEN": token})
    return environment


def start_command(binary: Path, data_dir: Path, *, host: str, port: int) -> list[str]:
    """`label-studio start` for `data_dir` on host:port: no secret on it (see `server_environment`)."""
    return [str(binary), "start", "--no-browser", "--data-dir", str(data_dir), "--internal-host", host,
            "--port", str(port), "--enable-legacy-api-token"]


def serve(*, data_dir: Path | None = None, host: str = "127.0.0.1", port: int = 8080,
          database_url: str | None = None, startup_seconds: float = STARTUP_SECONDS,
          label_studio: Path | None = None) -> ServeReport:
    """Start the pinned Label Studio in the background and wait until it answers, or report the
    server this function started before if it still answers (`already_running`).

    `data_dir` (default: `label-studio-data` in newsgold's home folder) holds its SQLite database,
    uploads and log; `database_url` (postgresql://...) puts the database in PostgreSQL instead,
    as Label Studio advises for a team. The admin account and its API token are made on the first
    start for a data folder and kept in `record_path()` (mode 0600); later starts reuse them.
    `host` is where it listens: 127.0.0.1 (this machine only) unless a team reaches it over a
    network you trust. `label_studio` is an existing `label-studio` command to run instead of the
    pinned one newsgold installs (see `label_studio_binary`). Raises StudioError with the log's end
    if the server does not answer in `startup_seconds`.
    """
    with _serve_lock():
        return _serve(data_dir=data_dir, host=host, port=port, database_url=database_url,
                      startup_seconds=startup_seconds, label_studio=label_studio)


@contextlib.contextmanager
def _serve_lock() -> Iterator[None]:
    """One `serve` or `stop_server` at a time per home folder (an exclusive flock, released by the
    kernel if its holder dies): two at once would leave a server the record does not name."""
    path = home() / "serve.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise CannotWriteError(path, exc) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError("another `newsgold studio serve` is starting or stopping the server right now; "
                             "wait for it, then run this again") from None
        yield
    finally:
        os.close(descriptor)


def _user_only_folder(folder: Path) -> None:
    """Make `folder` (and its parents) if missing, and leave it readable by its owner only (its
    database holds the team's logins and the admin token); UsageError if it is another user's."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
        if status.st_uid != os.getuid():
            raise UsageError(f"{folder} belongs to another user: give a data folder of your own (data_dir=)")
        if stat.S_IMODE(status.st_mode) & 0o077:
            os.chmod(folder, 0o700)
        for database in folder.glob("*.sqlite3"):
            if stat.S_IMODE(database.stat().st_mode) & 0o077:
                os.chmod(database, 0o600)
    except OSError as exc:
        raise CannotWriteError(folder, exc) from None


def _serve(*, data_dir: Path | None, host: str, port: int, database_url: str | None, startup_seconds: float,
           label_studio: Path | None) -> ServeReport:
    record = read_record()
    if record is not None and _ours(record) and _answers(record.url):
        return _report(record, already_running=True)
    data_dir = (data_dir or home() / "label-studio-data").resolve()
    database_environment, database = _database_environment(database_url)
    binary = label_studio_binary(configured=label_studio)
    _user_only_folder(data_dir)
    same_data = record is not None and record.data_dir == data_dir and record.database == database
    email = record.email if same_data and record else ADMIN_EMAIL
    password = record.password if same_data and record else secrets.token_urlsafe(18)
    token = record.token if same_data and record else secrets.token_hex(20)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
    if _answers(url):
        raise UsageError(f"something already answers at {url}: stop it, or pass port=ANOTHER")
    environment = server_environment(data_dir, email=email, password=password, token=token)
    environment.update(database_environment)
    command = start_command(binary, data_dir, host=host, port=port)
    log = data_dir / "server.log"
    with open(log, "ab") as out:  # every file Label Studio makes is its user's only (umask 077)
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment,
                                   cwd=data_dir, start_new_session=True, umask=0o077)
    started = ServerRecord(url=url, pid=process.pid, data_dir=data_dir, email=email, password=password,
                           token=token, database=database, started=_start_time(process.pid))
    try:
        _write_record(started)
        deadline = time.monotonic() + startup_seconds
        with task(f"starting Label Studio at {url}", None, "steps"):
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace").splitlines()[-25:]
                    raise StudioError(f"Label Studio did not start at {url} (see {log}):\n" + "\n".join(tail))
                time.sleep(0.5)
    except BaseException:  # a failed start, or Ctrl-C while waiting: stop what was started
        _end(process.pid)
        _write_record(replace(started, pid=None, started=None))
        raise
    return _report(started, already_running=False)


def _report(record: ServerRecord, *, already_running: bool) -> ServeReport:
    return ServeReport(url=record.url, data_dir=record.data_dir, log=record.data_dir / "server.log",
                       email=record.email, token_shown=masked(record.token), record=record_path(),
                       already_running=already_running, database=record.database)


def _end(pid: int, seconds: float = 30.0) -> None:
    """Stop a process group: SIGTERM, then SIGKILL if it is still there after `seconds`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.2)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    """Reap `pid` if it is a child of this process that has exited (a zombie otherwise)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def stop_server() -> StopReport:
    """Stop the server `serve` started (its whole process group), and only it: a process that was
    given its pid later is left alone. The record keeps the admin login and token for the next
    `serve` of the same data folder; `stopped` is False if none was running."""
    with _serve_lock():
        record = read_record()
        if record is None:
            return StopReport(url=None, stopped=False)
        running = _ours(record)
        if running and record.pid is not None:
            _end(record.pid)
        _write_record(replace(record, pid=None, started=None))
        return StopReport(url=record.url, stopped=running)


@dataclass
class Member:
    """One account of the server's organization (its e-mail is personal data: show it to the team only)."""

    email: str
    name: str
    last_activity: str | None


@dataclass
class AnnotatorsReport(Report):
    """The organization's accounts and the link that lets a new annotator make one."""

    url: str
    invite_url: str
    members: list[Member]


SIGN_UP_STEPS = ("open the invite link, sign up with your e-mail address and a password of your own, then open "
                 "the project from the Projects page and press Label All Tasks")
"""What an invited annotator does to log in (Label Studio Community makes accounts by sign-up: the
API cannot set a password, and no password ever passes through newsgold)."""


def annotators(studio: Any) -> AnnotatorsReport:
    """The accounts of the server's organization, and its invite link: a new annotator opens it and
    signs up (`SIGN_UP_STEPS`). The link admits anyone who has it into the organization: send it to
    the team only."""
    invite = studio.call("get the organization's invite link", studio.sdk.organizations.invites.get_invite_link)
    link = str(getattr(invite, "invite_url", "") or "")
    if link.startswith("/"):
        link = studio.settings.url + link
    users = studio.call("list the organization's accounts", lambda: list(studio.sdk.users.list()))
    members = [Member(email=str(getattr(u, "email", "") or ""),
                      name=" ".join(filter(None, [getattr(u, "first_name", ""), getattr(u, "last_name", "")])),
                      last_activity=str(getattr(u, "last_activity", "") or "") or None) for u in users]
    return AnnotatorsReport(url=studio.settings.url, invite_url=link, members=sorted(members, key=lambda m: m.email))
