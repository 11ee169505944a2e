"""`attribution-hf` and `attribution-conll`: token tags of quotes, speakers and cues, with their links.

What quote attribution models (PARC- and PolNeAR-style) train on. Quotes, speakers and cues overlap
entities (and each other), so each role has a tag layer of its own, beside the entity layer:

- `attribution-hf`: one JSONL row per document (a set: raw exports have one per annotator), with
  `tokens`, `token_offsets`, `sentence_starts`, the tag layers `ner_tags`, `quote_tags`,
  `nested_quote_tags`, `speaker_tags`, `cue_tags` (integers, named in the dataset card and the
  manifest) and `quotes`: per quote its token ranges, form, speaker, the speaker's entity, cue and stance.
- `attribution-conll`: `token start end entity quote nested_quote speaker cue` per line. A quote's tags carry its
  id (`B-QUOTE-s12`); a speaker's and a cue's carry the ids of the quotes they belong to
  (`B-SPEAKER-s12|s14`), as PARC ties content, source and cue by one attribution id.

Tokens and sentences are those of newsgold.formats.tagging: every span is a run of tokens in one
sentence. A quote inside another (a nested report: "X said his agency has information that ...")
is tagged in the `nested_quote` layer; a quote nested deeper keeps its entry in `quotes` and is
counted as `nested_quotes_dropped` from the tags. A discontinuous span is tagged
fragment by fragment and lists one token range per fragment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from newsgold.formats.base import EncodedItems
from newsgold.formats.dataset_card import class_label
from newsgold.formats.item import ExportItem
from newsgold.formats.ner import entity_labels, tag_names
from newsgold.formats.quotes import QuoteLinks
from newsgold.formats.tagging import TokenizedItem, bio_tags, outermost, tokenize_item
from newsgold.schemas.annotation import Span
from newsgold.schemas.scheme import Scheme

__all__ = ["AttributionHfFormat", "AttributionConllFormat", "role_tag_names", "CONLL_COLUMNS"]

CONLL_COLUMNS = ["token", "start", "end", "entity", "quote", "nested_quote", "speaker", "cue"]
CONLL_DOCUMENT_MARKER = b"-DOCSTART- -X- -X- O O O O O\n\n"


def role_tag_names(label: str) -> list[str]:
    """`O`, `B-LABEL`, `I-LABEL`: index = tag id of one role layer."""
    return ["O", f"B-{label}", f"I-{label}"]


def _pieces(spans: list[Span], label: str | None = None) -> list[tuple[str, int, int]]:
    return [(label or span.label, a, b) for span in spans for a, b in span.pieces]


class _Attribution:
    """One item's spans in their roles, and the layers of tags over its tokens."""

    def __init__(self, item: ExportItem, scheme: Scheme) -> None:
        roles = scheme.resolved_roles
        content = item.annotations
        self.roles = roles
        self.tokenized: TokenizedItem = tokenize_item(item)
        self.quotes = [s for s in content.spans if s.label == roles.quote]
        links = QuoteLinks(item, scheme)  # the quotes export's own links: speaker, its entity, cue
        self.speaker_of = {q.id: links.speaker[q.id] for q in self.quotes}
        self.cue_of = {q.id: links.cue[q.id] for q in self.quotes}
        self.entity_of = {q.id: links.entity[q.id] for q in self.quotes}
        labels = set(entity_labels(scheme))
        self.entities, self.nested_entities = outermost([s for s in content.spans if s.label in labels])
        self.outer_quotes, _ = outermost(self.quotes)
        outer_ids = {q.id for q in self.outer_quotes}
        self.inner_quotes, self.nested_quotes = outermost([q for q in self.quotes if q.id not in outer_ids])
        self.speakers, _ = outermost(list({s.id: s for s in self.speaker_of.values() if s}.values()))
        self.cues, _ = outermost(list({s.id: s for s in self.cue_of.values() if s}.values()))

    @classmethod
    def tallied(cls, item: ExportItem, scheme: Scheme, out: EncodedItems) -> _Attribution:
        """The item's attribution, its dropped nested spans counted in `out`."""
        made = cls(item, scheme)
        out.tallies["nested_entities_dropped"] += made.nested_entities
        out.tallies["nested_quotes_dropped"] += made.nested_quotes
        return made

    def token_ranges(self, span: Span) -> list[list[int]]:
        return [list(self.tokenized.token_range(a, b)) for a, b in span.pieces]

    def view(self, span: Span | None, *, label: bool = False) -> dict[str, Any] | None:
        if span is None:
            return None
        view: dict[str, Any] = {"id": span.id, "text": span.text, "start": span.start, "end": span.end,
                                "token_ranges": self.token_ranges(span)}
        if label:
            view["label"] = span.label
        return view


def _tag_columns(scheme: Scheme) -> dict[str, list[str]]:
    """The tag columns of attribution-hf, each with its tag names (ClassLabel order)."""
    roles = scheme.resolved_roles
    return {"ner_tags": tag_names(scheme),
            "quote_tags": role_tag_names(roles.quote or ""),
            "nested_quote_tags": role_tag_names(roles.quote or ""),
            "speaker_tags": role_tag_names(roles.speaker or ""),
            "cue_tags": role_tag_names(roles.cue or "")}


class AttributionHfFormat:
    """JSONL for Hugging Face `datasets`: a row per document with tag layers and linked quotes."""

    name = "attribution-hf"
    roles_needed: tuple[str, ...] = ("quote", "speaker", "cue", "attribution", "entity_layer")
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "2"
    description = "JSONL rows of tokens with quote, speaker, cue and entity tags and each quote's links, for datasets"
    extension = "jsonl"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        made = _Attribution.tallied(item, scheme, out)
        roles, tokenized = made.roles, made.tokenized
        spans = {"ner_tags": made.entities, "quote_tags": made.outer_quotes,
                 "nested_quote_tags": made.inner_quotes, "speaker_tags": made.speakers, "cue_tags": made.cues}
        layers = {column: (names, _pieces(spans[column])) for column, names in _tag_columns(scheme).items()}
        row: dict[str, Any] = {"id": item.record_id, "doc_id": item.document.id}
        if item.annotator is not None:
            row["annotator"] = item.annotator
        row["tokens"] = [t.text for t in tokenized.tokens]
        row["token_offsets"] = [[t.start, t.end] for t in tokenized.tokens]
        row["sentence_starts"] = tokenized.sentence_starts
        for column, (names, pieces) in layers.items():
            ids = {name: i for i, name in enumerate(names)}
            row[column] = [ids[tag] for tag in bio_tags(tokenized, pieces)]
        row["quotes"] = [{
            "quote_id": quote.id,
            "text": " ".join(item.document.text[a:b] for a, b in quote.pieces),  # a discontinuous quote's own words
            "start": quote.start,
            "end": quote.end,
            "token_ranges": made.token_ranges(quote),
            "form": quote.attrs.get(roles.form) if roles.form else None,
            "speaker": made.view(made.speaker_of[quote.id]),
            "entity": made.view(made.entity_of[quote.id], label=True),
            "cue": made.view(made.cue_of[quote.id]),
            "stance": [{"target": target, "stance": value} for target, value in sorted(quote.stance.items())],
        } for quote in made.quotes]
        out.add_json(item.split, row)

    task_category = "token-classification"
    task_ids = ("named-entity-recognition",)

    def card_features(self, scheme: Scheme, source: str) -> list[dict[str, Any]]:
        ranges = {"name": "token_ranges", "list": {"list": "int64"}}
        mention = [{"name": "id", "dtype": "string"}, {"name": "text", "dtype": "string"},
                   {"name": "start", "dtype": "int64"}, {"name": "end", "dtype": "int64"}, ranges]
        return [{"name": "id", "dtype": "string"}, {"name": "doc_id", "dtype": "string"},
                *([{"name": "annotator", "dtype": "string"}] if source == "annotations" else []),
                {"name": "tokens", "list": "string"},
                {"name": "token_offsets", "list": {"list": "int64"}},
                {"name": "sentence_starts", "list": "int64"},
                *({"name": column, "list": class_label(names)} for column, names in _tag_columns(scheme).items()),
                {"name": "quotes", "list": [
                    {"name": "quote_id", "dtype": "string"}, {"name": "text", "dtype": "string"},
                    {"name": "start", "dtype": "int64"}, {"name": "end", "dtype": "int64"}, ranges,
                    {"name": "form", "dtype": "string"},
                    {"name": "speaker", "struct": mention},
                    {"name": "entity", "struct": [*mention, {"name": "label", "dtype": "string"}]},
                    {"name": "cue", "struct": mention},
                    {"name": "stance", "list": [{"name": "target", "dtype": "string"},
                                                {"name": "stance", "dtype": "string"}]}]}]

    def card_columns(self, source: str) -> dict[str, str]:
        return {"id": "the document's id" + ("/ANNOTATOR for annotators' sets" if source == "annotations" else ""),
                "doc_id": "the document's id in the corpus",
                **({"annotator": "the annotator's pseudonym"} if source == "annotations" else {}),
                "tokens": "every token of the document, each exactly the text between its offsets",
                "token_offsets": "[start, end) of each token: code points into the document text",
                "sentence_starts": "index of the first token of each sentence",
                "ner_tags": "entity BIO tag of each token (outermost entity)",
                "quote_tags": "QUOTE BIO tag of each token (outermost quote)",
                "nested_quote_tags": "QUOTE BIO tag of each token for quotes inside another (a nested report)",
                "speaker_tags": "SPEAKER BIO tag of each token (speakers of quotes)",
                "cue_tags": "CUE BIO tag of each token (cues of quotes)",
                "quotes": "per quote: id, text, offsets, token_ranges (one [first, last) per fragment), form, "
                          "speaker, the speaker's entity, cue (each with offsets and token ranges, or null) "
                          "and stance toward each target"}

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "nested_quotes_dropped": tallies["nested_quotes_dropped"],
                "tag_names": _tag_columns(scheme)}


class AttributionConllFormat:
    """CoNLL-style columns: token, offsets, entity BIO, and quote, speaker and cue BIO tied by quote ids."""

    name = "attribution-conll"
    roles_needed: tuple[str, ...] = ("quote", "speaker", "cue", "attribution", "entity_layer")
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "1"
    description = "CoNLL columns token, start, end, entity, quote, speaker, cue; role tags carry quote ids"
    extension = "conll"

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        made = _Attribution.tallied(item, scheme, out)
        roles, tokenized = made.roles, made.tokenized
        quotes_of: dict[str, list[str]] = defaultdict(list)  # speaker or cue id -> its quotes' ids
        for quote in made.quotes:
            for linked in (made.speaker_of[quote.id], made.cue_of[quote.id]):
                if linked is not None:
                    quotes_of[linked.id].append(quote.id)
        columns = [
            bio_tags(tokenized, _pieces(made.entities)),
            bio_tags(tokenized, [(f"{roles.quote}-{q.id}", a, b) for q in made.outer_quotes for a, b in q.pieces]),
            bio_tags(tokenized, [(f"{roles.quote}-{q.id}", a, b) for q in made.inner_quotes for a, b in q.pieces]),
            bio_tags(tokenized, [(f"{roles.speaker}-{'|'.join(quotes_of[s.id])}", a, b)
                                 for s in made.speakers for a, b in s.pieces]),
            bio_tags(tokenized, [(f"{roles.cue}-{'|'.join(quotes_of[c.id])}", a, b)
                                 for c in made.cues for a, b in c.pieces]),
        ]
        out.add(item.split, CONLL_DOCUMENT_MARKER, records=0)
        position = 0
        for sentence in tokenized.sentences:
            lines = []
            for token in sentence:
                tags = " ".join(column[position] for column in columns)
                lines.append(f"{token.text} {token.start} {token.end} {tags}\n")
                position += 1
            out.add(item.split, ("".join(lines) + "\n").encode())

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        return {"nested_entities_dropped": tallies["nested_entities_dropped"],
                "nested_quotes_dropped": tallies["nested_quotes_dropped"],
                "columns": CONLL_COLUMNS,
                "document_marker": CONLL_DOCUMENT_MARKER.decode().strip()}
