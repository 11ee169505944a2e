"""`jsonl`: the canonical gold, one document per line."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from newsgold.formats.base import EncodedItems
from newsgold.formats.item import ExportItem
from newsgold.schemas.scheme import Scheme

_FIELDS = {"spans", "relations", "stance", "attrs", "provenance"}


class JsonlFormat:
    """One document per line: id, text, meta, spans, relations, stance, attrs, provenance."""

    name = "jsonl"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "the canonical gold, one document per line (text, meta, spans, relations, stance)"
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        # Serialized by pydantic's own (Rust) serializer straight to JSON, then spliced: the
        # head object's closing brace gives way to the fields of the annotation set.
        document = item.document
        head = {"id": document.id, "text": document.text, "sha256": document.sha256,
                "meta": orjson.Fragment(document.meta.model_dump_json(exclude_none=True))}
        if item.annotator is not None:
            head["annotator"] = item.annotator
        annotations = item.annotations
        body = annotations.__pydantic_serializer__.to_json(annotations, by_alias=True, exclude_none=True,
                                                          include=_FIELDS)
        out.add(item.split, b"".join((orjson.dumps(head)[:-1], b",", body[1:], b"\n")))

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {}
