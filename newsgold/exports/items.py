"""What an export reads: each gold (or annotation) set joined with its document and its split."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from newsgold._parallel import ByteRange, RangeLines, byte_ranges, line_in_file
from newsgold.corpus.splits import assign_split
from newsgold.corpus.store import Corpus, DocumentIndex, DocumentReader, first_error_text
from newsgold.errors import InvalidRecordError
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document

__all__ = ["ExportItem", "Source", "iter_items", "iter_range_items", "source_path"]

Source = Literal["gold", "annotations"]


@dataclass(frozen=True)
class ExportItem:
    """One document with one set of annotations, and the split it belongs to."""

    document: Document
    annotations: GoldSet | AnnotationSet
    split: str

    @property
    def annotator(self) -> str | None:
        """The annotator of a raw set; None for gold."""
        return self.annotations.annotator if isinstance(self.annotations, AnnotationSet) else None

    @property
    def record_id(self) -> str:
        """doc_id for gold, doc_id/annotator for raw sets."""
        return self.document.id if self.annotator is None else f"{self.document.id}/{self.annotator}"


def iter_items(corpus: Corpus, source: Source = "gold", shares: Mapping[str, float] | None = None,
               index: DocumentIndex | None = None) -> Iterator[ExportItem]:
    """Stream the sets of `source` with their documents; sets of a changed text are skipped.

    The split is `all` without `shares`. Reads each document by one positioned read of its line,
    through `index` (built here when not given).
    """
    index = index if index is not None else corpus.document_index()
    path = source_path(corpus, source)
    if not path.is_file():
        return
    for byte_range in byte_ranges(path):
        yield from iter_range_items(index, byte_range, source, shares)


def source_path(corpus: Corpus, source: Source) -> Path:
    """The file the sets of `source` are read from."""
    return corpus.gold_path if source == "gold" else corpus.annotations_path


def iter_range_items(index: DocumentIndex, byte_range: ByteRange, source: Source,
                     shares: Mapping[str, float] | None) -> Iterator[ExportItem]:
    """The items of the sets in one byte range of the `source` file (see `iter_items`)."""
    model: type[GoldSet] | type[AnnotationSet] = GoldSet if source == "gold" else AnnotationSet
    validate_json = model.model_validate_json
    cached: Document | None = None
    with DocumentReader(index) as documents:
        for number, _, raw in RangeLines(byte_range):
            try:
                annotation_set = validate_json(raw)
            except ValidationError as exc:
                raise InvalidRecordError(byte_range.path, line_in_file(byte_range, number),
                                         first_error_text(exc)) from None
            ordinal = index.find(annotation_set.doc_id)
            if ordinal is None or index.sha256_at(ordinal) != annotation_set.doc_sha256:
                continue
            if cached is None or cached.id != annotation_set.doc_id:
                cached = documents.document_at(ordinal, annotation_set.doc_id)
            split = assign_split(cached.id, shares) if shares else "all"
            yield ExportItem(cached, annotation_set, split)
