"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` in a corpus repository.

The corpus repository's `.pre-commit-config.yaml` names this checkout as its hook repository, at
its HEAD commit, exactly as the README shows it for the published repository: pre-commit clones it,
installs newsgold into a fresh environment (once for the module) and runs the hooks. The hooks are
those of the last commit (CI tests a clean clone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook environment is built once (about a minute)."""
    if not PRE_COMMIT.is_file():
        pytest.skip("pre-commit is not installed: make test installs the dev extra")
    return tmp_path_factory.mktemp("pre-commit-home")


def _corpus_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "corpus-repo"
    shutil.copytree(DATA / "base", repo / "corpus")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
        "      - id: newsgold-validate\n      - id: newsgold-boundaries\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "corpus")
    return repo


def _run_hook(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run([str(PRE_COMMIT), "run", hook, "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_the_validate_hook_passes_a_valid_corpus_and_fails_a_broken_one(tmp_path: Path, hook_home: Path) -> None:
    repo = _corpus_repo(tmp_path)
    passed = _run_hook(repo, "newsgold-validate", hook_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "newsgold validate" in passed.stdout and "Passed" in passed.stdout
    shutil.copyfile(DATA / "invalid" / "annotations.NG204.line2.span-text.jsonl",
                    repo / "corpus" / "annotations.jsonl")
    _git(repo, "add", ".")
    failed = _run_hook(repo, "newsgold-validate", hook_home)
    assert failed.returncode == 1
    assert "Failed" in failed.stdout and "annotations.jsonl:2:" in failed.stdout and "[NG204]" in failed.stdout


def test_the_boundaries_hook_fails_on_warnings_the_validate_hook_lets_pass(tmp_path: Path, hook_home: Path) -> None:
    repo = _corpus_repo(tmp_path)
    shutil.copyfile(DATA / "invalid" / "annotations.NG602.line2.quote-with-marks.jsonl",
                    repo / "corpus" / "annotations.jsonl")
    _git(repo, "add", ".")
    assert _run_hook(repo, "newsgold-validate", hook_home).returncode == 0
    strict = _run_hook(repo, "newsgold-boundaries", hook_home)
    assert strict.returncode == 1 and "[NG602]" in strict.stdout
