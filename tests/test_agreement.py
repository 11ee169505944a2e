"""Agreement coefficients against hand-computed values and reference implementations."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from newsgold.cli import main
from newsgold.curation.agreement import agreement, cohen_kappa, krippendorff_alpha, match_spans
from newsgold.schemas import Span

from helpers import corpus_with_texts, span, write_sets


def test_kappa_hand_computed() -> None:
    # 10 items: 7 agreements; A says yes 6 times, B 5 times.
    pairs = [("y", "y")] * 4 + [("n", "n")] * 3 + [("y", "n")] * 2 + [("n", "y")]
    # po = 0.7; pe = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None  # expected agreement 1: undefined
    assert cohen_kappa([]) is None


def test_alpha_hand_computed() -> None:
    # Two coders, 4 units: (a,a) (a,b) (b,b) (b,b). Coincidences: o_aa=2, o_ab=o_ba=1, o_bb=4;
    # n_a=3, n_b=5, n=8; alpha = 1 - (n-1) * (o_ab+o_ba) / (n_a*n_b + n_b*n_a) = 1 - 7*2/30.
    assert krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha([["a"], ["b"]]) is None


def test_alpha_krippendorffs_own_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example: 0.743.
    table = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[str(row[u]) for row in table if row[u] is not None] for u in range(12)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


values = st.sampled_from(["favor", "against", "neutral", "none"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=2, max_size=40))
def test_kappa_matches_scikit_learn(pairs) -> None:
    ours = cohen_kappa(pairs)
    a, b = zip(*pairs)
    if ours is None:
        return
    assert ours == pytest.approx(cohen_kappa_score(a, b))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), values), min_size=3, max_size=3), min_size=2, max_size=25))
def test_alpha_matches_the_krippendorff_package(units) -> None:
    ours = krippendorff_alpha([[v for v in unit if v is not None] for unit in units])
    codes = {"favor": 0, "against": 1, "neutral": 2, "none": 3}
    data = np.array([[np.nan if unit[c] is None else codes[unit[c]] for unit in units] for c in range(3)])
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    if ours is None or not pairable:
        return
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _s(start: int, end: int, label: str = "PERSON", sid: str = "x") -> Span:
    return Span(id=sid, start=start, end=end, label=label, text="x" * (end - start))


def test_span_matching() -> None:
    first = [_s(0, 5, sid="a"), _s(10, 20, sid="b"), _s(30, 35, "ORG", sid="c")]
    second = [_s(0, 5, sid="p"), _s(12, 22, sid="q"), _s(30, 35, "GPE", sid="r")]
    assert [(a.id, b.id) for a, b in match_spans(first, second, "exact")] == [("a", "p")]
    assert sorted((a.id, b.id) for a, b in match_spans(first, second, "overlap")) == [("a", "p"), ("b", "q")]


TEXT = "Peskov said: “This is not true.” Stoltenberg said there are no NATO troops in Ukraine."


def _annotation(annotator: str, *, quote_end: str = "This is not true.", stance: str = "against",
                extra_org: bool = False, doc_stance: str = "against") -> dict:
    spans = [
        span(TEXT, "p1", "PERSON", "Peskov"), span(TEXT, "sp1", "SPEAKER", "Peskov"),
        span(TEXT, "q1", "QUOTE", quote_end, attrs={"form": "direct"}, stance={"russia-300k-troops": stance}),
        span(TEXT, "p2", "PERSON", "Stoltenberg"), span(TEXT, "sp2", "SPEAKER", "Stoltenberg"),
        span(TEXT, "q2", "QUOTE", "there are no NATO troops in Ukraine", attrs={"form": "indirect"},
             stance={"nato-personnel-in-ukraine": "against"}),
    ]
    if extra_org:
        spans.append(span(TEXT, "o1", "ORG", "NATO"))
    relations = [{"type": "attributed_to", "from": "q1", "to": "sp1"}, {"type": "refers_to", "from": "sp1", "to": "p1"},
                 {"type": "attributed_to", "from": "q2", "to": "sp2"}, {"type": "refers_to", "from": "sp2", "to": "p2"}]
    return {"doc_id": "d1", "annotator": annotator, "spans": spans, "relations": relations,
            "stance": {"nato-personnel-in-ukraine": doc_stance}}


def test_agreement_of_two_annotators(tmp_path: Path, runner) -> None:
    corpus = corpus_with_texts(tmp_path / "c", {"d1": TEXT, "d2": "Nothing here."})
    write_sets(corpus, [
        _annotation("alice"),
        # bob: quote 1 without its final period (overlap match only), stance favor, one more ORG.
        _annotation("bob", quote_end="This is not true", stance="favor", extra_org=True, doc_stance="favor"),
        {"doc_id": "d2", "annotator": "alice"},
    ])
    report = agreement(corpus)
    assert report.annotators == ["alice", "bob"] and report.documents == 1
    [pair] = report.pairs
    data = pair.as_dict()
    # exact: alice 6 spans, bob 7, matched 5 -> F1 = 10/13; precision (bob vs alice) 5/7; recall 5/6
    assert data["spans"]["exact"]["ALL"] == {"matched": 5, "first": 6, "second": 7, "precision": round(5 / 7, 4),
                                             "recall": round(5 / 6, 4), "f1": round(10 / 13, 4)}
    assert data["spans"]["overlap"]["QUOTE"]["f1"] == 1.0
    assert data["spans"]["exact"]["QUOTE"]["f1"] == 0.5
    assert data["form"] == {"items": 2, "kappa": 1.0}
    # stance items: (against, favor) and (against, against): po = 0.5;
    # pe = P(alice against) * P(bob against) + P(alice favor) * P(bob favor) = 1 * 0.5 + 0 = 0.5 -> kappa 0
    assert data["stance"] == {"items": 2, "kappa": 0.0}
    assert data["attribution"] == {"matched_quotes": 2, "linked_quotes": 2, "both_unlinked": 0, "same_speaker": 2,
                                   "agreement": 1.0}
    # dispute: the mean of spans 1 - 10/13, form 0/2, stance 2/3 (quote 1 and the document differ,
    # quote 2 agrees) and attribution 0/2
    assert report.disagreement == [("d1", pytest.approx((3 / 13 + 0 + 2 / 3 + 0) / 4))]
    result = runner.invoke(main, ["agreement", "--corpus", str(corpus.root), "--output-format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["most_disagreement"][0]["doc_id"] == "d1"
    table = runner.invoke(main, ["agreement", "--corpus", str(corpus.root)])
    assert "alice vs bob" in table.output and "Krippendorff" in table.output
