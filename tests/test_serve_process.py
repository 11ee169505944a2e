"""`studio serve` manages only its own process (issue 41, items 5-7), tested with a stand-in for the
`label-studio` command (`fake_label_studio.py`: it answers /health and makes a database file) so
that each case takes a second; what Label Studio itself does is tested against the real server
(`test_team_server.py`)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.errors import UsageError
from newsgold.studio import server
from newsgold.studio.server import read_record, serve, stop_server

from label_studio_server import free_port

HERE = Path(__file__).resolve().parent


@pytest.fixture
def fake_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An executable `label-studio` that runs fake_label_studio.py; newsgold's home in tmp_path."""
    binary = tmp_path / "bin" / "label-studio"
    binary.parent.mkdir()
    binary.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(HERE)!r})\n"
                      "import fake_label_studio\nfake_label_studio.main(sys.argv[1:])\n")
    binary.chmod(0o755)
    monkeypatch.setenv("NEWSGOLD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEWSGOLD_LABEL_STUDIO_BIN", raising=False)
    return binary


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_stop_leaves_alone_a_process_that_was_given_the_servers_pid_later(fake_binary: Path, tmp_path: Path) -> None:
    """The record's pid now belongs to an unrelated process group (the server died, the pid was
    reused): --stop says no server is running and kills nothing."""
    report = serve(data_dir=tmp_path / "data", port=free_port(), label_studio=fake_binary)
    record = read_record()
    assert record is not None and record.pid is not None and record.started is not None
    os.killpg(record.pid, signal.SIGKILL)
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        fields = json.loads(server.record_path().read_text())
        fields["pid"] = bystander.pid  # as if the system had given the server's pid to `sleep`
        server.record_path().write_text(json.dumps(fields))
        stopped = stop_server()
        assert stopped.url == report.url and not stopped.stopped
        time.sleep(0.2)
        assert bystander.poll() is None, "stop_server killed a process it did not start"
        assert read_record().pid is None  # type: ignore[union-attr]
    finally:
        bystander.kill()
        bystander.wait()


def test_serve_then_stop_ends_the_server_it_started(fake_binary: Path, tmp_path: Path) -> None:
    serve(data_dir=tmp_path / "data", port=free_port(), label_studio=fake_binary)
    record = read_record()
    assert record is not None and record.pid is not None and _alive(record.pid)
    assert serve(data_dir=tmp_path / "data", port=free_port(), label_studio=fake_binary).already_running
    assert stop_server().stopped
    deadline = time.monotonic() + 10
    while _alive(record.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(record.pid)


def test_a_second_serve_while_one_is_starting_is_refused(fake_binary: Path, tmp_path: Path) -> None:
    """Two `serve` at once would leave a server that the record no longer names: the second waits
    for nothing and says so."""
    with server._serve_lock():  # a first serve, still starting
        with pytest.raises(UsageError, match="another `newsgold studio serve` is starting"):
            serve(data_dir=tmp_path / "data", port=free_port(), label_studio=fake_binary)
        with pytest.raises(UsageError, match="another `newsgold studio serve`"):
            stop_server()
    assert read_record() is None


def test_ctrl_c_during_the_start_stops_the_server_it_was_starting(fake_binary: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "FAKE_LABEL_STUDIO_SILENT": "1", "NEWSGOLD_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "newsgold", "studio", "serve", "--data-dir", str(tmp_path / "data"),
               "--port", str(free_port()), "--label-studio", str(fake_binary)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    record_file = tmp_path / "home" / "label-studio.json"
    deadline = time.monotonic() + 30
    while not (record_file.is_file() and json.loads(record_file.read_text()).get("pid")):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.1)
    started_pid = json.loads(record_file.read_text())["pid"]
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert not _alive(started_pid), "the server newsgold was starting still runs after Ctrl-C"
    assert json.loads(record_file.read_text())["pid"] is None


def test_the_data_folder_and_its_database_are_the_users_only_whatever_folder_is_given(
        fake_binary: Path, tmp_path: Path) -> None:
    data = tmp_path / "shared-data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "old.sqlite3").write_bytes(b"")
    os.chmod(data / "old.sqlite3", 0o644)
    serve(data_dir=data, port=free_port(), label_studio=fake_binary)
    try:
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert stat.S_IMODE((data / "old.sqlite3").stat().st_mode) == 0o600
        deadline = time.monotonic() + 10
        while not (data / "label_studio.sqlite3").is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stat.S_IMODE((data / "label_studio.sqlite3").stat().st_mode) & 0o077 == 0
        assert stat.S_IMODE(server.record_path().stat().st_mode) == 0o600
    finally:
        stop_server()


@pytest.mark.parametrize("url", ["postgresql://team:pw@db.example:notaport/newsgold",
                                 "postgresql://team:pw@db.example:99999/newsgold",
                                 "postgresql://[::1/newsgold"])
def test_a_malformed_database_url_is_a_usage_error(url: str, fake_binary: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["studio", "serve", "--data-dir", str(tmp_path / "data"),
                                       "--database-url", url, "--label-studio", str(fake_binary)])
    assert result.exit_code == 2, result.output
    assert "--database-url must look like postgresql://USER:PASSWORD@HOST:5432/NAME" in result.output
    assert "unexpected" not in result.output and "pw" not in result.output.replace("PASSWORD", "")


def test_a_record_that_is_a_link_is_refused_and_its_target_untouched(fake_binary: Path, tmp_path: Path) -> None:
    """The record holds the admin's token: written through a link it would land (and be chmod-ed)
    wherever the link points."""
    target = tmp_path / "elsewhere.json"
    target.write_text("not yours")
    os.chmod(target, 0o644)
    server.record_path().parent.mkdir(parents=True)
    server.record_path().symlink_to(target)
    with pytest.raises(UsageError, match="is a link"):
        serve(data_dir=tmp_path / "data", port=free_port(), label_studio=fake_binary)
    assert target.read_text() == "not yours" and stat.S_IMODE(target.stat().st_mode) == 0o644
