"""Semantic checks of one annotation or gold set against its document text and the scheme.

`check_set` is shared by `validate`, the Label Studio pull, import and adjudication, so that
nothing is stored that `newsgold validate` would reject. It runs once per set of a corpus, so the
scheme is compiled once into lookup tables (`compiled_scheme`) and the loops stay tight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from newsgold.corpus.compiled_scheme import CompiledScheme, compiled_scheme
from newsgold.schemas.annotation import _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["Finding", "check_set"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule inside a record: the rule code, the field path and a message, and where it
    is as data: the index of the span or relation it is in, or the document stance target."""

    rule: str
    field: str
    message: str
    span: int | None = None
    """Index into `spans` of the span the rule is broken in (None: not in one span)."""
    relation: int | None = None
    """Index into `relations` of the relation the rule is broken in."""
    target: str | None = None
    """The document stance target whose value breaks the rule."""

    def as_text(self) -> str:
        """`field: message [RULE]`, as import and pull report a rejected set."""
        return f"{self.field}: {self.message} [{self.rule}]"


def _short(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def _crossings(layers: Iterable[list[tuple[int, int, int]]]) -> list[tuple[int, int]]:
    pairs = []
    for items in layers:
        if len(items) < 2:
            continue
        items.sort()
        # Fast path: each span starts after every span before it has ended, or lies inside the
        # span just before it. Spans that pass both ways form a laminar family (nothing crosses);
        # anything else (e.g. a second span inside a common parent) takes the full walk below.
        reach = previous_end = 0
        for start, negative_end, _ in items:
            end = -negative_end
            if start >= reach:
                reach = previous_end = end
            elif end <= previous_end:
                previous_end = end
            else:
                break
        else:
            continue
        open_ends: list[int] = []
        open_index: list[int] = []
        for start, negative_end, i in items:
            end = -negative_end
            while open_ends and open_ends[-1] <= start:
                open_ends.pop()
                open_index.pop()
            if open_ends and end > open_ends[-1]:
                pairs.append((open_index[-1], i))
                continue
            open_ends.append(end)
            open_index.append(i)
    return pairs


def check_set(
    content: _SetContent, text: str, scheme: Scheme, *, gold: bool = False
) -> list[Finding]:
    """Check offsets, span texts, labels, attributes, stance, relations and layers of one set.

    `text` must be the text the set was made on (the caller checks `doc_sha256`). `gold` turns on
    the checks that only gold must pass (required attributes, minimum cardinality).
    """
    compiled = compiled_scheme(scheme)
    findings: list[Finding] = []
    add = findings.append
    labels = compiled.labels
    n = len(text)
    span_label: dict[str, str] = {}
    places: dict[tuple[int, int, str], int] = {}
    spans = content.spans
    by_layer: list[list[tuple[int, int, int]]] = [[] for _ in range(compiled.layer_count)]

    # Fields are read from each model's __dict__: pydantic models define __getattr__, which keeps
    # Python from specializing attribute loads, and this loop runs for every span of a corpus.
    for i, span in enumerate(spans):
        fields = span.__dict__
        span_id = fields["id"]
        start = fields["start"]
        end = fields["end"]
        label_name = fields["label"]
        if span_id in span_label:
            add(Finding("NG205", f"spans[{i}].id", f"span id {span_id} is used twice in this set", span=i))
        span_label[span_id] = label_name
        place = (start, end, label_name)
        first = places.setdefault(place, i)
        if first != i:
            add(Finding("NG209", f"spans[{i}]", f"span {span_id} repeats span {spans[first].id}: same label "
                        f"{label_name} at [{start},{end})", span=i))
        valid_range = start < end <= n
        if not valid_range:
            add(Finding("NG203", f"spans[{i}]", _offsets_problem(span_id, start, end, n), span=i))
        elif text[start:end] != fields["text"]:
            add(Finding("NG204", f"spans[{i}].text",
                        f"span {span_id} text {_short(span.text)} != document text "
                        f"{_short(text[start:end])} at [{start},{end})", span=i))
        fragments = fields["fragments"]
        if fragments is not None and not _fragments_fit(fragments, start, end):
            add(Finding("NG210", f"spans[{i}].fragments",
                        f"span {span_id} fragments {[list(f) for f in fragments]} are not two or more apart, in "
                        f"order, from {start} to {end}", span=i))
        label = labels.get(label_name)
        if label is None:
            add(Finding("NG301", f"spans[{i}].label",
                        f"span {span_id} has label {label_name!r}, not in the scheme "
                        f"({compiled.label_list})", span=i))
            continue
        if valid_range:
            by_layer[label.layer].append((start, -end, i))
        attrs = fields["attrs"]
        if attrs and not attrs.items() <= label.attr_items:
            _check_attrs(attrs, label.attrs, i, label_name, add)
        if gold and label.required:
            for name in label.required:
                if name not in attrs:
                    add(Finding("NG304", f"spans[{i}].attrs",
                                f"gold {label_name} span {span_id} lacks required attribute {name!r}",
                                span=i))
        stance = fields["stance"]
        if stance:
            if label.stance:
                if not stance.items() <= compiled.stance_items:
                    _check_stance(stance, i, compiled, add)
            else:
                add(Finding("NG305", f"spans[{i}].stance",
                            f"{label_name} spans carry no stance in this scheme", span=i))

    if content.stance:
        if compiled.doc_stance:
            _check_stance(content.stance, None, compiled, add)
        else:
            add(Finding("NG305", "stance", "the scheme has no document-level stance"))
    if content.attrs:
        _check_attrs(content.attrs, compiled.doc_attrs, None, "document", add)
    if content.relations or compiled.min_all or (gold and compiled.min_gold):
        if len(span_label) < len(spans) or not _relations_clean(content, compiled, span_label, gold):
            _check_relations(content, compiled, span_label, gold, add)
    if len(spans) > 1:
        for i, j in _crossings(by_layer):
            a, b = spans[i], spans[j]
            add(Finding("NG501", f"spans[{j}]",
                        f"span {b.id} [{b.start},{b.end}) crosses span {a.id} [{a.start},{a.end}) "
                        f"in layer {compiled.layer_of[b.label]}", span=j))
    return findings


def _offsets_problem(span_id: str, start: int, end: int, length: int) -> str:
    """Which of a span's offsets is wrong, in words: its end at or before its start, or past the text."""
    if end <= start:
        what = "an empty span" if end == start else "its end before its start"
        return f"span {span_id} [{start},{end}) ends at {end}, not after its start {start} ({what})"
    return (f"span {span_id} [{start},{end}) ends at {end}, past the end of the text "
            f"({length} code points, so the last possible end is {length})")


def _fragments_fit(fragments: list[tuple[int, int]], start: int, end: int) -> bool:
    """Two or more non-empty pieces in text order with a gap between each, from `start` to `end`."""
    if len(fragments) < 2 or fragments[0][0] != start or fragments[-1][1] != end:
        return False
    return all(a < b for a, b in fragments) and all(b < c for (_, b), (c, _) in zip(fragments, fragments[1:]))


def _where(span_index: int | None, what: str) -> str:
    return what if span_index is None else f"spans[{span_index}].{what}"


_Add = Callable[[Finding], None]


def _check_attrs(attrs: Mapping[str, str], declared: Mapping[str, tuple[str, ...]],
                 span_index: int | None, owner: str, add: _Add) -> None:
    for name, value in attrs.items():
        values = declared.get(name)
        if values is None:
            add(Finding("NG302", _where(span_index, f"attrs.{name}"),
                        f"{owner} has no attribute {name!r} in the scheme", span=span_index))
        elif value not in values:
            add(Finding("NG303", _where(span_index, f"attrs.{name}"),
                        f"{owner} {name}={value!r} is not one of {', '.join(values)}", span=span_index))


def _check_stance(stance: Mapping[str, str], span_index: int | None, compiled: CompiledScheme,
                  add: _Add) -> None:
    for target, value in stance.items():
        if target not in compiled.targets:
            add(Finding("NG306", _where(span_index, f"stance.{target}"),
                        f"stance target {target!r} is not in the scheme ({compiled.target_list})",
                        span=span_index, target=target if span_index is None else None))
        if value not in compiled.values:
            add(Finding("NG307", _where(span_index, f"stance.{target}"),
                        f"stance value {value!r} is not one of {compiled.value_list}",
                        span=span_index, target=target if span_index is None else None))


def _relations_clean(content: _SetContent, compiled: CompiledScheme, span_label: dict[str, str],
                     gold: bool) -> bool:
    """True when `_check_relations` would find nothing (one tight pass for the common case)."""
    allowed = compiled.relation_triples
    sources: list[tuple[str, str]] = []
    for relation in content.relations:
        fields = relation.__dict__
        relation_type, source = fields["type"], fields["from_"]
        if (relation_type, span_label.get(source), span_label.get(fields["to"])) not in allowed:
            return False
        sources.append((relation_type, source))
    per_source = set(sources)
    if len(per_source) != len(sources) or compiled.relation_max_zero:
        # Some span has several relations of a type (a repeated relation among them): let the
        # full check count them.
        return False
    for relation_type, rule in (compiled.min_gold if gold else compiled.min_all):
        if rule.min > 1:
            return False
        for span_id, label in span_label.items():
            if label in rule.from_labels and (relation_type, span_id) not in per_source:
                return False
    return True


def _check_relations(content: _SetContent, compiled: CompiledScheme, span_label: dict[str, str],
                     gold: bool, add: _Add) -> None:
    rules = compiled.relations
    seen: set[tuple[str, str, str]] = set()
    per_from: dict[tuple[str, str], int] = {}
    for i, relation in enumerate(content.relations):
        fields = relation.__dict__
        relation_type, source, target = fields["type"], fields["from_"], fields["to"]
        key = (relation_type, source, target)
        rule = rules.get(relation_type)
        if rule is None:
            add(Finding("NG401", f"relations[{i}].type",
                        f"relation type {relation_type!r} is not in the scheme ({compiled.relation_list})",
                        relation=i))
            continue
        if key in seen:
            add(Finding("NG405", f"relations[{i}]",
                        f"relation {relation_type} {source} -> {target} appears twice", relation=i))
            continue
        seen.add(key)
        from_label = span_label.get(source)
        to_label = span_label.get(target)
        if from_label is None or to_label is None:
            for end_field, span_id, found in (("from", source, from_label), ("to", target, to_label)):
                if found is None:
                    add(Finding("NG402", f"relations[{i}].{end_field}",
                                f"relation {relation_type} {end_field} {span_id!r} is no span of this set",
                                relation=i))
            continue
        if (from_label, to_label) not in rule.pairs:
            add(Finding("NG403", f"relations[{i}]",
                        f"{relation_type} joins {from_label} -> {to_label}; allowed: {rule.allowed}",
                        relation=i))
            continue
        per_key = (relation_type, source)
        per_from[per_key] = per_from.get(per_key, 0) + 1

    spans = content.spans
    position: dict[str, int] | None = None
    for (relation_type, source), count in per_from.items():
        rule = rules[relation_type]
        if rule.max is not None and count > rule.max:
            if position is None:
                position = {s.id: i for i, s in enumerate(spans)}
            add(Finding("NG404", f"spans[{position[source]}]",
                        f"{span_label[source]} span {source} has {count} {relation_type} relations; "
                        f"at most {rule.max} allowed", span=position[source]))
    for relation_type, rule in (compiled.min_gold if gold else compiled.min_all):
        for i, span in enumerate(spans):
            fields = span.__dict__
            if fields["label"] in rule.from_labels:
                count = per_from.get((relation_type, fields["id"]), 0)
                if count < rule.min:
                    add(Finding("NG404", f"spans[{i}]",
                                f"{span.label} span {span.id} has {count} {relation_type} relations; "
                                f"at least {rule.min} required{' in gold' if gold else ''}",
                                span=i))
