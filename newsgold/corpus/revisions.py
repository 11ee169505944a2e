"""A corpus folder as it was at a git revision, for `newsgold diff --rev A..B`."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsgold.corpus.store import Corpus
from newsgold.errors import UsageError

__all__ = ["corpus_at", "parse_range"]


def parse_range(spec: str) -> tuple[str, str]:
    """`A..B` -> (A, B); `A` alone means A..the working tree's HEAD."""
    old, dots, new = spec.partition("..")
    if not old or (dots and not new):
        raise UsageError(f"rev={spec!r}: give a range A..B of git revisions (e.g. main..HEAD)")
    return old, new or "HEAD"


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("comparing revisions (rev=) needs git, which is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])} in {root}: {message[-1] if message else 'failed'}")
    return done.stdout


@contextmanager
def corpus_at(root: Path, revision: str) -> Iterator[Corpus]:
    """The corpus at `root` as git revision `revision` holds it, in a temporary folder.

    Raises UsageError if `root` is not in a git repository, the revision is unknown (naming it), the
    corpus is not in it, or the revision holds links (whose targets a revision does not hold).
    """
    try:
        prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    except UsageError:
        raise UsageError(f"rev= compares git revisions, and {root} is in no git repository: commit the corpus to "
                         "git first, or compare two corpus folders another way") from None
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except UsageError:
        raise UsageError(f"rev=: no revision {revision!r} in the git repository at {top}; name a commit, branch "
                         "or tag (`git log --oneline` lists them)") from None
    with tempfile.TemporaryDirectory(prefix="newsgold-rev-") as folder:
        archive = Path(folder) / "corpus.tar"
        archive.write_bytes(_git(top, "archive", "--format=tar", commit, *(["--", prefix] if prefix else [])))
        with tarfile.open(archive) as tar:
            links = [member.name for member in tar.getmembers() if member.issym() or member.islnk()]
            if links:
                raise UsageError(f"revision {revision} holds links ({', '.join(links[:3])}): a corpus at a revision "
                                 "is read from its files only; commit the files themselves")
            tar.extractall(folder, filter="data")
        corpus_root = Path(folder) / prefix
        if not (corpus_root / "newsgold.json").is_file():
            raise UsageError(f"revision {revision} holds no corpus at {prefix or '.'} (no newsgold.json)")
        yield Corpus.open(corpus_root)
