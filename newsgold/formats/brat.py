"""`brat`: standoff `.txt` + `.ann` per document and an `annotation.conf`; and the reader of it.

Spans are text-bound annotations (`T`); a span that crosses a line break is written as fragments
(`start end;start end`), as brat requires. QUOTE `form` and per-span stance are attributes (`A`),
stance attributes named `stance_TARGET`; relations are `R` lines with Arg1/Arg2. brat has no
document-level annotations, so document stance goes to `document-stance.jsonl` beside the folders.
Offsets are code points, as brat's own server counts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from pydantic import ValidationError

from newsgold._io import create_file, make_folder, write_file
from newsgold.errors import ImportFormatError
from newsgold.formats.base import Written
from newsgold.formats.item import ExportItem
from newsgold.schemas.annotation import Relation, Span, join_fragments
from newsgold.schemas.scheme import Scheme

__all__ = ["BratFormat", "BratDocument", "BratEvent", "Unstored", "read_ann", "annotation_conf", "binary_attributes", "write_ann"]

STANCE_PREFIX = "stance_"


def annotation_conf(scheme: Scheme) -> str:
    """The brat annotation.conf for `scheme` (overlaps allowed, as the format allows them)."""
    lines = ["[entities]"]
    lines += [label for layer in scheme.layers for label in (l.name for l in layer.labels)]
    lines += ["", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    for relation in scheme.relations:
        sources = "|".join(dict.fromkeys(a for a, _ in relation.pairs))
        targets = "|".join(dict.fromkeys(b for _, b in relation.pairs))
        lines.append(f"{relation.name}\tArg1:{sources}, Arg2:{targets}")
    lines += ["", "[events]", "", "[attributes]"]
    # brat declares an attribute once: the labels that carry it, and every value any of them allows.
    carriers: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    for label in scheme.labels.values():
        for attr in label.attrs:
            carriers.setdefault(attr.name, []).append(label.name)
            values.setdefault(attr.name, [])
            values[attr.name] += [v for v in attr.values if v not in values[attr.name]]
    for name, labels in carriers.items():
        allowed = "" if name in binary_attributes(scheme) else f", Value:{'|'.join(values[name])}"
        lines.append(f"{name}\tArg:{'|'.join(labels)}{allowed}")
    if scheme.stance:
        stance_labels = "|".join(l.name for l in scheme.labels.values() if l.stance)
        for target in scheme.stance.targets:
            lines.append(f"{STANCE_PREFIX}{target.id}\tArg:{stance_labels}, Value:{'|'.join(scheme.stance.values)}")
    return "\n".join(lines) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    fragments = []
    position = start
    for match in re.finditer(r"\n+", text[start:end]):
        if start + match.start() > position:
            fragments.append((position, start + match.start()))
        position = start + match.end()
    if end > position:
        fragments.append((position, end))
    return fragments


def binary_attributes(scheme: Scheme) -> frozenset[str]:
    """Attributes whose only value is `true`: brat binary attributes (on or absent, no value)."""
    return frozenset(attr.name for label in scheme.labels.values() for attr in label.attrs
                     if list(attr.values) == ["true"])


def write_ann(text: str, spans: list[Span], relations: list[Relation], binary: frozenset[str] = frozenset()) -> str:
    """The .ann content of one document; attributes in `binary` are written without a value."""
    lines = []
    t_ids = {}
    attribute = 0
    for number, span in enumerate(spans, 1):
        t_ids[span.id] = f"T{number}"
        fragments = [piece for a, b in span.pieces for piece in _fragments(text, a, b)]
        where = ";".join(f"{a} {b}" for a, b in fragments)
        shown = " ".join(text[a:b] for a, b in fragments)
        lines.append(f"T{number}\t{span.label} {where}\t{shown}")
        for name, value in span.attrs.items():
            attribute += 1
            shown_value = "" if name in binary and value == "true" else f" {value}"
            lines.append(f"A{attribute}\t{name} T{number}{shown_value}")
        for target, value in span.stance.items():
            attribute += 1
            lines.append(f"A{attribute}\t{STANCE_PREFIX}{target} T{number} {value}")
    for number, relation in enumerate(relations, 1):
        lines.append(f"R{number}\t{relation.type} Arg1:{t_ids[relation.from_]} Arg2:{t_ids[relation.to]}")
    return "\n".join(lines) + ("\n" if lines else "")


@dataclass(frozen=True)
class BratEvent:
    """An event line: `E1<TAB>Type:T3 Role:T1 Role2:T2` (the trigger first, then its arguments)."""

    id: str
    line: int
    type: str
    trigger: str
    arguments: tuple[tuple[str, str], ...]
    """(role, T id) in file order; a repeated role is numbered in brat (Theme2), kept as written."""


@dataclass(frozen=True)
class Unstored:
    """A line of an .ann file newsgold does not store (as it stands), and why."""

    line: int
    text: str
    why: str


@dataclass
class BratDocument:
    """What one .ann file holds (span ids are the T ids): spans and relations newsgold stores,
    events (for an import mapping to turn into relations), and the lines it cannot store."""

    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    relation_lines: list[int] = field(default_factory=list)
    """The line of each relation, in the same order."""
    events: list[BratEvent] = field(default_factory=list)
    unstored: list[Unstored] = field(default_factory=list)
    equivalences: list[BratEquivalence] = field(default_factory=list)
    """`*` lines, for the reader to store as relations where the scheme declares their type."""
    normalized: list[Unstored] = field(default_factory=list)
    """What was stored other than written, and how: fragments out of order, fragments joined."""


@dataclass(frozen=True)
class BratEquivalence:
    """A `*` line: spans that name the same thing (`*<TAB>Equiv T1 T2 T3`)."""

    line: int
    type: str
    members: tuple[str, ...]


def read_ann(ann: str, text: str, where: str = "") -> BratDocument:
    """Parse .ann content made on `text`.

    Raises ImportFormatError, naming the line, for a line it cannot read (a malformed line,
    offsets outside the text, a repeated id, a span whose text does not match, an attribute,
    relation or event of an id that is not a span). A discontinuous span keeps its fragments (in
    text order; a gap of only whitespace joins its neighbours). Events are returned for a mapping
    to turn into relations. Lines newsgold does not store are listed in `unstored`, each with its
    reason: normalizations, notes. Equivalences (`*` lines) are returned for the reader, which stores
    them as relations where the scheme declares their type; what was stored other than written
    (fragments out of order, fragments with only whitespace between them, joined) is listed in
    `normalized`. Attributes in brat's legacy `M` form are attributes;
    a binary attribute (no value) has the value `true`.
    """
    read = _AnnReading(text)
    rows = iter(enumerate(ann.splitlines(), 1))
    for number, line in rows:
        if line.strip():
            _read_line(read, number, line, f"{where}:{number}", rows)
    try:
        spans = [Span(**raw, attrs=read.attrs.get(str(raw["id"]), {}),  # type: ignore[arg-type]
                      stance=read.stance.get(str(raw["id"]), {})) for raw in read.raw_spans.values()]
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ImportFormatError(f"{where}: {'.'.join(map(str, error['loc']))}: {error['msg']}") from None
    links = _checked_references(read, where)
    return BratDocument(spans=spans, relations=links, relation_lines=[number for number, *_ in read.relations],
                        events=read.events, unstored=read.unstored, equivalences=read.equivalences,
                        normalized=read.normalized)


@dataclass
class _AnnReading:
    """What `read_ann` has read so far of one .ann file."""

    text: str
    raw_spans: dict[str, dict[str, object]] = field(default_factory=dict)
    events: list[BratEvent] = field(default_factory=list)
    unstored: list[Unstored] = field(default_factory=list)
    attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    stance: dict[str, dict[str, str]] = field(default_factory=dict)
    relations: list[tuple[int, str, str, str]] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    equivalences: list[BratEquivalence] = field(default_factory=list)
    normalized: list[Unstored] = field(default_factory=list)


def _read_line(read: _AnnReading, number: int, line: str, here: str, rows: Iterator[tuple[int, str]]) -> None:
    """Read one line of a .ann file (`rows`: the lines after it, for a text that runs over lines)."""
    parts = line.split("\t")
    ann_id = parts[0]
    kind = ann_id[:1]
    if kind == "*":  # an equivalence (all have the id `*`): relations, if the scheme declares the type
        fields = parts[1].split() if len(parts) > 1 else []
        if len(fields) < 3:
            raise ImportFormatError(f"{here}: cannot read equivalence {line[:80]!r} (expected *<TAB>TYPE T.. T..)")
        read.equivalences.append(BratEquivalence(number, fields[0], tuple(fields[1:])))
        return
    if kind in ("N", "#"):
        what = {"N": "normalizations", "#": "notes"}[kind]
        read.unstored.append(Unstored(number, line, f"newsgold does not store brat {what}"))
        return
    if ann_id in read.seen_ids:
        raise ImportFormatError(f"{here}: id {ann_id} is used twice; give each annotation its own id")
    read.seen_ids.add(ann_id)
    if kind not in ("T", "A", "M", "R", "E"):
        raise ImportFormatError(f"{here}: cannot read {line[:60]!r}: not a brat annotation line")
    if len(parts) < 2 or not ann_id[1:].isdigit():
        raise ImportFormatError(f"{here}: cannot read {line[:80]!r} (expected ID<TAB>...)")
    if kind == "T":
        _read_text_bound(read, number, ann_id, parts, here, rows)
    elif kind in ("A", "M"):  # M: brat's legacy form of an attribute ("modification")
        _read_attribute(read, number, line, ann_id, parts, here)
    elif kind == "E":
        pieces = [f.split(":", 1) for f in parts[1].split()]
        if not pieces or any(len(p) != 2 or not p[0] or not p[1] for p in pieces):
            raise ImportFormatError(f"{here}: cannot read event {line[:80]!r} (expected TYPE:T.. ROLE:T.. ...)")
        (event_type, trigger), *arguments = pieces
        read.events.append(BratEvent(ann_id, number, event_type, trigger,
                                     tuple((role, target) for role, target in arguments)))
    else:
        fields = parts[1].split()
        args = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
        if len(fields) != 3 or set(args) != {"Arg1", "Arg2"}:
            raise ImportFormatError(f"{here}: cannot read relation {line[:80]!r} "
                                    "(expected TYPE Arg1:T.. Arg2:T..)")
        read.relations.append((number, fields[0], args["Arg1"], args["Arg2"]))


def _read_text_bound(read: _AnnReading, number: int, ann_id: str, parts: list[str], here: str,
                     rows: Iterator[tuple[int, str]]) -> None:
    """A T line: a span, its fragments in text order (joined where only whitespace is between)."""
    text = read.text
    label, _, where_text = parts[1].partition(" ")
    written = [_fragment(f, len(text), here) for f in where_text.split(";")]
    shown = " ".join(text[a:b] for a, b in written)
    if len(parts) > 2 and parts[2] != shown and shown.startswith(parts[2] + "\n"):
        parts[2] = _text_over_lines(parts[2], shown, rows)  # a line break written into the text column
        read.normalized.append(Unstored(number, ann_id, f"the text of {ann_id} runs over "
                                        f"{parts[2].count(chr(10)) + 1} lines of the file (a line break "
                                        "written into it): read as one annotation"))
    if len(parts) > 2 and parts[2] != shown:
        raise ImportFormatError(f"{here}: {ann_id} text {parts[2]!r} != {shown!r}")
    fragments = sorted(written)  # brat allows fragments in any order
    if any(a < b for (_, b), (a, _) in zip(fragments, fragments[1:])):
        raise ImportFormatError(f"{here}: the fragments of {ann_id} overlap")
    if fragments != written:
        read.normalized.append(Unstored(number, ann_id, f"the fragments of {ann_id} are written out of order; "
                                        "stored in text order"))
    start, end = fragments[0][0], fragments[-1][1]
    read.raw_spans[ann_id] = {"id": ann_id, "start": start, "end": end, "label": label, "text": text[start:end]}
    joined = join_fragments(fragments, text)  # gaps of only line breaks: one span across lines
    if len(joined) < len(fragments):
        shown = ", ".join(f"[{a},{b})" for a, b in fragments)
        read.normalized.append(Unstored(number, ann_id, f"the fragments {shown} of {ann_id} have only "
                                        "whitespace between some of them: joined there"))
    if len(joined) > 1:  # a gap with text in it: a discontinuous span
        read.raw_spans[ann_id]["fragments"] = joined


def _read_attribute(read: _AnnReading, number: int, line: str, ann_id: str, parts: list[str], here: str) -> None:
    """An A (or M) line: an attribute of a span before it, or its stance (`stance_` names)."""
    name, *rest = parts[1].split() or [""]
    if not rest:
        raise ImportFormatError(f"{here}: attribute {ann_id} names no annotation")
    target, value = rest[0], rest[1:]
    if target.startswith("E") and target[1:].isdigit():
        read.unstored.append(Unstored(number, line, f"attribute {ann_id} is on event {target}; newsgold "
                                      "stores attributes of spans only"))
        return
    if target not in read.raw_spans:
        raise ImportFormatError(f"{here}: attribute {ann_id} is on {target}, which is not "
                                "a text-bound annotation (T) before it")
    bucket = read.stance if name.startswith(STANCE_PREFIX) else read.attrs
    key = name.removeprefix(STANCE_PREFIX) if bucket is read.stance else name
    bucket.setdefault(target, {})[key] = value[0] if value else "true"


def _checked_references(read: _AnnReading, where: str) -> list[Relation]:
    """The relations, once every line is read, after checking that relations, events and
    equivalences name annotations of the file (an event nested in an event is left unstored)."""
    links = []
    for number, relation_type, source, target in read.relations:
        missing = [arg for arg in (source, target) if arg not in read.raw_spans]
        if missing:
            raise ImportFormatError(f"{where}:{number}: relation to {missing[0]}, which is not a "
                                    "text-bound annotation (T) of this file")
        links.append(Relation(type=relation_type, from_=source, to=target))
    event_ids = {event.id for event in read.events}
    for event in list(read.events):
        named = (event.trigger, *(target for _, target in event.arguments))
        missing = [t for t in named if t not in read.raw_spans and t not in event_ids]
        if missing:
            raise ImportFormatError(f"{where}:{event.line}: event {event.id} names {missing[0]}, which is "
                                    "not an annotation of this file")
        nested = [t for t in named if t in event_ids]
        if nested:  # an event argument that is itself an event: no span to join
            read.events.remove(event)
            read.unstored.append(Unstored(event.line, event.id, f"event {event.id} has the event {nested[0]} as "
                                          "an argument; newsgold relations join spans only"))
    for equivalence in read.equivalences:
        missing = [m for m in equivalence.members if m not in read.raw_spans]
        if missing:
            raise ImportFormatError(f"{where}:{equivalence.line}: equivalence {equivalence.type} names "
                                    f"{missing[0]}, which is not a text-bound annotation (T) of this file")
    return links


def _text_over_lines(first: str, shown: str, rows: Iterator[tuple[int, str]]) -> str:
    """The text column of a T line whose text holds line breaks, written as they are (some tools
    do): the lines that follow, while they continue the text, are part of it."""
    found = first
    while found != shown and shown.startswith(found + "\n"):
        try:
            _, line = next(rows)
        except StopIteration:
            break
        found += "\n" + line
    return found


def _fragment(raw: str, length: int, here: str) -> tuple[int, int]:
    pieces = raw.split()
    if len(pieces) != 2 or not all(p.isdigit() and p.isascii() for p in pieces):
        raise ImportFormatError(f"{here}: {raw.strip()!r} is not START END (two offsets >= 0)")
    start, end = int(pieces[0]), int(pieces[1])
    if not start < end <= length:
        raise ImportFormatError(f"{here}: [{start},{end}) is not a span of the {length}-character text")
    return start, end


class BratFormat:
    """brat standoff."""

    name = "brat"
    roles_needed: tuple[str, ...] = ()
    needs_modules: tuple[str, ...] = ()
    version = "1"
    description = "brat standoff: .txt and .ann per document, annotation.conf, document-stance.jsonl"

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        written = Written()
        binary = binary_attributes(scheme)
        write_file(folder / "annotation.conf", annotation_conf(scheme).encode("utf-8"))
        written.files["annotation.conf"] = (1, "all")
        stance_count = 0
        with create_file(folder / "document-stance.jsonl") as stance_file:  # written as it goes
            for item in items:
                sub = base if item.split == "all" else item.split
                target_folder = folder / sub if item.annotator is None else folder / sub / item.annotator
                make_folder(target_folder)
                relative = target_folder.relative_to(folder)
                doc_id = item.document.id
                write_file(target_folder / f"{doc_id}.txt", item.document.text.encode("utf-8"))
                ann = write_ann(item.document.text, item.annotations.spans, item.annotations.relations, binary)
                write_file(target_folder / f"{doc_id}.ann", ann.encode("utf-8"))
                written.files[f"{relative}/{doc_id}.txt"] = (1, item.split)
                written.files[f"{relative}/{doc_id}.ann"] = (len(item.annotations.spans), item.split)
                if item.annotations.stance:
                    stance_file.write(orjson.dumps({"doc_id": doc_id, "annotator": item.annotator,
                                                    "stance": item.annotations.stance}) + b"\n")
                    stance_count += 1
        written.files["document-stance.jsonl"] = (stance_count, "all")
        return written
