"""`jsonl`: the canonical gold, one document per line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from newsgold.exports.formats.base import LineFiles, Written
from newsgold.exports.items import ExportItem
from newsgold.schemas.scheme import Scheme


_FIELDS = {"spans", "relations", "stance", "attrs", "provenance"}


class JsonlFormat:
    """One document per line: id, text, meta, spans, relations, stance, attrs, provenance."""

    name = "jsonl"
    version = "1"
    description = "the canonical gold, one document per line (text, meta, spans, relations, stance)"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        files = LineFiles(folder, base, "jsonl")
        for item in items:
            # Serialized by pydantic's own (Rust) serializer straight to JSON, then spliced: the
            # head object's closing brace gives way to the fields of the annotation set.
            head = {"id": item.document.id, "text": item.document.text, "sha256": item.document.sha256,
                    "meta": orjson.Fragment(item.document.meta.model_dump_json(exclude_none=True))}
            if item.annotator is not None:
                head["annotator"] = item.annotator
            body = item.annotations.model_dump_json(by_alias=True, exclude_none=True, include=_FIELDS)
            files.handle(item.split).write(orjson.dumps(head)[:-1] + b"," + body[1:].encode() + b"\n")
            files.count(item.split)
        return files.close()
