"""Semantic checks of one annotation or gold set against its document text and the scheme.

`check_set` is shared by `validate`, the Label Studio pull, import and adjudication, so that
nothing is stored that `newsgold validate` would reject.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgold.schemas.annotation import Span, _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["Finding", "check_set", "crossing_pairs"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken rule inside a record: the rule code, the field path and a message."""

    rule: str
    field: str
    message: str


def _short(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


def crossing_pairs(spans: list[Span], layer_of: dict[str, str]) -> list[tuple[int, int]]:
    """Return index pairs (i, j) of spans of one layer that overlap without nesting."""
    by_layer: dict[str, list[int]] = {}
    for i, span in enumerate(spans):
        layer = layer_of.get(span.label)
        if layer is not None and span.end > span.start:
            by_layer.setdefault(layer, []).append(i)
    pairs = []
    for indices in by_layer.values():
        indices.sort(key=lambda i: (spans[i].start, -spans[i].end))
        open_spans: list[int] = []
        for i in indices:
            start, end = spans[i].start, spans[i].end
            while open_spans and spans[open_spans[-1]].end <= start:
                open_spans.pop()
            if open_spans and end > spans[open_spans[-1]].end:
                pairs.append((open_spans[-1], i))
                continue
            open_spans.append(i)
    return pairs


def check_set(
    content: _SetContent, text: str, scheme: Scheme, *, gold: bool = False
) -> list[Finding]:
    """Check offsets, span texts, labels, attributes, stance, relations and layers of one set.

    `text` must be the text the set was made on (the caller checks `doc_sha256`). `gold` turns on
    the checks that only gold must pass (required attributes, minimum cardinality).
    """
    findings: list[Finding] = []
    add = findings.append
    labels = scheme.labels
    targets = scheme.target_ids
    stance_values = scheme.stance_values
    n = len(text)
    span_label: dict[str, str] = {}

    for i, span in enumerate(content.spans):
        where = f"spans[{i}]"
        if span.id in span_label:
            add(Finding("NG205", f"{where}.id", f"span id {span.id} is used twice in this set"))
        span_label[span.id] = span.label
        start, end = span.start, span.end
        if end <= start or end > n:
            add(Finding(
                "NG203", where,
                f"span {span.id} offsets [{start},{end}) are not a non-empty range within the "
                f"text of {n} code points",
            ))
        else:
            covered = text[start:end]
            if covered != span.text:
                add(Finding(
                    "NG204", f"{where}.text",
                    f"span {span.id} text {_short(span.text)} != document text "
                    f"{_short(covered)} at [{start},{end})",
                ))
        label = labels.get(span.label)
        if label is None:
            add(Finding("NG301", f"{where}.label",
                        f"span {span.id} has label {span.label!r}, not in the scheme "
                        f"({', '.join(labels)})"))
            continue
        if span.attrs or (gold and label.attrs):
            declared = {a.name: a for a in label.attrs}
            for name, value in span.attrs.items():
                attr = declared.get(name)
                if attr is None:
                    add(Finding("NG302", f"{where}.attrs.{name}",
                                f"{span.label} has no attribute {name!r}"))
                elif value not in attr.values:
                    add(Finding("NG303", f"{where}.attrs.{name}",
                                f"{span.label} {name}={value!r} is not one of "
                                f"{', '.join(attr.values)}"))
            if gold:
                for attr in label.attrs:
                    if attr.required and attr.name not in span.attrs:
                        add(Finding("NG304", f"{where}.attrs",
                                    f"gold {span.label} span {span.id} lacks required "
                                    f"attribute {attr.name!r}"))
        if span.stance:
            if not label.stance:
                add(Finding("NG305", f"{where}.stance",
                            f"{span.label} spans carry no stance in this scheme"))
            else:
                _check_stance(span.stance, f"{where}.stance", targets, stance_values, add)

    if content.stance:
        if scheme.stance is None or not scheme.stance.document_level:
            add(Finding("NG305", "stance", "the scheme has no document-level stance"))
        else:
            _check_stance(content.stance, "stance", targets, stance_values, add)
    if content.attrs:
        declared_doc = {a.name: a for a in scheme.doc_attrs}
        for name, value in content.attrs.items():
            attr = declared_doc.get(name)
            if attr is None:
                add(Finding("NG302", f"attrs.{name}", f"no document attribute {name!r} in the scheme"))
            elif value not in attr.values:
                add(Finding("NG303", f"attrs.{name}",
                            f"document {name}={value!r} is not one of {', '.join(attr.values)}"))

    _check_relations(content, scheme, span_label, gold, add)

    for i, j in crossing_pairs(content.spans, scheme.layer_of):
        a, b = content.spans[i], content.spans[j]
        add(Finding("NG501", f"spans[{j}]",
                    f"span {b.id} [{b.start},{b.end}) crosses span {a.id} [{a.start},{a.end}) "
                    f"in layer {scheme.layer_of[b.label]}"))
    return findings


def _check_stance(stance, where, targets, values, add) -> None:  # type: ignore[no-untyped-def]
    for target, value in stance.items():
        if target not in targets:
            add(Finding("NG306", f"{where}.{target}",
                        f"stance target {target!r} is not in the scheme ({', '.join(targets)})"))
        if value not in values:
            add(Finding("NG307", f"{where}.{target}",
                        f"stance value {value!r} is not one of {', '.join(values)}"))


def _check_relations(content, scheme, span_label, gold, add) -> None:  # type: ignore[no-untyped-def]
    relation_types = scheme.relation_types
    seen: set[tuple[str, str, str]] = set()
    per_from: dict[tuple[str, str], int] = {}
    for i, relation in enumerate(content.relations):
        where = f"relations[{i}]"
        definition = relation_types.get(relation.type)
        if definition is None:
            add(Finding("NG401", f"{where}.type",
                        f"relation type {relation.type!r} is not in the scheme "
                        f"({', '.join(relation_types)})"))
            continue
        key = (relation.type, relation.from_, relation.to)
        if key in seen:
            add(Finding("NG405", where,
                        f"relation {relation.type} {relation.from_} -> {relation.to} appears twice"))
            continue
        seen.add(key)
        ends_ok = True
        for end_field, span_id in (("from", relation.from_), ("to", relation.to)):
            if span_id not in span_label:
                add(Finding("NG402", f"{where}.{end_field}",
                            f"relation {relation.type} {end_field} {span_id!r} is no span of this set"))
                ends_ok = False
        if not ends_ok:
            continue
        pair = (span_label[relation.from_], span_label[relation.to])
        if pair not in {tuple(p) for p in definition.pairs}:
            allowed = ", ".join(f"{a}->{b}" for a, b in definition.pairs)
            add(Finding("NG403", where,
                        f"{relation.type} joins {pair[0]} -> {pair[1]}; allowed: {allowed}"))
            continue
        per_from[(relation.type, relation.from_)] = per_from.get((relation.type, relation.from_), 0) + 1

    for definition in scheme.relations:
        card = definition.cardinality
        from_labels = {a for a, _ in definition.pairs}
        enforce_min = card.min > 0 and (gold or card.min_applies_to == "all")
        for i, span in enumerate(content.spans):
            if span.label not in from_labels:
                continue
            count = per_from.get((definition.name, span.id), 0)
            if card.max is not None and count > card.max:
                add(Finding("NG404", f"spans[{i}]",
                            f"{span.label} span {span.id} has {count} {definition.name} relations; "
                            f"at most {card.max} allowed"))
            elif enforce_min and count < card.min:
                add(Finding("NG404", f"spans[{i}]",
                            f"{span.label} span {span.id} has {count} {definition.name} relations; "
                            f"at least {card.min} required{' in gold' if gold else ''}"))
