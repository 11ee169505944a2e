"""What an export reads: each gold (or annotation) set joined with its document and its split."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from newsgold.corpus.splits import assign_split
from newsgold.corpus.store import Corpus, DocumentReader
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document

__all__ = ["ExportItem", "iter_items", "Source"]

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


def iter_items(corpus: Corpus, source: Source = "gold",
               shares: Mapping[str, float] | None = None) -> Iterator[ExportItem]:
    """Stream the sets of `source` with their documents; sets of a changed text are skipped.

    The split is `all` without `shares`. Reads each document by seeking to its line.
    """
    index = corpus.document_index()
    sets = corpus.iter_gold() if source == "gold" else corpus.iter_annotation_sets()
    cached: Document | None = None
    with DocumentReader(index) as documents:
        for annotation_set in sets:
            ordinal = index.find(annotation_set.doc_id)
            if ordinal is None or index.sha256_at(ordinal) != annotation_set.doc_sha256:
                continue
            if cached is None or cached.id != annotation_set.doc_id:
                cached = documents.document_at(ordinal, annotation_set.doc_id)
            split = assign_split(cached.id, shares) if shares else "all"
            yield ExportItem(cached, annotation_set, split)
