"""Gold into the corpus: the adjudicated sets of `gold.jsonl`, and the rule that protects a correction.

Every gold set a tool writes records the fingerprint of its content in `provenance.content_sha256`.
A gold set whose content no longer matches it (corrected by hand, or by any other tool), that has
none (a line retyped or pasted by hand loses it), or that says it is hand-made
(`provenance.method` `manual`), is *hand-made*: a writer keeps it and reports it (code
`hand-made`), unless the caller passes `replace`; then it is replaced, reported (code `replaced`),
and kept in the write's backup file. What no tool can prove it wrote is a person's.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgold._io import Transaction
from newsgold.corpus.outcomes import OutcomeCode, SetOutcome, SetStatus
from newsgold.corpus.rewrite import stage_rewrite
from newsgold.corpus.records import record_line
from newsgold.corpus.store import Corpus
from newsgold.corpus.write.sets import _lines_at
from newsgold.schemas.annotation import GoldSet, content_fingerprint

__all__ = ["GoldWriter", "StoredGold", "is_hand_made"]


def is_hand_made(gold: GoldSet) -> bool:
    """Whether a gold set was made or corrected by hand: `manual`, no fingerprint of its content,
    or content that no longer matches the fingerprint its writer recorded."""
    provenance = gold.provenance
    if provenance.method == "manual":
        return True
    return provenance.content_sha256 is None or provenance.content_sha256 != content_fingerprint(gold)


@dataclass(frozen=True)
class StoredGold:
    """What the writer knows of the gold of one document already in `gold.jsonl`."""

    lines: tuple[int, ...]
    """Its lines (normally one)."""
    hand_made: bool
    fingerprint: str
    doc_sha256: str
    method: str


class GoldWriter:
    """Decides what each new gold set does to the stored gold and stages `gold.jsonl`.

    Made by `CorpusWrite.gold`, under the corpus lock, inside its transaction.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.stored: dict[str, StoredGold] = {}
        for line, gold in corpus.iter_numbered("gold"):
            known = self.stored.get(gold.doc_id)
            lines = (known.lines if known else ()) + (line,)
            self.stored[gold.doc_id] = StoredGold(
                lines, is_hand_made(gold) or bool(known and known.hand_made), content_fingerprint(gold),
                gold.doc_sha256, gold.provenance.method)
        self._spool = tempfile.TemporaryFile()
        self._new: dict[str, tuple[int, int]] = {}
        """doc_id -> (offset, length) of its new line in the spool, in the order put."""
        self._removed: set[str] = set()
        self.replaced: list[int] = []
        self.outcomes: list[SetOutcome] = []

    def hand_made(self, doc_id: str) -> bool:
        """Whether the stored gold of `doc_id` is hand-made (see the module doc)."""
        known = self.stored.get(doc_id)
        return known is not None and known.hand_made

    def _say(self, doc_id: str, status: SetStatus, code: OutcomeCode, message: str = "",
             line: int | None = None) -> SetOutcome:
        outcome = SetOutcome(doc_id, "gold", status, code, message, line=line)
        self.outcomes.append(outcome)
        return outcome

    def keep(self, doc_id: str) -> SetOutcome:
        """Record that the hand-made gold of `doc_id` is kept (code `hand-made`)."""
        known = self.stored[doc_id]
        return self._say(doc_id, "kept", "hand-made", f"{self.corpus.gold_path}:{known.lines[0]} was "
                         "corrected by hand since it was written (or is manual); kept (pass replace=True to "
                         "replace it)", known.lines[0])

    def put(self, gold: GoldSet, *, replace: bool = False) -> SetOutcome:
        """Store `gold` as its document's gold, its fingerprint recorded: added, unchanged, updated,
        or kept when the stored gold is hand-made and not `replace` (then `replaced`, with a backup).
        Without `replace`, hand-made gold with the same content as `gold` is `unchanged` and left as it
        is, line and all (the same decision arriving twice changes nothing)."""
        doc_id = gold.doc_id
        fingerprint = content_fingerprint(gold)
        gold = gold.model_copy(update={"provenance": gold.provenance.model_copy(
            update={"content_sha256": fingerprint})})
        known = self.stored.get(doc_id)
        if (known is not None and known.hand_made and not replace and known.fingerprint == fingerprint
                and known.doc_sha256 == gold.doc_sha256):  # the same decision again: nothing to keep
            return self._say(doc_id, "unchanged", "same", line=known.lines[0])
        if known is not None and known.hand_made and not replace:
            return self.keep(doc_id)
        line = record_line(gold)
        self._spool.seek(0, os.SEEK_END)
        self._new[doc_id] = (self._spool.tell(), len(line))
        self._spool.write(line)
        if known is None:
            return self._say(doc_id, "added", "new")
        if known.hand_made:
            self.replaced.extend(known.lines)
            return self._say(doc_id, "updated", "replaced", "hand-made gold replaced (replace=True); the old "
                             "set is in the backup file", known.lines[0])
        if known.fingerprint == fingerprint and known.doc_sha256 == gold.doc_sha256:
            return self._say(doc_id, "unchanged", "same", line=known.lines[0])
        return self._say(doc_id, "updated", "changed-in-source", line=known.lines[0])

    def remove(self, doc_id: str) -> SetOutcome:
        """Drop the stored gold of `doc_id`; a hand-made one goes to the backup file."""
        known = self.stored[doc_id]
        self._removed.add(doc_id)
        if known.hand_made:
            self.replaced.extend(known.lines)
        return self._say(doc_id, "removed", "replaced" if known.hand_made else "deleted-in-source",
                         line=known.lines[0])

    @property
    def written(self) -> list[str]:
        """Documents given gold by this write, in order."""
        return list(self._new)

    def _line(self, doc_id: str) -> bytes:
        offset, length = self._new[doc_id]
        self._spool.seek(offset)
        data: bytes = self._spool.read(length)
        return data

    @property
    def changes_file(self) -> bool:
        """Whether `gold.jsonl` must be rewritten (a line unchanged byte for byte is rewritten too)."""
        return bool(self._new or self._removed)

    def stage(self, txn: Transaction, backup: Callable[[], Path]) -> None:
        """Stage `gold.jsonl`: each new gold on the line of its document's old gold (other lines of
        that document dropped), removed documents dropped, new documents appended, every other
        line kept byte for byte; and the replaced hand-made lines in `backup()`'s file."""
        path = self.corpus.gold_path
        if self.replaced:
            txn.write_lines(backup(), _lines_at(path, set(self.replaced)))
        if not self.changes_file:
            return
        on_line = {known.lines[0]: doc_id for doc_id, known in self.stored.items() if doc_id in self._new}
        drop = {line for doc_id, known in self.stored.items() if doc_id in self._new for line in known.lines[1:]}
        drop |= {line for doc_id in self._removed for line in self.stored[doc_id].lines}

        def edit(number: int, raw: bytes) -> bytes | None:
            if number in drop:
                return None
            doc_id = on_line.get(number)
            return raw if doc_id is None else self._line(doc_id)

        added: Iterator[bytes] = (self._line(d) for d in list(self._new) if d not in self.stored)
        stage_rewrite(txn, self.corpus.root, path, edit, added)

    def close(self) -> None:
        self._spool.close()
