"""A full disk, for real (issue 41, item 4): a corpus on a small tmpfs filled to a few kilobytes; every
writer that cannot write what it set out to write exits 2 and changes nothing, whichever file the
disk ran out on (the spool, the backup of replaced gold, gold, the review file, the journal).
Mounting a tmpfs needs root, as CI and `make test` have it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO
from test_report import team_sets


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", f"newsgold-{uuid.uuid4().hex[:8]}", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {done.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _fill(disk: Path, left: int) -> None:
    status = os.statvfs(disk)
    with open(disk / "filler", "wb") as f:
        f.write(b"x" * max(0, status.f_bavail * status.f_frsize - left))


@pytest.mark.parametrize("left_kb", [0, 8, 24, 48])
@pytest.mark.parametrize("command", ["adjudicate", "ingest", "suggest", "import"])
def test_a_command_that_runs_out_of_disk_exits_2_and_changes_nothing(command: str, left_kb: int, small_disk: Path,
                                                                    tmp_path: Path) -> None:
    root = small_disk / "c"
    shutil.copytree(REPO / "corpus", root)
    team_sets(root)
    (tmp_path / "more.txt").write_text("Hanno Pevkur said the plan was sound. " * 400)
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "b1.txt").write_text("Hanno Pevkur said it. " * 200)
    (brat / "b1.ann").write_text("T1\tPERSON 0 12\tHanno Pevkur\n")
    argv = {"adjudicate": ["adjudicate", "--replace"], "ingest": ["ingest", str(tmp_path / "more.txt")],
            "suggest": ["suggest"], "import": ["import", str(brat), "--format", "brat", "--set", "bob"]}[command]
    _fill(small_disk, left_kb * 1024)
    before = _files(root)
    done = subprocess.run([sys.executable, "-m", "newsgold", argv[0], "--corpus", str(root), *argv[1:]],
                          capture_output=True, text=True, cwd=tmp_path)
    after = _files(root)
    if done.returncode == 0:  # it fit: then everything it wrote is there and valid
        check = subprocess.run([sys.executable, "-m", "newsgold", "validate", "--corpus", str(root)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[-1000:]
        return
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    assert after == before, sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
