"""Adjudication strategies, provenance, unresolved items, and protection of hand-made gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.errors import UsageError
from newsgold.curation.adjudicate import adjudicate

from conftest import REPO, snapshot
from helpers import corpus_with_texts, span, write_sets

TEXT = "Peskov said: “This is not true.” NATO and Ukraine."


def _set(annotator: str, *, label_nato: str = "ORG", stance: str = "against", speaker: bool = True,
         form: str = "direct", **origin: object) -> dict:
    spans = [span(TEXT, "a", "PERSON", "Peskov"), span(TEXT, "b", "SPEAKER", "Peskov"),
             span(TEXT, "c", "CUE", "said"),
             span(TEXT, "d", "QUOTE", "This is not true.", attrs={"form": form},
                  stance={"russia-300k-troops": stance}),
             span(TEXT, "e", label_nato, "NATO"), span(TEXT, "f", "GPE", "Ukraine")]
    relations = [{"type": "cued_by", "from": "d", "to": "c"}, {"type": "refers_to", "from": "b", "to": "a"}]
    if speaker:
        relations.append({"type": "attributed_to", "from": "d", "to": "b"})
    return {"doc_id": "d1", "annotator": annotator, "spans": spans, "relations": relations,
            "stance": {"russia-300k-troops": stance}, "origin": {"source": "manual", **origin}}


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return corpus_with_texts(tmp_path / "c", {"d1": TEXT})


def test_majority_of_three(corpus: Corpus) -> None:
    write_sets(corpus, [_set("ann1"), _set("ann2", label_nato="GPE", stance="favor"), _set("ann3", stance="favor")])
    report = adjudicate(corpus, "majority")
    [gold] = Corpus.open(corpus.root).iter_gold()
    labels = {s.text: s.label for s in gold.spans}
    assert labels["NATO"] == "ORG"  # 2 of 3
    quote = next(s for s in gold.spans if s.label == "QUOTE")
    assert quote.stance == {"russia-300k-troops": "favor"}  # 2 of 3
    assert gold.stance == {"russia-300k-troops": "favor"}
    assert gold.provenance.method == "majority" and gold.provenance.min_agreement == 2
    nato = next(s for s in gold.spans if s.text == "NATO")
    assert gold.provenance.items[f"span:{nato.id}"] == ["ann1", "ann3"]
    assert gold.provenance.items[f"span:{quote.id}:stance:russia-300k-troops"] == ["ann2", "ann3"]
    assert report.written == ["d1"]
    assert validate(corpus.root).ok


def test_ties_are_unresolved_and_reviewed(corpus: Corpus, runner) -> None:
    write_sets(corpus, [_set("ann1"), _set("ann2", label_nato="GPE", stance="favor")])
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--min-agree", "1"])
    assert result.exit_code == 0, result.output
    review = [json.loads(line) for line in (corpus.root / "review.jsonl").read_text().splitlines()]
    kinds = {(r["kind"], r["reason"]) for r in review}
    assert ("span", "tie") in kinds and ("span-stance", "tie") in kinds and ("document-stance", "tie") in kinds
    [tie] = [r for r in review if r["kind"] == "span"]  # the item says what and where, as docs/agreement.md does
    assert tie["item"]["text"] == "NATO" and tie["item"]["label"] is None
    assert sorted(tie["votes"]) == ["GPE", "ORG"]
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert "NATO" not in {s.text for s in gold.spans}
    assert gold.stance == {}
    assert validate(corpus.root).ok


def test_quote_without_an_agreed_speaker_is_left_out(corpus: Corpus) -> None:
    write_sets(corpus, [_set("ann1", speaker=False), _set("ann2", speaker=False), _set("ann3")])
    report = adjudicate(corpus, "majority")
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert "QUOTE" not in {s.label for s in gold.spans}  # would break "exactly one speaker in gold"
    assert any(u.kind == "span" and "NG404" in u.reason for u in report.unresolved)
    assert validate(corpus.root).ok


def test_quote_without_agreed_form_is_left_out(corpus: Corpus) -> None:
    write_sets(corpus, [_set("ann1", form="direct"), _set("ann2", form="mixed")])
    report = adjudicate(corpus, "majority")
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert "QUOTE" not in {s.label for s in gold.spans}
    assert {u.kind for u in report.unresolved} >= {"attribute", "span"}
    assert validate(corpus.root).ok


def test_prefer_one_annotator(corpus: Corpus) -> None:
    write_sets(corpus, [_set("ann1"), _set("trusted", label_nato="GPE", stance="favor")])
    adjudicate(corpus, "prefer", prefer="trusted")
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert {s.text: s.label for s in gold.spans}["NATO"] == "GPE"
    assert gold.provenance.annotators == ["trusted"]
    assert set(sum(gold.provenance.items.values(), [])) == {"trusted"}
    with pytest.raises(UsageError, match="prefer="):
        adjudicate(corpus, "prefer")


def test_ground_truth(corpus: Corpus) -> None:
    write_sets(corpus, [_set("ann1"), _set("ann2", label_nato="GPE", ground_truth=True)])
    adjudicate(corpus, "ground-truth")
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert gold.provenance.method == "ground-truth" and gold.provenance.annotators == ["ann2"]
    assert {s.text: s.label for s in gold.spans}["NATO"] == "GPE"


def test_hand_made_gold_needs_force(corpus: Corpus, runner) -> None:
    write_sets(corpus, [_set("ann1"), _set("ann2")])
    adjudicate(corpus, "prefer", prefer="ann1")
    lines = corpus.gold_path.read_text().splitlines()
    record = json.loads(lines[0])
    record["provenance"] = {"method": "manual", "annotators": ["editor"]}
    corpus.gold_path.write_text(json.dumps(record) + "\n")
    before = corpus.gold_path.read_bytes()
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root)])
    assert result.exit_code == 0 and "kept hand-made gold of d1" in result.output
    assert corpus.gold_path.read_bytes() == before
    runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--replace"])
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert gold.provenance.method == "majority"


def test_bundled_gold_is_protected(seeds_corpus: Path, runner) -> None:
    before = snapshot(seeds_corpus)
    result = runner.invoke(main, ["adjudicate", "--corpus", str(seeds_corpus)])
    assert result.exit_code == 0
    assert {k: v for k, v in snapshot(seeds_corpus).items() if k != "review.jsonl"} == before


def test_comments_from_label_studio_reach_review_and_show(tmp_path: Path, runner) -> None:
    from newsgold.schemas import Comment

    corpus = corpus_with_texts(tmp_path / "c", {"d1": "Pevkur said troops are there. Stoltenberg denied it."})
    text = "Pevkur said troops are there. Stoltenberg denied it."
    note = Comment(author="ann-1", text="Is 'denied it' a cue here? The guidelines say no.", resolved=False)
    write_sets(corpus, [
        {"doc_id": "d1", "annotator": "ann-1", "spans": [span(text, "s1", "PERSON", "Pevkur")],
         "comments": [note.model_dump()]},
        {"doc_id": "d1", "annotator": "ann-2", "spans": [span(text, "s1", "PERSON", "Stoltenberg")]},
    ])
    report = adjudicate(Corpus.open(corpus.root), "majority")
    assert report.unresolved and all(u.comments == [{"author": "ann-1", "text": note.text, "resolved": False}]
                                     for u in report.unresolved)
    review = [json.loads(line) for line in (corpus.root / "review.jsonl").read_text().splitlines()]
    assert review[0]["comments"][0]["text"] == note.text
    shown = runner.invoke(main, ["show", "d1", "--corpus", str(corpus.root), "--set", "ann-1"])
    assert "Comments from Label Studio" in shown.output and "Is 'denied it' a cue here?" in shown.output
    gold_view = runner.invoke(main, ["show", "d1", "--corpus", str(corpus.root)])
    assert "Is 'denied it' a cue here?" in gold_view.output  # the adjudicator sees every annotator's comments


def test_the_review_file_reads_as_items_and_a_line_that_is_none_is_named(tmp_path: Path) -> None:
    """review.jsonl's one reader: `studio review` refuses a file with a line that is no item, naming it."""
    import shutil

    from newsgold.corpus.review_file import iter_review_items, review_path
    from newsgold.studio.review import _undecided_documents

    shutil.copytree(REPO / "corpus", tmp_path / "c")
    corpus = Corpus.open(tmp_path / "c")
    path = review_path(corpus)
    path.write_text('{"doc_id": "a", "kind": "span"}\n\n["doc_id"]\n{"kind": "span"}\nnot json\n{"doc_id": "b"}\n')
    assert [(n, None if item is None else item["doc_id"]) for n, item in iter_review_items(path)] == [
        (1, "a"), (3, None), (4, None), (5, None), (6, "b")]
    with pytest.raises(UsageError, match=r"review.jsonl:3: not an item of adjudicate's review file"):
        _undecided_documents(corpus)
    path.write_text('{"doc_id": "a"}\n{"doc_id": "b"}\n{"doc_id": "a"}\n')
    assert _undecided_documents(corpus) == ["a", "b"]
