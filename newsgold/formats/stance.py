"""`stance`: one (text, target, claim, stance) pair per line, from quotes and from documents, with the
quote's speaker and context and the article's metadata."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgold.schemas.annotation import item_key
from newsgold.formats.base import EncodedItems, agreed_annotators, document_view, span_view
from newsgold.formats.item import ExportItem
from newsgold.formats.quotes import QuoteLinks
from newsgold.formats.tagging import context_view, tokenize_item
from newsgold.schemas.scheme import Scheme

__all__ = ["StanceFormat"]


class StanceFormat:
    """Stance detection pairs."""

    name = "stance"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
    description = ("one (text, target id, target claim, stance) pair per line, from quotes (with speaker and "
                   "context) and documents, with the article's metadata")
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        claims = {t.id: t.claim for t in scheme.stance.targets} if scheme.stance else {}
        stanced = [span for span in item.annotations.spans if span.stance]
        if not stanced and not item.annotations.stance:
            return
        document = document_view(item)

        def who(*keys: str) -> dict[str, Any]:
            if item.annotator is not None:
                return {"annotator": item.annotator}
            return {"annotators": agreed_annotators(item, *keys)}

        if stanced:
            links = QuoteLinks(item, scheme)
            tokenized = tokenize_item(item)
        for span in stanced:
            for target, value in span.stance.items():
                out.add_json(item.split, {
                    "doc_id": item.document.id, "level": "quote", "quote_id": span.id,
                    "text": span.text, "target": target, "claim": claims.get(target), "stance": value,
                    "speaker": span_view(links.speaker[span.id]), "entity": span_view(links.entity[span.id]),
                    "context": context_view(item, tokenized, span.start, span.end), "document": document,
                    **who(item_key("span", span.id, "stance", target), item_key("span", span.id))})
        for target, value in item.annotations.stance.items():
            out.add_json(item.split, {
                "doc_id": item.document.id, "level": "document", "quote_id": None,
                "text": item.document.text, "target": target, "claim": claims.get(target), "stance": value,
                "speaker": None, "entity": None, "context": None, "document": document,
                **who(item_key("stance", target))})

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {}
