"""The team's server on a real PostgreSQL (issue 43, item 10): Debian's `postgresql` package, a
cluster made in a temporary folder and started on a free port of 127.0.0.1 (as root, the server
runs as the `postgres` user, which PostgreSQL requires), a database for Label Studio, and then
`studio serve --database-url` through what a team does: push, an annotation in Chromium, pull,
adjudicate and the review project. Label Studio's tables are read back from PostgreSQL itself, and
no SQLite database is made: the team's work is in PostgreSQL.

Label Studio migrates the new database on its first start (about half a minute here): that is the
point of the test, so no copy of a migrated database is used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus
from newsgold.studio.server import read_record, stop_server

import browser
import label_studio_server
from helpers import corpus_with_texts, seed_scheme
from test_team_server import CHROMIUM, serve_environment

TEXT = "Kaja Kallas said the talks would go on.\n"


def postgresql_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them in /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _as_postgres(argv: list[str]) -> list[str]:
    """`argv` as the postgres user when this is root (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture
def postgresql() -> Iterator[str]:
    """A running PostgreSQL cluster of its own, with a database for Label Studio: its URL."""
    programs = postgresql_bin()
    if programs is None:
        message = "needs Debian's postgresql package: run `make test` (it installs it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="newsgold-pg-"))  # outside pytest's root-only folders
    data, sockets = folder / "data", folder / "sockets"
    password = uuid.uuid4().hex
    (folder / "password").write_text(password)
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
        shutil.chown(folder / "password", "postgres")
    port = label_studio_server.free_port()
    subprocess.run(_as_postgres([str(programs / "initdb"), "-D", str(data), "-U", "newsgold", "-E", "UTF8",
                                 "--auth=scram-sha-256", f"--pwfile={folder / 'password'}"]),
                   check=True, capture_output=True)
    server = subprocess.Popen(_as_postgres([str(programs / "postgres"), "-D", str(data), "-p", str(port),
                                            "-k", str(sockets), "-c", "listen_addresses=127.0.0.1"]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    environment = {**os.environ, "PGPASSWORD": password}
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([str(programs / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                             capture_output=True).returncode != 0:
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        subprocess.run([str(programs / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "newsgold",
                        "labelstudio"], check=True, env=environment, capture_output=True)
        yield f"postgresql://newsgold:{password}@127.0.0.1:{port}/labelstudio"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _query(url: str, sql: str) -> str:
    """One value from PostgreSQL itself (psql), not through Label Studio."""
    programs = postgresql_bin()
    assert programs is not None
    user_password, _, place = url.removeprefix("postgresql://").partition("@")
    host_port, _, database = place.partition("/")
    host, _, port = host_port.partition(":")
    done = subprocess.run([str(programs / "psql"), "-h", host, "-p", port, "-U", "newsgold",
                           "-d", database, "-tAc", sql], check=True, capture_output=True, text=True,
                          env={**os.environ, "PGPASSWORD": user_password.partition(":")[2]})
    return done.stdout.strip()


def test_the_team_server_keeps_its_work_in_postgresql(postgresql: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    serve_environment(tmp_path, monkeypatch)
    monkeypatch.setenv("NEWSGOLD_LABEL_STUDIO_DATABASE_URL", postgresql)  # the page's way: off the command line
    for variable in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", "DATABASE_NAME"):
        monkeypatch.delenv(variable, raising=False)
    corpus = corpus_with_texts(tmp_path / "team", {"talks": TEXT})

    def run(*argv: str) -> str:
        result = CliRunner().invoke(main, list(argv))
        assert result.exit_code == 0, f"{argv}\n{result.output}"
        assert postgresql.split(":")[2].split("@")[0] not in result.output  # the database password is never shown
        return result.output

    try:
        started = run("studio", "serve", "--data-dir", str(tmp_path / "data"))
        record = read_record()
        assert record is not None and "database: postgresql://newsgold@127.0.0.1" in started
        assert not list((tmp_path / "data").rglob("*.sqlite3"))  # no SQLite database beside PostgreSQL
        assert "imported 1 tasks" in run("studio", "push", "--corpus", str(corpus.root))

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
            page = chromium.new_context(viewport={"width": 1366, "height": 768}).new_page()
            browser.sign_in(page, record.url, record.email, record.password)
            project_id = json.loads((corpus.state_dir / "labelstudio.json").read_text())["default_project"]
            browser.open_labeling(page, record.url, project_id)
            start = TEXT.index("Kaja Kallas")
            browser.label(page, seed_scheme().hotkeys["PERSON"], start, start + len("Kaja Kallas"))
            page.keyboard.press("Escape")
            browser.submit(page)
            chromium.close()

        assert "added 1" in run("studio", "pull", "--corpus", str(corpus.root))
        [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
        assert [(s.label, s.text) for s in annotation_set.spans] == [("PERSON", "Kaja Kallas")]
        run("adjudicate", "--corpus", str(corpus.root), "--min-agree", "2")  # one annotator of the two needed
        assert "1 documents added" in run("studio", "review", "--corpus", str(corpus.root))
        # Label Studio's own tables, read from PostgreSQL: the task, the annotation, the review project.
        assert _query(postgresql, "select count(*) from task") == "2"
        assert _query(postgresql, "select count(*) from task_completion") == "1"
        assert _query(postgresql, "select count(*) from project") == "2"
        assert "stopped Label Studio" in run("studio", "serve", "--stop")
    finally:
        stop_server()
