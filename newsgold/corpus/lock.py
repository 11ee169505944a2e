"""The corpus write lock: one writer at a time for a whole read-modify-write.

The lock is an exclusive `flock` on the corpus folder itself, not on a lock file: nothing is
created in the corpus (so a failed command leaves no trace and a read-only corpus can still be
locked), and the kernel releases it when its holder dies, so a `kill -9` never leaves a stale lock.
`fcntl` is the standard library's binding of the POSIX call that `filelock` also wraps on Unix;
holding a folder's descriptor is the one thing `filelock` cannot do, hence the direct use.
The lock is re-entrant within a process (a command that calls another writer does not deadlock).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newsgold import _progress as progress
from newsgold._io import JOURNAL_NAME, Transaction, finish_commit, remove_stale_temps
from newsgold.errors import CorpusLockedError, UnreadableInputError, UsageError

__all__ = ["corpus_lock", "corpus_transaction", "finish_killed_commit", "holds_lock", "journal_path", "LOCK_TIMEOUT_ENV",
           "DEFAULT_LOCK_TIMEOUT"]

LOCK_TIMEOUT_ENV = "NEWSGOLD_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 10.0
_POLL_SECONDS = 0.05

_held: dict[str, tuple[int, int]] = {}
"""realpath -> (descriptor, depth) of the locks this process holds."""


def _timeout() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV)
    if raw is None:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise UsageError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds (>= 0)")
    return value


def _say_waiting(root: Path) -> None:
    progress.notify(f"Waiting for {root}: another newsgold command is writing to it ...")


@contextmanager
def corpus_lock(root: Path, *, timeout: float | None = None,
                on_wait: Callable[[Path], None] = _say_waiting) -> Iterator[None]:
    """Hold the exclusive write lock of the corpus at `root` for the block.

    Waits up to `timeout` seconds (default: `$NEWSGOLD_LOCK_TIMEOUT`, else 10), calling `on_wait`
    once if it has to wait, then raises CorpusLockedError. Stale temp files of killed writers are
    removed once the lock is held.
    """
    key = os.path.realpath(root)
    if key in _held:
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _held[key]
            _held[key] = (fd, depth - 1)
        return
    limit = _timeout() if timeout is None else timeout
    try:
        fd = os.open(key, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise UnreadableInputError(f"{root}: cannot open the corpus folder: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + limit
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CorpusLockedError(root, limit) from None
                if not waited:
                    waited = True
                    on_wait(root)
                time.sleep(_POLL_SECONDS)
        _held[key] = (fd, 1)
        try:
            finish_commit(journal_path(Path(key)))  # a killed writer's commit of several files, completed
            remove_stale_temps(Path(key))
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)  # releases the lock


def journal_path(root: Path) -> Path:
    """Where a commit of several files of the corpus at `root` keeps its journal (see Transaction)."""
    return Path(root) / JOURNAL_NAME


def corpus_transaction(root: Path) -> Transaction:
    """A transaction over files of the corpus at `root`, journaled so that a commit of several files
    leaves all of them new or (if it never began its renames) all old, even when killed."""
    return Transaction(journal=journal_path(root))


def finish_killed_commit(root: Path) -> None:
    """Before reading the corpus at `root`: if a writer was killed between the renames of a commit
    of several files (its journal is there), take the lock, which finishes that commit, so that no
    reader sees some of its files new and others old."""
    if journal_path(root).is_file() and not holds_lock(root):
        with corpus_lock(root):
            pass


def holds_lock(root: Path) -> bool:
    """True while this process holds the write lock of the corpus at `root`."""
    return os.path.realpath(root) in _held
