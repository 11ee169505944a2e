"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` in a corpus repository.

The corpus repository's `.pre-commit-config.yaml` names this checkout as its hook repository, at
its HEAD commit, exactly as the README shows it for the published repository: pre-commit clones it,
installs newsgold into a fresh environment (once per session, built in the
background while other tests run: `precommit_env`) and runs the hooks. The hooks are
those of the last commit (CI tests a clean clone).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import DATA
from precommit_env import PRE_COMMIT, git, hook_env, write_config


def _corpus_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "corpus-repo"
    shutil.copytree(DATA / "base", repo / "corpus")
    write_config(repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "corpus")
    return repo


def _run_hook(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PRE_COMMIT), "run", hook, "--all-files", "--color", "never"],
                          cwd=repo, env=hook_env(home), capture_output=True, text=True, timeout=900)


def test_the_validate_hook_passes_a_valid_corpus_and_fails_a_broken_one(tmp_path: Path, hook_home: Path) -> None:
    repo = _corpus_repo(tmp_path)
    passed = _run_hook(repo, "newsgold-validate", hook_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "newsgold validate" in passed.stdout and "Passed" in passed.stdout
    shutil.copyfile(DATA / "invalid" / "annotations.NG204.line2.span-text.jsonl",
                    repo / "corpus" / "annotations.jsonl")
    git(repo, "add", ".")
    failed = _run_hook(repo, "newsgold-validate", hook_home)
    assert failed.returncode == 1
    assert "Failed" in failed.stdout and "annotations.jsonl:2:" in failed.stdout and "[NG204]" in failed.stdout


def test_the_boundaries_hook_fails_on_warnings_the_validate_hook_lets_pass(tmp_path: Path, hook_home: Path) -> None:
    repo = _corpus_repo(tmp_path)
    shutil.copyfile(DATA / "invalid" / "annotations.NG602.line2.quote-with-marks.jsonl",
                    repo / "corpus" / "annotations.jsonl")
    git(repo, "add", ".")
    assert _run_hook(repo, "newsgold-validate", hook_home).returncode == 0
    strict = _run_hook(repo, "newsgold-boundaries", hook_home)
    assert strict.returncode == 1 and "[NG602]" in strict.stdout


def _hook_pythons(home: Path) -> list[Path]:
    """The Pythons of the hook environments pre-commit built (one per hook repository, language
    version and set of additional dependencies)."""
    pythons = sorted(p for p in home.glob("repo*/py_env-*/bin/python") if (p.parent / "newsgold").is_file())
    assert pythons, f"no hook environment with newsgold in {home}"
    return pythons


def test_the_hook_environment_is_the_core_alone_at_the_locked_versions(hook_home: Path) -> None:
    """pre-commit installs newsgold's core for the hooks: at most 15 packages, those of
    requirements/core.lock at its versions (the hooks pin them), no library of an extra."""
    from test_dependencies import LOCKS, pins

    for python in _hook_pythons(hook_home):
        listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "freeze",
                                 "--exclude", "pip", "--exclude", "setuptools", "--exclude", "wheel"],
                                capture_output=True, text=True, check=True).stdout.split()
        installed = {name.lower().replace("_", "-"): version for name, _, version in (p.partition("==") for p in listed)}
        assert len(installed) <= 15, sorted(installed)
        assert installed.pop("newsgold")
        assert installed == pins(LOCKS["core"])


def test_a_command_of_an_extra_in_the_core_install_says_which_extra_to_install(tmp_path: Path, hook_home: Path) -> None:
    """In the real core-only environment: `validate` runs, and a command that needs an extra exits 2
    with one line naming it (no traceback)."""
    newsgold = _hook_pythons(hook_home)[0].parent / "newsgold"
    shutil.copytree(DATA / "base", tmp_path / "corpus")
    for argv in (["validate"], ["stats"], ["export", "--format", "jsonl", "--out", str(tmp_path / "jsonl")]):
        done = subprocess.run([str(newsgold), *argv, "--corpus", str(tmp_path / "corpus")], capture_output=True, text=True)
        assert done.returncode == 0, (argv, done.stderr)
    assert (tmp_path / "jsonl" / "manifest.json").is_file()
    for argv, extra in ((["studio", "status", "--corpus", str(tmp_path / "corpus")], "studio"),
                        (["export", "--corpus", str(tmp_path / "corpus"), "--format", "ner-hf",
                          "--out", str(tmp_path / "out")], "spacy"),
                        (["agreement", "--corpus", str(tmp_path / "corpus")], "agreement"),
                        (["report", "--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path / "r.html")], "report"),
                        (["suggest", "--corpus", str(tmp_path / "corpus")], "suggest")):
        done = subprocess.run([str(newsgold), *argv], capture_output=True, text=True)
        assert done.returncode == 2, (argv, done.stdout, done.stderr)
        [line] = done.stderr.splitlines()
        assert line.startswith(f"Error: `newsgold {argv[0]}") and f"pip install 'newsgold[{extra}]'" in line, line
