"""brat as its own example data writes it: equivalences, event attributes, relation properties,
fragments written out of order or split at whitespace, and what a mapping leaves out, by kind.
The fixtures are brat-shaped files written here (brat's example data is fetched only for checks)."""

from __future__ import annotations

from pathlib import Path

from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.exchange import import_brat

CONF = """[entities]
Protein
Entity

[relations]
Equiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive

[events]
Binding\tTheme+:Protein

[attributes]
Negation\tArg:<EVENT>
Confidence\tArg:<ENTITY>, Value:L1|L2|L3
"""

TEXT = "BMP-6 (also called Vgr-1) binds ALK2, and its receptor binds too.\n"


def _at(piece: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(piece, after)
    return start, start + len(piece)


def _ann() -> str:
    bmp, vgr, alk, binds = _at("BMP-6"), _at("Vgr-1"), _at("ALK2"), _at("binds")
    its, receptor = _at("its"), _at("receptor")
    return "\n".join([
        f"T1\tProtein {bmp[0]} {bmp[1]}\tBMP-6",
        f"T2\tProtein {vgr[0]} {vgr[1]}\tVgr-1",
        f"T3\tProtein {alk[0]} {alk[1]}\tALK2",
        f"T4\tBinding {binds[0]} {binds[1]}\tbinds",
        f"T5\tEntity {receptor[0]} {receptor[1]};{vgr[0]} {vgr[1]}\treceptor Vgr-1",  # out of order
        f"T6\tEntity {its[0]} {its[0] + 2};{its[0] + 2} {its[1]} \tit s".replace(" \t", "\t"),  # split, no gap
        "*\tEquiv T1 T2",
        "A1\tConfidence T3 L2",
        "",
    ])


def _corpus(tmp_path: Path, runner, conf: str = CONF) -> Corpus:  # type: ignore[no-untyped-def]
    (tmp_path / "annotation.conf").write_text(conf)
    made = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--scheme", str(tmp_path / "annotation.conf")])
    assert made.exit_code == 0, made.output
    return Corpus.open(tmp_path / "c")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc1.txt").write_text(TEXT)
    (folder / "doc1.ann").write_text(_ann())
    return folder


def test_the_scheme_keeps_event_attributes_on_events_and_relation_properties(tmp_path: Path, runner) -> None:
    scheme = _corpus(tmp_path, runner).scheme
    assert [a.name for a in scheme.labels["Binding"].attrs] == ["Negation"]
    assert [a.name for a in scheme.labels["Protein"].attrs] == ["Confidence"]
    assert "<REL-TYPE>:symmetric-transitive" in scheme.relation_types["Equiv"].description


def test_equivalences_become_relations_and_every_normalization_is_listed(tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path, runner)
    folder = _folder(tmp_path)
    report = import_brat(corpus, folder, set_name="bea")
    assert report.ok and report.written, report.rejected
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    assert [(r.type, r.from_, r.to) for r in stored.relations] == [("Equiv", "T1", "T2")]
    spans = {s.id: s for s in stored.spans}
    its, receptor, vgr = _at("its"), _at("receptor"), _at("Vgr-1")
    assert spans["T5"].fragments == [vgr, receptor] and spans["T6"].fragments is None
    assert (spans["T6"].start, spans["T6"].end) == its
    assert {n.code for n in report.normalized} == {"stored-other-than-written"}
    assert [n.as_text() for n in report.normalized] == [
        f"{folder / 'doc1.ann'}:5: the fragments of T5 are written out of order; stored in text order",
        f"{folder / 'doc1.ann'}:6: the fragments [{its[0]},{its[0] + 2}), [{its[0] + 2},{its[1]}) of T6 have only "
        "whitespace between some of them: joined there"]
    assert validate(corpus.root).ok


def test_an_equivalence_the_scheme_lacks_is_named_and_stored_only_with_accept_loss(tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path, runner, CONF.replace("Equiv\tArg1:Protein, Arg2:Protein, <REL-TYPE>:symmetric-transitive\n", ""))
    folder = _folder(tmp_path)
    args = ["import", str(folder), "--format", "brat", "--set", "bea", "--corpus", str(corpus.root)]
    refused = runner.invoke(main, args)
    assert refused.exit_code == 1 and "line 7: equivalence Equiv is no relation of the scheme" in refused.output
    accepted = runner.invoke(main, [*args, "--accept-loss"])
    assert accepted.exit_code == 0, accepted.output
    assert f"not stored (--accept-loss): {folder / 'doc1.ann'}:7: equivalence Equiv" in accepted.stderr
    assert f"stored other than written: {folder / 'doc1.ann'}:5: the fragments of T5" in accepted.stderr


def test_what_a_mapping_leaves_out_is_counted_by_label(tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path, runner)
    folder = _folder(tmp_path)
    (tmp_path / "mapping.json").write_text('{"labels": {"Binding": null, "Entity": null}}')
    result = runner.invoke(main, ["import", str(folder), "--format", "brat", "--set", "bea", "--corpus",
                                  str(corpus.root), "--mapping", str(tmp_path / "mapping.json")])
    assert result.exit_code == 0, result.output
    assert "3 spans left out by the mapping (Binding 1, Entity 2)" in result.stdout


def test_a_text_column_with_line_breaks_written_into_it_is_read_as_one_annotation(tmp_path: Path, runner) -> None:
    """PolNeAR's files write a span's text as it is, line breaks included, so its T line runs over
    several lines of the .ann: read as one annotation (and listed), not refused as a broken line."""
    from newsgold.formats.brat import read_ann

    text = "“We stay,” he said.\n\n“We stay,” she said.\n"
    quote = f"{text.index('We stay,')} {text.index('she') - 2}"
    ann = f"T1\tEntity {quote}\t{text[text.index('We stay,'):text.index('she') - 2]}\nT2\tEntity 0 1\t“\n"
    assert ann.count("\n") == 4  # the T1 line runs over three lines, then T2
    parsed = read_ann(ann, text, "a.ann")
    assert [(s.id, s.text) for s in parsed.spans] == [("T1", text[text.index("We stay,"):text.index("she") - 2]),
                                                     ("T2", "“")]
    assert [n.why for n in parsed.normalized] == [
        "the text of T1 runs over 3 lines of the file (a line break written into it): read as one annotation"]
