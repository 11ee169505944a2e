"""The one way a corpus JSONL file is changed: every line kept, replaced or dropped, then appended to.

Pull, import, ingest and adjudicate all change a file this way. The new file is staged in a
transaction (written beside the old one and renamed over it on commit), and only by the holder of
the corpus lock, so a reader sees the old file or the complete new one, and no writer loses
another's lines.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from newsgold._io import Transaction, iter_jsonl_lines, regular_file
from newsgold.corpus.lock import holds_lock
from newsgold.corpus.records import record_line

__all__ = ["LineEdit", "by_line", "rewritten_lines", "stage_rewrite"]

LineEdit = Callable[[int, bytes], bytes | None]
"""Given (line number, raw line), the line to write instead (the raw line keeps it), or None to drop it."""


def by_line(replace: Mapping[int, BaseModel] | None = None, drop: Collection[int] = ()) -> LineEdit:
    """An edit that replaces the lines numbered in `replace` by their records and drops those in `drop`."""
    replace = replace or {}

    def edit(number: int, raw: bytes) -> bytes | None:
        if number in drop:
            return None
        record = replace.get(number)
        return raw if record is None else record_line(record)

    return edit


def rewritten_lines(path: Path, edit: LineEdit | None = None,
                    append: Iterable[bytes] = ()) -> Iterator[bytes]:
    """The lines of `path` (none if it does not exist) passed through `edit`, then `append`.

    Kept lines are the old bytes exactly, with a newline added to a last line that lacked one;
    blank lines are left out. `append` yields whole lines (or chunks of them) as they are.
    """
    if regular_file(path):
        for number, _, raw in iter_jsonl_lines(path):
            line = raw if edit is None else edit(number, raw)
            if line is not None:
                yield line if line.endswith(b"\n") else line + b"\n"
    yield from append


def stage_rewrite(txn: Transaction, root: Path, path: Path, edit: LineEdit | None = None,
                  append: Iterable[bytes] = ()) -> None:
    """Stage `path` (a file of the corpus at `root`) rewritten by `edit` and `append` in `txn`.

    The new file is written now and renamed over the old one when `txn` commits. The caller must
    hold the corpus lock (`corpus_lock` or a `@writes_corpus` function) from now to the commit,
    so that no other writer changes `path` in between.
    """
    if not holds_lock(root):
        raise RuntimeError(f"rewriting {path} needs the write lock of {root}")  # a newsgold bug
    txn.write_lines(path, rewritten_lines(path, edit, append))
