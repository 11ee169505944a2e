"""The pydantic models and the scheme."""

from __future__ import annotations

import hashlib
import json

import pytest
from pydantic import ValidationError

from newsgold.schemas import (
    AnnotationSet,
    Document,
    Relation,
    Scheme,
    Span,
    content_fingerprint,
    default_scheme,
)


def test_document_hashes_its_text() -> None:
    document = Document.from_text("d1", "Ünïcode 😀\n")

    assert document.sha256 == hashlib.sha256("Ünïcode 😀\n".encode()).hexdigest()
    assert document.format_version == "1.0"


def test_records_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="extra_forbidden|Extra inputs"):
        Span.model_validate({"id": "s1", "start": 0, "end": 1, "label": "X", "text": "a", "colour": "red"})


def test_records_are_frozen() -> None:
    span = Span(id="s1", start=0, end=1, label="PERSON", text="a")
    with pytest.raises(ValidationError):
        span.start = 3  # type: ignore[misc]


def test_relation_uses_from_in_json() -> None:
    relation = Relation.model_validate({"type": "attributed_to", "from": "s1", "to": "s2"})
    assert relation.from_ == "s1"
    assert relation.model_dump(by_alias=True) == {"type": "attributed_to", "from": "s1", "to": "s2"}


def test_default_scheme_declares_the_news_layers() -> None:
    scheme = default_scheme()
    assert [layer.name for layer in scheme.layers] == ["entity", "attribution"]
    assert list(scheme.labels) == ["PERSON", "ORG", "GPE", "NORP", "QUOTE", "SPEAKER", "CUE"]
    assert scheme.labels["QUOTE"].stance and not scheme.labels["SPEAKER"].stance
    assert scheme.labels["QUOTE"].attrs[0].values == ["direct", "indirect", "mixed"]
    attributed = scheme.relation_types["attributed_to"]
    assert (attributed.cardinality.min, attributed.cardinality.max) == (1, 1)
    assert scheme.relation_types["cued_by"].cardinality.max == 1
    assert scheme.target_ids == ()  # a new corpus's claims are its own (issue 43, item 6)
    assert scheme.stance_values == ("favor", "against", "neutral")


def test_scheme_rejects_relations_to_unknown_labels() -> None:
    raw = json.loads(default_scheme().model_dump_json())
    raw["relations"][0]["pairs"] = [["QUOTE", "SPOKESPERSON"]]
    with pytest.raises(ValidationError, match=r"relations\[0\].pairs\[0\]\[1\] \(relation attributed_to\): no label .SPOKESPERSON."):
        Scheme.model_validate(raw)


def test_scheme_rejects_duplicate_labels() -> None:
    raw = json.loads(default_scheme().model_dump_json())
    raw["layers"][1]["labels"].append({"name": "PERSON"})
    with pytest.raises(ValidationError, match="unique"):
        Scheme.model_validate(raw)


def test_fingerprint_ignores_order() -> None:
    spans = [Span(id="a", start=0, end=1, label="PERSON", text="x"),
             Span(id="b", start=2, end=3, label="ORG", text="y")]
    common = dict(doc_id="d", doc_sha256="0" * 64, annotator="a", origin={"source": "manual"})
    one = AnnotationSet(spans=spans, **common)
    two = AnnotationSet(spans=spans[::-1], **common)
    assert content_fingerprint(one) == content_fingerprint(two)
    three = AnnotationSet(spans=spans[:1], **common)
    assert content_fingerprint(one) != content_fingerprint(three)
