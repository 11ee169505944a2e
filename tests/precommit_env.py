"""The pre-commit hook environment of this checkout, built once per test session in the background.

pre-commit installs newsgold (from this checkout's HEAD commit) and all its dependencies into a
fresh environment: about half a minute. `launch_build` starts `pre-commit install-hooks` for a
corpus repository whose configuration names this checkout, exactly as the README shows it; the
tests that run the hooks wait for it (`HookBuild.wait`) and share its PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
HOOKS = ("newsgold-validate", "newsgold-boundaries")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()


def write_config(repo: Path) -> None:
    """The corpus repository's `.pre-commit-config.yaml`: this checkout at HEAD, both hooks."""
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOKS)
    (repo / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {REPO}\n    rev: {head()}\n    hooks:\n{hooks}")


def hook_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    return env


@dataclass
class HookBuild:
    """`pre-commit install-hooks` running into `folder/home` (its output in `log`, its exit status
    in `status` once it ends), usable from any test process that knows `folder`."""

    folder: Path

    @property
    def home(self) -> Path:
        return self.folder / "home"

    @property
    def log(self) -> Path:
        return self.folder / "install-hooks.log"

    @property
    def status(self) -> Path:
        return self.folder / "install-hooks.status"

    @property
    def pid_file(self) -> Path:
        return self.folder / "install-hooks.pid"

    def wait(self, timeout: float = 900) -> Path:
        """The PRE_COMMIT_HOME, once the environment is built (raises with the log if it failed)."""
        deadline = time.monotonic() + timeout
        while not self.status.is_file() or not self.status.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError(f"pre-commit install-hooks took over {timeout} s:\n{self._log_tail()}")
            time.sleep(0.5)
        if self.status.read_text().strip() != "0":
            raise RuntimeError(f"pre-commit install-hooks failed:\n{self._log_tail()}")
        return self.home

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.is_file() else "(no log)"

    def discard(self) -> None:
        """Stop the build if it still runs and remove its folder."""
        if self.pid_file.is_file() and not self.status.is_file():
            try:
                os.killpg(int(self.pid_file.read_text()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def launch_build(folder: Path) -> HookBuild:
    """Start building the hook environment below `folder` and return at once."""
    repo = folder / "config-repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    write_config(repo)
    build = HookBuild(folder)
    script = f'{shlex.quote(str(PRE_COMMIT))} install-hooks >{shlex.quote(str(build.log))} 2>&1; ' \
             f'echo $? >{shlex.quote(str(build.status))}.part && mv {shlex.quote(str(build.status))}.part ' \
             f'{shlex.quote(str(build.status))}'
    process = subprocess.Popen(["sh", "-c", script], cwd=repo, env=hook_env(build.home), start_new_session=True)
    build.pid_file.write_text(str(process.pid))
    _LAUNCHED.append(process)  # referenced until this process exits (no "still running" warning)
    return build


_LAUNCHED: list[subprocess.Popen[bytes]] = []
