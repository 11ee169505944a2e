"""One item's tokens and sentences, and BIO tags over them: what the token-level exports share.

Every export cuts a set the same way: tokens are cut at every edge of every span (every fragment
of a discontinuous one) and no sentence ends inside a span, so that every span is a run of tokens
in one sentence and rebuilds exactly from its tags.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from newsgold.formats.item import ExportItem
from newsgold.formats.tokenize import Token, segment
from newsgold.schemas.annotation import Span

__all__ = ["TokenizedItem", "tokenize_item", "bio_tags", "outermost", "context_view"]


class TokenizedItem:
    """An item's text cut into sentences of tokens, with lookups from offsets to tokens."""

    def __init__(self, sentences: list[list[Token]], split_graphemes: int) -> None:
        self.sentences = sentences
        self.split_graphemes = split_graphemes
        """Cuts (span edges) that had to fall inside a grapheme cluster."""
        self.tokens = [token for sentence in sentences for token in sentence]
        self._starts = [t.start for t in self.tokens]
        self._sentence_starts, position = [], 0
        for sentence in sentences:
            self._sentence_starts.append(position)
            position += len(sentence)

    @property
    def sentence_starts(self) -> list[int]:
        """Index of the first token of each sentence."""
        return list(self._sentence_starts)

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Token indexes [first, last) of the tokens inside the offsets [start, end)."""
        return bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)

    def sentence_of(self, offset: int) -> list[Token]:
        """The sentence holding the token that starts at or before `offset`."""
        token = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.sentences[bisect.bisect_right(self._sentence_starts, token) - 1]


def context_view(item: ExportItem, tokenized: TokenizedItem, start: int, end: int) -> dict[str, object]:
    """The sentence(s) holding [start, end) as {text, start, end} (a span is never split across
    sentences, so this is one sentence unless the extent is not a span of the set)."""
    if not tokenized.tokens:
        return {"text": item.document.text[start:end], "start": start, "end": end}
    first = tokenized.sentence_of(start)[0].start
    last = tokenized.sentence_of(max(start, end - 1))[-1].end
    return {"text": item.document.text[first:last], "start": first, "end": last}


def tokenize_item(item: ExportItem) -> TokenizedItem:
    """Tokens cut at every span edge; no sentence boundary inside any span of the set."""
    spans = item.annotations.spans
    cuts = [edge for span in spans for piece in span.pieces for edge in piece]
    made = segment(item.document.text, cuts, [(s.start, s.end) for s in spans], item.document.meta.language)
    return TokenizedItem(made.sentences, made.split_graphemes)


def bio_tags(tokenized: TokenizedItem, pieces: Iterable[tuple[str, int, int]]) -> list[str]:
    """`B-X`/`I-X`/`O` per token for (label, start, end) pieces that do not overlap.

    Each piece of a discontinuous span is a run of its own starting with B-: BIO cannot continue a
    span after a gap.
    """
    tags = ["O"] * len(tokenized.tokens)
    for label, start, end in pieces:
        first, last = tokenized.token_range(start, end)
        if first < last:
            tags[first] = f"B-{label}"
            for i in range(first + 1, last):
                tags[i] = f"I-{label}"
    return tags


def outermost(spans: Sequence[Span]) -> tuple[list[Span], int]:
    """The spans no other span of the list contains or overlaps before them, and how many were left
    out. Overlap is of the spans' text, fragment by fragment: a span in the gap of a discontinuous
    one (a quote between the two parts of another) overlaps nothing and is kept."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    reaching: list[Span] = []
    """The kept spans whose stretch reaches past the current start (only they can overlap it)."""
    for span in ordered:
        reaching = [k for k in reaching if k.end > span.start]
        if any(_overlap(k, span) for k in reaching):
            continue
        kept.append(span)
        reaching.append(span)
    return kept, len(spans) - len(kept)


def _overlap(first: Span, second: Span) -> bool:
    """Whether two spans share text: a piece of one overlaps a piece of the other."""
    return any(a < d and c < b for a, b in first.pieces for c, d in second.pieces)
