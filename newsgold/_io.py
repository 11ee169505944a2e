"""Atomic writes, multi-file transactions, files of staging folders, and line-numbered JSONL streams.

Every file newsgold writes goes through here. Corpus files are written to a temp file in the same
folder, fsynced and renamed over the old one (`atomic_write_bytes`, `Transaction`). Export files
are written plainly (`write_file`, `create_file`, `make_folder`) because they go into a staging
folder only their writer knows, which is renamed into place once complete. Either way a failure
raises CannotWriteError (exit 2) naming the path.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any

import orjson

from newsgold.errors import CannotWriteError, UnreadableInputError, UsageError

__all__ = [
    "CorpusBypassError",
    "check_corpus_write",
    "granting_corpus_write",
    "atomic_write_bytes",
    "write_file",
    "create_file",
    "make_folder",
    "Transaction",
    "iter_jsonl_lines",
    "dumps_line",
    "count_newlines",
    "hash_file",
    "append_file",
    "regular_file",
    "remove_stale_temps",
    "TEMP_MARK",
    "new_file_mode",
    "new_folder_mode",
    "finish_commit",
    "JOURNAL_NAME",
    "CHECKSUMS_FILE",
    "write_checksums",
    "verify_checksums",
]

TEMP_MARK = ".ngtmp-"

PAUSE_ENV = "NEWSGOLD_TEST_PAUSE"
"""Tests only: `POINT:MARK_FILE` stops a writer at POINT, after creating MARK_FILE, so that a test
can kill it there: `staged` (every file of a commit written beside its destination, none in place;
an export's staging folder complete), `renaming` (the first file of a multi-file commit in place,
the others not; `renaming-K`: the first K in place); at `committing` it creates MARK_FILE and goes
on with the renames, for a kill that lands while files are being put in place; at `fetching` (a
pull has spooled its first task, holding no lock) it waits until the test removes MARK_FILE."""


def pause_point(point: str, detail: str = "") -> None:
    """Stop here for a long while if `$NEWSGOLD_TEST_PAUSE` names this point (tests kill the process);
    the mark file holds `detail` (at `renaming`: the file already in place)."""
    setting = os.environ.get(PAUSE_ENV)
    if not setting or setting.partition(":")[0] != point:
        return
    mark = Path(setting.partition(":")[2])
    mark.write_text(detail)
    if point == "fetching":
        deadline = time.monotonic() + 120
        while mark.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    elif point != "committing":
        time.sleep(600)
"""Every temp file and staging folder newsgold makes has this in its name (and ends in `.tmp`)."""

_STALE_TEMP = re.compile(r"^\..+\.ngtmp-[A-Za-z0-9_-]+\.tmp$")


def dumps_line(record: Any) -> bytes:
    """Serialize one record as a JSONL line (compact, UTF-8, with the trailing newline)."""
    return orjson.dumps(record) + b"\n"


def regular_file(path: Path) -> bool:
    """True if `path` is a regular file, False if nothing is there; raise UnreadableInputError if
    something else is (a folder, FIFO, socket or device), found by `stat`, without opening it."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    if stat.S_ISREG(mode):
        return True
    raise UnreadableInputError(f"{path}: is {_kind(mode)}, not a file")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temp files newsgold left in `folder`, `folder/documents`, `folder/.newsgold` and
    its backups (`.newsgold/replaced`) when a writer was killed. Call only while holding the corpus
    lock (then no other writer can own them). Returns what was removed."""
    removed = []
    for where in (folder, folder / "documents", folder / ".newsgold", folder / ".newsgold" / "replaced"):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            if _STALE_TEMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _temp_beside(path: Path) -> tuple[int, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp", dir=path.parent)
    return fd, Path(tmp)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def new_file_mode() -> int:
    """The mode a new file gets under the user's umask (as `open` would give it)."""
    return 0o666 & ~_UMASK


def new_folder_mode() -> int:
    """The mode a new folder gets under the user's umask (as `mkdir` would give it)."""
    return 0o777 & ~_UMASK


CORPUS_DATA_FILES = ("newsgold.json", "documents.jsonl", "annotations.jsonl", "gold.jsonl")
"""The files of a corpus folder that hold its data (with `documents/*.jsonl` and the state files)."""
CORPUS_STATE_FILES = ("pseudonyms.json", "labelstudio.json")
"""The files of a corpus's `.newsgold/` that are corpus data too (its pseudonyms, its sync state)."""

_granted: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("newsgold_corpus_writes", default=frozenset())


class CorpusBypassError(RuntimeError):
    """A corpus file was about to be written outside `newsgold.corpus.write.corpus_write` (or
    `init_corpus`): a newsgold bug. Nothing was written."""


def corpus_of_data_file(path: Path) -> str | None:
    """The real path of the corpus folder whose data file `path` is, or None if it is none: a file of
    CORPUS_DATA_FILES beside a `newsgold.json`, a shard `documents/*.jsonl` of such a folder, or a
    state file in its `.newsgold/`. Found by the path's shape, whatever way the caller built it."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    name = os.path.basename(path)
    if name in CORPUS_DATA_FILES:
        root = folder
    elif name.endswith(".jsonl") and os.path.basename(folder) == "documents":
        root = os.path.dirname(folder)
    elif name in CORPUS_STATE_FILES and os.path.basename(folder) == ".newsgold":
        root = os.path.dirname(folder)
    else:
        return None
    return root if os.path.isfile(os.path.join(root, "newsgold.json")) or root in _granted.get() else None


def check_corpus_write(path: Path) -> None:
    """Raise CorpusBypassError if `path` is a corpus data file and no corpus write holds its corpus."""
    root = corpus_of_data_file(path)
    if root is not None and root not in _granted.get():
        raise CorpusBypassError(f"{path} is a corpus file: only newsgold.corpus.write.corpus_write (which "
                                "holds the corpus lock) writes it; this is a newsgold bug")


@contextlib.contextmanager
def granting_corpus_write(root: Path) -> Iterator[None]:
    """Let the writers of this module write the data files of the corpus at `root` in this block
    (and in this context only). `corpus_write` and `init_corpus` call it; nothing else should."""
    token = _granted.set(_granted.get() | {os.path.realpath(root)})
    try:
        yield
    finally:
        _granted.reset(token)


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WRITE_MODES = frozenset("wax+")


def _written_by_audit_event(event: str, args: tuple[Any, ...]) -> Any:
    """The path an audited operation writes, renames onto, links onto or removes (None if it only reads)."""
    if event == "open":
        path, mode, flags = args
        if mode is None:
            return path if isinstance(flags, int) and flags & _WRITE_FLAGS else None
        return path if isinstance(mode, str) and not _WRITE_MODES.isdisjoint(mode) else None
    if event in ("os.rename", "os.link"):
        return args[1]
    if event in ("os.remove", "os.truncate"):
        return args[0]
    return None


def _from_newsgold() -> bool:
    """True if a module of newsgold (not this one) is on the stack: the write is newsgold's own."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("newsgold.") and module != __name__:
            return True
        frame = frame.f_back
    return False


def _guard_corpus_files(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook (sys.addaudithook): a newsgold module that writes a corpus data file outside a
    corpus write, by whatever means (open, os.replace, a link, a removal; whatever way the path was
    built), raises CorpusBypassError before anything happens. Code outside newsgold (a user's
    script, a test fixture) is not watched; the check costs a name comparison on other files."""
    target = _written_by_audit_event(event, args)
    if target is None or isinstance(target, int):
        return
    try:
        name = os.path.basename(os.fsdecode(target))
    except TypeError:
        return
    if name not in CORPUS_DATA_FILES and name not in CORPUS_STATE_FILES and not name.endswith(".jsonl"):
        return
    root = corpus_of_data_file(Path(os.fsdecode(target)))
    if root is None or root in _granted.get() or not _from_newsgold():
        return
    raise CorpusBypassError(f"{os.fsdecode(target)} is a corpus file: only newsgold.corpus.write.corpus_write "
                            "(which holds the corpus lock) writes it; this is a newsgold bug")


sys.addaudithook(_guard_corpus_files)


def _write_temp(path: Path, chunks: Iterable[bytes]) -> Path:
    check_corpus_write(path)
    try:
        fd, tmp = _temp_beside(path)
    except OSError as exc:
        raise CannotWriteError(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = new_file_mode()
        os.chmod(tmp, mode)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CannotWriteError(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Replace `path` with `content` atomically: readers see the old file or the new, never half."""
    tmp = _write_temp(path, [content])
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CannotWriteError(path, exc) from None


def write_file(path: Path, content: bytes) -> None:
    """Write a new file of a staging folder (not atomic: the folder is what is swapped into place)."""
    with create_file(path) as f:
        try:
            f.write(content)
        except OSError as exc:
            raise CannotWriteError(path, exc) from None


def create_file(path: Path) -> IO[bytes]:
    """Open a new file of a staging folder for writing (created with the user's umask)."""
    check_corpus_write(path)
    try:
        return open(path, "wb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise CannotWriteError(path, exc) from None


def make_folder(path: Path) -> None:
    """Make `path` and its missing parents (with the user's umask); an existing folder is fine."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWriteError(path, exc) from None


JOURNAL_NAME = ".newsgold-journal.json"
"""The file in which a commit of several files names its renames before it makes them (in the
corpus folder, there only between the first rename and the last, or after a kill there)."""


def _fsync_folder(folder: Path) -> None:
    """Make the renames and removals in `folder` durable (a folder's entries are its data)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the renames are still atomic
        pass
    finally:
        os.close(fd)


def finish_commit(journal: Path) -> list[Path]:
    """Finish the commit `journal` names, if a killed writer left one: move into place every staged
    file that is still beside its destination (each was complete and synced before the journal was
    written), then remove the journal. After it every file of that commit is the new version.
    Call only while holding the lock of the files it names. Returns the files it put in place."""
    try:
        renames = orjson.loads(journal.read_bytes())["renames"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = getattr(exc, "strerror", None) or (f"no {exc}" if isinstance(exc, KeyError) else str(exc))
        raise UnreadableInputError(_damaged_journal(journal, f"cannot be read ({reason})")) from None
    if not (isinstance(renames, list) and all(_is_staged_rename(pair) for pair in renames)):
        raise UnreadableInputError(_damaged_journal(journal, "names a rename newsgold never stages "
                                                    "(each is a temp file beside its destination)"))
    with granting_corpus_write(journal.parent):  # the commit a killed corpus write began
        return _finish_renames(journal, renames)


def _finish_renames(journal: Path, renames: list[list[str]]) -> list[Path]:
    done = []
    for staged, destination in renames:
        tmp, path = journal.parent / staged, journal.parent / destination
        if tmp.is_file():
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise CannotWriteError(path, exc) from None
            done.append(path)
    for folder in {path.parent for path in done}:
        _fsync_folder(folder)
    journal.unlink(missing_ok=True)
    _fsync_folder(journal.parent)
    return done


def _damaged_journal(journal: Path, what: str) -> str:
    return (f"{journal}: the journal of an unfinished commit {what}; nothing was changed. Move it aside "
            "to go on, then check the files it names")


def _is_staged_rename(pair: object) -> bool:
    """A journal entry as `Transaction.commit` writes it: [temp, destination], both relative, in one
    folder inside the journal's, the temp named for its destination."""
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
        return False
    staged, destination = pair
    folder, name = os.path.split(destination)
    parts = Path(destination).parts
    return (bool(name) and not os.path.isabs(destination) and ".." not in parts
            and os.path.dirname(staged) == folder
            and os.path.basename(staged).startswith(f".{name}{TEMP_MARK}")
            and _STALE_TEMP.match(os.path.basename(staged)) is not None)


class Transaction:
    """Stage several file writes; `commit()` renames them all into place, else none is touched.

    Used as a context manager: leaving the block with an exception discards every staged file.
    With a `journal` path, a commit of several files first writes there which staged file goes
    where (atomically, synced); a writer killed between its renames leaves the journal, and
    `finish_commit` (run by the next holder of the lock) completes them: all the files are then
    the new versions, never some new and some old.
    """

    def __init__(self, journal: Path | None = None) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self._journal = journal
        self._journal_written = False

    def write_bytes(self, path: Path, content: bytes) -> None:
        """Stage `content` for `path`."""
        self._staged.append((path, _write_temp(path, [content])))

    def write_lines(self, path: Path, lines: Iterable[bytes]) -> None:
        """Stage the streamed `lines` for `path`."""
        self._staged.append((path, _write_temp(path, lines)))

    def commit(self) -> None:
        """Move every staged file into place (each rename is atomic). Interrupted or failing before
        its first rename, it leaves every file old (rollback); after it, the rest are put in place
        from the journal, so the files are all new (if even that fails, the journal stays for the
        next holder of the lock, and the error is raised)."""
        renamed = 0
        try:
            if self._staged:
                pause_point("staged")
            journaled = self._journal is not None and len(self._staged) > 1
            if journaled:
                assert self._journal is not None
                base = self._journal.parent
                atomic_write_bytes(self._journal, orjson.dumps({"renames": [
                    [os.path.relpath(tmp, base), os.path.relpath(path, base)] for path, tmp in self._staged]}))
                self._journal_written = True
                _fsync_folder(base)
            if self._staged:
                pause_point("committing")
            for number, (path, tmp) in enumerate(self._staged):
                if number >= 1:  # `renaming`: after the first rename; `renaming-K`: after the K-th
                    pause_point("renaming" if number == 1 else f"renaming-{number}", str(self._staged[number - 1][0]))
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    raise CannotWriteError(path, exc) from None
                renamed += 1
            if journaled:
                assert self._journal is not None
                for folder in {path.parent for path, _ in self._staged}:
                    _fsync_folder(folder)
                self._journal.unlink(missing_ok=True)
                self._journal_written = False
            self._staged.clear()
        except BaseException as exc:
            if renamed and self._journal_written:
                assert self._journal is not None
                self._staged.clear()
                self._journal_written = False  # finished below, or left for the next holder of the lock
                finish_commit(self._journal)
                if isinstance(exc, CannotWriteError):  # the renames went through after all: committed
                    return
            else:
                self.rollback()
            raise

    def rollback(self) -> None:
        """Discard every staged file (and the journal, if this commit wrote one and began no rename)."""
        for _, tmp in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()
        if self._journal is not None and self._journal_written:
            self._journal.unlink(missing_ok=True)
            self._journal_written = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


CHECKSUMS_FILE = "newsgold-checksums.json"
"""The sha256 of every file of a model folder, written when it is trained."""


def _folder_files(folder: Path) -> dict[str, Path]:
    found = {}
    for parent, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            if relative != CHECKSUMS_FILE:
                found[relative] = path
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        hash_file(f, digest)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    """Record the sha256 of every file below `folder` in its CHECKSUMS_FILE (atomically)."""
    sums = {name: _sha256(path) for name, path in _folder_files(folder).items()}
    atomic_write_bytes(folder / CHECKSUMS_FILE, orjson.dumps({"sha256": sums}, option=orjson.OPT_INDENT_2) + b"\n")


def verify_checksums(folder: Path, what: str) -> None:
    """Raise UsageError (one line) unless every file below `folder` is the one its CHECKSUMS_FILE
    names, no more and no fewer: checked before anything of it is loaded (a model's loader trusts its
    files; a damaged one can crash the process). `what` names the folder's kind in the message."""
    try:
        sums = orjson.loads((folder / CHECKSUMS_FILE).read_bytes())["sha256"]
        if not isinstance(sums, dict):
            raise TypeError
    except FileNotFoundError:
        raise UsageError(f"{folder} has no {CHECKSUMS_FILE}: it is no {what} this newsgold trained, or it was "
                         "trained before models carried checksums; train it again") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{folder}/{CHECKSUMS_FILE} cannot be read: the {what} is damaged; train it again") from None
    files = _folder_files(folder)
    for name in sorted(set(sums) | set(files)):
        if name not in files:
            raise UsageError(f"{folder}: {name} is missing: the {what} is damaged; train it again")
        if name not in sums or _sha256(files[name]) != sums[name]:
            raise UsageError(f"{folder}: {name} is not the file that was trained (its sha256 differs): the {what} "
                             "is damaged or was changed; train it again")


@contextlib.contextmanager
def _open_binary(path: Path | str) -> Iterator[IO[bytes]]:
    if str(path) == "-":
        yield sys.stdin.buffer
        return
    if not regular_file(Path(path)):
        raise UnreadableInputError(f"{path}: cannot read: no such file")
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    with f:
        yield f


def iter_jsonl_lines(path: Path | str) -> Iterator[tuple[int, int, bytes]]:
    """Yield (line number, byte offset, raw line) for every non-blank line; `-` reads stdin.

    Line numbers are 1-based and count blank lines too.
    """
    with _open_binary(path) as f:
        yield from numbered_lines(f)


def numbered_lines(f: IO[bytes], start: int = 0,
                   end: int | None = None) -> Generator[tuple[int, int, bytes], None, int]:
    """Yield (line number, byte offset, raw line) for the non-blank lines of `f` from its current
    position, which is byte `start`, up to byte `end` (default: its end); return how many lines
    were read, blank ones included. Numbers are 1-based and count blank lines."""
    offset = start
    number = 0
    for raw in f:
        if end is not None and offset >= end:
            break
        number += 1
        line_start = offset
        offset += len(raw)
        if not raw.isspace():
            yield number, line_start, raw
    return number


def count_newlines(path: Path, end: int | None = None) -> int:
    """How many newline bytes `path` holds before byte `end` (default: in the whole file)."""
    count = 0
    with open(path, "rb") as f:
        remaining = end
        while remaining is None or remaining > 0:
            block = f.read(1 << 20 if remaining is None else min(remaining, 1 << 20))
            if not block:
                break
            count += block.count(b"\n")
            if remaining is not None:
                remaining -= len(block)
    return count


def hash_file(f: IO[bytes], digest: hashlib._Hash) -> None:
    """Feed the whole of file `f` (from its start) to `digest`, a block at a time through one reused
    buffer: memory stays at the buffer's size whatever the file's (a memory map would add every page
    it touches to the process's resident memory)."""
    f.seek(0)
    buffer = bytearray(HASH_BLOCK)
    view = memoryview(buffer)
    while True:
        size = f.readinto(view)  # type: ignore[attr-defined]
        if not size:
            return
        digest.update(view[:size])


HASH_BLOCK = 1 << 20


def append_file(source: IO[bytes], target: IO[bytes]) -> None:
    """Append all of `source` to `target` (flushed first), copied inside the kernel where the
    platform can (`os.copy_file_range`), else through a buffer."""
    target.flush()
    size = os.fstat(source.fileno()).st_size
    copied = 0
    copy_file_range = getattr(os, "copy_file_range", None)
    if copy_file_range is not None:
        try:
            while copied < size:
                done = copy_file_range(source.fileno(), target.fileno(), size - copied, copied)
                if not done:
                    break
                copied += done
        except OSError:  # a file system that cannot copy in the kernel: copy the rest below
            pass
    source.seek(copied)
    shutil.copyfileobj(source, target)
