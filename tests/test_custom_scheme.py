"""A scheme with other names works end to end through its roles, or is refused at `init`.

The scheme below names nothing the way the news scheme does (Quotation, Source, Trigger, said_by,
...); its `roles` block says which is which. Two annotators' brat files go in, agreement sees
their quotes, forms and speakers, adjudication builds gold with the right links, and every export
carries the quotes and entities under the custom names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.curation import adjudicate, agreement
from newsgold.exchange import export_all, import_brat
from newsgold.exchange.export import skipped_formats
from newsgold.schemas.scheme import Roles, Scheme

TEXT = "Mara Lind said the bridge is safe. The mayor said: \u201cIt will close.\u201d\n"

SCHEME = {
    "name": "bridge-talk",
    "layers": [
        {"name": "mentions", "labels": [{"name": "Person"}, {"name": "Organisation"}]},
        {"name": "talk", "labels": [
            {"name": "Quotation", "stance": True,
             "attrs": [{"name": "kind", "values": ["verbatim", "reported"], "required": True}]},
            {"name": "Source"}, {"name": "Trigger"}]},
    ],
    "relations": [
        {"name": "said_by", "pairs": [["Quotation", "Source"]], "cardinality": {"min": 1, "max": 1}},
        {"name": "triggered_by", "pairs": [["Quotation", "Trigger"]], "cardinality": {"max": 1}},
        {"name": "denotes", "pairs": [["Source", "Person"], ["Source", "Organisation"]]},
    ],
    "stance": {"values": ["pro", "con", "none"], "targets": [{"id": "bridge-safe", "claim": "The bridge is safe."}]},
    "roles": {"quote": "Quotation", "speaker": "Source", "cue": "Trigger", "attribution": "said_by",
              "cue_link": "triggered_by", "reference": "denotes", "entity_layer": "mentions", "form": "kind"},
}


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _ann(kind_second: str) -> str:
    """Both annotators mark the same quotes, speakers and cues; they differ on one quote's kind."""
    lines = []
    spans = [("T1", "Person", "Mara Lind", 0), ("T2", "Source", "Mara Lind", 0), ("T3", "Trigger", "said", 0),
             ("T4", "Quotation", "the bridge is safe", 0), ("T5", "Source", "The mayor", 0),
             ("T6", "Trigger", "said", 1), ("T7", "Quotation", "It will close.", 0)]
    for tid, label, needle, nth in spans:
        start, end = _span(TEXT, needle, nth)
        lines.append(f"{tid}\t{label} {start} {end}\t{needle}")
    lines += ["A1\tkind T4 reported", f"A2\tkind T7 {kind_second}", "A3\tstance_bridge-safe T4 pro",
              "R1\tsaid_by Arg1:T4 Arg2:T2", "R2\ttriggered_by Arg1:T4 Arg2:T3", "R3\tdenotes Arg1:T2 Arg2:T1",
              "R4\tsaid_by Arg1:T7 Arg2:T5", "R5\ttriggered_by Arg1:T7 Arg2:T6"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    scheme_file = tmp_path / "scheme.json"
    scheme_file.write_text(json.dumps(SCHEME))
    article = tmp_path / "bridge.txt"
    article.write_text(TEXT)
    runner = CliRunner()
    root = tmp_path / "c"
    for args in (["init", "--corpus", str(root), "--scheme", str(scheme_file)], ["ingest", str(article), "--corpus", str(root)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    opened = Corpus.open(root)
    for annotator, kind in (("ann1", "verbatim"), ("ann2", "verbatim"), ("ann3", "reported")):
        folder = tmp_path / f"brat-{annotator}"
        folder.mkdir()
        (folder / "bridge.txt").write_text(TEXT)
        (folder / "bridge.ann").write_text(_ann(kind))
        report = import_brat(opened, folder, set_name=annotator)
        assert report.ok, report.rejected
    return Corpus.open(root)


def test_the_roles_are_read_from_the_scheme(corpus: Corpus) -> None:
    roles = corpus.scheme.resolved_roles
    assert (roles.quote, roles.speaker, roles.attribution, roles.form) == ("Quotation", "Source", "said_by", "kind")
    assert skipped_formats(corpus.scheme) == {}


def test_agreement_sees_quotes_forms_and_speakers(corpus: Corpus) -> None:
    report = agreement(corpus).as_dict()
    pairs = {(p["first"], p["second"]): p for p in report["pairs"]}
    same = pairs[("ann1", "ann2")]
    assert same["attribution"] == {"matched_quotes": 2, "linked_quotes": 2, "both_unlinked": 0, "same_speaker": 2,
                                   "agreement": 1.0}
    assert same["form"]["items"] == 2
    assert pairs[("ann1", "ann3")]["form"]["items"] == 2
    assert report["alpha"]["form"] is not None


def test_adjudicated_gold_and_every_export_use_the_custom_names(corpus: Corpus, tmp_path: Path) -> None:
    result = adjudicate(corpus, "majority")
    assert not [u for u in result.unresolved if u.kind == "span"]
    [gold] = corpus.iter_gold()
    by_id = {s.id: s for s in gold.spans}
    quotes = [s for s in gold.spans if s.label == "Quotation"]
    assert sorted(q.attrs["kind"] for q in quotes) == ["reported", "verbatim"]
    speakers = {by_id[r.from_].text: by_id[r.to].text for r in gold.relations if r.type == "said_by"}
    assert speakers == {"the bridge is safe": "Mara Lind", "It will close.": "The mayor"}
    assert validate(corpus.root).ok

    manifests = export_all(corpus, tmp_path / "out", formats=None)
    assert "spacy" not in manifests or manifests["spacy"].files
    assert set(manifests) >= {"jsonl", "quotes", "stance", "ner-conll", "ner-hf", "brat", "label-studio"}
    rows = [json.loads(line) for line in (tmp_path / "out" / "quotes" / "gold.jsonl").read_text().splitlines()]
    assert {(r["text"], r["form"], r["speaker"]["text"], (r["entity"] or {}).get("text"), r["cue"]["text"])
            for r in rows} == {("the bridge is safe", "reported", "Mara Lind", "Mara Lind", "said"),
                               ("It will close.", "verbatim", "The mayor", None, "said")}
    hf = [json.loads(line) for line in (tmp_path / "out" / "ner-hf" / "gold.jsonl").read_text().splitlines()]
    names = manifests["ner-hf"].details["ner_tag_names"]
    tagged = {(hf[0]["tokens"][i], names[t]) for i, t in enumerate(hf[0]["ner_tags"]) if names[t] != "O"}
    assert tagged == {("Mara", "B-Person"), ("Lind", "I-Person")}


def test_label_studio_export_of_a_custom_scheme_imports_back(corpus: Corpus, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "ls"
    result = runner.invoke(main, ["export", "--corpus", str(corpus.root), "--format", "label-studio",
                                  "--annotations", "--out", str(out)])
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh"
    (tmp_path / "scheme2.json").write_text(json.dumps(SCHEME))
    assert runner.invoke(main, ["init", "--corpus", str(fresh), "--scheme", str(tmp_path / "scheme2.json")]).exit_code == 0
    exported = out / "annotations.json"
    result = runner.invoke(main, ["import", str(exported), "--format", "label-studio", "--corpus", str(fresh)])
    assert result.exit_code == 0, result.output
    before = sorted((s.annotator, len(s.spans), len(s.relations)) for s in corpus.iter_annotation_sets())
    after = sorted((s.annotator, len(s.spans), len(s.relations)) for s in Corpus.open(fresh).iter_annotation_sets())
    assert before == after


def test_a_roles_block_that_names_what_the_scheme_lacks_is_refused_at_init(tmp_path: Path) -> None:
    broken = {**SCHEME, "roles": {**SCHEME["roles"], "quote": "Quote", "form": "form"}}  # type: ignore[dict-item]
    (tmp_path / "scheme.json").write_text(json.dumps(broken))
    result = CliRunner().invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--scheme", str(tmp_path / "scheme.json")])
    assert result.exit_code == 2
    assert "roles.quote is 'Quote', which is no label of the scheme" in result.output
    assert not (tmp_path / "c" / "newsgold.json").exists()


def test_a_scheme_without_quotes_exports_what_it_can_and_says_what_it_skipped(tmp_path: Path) -> None:
    plain = {"name": "ner-only", "layers": [{"name": "names", "labels": [{"name": "Person"}]}]}
    scheme = Scheme.model_validate(plain)
    assert scheme.resolved_roles == Roles(quote=None, speaker=None, cue=None, attribution=None, cue_link=None,
                                          reference=None, entity_layer=None, form=None)
    (tmp_path / "scheme.json").write_text(json.dumps(plain))
    (tmp_path / "a.txt").write_text("Mara Lind spoke.\n")
    runner = CliRunner()
    root = tmp_path / "c"
    assert runner.invoke(main, ["init", "--corpus", str(root), "--scheme", str(tmp_path / "scheme.json")]).exit_code == 0
    assert runner.invoke(main, ["ingest", str(tmp_path / "a.txt"), "--corpus", str(root)]).exit_code == 0
    result = runner.invoke(main, ["export", "--corpus", str(root), "--format", "quotes", "--out", str(tmp_path / "q")])
    assert result.exit_code == 2
    assert "the quotes format needs the scheme's roles.quote" in result.output
    result = runner.invoke(main, ["export", "--corpus", str(root), "--format", "all", "--out", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert "skipped quotes: the scheme names no roles.quote" in result.output
    assert "skipped ner-hf: the scheme names no roles.entity_layer" in result.output
    assert (tmp_path / "all" / "jsonl" / "manifest.json").is_file()
    assert not (tmp_path / "all" / "quotes").exists()


def test_export_all_without_spacy_exports_the_rest_and_says_so(tmp_path: Path, monkeypatch) -> None:
    import sys

    from newsgold.corpus import Corpus as OpenCorpus

    from conftest import REPO

    monkeypatch.setitem(sys.modules, "spacy", None)  # as on a plain install: importing spaCy fails
    result = CliRunner().invoke(main, ["export", "--corpus", str(REPO / "corpus"), "--format", "all",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    token_formats = ["quotes", "stance", "ner-conll", "ner-hf", "attribution-hf", "attribution-conll", "spacy"]
    for name in token_formats:
        assert f"skipped {name}: needs newsgold's 'spacy' extra (spacy is not installed): pip install 'newsgold[spacy]'" \
            in result.output
        assert not (tmp_path / "out" / name).exists()
    assert (tmp_path / "out" / "jsonl" / "manifest.json").is_file() and (tmp_path / "out" / "brat").is_dir()
    alone = CliRunner().invoke(main, ["export", "--corpus", str(REPO / "corpus"), "--format", "ner-hf",
                                      "--out", str(tmp_path / "ner")])
    assert alone.exit_code == 2, alone.output
    assert "`newsgold export` needs newsgold's 'spacy' extra (spacy is not installed): pip install 'newsgold[spacy]'" \
        in alone.output
    assert "Traceback" not in alone.output and not (tmp_path / "ner").exists()
    assert set(skipped_formats(OpenCorpus.open(REPO / "corpus").scheme)) == set(token_formats)


def test_a_layer_with_no_records_still_writes_its_file(tmp_path: Path) -> None:
    """A quotes export of a corpus without quotes writes an empty gold.jsonl, counted 0."""
    from newsgold.exchange import export

    text = "Mara Lind spoke.\n"
    (tmp_path / "a.txt").write_text(text)
    runner = CliRunner()
    root = tmp_path / "c"
    assert runner.invoke(main, ["init", "--corpus", str(root)]).exit_code == 0
    assert runner.invoke(main, ["ingest", str(tmp_path / "a.txt"), "--corpus", str(root)]).exit_code == 0
    manifest = export(Corpus.open(root), "quotes", tmp_path / "q")
    assert manifest.files["gold.jsonl"].records == 0 and (tmp_path / "q" / "gold.jsonl").read_bytes() == b""


def test_a_typo_in_the_scheme_is_one_problem_at_its_json_path_with_the_nearest_name(tiny: Path, runner) -> None:
    manifest = json.loads((tiny / "newsgold.json").read_text())
    manifest["scheme"]["relations"][0]["pairs"][0][1] = "SPEKER"
    manifest["scheme"]["layers"][0]["labels"][1]["name"] = 7
    (tiny / "newsgold.json").write_text(json.dumps(manifest))
    result = runner.invoke(main, ["validate", "--corpus", str(tiny)])
    assert result.exit_code == 1
    problems = result.stdout.splitlines()  # the summary line is on stderr
    assert len(problems) == 1, problems  # the inline scheme is not also "not a valid string" (a file name)
    assert "scheme.layers[0].labels[1].name: Input should be a valid string" in problems[0]
    assert "schema.json" not in result.output and "scheme.str" not in result.output
    manifest["scheme"]["layers"][0]["labels"][1]["name"] = "ORG"
    (tiny / "newsgold.json").write_text(json.dumps(manifest))
    result = runner.invoke(main, ["validate", "--corpus", str(tiny)])
    [problem] = result.stdout.splitlines()
    assert "relations[0].pairs[0][1] (relation attributed_to): no label 'SPEKER'; did you mean 'SPEAKER'?" in problem
    assert problem.endswith("[NG002]")
    stopped = runner.invoke(main, ["stats", "--corpus", str(tiny)])
    assert stopped.exit_code == 2 and "did you mean 'SPEAKER'?" in stopped.stderr


def test_a_role_tagger_on_a_scheme_without_its_roles_is_refused_not_silently_unused(tmp_path: Path) -> None:
    from newsgold.corpus import init_corpus

    corpus = init_corpus(tmp_path / "c", scheme=Scheme.model_validate(SCHEME))
    (tmp_path / "tagger").mkdir()
    result = CliRunner().invoke(main, ["suggest", "--corpus", str(corpus.root), "--tagger", str(tmp_path / "tagger")])
    assert result.exit_code == 2, result.output
    assert "--tagger names a role tagger, which tags QUOTE, SPEAKER and CUE" in result.output
    assert not corpus.annotations_path.exists() or corpus.annotations_path.read_text() == ""


def test_review_replace_without_pull_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["studio", "review", "--replace", "--corpus", "corpus"])
    assert result.exit_code == 2 and "--replace goes with --pull" in result.output
