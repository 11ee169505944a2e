"""Import from Label Studio JSON and brat: round trips, offset remapping, rejected spans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from newsgold.cli import main
from newsgold.corpus import Corpus, init_corpus, validate
from newsgold.exchange.imports import import_label_studio, import_brat
from newsgold.exchange import export
from newsgold.formats.labelstudio.config import NOTE_NAME
from newsgold.formats.labelstudio.offsets import Utf16Map
from newsgold.schemas import Scheme

from conftest import DATA, REPO
from helpers import seed_scheme


def _keyed(annotation_set):  # type: ignore[no-untyped-def]
    by_id = {s.id: (s.start, s.end, s.label) for s in annotation_set.spans}
    spans = sorted((s.start, s.end, s.label, s.text, tuple(sorted(s.attrs.items())), tuple(sorted(s.stance.items())))
                   for s in annotation_set.spans)
    relations = sorted((r.type, by_id[r.from_], by_id[r.to]) for r in annotation_set.relations)
    return spans, relations, dict(annotation_set.stance)


def test_brat_round_trip_into_a_new_corpus(tmp_path: Path, runner) -> None:
    source = Corpus.open(REPO / "corpus")
    export(source, "brat", tmp_path / "brat")
    target = init_corpus(tmp_path / "new", scheme=seed_scheme())
    result = runner.invoke(main, ["import", str(tmp_path / "brat" / "gold"), "--format", "brat",
                                  "--corpus", str(target.root), "--set", "editor"])
    assert result.exit_code == 0, result.output
    imported = {s.doc_id: s for s in Corpus.open(target.root).iter_annotation_sets()}
    for gold in source.iter_gold():
        assert _keyed(imported[gold.doc_id]) == _keyed(gold)
        assert imported[gold.doc_id].annotator == "editor"
    assert [d.sha256 for d in Corpus.open(target.root).iter_documents()] == [d.sha256 for d in source.iter_documents()]
    assert validate(target.root).ok
    again = runner.invoke(main, ["import", str(tmp_path / "brat" / "gold"), "--format", "brat",
                                 "--corpus", str(target.root), "--set", "editor"])
    assert "annotation sets: added 0, unchanged 2" in again.output


def test_label_studio_round_trip_of_annotation_sets(tiny: Path, tmp_path: Path) -> None:
    source = Corpus.open(tiny)
    export(source, "label-studio", tmp_path / "ls", source="annotations")
    target = init_corpus(tmp_path / "new", scheme=seed_scheme())
    report = import_label_studio(target, tmp_path / "ls" / "annotations.json")
    assert report.ok and len(report.added_sets) == 3
    imported = {s.key: s for s in Corpus.open(target.root).iter_annotation_sets()}
    for original in source.iter_annotation_sets():
        assert _keyed(imported[original.key]) == _keyed(original)
    assert validate(target.root).ok


def test_crlf_texts_are_normalized_and_offsets_remapped(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    raw = "Line one.\r\nPevkur said yes.\r\nEnd."
    (folder / "a.txt").write_bytes(raw.encode())
    start = raw.index("Pevkur")
    (folder / "a.ann").write_text(f"T1\tPERSON {start} {start + 6}\tPevkur\n")
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    report = import_brat(corpus, folder)
    assert report.ok
    [document] = corpus.iter_documents()
    [annotation_set] = corpus.iter_annotation_sets()
    [span] = annotation_set.spans
    assert "\r" not in document.text and span.start == start - 1
    assert document.text[span.start:span.end] == "Pevkur"
    assert validate(corpus.root).ok


def test_a_span_that_splits_a_crlf_is_reported_not_stored(tmp_path: Path, runner) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    raw = "Line one.\r\nNext."
    (folder / "a.txt").write_bytes(raw.encode())
    (folder / "a.ann").write_text("T1\tQUOTE 5 10\n")  # [5, 10) is "one.\\r": it ends inside the CRLF
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["import", str(folder), "--format", "brat", "--corpus", str(corpus.root)])
    assert result.exit_code == 1
    assert "splits a CRLF" in result.output
    assert list(Corpus.open(corpus.root).iter_annotation_sets()) == []


def test_label_studio_exports_counting_utf16_units(tmp_path: Path) -> None:
    text = "Fans 😀😀 cheered. Stoltenberg said no."
    units = Utf16Map(text)
    start = units.to_units(text.index("Stoltenberg"))
    tasks = [{"id": 7, "data": {"text": text}, "annotations": [{"id": 70, "completed_by": 3, "result": [
        {"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {"start": start, "end": start + 11, "text": "Stoltenberg", "labels": ["PERSON"]}}]}]}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    assert import_label_studio(corpus, path).ok
    [annotation_set] = corpus.iter_annotation_sets()
    assert annotation_set.spans[0].text == "Stoltenberg" and annotation_set.doc_id == "ls-task-7"
    assert annotation_set.annotator.startswith("ann-")


def test_the_label_studio_ui_fixture_imports(tmp_path: Path) -> None:
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    shutil.copy(DATA / "label-studio-ui" / "ui_annotations.json", tmp_path / "ui.json")
    before = {p.name: p.read_bytes() for p in corpus.root.iterdir() if p.is_file()}
    report = import_label_studio(corpus, tmp_path / "ui.json")
    # The relation task joins QUOTE -> PERSON with attributed_to, which the scheme forbids.
    assert len(report.rejected) == 1 and "4WXnxRPaWW->X5CVebHxRJ" in report.rejected[0]
    assert "does not allow" in report.rejected[0]
    # All or nothing: one rejection stores nothing at all.
    assert not report.written and not report.added_sets
    assert {p.name: p.read_bytes() for p in corpus.root.iterdir() if p.is_file()} == before
    assert not corpus.state_dir.exists()
    # --skip-invalid stores the rest and keeps the rejected annotation, whole, in a file.
    report = import_label_studio(corpus, tmp_path / "ui.json", skip_invalid=True,
                                rejected_path=tmp_path / "rejected.jsonl")
    assert report.written and report.rejected_path == tmp_path / "rejected.jsonl"
    [kept] = [json.loads(line) for line in (tmp_path / "rejected.jsonl").read_text().splitlines()]
    assert "does not allow" in kept["reason"] and kept["item"]["result"]
    sets = list(Corpus.open(corpus.root).iter_annotation_sets())
    texts = {d.id: d.text for d in Corpus.open(corpus.root).iter_documents()}
    assert len(sets) == 5
    for annotation_set in sets:
        for span in annotation_set.spans:
            assert texts[annotation_set.doc_id][span.start:span.end] == span.text
    crossing = [s.spans[0].text for s in sets if s.spans[0].label == "QUOTE"]
    assert crossing == ["one.\nPevkur", "one.\nPevkur"]  # CRLF is one LF once normalized
    assert validate(corpus.root).ok


def test_a_duplicate_span_is_refused_by_import(tiny: Path, tmp_path: Path) -> None:
    """NG209 holds for imports too: a region repeated with the same label and offsets rejects its set."""
    source = Corpus.open(tiny)
    export(source, "label-studio", tmp_path / "ls", source="annotations")
    tasks = json.loads((tmp_path / "ls" / "annotations.json").read_text())
    results = tasks[0]["annotations"][0]["result"]
    region = next(r for r in results if r.get("type") == "labels")
    results.append({**region, "id": region["id"] + "-again"})
    (tmp_path / "dup.json").write_text(json.dumps(tasks))
    target = init_corpus(tmp_path / "new", scheme=seed_scheme())
    report = import_label_studio(target, tmp_path / "dup.json")
    assert not report.ok and any("[NG209]" in r for r in report.rejected)
    assert list(Corpus.open(target.root).iter_annotation_sets()) == []


def test_newsgolds_own_annotations_export_imports_back_with_annotators_and_stance(tiny: Path, tmp_path: Path,
                                                                                 runner) -> None:
    source = Corpus.open(tiny)
    export(source, "brat", tmp_path / "brat", source="annotations")
    target = init_corpus(tmp_path / "new", scheme=seed_scheme())
    result = runner.invoke(main, ["import", str(tmp_path / "brat"), "--format", "brat", "--set-from", "folder",
                                  "--corpus", str(target.root)])
    assert result.exit_code == 0, result.output
    imported = {s.key: s for s in Corpus.open(target.root).iter_annotation_sets()}
    originals = list(source.iter_annotation_sets())
    assert set(imported) == {s.key for s in originals}
    for original in originals:
        assert _keyed(imported[original.key]) == _keyed(original)  # spans, relations and document stance


def test_polnear_shaped_files_name_their_annotator_and_keep_texts_apart(tmp_path: Path, runner) -> None:
    """ARTICLE_ANNOTATOR.ann files in one folder (some in subfolders), the texts in another."""
    text = "Ann Lee said the plan works. Bob Roe agreed.\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "art1.txt").write_text(text)
    (tmp_path / "ann" / "batch2").mkdir(parents=True)
    (tmp_path / "ann" / "art1_ann01.ann").write_text("T1\tPERSON 0 7\tAnn Lee\n")
    (tmp_path / "ann" / "batch2" / "art1_ann02.ann").write_text("T1\tPERSON 0 7\tAnn Lee\nT2\tPERSON 29 36\tBob Roe\n")
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    missing = runner.invoke(main, ["import", str(tmp_path / "ann"), "--format", "brat", "--set-from", "filename",
                                   "--corpus", str(corpus.root)])
    assert missing.exit_code == 1 and "no art1.txt beside it or below" in missing.output
    result = runner.invoke(main, ["import", str(tmp_path / "ann"), "--format", "brat", "--set-from", "filename",
                                  "--texts", str(tmp_path / "text"), "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    sets = {s.annotator: [x.text for x in s.spans] for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert sets == {"ann01": ["Ann Lee"], "ann02": ["Ann Lee", "Bob Roe"]}
    assert [d.id for d in Corpus.open(corpus.root).iter_documents()] == ["art1"]


def _ls_task(text: str, regions: list[dict], predictions: list[dict] | None = None) -> dict:
    task = {"id": 7, "data": {"text": text, "doc_id": "t1"},
            "annotations": [{"id": 1, "completed_by": 3, "result": regions}]}
    if predictions is not None:
        task["predictions"] = predictions
    return task


def _region(rid: str, start: int, end: int, label: str, text: str | None) -> dict:
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "type": "labels", "from_name": "entity", "to_name": "text", "value": value}


def test_regions_without_their_text_are_read_where_offsets_are_unambiguous(tmp_path: Path) -> None:
    plain = "Ann Lee met Bob Roe.\n"
    (tmp_path / "plain.json").write_text(json.dumps([_ls_task(plain, [_region("r1", 0, 7, "PERSON", None)])]))
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    report = import_label_studio(corpus, tmp_path / "plain.json")
    assert report.ok, report.rejected
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    assert [(s.start, s.end, s.text) for s in stored.spans] == [(0, 7, "Ann Lee")]
    astral = "😀 Ann Lee met Bob Roe.\n"  # code points and UTF-16 units differ: the text is needed
    (tmp_path / "astral.json").write_text(json.dumps([_ls_task(astral, [_region("r1", 2, 9, "PERSON", None)])]))
    other = init_corpus(tmp_path / "d", scheme=seed_scheme())
    refused = import_label_studio(other, tmp_path / "astral.json")
    assert not refused.ok and "without value.text cannot be read" in refused.rejected[0]


def test_predictions_are_imported_on_request_and_reported_otherwise(tmp_path: Path) -> None:
    text = "Ann Lee met Bob Roe.\n"
    prediction = {"id": 9, "model_version": "m1", "result": [_region("p1", 12, 19, "PERSON", "Bob Roe")]}
    (tmp_path / "ls.json").write_text(json.dumps([_ls_task(text, [_region("r1", 0, 7, "PERSON", "Ann Lee")],
                                                           [prediction])]))
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    report = import_label_studio(corpus, tmp_path / "ls.json")
    [skipped] = report.skipped
    assert report.ok and skipped.code == "predictions-not-imported" and skipped.params == {"count": 1}
    assert "1 prediction(s) not imported" in skipped.as_text()
    assert len(list(Corpus.open(corpus.root).iter_annotation_sets())) == 1
    again = init_corpus(tmp_path / "d", scheme=seed_scheme())
    report = import_label_studio(again, tmp_path / "ls.json", set_name="model")
    assert report.ok, report.rejected
    sets = {s.annotator: [x.text for x in s.spans] for s in Corpus.open(again.root).iter_annotation_sets()}
    assert sets["model"] == ["Bob Roe"] and len(sets) == 2


def test_brat_legacy_and_binary_attributes_are_stored_and_event_attributes_listed(tmp_path: Path) -> None:
    from newsgold.formats.brat import read_ann

    text = "Ann Lee said it."
    parsed = read_ann("T1\tQUOTE 13 15\tit\nM1\tform T1 direct\nT2\tCUE 8 12\tsaid\nA2\tnegated T2\n"
                      "E1\tSay:T2 Content:T1\nA3\tNegation E1\n", text)
    attrs = {s.id: s.attrs for s in parsed.spans}
    assert attrs == {"T1": {"form": "direct"}, "T2": {"negated": "true"}}
    [lost] = parsed.unstored
    assert lost.line == 6 and "attribute A3 is on event E1" in lost.why


def test_label_studio_import_keeps_document_attributes_and_the_note_for_the_adjudicator(tmp_path: Path) -> None:
    raw = json.loads(seed_scheme().model_dump_json(by_alias=True))
    raw["doc_attrs"] = [{"name": "genre", "values": ["news", "opinion"]}]
    corpus = init_corpus(tmp_path / "c", scheme=Scheme.model_validate(raw))
    text = "Stoltenberg said no."
    tasks = [{"id": 7, "data": {"text": text}, "annotations": [{
        "id": 70, "completed_by": 3, "updated_at": "2026-11-27T10:00:00Z", "result": [
            {"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 11, "text": "Stoltenberg", "labels": ["PERSON"]}},
            {"id": "d1", "from_name": "doc_attr__genre", "to_name": "text", "type": "choices",
             "value": {"choices": ["opinion"]}},
            {"id": "n1", "from_name": NOTE_NAME, "to_name": "text", "type": "textarea",
             "value": {"text": ["Is this a quote at all?"]}}]}]}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    report = import_label_studio(corpus, path)
    assert report.ok and not report.skipped
    [annotation_set] = Corpus.open(corpus.root).iter_annotation_sets()
    assert annotation_set.attrs == {"genre": "opinion"}
    [note] = annotation_set.comments or []
    assert (note.author, note.text, note.created_at, note.comment_id) == (
        annotation_set.annotator, "Is this a quote at all?", "2026-11-27T10:00:00Z", None)


def test_comments_survive_a_label_studio_export_and_import(tmp_path: Path) -> None:
    from newsgold.corpus.write import add_sets
    from newsgold.schemas import AnnotationSet, Comment, Origin, Span

    shutil.copytree(REPO / "corpus", tmp_path / "c")
    corpus = Corpus.open(tmp_path / "c")
    gold = next(corpus.iter_gold())
    span = gold.spans[0]
    noted = AnnotationSet(
        doc_id=gold.doc_id, doc_sha256=gold.doc_sha256, annotator="ann-1", origin=Origin(source="label-studio"),
        spans=[Span(id="s1", start=span.start, end=span.end, label=span.label, text=span.text)],
        comments=[Comment(author="ann-1", text="Is this the headline's speaker?"),
                  Comment(author="ann-2", text="It is.", comment_id=7, resolved=True)])
    assert add_sets(corpus, [noted]).ok
    export(Corpus.open(corpus.root), "label-studio", tmp_path / "out", source="annotations")
    [exported] = [p for p in (tmp_path / "out").glob("*.json") if p.name != "manifest.json"]
    fresh = init_corpus(tmp_path / "fresh", scheme=seed_scheme())
    assert import_label_studio(fresh, exported).ok
    [back] = Corpus.open(fresh.root).iter_annotation_sets()
    assert back.annotator == "ann-1" and [c.text for c in back.comments or []] == [
        "Is this the headline's speaker?\nann-2: It is."]


def test_a_relation_to_a_span_the_mapping_drops_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "b1.txt").write_text("Hanno Pevkur met NATO chiefs.\n")
    (folder / "b1.ann").write_text("T1\tPERSON 0 12\tHanno Pevkur\nT2\tMISC 17 21\tNATO\nR1\tmember Arg1:T1 Arg2:T2\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"labels": {"MISC": None}}))
    report = import_brat(init_corpus(tmp_path / "c", scheme=seed_scheme()), folder, mapping=mapping)
    [rejected] = report.rejected
    assert "line 3: relation member joins a span the mapping does not store" in rejected
