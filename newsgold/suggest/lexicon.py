"""Entity suggestions by string matching, as INCEpTION's string-matching recommender makes them.

Every mention the corpus's gold and annotation sets label (entity labels only: see
`entity_labels`) becomes an entry of a lexicon, surface form -> label; a
surface labelled several ways takes its most frequent label (ties: the first in the scheme). A
document is then matched against the lexicon: exact surface, case-sensitive, at word boundaries,
longest match first, never overlapping a longer or earlier match.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from newsgold.schemas.annotation import _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["EntityLexicon", "Match", "entity_labels"]

MAX_WORDS = 8
"""Surfaces longer than this (in words) are not names: they are left out of the lexicon."""


@dataclass(frozen=True)
class Match:
    """A lexicon entry found in a text: code point offsets, half-open."""

    start: int
    end: int
    label: str


def entity_labels(scheme: Scheme) -> list[str]:
    """The labels string matching suggests: those of the scheme's entity layer (role
    `entity_layer`), else of every layer that holds no attribution role."""
    roles = scheme.resolved_roles
    layers = [layer for layer in scheme.layers if layer.name == roles.entity_layer]
    if not layers:
        attribution = {roles.quote, roles.speaker, roles.cue} - {None}
        layers = [layer for layer in scheme.layers if not {lb.name for lb in layer.labels} & attribution]
    return [label.name for layer in layers for label in layer.labels]


@dataclass
class EntityLexicon:
    """Surface -> label counts, with each document's share kept so one can be left out."""

    labels: list[str]
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_document: dict[str, Counter[tuple[str, str]]] = field(default_factory=lambda: defaultdict(Counter))

    @classmethod
    def from_sets(cls, sets: Iterable[_SetContent], scheme: Scheme) -> EntityLexicon:
        """The lexicon of every entity mention in `sets` (gold or annotation sets)."""
        lexicon = cls(entity_labels(scheme))
        wanted = set(lexicon.labels)
        for annotation_set in sets:
            for span in annotation_set.spans:
                surface = span.text.strip()
                if span.label in wanted and surface == span.text and not span.fragments \
                        and 0 < len(surface.split()) <= MAX_WORDS:
                    lexicon.counts[surface][span.label] += 1
                    lexicon.by_document[annotation_set.doc_id][(surface, span.label)] += 1
        return lexicon

    def entries(self, leave_out: str | None = None) -> dict[str, str]:
        """Surface -> its label, without the mentions of document `leave_out` (leave-one-out)."""
        removed = self.by_document.get(leave_out, Counter()) if leave_out else Counter()
        order = {label: n for n, label in enumerate(self.labels)}
        found = {}
        for surface, labels in self.counts.items():
            left = {label: count - removed[(surface, label)] for label, count in labels.items()}
            left = {label: count for label, count in left.items() if count > 0}
            if left:
                found[surface] = min(left, key=lambda label: (-left[label], order.get(label, len(order))))
        return found

    def matcher(self, leave_out: str | None = None) -> EntityMatcher:
        """A matcher over the entries (without document `leave_out`)."""
        return EntityMatcher(self.entries(leave_out))


class EntityMatcher:
    """Finds lexicon surfaces in texts: longest first, word-bounded, case-sensitive, no overlaps.

    One regular expression holds every surface, longest first, so at each position the longest
    entry wins, and the scan goes left to right without overlaps.
    """

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        surfaces = sorted(entries, key=lambda s: (-len(s), s))
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, surfaces)) + r")(?!\w)")
                         if surfaces else None)

    def find(self, text: str) -> Iterator[Match]:
        """Every match in `text`, in text order."""
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text):
            yield Match(found.start(), found.end(), self.entries[found.group()])
