"""The one way into the corpus: every writer of annotation sets or gold goes through `corpus_write`.

```python
with corpus_write(corpus, "import") as write:
    outcome = write.sets.offer(candidate, "reject")   # one typed outcome per set
    write.gold.put(gold_set)                          # gold: hand-made gold is kept unless replace
```

`corpus_write` holds the corpus lock and one transaction for the whole block: on leaving it the
rewritten `annotations.jsonl` and `gold.jsonl`, the backup of whatever a caller chose to replace,
the pseudonym salt (stored the first time a person is named) and every file the caller staged in
`write.txn` are committed together; an exception, or `abandon()`, leaves every file as it was.
No other module writes `annotations.jsonl` or `gold.jsonl` (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from newsgold._io import Transaction, granting_corpus_write
from newsgold.corpus.lock import corpus_lock, corpus_transaction
from newsgold.corpus.outcomes import Report, SetOutcome
from newsgold.corpus.pseudonyms import Pseudonyms, read_pseudonyms, stage_pseudonyms
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.corpus.write.gold import GoldWriter, is_hand_made
from newsgold.corpus.write.sets import CandidateComment, CandidateSet, Policy, SetWriter

__all__ = ["CandidateComment", "CandidateSet", "CorpusWrite", "GoldWriter", "Policy", "SetWriter",
           "WriteReport", "add_sets", "corpus_write", "is_hand_made", "put_gold"]


class CorpusWrite:
    """One locked write of a corpus: its set writer, its gold writer, its transaction."""

    def __init__(self, corpus: Corpus, txn: Transaction, operation: str) -> None:
        self.corpus = corpus
        self.txn = txn
        self.operation = operation
        self._pseudonyms: Pseudonyms | None = None
        self._salt_needed = False
        self._sets: SetWriter | None = None
        self._gold: GoldWriter | None = None
        self._backup: Path | None = None
        self.abandoned = False

    @property
    def pseudonyms(self) -> Pseudonyms:
        """The corpus's pseudonyms; using them stores the salt with this write if it is not yet."""
        if self._pseudonyms is None:
            self._pseudonyms = read_pseudonyms(self.corpus.state_dir, self.corpus.annotations_path)
        self._salt_needed = True
        return self._pseudonyms

    @property
    def sets(self) -> SetWriter:
        """The writer of `annotations.jsonl` (made, reading the stored sets, when first used)."""
        if self._sets is None:
            self._sets = SetWriter(self.corpus, lambda: self.pseudonyms)
        return self._sets

    @property
    def gold(self) -> GoldWriter:
        """The writer of `gold.jsonl` (made, reading the stored gold, when first used)."""
        if self._gold is None:
            self._gold = GoldWriter(self.corpus)
        return self._gold

    @property
    def outcomes(self) -> list[SetOutcome]:
        """Every outcome of this write, sets first."""
        return (self._sets.outcomes if self._sets else []) + (self._gold.outcomes if self._gold else [])

    @property
    def backup_path(self) -> Path | None:
        """The file that keeps what this write replaced, if it replaced anything."""
        return self._backup

    def _backup_file(self) -> Path:
        if self._backup is None:
            self._backup = self.corpus.replaced_file(self.operation)
        return self._backup

    def abandon(self) -> None:
        """Write nothing: every staged file is discarded when the block ends."""
        self.abandoned = True

    def _stage(self) -> None:
        if self._salt_needed and self._pseudonyms is not None:
            self._pseudonyms = stage_pseudonyms(self.corpus.state_dir, self._pseudonyms, self.txn)
        if self._sets is not None:
            self._sets.stage(self.txn, self._backup_file)
        if self._gold is not None:
            self._gold.stage(self.txn, self._backup_file)

    def _close(self) -> None:
        for writer in (self._sets, self._gold):
            if writer is not None:
                writer.close()


@contextmanager
def corpus_write(corpus: Corpus, operation: str) -> Iterator[CorpusWrite]:
    """Hold the corpus lock and one transaction for a write named `operation` (it names the backup
    file, `.newsgold/replaced/OPERATION-TIME.jsonl`); commit everything on leaving the block, or
    nothing if it raises or `abandon()` was called."""
    check_corpus(corpus)
    with corpus_lock(corpus.root), granting_corpus_write(corpus.root):
        txn = corpus_transaction(corpus.root)
        write = CorpusWrite(corpus, txn, operation)
        try:
            yield write
            if write.abandoned:
                txn.rollback()
            else:
                write._stage()
                txn.commit()
        except BaseException:
            txn.rollback()
            raise
        finally:
            write._close()


@dataclass
class WriteReport(Report):
    """What `add_sets` or `put_gold` did with each set, and where replaced sets were kept."""

    outcomes: list[SetOutcome] = field(default_factory=list)
    backup_path: Path | None = None

    @property
    def ok(self) -> bool:
        """False when a set was refused or left a conflict."""
        return not any(o.status in ("rejected", "conflict") for o in self.outcomes)


def add_sets(corpus: Corpus, sets: Iterable[AnnotationSet | CandidateSet], *, policy: Policy = "reject",
             all_or_nothing: bool = True) -> WriteReport:
    """Add annotation sets to `corpus` through the write path, the way every command does.

    Each set is checked against its document's stored text and the scheme, de-duplicated (the same
    content under the same annotator and document is `unchanged`) and stored by `policy`. With
    `all_or_nothing` (the default) a rejection stores nothing; the outcomes say what and why.
    """
    check_corpus(corpus)
    with corpus_write(corpus, "add") as write:
        index = corpus.document_index()
        for annotation_set in sets:
            if isinstance(annotation_set, AnnotationSet):
                if annotation_set.doc_id not in index:
                    write.sets.outcomes.append(SetOutcome(
                        annotation_set.doc_id, annotation_set.annotator, "rejected", "source",
                        f"no document {annotation_set.doc_id} in the corpus"))
                    continue
                annotation_set = _candidate_of(annotation_set, index.read_text(annotation_set.doc_id))
            write.sets.offer(annotation_set, policy)
        report = WriteReport(list(write.outcomes))
        if all_or_nothing and not report.ok:
            write.abandon()
            report.outcomes = [o for o in report.outcomes if o.status != "added"]
    report.backup_path = None if write.abandoned else write.backup_path
    return report


def put_gold(corpus: Corpus, gold: Iterable[GoldSet], *, replace: bool = False) -> WriteReport:
    """Store gold sets through the write path: each becomes its document's gold, its fingerprint
    recorded; hand-made gold is kept (outcome `kept`, code `hand-made`) unless `replace`, which
    replaces it and keeps it in `backup_path`."""
    check_corpus(corpus)
    with corpus_write(corpus, "gold") as write:
        for gold_set in gold:
            write.gold.put(gold_set, replace=replace)
        report = WriteReport(list(write.outcomes))
    report.backup_path = write.backup_path
    return report


def _candidate_of(annotation_set: AnnotationSet, text: str) -> CandidateSet:
    comments = None if annotation_set.comments is None else [
        CandidateComment(c.author, c.text, c.created_at, c.resolved, c.comment_id) for c in annotation_set.comments]
    return CandidateSet(
        doc_id=annotation_set.doc_id, text=text, annotator=annotation_set.annotator, origin=annotation_set.origin,
        spans=annotation_set.spans, relations=annotation_set.relations, stance=annotation_set.stance,
        attrs=annotation_set.attrs, comments=comments, status=annotation_set.status,
        doc_sha256=annotation_set.doc_sha256, where=f"{annotation_set.doc_id}/{annotation_set.annotator}")
