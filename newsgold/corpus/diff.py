"""What changed between two states of a corpus's gold (or annotation sets), document by document.

Spans are matched by what they are, not by id (adjudication renumbers ids): same label and
offsets is the same span; a span whose label changed at the same offsets, or whose ends moved
(same label, overlapping), is *changed*; the rest are added or removed. Relations are compared by
their type and the spans they join; attributes and stance of a span, and document stance, by
value. Both states are read one document at a time through byte-offset indexes, so memory holds
the indexes and one document's sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from newsgold.corpus.records import SOURCE_FILES
from newsgold.corpus.store import Corpus, Source, check_corpus, line_at
from newsgold.errors import UsageError
from newsgold.schemas.annotation import Span, _SetContent

__all__ = ["Change", "SetDiff", "Source", "diff_corpora", "diff_sets"]

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class Change:
    """One change: what kind, to what, and in words."""

    kind: Literal["span-added", "span-removed", "span-moved", "span-relabelled", "attribute", "span-stance",
                  "relation-added", "relation-removed", "document-stance", "document-attribute",
                  "set-added", "set-removed"]
    text: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class SetDiff:
    """The changes of one set: a document's gold, or one annotator's set of it."""

    doc_id: str
    annotator: str | None
    file: str
    """The file of the new state that holds the set (of the old state if it was removed)."""
    line: int | None
    changes: list[Change] = field(default_factory=list)

    @property
    def record(self) -> str:
        return self.doc_id if self.annotator is None else f"{self.doc_id}/{self.annotator}"

    def summary(self) -> str:
        """One line: `doc: change; change; ...`."""
        return f"{self.record}: " + "; ".join(c.text for c in self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "annotator": self.annotator, "file": self.file, "line": self.line,
                "changes": [{"kind": c.kind, "text": c.text, **c.detail} for c in self.changes]}


def _key(span: Span) -> SpanKey:
    return (span.start, span.end, span.label)


def _show(span: Span) -> str:
    shown = span.text if len(span.text) <= 40 else span.text[:39] + "…"
    return f"{span.label} {shown!r} [{span.start},{span.end})"


def _match(old: list[Span], new: list[Span]) -> tuple[list[tuple[Span, Span]], list[Span], list[Span]]:
    """(old, new) pairs of the same span (exact, then relabelled, then moved), then the unmatched."""
    pairs: list[tuple[Span, Span]] = []
    left_old = sorted(old, key=_key)
    left_new = sorted(new, key=_key)
    for same in (lambda a, b: _key(a) == _key(b),
                 lambda a, b: (a.start, a.end) == (b.start, b.end),
                 lambda a, b: a.label == b.label and min(a.end, b.end) > max(a.start, b.start)):
        still_old = []
        for a in left_old:
            found = next((b for b in left_new if same(a, b)), None)
            if found is None:
                still_old.append(a)
            else:
                pairs.append((a, found))
                left_new.remove(found)
        left_old = still_old
    return pairs, left_old, left_new


def _compare_values(what: str, old: dict[str, str], new: dict[str, str], kind: Any, owner: str,
                    changes: list[Change]) -> None:
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            before, after = old.get(name, "none"), new.get(name, "none")
            changes.append(Change(kind, f"{owner}{what} {name} {before} -> {after}",
                                  {"name": name, "old": old.get(name), "new": new.get(name)}))


def diff_sets(old: _SetContent, new: _SetContent) -> list[Change]:
    """The changes from `old` to `new`, two sets of one document."""
    changes: list[Change] = []
    pairs, removed, added = _match(list(old.spans), list(new.spans))
    for a, b in pairs:
        if a.label != b.label:
            changes.append(Change("span-relabelled", f"{_show(a)} is now {b.label}",
                                  {"old": [a.start, a.end, a.label], "new": [b.start, b.end, b.label]}))
        elif (a.start, a.end) != (b.start, b.end):
            moves = []
            if a.start != b.start:
                moves.append(f"start by {b.start - a.start:+d}")
            if a.end != b.end:
                moves.append(f"end by {b.end - a.end:+d}")
            changes.append(Change("span-moved", f"{_show(a)} moved its {' and '.join(moves)} -> {b.text!r}",
                                  {"old": [a.start, a.end, a.label], "new": [b.start, b.end, b.label]}))
        _compare_values(" attribute", a.attrs, b.attrs, "attribute", f"{b.label} [{b.start},{b.end})", changes)
        _compare_values(" stance", a.stance, b.stance, "span-stance", f"{b.label} [{b.start},{b.end})", changes)
    changes.extend(Change("span-removed", f"removed {_show(s)}", {"old": [s.start, s.end, s.label]})
                   for s in removed)
    changes.extend(Change("span-added", f"added {_show(s)}", {"new": [s.start, s.end, s.label]}) for s in added)
    # Relations by the spans they join, in the new state's terms (a matched old span counts as its new self).
    as_new = {_key(a): _key(b) for a, b in pairs}
    old_ids = {s.id: as_new.get(_key(s), _key(s)) for s in old.spans}
    new_ids = {s.id: _key(s) for s in new.spans}
    old_relations = {(r.type, old_ids.get(r.from_), old_ids.get(r.to)) for r in old.relations}
    new_relations = {(r.type, new_ids.get(r.from_), new_ids.get(r.to)) for r in new.relations}
    for kind, relations, verb in (("relation-removed", old_relations - new_relations, "removed"),
                                  ("relation-added", new_relations - old_relations, "added")):
        for relation_type, source, target in sorted(relations, key=str):
            changes.append(Change(kind, f"{verb} relation {relation_type} {source} -> {target}",  # type: ignore[arg-type]
                                  {"type": relation_type, "from": source, "to": target}))
    _compare_values(" stance", old.stance, new.stance, "document-stance", "document", changes)
    _compare_values(" attribute", old.attrs, new.attrs, "document-attribute", "document", changes)
    return changes


def _sets_by_key(corpus: Corpus, source: Source) -> dict[tuple[str, str | None], int]:
    """(doc_id, annotator or None) -> byte offset of its line (a small index, no records)."""
    offsets = corpus.offsets(source)
    keyed: dict[tuple[str, str | None], int] = {}
    if source == "gold":
        for doc_id, positions in offsets.items():
            keyed[(doc_id, None)] = positions[0]
        return keyed
    with corpus.reader("annotations") as read:
        for doc_id, positions in offsets.items():
            for position, annotation_set in zip(positions, read(positions), strict=True):
                keyed[(doc_id, annotation_set.annotator)] = position
    return keyed


def diff_corpora(old: Corpus, new: Corpus, source: Source = "gold") -> Iterator[SetDiff]:
    """The changed sets from `old` to `new`, in the new state's document order, then the removed ones.

    Raises InvalidRecordError at a broken record of either state (the line `validate` prints), and
    UsageError for anything but two open corpora and a source of sets (gold, annotations).
    """
    check_corpus(old)
    check_corpus(new)
    if source not in SOURCE_FILES:
        raise UsageError(f"source={source!r} is not a source of sets: use {', '.join(SOURCE_FILES)}")
    old_keys, new_keys = _sets_by_key(old, source), _sets_by_key(new, source)
    path_old = old.gold_path if source == "gold" else old.annotations_path
    path_new = new.gold_path if source == "gold" else new.annotations_path
    reader_old = old.reader(source)
    reader_new = new.reader(source)
    with reader_old as read_old, reader_new as read_new:
        for key, position in sorted(new_keys.items(), key=lambda item: item[1]):
            [after] = read_new([position])
            line = line_at(path_new, position)
            before_position = old_keys.get(key)
            if before_position is None:
                yield SetDiff(key[0], key[1], str(path_new), line,
                              [Change("set-added", f"new set with {len(after.spans)} spans")])
                continue
            [before] = read_old([before_position])
            if before.doc_sha256 != after.doc_sha256:
                changes = [Change("set-added", "made on a new text of the document")]
            else:
                changes = diff_sets(before, after)
            if changes:
                yield SetDiff(key[0], key[1], str(path_new), line, changes)
        for key, position in sorted(old_keys.items(), key=lambda item: item[1]):
            if key not in new_keys:
                yield SetDiff(key[0], key[1], str(path_old), line_at(path_old, position),
                              [Change("set-removed", "set removed")])
