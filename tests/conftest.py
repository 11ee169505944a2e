"""Shared fixtures: the tiny valid corpus, snapshots of a corpus folder, the CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
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


BACKGROUND = pytest.StashKey[dict]()
"""What `pytest_collection_finish` started in the background: "label_studio" (a launched server),
"hook_home" (the pre-commit environment being built)."""

SLOW_SETUP = ("label_studio", "hook_home")
"""Fixtures that take half a minute or more to build: their tests run last, while the rest runs
beside the build (the machine has two cores; pytest uses one)."""


def _label_studio_missing() -> str:
    return ("no label-studio server: run `make test` (it installs one into .venv-labelstudio) "
            "or set NEWSGOLD_LABEL_STUDIO_BIN")


def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    """Tests that need a slow fixture run last (in their own order), so that it is ready by then."""
    items.sort(key=lambda item: any(name in getattr(item, "fixturenames", ()) for name in SLOW_SETUP))


def pytest_collection_finish(session):  # type: ignore[no-untyped-def]
    """Start the slow fixtures the collected tests need, in the background, before the first test."""
    session.config.stash[BACKGROUND] = started = {}
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ()) if name in SLOW_SETUP}
    if "label_studio" in needed:
        import label_studio_server as server_module

        binary = server_module.label_studio_binary()
        if binary is not None:
            started["label_studio"] = server_module.launch(binary, Path(tempfile.mkdtemp(prefix="newsgold-ls-")))
    if "hook_home" in needed:
        import precommit_env

        started["hook_home"] = precommit_env.launch_build(Path(tempfile.mkdtemp(prefix="newsgold-pre-commit-")))


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    """Stop and remove what the background started (also when its tests were deselected or failed)."""
    started = session.config.stash.get(BACKGROUND, {})
    if "label_studio" in started:
        import label_studio_server as server_module

        server_module.stop(started["label_studio"])
        shutil.rmtree(started["label_studio"].log.parent, ignore_errors=True)
    if "hook_home" in started:
        started["hook_home"].discard()


@pytest.fixture(scope="session")
def label_studio(request):  # type: ignore[no-untyped-def]
    """A real Label Studio server for the whole session, launched when the tests were collected."""
    import label_studio_server as server_module

    server = request.config.stash.get(BACKGROUND, {}).get("label_studio")
    if server is None:
        binary = server_module.label_studio_binary()
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail(_label_studio_missing())
            pytest.skip(_label_studio_missing())
        server = server_module.launch(binary, Path(tempfile.mkdtemp(prefix="newsgold-ls-")))
        request.config.stash.setdefault(BACKGROUND, {})["label_studio"] = server
    return server_module.wait_until_ready(server)


@pytest.fixture(scope="session")
def hook_home(request):  # type: ignore[no-untyped-def]
    """A PRE_COMMIT_HOME whose hook environment (newsgold from this checkout's HEAD) is built."""
    import precommit_env

    if not precommit_env.PRE_COMMIT.is_file():
        pytest.skip("pre-commit is not installed: make test installs the dev extra")
    build = request.config.stash.get(BACKGROUND, {}).get("hook_home")
    if build is None:
        build = precommit_env.launch_build(Path(tempfile.mkdtemp(prefix="newsgold-pre-commit-")))
        request.config.stash.setdefault(BACKGROUND, {})["hook_home"] = build
    return build.wait()


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
