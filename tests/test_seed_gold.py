"""The gold of the seed articles: reproducible from its script, valid, and right on checkable facts."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.schemas import GoldSet

from conftest import REPO, snapshot

NATO, RUSSIA = "nato-personnel-in-ukraine", "russia-300k-troops"


def _load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("seed_gold", REPO / "scripts" / "seed_gold.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["seed_gold"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def gold() -> dict[str, GoldSet]:
    return {g.doc_id: g for g in Corpus.open(REPO / "corpus").iter_gold()}


def _quote_facts(gold_set: GoldSet) -> list[tuple[str, str, str, dict[str, str]]]:
    """(quote text, speaker text, the entity the speaker refers to, stance) per quote."""
    spans = {s.id: s for s in gold_set.spans}
    links = {(r.type, r.from_): r.to for r in gold_set.relations}
    facts = []
    for quote in (s for s in gold_set.spans if s.label == "QUOTE"):
        speaker = spans[links[("attributed_to", quote.id)]]
        entity = spans[links[("refers_to", speaker.id)]]
        facts.append((quote.text, speaker.text, entity.text, quote.stance))
    return facts


def test_gold_is_exactly_what_the_script_writes(tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", copy)
    (copy / "gold.jsonl").write_text("")
    _load_script().main(copy)
    assert (copy / "gold.jsonl").read_bytes() == (REPO / "corpus" / "gold.jsonl").read_bytes(), (
        "corpus/gold.jsonl is stale; regenerate with: python scripts/seed_gold.py corpus")


def test_bundled_corpus_validates_and_is_fully_gold(runner) -> None:
    report = validate(REPO / "corpus")
    assert report.ok, [p.as_text() for p in report.problems]
    assert report.documents == report.gold_sets == 2
    result = runner.invoke(main, ["stats", "--corpus", str(REPO / "corpus")])
    assert "Per document" in result.output and "QUOTE" in result.output


def test_stoltenberg_denies_nato_troops_in_headline_and_body(gold) -> None:
    facts = _quote_facts(gold["004_2da5e68ab82a8b3d"])
    headline = [f for f in facts if f[0] == "There are no NATO troops in Ukraine"]
    assert headline and headline[0][2] == "Stoltenberg" and headline[0][3] == {NATO: "against"}
    body = [f for f in facts if f[0].startswith("there are neither instructors nor military units")]
    assert body and body[0][2] == "Jens Stoltenberg" and body[0][3] == {NATO: "against"}
    personnel = [f for f in facts if "without having to deploy NATO personnel in Ukraine" in f[0]]
    assert personnel and personnel[0][3] == {NATO: "against"}
    assert all(f[2].endswith("Stoltenberg") for f in facts)
    assert gold["004_2da5e68ab82a8b3d"].stance == {NATO: "against"}


def test_pevkur_says_every_nato_country_has_personnel(gold) -> None:
    facts = _quote_facts(gold["000_8dd4fb761523bda0"])
    reality = [f for f in facts if "every NATO member country already has military personnel in Ukraine" in f[0]]
    assert len(reality) == 1
    text, speaker, entity, stance = reality[0]
    assert text.startswith("The reality is") and not text.startswith("“")
    assert (speaker, entity, stance) == ("the official", "Pevkur", {NATO: "favor"})
    headlines = [f for f in facts if f[0] == "Every NATO Country Already Has Military Personnel In Ukraine"]
    assert len(headlines) == 2  # the headline and its repetition
    assert all(f[1] == "Foreign Official" and f[2] == "Hanno Pevkur" and f[3] == {NATO: "favor"}
               for f in headlines)


def test_peskov_denies_the_300k_claim(gold) -> None:
    facts = _quote_facts(gold["000_8dd4fb761523bda0"])
    [denial] = [f for f in facts if f[0] == "This is not true."]
    assert denial[1:] == ("Dmitry Peskov", "Dmitry Peskov", {RUSSIA: "against"})
    [claim] = [f for f in facts if f[0].startswith("Russia is preparing to send another 300,000")]
    assert claim[2] == "Volodymyr Zelenskiy" and claim[3] == {RUSSIA: "favor"}


def test_every_quote_has_exactly_one_speaker_and_every_speaker_an_entity(gold) -> None:
    for gold_set in gold.values():
        quotes = [s.id for s in gold_set.spans if s.label == "QUOTE"]
        speakers = [s.id for s in gold_set.spans if s.label == "SPEAKER"]
        for quote in quotes:
            assert sum(r.type == "attributed_to" and r.from_ == quote for r in gold_set.relations) == 1
            assert all(s.attrs.get("form") for s in gold_set.spans if s.id == quote)
        for speaker in speakers:
            assert sum(r.type == "refers_to" and r.from_ == speaker for r in gold_set.relations) == 1


def test_pronoun_and_description_speakers_refer_to_names(gold) -> None:
    spans = {(g.doc_id, s.id): s for g in gold.values() for s in g.spans}
    pairs = {(spans[(g.doc_id, r.from_)].text, spans[(g.doc_id, r.to)].text)
             for g in gold.values() for r in g.relations if r.type == "refers_to"}
    assert ("he", "Hanno Pevkur") in pairs
    assert ("the official", "Pevkur") in pairs
    assert ("He", "Stoltenberg") in pairs
    assert ("The Secretary General", "Stoltenberg") in pairs
    assert ("The French defense ministry", "French defense ministry") in pairs


def test_show_renders_each_seed(runner) -> None:
    for doc_id in ("000_8dd4fb761523bda0", "004_2da5e68ab82a8b3d"):
        result = runner.invoke(main, ["show", doc_id, "--corpus", str(REPO / "corpus")])
        assert result.exit_code == 0
        assert "Quotes" in result.output and "[SPEAKER]" in result.output


def test_regenerating_does_not_touch_other_files(tmp_path: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", copy)
    before = snapshot(copy)
    _load_script().main(copy)
    assert snapshot(copy) == before
