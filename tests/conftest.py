"""Shared fixtures: the tiny valid corpus, snapshots of a corpus folder, the CLI runner."""

from __future__ import annotations

import hashlib
import json
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


SLOW_SETUP = ("label_studio", "hook_home")
"""Fixtures that take half a minute or more to build. They are started in the background as soon as
the tests are collected, once for the whole run (with pytest-xdist, once for all its workers: the
first worker to need one starts it under a lock, the others find it in the shared folder), and
stopped by the process that runs the session (the xdist controller, or pytest alone)."""

SHARED = pytest.StashKey[Path]()
"""The folder of this run's background fixtures, the same for every worker."""


def _label_studio_missing() -> str:
    return ("no label-studio server: run `make test` (it installs one into .venv-labelstudio) "
            "or set NEWSGOLD_LABEL_STUDIO_BIN")


def _is_worker(config) -> bool:  # type: ignore[no-untyped-def]
    return hasattr(config, "workerinput")


def pytest_configure(config):  # type: ignore[no-untyped-def]
    if _is_worker(config):
        config.stash[SHARED] = Path(config.workerinput["newsgold_background"])
    else:
        config.stash[SHARED] = Path(tempfile.mkdtemp(prefix="newsgold-background-"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):  # type: ignore[no-untyped-def]
    """pytest-xdist: every worker shares the controller's background folder."""
    node.workerinput["newsgold_background"] = str(node.config.stash[SHARED])


def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    """Tests that need a slow fixture run last (in their own order), so that it is ready by then."""
    items.sort(key=lambda item: any(name in getattr(item, "fixturenames", ()) for name in SLOW_SETUP))


SERVER_GROUP = "label_studio"
"""With pytest-xdist, the tests that use the Label Studio server are one group, run in order by one
worker (one browser, and some tests read the server's log of their own requests) while the other
worker runs the rest. xdist's own `xdist_group` mark cannot do it under pytest 9 (xdist 3.8 renames
`item._nodeid`, which pytest 9 no longer reads), so each worker lists the group's tests in the
shared folder and the controller's scheduler (`pytest_xdist_make_scheduler`) reads the list."""


def _write_server_group(session) -> None:  # type: ignore[no-untyped-def]
    grouped = [item.nodeid for item in session.items if "label_studio" in getattr(item, "fixturenames", ())]
    worker = session.config.workerinput["workerid"]
    listed = session.config.stash[SHARED] / f"{SERVER_GROUP}.{worker}.tests"
    listed.with_suffix(".part").write_text("\n".join(grouped))
    listed.with_suffix(".part").replace(listed)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):  # type: ignore[no-untyped-def]
    """`--dist loadgroup`: xdist's scope scheduling, with the server's tests as one scope."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    shared = config.stash[SHARED]

    class ServerGroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        grouped: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.grouped is None:  # every worker has listed its tests before the first call
                self.grouped = {line for listed in shared.glob(f"{SERVER_GROUP}.*.tests")
                                for line in listed.read_text().splitlines()}
            return SERVER_GROUP if nodeid in self.grouped else nodeid

        def _assign_work_unit(self, node):  # type: ignore[no-untyped-def]
            """While the server is still starting, a worker takes the next other test instead of
            the group, and does not sit waiting for it (the group goes to the first worker free
            once the server answers)."""
            keys = iter(self.workqueue)
            if next(keys, None) == SERVER_GROUP and len(self.workqueue) > 1 and not _server_answers(shared):
                self.workqueue.move_to_end(next(keys), last=False)
            super()._assign_work_unit(node)

    return ServerGroupScheduling(config, log)


def _server_answers(shared: Path) -> bool:
    """Whether the run's Label Studio server is up (False while it starts, or if none was started)."""
    import httpx

    record = shared / "label_studio" / "server.json"
    if not record.is_file():
        return False
    try:
        url = json.loads(record.read_text())["url"]
        return httpx.get(f"{url}/health", timeout=0.5).status_code == 200
    except (httpx.HTTPError, ValueError, KeyError, OSError):
        return False


def _started_once(config, name: str, start):  # type: ignore[no-untyped-def]
    """Start a background fixture unless another test process of this run already has: the first
    caller runs `start(folder)` under a lock; every caller gets the folder it was started in."""
    import fcntl

    shared = config.stash[SHARED]
    folder, started = shared / name, shared / f"{name}.started"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not started.exists():
            folder.mkdir()
            start(folder)
            started.touch()
    return folder


def _label_studio(config):  # type: ignore[no-untyped-def]
    """The run's server, launched if need be (None when there is no label-studio to launch)."""
    import label_studio_server as server_module

    binary = server_module.label_studio_binary()
    if binary is None:
        return None

    def start(folder: Path) -> None:
        (folder / "server.json").write_text(server_module.launch(binary, folder).to_json())

    folder = _started_once(config, "label_studio", start)
    return server_module.LabelStudioServer.from_json((folder / "server.json").read_text())


def _hook_build(config):  # type: ignore[no-untyped-def]
    import precommit_env

    return precommit_env.HookBuild(_started_once(config, "hook_home", precommit_env.launch_build))


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reports its collection to the controller
def pytest_collection_finish(session):  # type: ignore[no-untyped-def]
    """Start the slow fixtures the collected tests need, in the background, before the first test."""
    if session.config.option.collectonly:
        return
    if _is_worker(session.config):
        _write_server_group(session)
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ()) if name in SLOW_SETUP}
    if "label_studio" in needed:
        _label_studio(session.config)
    if "hook_home" in needed:
        _hook_build(session.config)


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    """Stop and remove what the background started (also when its tests were deselected or failed),
    in the process that runs the session, after every worker has finished."""
    if _is_worker(config) or SHARED not in config.stash:
        return
    shared = config.stash[SHARED]
    if (shared / "label_studio" / "server.json").is_file():
        import label_studio_server as server_module

        server_module.stop(server_module.LabelStudioServer.from_json(
            (shared / "label_studio" / "server.json").read_text()))
    if (shared / "hook_home").is_dir():
        import precommit_env

        precommit_env.HookBuild(shared / "hook_home").discard()
    shutil.rmtree(shared, ignore_errors=True)


@pytest.fixture(scope="session")
def label_studio(request):  # type: ignore[no-untyped-def]
    """A real Label Studio server for the whole run, launched when the tests were collected."""
    import label_studio_server as server_module

    server = _label_studio(request.config)
    if server is None:
        if os.environ.get("CI"):
            pytest.fail(_label_studio_missing())
        pytest.skip(_label_studio_missing())
    return server_module.wait_until_ready(server)


@pytest.fixture(scope="session")
def hook_home(request):  # type: ignore[no-untyped-def]
    """A PRE_COMMIT_HOME whose hook environment (newsgold from this checkout's HEAD) is built."""
    import precommit_env

    if not precommit_env.PRE_COMMIT.is_file():
        pytest.skip("pre-commit is not installed: make test installs the dev extra")
    return _hook_build(request.config).wait()


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


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright, for one test module (the annotator's page, the report)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        message = "no /usr/bin/chromium: `make test` installs Debian's chromium (as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
