"""`ner-conll` and `ner-hf`: token-level BIO tags of the entity layer, sentence by sentence.

Tokens and sentences come from newsgold.formats.tagging (spaCy's tokenizer and sentencizer, cut at
every span edge); nested entities keep the outermost span (the inner ones are counted in the
manifest as `nested_entities_dropped`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from newsgold.formats.base import EncodedItems
from newsgold.formats.dataset_card import class_label
from newsgold.formats.item import ExportItem
from newsgold.formats.tagging import bio_tags, outermost, tokenize_item
from newsgold.formats.tokenize import Token
from newsgold.schemas.scheme import Scheme

__all__ = ["ConllFormat", "HuggingFaceNerFormat", "tag_names", "tagged_sentences", "DOCUMENT_MARKER"]

DOCUMENT_MARKER = b"-DOCSTART- -X- O O\n\n"
"""CoNLL-2003's document line, as its readers (and spaCy's `convert`) match it: four columns like
every token line. Documents follow in the order of the other exports (ner-hf's `doc_id`)."""

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


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence: tokens with their offsets and BIO tags."""

    tokens: list[Token]
    tags: list[str]


def tagged_sentences(item: ExportItem, scheme: Scheme) -> tuple[list[TaggedSentence], int]:
    """BIO-tag the entity layer of one item; return its sentences and how many nested spans were dropped.

    Tokens and sentences are those of `tokenize_item` (cut at every span edge, no sentence boundary
    inside a span). A discontinuous entity is tagged fragment by fragment, each a B- run of its own.
    """
    labels = set(entity_labels(scheme))
    entities, dropped = outermost([s for s in item.annotations.spans if s.label in labels])
    tokenized = tokenize_item(item)
    tags = bio_tags(tokenized, [(entity.label, a, b) for entity in entities for a, b in entity.pieces])
    out, position = [], 0
    for sentence in tokenized.sentences:
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
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
    description = "CoNLL-2003 style BIO of the entity layer, with token offsets"
    extension = "conll"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        tagged = _tagged(item, scheme, out)
        out.add(item.split, DOCUMENT_MARKER, records=0)
        for sentence in tagged:
            lines = "".join(f"{t.text} {t.start} {t.end} {tag}\n"
                            for t, tag in zip(sentence.tokens, sentence.tags))
            out.add(item.split, (lines + "\n").encode())

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "columns": ["token", "start", "end", "ner_tag"], "tags": tag_names(scheme),
                "document_marker": DOCUMENT_MARKER.decode().strip()}


class HuggingFaceNerFormat:
    """JSONL for Hugging Face `datasets` token classification: tokens and integer ner_tags."""

    name = "ner-hf"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
    description = "JSONL with tokens and ner_tags for Hugging Face datasets token classification"
    extension = "jsonl"

    task_category = "token-classification"
    task_ids = ("named-entity-recognition",)

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        ids = {name: i for i, name in enumerate(tag_names(scheme))}
        annotator = {} if item.annotator is None else {"annotator": item.annotator}
        for number, sentence in enumerate(_tagged(item, scheme, out)):
            out.add_json(item.split, {
                "id": f"{item.record_id}#{number}",
                "doc_id": item.document.id,
                **annotator,
                "tokens": [t.text for t in sentence.tokens],
                "ner_tags": [ids[tag] for tag in sentence.tags],
                "token_offsets": [[t.start, t.end] for t in sentence.tokens],
            })

    def card_features(self, scheme: Scheme, source: str) -> list[dict[str, Any]]:
        return [{"name": "id", "dtype": "string"}, {"name": "doc_id", "dtype": "string"},
                *([{"name": "annotator", "dtype": "string"}] if source == "annotations" else []),
                {"name": "tokens", "list": "string"},
                {"name": "ner_tags", "list": class_label(tag_names(scheme))},
                {"name": "token_offsets", "list": {"list": "int64"}}]

    def card_columns(self, source: str) -> dict[str, str]:
        return {"id": "`DOC_ID#N`: the document and the sentence's number in it"
                      + (" (`DOC_ID/ANNOTATOR#N` for annotators' sets)" if source == "annotations" else ""),
                "doc_id": "the document's id in the corpus",
                **({"annotator": "the annotator's pseudonym"} if source == "annotations" else {}),
                "tokens": "the sentence's tokens, each exactly the document text between its offsets",
                "ner_tags": "BIO tag of each token (ClassLabel; nested entities keep the outermost)",
                "token_offsets": "[start, end) of each token: code points into the document text"}

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "ner_tag_names": tag_names(scheme)}
