"""docs/team.md followed for real, from nothing: a corpus made with `init` and the team's own
article ingested, `newsgold studio serve` starting a Label Studio of its own (the pinned one of
`make test`, through NEWSGOLD_LABEL_STUDIO_BIN), the corpus pushed with the token `serve` stored,
two annotators signing up with the invite link in Chromium and labelling the article differently,
pull, agreement, adjudicate and the review project of what they disagree on, and `--stop`.
Nothing secret reaches the output; the stored record is readable by its owner only.

Its database is a copy of the empty, migrated one `make test` makes once per install (through Label
Studio's own DATABASE_NAME setting): what a first start adds, Label Studio migrating a new
database (about 30 s of CPU here), is Label Studio's work and would only slow the suite.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.studio.server import SIGN_UP_STEPS, read_record, stop_server

import browser
import label_studio_server
from conftest import REPO
from test_readme import readme_commands

TEAM_PAGE = "docs/team.md"
ARTICLE = "Pevkur said in Tallinn that the troops stay.\n"
CHROMIUM = Path("/usr/bin/chromium")


def _two_annotators_disagree(invite_url: str, url: str, project_id: int) -> None:
    """Two annotators open the invite link and sign up, in a real browser; each labels the article
    in the labeling stream: Pevkur a PERSON for both, Tallinn a GPE for erin and an ORG for finn."""
    from helpers import seed_scheme

    keys = seed_scheme().hotkeys
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for name, label in (("erin", "GPE"), ("finn", "ORG")):
                page = launched.new_context(viewport={"width": 1366, "height": 768}).new_page()
                browser.sign_up(page, invite_url, f"{name}@newsgold.test", f"pass-{uuid.uuid4().hex}")
                browser.open_labeling(page, url, project_id)
                for needle, key in (("Pevkur", keys["PERSON"]), ("Tallinn", keys[label])):
                    start = ARTICLE.index(needle)
                    browser.label(page, key, start, start + len(needle))
                page.keyboard.press("Escape")
                browser.submit(page)
                page.context.close()
        finally:
            launched.close()


def _process_group(group: int) -> dict[int, str]:
    """pid -> command line (as `ps` shows it) of every process in the process group `group`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_fields = (entry / "stat").read_text().rpartition(")")[2].split()
            command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat_fields[2]) == group:
            found[int(entry.name)] = command_line
    return found


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (IPv4 and IPv6)."""
    import ipaddress

    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                words = b"".join(raw[i:i + 4][::-1] for i in range(0, width, 4))  # kernel byte order
                found.add(str(ipaddress.ip_address(words)))
    return found


def serve_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What `studio serve` needs in a test: the pinned Label Studio (its command is returned), a home
    folder and a free port of its own, and Chromium for the annotators; skipped (failed in CI)
    without them."""
    binary = label_studio_server.label_studio_binary()
    if binary is None or not CHROMIUM.is_file():
        message = "needs .venv-labelstudio and /usr/bin/chromium: run `make test`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv("NEWSGOLD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSGOLD_LABEL_STUDIO_BIN", str(binary))
    monkeypatch.setenv("NEWSGOLD_LABEL_STUDIO_PORT", str(label_studio_server.free_port()))
    return binary


def test_a_team_follows_the_page_from_nothing_to_a_running_server_with_annotators(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = serve_environment(tmp_path, monkeypatch)
    if (empty := label_studio_server.empty_database(binary)) is not None:  # skip its 30 s first migration
        shutil.copyfile(empty, tmp_path / "label_studio.sqlite3")
        monkeypatch.setenv("DATABASE_NAME", str(tmp_path / "label_studio.sqlite3"))  # Label Studio's setting
    for variable in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(variable, raising=False)  # the page sets neither: serve's record is found
    (tmp_path / "articles").mkdir()  # the team's own article
    (tmp_path / "articles" / "talks.txt").write_text(ARTICLE)
    monkeypatch.chdir(tmp_path)
    commands = readme_commands((REPO / TEAM_PAGE).read_text(encoding="utf-8"))
    assert [shlex.split(c)[1:] for c in commands] == [  # from nothing; the invite link once there is a project
        ["init", "--corpus", "corpus"], ["ingest", "articles/", "--corpus", "corpus"],
        ["studio", "serve"], ["studio", "push", "--corpus", "corpus", "--overlap", "2"],
        ["studio", "status", "--corpus", "corpus"], ["studio", "annotators"],
        ["studio", "pull", "--corpus", "corpus"], ["agreement", "--corpus", "corpus"],
        ["adjudicate", "--corpus", "corpus"], ["studio", "review", "--corpus", "corpus"],
        ["studio", "review", "--corpus", "corpus", "--pull"], ["studio", "serve", "--stop"]]
    outputs: list[str] = []

    def run(command: str) -> str:
        result = CliRunner().invoke(main, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        outputs.append(result.output)
        return result.output

    run(commands[0])
    assert "added 1" in run(commands[1])
    try:
        started = run(commands[2])
        record = read_record()
        assert record is not None and record.pid is not None and record.url in started
        assert stat.S_IMODE((tmp_path / "home" / "label-studio.json").stat().st_mode) == 0o600
        assert stat.S_IMODE(record.data_dir.stat().st_mode) == 0o700
        assert "pypi.org" not in (record.data_dir / "server.log").read_text()  # no call to other hosts
        started_processes = _process_group(record.pid)
        assert started_processes, "serve's process group is empty"
        for pid, command_line in started_processes.items():  # what `ps` shows every local user
            assert record.password not in command_line and record.token not in command_line, (pid, command_line)
        assert _listening_addresses(int(record.url.rsplit(":", 1)[1])) == {"127.0.0.1"}
        assert "is already running" in run("newsgold studio serve")  # again: reported, not started twice
        assert read_record() == record

        pushed = run(commands[3])  # with the token serve stored
        assert "imported 1 tasks" in pushed and "each document goes to 2 annotators" in pushed
        progress = run(commands[4])
        assert "1 tasks" in progress and "overlap 2: 0 documents done, 0 under way, 1 not started" in progress
        assert "under way:" not in progress  # no empty list of the documents under way (issue 43, item 4)

        listed = run(commands[5])
        [invite_url] = [word for word in listed.split() if "/user/signup/" in word]
        assert SIGN_UP_STEPS in " ".join(listed.split())
        project_id = json.loads((tmp_path / "corpus" / ".newsgold" / "labelstudio.json").read_text())["default_project"]
        _two_annotators_disagree(invite_url, record.url, project_id)
        assert "erin@newsgold.test" in run("newsgold studio annotators")  # who has joined

        assert "added 2" in run(commands[6])  # the two annotations, one set each
        assert "GPE" in run(commands[7])  # agreement sees them disagree on Tallinn
        assert "1 unresolved" in run(commands[8])  # adjudicate leaves Tallinn's label undecided
        assert "1 documents added" in run(commands[9])
        assert "no decisions submitted yet" in run(commands[10])
        assert "stopped Label Studio" in run(commands[11])
        assert label_studio_server.LabelStudioServer(record.url, "", record.pid, Path("-")).exit_code() is not None
        assert "no Label Studio started by newsgold" in run(commands[11])
    finally:
        stop_server()
    for output in outputs:  # the admin's secrets never reach the terminal
        assert record.token not in output and record.password not in output


SETTINGS = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.label_studio"
from django.conf import settings
print(json.dumps(settings.DATABASES["default"]))
"""


def test_a_postgresql_url_becomes_the_database_label_studio_itself_configures(tmp_path: Path) -> None:
    """`serve(database_url=...)`: the pinned Label Studio's own settings module, given the environment
    serve passes it, configures that PostgreSQL database (no PostgreSQL server is needed to read
    settings; the password, with its escaped characters, reaches it whole and is never shown)."""
    import subprocess

    from newsgold.errors import UsageError
    from newsgold.studio.server import _database_environment

    binary = label_studio_server.label_studio_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("needs .venv-labelstudio: run `make test`")
        pytest.skip("needs .venv-labelstudio: run `make test`")
    environment, shown = _database_environment("postgresql://team:p%40ss%2Fword@db.example:6543/newsgold")
    assert shown == "postgresql://team@db.example:6543/newsgold" and "p@ss" not in shown
    python = binary.parent / "python"
    package = subprocess.run([str(python), "-c", "import label_studio, os; print(os.path.dirname(label_studio.__file__))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    result = subprocess.run(
        [str(python), "-c", SETTINGS], capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": package, "LABEL_STUDIO_BASE_DATA_DIR": str(tmp_path),
             **environment})
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "ENGINE": "django.db.backends.postgresql", "USER": "team", "PASSWORD": "p@ss/word", "NAME": "newsgold",
        "HOST": "db.example", "PORT": 6543}
    with pytest.raises(UsageError, match="postgresql://USER:PASSWORD@HOST:5432/NAME"):
        _database_environment("mysql://db.example/newsgold")


def _fake_label_studio_wheel(folder: Path) -> Path:
    """A wheel named label-studio 1.23.2 whose `label-studio` command prints a line: what pip installs
    when pointed at `folder` (no index), so the first-time install runs without downloading."""
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    info = "label_studio-1.23.2.dist-info"
    files = {
        "fake_label_studio/__init__.py": "def main():\n    print('fake label-studio 1.23.2')\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: label-studio\nVersion: 1.23.2\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: newsgold-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": "[console_scripts]\nlabel-studio = fake_label_studio:main\n",
    }
    wheel = folder / "label_studio-1.23.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        archive.writestr(f"{info}/RECORD", "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n")
    return wheel


class _Recorder:
    """A progress reporter that keeps what it was shown: (description, total, unit, advanced)."""

    def __init__(self) -> None:
        self.tasks: list[list] = []

    def open(self, description: str, total: int | None, unit: str) -> "_Recorder":
        self.tasks.append([description, total, unit, 0])
        return self

    def advance(self, amount: int = 1) -> None:
        self.tasks[-1][3] += amount

    def close(self, task: object) -> None:
        pass


def test_the_first_serve_installs_label_studio_from_the_packaged_lock_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`label_studio_binary()` with nothing installed: a virtual environment of its own in
    $NEWSGOLD_HOME, and pip's install of the lock there with its hashes required (here a lock of a
    local wheel, through pip's own PIP_NO_INDEX and PIP_FIND_LINKS), shown as progress in packages;
    a wheel whose hash is not the lock's is refused and leaves nothing behind; found again without
    installing."""
    import hashlib
    import subprocess

    from newsgold._progress import reporting
    from newsgold.errors import StudioError
    from newsgold.studio import server
    from newsgold.studio.server import label_studio_binary

    monkeypatch.delenv("NEWSGOLD_LABEL_STUDIO_BIN", raising=False)
    monkeypatch.setenv("NEWSGOLD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    wheel = _fake_label_studio_wheel(tmp_path / "wheels")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheel.parent))
    lock = tmp_path / "label-studio.lock"
    monkeypatch.setattr(server, "label_studio_lock", lambda: lock)
    lock.write_text("label-studio==1.23.2 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(StudioError, match="installing Label Studio failed"):
        label_studio_binary()
    assert not (tmp_path / "home" / "label-studio-1.23.2").exists()  # nothing half made

    lock.write_text(f"label-studio==1.23.2 \\\n    --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}\n")
    shown = _Recorder()
    with reporting(shown):
        binary = label_studio_binary()
    assert binary == tmp_path / "home" / "label-studio-1.23.2" / "bin" / "label-studio"
    assert [task[1:] for task in shown.tasks] == [[None, "steps", 0], [1, "packages", 1]]
    assert "installing Label Studio 1.23.2" in shown.tasks[1][0]
    ran = subprocess.run([str(binary)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0 and ran.stdout.strip() == "fake label-studio 1.23.2", ran.stderr
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "empty"))  # found, not installed again
    assert label_studio_binary(install=False) == binary == label_studio_binary()


def test_the_packaged_label_studio_lock_pins_every_package_with_hashes_and_a_sentry_that_starts() -> None:
    """The lock shipped in the package: label-studio at the tested version, sentry-sdk below 3
    (3.0 removed an option Label Studio 1.23.2 passes, and its server then crashes at start), and
    a hash on every pin, so pip refuses any file that is not the one locked."""
    from newsgold.studio.server import LABEL_STUDIO_VERSION, label_studio_lock

    text = label_studio_lock().read_text(encoding="utf-8")
    pins = dict(line.split(" ")[0].split(";")[0].strip().split("==") for line in text.splitlines()
                if line[:1].isalnum() and "==" in line)
    assert pins["label-studio"] == LABEL_STUDIO_VERSION
    assert int(pins["sentry-sdk"].split(".")[0]) == 2
    blocks = [block for block in text.split("\n") if block[:1].isalnum()]
    assert len(blocks) == len([line for line in text.splitlines() if line[:1].isalnum()]) > 100
    assert text.count("--hash=sha256:") >= len(blocks)


def test_serve_refuses_a_label_studio_path_that_is_no_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["studio", "serve", "--label-studio", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing'} is no label-studio command" in result.output
    assert "--label-studio" in result.output
