"""`quotes`: one quotation per line, with its speaker, the speaker's entity, cue, form and stance."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgold.formats.base import EncodedItems, relation_targets, span_view
from newsgold.formats.item import ExportItem
from newsgold.schemas.scheme import Scheme


class QuotesFormat:
    """Quote attribution data: one QUOTE span per line."""

    name = "quotes"
    roles_needed: tuple[str, ...] = ("quote",)
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "one quotation per line: text and offsets, form, speaker, speaker's entity, cue, stance"
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        roles = scheme.resolved_roles
        content = item.annotations
        spans = {s.id: s for s in content.spans}
        targets = relation_targets(content)
        for quote in content.spans:
            if quote.label != roles.quote:
                continue
            speaker = spans.get(targets.get((roles.attribution or "", quote.id), ""))
            entity = spans.get(targets.get((roles.reference or "", speaker.id), "")) if speaker else None
            cue = spans.get(targets.get((roles.cue_link or "", quote.id), ""))
            record = {
                "doc_id": item.document.id,
                "quote_id": quote.id,
                "text": quote.text,
                "start": quote.start,
                "end": quote.end,
                "form": quote.attrs.get(roles.form) if roles.form else None,
                "speaker": span_view(speaker),
                "entity": span_view(entity),
                "cue": span_view(cue),
                "stance": dict(quote.stance),
            }
            if quote.fragments:  # discontinuous: the quote's own words, without the gap
                record["text"] = " ".join(item.document.text[a:b] for a, b in quote.fragments)
                record["fragments"] = [list(f) for f in quote.fragments]
            if item.annotator is not None:
                record["annotator"] = item.annotator
            out.add_json(item.split, record)

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {}
