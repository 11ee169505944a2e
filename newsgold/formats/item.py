"""What a format writes: one document with one set of annotations, and its split."""

from __future__ import annotations

from dataclasses import dataclass

from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document

__all__ = ["ExportItem"]


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
