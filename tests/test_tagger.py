"""The role tagger (newsgold.suggest.tagger): BIO tags from gold, a CRF that learns them, and its
quotes, speakers and cues as suggestions that keep the scheme and the boundary rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgold._io import write_checksums
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus, check_set
from newsgold.corpus.boundaries import boundary_findings
from newsgold.errors import UsageError
from newsgold.formats.tokenize import segment
from newsgold.schemas import Span
from newsgold.suggest import evaluate_suggestions
from newsgold.suggest.tagger import META_FILE, RoleTagger, role_tags, train_corpus_tagger

from conftest import REPO
from helpers import seed_scheme

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
    # a CRF fits what it was trained on (its L1 keeps it from fitting it whole); broken tags or features do not
    assert overlapping / len(gold) >= 0.75


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
        train_corpus_tagger(init_corpus(tmp_path / "empty", scheme=seed_scheme()), tmp_path / "out")
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
    write_checksums(tmp_path / "old")  # as an older newsgold would have trained it
    with pytest.raises(UsageError, match=r"other features \(words/1.*train it again"):
        RoleTagger(tmp_path / "old")


def test_how_the_gold_treats_sentence_ends_inside_quotes_is_counted() -> None:
    """`sentence_joins`: a QUOTE running over a sentence end joins; a QUOTE ending one sentence and
    another opening the next splits; sentences in different paragraphs count for neither."""
    from newsgold.suggest.tagger import sentence_joins

    text = "He said the war is over. The troops go home.\nThe end is near. Nobody knows why."
    first, second = (0, 24), (25, 44)
    third, fourth = (45, 61), (62, 78)
    sentences = [first, second, third, fourth]

    def quote(start: int, end: int) -> Span:
        return Span(id=f"q{start}", label="QUOTE", start=start, end=end, text=text[start:end])

    joined = [quote(8, 43)]                       # "the war is over. The troops go home"
    split = [quote(8, 23), quote(25, 43)]         # "the war is over" | "The troops go home"
    apart = [quote(25, 43), quote(45, 60)]        # either side of the paragraph break
    assert sentence_joins(text, sentences, joined) == {"joined": 1}
    assert sentence_joins(text, sentences, split) == {"split": 1}
    assert sentence_joins(text, sentences, apart) == {}
    assert sentence_joins(text, sentences, [Span(id="s", label="SPEAKER", start=0, end=2, text="He")]) == {}


def test_tagged_quotes_in_a_row_are_one_across_a_sentence_end_inside_marks_or_where_the_gold_joins_them() -> None:
    from newsgold.suggest.rules import quotations
    from newsgold.suggest.tagger import _joined_quotes, _Run

    text = "“We stay. We fight,” he said. They go home. Then what?\nNext."
    we_stay, we_fight = _Run(1, 8, "QUOTE", [0.9], 0, 0), _Run(10, 18, "QUOTE", [0.7], 1, 1)
    he, said = _Run(21, 23, "SPEAKER", [0.8], 1, 1), _Run(24, 28, "CUE", [0.8], 1, 1)
    they_go, then_what = _Run(30, 42, "QUOTE", [0.6], 2, 2), _Run(44, 53, "QUOTE", [0.4], 3, 3)
    runs = [we_stay, we_fight, he, said, they_go, then_what]
    assert quotations(text) == [(0, 20)]

    def extents(joined: list[_Run]) -> list[tuple[int, int, str]]:
        return [(r.start, r.end, r.role) for r in joined]

    assert extents(_joined_quotes(text, runs, across_sentences=False)) == [
        (1, 8, "QUOTE"), (10, 18, "QUOTE"), (21, 23, "SPEAKER"), (24, 28, "CUE"), (30, 42, "QUOTE"),
        (44, 53, "QUOTE")]
    inside_marks = _joined_quotes(text, runs, across_sentences=False, marked=quotations(text))
    assert extents(inside_marks) == [                      # a direct quote of two sentences is one
        (1, 18, "QUOTE"), (21, 23, "SPEAKER"), (24, 28, "CUE"), (30, 42, "QUOTE"), (44, 53, "QUOTE")]
    assert extents(_joined_quotes(text, runs, across_sentences=True)) == [
        (1, 18, "QUOTE"), (21, 23, "SPEAKER"), (24, 28, "CUE"), (30, 53, "QUOTE")]  # words between: apart
    assert inside_marks[0].tagged().score == 0.8
    assert (inside_marks[0].tagged().sentence, inside_marks[0].tagged().last_sentence) == (0, 1)
    restarted = [_Run(1, 4, "QUOTE", [0.5], 0, 0), _Run(4, 8, "QUOTE", [0.5], 0, 0)]  # B- again in a sentence
    assert [(r.start, r.end) for r in _joined_quotes(text, restarted, across_sentences=False)] == [(1, 8)]


def test_a_tagged_quote_mostly_over_a_rule_quote_takes_its_ends() -> None:
    from newsgold.suggest.tagger import _Run, _snapped

    text = "Pevkur said that NATO staff serve only as advisers."
    rule = Span(id="r", label="QUOTE", start=17, end=50, text=text[17:50])
    close = _Run(12, 50, "QUOTE", [0.6], 0, 0)      # "that NATO ... advisers": most of it is the rules' quote
    again = _Run(17, 45, "QUOTE", [0.4], 0, 0)      # a second one over the same quote: one with the first
    far = _Run(0, 27, "QUOTE", [0.9], 0, 0)         # shares less than half: keeps its own ends
    speaker = _Run(0, 6, "SPEAKER", [0.9], 0, 0)
    assert [(r.start, r.end, r.role) for r in _snapped([speaker, close, again], [rule])] == [
        (0, 6, "SPEAKER"), (17, 50, "QUOTE")]
    assert _snapped([speaker, close, again], [rule])[1].marginals == [0.6, 0.4]
    assert [(r.start, r.end) for r in _snapped([far], [rule])] == [(0, 27)]
    assert [(r.start, r.end) for r in _snapped([close], [])] == [(12, 50)]


def test_a_tagger_joins_sentences_as_the_gold_it_learned_from_did(trained: tuple[Corpus, Path],
                                                                tmp_path: Path) -> None:
    """The bundled gold splits a continuation sentence into a QUOTE of its own (the guidelines), so
    a tagger trained on it does not join; one whose gold ran quotes over sentence ends (PolNeAR)
    does. A direct quote of two sentences is counted for neither: inside marks both join."""
    import json
    from collections import Counter

    from newsgold.suggest.tagger import META_FILE, sentence_joins

    corpus, folder = trained
    index = corpus.document_index()
    counts: Counter[str] = Counter()
    for gold in corpus.iter_gold():
        text = index.read_document(gold.doc_id).text
        counts += sentence_joins(text, [(s[0].start, s[-1].end) for s in segment(text).sentences if s], gold.spans)
    assert counts == {"split": 2}
    meta = json.loads((folder / META_FILE).read_text())
    assert meta["sentence_joins"].get("joined", 0) <= meta["sentence_joins"].get("split", 0)
    assert RoleTagger(folder).joins_sentences is False
    shutil.copytree(folder, tmp_path / "joins")
    (tmp_path / "joins" / META_FILE).write_text(json.dumps({**meta, "sentence_joins": {"joined": 5, "split": 1}}))
    write_checksums(tmp_path / "joins")  # as training on gold that joins them would have written it
    assert RoleTagger(tmp_path / "joins").joins_sentences is True


def test_the_corpus_own_cues_are_learned_and_every_word_knows_how_far_the_nearest_is() -> None:
    """`learned_cues`: words the gold makes cues often enough (twice, and in a fifth of their uses);
    the features then mark them and, for every token, the distance to the nearest before and after."""
    from newsgold.schemas.document import Document
    from newsgold.suggest.tagger import learned_cues, sentence_features

    def example(text: str, cue: str) -> tuple[Document, list[Span]]:
        start = text.index(cue)
        return (Document.model_validate({"id": f"d{len(text)}", "text": text, "sha256": "0" * 64}),
                [Span(id="c", label="CUE", start=start, end=start + len(cue), text=cue)])

    examples = [example("Trump called the plan a disaster.", "called"),
                example("Cruz called it a failure of the party.", "called"),
                example("She endorsed the plan on Monday night.", "endorsed"),
                example("The plan was called off. The call came late. The team called a vote.", "called")]
    assert learned_cues(examples) == {"called"}   # endorsed once: too rare; `called` 3 of 4 uses
    assert learned_cues(examples, least=4) == frozenset()
    [sentence] = segment("Critics called the plan a total failure of leadership.").sentences
    features = sentence_features(sentence, cues=frozenset({"called"}))
    assert "learned_cue" in features[1] and "learned_cue" not in features[0]
    assert [next(f for f in token if f.startswith("cue_left=")) for token in features] == [
        "cue_left=none", "cue_left=none", "cue_left=1", "cue_left=2", "cue_left=3", "cue_left=4-6",
        "cue_left=4-6", "cue_left=4-6", "cue_left=7-12", "cue_left=7-12"]
    assert [next(f for f in token if f.startswith("cue_right=")) for token in features][:2] == [
        "cue_right=1", "cue_right=none"]


def test_a_word_knows_it_is_inside_a_quotation_that_opened_in_a_sentence_before() -> None:
    """The sentence's own marks cannot tell that the second sentence of `“A. B,” he said` is
    quoted; the quotations of the whole text can (`in_quotation`), and the tagger reads both."""
    from newsgold.suggest.tagger import _featured_sentences

    text = "“We stay here. It is serious,” he said."
    sentences = list(_featured_sentences(text))
    assert [[t.text for t in sentence] for _, sentence, _ in sentences] == [
        ["“", "We", "stay", "here", "."], ["It", "is", "serious", ",", "”", "he", "said", "."]]

    def flags(features: list[list[str]], name: str) -> list[str]:
        return [next(f for f in token if f.startswith(name + "="))[len(name) + 1:] for token in features]

    assert flags(sentences[1][2], "quoted") == ["False"] * 8
    assert flags(sentences[1][2], "in_quotation") == ["True"] * 4 + ["False"] * 4
    assert flags(sentences[0][2], "in_quotation") == ["False"] + ["True"] * 4


def test_a_tagged_quote_takes_the_speaker_and_cue_the_rules_give_it_where_they_see_it_too(
        trained: tuple[Corpus, Path]) -> None:
    """Linking by nearness alone gives `Jones` (the nearer) to the quote; the rules read the
    sentence's structure (`Smith, who ...Jones..., said CLAUSE`) and give Smith, which was tagged
    too, so Smith it is. A quote the rules do not see keeps the nearest."""
    from newsgold.suggest.tagger import TaggedSpan

    corpus, folder = trained
    text = "Smith, who met Jones on Monday, said the alliance will hold its ground in the east."
    quote = text.index("the alliance")

    def at(text: str, words: str, role: str) -> TaggedSpan:
        start = text.index(words)
        return TaggedSpan(start, start + len(words), role, 0, 0.9)

    tagged = [at(text, "Smith", "SPEAKER"), at(text, "Jones", "SPEAKER"), at(text, "said", "CUE"),
              TaggedSpan(quote, len(text) - 1, "QUOTE", 0, 0.8)]
    tagger = RoleTagger(folder)
    tagger._spans = lambda text, ruled: tagged  # type: ignore[method-assign]
    [attribution] = tagger.attributions(text, [], corpus.scheme)
    assert attribution.speaker is not None and text[slice(*attribution.speaker)] == "Smith"
    alone = "Jones met Smith on Monday and the alliance holds."
    tagged = [at(alone, "Jones", "SPEAKER"), at(alone, "Smith", "SPEAKER"), at(alone, "the alliance holds", "QUOTE")]
    [attribution] = tagger.attributions(alone, [], corpus.scheme)
    assert attribution.speaker is not None and alone[slice(*attribution.speaker)] == "Smith"  # the nearer


@pytest.mark.parametrize("damage", ["truncated", "byte-flipped", "meta-edited", "file-added", "file-removed",
                                    "no-checksums"])
def test_a_damaged_tagger_is_one_line_never_a_crash(damage: str, trained: tuple[Corpus, Path], tmp_path: Path) -> None:
    """CRFsuite trusts its model file: a truncated or byte-flipped one crashed the process (SIGSEGV).
    A tagger folder carries the sha256 of its files, checked before anything is loaded (issue 41,
    item 10): `suggest --tagger` then exits 2 with one line."""
    import os
    import subprocess
    import sys

    from newsgold._io import CHECKSUMS_FILE
    from newsgold.suggest.tagger import MODEL_FILE

    corpus, folder = trained
    damaged = tmp_path / "tagger"
    shutil.copytree(folder, damaged)
    model = damaged / MODEL_FILE
    if damage == "truncated":
        model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    elif damage == "byte-flipped":
        content = bytearray(model.read_bytes())
        content[len(content) // 3] ^= 0xFF
        model.write_bytes(bytes(content))
    elif damage == "meta-edited":
        (damaged / META_FILE).write_text((damaged / META_FILE).read_text().replace('"tokens"', '"tokens" ', 1))
    elif damage == "file-added":
        (damaged / "extra.bin").write_bytes(b"x")
    elif damage == "file-removed":
        (damaged / META_FILE).unlink()
    else:
        (damaged / CHECKSUMS_FILE).unlink()
    copy = tmp_path / "corpus"
    shutil.copytree(corpus.root, copy)
    done = subprocess.run([sys.executable, "-m", "newsgold", "suggest", "--corpus", str(copy), "--tagger", str(damaged)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONFAULTHANDLER": ""})
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "train it again" in line and str(damaged) in line
