"""check_set against a plain reading of the rules, on sets hypothesis makes up.

check_set is tuned (whole-set fast paths, compiled lookup tables); this test keeps it honest: for
any set, it reports exactly the (rule, field) pairs that the rules, read one by one, call for.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus.checks import check_set
from newsgold.schemas import AnnotationSet
from helpers import seed_scheme

SCHEME = seed_scheme()
TEXT = "Pevkur said NATO troops are in Ukraine. Peskov denied it."
TARGET = SCHEME.target_ids[0]
IDS = ["s1", "s2", "s3", "s4", "s5"]


@st.composite
def annotation_sets(draw: Any) -> dict[str, Any]:
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(TEXT) + 2))
        end = draw(st.integers(0, len(TEXT) + 2))
        spans.append({
            "id": draw(st.sampled_from(IDS)), "start": start, "end": end,
            "label": draw(st.sampled_from(["PERSON", "GPE", "QUOTE", "SPEAKER", "CUE", "BOGUS"])),
            "text": TEXT[start:end] if draw(st.booleans()) or start >= end else "?",
            "attrs": draw(st.sampled_from([{}, {"form": "direct"}, {"form": "sideways"}, {"tone": "x"}])),
            "stance": draw(st.sampled_from([{}, {TARGET: "favor"}, {TARGET: "maybe"}, {"moon": "favor"}])),
        })
    relations = [{"type": draw(st.sampled_from(["attributed_to", "cued_by", "refers_to", "bogus"])),
                  "from": draw(st.sampled_from([*IDS, "s9"])), "to": draw(st.sampled_from([*IDS, "s9"]))}
                 for _ in range(draw(st.integers(0, 6)))]
    stance = draw(st.sampled_from([{}, {TARGET: "against"}, {TARGET: "maybe"}, {"moon": "favor"}]))
    return {"spans": spans, "relations": relations, "stance": stance}


def expected_findings(record: dict[str, Any], gold: bool) -> tuple[set[tuple[str, str]], bool]:
    """(rule, field) of every problem, and whether two spans of a layer cross."""
    found: set[tuple[str, str]] = set()
    labels = SCHEME.labels
    targets, values = set(SCHEME.target_ids), set(SCHEME.stance_values)
    seen_ids: set[str] = set()
    seen_places: set[tuple[int, int, str]] = set()
    placed: list[tuple[str, int, int]] = []  # layer, start, end of spans with a range and a label
    for i, span in enumerate(record["spans"]):
        if span["id"] in seen_ids:
            found.add(("NG205", f"spans[{i}].id"))
        seen_ids.add(span["id"])
        if (span["start"], span["end"], span["label"]) in seen_places:
            found.add(("NG209", f"spans[{i}]"))
        seen_places.add((span["start"], span["end"], span["label"]))
        in_range = span["start"] < span["end"] <= len(TEXT)
        if not in_range:
            found.add(("NG203", f"spans[{i}]"))
        elif TEXT[span["start"]:span["end"]] != span["text"]:
            found.add(("NG204", f"spans[{i}].text"))
        label = labels.get(span["label"])
        if label is None:
            found.add(("NG301", f"spans[{i}].label"))
            continue
        if in_range:
            placed.append((SCHEME.layer_of[span["label"]], span["start"], span["end"]))
        declared = {a.name: a for a in label.attrs}
        for name, value in span.get("attrs", {}).items():
            if name not in declared:
                found.add(("NG302", f"spans[{i}].attrs.{name}"))
            elif value not in declared[name].values:
                found.add(("NG303", f"spans[{i}].attrs.{name}"))
        if gold and any(a.required and a.name not in span.get("attrs", {}) for a in label.attrs):
            found.add(("NG304", f"spans[{i}].attrs"))
        for target, value in span.get("stance", {}).items():
            if not label.stance:
                found.add(("NG305", f"spans[{i}].stance"))
                break
            if target not in targets:
                found.add(("NG306", f"spans[{i}].stance.{target}"))
            if value not in values:
                found.add(("NG307", f"spans[{i}].stance.{target}"))
    for target, value in record["stance"].items():
        if target not in targets:
            found.add(("NG306", f"stance.{target}"))
        if value not in values:
            found.add(("NG307", f"stance.{target}"))
    label_of = {s["id"]: s["label"] for s in record["spans"]}  # the last span of an id wins
    rules = {r.name: r for r in SCHEME.relations}
    keys: set[tuple[str, str, str]] = set()
    counts: dict[tuple[str, str], int] = {}
    for i, relation in enumerate(record["relations"]):
        kind, source, target = relation["type"], relation["from"], relation["to"]
        if kind not in rules:
            found.add(("NG401", f"relations[{i}].type"))
            continue
        if (kind, source, target) in keys:
            found.add(("NG405", f"relations[{i}]"))
            continue
        keys.add((kind, source, target))
        if source not in label_of or target not in label_of:
            found |= {("NG402", f"relations[{i}].{end}")
                      for end, span_id in (("from", source), ("to", target)) if span_id not in label_of}
            continue
        if [label_of[source], label_of[target]] not in [list(p) for p in rules[kind].pairs]:
            found.add(("NG403", f"relations[{i}]"))
            continue
        counts[kind, source] = counts.get((kind, source), 0) + 1
    last_position = {s["id"]: i for i, s in enumerate(record["spans"])}
    for (kind, source), count in counts.items():
        if rules[kind].cardinality.max is not None and count > rules[kind].cardinality.max:
            found.add(("NG404", f"spans[{last_position[source]}]"))
    for rule in SCHEME.relations:
        needed = rule.cardinality.min if (gold or rule.cardinality.min_applies_to == "all") else 0
        sources = {a for a, _ in rule.pairs}
        for i, span in enumerate(record["spans"]):
            if needed and span["label"] in sources and counts.get((rule.name, span["id"]), 0) < needed:
                found.add(("NG404", f"spans[{i}]"))
    crossing = any(a[0] == b[0] and a[1] < b[1] < a[2] < b[2] for a in placed for b in placed)
    return found, crossing


@settings(max_examples=400, deadline=None)
@given(record=annotation_sets(), gold=st.booleans())
def test_check_set_reports_what_the_rules_call_for(record: dict[str, Any], gold: bool) -> None:
    annotation_set = AnnotationSet.model_validate({
        "doc_id": "d1", "doc_sha256": "0" * 64, "annotator": "a", "origin": {"source": "manual"}, **record})
    findings = check_set(annotation_set, TEXT, SCHEME, gold=gold)
    expected, crossing = expected_findings(record, gold)
    assert {(f.rule, f.field) for f in findings if f.rule != "NG501"} == expected
    assert any(f.rule == "NG501" for f in findings) == crossing


def test_a_clean_set_has_no_findings() -> None:
    record = {"spans": [
        {"id": "q", "start": 12, "end": 39, "label": "QUOTE", "text": TEXT[12:39],
         "attrs": {"form": "indirect"}, "stance": {TARGET: "favor"}},
        {"id": "sp", "start": 0, "end": 6, "label": "SPEAKER", "text": "Pevkur"},
        {"id": "p", "start": 0, "end": 6, "label": "PERSON", "text": "Pevkur"},
        {"id": "c", "start": 7, "end": 11, "label": "CUE", "text": "said"},
        {"id": "g", "start": 31, "end": 38, "label": "GPE", "text": "Ukraine"}],
        "relations": [{"type": "attributed_to", "from": "q", "to": "sp"},
                      {"type": "cued_by", "from": "q", "to": "c"},
                      {"type": "refers_to", "from": "sp", "to": "p"}],
        "stance": {TARGET: "favor"}}
    assert expected_findings(record, gold=True) == (set(), False)
    annotation_set = AnnotationSet.model_validate({
        "doc_id": "d1", "doc_sha256": "0" * 64, "annotator": "a", "origin": {"source": "manual"}, **record})
    assert check_set(annotation_set, TEXT, SCHEME, gold=True) == []
