"""What every reader of annotations gives the write path: documents, candidate sets, and a log.

A reader (a Label Studio export, a brat folder) yields, piece by piece, the document of each piece
of its input (None when it has no usable one) and the candidate sets it made of it. What it cannot
turn into either it writes into its `ReadLog`, with the piece itself, so that nothing is skipped in
silence; the import decides what to do with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from newsgold.corpus.outcomes import Notice
from newsgold.corpus.ingest import extract_title
from newsgold.corpus.normalize import NormalizedText, normalize_text
from newsgold.corpus.write import CandidateSet
from newsgold.errors import ImportFormatError
from newsgold.schemas.document import Document, DocumentMeta, IngestSource

__all__ = ["Piece", "ReadLog", "Refused", "document_from_raw"]

Piece = tuple[Document | None, list[CandidateSet]]
"""What one piece of the input (a task, an .ann file) holds: its document, if usable, and its sets."""


@dataclass(frozen=True)
class Refused:
    """A piece of the input a reader could not use: where it was, why, and the piece itself."""

    where: str
    reason: str
    item: Any


@dataclass
class ReadLog:
    """What a reader could not use (`refused`), left out on purpose (`skipped`: drafts, predictions
    not asked for), stored without (`lost`: brat lines accepted as lost; `dropped`: spans a
    mapping chose not to store), or stored other than written (`normalized`)."""

    refused: list[Refused] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    lost: list[Notice] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    """Spans a mapping chose not to store, by their label in the input (an event trigger, a flag)."""
    normalized: list[Notice] = field(default_factory=list)
    """Everything stored other than written (brat fragments reordered or joined), by file and line."""

    def refuse(self, where: str, reason: str, item: Any) -> None:
        """Record a piece of the input that cannot be stored."""
        self.refused.append(Refused(where, reason, item))


def document_from_raw(doc_id: str, raw_text: str, source: IngestSource,
                      title: str | None) -> tuple[Document, NormalizedText]:
    """The document a raw text makes (normalized as at ingest, title found as ingest finds it),
    and the normalization, to map offsets made on the raw text. ImportFormatError for a bad id."""
    normalized = normalize_text(raw_text)
    extracted_title, section = extract_title(normalized.text)
    meta = DocumentMeta(title=title or extracted_title, section=section, ingested_from=source)
    try:
        return Document.from_text(doc_id, normalized.text, meta), normalized
    except ValidationError as exc:
        raise ImportFormatError(f"{source.path}: document id {doc_id!r}: {exc.errors()[0]['msg']}") from None
