"""Tokens and sentences of the token-level exports (ner-conll, ner-hf, attribution, spacy).

The words and sentences come from spaCy's rule-based tokenizer and its `sentencizer` (no trained
model: `spacy.blank(language)`), chosen for its abbreviation and URL rules, its speed (faster than
the regular expressions it replaces) and because the `spacy` export then holds the tokens spaCy
itself would make. See docs/formats.md, "Tokens and sentences", for the measurements.

Whatever the library says, these invariants hold afterwards (tests/test_tokenize.py):

- every token is exactly `text[start:end]`, never empty, never holding whitespace;
- tokens are cut at every offset in `cuts` (span boundaries), so every span is a token range;
- no token boundary falls inside a grapheme cluster (an emoji with its joiners, a letter with its
  combining marks, a flag), except at a cut: a span boundary wins, and `Segmentation.split_graphemes`
  counts those;
- sentences end at every line break (a paragraph, and a line of its own: a breadcrumb, a headline, a
  byline) and where the sentencizer ends one, but never inside an extent in `keep_together` (an
  annotated span, so a quote or a name is never split across sentences);
- an opening quotation mark or bracket (“ ‘ « „ ( [, and a straight " or ' written against the word
  after it but apart from the word before) belongs to the sentence it opens, a closing one to the
  sentence it closes: spaCy's sentencizer leaves the opening mark of the next sentence at the end of
  the one before.

Offsets are code points into the document text, half-open.

spaCy's tokenizer strips prefixes and suffixes one at a time from each run without whitespace, in
time that grows with the square of the run (16,000 quote marks: half a minute). A run of
`MAX_RUN` code points or more, which no word of a news text is, is therefore tokenized in pieces of
`MAX_RUN`, so segmentation takes time in proportion to the text whatever it holds.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import regex

__all__ = ["Token", "Segmentation", "segment", "tokenize", "TITLES"]

TITLES = ("Lt.", "Col.", "Capt.", "Maj.", "Sgt.", "Adm.", "Brig.", "Cpl.", "Pvt.", "Cmdr.", "Gen.", "Gov.",
          "Sen.", "Rep.", "Prof.", "Rev.", "Hon.", "Pres.", "Supt.", "Insp.", "Amb.", "Atty.", "Sec.", "Mr.",
          "Mrs.", "Ms.", "Dr.", "St.", "Mt.", "Ft.", "Sr.", "Jr.", "Gens.", "Reps.", "Sens.")
"""Titles and name abbreviations kept whole (so their period ends no sentence), beyond spaCy's own list."""

_LINE_BREAK = regex.compile(r"\n")
_GRAPHEME = regex.compile(r"\X")
_JOINS = regex.compile(r"[^\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}"
                       r"\p{Grapheme_Cluster_Break=LF}]")
"""A code point that may join a cluster of several (a mark, a joiner, a flag half, Hangul jamo, ...):
a text without one has no cluster of more than one code point (CR LF aside, which ingest removes)."""
_SPACE = regex.compile(r"\s")
_ODD_SPACE = regex.compile(r"[^\S \n]")
"""Whitespace other than spaces and line breaks, which spaCy's words may hold."""
_NOT_SPACE = regex.compile(r"\S+")


class Token(NamedTuple):
    """A token and its code point offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Segmentation:
    """A text cut into sentences of tokens."""

    sentences: list[list[Token]]
    split_graphemes: int = 0
    """Cuts (span boundaries) that had to fall inside a grapheme cluster."""

    @property
    def tokens(self) -> list[Token]:
        """Every token, in text order."""
        return [token for sentence in self.sentences for token in sentence]


@functools.lru_cache(maxsize=16)
def _pipeline(language: str) -> Any:
    import spacy

    try:
        nlp = spacy.blank(language)
    except Exception:  # an unknown code, or a language whose tokenizer needs another package
        nlp = spacy.blank("en" if language.startswith("en") else "xx")
    if nlp.lang == "en":
        tokenizer: Any = nlp.tokenizer
        for title in TITLES:
            tokenizer.add_special_case(title, [{"ORTH": title}])
    nlp.add_pipe("sentencizer")
    # spaCy refuses texts over 1,000,000 characters to spare the memory of a parser or tagger; the
    # tokenizer and sentencizer, all that runs here, need none beyond the tokens.
    nlp.max_length = 1 << 62
    return nlp


MAX_RUN = 256
"""Runs without whitespace at least this long are tokenized in pieces of this length (see the module)."""

_LONG_RUN = regex.compile(r"\S{%d,}" % MAX_RUN)


def _parse(nlp: Any, text: str) -> Any:
    """spaCy's Doc of `text`, each run of `MAX_RUN` or more characters without whitespace tokenized in
    pieces of `MAX_RUN` (see the module docstring); the same Doc as `nlp(text)` when there is none."""
    if _LONG_RUN.search(text) is None:
        return nlp(text)
    from spacy.tokens import Doc

    pieces: list[Any] = []
    position = 0
    for match in _LONG_RUN.finditer(text):
        if match.start() > position:
            pieces.append(nlp.tokenizer(text[position:match.start()]))
        pieces.extend(nlp.tokenizer(text[cut:min(cut + MAX_RUN, match.end())])
                      for cut in range(match.start(), match.end(), MAX_RUN))
        position = match.end()
    if position < len(text):
        pieces.append(nlp.tokenizer(text[position:]))
    doc = Doc.from_docs(pieces, ensure_whitespace=False)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _language(language: str | None) -> str:
    return (language or "en").split("-")[0].lower() or "en"


def _grapheme_edges(text: str) -> set[int] | None:
    """Offsets inside grapheme clusters (None when every code point is its own cluster)."""
    if text.isascii() or not _JOINS.search(text):
        return None
    inside: set[int] = set()
    for match in _GRAPHEME.finditer(text):
        start, end = match.span()
        if end - start > 1:
            inside.update(range(start + 1, end))
    return inside or None


def segment(text: str, cuts: Iterable[int] = (), keep_together: Iterable[tuple[int, int]] = (),
            language: str | None = None) -> Segmentation:
    """Cut `text` into sentences of tokens (see the module docstring for the invariants).

    `cuts`: offsets that must be token boundaries; `keep_together`: (start, end) extents no sentence
    boundary may fall inside; `language`: the document's BCP 47 tag (English when unknown).
    """
    doc = _parse(_pipeline(_language(language)), text)
    inside = _grapheme_edges(text)
    # Words from spaCy, whitespace dropped, then merged where spaCy cut inside a grapheme cluster.
    # The words are read as arrays (offset, length, whitespace?, sentence start?), not as Token objects.
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    spans: list[list[int]] = []
    starts: list[bool] = []
    odd_spaces = _ODD_SPACE.search(text) is not None
    pending_start = False  # a sentence the sentencizer starts on whitespace starts at the next word
    for idx, length, is_space, sent_start in doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist():
        if is_space:
            pending_start = pending_start or sent_start == 1
            continue
        sentence_start = pending_start or sent_start == 1
        pending_start = False
        word = text[idx:idx + length]
        if odd_spaces and _SPACE.search(word):  # spaCy splits at spaces only: a no-break space stays inside
            parts = [(idx + m.start(), idx + m.end()) for m in _NOT_SPACE.finditer(word)]
        else:
            parts = [(idx, idx + length)]
        for start, end in parts:
            if inside is not None and spans and spans[-1][1] == start and start in inside:
                spans[-1][1] = end
                continue
            spans.append([start, end])
            starts.append(sentence_start)
            sentence_start = False
    # Cuts at span boundaries.
    cut_list = sorted(set(cuts))
    pieces: list[tuple[int, int, bool]] = []
    split_graphemes = 0
    c, count = 0, len(cut_list)
    for (start, end), sentence_start in zip(spans, starts):
        while c < count and cut_list[c] <= start:
            c += 1
        left = start
        while c < count and cut_list[c] < end:
            if inside is not None and cut_list[c] in inside:
                split_graphemes += 1
            pieces.append((left, cut_list[c], sentence_start and left == start))
            left = cut_list[c]
            c += 1
        pieces.append((left, end, sentence_start and left == start))
    # Sentence starts: the sentencizer's, moved back over the opening marks it left at the end of the
    # sentence before, and the first word of every line; none inside an extent.
    opening = _with_opening_marks(text, pieces)
    line_starts = [m.end() for m in _LINE_BREAK.finditer(text)]
    blocked = _blocked(keep_together)
    sentences: list[list[Token]] = []
    current: list[Token] = []
    p = 0
    for number, (start, end, _) in enumerate(pieces):
        new_line = False
        while p < len(line_starts) and line_starts[p] <= start:
            new_line = True
            p += 1
        if current and (opening[number] or new_line) and not _inside(blocked, start):
            sentences.append(current)
            current = []
        current.append(Token(text[start:end], start, end))
    if current:
        sentences.append(current)
    return Segmentation(sentences, split_graphemes)


def _opens(text: str, pieces: Sequence[tuple[int, int, bool]], k: int) -> bool:
    """Whether piece `k` is an opening mark. The same marks open in one language and close in
    another (“ opens English and closes German), so where a mark stands decides: apart from the
    word before it and against the word after it, it opens; against the word before, it closes;
    apart from both (French « »), it opens if Unicode calls it initial or open punctuation."""
    start, end, _ = pieces[k]
    if end - start != 1 or k + 1 >= len(pieces) or not _is_mark(text[start]):
        return False
    if k > 0 and pieces[k - 1][1] == start:
        return False  # written against the word before: it closes (German „...“, the troops’)
    if pieces[k + 1][0] == end:
        return True  # apart from the word before, against the word after: it opens
    return unicodedata.category(text[start]) in ("Pi", "Ps")  # apart from both: « as French writes it


def _is_mark(character: str) -> bool:
    """A quotation mark or a bracket: Unicode's initial, final, open and close punctuation, and the
    straight quotes."""
    return character in "\"'" or unicodedata.category(character) in ("Pi", "Pf", "Ps", "Pe")


def _with_opening_marks(text: str, pieces: Sequence[tuple[int, int, bool]]) -> list[bool]:
    """The sentencizer's sentence starts, each moved back over the opening marks before it: spaCy
    ends a sentence after the mark that opens the next (`bill . “` / `We have ...`)."""
    starts = [sentence_start for _, _, sentence_start in pieces]
    for number in range(1, len(pieces)):
        if not starts[number]:
            continue
        first = number
        while first - 1 > 0 and not starts[first - 1] and _opens(text, pieces, first - 1):
            first -= 1
        if first != number:
            starts[number], starts[first] = False, True
    return starts


def tokenize(text: str, cuts: Iterable[int] = (), language: str | None = None) -> list[Token]:
    """The tokens of `text`, cut at every offset in `cuts` (see `segment`)."""
    return segment(text, cuts, (), language).tokens


def _blocked(extents: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged (start, end) extents, sorted: a sentence may not start strictly inside one."""
    merged: list[list[int]] = []
    for start, end in sorted(extents):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _inside(blocked: Sequence[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(blocked, (offset, float("inf"))) - 1
    return i >= 0 and blocked[i][0] < offset < blocked[i][1]
