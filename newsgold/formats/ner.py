"""`ner-conll` and `ner-hf`: token-level BIO tags of the entity layer, sentence by sentence.

Tokens come from newsgold.formats.tokenize, cut at every entity boundary; nested entities keep
the outermost span (the inner ones are counted in the manifest as `nested_entities_dropped`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from newsgold.formats.base import EncodedItems
from newsgold.formats.item import ExportItem
from newsgold.formats.tokenize import Token, sentences, tokenize
from newsgold.schemas.annotation import Span
from newsgold.schemas.scheme import Scheme

__all__ = ["ConllFormat", "HuggingFaceNerFormat", "tag_names", "tagged_sentences"]

def entity_labels(scheme: Scheme) -> list[str]:
    """Labels of the entity layer (the scheme's `roles.entity_layer`), in scheme order."""
    layer_name = scheme.resolved_roles.entity_layer
    return [label.name for layer in scheme.layers if layer.name == layer_name for label in layer.labels]


def tag_names(scheme: Scheme) -> list[str]:
    """`O`, then `B-X`, `I-X` for each entity label X: index = ner_tags id."""
    names = ["O"]
    for label in entity_labels(scheme):
        names += [f"B-{label}", f"I-{label}"]
    return names


def _outermost(spans: list[Span]) -> tuple[list[Span], int]:
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept, len(spans) - len(kept)


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence: tokens with their offsets and BIO tags."""

    tokens: list[Token]
    tags: list[str]


def tagged_sentences(item: ExportItem, scheme: Scheme) -> tuple[list[TaggedSentence], int]:
    """BIO-tag the entity layer of one item; return its sentences and how many nested spans were dropped."""
    labels = set(entity_labels(scheme))
    entities, dropped = _outermost([s for s in item.annotations.spans if s.label in labels])
    text = item.document.text
    # A discontinuous entity is tagged fragment by fragment, each a B- run of its own: BIO has no
    # way to continue an entity after the gap (the set's JSONL and spaCy exports keep the fragments).
    pieces = [(entity.label, a, b) for entity in entities for a, b in entity.pieces]
    tokens = tokenize(text, [edge for _, a, b in pieces for edge in (a, b)])
    tags = ["O"] * len(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    for label, piece_start, piece_end in pieces:
        i = starts[piece_start]
        tags[i] = f"B-{label}"
        i += 1
        while i < len(tokens) and tokens[i].end <= piece_end:
            tags[i] = f"I-{label}"
            i += 1
    out, position = [], 0
    for sentence in sentences(text, tokens):
        out.append(TaggedSentence(sentence, tags[position:position + len(sentence)]))
        position += len(sentence)
    return out, dropped


def _tagged(item: ExportItem, scheme: Scheme, out: EncodedItems) -> list[TaggedSentence]:
    tagged, dropped = tagged_sentences(item, scheme)
    out.tallies["nested_entities_dropped"] += dropped
    return tagged


class ConllFormat:
    """CoNLL-2003 style: `token start end tag` per line, blank line between sentences."""

    name = "ner-conll"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "CoNLL-2003 style BIO of the entity layer, with token offsets"
    extension = "conll"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        tagged = _tagged(item, scheme, out)
        out.add(item.split, f"-DOCSTART- -1 -1 O {item.record_id}\n\n".encode(), records=0)
        for sentence in tagged:
            lines = "".join(f"{t.text} {t.start} {t.end} {tag}\n"
                            for t, tag in zip(sentence.tokens, sentence.tags))
            out.add(item.split, (lines + "\n").encode())

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "columns": ["token", "start", "end", "ner_tag"], "tags": tag_names(scheme)}


class HuggingFaceNerFormat:
    """JSONL for Hugging Face `datasets` token classification: tokens and integer ner_tags."""

    name = "ner-hf"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "JSONL with tokens and ner_tags for Hugging Face datasets token classification"
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        ids = {name: i for i, name in enumerate(tag_names(scheme))}
        for number, sentence in enumerate(_tagged(item, scheme, out)):
            out.add_json(item.split, {
                "id": f"{item.record_id}#{number}",
                "doc_id": item.document.id,
                "tokens": [t.text for t in sentence.tokens],
                "ner_tags": [ids[tag] for tag in sentence.tags],
                "token_offsets": [[t.start, t.end] for t in sentence.tokens],
            })

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "ner_tag_names": tag_names(scheme)}
