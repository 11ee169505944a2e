"""Shared fixtures: the tiny valid corpus, snapshots of a corpus folder, the CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below `folder` (temp files included), to prove nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A copy of tests/data/base: two documents, three annotation sets, two gold sets."""
    target = tmp_path / "tiny"
    shutil.copytree(DATA / "base", target)
    return target


@pytest.fixture
def seeds_corpus(tmp_path: Path) -> Path:
    """A copy of the repository's bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A real Label Studio server for the whole session (about a minute to start)."""
    import label_studio_server as server_module

    binary = server_module.label_studio_binary()
    if binary is None:
        message = ("no label-studio server: run `make test` (it installs one into .venv-labelstudio) "
                   "or set NEWSGOLD_LABEL_STUDIO_BIN")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = server_module.start(binary, tmp_path_factory.mktemp("label-studio"))
    try:
        yield server
    finally:
        server_module.stop(server)


@pytest.fixture
def studio_env(label_studio, monkeypatch):  # type: ignore[no-untyped-def]
    """LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY set for the session's server."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    return label_studio


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item (the browser fixture screenshots failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
