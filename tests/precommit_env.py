"""The pre-commit hook environment of this checkout, built once per test session in the background.

pre-commit installs newsgold (from this checkout's HEAD commit) and all its dependencies into a
fresh environment: about half a minute. `launch_build` starts `pre-commit install-hooks` for a
corpus repository whose configuration names this checkout, exactly as the README shows it; the
tests that run the hooks wait for it (`HookBuild.wait`) and share its PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
    """`pre-commit install-hooks` running into `home` (its output in `log`)."""

    folder: Path
    process: subprocess.Popen[bytes] | None

    @property
    def home(self) -> Path:
        return self.folder / "home"

    @property
    def log(self) -> Path:
        return self.folder / "install-hooks.log"

    def wait(self, timeout: float = 900) -> Path:
        """The PRE_COMMIT_HOME, once the environment is built (raises with the log if it failed)."""
        if self.process is not None and self.process.wait(timeout=timeout) != 0:
            raise RuntimeError(f"pre-commit install-hooks failed:\n{self.log.read_text(errors='replace')[-4000:]}")
        return self.home

    def discard(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def launch_build(folder: Path) -> HookBuild:
    """Start building the hook environment below `folder` and return at once."""
    repo = folder / "config-repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    write_config(repo)
    build = HookBuild(folder, None)
    with open(build.log, "wb") as out:
        # Niced: the tests in the foreground come first; the environment is needed only by the last ones.
        build.process = subprocess.Popen(["nice", "-n", "15", str(PRE_COMMIT), "install-hooks"], cwd=repo,
                                         env=hook_env(build.home), stdout=out, stderr=subprocess.STDOUT)
    return build
