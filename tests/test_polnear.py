"""A PolNeAR-shaped corpus in: brat files per article and annotator, events tying Content, Source
and Cue, the bundled `polnear` mapping; then agreement, adjudication and the quotes export.

The files are written here from PolNeAR's published description (its licence does not let us
bundle its data): one `.txt` per article in `text/`, one `ARTICLE_ANNOTATOR.ann` per annotator in
`ann/`, the labels Source, Cue and Content plus an `Attribution` trigger on the cue's characters,
and an event `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`; quotation marks are curly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.curation import adjudicate, agreement
from newsgold.exchange import export, import_brat
from newsgold.formats.mapping import load_mapping
from newsgold.errors import UsageError

from conftest import REPO
from helpers import seed_scheme

ARTICLE = ("Trump said: “We will win the state.” Clinton aides were not convinced, "
           "according to a campaign memo.\n")


def _at(needle: str) -> tuple[int, int]:
    start = ARTICLE.index(needle)
    return start, start + len(needle)


def _ann(with_second: bool, source: str = "Trump") -> str:
    lines = []
    for tid, label, needle in (("T1", "Source", source), ("T2", "Cue", "said"),
                               ("T3", "Content", "We will win the state."), ("T4", "Attribution", "said")):
        start, end = _at(needle)
        lines.append(f"{tid}\t{label} {start} {end}\t{needle}")
    lines.append("E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1")
    if with_second:
        for tid, label, needle in (("T5", "Content", "Clinton aides were not convinced"),
                                   ("T6", "Cue", "according to"), ("T7", "Source", "a campaign memo"),
                                   ("T8", "Attribution", "according to")):
            start, end = _at(needle)
            lines.append(f"{tid}\t{label} {start} {end}\t{needle}")
        lines.append("E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7")
    return "\n".join(lines) + "\n"


@pytest.fixture
def polnear(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "art01.txt").write_text(ARTICLE)
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "art01_annA.ann").write_text(_ann(with_second=True))
    (tmp_path / "ann" / "art01_annB.ann").write_text(_ann(with_second=True))
    (tmp_path / "ann" / "art01_annC.ann").write_text(_ann(with_second=False))
    return tmp_path


def _corpus(tmp_path: Path, runner) -> Corpus:  # type: ignore[no-untyped-def]
    scheme = seed_scheme().model_dump(mode="json", by_alias=True, exclude_none=True)
    for layer in scheme["layers"]:
        for label in layer["labels"]:
            for attr in label.get("attrs", []):
                attr["required"] = False  # PolNeAR has no quote form
    (tmp_path / "scheme.json").write_text(json.dumps(scheme))
    assert runner.invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--scheme", str(tmp_path / "scheme.json")]).exit_code == 0
    return Corpus.open(tmp_path / "c")


def test_without_a_mapping_nothing_is_stored_and_every_event_is_named(polnear: Path, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path, runner)
    result = runner.invoke(main, ["import", str(polnear / "ann"), "--format", "brat", "--set-from", "filename",
                                  "--texts", str(polnear / "text"), "--corpus", str(corpus.root)])
    assert result.exit_code == 1
    assert "event E1 of type Attribution has no mapping to relations" in result.output
    assert list(Corpus.open(corpus.root).iter_annotation_sets()) == []


def test_the_polnear_preset_imports_agrees_adjudicates_and_exports_quotes(polnear: Path, tmp_path: Path,
                                                                          runner) -> None:
    corpus = _corpus(tmp_path, runner)
    result = runner.invoke(main, ["import", str(polnear / "ann"), "--format", "brat", "--set-from", "filename",
                                  "--texts", str(polnear / "text"), "--mapping", "polnear", "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "spans left out by the mapping" in result.output  # the Attribution triggers, on purpose
    sets = {s.annotator: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert sorted(sets) == ["annA", "annB", "annC"]
    labels = sorted(s.label for s in sets["annA"].spans)
    assert labels == ["CUE", "CUE", "QUOTE", "QUOTE", "SPEAKER", "SPEAKER"]
    assert sorted(r.type for r in sets["annA"].relations) == ["attributed_to", "attributed_to", "cued_by", "cued_by"]
    report = agreement(Corpus.open(corpus.root))
    assert report.annotators == ["annA", "annB", "annC"] and report.pairs
    pair = next(p for p in report.pairs if (p.first, p.second) == ("annA", "annB")).as_dict()
    assert pair["spans"]["exact"]["ALL"]["f1"] == 1.0 and pair["attribution"]["agreement"] == 1.0
    adjudicate(Corpus.open(corpus.root), "majority")
    assert validate(corpus.root).ok
    manifest = export(Corpus.open(corpus.root), "quotes", tmp_path / "quotes")
    rows = [json.loads(line) for line in (tmp_path / "quotes" / "gold.jsonl").read_text().splitlines()]
    assert manifest.files["gold.jsonl"].records == 2
    assert {(r["text"], r["speaker"]["text"], r["cue"]["text"]) for r in rows} == {
        ("We will win the state.", "Trump", "said"),
        ("Clinton aides were not convinced", "a campaign memo", "according to")}


def test_notes_are_losses_the_user_must_accept(polnear: Path, tmp_path: Path, runner) -> None:
    content = _ann(with_second=False) + "#1\tAnnotatorNotes T3\tcheck the tense\n"
    (polnear / "ann" / "art01_annC.ann").write_text(content)
    corpus = _corpus(tmp_path, runner)
    args = ["import", str(polnear / "ann"), "--format", "brat", "--set-from", "filename",
            "--texts", str(polnear / "text"), "--mapping", "polnear", "--corpus", str(corpus.root)]
    refused = runner.invoke(main, args)
    assert refused.exit_code == 1 and "newsgold does not store brat notes" in refused.output
    assert "--accept-loss" in refused.output
    accepted = runner.invoke(main, [*args, "--accept-loss"])
    assert accepted.exit_code == 0, accepted.output
    assert "not stored (--accept-loss):" in accepted.output and "art01_annC.ann:6:" in accepted.output


def test_a_discontinuous_quote_keeps_its_fragments_and_exports_without_the_gap(polnear: Path, tmp_path: Path,
                                                                             runner) -> None:
    """PolNeAR's `“…,” said X. “…”`: one Content in two fragments around the speaker and cue."""
    text = "“We will win,” Trump said. “The state is ours.”\n"
    (polnear / "text" / "art02.txt").write_text(text)
    first, second = (text.index("We will win,"), text.index("The state is ours."))
    f1 = (first, first + len("We will win,"))
    f2 = (second, second + len("The state is ours."))
    source, cue = text.index("Trump"), text.index("said")
    ann = (f"T1\tSource {source} {source + 5}\tTrump\nT2\tCue {cue} {cue + 4}\tsaid\n"
           f"T3\tContent {f2[0]} {f2[1]};{f1[0]} {f1[1]}\tThe state is ours. We will win,\n"  # out of order: legal
           f"T4\tAttribution {cue} {cue + 4}\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")
    for who in ("annA", "annB"):
        (polnear / "ann" / f"art02_{who}.ann").write_text(ann)
    corpus = _corpus(tmp_path, runner)
    report = import_brat(corpus, polnear / "ann", set_from="filename",
                                texts=polnear / "text", mapping="polnear")
    assert report.ok, report.rejected
    [quote] = [s for a in Corpus.open(corpus.root).iter_annotation_sets() if a.doc_id == "art02"
               for s in a.spans if s.label == "QUOTE"][:1]
    assert quote.fragments == [f1, f2] and (quote.start, quote.end) == (f1[0], f2[1])
    adjudicate(Corpus.open(corpus.root), "majority")
    assert validate(corpus.root).ok
    export(Corpus.open(corpus.root), "quotes", tmp_path / "q")
    rows = [json.loads(line) for line in (tmp_path / "q" / "gold.jsonl").read_text().splitlines()]
    [row] = [r for r in rows if r["doc_id"] == "art02"]
    assert row["text"] == "We will win, The state is ours." and row["fragments"] == [list(f1), list(f2)]
    assert row["speaker"]["text"] == "Trump" and row["cue"]["text"] == "said"
    # The attribution exports tag each fragment and list one token range per fragment.
    export(Corpus.open(corpus.root), "attribution-hf", tmp_path / "attribution")
    rows = [json.loads(line) for line in (tmp_path / "attribution" / "gold.jsonl").read_text().splitlines()]
    position = [r["doc_id"] for r in rows].index("art02")
    doc = rows[position]
    [entry] = doc["quotes"]
    pieces = [(doc["token_offsets"][a][0], doc["token_offsets"][b - 1][1]) for a, b in entry["token_ranges"]]
    assert pieces == [f1, f2] and entry["speaker"]["text"] == "Trump"
    quote_starts = [doc["token_offsets"][i][0] for i, tag in enumerate(doc["quote_tags"]) if tag == 1]  # B-QUOTE
    assert quote_starts == [f1[0], f2[0]]
    assert all(tag == 0 for (start, _), tag in zip(doc["token_offsets"], doc["quote_tags"]) if f1[1] <= start < f2[0])
    export(Corpus.open(corpus.root), "attribution-conll", tmp_path / "attribution-conll")
    conll = (tmp_path / "attribution-conll" / "gold.conll").read_text().split("-DOCSTART-")[1:][position]
    assert [line.split(" ")[0] for line in conll.splitlines() if " B-QUOTE-" in line] == ["We", "The"]
    export(Corpus.open(corpus.root), "brat", tmp_path / "brat")
    written = (tmp_path / "brat" / "gold" / "art02.ann").read_text()
    assert f"QUOTE {f1[0]} {f1[1]};{f2[0]} {f2[1]}\tWe will win, The state is ours." in written


def test_a_mapping_file_is_checked(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"labels": {"Content": "QUOTE"}, "events": {"X": [{"type": "t"}]}}))
    with pytest.raises(UsageError, match=r"events\.X\.0\.from: Field required"):
        load_mapping(tmp_path / "bad.json")
    assert load_mapping("polnear").label("Attribution") is None and load_mapping("polnear").label("Other") == "Other"


def test_import_brat_accepts_a_preset_name(polnear: Path, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path, runner)
    report = import_brat(corpus, polnear / "ann", set_from="filename",
                                texts=polnear / "text", mapping="polnear")
    assert report.ok and report.dropped == {"Attribution": 5}  # the event triggers: 2 + 2 + 1


POLNEAR_CONF = """[entities]
Source
Cue
Content
Discard

[relations]
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>
Coref\tArg1:Source, Arg2:Source|Content

[events]
Attribution\tContent:Content, Cue:Cue, Source?:Source
Attribution-no-source\tContent:Content, Cue:Cue

[attributes]
Nested\tArg:Content
Confidence\tArg:Source|Cue, Value:high|low
"""


def test_init_builds_a_scheme_from_a_brat_annotation_conf(tmp_path: Path, runner) -> None:
    (tmp_path / "annotation.conf").write_text(POLNEAR_CONF)
    result = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--scheme", str(tmp_path / "annotation.conf")])
    assert result.exit_code == 0, result.output
    scheme = Corpus.open(tmp_path / "c").scheme
    assert list(scheme.labels) == ["Source", "Cue", "Content", "Discard", "Attribution", "Attribution-no-source"]
    assert len(scheme.layers) == 6  # one label a layer: brat lets any spans overlap
    assert [tuple(p) for p in scheme.relation_types["Coref"].pairs] == [("Source", "Source"), ("Source", "Content")]
    assert {a.name: a.values for a in scheme.labels["Source"].attrs} == {"Confidence": ["high", "low"]}
    assert {a.name: a.values for a in scheme.labels["Content"].attrs} == {"Nested": ["true"]}  # binary
    (tmp_path / "bad.conf").write_text("[entities]\nSource\n[relations]\nCoref\tArg1:Source\n")
    bad = runner.invoke(main, ["init", "--corpus", str(tmp_path / "d"), "--scheme", str(tmp_path / "bad.conf")])
    assert bad.exit_code == 2 and "annotation.conf:4: relation Coref needs Arg1:... and Arg2:..." in bad.output


BRAT_ISMS = """# as brat's own example configurations write them
[spans]
Protein
Gene|GO:0000001
!Abstract
\tEntity
_gt_A
----------------------------------------
[relations]
Equiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive
Equiv\tArg1:Entity, Arg2:Entity, <REL-TYPE>:symmetric-transitive
Located            Arg1:Protein, Arg2:<PG>
[events]
<PG>=Protein|Gene
Binding   Theme+:Protein, Site?:Entity
"""


def test_brat_configurations_as_brat_writes_them() -> None:
    from newsgold.formats.scheme_files import scheme_from_brat_conf

    scheme = scheme_from_brat_conf(BRAT_ISMS, "x")
    assert list(scheme.labels) == ["Protein", "Gene", "Entity", "_gt_A", "Binding"]
    assert [tuple(p) for p in scheme.relation_types["Equiv"].pairs] == [("Protein", "Protein"), ("Entity", "Entity")]
    assert [tuple(p) for p in scheme.relation_types["Located"].pairs] == [("Protein", "Protein"), ("Protein", "Gene")]


def test_a_nested_event_is_listed_not_stored() -> None:
    from newsgold.formats.brat import read_ann

    text = "p53 binds and activates MDM2."
    parsed = read_ann("T1\tProtein 0 3\tp53\nT2\tBinding 4 9\tbinds\nT3\tRegulation 14 23\tactivates\n"
                      "E1\tBinding:T2 Theme:T1\nE2\tRegulation:T3 Theme:E1\n", text)
    assert [e.id for e in parsed.events] == ["E1"]
    [lost] = parsed.unstored
    assert lost.line == 5 and "has the event E1 as an argument" in lost.why


def test_a_discontinuous_entity_is_tagged_fragment_by_fragment(tmp_path: Path, runner) -> None:
    from newsgold.formats.item import ExportItem
    from newsgold.formats.ner import tagged_sentences
    from newsgold.schemas import Document, GoldSet, Span

    text = "New and Old York met."
    document = Document.from_text("d", text)
    york = Span(id="s1", start=0, end=16, label="GPE", text=text[0:16], fragments=[(0, 3), (12, 16)])
    gold = GoldSet(doc_id="d", doc_sha256=document.sha256, spans=[york], provenance={"method": "manual"})
    [sentence], _ = tagged_sentences(ExportItem(document, gold, "all"), seed_scheme())
    tagged = [(t.text, tag) for t, tag in zip(sentence.tokens, sentence.tags, strict=True)]
    assert tagged[:4] == [("New", "B-GPE"), ("and", "O"), ("Old", "O"), ("York", "B-GPE")]


def test_the_documented_polnear_path_gives_gold_with_quotes(polnear: Path, tmp_path: Path, runner) -> None:
    """docs/ingest.md's lines from a fresh corpus: init with the polnear scheme, import with the
    polnear mapping, adjudicate, export quotes. Into the default scheme (QUOTE form required) the
    import refuses before storing anything, saying why and what to do."""
    args = ["import", str(polnear / "ann"), "--format", "brat", "--set-from", "filename",
            "--texts", str(polnear / "text"), "--mapping", "polnear"]
    assert runner.invoke(main, ["init", "--corpus", str(tmp_path / "news")]).exit_code == 0
    refused = runner.invoke(main, [*args, "--corpus", str(tmp_path / "news")])
    assert refused.exit_code == 2 and "without its attribute 'form'" in refused.output
    assert "(the scheme preset polnear, `newsgold init --scheme polnear`)" in refused.output
    assert (tmp_path / "news" / "annotations.jsonl").read_text() == ""
    corpus = tmp_path / "pn"
    assert runner.invoke(main, ["init", "--corpus", str(corpus), "--scheme", "polnear"]).exit_code == 0
    assert runner.invoke(main, [*args, "--corpus", str(corpus)]).exit_code == 0
    adjudicated = runner.invoke(main, ["adjudicate", "--corpus", str(corpus)])
    assert adjudicated.exit_code == 0, adjudicated.output
    exported = runner.invoke(main, ["export", "--corpus", str(corpus), "--format", "quotes", "--out", str(tmp_path / "q")])
    assert exported.exit_code == 0
    rows = (tmp_path / "q" / "gold.jsonl").read_text().splitlines()
    assert {json.loads(r)["text"] for r in rows} == {"We will win the state.", "Clinton aides were not convinced"}


def test_gold_that_lost_every_quote_is_a_problem_not_exit_0(tmp_path: Path, runner) -> None:
    """Sets whose quotes lack the form the scheme requires: adjudication leaves every QUOTE out of gold
    (NG304), and says so with exit 1 instead of writing quote-less gold in silence."""
    from newsgold.corpus import add_sets
    from newsgold.schemas import AnnotationSet, Origin, Relation, Span

    from conftest import DATA

    shutil.copytree(DATA / "base", tmp_path / "c")
    (tmp_path / "c" / "annotations.jsonl").write_text("")
    (tmp_path / "c" / "gold.jsonl").write_text("")
    corpus = Corpus.open(tmp_path / "c")
    document = next(corpus.iter_documents())
    quote = document.text.index("Every NATO")
    spans = [Span(id="s1", start=0, end=12, label="SPEAKER", text=document.text[:12]),
             Span(id="s2", start=quote, end=quote + 44, label="QUOTE", text=document.text[quote:quote + 44]),
             Span(id="s3", start=0, end=12, label="PERSON", text=document.text[:12])]
    sets = [AnnotationSet(doc_id=document.id, doc_sha256=document.sha256, annotator=who, origin=Origin(source="manual"),
                          spans=spans, relations=[Relation(type="attributed_to", **{"from": "s2"}, to="s1")])
            for who in ("a", "b")]
    assert add_sets(corpus, sets).ok
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root)])
    assert result.exit_code == 1
    assert "Error: the gold has no QUOTE, although the annotation sets have 2: every one was left undecided: " \
           "breaks-rule NG304" in result.stderr
    assert "PERSON" in (corpus.root / "gold.jsonl").read_text()  # the rest of the gold is written


# bench/polnear.py and bench/suggest.py --polnear: the measurement on PolNeAR's splits --------------

def _clone(tmp_path: Path) -> Path:
    """A PolNeAR-shaped clone: data/dev/text and data/dev/attributions, the quote as PolNeAR marks it
    (its Content keeps the quotation marks)."""
    clone = tmp_path / "PolNeAR"
    (clone / "data" / "dev" / "text").mkdir(parents=True)
    (clone / "data" / "dev" / "attributions").mkdir(parents=True)
    (clone / "data" / "dev" / "text" / "art01.txt").write_text(ARTICLE)
    marked = _ann(with_second=True).replace(
        f"Content {_at('We will win the state.')[0]} {_at('We will win the state.')[1]}\tWe will win the state.",
        f"Content {_at('We will win the state.')[0] - 1} {_at('We will win the state.')[1] + 1}\t“We will win the state.”")
    assert "“We will win the state.”" in marked
    (clone / "data" / "dev" / "attributions" / "art01_ef2d.ann").write_text(marked)
    return clone


def test_the_suggestions_are_measured_on_a_polnear_split_with_its_ends_conformed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`python bench/suggest.py --polnear PolNeAR --split dev`, as docs/suggest.md shows it."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from suggest import main as bench_main, polnear_summary

    monkeypatch.setattr(sys, "argv", ["bench/suggest.py", "--polnear", str(_clone(tmp_path)), "--split", "dev"])
    bench_main()
    printed = capsys.readouterr()
    figures = json.loads(printed.out)
    assert polnear_summary(figures) in printed.err
    assert (figures["articles"], figures["sets"], figures["files_left_out"]) == (1, 1, 0)
    assert figures["spans_conformed"] == 1  # the quote, without its marks
    quote = figures["roles"]["QUOTE"]  # type: ignore[index]
    assert quote["gold"] == 2 and quote["exact"]["recall"] == 1.0  # both, the direct one without its marks
    assert figures["roles"]["SPEAKER"]["exact"]["recall"] == 1.0  # type: ignore[index]
    # "a campaign memo" refers to no one: not to Trump, the PERSON before it
    assert figures["attribution_accuracy"] == 1.0 and figures["attributed_quotes"] == 2
    assert figures["effort"]["not_charged"]["labels"] == ["GPE", "NORP", "ORG", "PERSON"]  # type: ignore[index]
    assert "QUOTE    exact P/R/F1 1.0 / 1.0 / 1.0" in polnear_summary(figures)


def test_the_learning_curve_trains_the_role_tagger_on_train_and_scores_it_on_dev(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`python bench/suggest.py --polnear PolNeAR --split dev --curve 1`, as docs/suggest.md shows it."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from suggest import main as bench_main

    clone = _clone(tmp_path)
    shutil.copytree(clone / "data" / "dev", clone / "data" / "train")  # one article to learn from
    monkeypatch.setattr(sys, "argv", ["bench/suggest.py", "--polnear", str(clone), "--split", "dev", "--curve", "1"])
    bench_main()
    printed = capsys.readouterr()
    [point] = json.loads(printed.out)["curve"]
    assert (point["training_articles"], point["articles"]) == (1, 1)
    assert point["roles"]["QUOTE"]["overlap"]["f1"] == 1.0  # the article it learnt from, tagged back
    assert "role tagger trained on 1 train articles" in printed.err


def test_polnears_test_split_is_refused(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from polnear import polnear_corpus

    with pytest.raises(UsageError, match="test split is held out"):
        polnear_corpus(_clone(tmp_path), "test", tmp_path / "c")
    with pytest.raises(UsageError, match="no data/train/text"):
        polnear_corpus(_clone(tmp_path / "other"), "train", tmp_path / "c")
