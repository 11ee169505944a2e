"""The documentation site builds with warnings as errors, and has a page for every command, rule and format."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from newsgold.exchange import FORMATS
from newsgold.rules import RULES

from conftest import REPO


def _script(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
                          "-d", str(out)], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr[-4000:]
    return out


def test_the_command_reference_is_current() -> None:
    reference = _script("cli_reference")
    page = reference.render()
    assert (REPO / "docs" / "commands.md").read_text(encoding="utf-8") == page, (
        "docs/commands.md is stale: run python scripts/cli_reference.py")
    usages = [line for line in page.splitlines() if line.startswith("Usage: ")]
    for name, _ in reference.commands():  # each as the CLI prints it, once
        assert f"Usage: newsgold {name} [OPTIONS]" in {u.split("]")[0] + "]" for u in usages}, name


def test_every_command_names_a_library_function_that_exists() -> None:
    reference = _script("cli_reference")
    names = [name for name, _ in reference.commands()]
    assert set(names) == set(reference.LIBRARY)
    for dotted in (function for name in names for function in reference.library_functions(name)):
        module, _, attribute = dotted.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), dotted


def test_the_site_has_every_command_rule_and_format(site: Path) -> None:
    commands = (site / "commands" / "index.html").read_text(encoding="utf-8")
    for name, _ in _script("cli_reference").commands():
        assert f"newsgold {name}</code>" in commands, name
    rules = (site / "format" / "index.html").read_text(encoding="utf-8")
    for code in RULES:
        assert f"<td>{code}</td>" in rules, code
    formats = (site / "formats" / "index.html").read_text(encoding="utf-8")
    for name in FORMATS:
        assert f'id="{name}"' in formats, name
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    reference = _script("cli_reference")
    named = {dotted for name in reference.LIBRARY for dotted in reference.library_functions(name)}
    for dotted in named | {"newsgold.corpus.add_sets", "newsgold.corpus.put_gold"}:
        function = dotted.rpartition(".")[2]  # every function the Commands page names is documented,
        assert f"{function}</code>" in api or f">{function}<" in api, function
        assert f'id="{dotted}"' in api, dotted  # at the anchor its link on the Commands page names
    for page in ("ingest", "scheme", "labelstudio", "versioning", "guidelines", "agreement"):
        assert (site / page / "index.html").is_file(), page


@pytest.mark.parametrize("argv, status", [(["--help"], 0), (["-o"], 2), (["a.md", "b.md"], 2)])
def test_the_reference_script_takes_no_option_for_a_file_name(tmp_path: Path, argv: list[str], status: int) -> None:
    """`scripts/cli_reference.py --help` once wrote the page into a file named `--help`."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "cli_reference.py"), *argv], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == status and "usage: python scripts/cli_reference.py" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_no_tracked_file_is_named_like_an_option() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert not [name for name in tracked.splitlines() if name.rsplit("/", 1)[-1].startswith("-")]
