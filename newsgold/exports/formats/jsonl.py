"""`jsonl`: the canonical gold, one document per line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgold.exports.formats.base import LineFiles, Written
from newsgold.exports.items import ExportItem
from newsgold.schemas.scheme import Scheme


class JsonlFormat:
    """One document per line: id, text, meta, spans, relations, stance, attrs, provenance."""

    name = "jsonl"
    version = "1"
    description = "the canonical gold, one document per line (text, meta, spans, relations, stance)"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        files = LineFiles(folder, base, "jsonl")
        for item in items:
            annotations = item.annotations.model_dump(mode="json", by_alias=True, exclude_none=True)
            record = {
                "id": item.document.id,
                "text": item.document.text,
                "sha256": item.document.sha256,
                "meta": item.document.meta.model_dump(mode="json", exclude_none=True),
            }
            if item.annotator is not None:
                record["annotator"] = item.annotator
            for key in ("spans", "relations", "stance", "attrs", "provenance"):
                if key in annotations:
                    record[key] = annotations[key]
            files.write_json(item.split, record)
        return files.close()
