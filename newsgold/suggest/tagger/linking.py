"""From tags to attributions: tagged runs joined across sentences where quotes run on, snapped to
the rules' ends, and each QUOTE linked to its SPEAKER and CUE."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newsgold.schemas.annotation import Span
from newsgold.suggest.rules import Attribution, quotations


def sentence_joins(text: str, sentences: Sequence[tuple[int, int]], spans: Sequence[Span]) -> Counter[str]:
    """How the gold `spans` treat each boundary between two `sentences` (in text order) of one
    paragraph, outside quotation marks, where quotes meet: `joined` where one QUOTE runs over it
    (a piece across it, or pieces either side), `split` where a QUOTE ends the first sentence and
    another opens the next. PolNeAR joins (its content runs over sentences); newsgold's guidelines
    split (a continuation sentence is a QUOTE of its own). Inside quotation marks both join."""
    quotes = [s for s in spans if s.label == "QUOTE"]
    marked = quotations(text)
    counts = Counter[str]()
    for (_, end), (start, _) in itertools.pairwise(sentences):
        if "\n" in text[end:start] or any(a < end and start < b for a, b in marked):
            continue
        if any(q.start < end and start < q.end for q in quotes):
            counts["joined"] += 1
        elif any(_BETWEEN_PIECES.fullmatch(text, q.end, end) for q in quotes if q.end <= end) \
                and any(_BETWEEN_PIECES.fullmatch(text, start, q.start) for q in quotes if q.start >= start):
            counts["split"] += 1
    return counts


class TaggedSpan(NamedTuple):
    """A span the tagger found: its extent, role, sentence number (its first) and score (0-1)."""

    start: int
    end: int
    role: str
    sentence: int
    score: float
    last_sentence: int | None = None
    """The number of the sentence it ends in (past `sentence` for a quote joined over sentences)."""


@dataclass
class _Run:
    """Tokens tagged with one role in a row (or QUOTEs joined), while they are being read."""

    start: int
    end: int
    role: str
    marginals: list[float]
    first: int
    last: int

    def tagged(self) -> TaggedSpan:
        return TaggedSpan(self.start, self.end, self.role, self.first,
                          round(sum(self.marginals) / len(self.marginals), 4), self.last)


_BETWEEN_PIECES = re.compile(r"[^\w\n]*")
"""What may stand between two tagged QUOTEs for them to be one: spaces and punctuation, no word and
no paragraph break."""


def _joined_quotes(text: str, runs: list[_Run], across_sentences: bool,
                   marked: Sequence[tuple[int, int]] = ()) -> list[_Run]:
    """`runs` (in text order) with two QUOTEs in a row joined where only spaces and punctuation
    stand between them: in one sentence (the tagger began the quote again), in consecutive sentences
    inside one quotation of `marked` (a direct quote of several sentences), and, when
    `across_sentences`, in any consecutive sentences."""
    joined: list[_Run] = []
    for run in runs:
        last = joined[-1] if joined else None
        if last is not None and run.role == last.role == "QUOTE" \
                and (run.first == last.last or run.first == last.last + 1 and (
                    across_sentences or any(a < last.end and run.start < b for a, b in marked))) \
                and _BETWEEN_PIECES.fullmatch(text, last.end, run.start):
            joined[-1] = _Run(last.start, run.end, "QUOTE", last.marginals + run.marginals, last.first, run.last)
            continue
        joined.append(run)
    return joined


SNAP_OVERLAP = 0.5
"""A tagged QUOTE whose overlap with a quote (piece) of the rules is more than this share of their
joint extent takes the rules' ends: where both see the same quote, the rules' ends, read from
quotation marks and clause structure, are exact more often. Measured on PolNeAR train articles the
tagger had not learned from (100, beside 300 it learned from): QUOTE exact F1 0.305 without it,
0.321 with it (the rules alone 0.296)."""


def _snapped(runs: list[_Run], rule_quotes: Sequence[Span]) -> list[_Run]:
    """`runs` with each QUOTE given the ends of the rules' quote it mostly shares (`SNAP_OVERLAP`);
    a second QUOTE given the same ends is one with the first."""
    snapped: list[_Run] = []
    taken: dict[tuple[int, int], _Run] = {}
    for run in runs:
        if run.role == "QUOTE":
            best = max(((_shared((q.start, q.end), (run.start, run.end)), q.start, q.end) for q in rule_quotes),
                       default=None)
            if best is not None and best[0] > SNAP_OVERLAP:
                ends = (best[1], best[2])
                if ends in taken:
                    taken[ends].marginals += run.marginals
                    taken[ends].last = max(taken[ends].last, run.last)
                    continue
                run = _Run(ends[0], ends[1], "QUOTE", list(run.marginals), run.first, run.last)
                taken[ends] = run
        snapped.append(run)
    return sorted(snapped, key=lambda r: (r.start, r.end))


def _nearest(tagged: Sequence[TaggedSpan], role: str, quote: TaggedSpan) -> TaggedSpan | None:
    last = quote.sentence if quote.last_sentence is None else quote.last_sentence
    for wanted in (range(quote.sentence, last + 1), (quote.sentence - 1,)):
        candidates = [(_distance(t, quote), t.start, t) for t in tagged if t.role == role and t.sentence in wanted]
        if candidates:
            return min(candidates, key=lambda c: (c[0], c[1]))[2]
    return None


def _ruling(rules: Sequence[Attribution], quote: TaggedSpan) -> Attribution | None:
    """The rules' attribution whose quote shares the most of its extent with `quote`, if more than
    `SNAP_OVERLAP`."""
    best = None
    for attribution in rules:
        share = _shared(attribution.quote, (quote.start, quote.end))
        if share > SNAP_OVERLAP and (best is None or share > best[0]):
            best = (share, attribution)
    return best[1] if best else None


def _shared(a: tuple[int, int], b: tuple[int, int]) -> float:
    """The share of their joint extent that two extents have in common (negative when apart)."""
    return (min(a[1], b[1]) - max(a[0], b[0])) / (max(a[1], b[1]) - min(a[0], b[0]))


def _over(tagged: Sequence[TaggedSpan], role: str, extent: tuple[int, int] | None) -> TaggedSpan | None:
    """The first tagged span of `role` over `extent`, if any."""
    if extent is None:
        return None
    found = [t for t in tagged if t.role == role and t.start < extent[1] and extent[0] < t.end]
    return found[0] if found else None


def _distance(span: TaggedSpan, quote: TaggedSpan) -> int:
    """How far `span` is from `quote`: 0 inside it."""
    if quote.start <= span.start and span.end <= quote.end:
        return 0
    return min(abs(span.start - quote.end), abs(quote.start - span.end))
