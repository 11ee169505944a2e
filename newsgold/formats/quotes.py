"""`quotes`: one quotation per line, with its speaker, the speaker's entity, cue, form and stance,
the sentence around it and the article's metadata."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgold.formats.base import EncodedItems, agreed_annotators, document_view, relation_targets, span_view
from newsgold.formats.item import ExportItem
from newsgold.formats.tagging import context_view, tokenize_item
from newsgold.schemas.annotation import Span, item_key
from newsgold.schemas.scheme import Scheme

__all__ = ["QuotesFormat", "QuoteLinks"]


class QuoteLinks:
    """The quotes of one item with their speaker, the speaker's entity and cue."""

    def __init__(self, item: ExportItem, scheme: Scheme) -> None:
        roles = scheme.resolved_roles
        content = item.annotations
        spans = {s.id: s for s in content.spans}
        targets = relation_targets(content)
        self.speaker: dict[str, Span | None] = {}
        self.entity: dict[str, Span | None] = {}
        self.cue: dict[str, Span | None] = {}
        for span in content.spans:
            speaker = spans.get(targets.get((roles.attribution or "", span.id), ""))
            self.speaker[span.id] = speaker
            self.entity[span.id] = spans.get(targets.get((roles.reference or "", speaker.id), "")) if speaker else None
            self.cue[span.id] = spans.get(targets.get((roles.cue_link or "", span.id), ""))


class QuotesFormat:
    """Quote attribution data: one QUOTE span per line."""

    name = "quotes"
    roles_needed: tuple[str, ...] = ("quote",)
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
    description = ("one quotation per line: text and offsets, form, speaker, speaker's entity, cue, stance, "
                   "the sentence around it and the article's metadata")
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        roles = scheme.resolved_roles
        quotes = [span for span in item.annotations.spans if span.label == roles.quote]
        if not quotes:
            return
        links = QuoteLinks(item, scheme)
        tokenized = tokenize_item(item)
        document = document_view(item)
        for quote in quotes:
            record: dict[str, Any] = {
                "doc_id": item.document.id,
                "quote_id": quote.id,
                "text": quote.text,
                "start": quote.start,
                "end": quote.end,
                "form": quote.attrs.get(roles.form) if roles.form else None,
                "speaker": span_view(links.speaker[quote.id]),
                "entity": span_view(links.entity[quote.id]),
                "cue": span_view(links.cue[quote.id]),
                "stance": dict(quote.stance),
                "context": context_view(item, tokenized, quote.start, quote.end),
                "document": document,
            }
            if quote.fragments:  # discontinuous: the quote's own words, without the gap
                record["text"] = " ".join(item.document.text[a:b] for a, b in quote.fragments)
                record["fragments"] = [list(f) for f in quote.fragments]
            if item.annotator is not None:
                record["annotator"] = item.annotator
            else:
                record["annotators"] = agreed_annotators(item, item_key("span", quote.id))
            out.add_json(item.split, record)

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {}
