"""Annotation sets into the corpus: candidates in, one typed outcome per set, `annotations.jsonl` out.

A reader (a Label Studio export or server, a brat folder, the suggester, a Python caller) turns its
input into `CandidateSet`s. `SetWriter` decides, for each, what it is: new, unchanged (the same
content under the same annotator, whichever way it came), a conflict, refused (its offsets cannot be
proven, it breaks the scheme), or, by the caller's policy, a replacement. It owns the pseudonyms of
the people a source names (`Identity`), the remapping of offsets made on a raw text, the checks and
the de-duplication. Nothing is written until the `CorpusWrite` that holds it commits.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from newsgold._io import Transaction, iter_jsonl_lines
from newsgold.corpus.checks import check_set
from newsgold.corpus.normalize import NormalizedText
from newsgold.corpus.outcomes import OutcomeCode, SetOutcome
from newsgold.corpus.pseudonyms import Identity, Pseudonyms
from newsgold.corpus.reconcile import LocalSet, Reconciler, Reconciliation
from newsgold.corpus.rewrite import by_line, stage_rewrite
from newsgold.corpus.manifest import first_error_text
from newsgold.corpus.records import record_line
from newsgold.corpus.store import Corpus
from newsgold.schemas.document import text_sha256
from newsgold.schemas.annotation import (AnnotationSet, Comment, Origin, Relation, Span, content_fingerprint,
                                         is_annotator_id)

__all__ = ["CandidateComment", "CandidateSet", "Policy", "SetWriter"]

Policy = Literal["reject", "keep", "replace"]
"""What a candidate does to a different set already stored under its annotator and document:
`reject` it (an import: refused, code `differs`), `keep` the stored one (code `exists`), or
`replace` it (the caller asked; the old set goes to the backup file)."""

Who = str | Identity
"""An annotator id as stored, or a person the write path turns into one (a pseudonym)."""


@dataclass(frozen=True)
class CandidateComment:
    """A comment of a candidate set, its author not yet made an annotator id."""

    author: Who
    text: str
    created_at: str | None = None
    resolved: bool = False
    comment_id: int | None = None


@dataclass(frozen=True)
class CandidateSet:
    """One annotator's annotations of one document as a reader made them, before the write path
    decides what they are. Offsets are on `normalized`'s raw text when given, else on `text`."""

    doc_id: str
    text: str
    """The document's stored text."""
    annotator: Who
    origin: Origin
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stance: dict[str, str] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    comments: list[CandidateComment] | None = None
    status: Literal["draft", "submitted", "reviewed"] = "submitted"
    doc_sha256: str | None = None
    """The stored text's sha256 (computed from `text` when not given)."""
    normalized: NormalizedText | None = None
    """The raw text the offsets were made on, when ingest changed it (BOM, CRLF)."""
    where: str = ""
    """Where in the input it came from, for the outcome."""
    item: Any = None
    """The piece of input itself, kept with a rejection."""


class SetWriter:
    """Decides what each candidate set is and stages `annotations.jsonl` (see the module doc).

    Made by `CorpusWrite.sets`, under the corpus lock, inside its transaction.
    """

    def __init__(self, corpus: Corpus, pseudonyms: Callable[[], Pseudonyms]) -> None:
        self.corpus = corpus
        self._pseudonyms = pseudonyms
        self.local: list[LocalSet] = [LocalSet.of(line, s) for line, s in corpus.iter_numbered("annotations")]
        self._by_key = {s.key: s for s in self.local}
        self._by_source: dict[tuple[int | None, int], list[LocalSet]] = {}
        """(task, annotation) ids an origin names -> the sets that came from that annotation."""
        for local_set in self.local:
            _, task_id, annotation_id = local_set.source_ids
            if annotation_id is not None and local_set.source in ("import", "label-studio"):
                self._by_source.setdefault((task_id, annotation_id), []).append(local_set)
        self._new: dict[tuple[str, str], str] = {}
        """Keys of the sets added in this write -> their fingerprints."""
        self._spool = tempfile.TemporaryFile()
        self.updates: dict[int, AnnotationSet] = {}
        self.removals: set[int] = set()
        self.replaced: list[int] = []
        """Lines of the local sets replaced or removed at the caller's request (kept in the backup)."""
        self.outcomes: list[SetOutcome] = []

    # Candidates in -------------------------------------------------------------------------

    def annotator(self, who: Who) -> str:
        """The annotator id of `who` (a person becomes a pseudonym, the salt stored with this write)."""
        return who if isinstance(who, str) else self._pseudonyms().resolve(who)

    def prepare(self, candidate: CandidateSet) -> AnnotationSet | SetOutcome:
        """The set a candidate makes, remapped, proven and checked against the scheme; or the
        outcome (`rejected`) that says why it cannot be stored, recorded in `outcomes`."""
        annotator = self.annotator(candidate.annotator)

        def refuse(code: OutcomeCode, message: str, rule: str | None = None) -> SetOutcome:
            outcome = SetOutcome(candidate.doc_id, annotator, "rejected", code, message, candidate.where,
                                 candidate.origin.task_id, candidate.origin.annotation_id, rule)
            self.outcomes.append(outcome)
            return outcome

        if not is_annotator_id(annotator):
            return refuse("annotator", f"annotator {annotator!r} is not a valid annotator id (letters, "
                          "digits and . _ @ + - only)")
        spans = candidate.spans
        if candidate.normalized is not None and candidate.normalized.changed:
            raw = candidate.normalized
            mapped = []
            for span in spans:
                if not raw.maps_cleanly(span.start, span.end):
                    return refuse("offsets", f"span {span.id} [{span.start},{span.end}) splits a CRLF line "
                                  "break that ingest turns into LF; it cannot be mapped")
                start, end = raw.to_stored(span.start), raw.to_stored(span.end)
                mapped.append(span.model_copy(update={"start": start, "end": end, "text": raw.text[start:end]}))
            spans = mapped
        comments = None if candidate.comments is None else [
            Comment(author=self.annotator(c.author), text=c.text, created_at=c.created_at,
                    resolved=c.resolved, comment_id=c.comment_id) for c in candidate.comments]
        try:
            annotation_set = AnnotationSet(
                doc_id=candidate.doc_id, doc_sha256=candidate.doc_sha256 or text_sha256(candidate.text),
                annotator=annotator, origin=candidate.origin, spans=spans, relations=candidate.relations,
                stance=candidate.stance, attrs=candidate.attrs, comments=comments or None,
                status=candidate.status)
        except ValidationError as exc:
            return refuse("invalid", f"not a valid set ({first_error_text(exc)})")
        findings = check_set(annotation_set, candidate.text, self.corpus.scheme)
        if findings:
            details = "; ".join(f.as_text() for f in findings[:5])
            more = f"; ... and {len(findings) - 5} more" if len(findings) > 5 else ""
            return refuse("scheme", f"breaks the scheme ({details}{more})", findings[0].rule)
        return _fingerprinted(annotation_set)

    def offer(self, candidate: CandidateSet, policy: Policy) -> SetOutcome:
        """Prepare a candidate and store it by `policy` (see `Policy`); its outcome."""
        prepared = self.prepare(candidate)
        if isinstance(prepared, SetOutcome):
            return prepared
        return self.store(prepared, policy, where=candidate.where)

    def store(self, annotation_set: AnnotationSet, policy: Policy, *, where: str = "") -> SetOutcome:
        """Store a prepared set by `policy`: new, unchanged if the same content is there under its
        annotator and document, else as the policy says. Its outcome, recorded in `outcomes`."""
        annotation_set = _fingerprinted(annotation_set)
        key = annotation_set.key
        fingerprint = annotation_set.origin.content_sha256 or ""
        origin = annotation_set.origin

        def say(status: Any, code: OutcomeCode, message: str = "", line: int | None = None) -> SetOutcome:
            outcome = SetOutcome(key[0], key[1], status, code, message, where, origin.task_id,
                                 origin.annotation_id, line=line)
            self.outcomes.append(outcome)
            return outcome

        added = self._new.get(key)
        if added is not None:
            if added == fingerprint:
                return say("unchanged", "same", "the input holds this set twice")
            return say("rejected", "differs", "the input holds two different sets of this annotator for "
                       "this document")
        mine = self._by_key.get(key)
        if mine is None and origin.annotation_id is not None and origin.source in ("import", "label-studio"):
            # The same annotation come another way, under another annotator id (an export that named
            # its annotator by user id): the set it made is that annotation's set.
            mine = next((s for s in self._by_source.get((origin.task_id, origin.annotation_id), ())
                         if s.key[0] == key[0] and _same_project(s.source_ids[0], origin.project_id)), None)
        if mine is None or mine.line in self.removals:
            self._spool.write(record_line(annotation_set))
            self._new[key] = fingerprint
            return say("added", "new")
        if mine.fingerprint == fingerprint and mine.doc_sha256 == annotation_set.doc_sha256:
            return say("unchanged", "same", line=mine.line)
        if policy == "reject":
            return say("rejected", "differs", f"the corpus already has a different set {key[0]}/{key[1]} "
                       f"({self.corpus.annotations_path}:{mine.line})", mine.line)
        if policy == "keep":
            return say("kept", "exists", line=mine.line)
        self.updates[mine.line] = annotation_set
        self.replaced.append(mine.line)
        self._new[key] = fingerprint
        return say("updated", "replaced", line=mine.line)

    # Reconciliation with a source that tracks its annotations (Label Studio) -------------------

    def reconciler(self, project_id: int, replace_local: Callable[[str], bool]) -> Reconciler:
        """A reconciler over the stored sets for one project; hand its outcome to `apply`."""
        return Reconciler(self.local, project_id, str(self.corpus.annotations_path), replace_local=replace_local)

    def apply(self, reconciliation: Reconciliation) -> None:
        """Take a reconciler's outcome as this write's edits."""
        self.updates.update(reconciliation.updates)
        self.removals |= reconciliation.removals
        self.replaced.extend(reconciliation.replaced)
        for annotation_set in reconciliation.additions:
            self._spool.write(record_line(annotation_set))
        self.outcomes.extend(reconciliation.outcomes)

    # Out ------------------------------------------------------------------------------------

    @property
    def changes_file(self) -> bool:
        """Whether `annotations.jsonl` must be rewritten."""
        return bool(self.updates or self.removals or self._spool.tell())

    def stage(self, txn: Transaction, backup: Callable[[], Path]) -> None:
        """Stage the rewritten `annotations.jsonl` (and the replaced lines, in `backup()`'s file)."""
        path = self.corpus.annotations_path
        if self.replaced:
            txn.write_lines(backup(), _lines_at(path, set(self.replaced)))
        if self.changes_file:
            self._spool.seek(0)
            stage_rewrite(txn, self.corpus.root, path, by_line(self.updates, self.removals), self._spool)

    def close(self) -> None:
        self._spool.close()


def _same_project(one: int | None, other: int | None) -> bool:
    """Whether two origins may name the same project (an unknown one may be any)."""
    return one is None or other is None or one == other


def _fingerprinted(annotation_set: AnnotationSet) -> AnnotationSet:
    """The set with the fingerprint of its content in `origin.content_sha256`: a later change of
    its content (by hand, by another tool) shows as a mismatch."""
    fingerprint = content_fingerprint(annotation_set)
    if annotation_set.origin.content_sha256 == fingerprint:
        return annotation_set
    return annotation_set.model_copy(update={"origin": annotation_set.origin.model_copy(
        update={"content_sha256": fingerprint})})


def _lines_at(path: Path, numbers: set[int]) -> Iterator[bytes]:
    """The lines of `path` with the given numbers, byte for byte."""
    for number, _, raw in iter_jsonl_lines(path):
        if number in numbers:
            yield raw if raw.endswith(b"\n") else raw + b"\n"
