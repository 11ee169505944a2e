"""The role tagger (newsgold.suggest.tagger): BIO tags from gold, a CRF that learns them, and its
quotes, speakers and cues as suggestions that keep the scheme and the boundary rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus, check_set
from newsgold.corpus.boundaries import boundary_findings
from newsgold.errors import UsageError
from newsgold.formats.tokenize import segment
from newsgold.schemas import Span
from newsgold.suggest import evaluate_suggestions
from newsgold.suggest.tagger import RoleTagger, role_tags, train_corpus_tagger

from conftest import REPO

TEXT = "Pevkur said that the troops stay."


def test_role_tags_are_bio_and_the_inner_role_wins() -> None:
    sentence = segment(TEXT).sentences[0]
    spans = [Span(id="q", label="QUOTE", start=0, end=32, text=TEXT[:32]),   # over the whole clause
             Span(id="p", label="SPEAKER", start=0, end=6, text="Pevkur"),
             Span(id="c", label="CUE", start=7, end=11, text="said"),
             Span(id="e", label="PERSON", start=0, end=6, text="Pevkur")]  # not a role: no tag
    assert role_tags(sentence, spans) == ["B-SPEAKER", "B-CUE", "B-QUOTE", "I-QUOTE", "I-QUOTE", "I-QUOTE",
                                          "O"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    """The bundled corpus and a role tagger trained on its gold but for one document."""
    root = tmp_path_factory.mktemp("tagger") / "corpus"
    shutil.copytree(REPO / "corpus", root)
    corpus = Corpus.open(root)
    left_out = sorted(g.doc_id for g in corpus.iter_gold())[-1]
    report = train_corpus_tagger(corpus, root.parent / "tagger", leave_out=[left_out])
    assert report.documents == len(list(corpus.iter_gold())) - 1 and report.tokens > 400
    return corpus, report.folder


def test_the_tagger_learns_the_roles_of_its_training_gold(trained: tuple[Corpus, Path]) -> None:
    corpus, folder = trained
    tagger = RoleTagger(folder)
    index = corpus.document_index()
    [trained_on] = [g for g in corpus.iter_gold() if g.doc_id != sorted(x.doc_id for x in corpus.iter_gold())[-1]]
    text = index.read_document(trained_on.doc_id).text
    found = {(t.start, t.end, t.role) for t in tagger.spans(text)}
    gold = {(s.start, s.end, s.label) for s in trained_on.spans if s.label in ("QUOTE", "SPEAKER", "CUE")}
    overlapping = sum(any(role == label and start < e and s < end for s, e, role in found)
                      for start, end, label in gold)
    assert overlapping / len(gold) >= 0.8  # a CRF fits what it was trained on; broken tags or features do not


def test_tagger_suggestions_keep_the_scheme_and_the_boundary_rules(trained: tuple[Corpus, Path]) -> None:
    corpus, folder = trained
    result = CliRunner().invoke(main, ["suggest", "--corpus", str(corpus.root), "--tagger", str(folder),
                                       "--set", "tagged"])
    assert result.exit_code == 0, result.output
    texts = {d.id: d.text for d in Corpus.open(corpus.root).iter_documents()}
    tagged = [s for s in Corpus.open(corpus.root).iter_annotation_sets() if s.annotator == "tagged"]
    assert tagged and all("role tagger" in (s.origin.detail or "") for s in tagged)
    assert sum(s.label == "QUOTE" for t in tagged for s in t.spans) >= 10
    scores = [s.score for t in tagged for s in t.spans if s.label in ("QUOTE", "SPEAKER", "CUE")]
    assert all(score is not None and 0 < score <= 1 for score in scores)  # how sure the tagger is
    assert len(set(scores)) > 1
    for annotation_set in tagged:
        assert check_set(annotation_set, texts[annotation_set.doc_id], corpus.scheme) == []
        assert boundary_findings(annotation_set, corpus.scheme) == []


def test_evaluate_scores_the_tagger_on_the_document_it_never_saw(trained: tuple[Corpus, Path]) -> None:
    corpus, folder = trained
    figures = evaluate_suggestions(corpus, tagger_path=folder).as_dict()
    assert figures["documents"] == len(list(corpus.iter_gold()))
    assert figures["labels"]["QUOTE"]["overlap"]["f1"] > 0


def test_the_tagger_refuses_what_it_cannot_learn_from_or_read(tmp_path: Path) -> None:
    from newsgold.corpus import init_corpus

    with pytest.raises(UsageError, match="no gold span of QUOTE, SPEAKER or CUE"):
        train_corpus_tagger(init_corpus(tmp_path / "empty"), tmp_path / "out")
    with pytest.raises(UsageError, match="holds no role tagger"):
        RoleTagger(tmp_path)


def test_the_rules_roles_are_features_and_a_tagger_of_other_features_is_refused(
        trained: tuple[Corpus, Path], tmp_path: Path) -> None:
    """Stacking: each token carries the role the rules give it (and its neighbours'), so a tagger
    trained on them reads them; one trained on another feature set would tag from features it never
    saw, so it is refused with what to do."""
    import json

    from newsgold.formats.tokenize import segment
    from newsgold.suggest.tagger import META_FILE, rule_spans, sentence_features

    text = "Pevkur said that NATO staff serve only as advisers."
    assert [(s.label, s.text) for s in rule_spans(text)] == [
        ("SPEAKER", "Pevkur"), ("CUE", "said"), ("QUOTE", "NATO staff serve only as advisers")]
    [sentence] = segment(text).sentences
    features = sentence_features(sentence, role_tags(sentence, rule_spans(text)))
    assert [next(f for f in token if f.startswith("rule=")) for token in features] == [
        "rule=B-SPEAKER", "rule=B-CUE", "rule=O", "rule=B-QUOTE", *["rule=I-QUOTE"] * 5, "rule=O"]
    _, folder = trained
    shutil.copytree(folder, tmp_path / "old")
    meta = json.loads((tmp_path / "old" / META_FILE).read_text())
    (tmp_path / "old" / META_FILE).write_text(json.dumps({**meta, "features": "words/1"}))
    with pytest.raises(UsageError, match=r"other features \(words/1.*train it again"):
        RoleTagger(tmp_path / "old")
