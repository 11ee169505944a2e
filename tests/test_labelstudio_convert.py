"""Label Studio conversion without a server: config, offsets, results <-> sets, the UI fixture."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from label_studio_sdk.label_interface import LabelInterface

from newsgold.corpus import Corpus, check_set
from newsgold.formats.labelstudio.config import NOTE_NAME, label_config
from newsgold.formats.labelstudio.convert import results_to_content, set_to_results
from newsgold.formats.labelstudio.offsets import Utf16Map, display_text, read_region
from newsgold.schemas import GoldSet, Scheme, Span

from conftest import DATA, REPO
from helpers import seed_scheme

FIXTURE = json.loads((DATA / "label-studio-ui" / "ui_annotations.json").read_text())


def test_config_is_valid_for_label_studio() -> None:
    config = label_config(seed_scheme())
    interface = LabelInterface(config)
    interface.validate()
    controls = {name: sorted(control.labels or []) for name, control in interface._controls.items()}
    assert controls["entity"] == ["GPE", "NORP", "ORG", "PERSON"]
    assert controls["attribution"] == ["CUE", "QUOTE", "SPEAKER"]
    assert controls["attr__QUOTE__form"] == ["direct", "indirect", "mixed"]
    assert controls["stance__russia-300k-troops"] == ["against", "favor", "neutral"]
    assert controls["doc_stance__nato-personnel-in-ukraine"] == ["against", "favor", "neutral"]
    assert "granularity" not in config  # character granularity: a drag gives exactly its characters
    assert 'required="true"' in config and 'choice="single"' in config and "single-radio" not in config
    assert 'whenLabelValue="QUOTE"' in config
    form = next(a for a in seed_scheme().labels["QUOTE"].attrs if a.name == "form")
    assert f'<Choice value="direct" hint="{form.description}"/>' in config  # the attribute's meaning, on hover
    assert controls[NOTE_NAME] == [] and interface.get_control(NOTE_NAME).tag == "TextArea"


def test_the_note_for_the_adjudicator_is_read_and_other_text_is_named() -> None:
    note = {"id": "n1", "from_name": NOTE_NAME, "to_name": "text", "type": "textarea",
            "value": {"text": ["Is Pevkur the speaker?\nCheck the team.  ", " "]}}
    converted = results_to_content([note], "Some text.", seed_scheme())
    assert converted.note == "Is Pevkur the speaker?\nCheck the team." and not converted.warnings
    empty = results_to_content([{**note, "value": {"text": ["  "]}}], "Some text.", seed_scheme())
    assert empty.note is None
    other = results_to_content([{**note, "from_name": "summary"}, {"id": "x", "type": "rating", "value": {}}],
                               "Some text.", seed_scheme())
    assert other.note is None and other.warnings == [
        "text of 'summary' is not from the newsgold config; ignored",
        "a region of type 'rating' is not from the newsgold config; ignored"]
    broken = results_to_content([{**note, "value": {"text": "not a list"}}], "Some text.", seed_scheme())
    assert [e.message for e in broken.errors] == ["the note's value.text is not a list of strings"]


def test_config_escapes_labels_and_claims() -> None:
    raw = json.loads(seed_scheme().model_dump_json())
    raw["stance"]["targets"][0]["claim"] = 'NATO "personnel" <are> in Ukraine & more'
    raw["layers"][0]["labels"][0]["description"] = "People <named> & \"quoted\""
    config = label_config(Scheme.model_validate(raw))
    LabelInterface(config).validate()
    assert "&lt;are&gt;" in config and "&amp; more" in config


def test_display_text_matches_the_ui() -> None:
    assert display_text("one.\r\n\r\nPevkur") == "one.\\n\\n\\n\\nPevkur"
    assert display_text("A  B\t\tC") == "A B C"


@pytest.mark.parametrize("task", FIXTURE, ids=[t["data"]["key"] for t in FIXTURE])
def test_every_ui_region_converts_to_the_selected_text(task) -> None:
    text = task["data"]["text"]
    [annotation] = task["annotations"]
    converted = results_to_content(annotation["result"], text, seed_scheme())
    if task["data"]["key"] == "v_relation_choice_emoji":  # its relation is refused (next test); regions are fine
        converted = results_to_content([r for r in annotation["result"] if r["type"] != "relation"], text,
                                       seed_scheme())
    assert not converted.errors
    regions = [r for r in annotation["result"] if r["type"] == "labels"]
    assert len(converted.spans) == len(regions)
    for region in regions:
        [span] = [s for s in converted.spans if s.id == region["id"]]
        assert span.text == text[region["value"]["start"]:region["value"]["end"]]
        assert display_text(span.text) == region["value"]["text"]
        assert span.label == region["value"]["labels"][0]
    assert converted.utf16_regions == 0


def test_ui_fixture_relation_and_choice() -> None:
    [task] = [t for t in FIXTURE if t["data"]["key"] == "v_relation_choice_emoji"]
    converted = results_to_content(task["annotations"][0]["result"], task["data"]["text"], seed_scheme())
    quote = next(s for s in converted.spans if s.label == "QUOTE")
    assert quote.text == "“no troops”"
    # The annotator joined QUOTE -> PERSON with attributed_to, which the scheme allows only to a
    # SPEAKER: the annotation is refused, naming both regions, never stored without the relation.
    [error] = converted.errors
    assert error.region_id == "4WXnxRPaWW->X5CVebHxRJ"
    assert "QUOTE -> PERSON labelled 'attributed_to', which the scheme does not allow" in error.message
    # The fixture's config names its stance control `stance`, not newsgold's: reported, not guessed.
    assert any("stance" in w for w in converted.warnings)


def test_utf16_offsets_are_read_when_code_points_do_not_match() -> None:
    text = "Fans 😀😀 cheered. Stoltenberg said"
    units = Utf16Map(text)
    start = units.to_units(text.index("Stoltenberg"))
    reading = read_region(text, start, start + 11, "Stoltenberg")
    assert reading is not None and reading.counting == "utf-16"
    assert text[reading.start:reading.end] == "Stoltenberg"
    result = [{"id": "r1", "type": "labels", "from_name": "entity", "to_name": "text",
               "value": {"start": start, "end": start + 11, "text": "Stoltenberg", "labels": ["PERSON"]}}]
    converted = results_to_content(result, text, seed_scheme())
    assert converted.spans[0].start == text.index("Stoltenberg") and converted.utf16_regions == 1


def test_a_region_no_reading_reproduces_is_rejected() -> None:
    result = [
        {"id": "ok", "type": "labels", "value": {"start": 0, "end": 4, "text": "Fans", "labels": ["PERSON"]}},
        {"id": "bad", "type": "labels", "value": {"start": 5, "end": 9, "text": "cheer", "labels": ["PERSON"]}},
    ]
    converted = results_to_content(result, "Fans 😀😀 cheered.", seed_scheme())
    assert [e.region_id for e in converted.errors] == ["bad"]
    assert converted.spans == []  # nothing of the annotation is half-converted


def test_untyped_relation_gets_the_only_type_the_scheme_allows() -> None:
    text = "Peskov said no."
    result = [
        {"id": "q", "type": "labels", "value": {"start": 12, "end": 15, "text": "no.", "labels": ["QUOTE"]}},
        {"id": "s", "type": "labels", "value": {"start": 0, "end": 6, "text": "Peskov", "labels": ["SPEAKER"]}},
        {"type": "relation", "from_id": "s", "to_id": "q", "direction": "left", "labels": []},
    ]
    [relation] = results_to_content(result, text, seed_scheme()).relations
    assert (relation.type, relation.from_, relation.to) == ("attributed_to", "q", "s")


def test_gold_round_trips_through_label_studio_results() -> None:
    corpus = Corpus.open(REPO / "corpus")
    texts = {d.id: d.text for d in corpus.iter_documents()}
    for gold in corpus.iter_gold():
        results = set_to_results(gold, corpus.scheme)
        interface = LabelInterface(label_config(corpus.scheme))
        assert interface.validate_prediction({"result": results}, return_errors=True) == []
        converted = results_to_content(results, texts[gold.doc_id], corpus.scheme)
        assert not converted.errors and not converted.warnings
        assert _content(converted) == _content(gold)
        assert converted.stance == gold.stance
        # A speaker whose words are a person's is the person's region with the SPEAKER label too, as
        # the guidelines draw it (its id is then the region's: REGION.SPEAKER), never a second region.
        regions = [r for r in results if r.get("type") == "labels"]
        assert len({(r["value"]["start"], r["value"]["end"], r["from_name"]) for r in regions}) == len(regions)
        speakers_on_entities = [s for s in gold.spans if s.label == "SPEAKER" and any(
            o.label != "SPEAKER" and (o.start, o.end) == (s.start, s.end) for o in gold.spans)]
        assert speakers_on_entities and len({r["id"] for r in regions}) == len(gold.spans) - len(speakers_on_entities)


def _content(annotation_set) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """Spans and relations by what they are (offsets, label, values), not by their ids."""
    key = {s.id: (s.start, s.end, s.label) for s in annotation_set.spans}
    spans = sorted((s.start, s.end, s.label, s.text, sorted(s.attrs.items()), sorted(s.stance.items()),
                    s.fragments) for s in annotation_set.spans)
    return spans, sorted((r.type, key[r.from_], key[r.to]) for r in annotation_set.relations)


alphabet = st.sampled_from(list("ab c\n\t😀é“”"))


@given(text=st.text(alphabet=alphabet, min_size=2, max_size=30), data=st.data())
def test_any_span_round_trips(text: str, data) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    gold = GoldSet(doc_id="d", doc_sha256="0" * 64, provenance={"method": "manual"},
                   spans=[{"id": "s1", "start": start, "end": end, "label": "QUOTE",
                           "text": text[start:end], "attrs": {"form": "direct"}}])
    converted = results_to_content(set_to_results(gold, seed_scheme()), text, seed_scheme())
    assert converted.spans == gold.spans
    assert not check_set(gold, text, seed_scheme())


def _relation_results(labels: list[str]) -> list[dict]:
    text = "Ann said: we stay."
    return [
        {"id": "q", "type": "labels", "from_name": "attribution", "to_name": "text",
         "value": {"start": 10, "end": 18, "text": "we stay.", "labels": ["QUOTE"]}},
        {"id": "s", "type": "labels", "from_name": "attribution", "to_name": "text",
         "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["SPEAKER"]}},
        {"type": "relation", "from_id": "q", "to_id": "s", "direction": "right", "labels": labels},
    ], text


@pytest.mark.parametrize(("labels", "outcome"), [
    ([], "attributed_to"),                                  # the one type QUOTE -> SPEAKER allows
    (["attributed_to"], "attributed_to"),
    (["attributed_to", "cued_by"], "several labels"),       # never reduced to one in silence
    (["cued_by"], "does not allow"),                        # QUOTE -> SPEAKER cannot be cued_by
])
def test_relation_labels_are_taken_or_refused_with_their_regions(labels: list[str], outcome: str) -> None:
    results, text = _relation_results(labels)
    converted = results_to_content(results, text, seed_scheme())
    if outcome == "attributed_to":
        assert not converted.errors and [r.type for r in converted.relations] == ["attributed_to"]
    else:
        [error] = converted.errors
        assert error.region_id == "q->s" and outcome in error.message


def test_a_discontinuous_span_is_regions_joined_by_continues_and_reads_back() -> None:
    from newsgold.schemas import AnnotationSet

    text = "“We will win,” Trump said. “The state is ours.”"
    f1 = (1, 13)
    f2 = (text.index("The state"), text.index("ours.") + 5)
    quote = Span(id="q1", start=f1[0], end=f2[1], label="QUOTE", text=text[f1[0]:f2[1]],
                 attrs={"form": "direct"}, fragments=[f1, f2])
    trump = Span(id="s1", start=15, end=20, label="SPEAKER", text="Trump")
    content = AnnotationSet(doc_id="d", doc_sha256="0" * 64, annotator="a", origin={"source": "manual"},
                            spans=[quote, trump], relations=[{"type": "attributed_to", "from": "q1", "to": "s1"}])
    results = set_to_results(content, seed_scheme(), text)
    regions = [r for r in results if r.get("type") == "labels"]
    assert [(r["id"], r["value"]["text"]) for r in regions] == [("q1", "We will win,"), ("q1-f2", "The state is ours."),
                                                                ("s1", "Trump")]
    assert {"from_id": "q1", "to_id": "q1-f2", "type": "relation", "direction": "right",
            "labels": ["continues"]} in results
    interface = LabelInterface(label_config(seed_scheme()))
    assert interface.validate_prediction({"result": results}, return_errors=True) == []
    back = results_to_content(results, text, seed_scheme())
    assert not back.errors
    [read_quote] = [s for s in back.spans if s.label == "QUOTE"]
    assert (read_quote.id, read_quote.fragments, read_quote.attrs) == ("q1", [f1, f2], {"form": "direct"})
    assert [(r.type, r.from_, r.to) for r in back.relations] == [("attributed_to", "q1", "s1")]
    # a relation drawn to a later fragment belongs to the span; a continues across labels is refused
    moved = [dict(r, from_id="q1-f2") if r.get("labels") == ["attributed_to"] else r for r in results]
    assert [(r.from_, r.to) for r in results_to_content(moved, text, seed_scheme()).relations] == [("q1", "s1")]
    clash = results + [{"from_id": "q1", "to_id": "s1", "type": "relation", "direction": "right",
                        "labels": ["continues"]}]
    assert "the fragments of one span have one label" in results_to_content(clash, text, seed_scheme()).errors[0].message


@pytest.mark.parametrize(("label", "ok"), [("_question_", True), ("_gt_A", True), ("N_lt_", True), ("9lives", True),
                                           ("a__b", False), ("", False)])
def test_scheme_names_are_what_brat_accepts_and_control_names_stay_readable(label: str, ok: bool) -> None:
    from pydantic import ValidationError

    from newsgold.formats.labelstudio.config import attr_control, parse_control
    from newsgold.schemas.scheme import LabelDef

    if not ok:
        with pytest.raises(ValidationError):
            LabelDef(name=label)
        return
    LabelDef(name=label, attrs=[{"name": "form", "values": ["a"]}])
    assert parse_control(attr_control(label, "form")) == ("attr", label, "form")


def test_attribute_names_start_with_a_letter() -> None:
    from pydantic import ValidationError

    from newsgold.schemas.scheme import AttributeDef

    with pytest.raises(ValidationError):
        AttributeDef(name="_x", values=["a"])


def _region(region_id: str, control: str, start: int, end: int, text: str, *labels: str) -> dict:
    return {"id": region_id, "type": "labels", "from_name": control, "to_name": "text",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": list(labels)}}


def test_a_region_labelled_in_two_controls_is_one_span_per_label_and_relations_find_theirs() -> None:
    # The speaker-over-entity case of the labeling page: one region, PERSON and SPEAKER.
    text = "Peskov said: no."
    results = [
        _region("p", "entity", 0, 6, text, "PERSON"),
        _region("p", "attribution", 0, 6, text, "SPEAKER"),
        _region("q", "attribution", 13, 16, text, "QUOTE"),
        {"id": "q", "type": "choices", "from_name": "attr__QUOTE__form", "to_name": "text",
         "value": {"start": 13, "end": 16, "choices": ["direct"]}},
        {"type": "relation", "from_id": "q", "to_id": "p", "direction": "right", "labels": []},
        {"type": "relation", "from_id": "p", "to_id": "p", "direction": "right", "labels": ["refers_to"]},
    ]
    converted = results_to_content(results, text, seed_scheme())
    assert not converted.errors, converted.errors
    assert sorted((s.id, s.label) for s in converted.spans) == [("p", "PERSON"), ("p.SPEAKER", "SPEAKER"),
                                                              ("q", "QUOTE")]
    assert sorted((r.type, r.from_, r.to) for r in converted.relations) == [
        ("attributed_to", "q", "p.SPEAKER"), ("refers_to", "p.SPEAKER", "p")]


def test_a_region_labelled_speaker_and_entity_means_the_speaker_refers_to_that_entity() -> None:
    """The guidelines' way to mark a speaker who is a named entity: the SPEAKER label added to the
    entity's region. The speaker -> entity relation it means is stored, once, also when drawn."""
    text = "Peskov said: no. Lavrov agreed."
    results = [
        _region("p", "entity", 0, 6, text, "PERSON"),
        _region("p", "attribution", 0, 6, text, "SPEAKER"),
        _region("g", "entity", 17, 23, text, "GPE"),  # an entity label the reference does not allow: no relation
        _region("g", "attribution", 17, 23, text, "SPEAKER"),
        _region("o", "entity", 7, 11, text, "ORG"),  # no speaker: no relation
    ]
    converted = results_to_content(results, text, seed_scheme())
    assert not converted.errors and not converted.warnings, (converted.errors, converted.warnings)
    allowed = {tuple(pair) for pair in seed_scheme().relation_types["refers_to"].pairs}
    expected = [("refers_to", "p.SPEAKER", "p")] + ([("refers_to", "g.SPEAKER", "g")] if ("SPEAKER", "GPE") in allowed else [])
    assert sorted((r.type, r.from_, r.to) for r in converted.relations) == sorted(expected)
    drawn = results_to_content(results + [{"type": "relation", "from_id": "p", "to_id": "p", "direction": "right",
                                           "labels": ["refers_to"]}], text, seed_scheme())
    assert sorted((r.type, r.from_, r.to) for r in drawn.relations) == sorted(expected)
    elsewhere = results_to_content(results + [{"type": "relation", "from_id": "p", "to_id": "o", "direction": "right",
                                               "labels": []}], text, seed_scheme())  # SPEAKER -> ORG, drawn
    assert ("refers_to", "p.SPEAKER", "o") in {(r.type, r.from_, r.to) for r in elsewhere.relations}
    assert ("refers_to", "p.SPEAKER", "p") not in {(r.type, r.from_, r.to) for r in elsewhere.relations}
    no_reference = seed_scheme().model_copy(update={"roles": seed_scheme().resolved_roles.model_copy(
        update={"reference": None})})
    assert results_to_content(results, text, no_reference).relations == []


def test_a_relation_clicked_onto_the_entity_under_the_speaker_lands_on_the_speaker() -> None:
    """Two regions over the same words, the PERSON drawn first: Label Studio selects it on a click, so
    `Alt+R` then a click on the speaker's words makes QUOTE -> PERSON. The relation is stored on the
    SPEAKER region over those words, with a warning naming it, not rejected with the annotation."""
    text = "Peskov said: no. Lavrov agreed."
    results = [
        _region("p1", "entity", 0, 6, text, "PERSON"),
        _region("s1", "attribution", 0, 6, text, "SPEAKER"),
        _region("c1", "attribution", 7, 11, text, "CUE"),
        _region("q1", "attribution", 13, 16, text, "QUOTE"),
        {"id": "q1", "type": "choices", "from_name": "attr__QUOTE__form", "to_name": "text",
         "value": {"start": 13, "end": 16, "choices": ["direct"]}},
        {"type": "relation", "from_id": "q1", "to_id": "p1", "direction": "right", "labels": []},
        {"type": "relation", "from_id": "q1", "to_id": "c1", "direction": "right", "labels": []},
        {"type": "relation", "from_id": "s1", "to_id": "p1", "direction": "right", "labels": []},
        _region("p2", "entity", 17, 23, text, "PERSON"),
        {"type": "relation", "from_id": "q1", "to_id": "p2", "direction": "right", "labels": []},  # no twin
    ]
    converted = results_to_content(results[:-2], text, seed_scheme())
    assert not converted.errors, converted.errors
    assert sorted((r.type, r.from_, r.to) for r in converted.relations) == [
        ("attributed_to", "q1", "s1"), ("cued_by", "q1", "c1"), ("refers_to", "s1", "p1")]
    assert converted.warnings == ["relation QUOTE -> PERSON (q1->p1) joins labels its type does not allow; stored on "
                                  "the SPEAKER region s1, over the same words"]
    refused = results_to_content(results, text, seed_scheme())
    [error] = refused.errors
    assert error.region_id == "q1->p2" and "pick the one you mean in the Regions list" in error.message


def test_several_labels_in_one_result_are_each_a_span_and_an_unknown_one_is_named() -> None:
    text = "Peskov said: no."
    both = results_to_content([_region("p", "entity", 0, 6, text, "PERSON", "SPEAKER")], text, seed_scheme())
    assert [s.label for s in both.spans] == ["PERSON", "SPEAKER"] and not both.errors
    unknown = results_to_content([_region("p", "entity", 0, 6, text, "PERSON", "WIZARD")], text, seed_scheme())
    [error] = unknown.errors
    assert error.region_id == "p" and "['WIZARD']" in error.message and not unknown.spans


def test_two_regions_of_one_id_at_different_offsets_are_refused_naming_both() -> None:
    text = "Peskov met NATO chiefs."
    results = [_region("r1", "entity", 0, 6, text, "PERSON"), _region("r1", "entity", 11, 15, text, "ORG")]
    converted = results_to_content(results, text, seed_scheme())
    [error] = converted.errors
    assert error.region_id == "r1" and "[0,6)" in error.message and "[11,15)" in error.message
    assert converted.spans == []


LABELS = st.sampled_from(["PERSON", "ORG", "GPE", "SPEAKER", "QUOTE", "CUE"])


@given(text=st.text(alphabet=alphabet, min_size=4, max_size=20), data=st.data())
def test_no_label_or_region_is_dropped_in_silence(text: str, data) -> None:
    """Regions with random ids, offsets and labels: every label of every region becomes a span, or
    the annotation is refused with an error naming the region."""
    results = []
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        results.append(_region(data.draw(st.sampled_from(["r1", "r2", "r3"])),
                               data.draw(st.sampled_from(["entity", "attribution"])), start, end, text,
                               *data.draw(st.lists(LABELS, min_size=1, max_size=2, unique=True))))
    converted = results_to_content(results, text, seed_scheme())
    if converted.errors:
        assert converted.spans == [] and all(e.region_id in {"r1", "r2", "r3"} for e in converted.errors)
        return
    wanted = {(r["id"], r["value"]["start"], r["value"]["end"], label) for r in results for label in r["value"]["labels"]}
    spans = [(s.id.split(".")[0], s.start, s.end, s.label) for s in converted.spans]
    assert sorted(spans) == sorted(wanted)  # every label of every region, once


def test_relations_of_implied_type_go_unlabelled_to_the_page_and_come_back_typed() -> None:
    """Pushed suggestions carry no type tag where the scheme allows one type between the labels (the
    page shows a plain arrow, not a tag over the words); the pull types them back the same."""
    from newsgold.schemas import Relation

    text = "Peskov said: no."
    spans = [Span(id="p", start=0, end=6, label="SPEAKER", text="Peskov"),
             Span(id="c", start=7, end=11, label="CUE", text="said"),
             Span(id="q", start=13, end=16, label="QUOTE", text="no.", attrs={"form": "direct"})]
    relations = [Relation(type="attributed_to", from_="q", to="p"), Relation(type="cued_by", from_="q", to="c")]
    content = SimpleNamespace(spans=spans, relations=relations, stance={}, attrs={})
    pushed = set_to_results(content, seed_scheme(), text, unlabel_implied=True)
    assert [r["labels"] for r in pushed if r["type"] == "relation"] == [[], []]
    assert [r["labels"] for r in set_to_results(content, seed_scheme(), text) if r["type"] == "relation"] == [
        ["attributed_to"], ["cued_by"]]
    back = results_to_content(pushed, text, seed_scheme())
    assert sorted((r.type, r.from_, r.to) for r in back.relations) == [("attributed_to", "q", "p"), ("cued_by", "q", "c")]
