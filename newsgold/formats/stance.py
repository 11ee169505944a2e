"""`stance`: one (text, target, claim, stance) pair per line, from quotes and from documents."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgold.formats.base import EncodedItems
from newsgold.formats.item import ExportItem
from newsgold.schemas.scheme import Scheme


class StanceFormat:
    """Stance detection pairs."""

    name = "stance"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "one (text, target id, target claim, stance) pair per line, from quotes and documents"
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        claims = {t.id: t.claim for t in scheme.stance.targets} if scheme.stance else {}
        extra = {"annotator": item.annotator} if item.annotator is not None else {}
        for span in item.annotations.spans:
            for target, value in span.stance.items():
                out.add_json(item.split, {
                    "doc_id": item.document.id, "level": "quote", "quote_id": span.id,
                    "text": span.text, "target": target, "claim": claims.get(target),
                    "stance": value, **extra})
        for target, value in item.annotations.stance.items():
            out.add_json(item.split, {
                "doc_id": item.document.id, "level": "document", "quote_id": None,
                "text": item.document.text, "target": target, "claim": claims.get(target),
                "stance": value, **extra})

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {}
