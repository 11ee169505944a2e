"""`spacy`: a spaCy DocBin per split, with entities, span groups per layer, relations and stance.

Needs the optional extra `spacy` (`pip install 'newsgold[spacy]'`). Docs are built from newsgold's
tokenizer, cut at every span boundary, so every span is exactly a token range.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgold._io import write_file
from newsgold.errors import ExportError
from newsgold.formats.base import Written
from newsgold.formats.ner import _outermost, entity_labels
from newsgold.formats.item import ExportItem
from newsgold.formats.tokenize import tokenize
from newsgold.schemas.scheme import Scheme


def _words_and_spaces(text: str, tokens: list) -> tuple[list[str], list[bool]]:  # type: ignore[type-arg]
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for token in tokens:
        gap = text[position:token.start]
        if gap:
            if gap == " " and words:
                spaces[-1] = True
            else:
                words.append(gap)
                spaces.append(False)
        words.append(token.text)
        spaces.append(False)
        position = token.end
    if position < len(text):
        words.append(text[position:])
        spaces.append(False)
    return words, spaces


class SpacyFormat:
    """DocBin files: `doc.ents` (outermost entities), `doc.spans[LAYER]`, `doc.user_data['newsgold']`."""

    name = "spacy"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "1"
    description = "spaCy DocBin with entities, a span group per layer, relations and stance in user_data"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        try:
            import spacy
            from spacy.tokens import Doc, DocBin, Span
        except ImportError:
            raise ExportError("the spacy format needs spaCy: pip install 'newsgold[spacy]'") from None
        entity_names = set(entity_labels(scheme))
        vocab = spacy.blank("xx").vocab
        bins: dict[str, DocBin] = {}
        counts: dict[str, int] = {}
        dropped = 0
        for item in items:
            text = item.document.text
            spans = item.annotations.spans
            words, spaces = _words_and_spaces(text, tokenize(text, [e for s in spans for e in (s.start, s.end)]))
            doc = Doc(vocab, words=words, spaces=spaces)

            def to_span(span, label: str) -> Span:  # type: ignore[no-untyped-def]
                made = doc.char_span(span.start, span.end, label=label, alignment_mode="strict")
                if made is None:  # pragma: no cover - tokens are cut at every span boundary
                    raise ExportError(f"{item.record_id}: span {span.id} does not align with tokens")
                made.id = vocab.strings.add(span.id)
                return made

            entities, lost = _outermost([s for s in spans if s.label in entity_names])
            dropped += lost
            doc.ents = [to_span(s, s.label) for s in entities]
            for layer in scheme.layers:
                doc.spans[layer.name] = [to_span(s, s.label) for s in spans
                                         if scheme.layer_of.get(s.label) == layer.name]
            doc.user_data["newsgold"] = {
                "doc_id": item.document.id,
                "annotator": item.annotator,
                "spans": [s.model_dump(mode="json", exclude_none=True) for s in spans],
                "relations": [r.model_dump(mode="json", by_alias=True) for r in item.annotations.relations],
                "stance": dict(item.annotations.stance),
            }
            bins.setdefault(item.split, DocBin(store_user_data=True)).add(doc)
            counts[item.split] = counts.get(item.split, 0) + 1
        written = Written(details={"nested_entities_dropped": dropped,
                                   "span_groups": [layer.name for layer in scheme.layers]})
        for split, doc_bin in bins.items():
            # DocBin keeps its strings in a set; sort them so that the file is reproducible.
            doc_bin.strings = sorted(doc_bin.strings)  # type: ignore[assignment]
            name = f"{base if split == 'all' else split}.spacy"
            write_file(folder / name, doc_bin.to_bytes())
            written.files[name] = (counts[split], split)
        return written
