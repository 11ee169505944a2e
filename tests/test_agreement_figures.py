"""The figures of docs/agreement.md, computed by hand, and the corners: identical, disjoint, one
annotator, empty sets, label clashes, nested and duplicate spans, 3 annotators with 2 agreeing,
ties, order of spans, sets and lines.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgold.corpus import Corpus, validate
from newsgold.curation import adjudicate, agreement
from newsgold.curation.agreement import match_spans
from newsgold.schemas import Span

from conftest import REPO
from helpers import corpus_with_texts, span, write_sets

DOC = REPO / "docs" / "agreement.md"

# The worked example of docs/agreement.md.
TEXT = "Ann Lee said the plan works well. Bob Roe, head of Acme, disagreed."


def _alice() -> dict:
    return {"doc_id": "d1", "annotator": "alice", "spans": [
        span(TEXT, "a1", "PERSON", "Ann Lee"), span(TEXT, "a2", "PERSON", "Bob Roe"),
        span(TEXT, "a3", "ORG", "Acme"), span(TEXT, "a4", "SPEAKER", "Ann Lee"),
        span(TEXT, "a5", "QUOTE", "the plan works", attrs={"form": "indirect"})],
        "relations": [{"type": "attributed_to", "from": "a5", "to": "a4"}]}


def _bob() -> dict:
    return {"doc_id": "d1", "annotator": "bob", "spans": [
        span(TEXT, "b1", "PERSON", "Ann Lee"), span(TEXT, "b2", "PERSON", "Bob"),
        span(TEXT, "b3", "GPE", "Acme"), span(TEXT, "b4", "SPEAKER", "Ann Lee"),
        span(TEXT, "b5", "QUOTE", "the plan works well", attrs={"form": "indirect"})],
        "relations": [{"type": "attributed_to", "from": "b5", "to": "b4"}]}


def _doc_says(*phrases: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    for phrase in phrases:
        assert phrase in text, f"docs/agreement.md no longer says {phrase!r}: keep it and the test in step"


def test_worked_example_spans(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": TEXT})
    write_sets(corpus, [_alice(), _bob()])
    [pair] = agreement(corpus).pairs
    data = pair.as_dict()
    exact, overlap = data["spans"]["exact"], data["spans"]["overlap"]
    # exact: Ann Lee (PERSON) and Ann Lee (SPEAKER) match; 2 of 5 each way
    assert exact["ALL"] == {"matched": 2, "first": 5, "second": 5, "precision": 0.4, "recall": 0.4, "f1": 0.4}
    # overlap adds Bob ~ Bob Roe and the two quotes; ORG vs GPE never match (labels differ)
    assert overlap["ALL"] == {"matched": 4, "first": 5, "second": 5, "precision": 0.8, "recall": 0.8, "f1": 0.8}
    assert exact["PERSON"]["f1"] == 0.5 and overlap["PERSON"]["f1"] == 1.0
    assert exact["ORG"] == {"matched": 0, "first": 1, "second": 0, "precision": None, "recall": 0.0, "f1": 0.0}
    assert exact["GPE"] == {"matched": 0, "first": 0, "second": 1, "precision": 0.0, "recall": None, "f1": 0.0}
    assert data["attribution"] == {"matched_quotes": 1, "linked_quotes": 1, "both_unlinked": 0, "same_speaker": 1,
                                   "agreement": 1.0}
    assert data["form"] == {"items": 1, "kappa": None}  # one value only: expected agreement 1, undefined
    _doc_says("exact F1 = 2·2 / (5 + 5) = 0.4", "overlap F1 = 2·4 / (5 + 5) = 0.8", "kappa: null")


QUOTES_TEXT = "One said A. Two said B. Three said C. Four said D. Five."


def _quotes_set(annotator: str, speakers: dict[str, str]) -> dict:
    """Quotes A-D, each linked to the given speaker word (or none)."""
    spans, relations = [], []
    for n, quote in enumerate("ABCD"):
        spans.append(span(QUOTES_TEXT, f"q{n}", "QUOTE", quote, attrs={"form": "direct"}))
        target = speakers.get(quote)
        if target is not None:
            spans.append(span(QUOTES_TEXT, f"s{n}", "SPEAKER", target))
            relations.append({"type": "attributed_to", "from": f"q{n}", "to": f"s{n}"})
    return {"doc_id": "d1", "annotator": annotator, "spans": spans, "relations": relations}


def test_attribution_counts_quotes_either_linked(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": QUOTES_TEXT})
    # A: both link One; B: both link, to different speakers; C: only alice links; D: neither links.
    write_sets(corpus, [_quotes_set("alice", {"A": "One", "B": "Two", "C": "Three"}),
                        _quotes_set("bob", {"A": "One", "B": "Five"})])
    [pair] = agreement(corpus).pairs
    assert pair.as_dict()["attribution"] == {"matched_quotes": 4, "linked_quotes": 3, "both_unlinked": 1,
                                             "same_speaker": 1, "agreement": round(1 / 3, 4)}
    _doc_says("agreement = 1 / 3 = 0.3333")


def test_dispute_weighs_every_part(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": QUOTES_TEXT, "d2": QUOTES_TEXT.replace("Five", "Six")})
    same = _quotes_set("alice", {"A": "One"})
    write_sets(corpus, [same, {**same, "annotator": "bob"},
                        {**_quotes_set("alice", {"A": "One"}), "doc_id": "d2"},
                        {**_quotes_set("bob", {"A": "Two"}), "doc_id": "d2"}])
    report = agreement(corpus)
    # d1: identical. d2 (docs/agreement.md, "Dispute"): spans 1 - 8/10, form 0/4, attribution 1 - 0/1.
    disputes = dict(report.disagreement)
    assert disputes["d1"] == 0.0
    assert disputes["d2"] == pytest.approx(((1 - 8 / 10) + 0 + 1) / 3)
    assert [doc for doc, _ in report.disagreement] == ["d2", "d1"]
    _doc_says("(0.2 + 0 + 1) / 3 = 0.4")


def test_nested_quote_matches_its_exact_twin_first() -> None:
    """The issue's case: alice nests the inner quote in a longer one; bob marks only the inner one."""
    outer = Span(id="o", start=0, end=40, label="QUOTE", text="x" * 40)
    inner = Span(id="i", start=10, end=20, label="QUOTE", text="x" * 10)
    bobs = Span(id="b", start=10, end=20, label="QUOTE", text="x" * 10)
    for first in ([outer, inner], [inner, outer]):
        assert [(a.id, b.id) for a, b in match_spans(first, [bobs], "overlap")] == [("i", "b")]


def test_duplicate_spans_match_once() -> None:
    a = Span(id="a", start=0, end=5, label="PERSON", text="xxxxx")
    a2 = a.model_copy(update={"id": "a2"})
    b = Span(id="b", start=0, end=5, label="PERSON", text="xxxxx")
    for mode in ("exact", "overlap"):
        assert len(match_spans([a, a2], [b], mode)) == 1  # type: ignore[arg-type]
        assert len(match_spans([b], [a, a2], mode)) == 1  # type: ignore[arg-type]


def test_identical_disjoint_one_annotator_and_empty_sets(tmp_path: Path) -> None:
    text = "Ann met Bob in Rome."
    corpus = corpus_with_texts(tmp_path / "c", {"same": text, "apart": text, "alone": text, "empty": text})
    ann, bob, rome = (span(text, "x", "PERSON", "Ann"), span(text, "y", "PERSON", "Bob"), span(text, "z", "GPE", "Rome"))
    write_sets(corpus, [
        {"doc_id": "same", "annotator": "a", "spans": [ann, rome]}, {"doc_id": "same", "annotator": "b", "spans": [ann, rome]},
        {"doc_id": "apart", "annotator": "a", "spans": [ann]}, {"doc_id": "apart", "annotator": "b", "spans": [bob]},
        {"doc_id": "alone", "annotator": "a", "spans": [ann]},
        {"doc_id": "empty", "annotator": "a"}, {"doc_id": "empty", "annotator": "b"},
    ])
    report = agreement(corpus)
    assert report.documents == 3  # "alone" has one annotator
    [pair] = report.pairs
    exact = pair.as_dict()["spans"]["exact"]["ALL"]
    # same: 2+2 matched 2; apart: 1+1 matched 0; empty: nothing
    assert exact == {"matched": 2, "first": 3, "second": 3, "precision": round(2 / 3, 4),
                     "recall": round(2 / 3, 4), "f1": round(2 / 3, 4)}
    disputes = dict(report.disagreement)
    assert disputes == {"same": 0.0, "apart": 1.0, "empty": 0.0}


def test_draft_sets_neither_vote_nor_count(tmp_path: Path) -> None:
    text = "Ann met Bob."
    corpus = corpus_with_texts(tmp_path / "c", {"d1": text})
    ann = span(text, "x", "PERSON", "Ann")
    write_sets(corpus, [{"doc_id": "d1", "annotator": "a", "spans": [ann]},
                        {"doc_id": "d1", "annotator": "b", "spans": [ann]},
                        {"doc_id": "d1", "annotator": "c", "spans": [span(text, "y", "PERSON", "Bob")],
                         "status": "draft"}])
    report = agreement(corpus)
    assert report.annotators == ["a", "b"] and [str(s) for s in report.draft_sets] == ["d1/c"]
    result = adjudicate(corpus, "majority")
    assert [str(s) for s in result.draft_sets] == ["d1/c"]
    [gold] = corpus.iter_gold()
    assert gold.provenance.annotators == ["a", "b"] and [s.text for s in gold.spans] == ["Ann"]


# Adjudication ------------------------------------------------------------------------------------

ADJ_TEXT = "Ann Lee said: “We stay.” Bob Roe agreed. Acme too."


def _adj_set(annotator: str, *, extra: list[dict] | None = None, relation_to_cue: bool = False) -> dict:
    spans = [span(ADJ_TEXT, "p", "PERSON", "Ann Lee"), span(ADJ_TEXT, "s", "SPEAKER", "Ann Lee"),
             span(ADJ_TEXT, "c", "CUE", "said"), span(ADJ_TEXT, "q", "QUOTE", "We stay.", attrs={"form": "direct"})]
    relations = [{"type": "attributed_to", "from": "q", "to": "s"}, {"type": "refers_to", "from": "s", "to": "p"}]
    if relation_to_cue:
        relations.append({"type": "cued_by", "from": "q", "to": "c"})
    return {"doc_id": "d1", "annotator": annotator, "spans": spans + (extra or []), "relations": relations}


def test_three_annotators_two_agree_and_every_undecided_item_is_reviewed(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    bob_person = span(ADJ_TEXT, "b", "PERSON", "Bob Roe")
    write_sets(corpus, [
        _adj_set("a", extra=[bob_person], relation_to_cue=True),
        _adj_set("b", extra=[bob_person]),
        _adj_set("c", extra=[span(ADJ_TEXT, "o", "ORG", "Acme")]),
    ])
    report = adjudicate(corpus, "majority")  # k = 2 of 3
    [gold] = corpus.iter_gold()
    assert sorted(s.text for s in gold.spans) == ["Ann Lee", "Ann Lee", "Bob Roe", "We stay.", "said"]
    bob = next(s for s in gold.spans if s.text == "Bob Roe")
    assert gold.provenance.items[f"span:{bob.id}"] == ["a", "b"]
    review = {(u.kind, u.code): u for u in report.unresolved}
    assert set(review) == {("span", "k-not-reached"), ("relation", "k-not-reached")}
    acme = review[("span", "k-not-reached")]
    assert acme.votes == {"ORG": ["c"]} and acme.reason == "k-not-reached (1 of the 2 needed)"
    assert acme.item["text"] == "Acme" and acme.item["label"] == "ORG"
    cue = review[("relation", "k-not-reached")]  # only a drew quote -> cue: both ends are in gold
    quote = next(s for s in gold.spans if s.label == "QUOTE")
    said = next(s for s in gold.spans if s.label == "CUE")
    assert cue.votes == {"yes": ["a"]} and cue.gold_ids == {"from": quote.id, "to": said.id}
    written = [json.loads(line) for line in (corpus.root / "review.jsonl").read_text().splitlines()]
    assert {(r["kind"], r["code"]) for r in written} == set(review)
    assert validate(corpus.root).ok


def test_a_duplicate_span_is_one_vote(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    acme = span(ADJ_TEXT, "o", "ORG", "Acme")
    write_sets(corpus, [_adj_set("a", extra=[acme, {**acme, "id": "o2"}]), _adj_set("b")])
    report = adjudicate(corpus, "majority")
    [gold] = corpus.iter_gold()
    assert "Acme" not in {s.text for s in gold.spans}
    [unresolved] = [u for u in report.unresolved if u.kind == "span"]
    assert unresolved.votes == {"ORG": ["a"]}
    assert "NG209" in {p.rule for p in validate(corpus.root).problems}


def test_a_tie_is_reviewed_with_min_agree_one(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    write_sets(corpus, [_adj_set("a", extra=[span(ADJ_TEXT, "o", "ORG", "Acme")]),
                        _adj_set("b", extra=[span(ADJ_TEXT, "o", "GPE", "Acme")])])
    report = adjudicate(corpus, "majority", min_agree=1)
    [tie] = [u for u in report.unresolved if u.kind == "span"]
    assert tie.code == "tie" and tie.votes == {"ORG": ["a"], "GPE": ["b"]}


def test_review_reasons_name_no_intermediate_ids(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    lone = _adj_set("a")
    lone["relations"] = [r for r in lone["relations"] if r["type"] != "attributed_to"]
    write_sets(corpus, [lone, {**lone, "annotator": "b"}])
    report = adjudicate(corpus, "majority")
    [dropped] = [u for u in report.unresolved if u.code == "breaks-rule"]
    assert dropped.rule == "NG404" and dropped.item["label"] == "QUOTE"
    assert dropped.reason == "breaks NG404: a span has too many or too few relations of a type"


def test_a_document_with_nothing_agreed_gets_no_gold(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    write_sets(corpus, [{"doc_id": "d1", "annotator": "a", "spans": [span(ADJ_TEXT, "o", "ORG", "Acme")]},
                        {"doc_id": "d1", "annotator": "b", "spans": [span(ADJ_TEXT, "o", "PERSON", "Bob Roe")]}])
    report = adjudicate(corpus, "majority")
    assert report.nothing_decided == ["d1"] and list(corpus.iter_gold()) == []


def test_a_strategy_change_reports_gold_it_does_not_rebuild(tmp_path: Path, runner) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT, "d2": ADJ_TEXT + " More."})
    write_sets(corpus, [_adj_set("a"), _adj_set("b"), {**_adj_set("b"), "doc_id": "d2"}])
    adjudicate(corpus, "majority", min_agree=1)
    assert {g.doc_id for g in corpus.iter_gold()} == {"d1", "d2"}
    report = adjudicate(corpus, "prefer", prefer="a")  # a never annotated d2
    assert report.not_rebuilt == ["d2"] and report.removed == []
    assert {g.doc_id: g.provenance.method for g in corpus.iter_gold()} == {"d1": "prefer", "d2": "majority"}
    from newsgold.cli import main
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--strategy", "prefer",
                                  "--prefer", "a", "--replace"])
    assert result.exit_code == 0, result.output
    assert "removed earlier gold of d2" in result.output
    assert {g.doc_id for g in corpus.iter_gold()} == {"d1"}


def test_an_unknown_preferred_annotator_names_the_known_ones(tmp_path: Path) -> None:
    from newsgold.errors import UsageError

    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    write_sets(corpus, [_adj_set("a"), _adj_set("b")])
    with pytest.raises(UsageError, match="the annotators are: a, b"):
        adjudicate(corpus, "prefer", prefer="nobody")


# Order never changes a figure ---------------------------------------------------------------------

spans_strategy = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from(["PERSON", "ORG"])),
                          max_size=7)


def _spans(raw: list[tuple[int, int, str]], prefix: str) -> list[Span]:
    unique = sorted(set(raw))
    return [Span(id=f"{prefix}{n}", start=s, end=s + w, label=label, text="x" * w)
            for n, (s, w, label) in enumerate(unique)]


def _best_total(first: list[Span], second: list[Span]) -> int:
    """Brute force: the largest total overlap (same label) of any one-to-one matching."""
    if len(first) > len(second):
        first, second = second, first
    best = 0
    for chosen in itertools.permutations(second, len(first)):
        total = sum(max(0, min(a.end, b.end) - max(a.start, b.start))
                    for a, b in zip(first, chosen, strict=True) if a.label == b.label)
        best = max(best, total)
    return best


@settings(max_examples=200, deadline=None)
@given(raw_a=spans_strategy, raw_b=spans_strategy, seed=st.integers(0, 10_000))
def test_overlap_matching_is_optimal_and_ignores_order(raw_a, raw_b, seed) -> None:
    first, second = _spans(raw_a, "a"), _spans(raw_b, "b")
    matches = match_spans(first, second, "overlap")
    key = [(a.id, b.id) for a, b in matches]
    rng = random.Random(seed)
    shuffled_a, shuffled_b = first[:], second[:]
    rng.shuffle(shuffled_a)
    rng.shuffle(shuffled_b)
    assert [(a.id, b.id) for a, b in match_spans(shuffled_a, shuffled_b, "overlap")] == key
    assert len({a.id for a, _ in matches}) == len({b.id for _, b in matches}) == len(matches)
    exact = {(a.start, a.end, a.label) for a in first} & {(b.start, b.end, b.label) for b in second}
    assert {(a.start, a.end, a.label) for a, b in matches if (a.start, a.end) == (b.start, b.end)} >= exact
    if len(first) <= 6 and len(second) <= 6:
        total = sum(min(a.end, b.end) - max(a.start, b.start) for a, b in matches)
        assert total <= _best_total(first, second)
        non_exact_a = [a for a in first if (a.start, a.end, a.label) not in exact]
        non_exact_b = [b for b in second if (b.start, b.end, b.label) not in exact]
        exact_total = sum(a.end - a.start for a in first if (a.start, a.end, a.label) in exact)
        assert total == exact_total + _best_total(non_exact_a, non_exact_b)


def test_permuting_spans_sets_and_lines_never_changes_a_figure(tmp_path: Path) -> None:
    texts = {"d1": TEXT, "d2": QUOTES_TEXT}
    sets = [_alice(), _bob(), {**_quotes_set("alice", {"A": "One", "B": "Two"}), "doc_id": "d2"},
            {**_quotes_set("bob", {"A": "One", "B": "Five"}), "doc_id": "d2"},
            {**_quotes_set("carol", {"A": "Two"}), "doc_id": "d2"}]
    reference = None
    rng = random.Random(7)
    for round_ in range(4):
        shuffled = [dict(s, spans=rng.sample(s["spans"], len(s["spans"]))) for s in sets]
        rng.shuffle(shuffled)
        corpus = corpus_with_texts(tmp_path / f"c{round_}", texts)
        write_sets(corpus, shuffled)
        figures = agreement(Corpus.open(corpus.root)).as_dict()
        reference = reference or figures
        assert figures == reference


def test_a_single_annotator_with_min_agree_two_puts_everything_in_review(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    write_sets(corpus, [_adj_set("a", relation_to_cue=True)])
    report = adjudicate(corpus, "majority", min_agree=2)
    kinds = sorted((u.kind, u.code) for u in report.unresolved)
    assert kinds == [("relation", "k-not-reached")] * 3 + [("span", "k-not-reached")] * 4
    assert report.nothing_decided == ["d1"]


def test_alpha_counts_one_value_per_coder(tmp_path: Path) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": ADJ_TEXT})
    quote = span(ADJ_TEXT, "q", "QUOTE", "We stay.", attrs={"form": "direct"})
    twice = {"doc_id": "d1", "annotator": "a", "spans": [quote, {**quote, "id": "q2", "attrs": {"form": "mixed"}}]}
    write_sets(corpus, [twice, {"doc_id": "d1", "annotator": "b", "spans": [quote]}])
    # one unit, values (direct from a, direct from b): no disagreement observed, none expected -> null
    assert agreement(corpus).alpha["form"] is None
