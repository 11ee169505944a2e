"""`spacy`: a spaCy DocBin per split, with entities, span groups per layer, relations and stance.

Docs hold the tokens and sentences of newsgold.formats.tagging (spaCy's own tokenizer and
sentencizer, cut at every span edge), so every span is exactly a token range and `doc.sents` works.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsgold._io import write_file
from newsgold.errors import ExportError
from newsgold.formats.base import Written
from newsgold.formats.item import ExportItem
from newsgold.formats.ner import entity_labels
from newsgold.formats.tagging import outermost, tokenize_item
from newsgold.formats.tokenize import Token
from newsgold.schemas.scheme import Scheme


def _doc_words(text: str, sentences: list[list[Token]]) -> tuple[list[str], list[bool], list[bool]]:
    """Words, trailing-space flags and sentence starts of a Doc, with the whitespace between tokens
    cut as spaCy's tokenizer cuts it (one space after a word is its trailing space; any other run is
    a word of its own), so that spaCy reads the same tokens back and `debug data` finds no misalignment."""
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool] = []
    position = 0

    def gap(until: int) -> None:
        between = text[position:until]
        if between[:1] == " " and words and not spaces[-1]:
            spaces[-1] = True
            between = between[1:]
        if between:
            trailing = len(between) > 1 and between.endswith(" ")
            words.append(between[:-1] if trailing else between)
            spaces.append(trailing)
            starts.append(False)

    for sentence in sentences:
        for i, token in enumerate(sentence):
            gap(token.start)
            words.append(token.text)
            spaces.append(False)
            starts.append(i == 0)
            position = token.end
    gap(len(text))
    return words, spaces, starts


class SpacyFormat:
    """DocBin files: `doc.ents` (outermost entities), `doc.spans[LAYER]`, `doc.user_data['newsgold']`."""

    name = "spacy"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
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
        dropped = split_graphemes = 0
        for item in items:
            text = item.document.text
            spans = item.annotations.spans
            tokenized = tokenize_item(item)
            split_graphemes += tokenized.split_graphemes
            words, spaces, starts = _doc_words(text, tokenized.sentences)
            doc = Doc(vocab, words=words, spaces=spaces, sent_starts=list[bool | int | None](starts))

            def to_span(span, label: str) -> Span:  # type: ignore[no-untyped-def]
                made = doc.char_span(span.start, span.end, label=label, alignment_mode="strict")
                if made is None:  # pragma: no cover - tokens are cut at every span boundary
                    raise ExportError(f"{item.record_id}: span {span.id} does not align with tokens")
                made.id = vocab.strings.add(span.id)
                return made

            entities, lost = outermost([s for s in spans if s.label in entity_names])
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
        written = Written(details={"nested_entities_dropped": dropped, "tokens_cut_inside_graphemes": split_graphemes,
                                   "span_groups": [layer.name for layer in scheme.layers]})
        for split, doc_bin in bins.items():
            # DocBin keeps its strings in a set; sort them so that the file is reproducible.
            doc_bin.strings = sorted(doc_bin.strings)  # type: ignore[assignment]
            name = f"{base if split == 'all' else split}.spacy"
            write_file(folder / name, doc_bin.to_bytes())
            written.files[name] = (counts[split], split)
        return written
