"""Shared fixtures: the tiny valid corpus, snapshots of a corpus folder, the CLI runner."""

from __future__ import annotations

import hashlib
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
