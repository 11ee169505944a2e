"""`spacy`: a spaCy DocBin per split, with entities, span groups per layer, relations and stance.

Docs hold the tokens and sentences of newsgold.formats.tagging (spaCy's own tokenizer and
sentencizer, cut at every span edge), so every span is exactly a token range and `doc.sents` works.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgold._io import make_folder, write_file
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


SHARD_DOCUMENTS = 1000
"""Documents a DocBin shard holds at most."""
SHARD_TOKENS = 200_000
"""Tokens a DocBin shard holds at most (a shard's memory is about 100 bytes a token, twice that while
it is serialized), unless a single document has more."""


class SpacyFormat:
    """DocBin files: `doc.ents` (outermost entities), `doc.spans[LAYER]`, `doc.user_data['newsgold']`."""

    name = "spacy"
    roles_needed: tuple[str, ...] = ("entity_layer",)
    needs_modules: tuple[str, ...] = ("spacy",)
    version = "3"
    description = "spaCy DocBin with entities, a span group per layer, relations and stance in user_data"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        if importlib.util.find_spec("spacy") is None:  # pragma: no cover - spaCy is a dependency
            raise ExportError("the spacy format needs spaCy: pip install spacy")
        with _msgpack_encoders_found_once():
            return self._write(items, folder, scheme, base)

    def _write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        import spacy
        from spacy.tokens import Doc, DocBin, Span

        entity_names = set(entity_labels(scheme))
        shards: dict[str, _Shards] = {}
        dropped = split_graphemes = 0
        written = Written()
        for item in items:
            split_shards = shards.get(item.split)
            if split_shards is None:
                split_shards = shards[item.split] = _Shards(folder, base if item.split == "all" else item.split,
                                                            item.split, written, lambda: (spacy.blank("xx").vocab,
                                                                                          DocBin(store_user_data=True)))
            vocab = split_shards.vocab
            text = item.document.text
            spans = item.annotations.spans
            tokenized = tokenize_item(item)
            split_graphemes += tokenized.split_graphemes
            words, spaces, starts = _doc_words(text, tokenized.sentences)
            doc = Doc(vocab, words=words, spaces=spaces, sent_starts=list[bool | int | None](starts))

            def to_spans(span) -> list[Span]:  # type: ignore[no-untyped-def]
                """One spaCy span per fragment (the whole span if it has none), each with the
                span's id: spaCy's spans are contiguous, and the gap is not the span's text."""
                made_spans = []
                for start, end in span.pieces:
                    made = doc.char_span(start, end, label=span.label, alignment_mode="strict")
                    if made is None:  # pragma: no cover - tokens are cut at every span boundary
                        raise ExportError(f"{item.record_id}: span {span.id} does not align with tokens")
                    made.id = vocab.strings.add(span.id)
                    made_spans.append(made)
                return made_spans

            entities, lost = outermost([s for s in spans if s.label in entity_names])
            dropped += lost
            doc.ents = [piece for s in entities for piece in to_spans(s)]
            for layer in scheme.layers:
                doc.spans[layer.name] = [piece for s in spans if scheme.layer_of.get(s.label) == layer.name
                                         for piece in to_spans(s)]
            doc.user_data["newsgold"] = {
                "doc_id": item.document.id,
                "annotator": item.annotator,
                "spans": [s.model_dump(mode="json", exclude_none=True) for s in spans],
                "relations": [r.model_dump(mode="json", by_alias=True) for r in item.annotations.relations],
                "stance": dict(item.annotations.stance),
            }
            split_shards.add(doc)
        for split_shards in shards.values():
            split_shards.flush()
        written.details = {"nested_entities_dropped": dropped, "tokens_cut_inside_graphemes": split_graphemes,
                           "span_groups": [layer.name for layer in scheme.layers],
                           "shard_limits": {"documents": SHARD_DOCUMENTS, "tokens": SHARD_TOKENS}}
        return written


@contextlib.contextmanager
def _msgpack_encoders_found_once() -> Iterator[None]:
    """Look srsly's msgpack encoders up once for the whole export, not once a Doc.

    DocBin serializes each Doc's user data and span groups with srsly, whose packer asks catalogue
    for every encoder each time, and catalogue scans the installed packages' entry points on each
    call: a third of the export's time. The encoders the entry points name are registered once
    here and the scan is switched off until the export ends; the encoders used are the same.
    """
    import srsly.msgpack

    registry = srsly.msgpack.msgpack_encoders
    if not registry.entry_points:
        yield
        return
    from_packages = registry.get_entry_points()
    registry.entry_points = False
    registered = registry.get_all()
    for name, encoder in from_packages.items():  # registered as the entry point would load it
        if name not in registered:
            registry.register(name, func=encoder)
    found = registry.get_all()
    registry.get_all = lambda: found  # get_all also walks the whole catalogue registry on each call
    try:
        yield
    finally:
        del registry.get_all
        registry.entry_points = True


class _Shards:
    """The DocBin files of one split: `NAME.spacy` while it fits one shard (SHARD_DOCUMENTS documents,
    SHARD_TOKENS tokens), else the folder `NAME/` of shards `00000.spacy`, `00001.spacy`, ... (spaCy reads either as a
    corpus path). Each shard has a vocabulary of its own, so memory holds one shard, never the export."""

    def __init__(self, folder: Path, name: str, split: str, written: Written,
                 fresh: Callable[[], tuple[Any, Any]]) -> None:
        self.folder, self.name, self.split, self.written, self.fresh = folder, name, split, written, fresh
        self.vocab, self.doc_bin = fresh()
        self.count = self.tokens = 0
        self.shards: list[str] = []

    def add(self, doc: Any) -> None:
        if self.count and (self.count == SHARD_DOCUMENTS or self.tokens + len(doc) > SHARD_TOKENS):
            self.flush()
            self.vocab, self.doc_bin = self.fresh()
        self.doc_bin.add(doc)
        self.count += 1
        self.tokens += len(doc)

    def flush(self) -> None:
        """Write the shard in hand (moving a first shard into the split's folder once a second comes)."""
        if self.count == 0:
            return
        if len(self.shards) == 1:
            make_folder(self.folder / self.name)
            first = f"{self.name}/{0:05d}.spacy"
            (self.folder / self.shards[0]).rename(self.folder / first)
            self.written.files[first] = self.written.files.pop(self.shards[0])
            self.shards[0] = first
        name = f"{self.name}.spacy" if not self.shards else f"{self.name}/{len(self.shards):05d}.spacy"
        # DocBin keeps its strings in a set; sort them so that the file is reproducible.
        self.doc_bin.strings = sorted(self.doc_bin.strings)
        write_file(self.folder / name, self.doc_bin.to_bytes())
        self.written.files[name] = (self.count, self.split)
        self.shards.append(name)
        self.count = self.tokens = 0
