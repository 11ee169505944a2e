"""One way into the corpus: every writer of sets and gold goes through `newsgold.corpus.write`.

The same input arriving twice, by whichever way (import twice, import then pull, pull then import,
suggest twice), changes nothing; a hand-corrected gold set survives adjudication unless `replace`,
which says so and keeps a backup; and no module but the write path writes `annotations.jsonl` or
`gold.jsonl`. A property test runs random sequences of all of them against a fake Label Studio.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgold.cli import main
from newsgold.corpus import Corpus, add_sets, ingest, init_corpus, put_gold, validate
from newsgold.corpus.pseudonyms import PSEUDONYMS_FILE, read_pseudonyms
from newsgold.corpus.store import record_line
from newsgold.curation import adjudicate
from newsgold.errors import UsageError
from newsgold.exchange.imports import import_label_studio, import_brat
from newsgold.formats.labelstudio import set_to_results
from newsgold.schemas import AnnotationSet, GoldSet, Origin, Span
from newsgold.schemas.annotation import content_fingerprint
from newsgold.studio import pull
from newsgold.suggest import suggest

from conftest import REPO
from helpers import seed_scheme
from fake_studio import FakeStudio as FakeServer

TEXT = "Peskov said NATO troops met Stoltenberg in Kyiv."
ALICE = {"id": 5, "email": "alice@newsgold.test"}


def _corpus(root: Path) -> Corpus:
    corpus = init_corpus(root, name="wp", scheme=seed_scheme())
    feed = root.parent / f"{root.name}-feed.jsonl"
    feed.write_text(json.dumps({"id": "d1", "text": TEXT}) + "\n")
    ingest(corpus, [feed])
    return Corpus.open(root)


def _span(sid: str, label: str, needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(id=sid, start=start, end=start + len(needle), label=label, text=needle)


def _content(version: int) -> list[Span]:
    spans = [_span("s1", "PERSON", "Peskov")]
    if version > 1:
        spans.append(_span("s2", "PERSON", "Stoltenberg"))
    return spans


def _results(corpus: Corpus, version: int) -> list[dict[str, Any]]:
    sha = next(corpus.iter_documents()).sha256
    content = AnnotationSet(doc_id="d1", doc_sha256=sha, annotator="x", origin=Origin(source="manual"),
                            spans=_content(version))
    return set_to_results(content, corpus.scheme)


def _task(corpus: Corpus, version: int, *, completed_by: Any) -> dict[str, Any]:
    document = next(corpus.iter_documents())
    return {"id": 100, "data": {"doc_id": "d1", "doc_sha256": document.sha256, "text": document.text},
            "annotations": [{"id": 10, "completed_by": completed_by, "result": _results(corpus, version),
                             "created_at": "2026-12-01T10:00:00Z",
                             "updated_at": f"2026-12-01T10:0{version}:00Z"}],
            "drafts": [], "updated_at": f"2026-12-01T10:0{version}:00Z"}


def _export(corpus: Corpus, path: Path, version: int = 1) -> Path:
    """Label Studio's JSON export of the project: `completed_by` is the user, with their e-mail."""
    path.write_text(json.dumps([_task(corpus, version, completed_by=dict(ALICE))]))
    return path


def FakeStudio(corpus: Corpus, version: int = 1) -> FakeServer:  # noqa: N802 - it stands for a server
    """A Label Studio project holding alice's annotation of d1, in `version`."""
    return FakeServer(corpus.name, [_task(corpus, version, completed_by=ALICE["id"])], [ALICE])


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _sets(corpus: Corpus) -> list[AnnotationSet]:
    return list(Corpus.open(corpus.root).iter_annotation_sets())


# The same input twice -----------------------------------------------------------------------

def test_a_label_studio_export_imported_twice_changes_nothing(tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path / "c")
    export = _export(corpus, tmp_path / "export.json")
    args = ["import", str(export), "--format", "label-studio", "--corpus", str(corpus.root)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "annotation sets: added 1, unchanged 0" in first.output
    assert (corpus.state_dir / PSEUDONYMS_FILE).is_file()  # the salt is stored with the first set
    before = _files(corpus.root)
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "annotation sets: added 0, unchanged 1" in again.output
    assert _files(corpus.root) == before
    [stored] = _sets(corpus)
    assert stored.annotator == read_pseudonyms(corpus.state_dir).pseudonym(ALICE["email"], ALICE["id"])


def test_a_brat_folder_imported_twice_changes_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "d1.txt").write_text(TEXT)
    (folder / "d1.ann").write_text("T1\tPERSON 0 6\tPeskov\n")
    first = import_brat(corpus, folder, set_name="bea")
    assert first.ok and [o.key for o in first.added_sets] == ["d1/bea"]
    before = _files(corpus.root)
    again = import_brat(Corpus.open(corpus.root), folder, set_name="bea")
    assert again.ok and not again.added_sets and [o.code for o in again.unchanged_sets] == ["same"]
    assert _files(corpus.root) == before


def test_an_import_then_a_pull_of_the_same_annotation_is_one_set(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    assert import_label_studio(corpus, _export(corpus, tmp_path / "export.json")).ok
    report = pull(Corpus.open(corpus.root), FakeStudio(corpus))  # type: ignore[arg-type]
    assert report.ok and [(o.status, o.code) for o in report.outcomes] == [("unchanged", "adopted")]
    [adopted] = _sets(corpus)
    assert adopted.origin.source == "label-studio" and adopted.origin.annotation_id == 10
    # From now on it follows its annotation: an edit in Label Studio updates it, nothing doubles.
    edited = pull(Corpus.open(corpus.root), FakeStudio(corpus, version=2))  # type: ignore[arg-type]
    assert [(o.status, o.code) for o in edited.outcomes] == [("updated", "changed-in-source")]
    [updated] = _sets(corpus)
    assert len(updated.spans) == 2


def test_a_pull_then_an_import_of_the_same_annotation_is_one_set(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    assert pull(corpus, FakeStudio(corpus)).ok  # type: ignore[arg-type]
    before = _files(corpus.root)
    report = import_label_studio(Corpus.open(corpus.root), _export(corpus, tmp_path / "e.json"))
    assert report.ok and [o.code for o in report.unchanged_sets] == ["same"] and not report.added_sets
    assert _files(corpus.root) == before


def test_an_import_under_a_legacy_salt_keeps_the_pseudonyms_and_moves_the_salt(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    corpus.state_dir.mkdir()
    (corpus.state_dir / "labelstudio.json").write_text(json.dumps({"salt": "0123456789abcdef", "projects": {}}))
    legacy = read_pseudonyms(corpus.state_dir)
    assert legacy.kept_in == "legacy"
    assert import_label_studio(corpus, _export(corpus, tmp_path / "e.json")).ok
    [stored] = _sets(corpus)
    assert stored.annotator == legacy.pseudonym(ALICE["email"], ALICE["id"])
    assert read_pseudonyms(corpus.state_dir).salt == "0123456789abcdef"
    assert read_pseudonyms(corpus.state_dir).kept_in == "file"


def test_a_refused_import_stores_no_salt_either(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    export = tmp_path / "bad.json"
    task = _task(corpus, 1, completed_by=dict(ALICE))
    task["annotations"][0]["result"][0]["value"]["text"] = "Wrong"  # the region's text disproves its offsets
    export.write_text(json.dumps([task]))
    before = _files(corpus.root)
    report = import_label_studio(corpus, export)
    assert not report.ok and not report.written
    assert _files(corpus.root) == before


def test_suggest_twice_is_unchanged(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    first = suggest(corpus)
    assert first.written == ["d1"]
    before = _files(corpus.root)
    again = suggest(Corpus.open(corpus.root), replace=True)
    assert again.unchanged == ["d1"] and again.written == [] and [o.code for o in again.sets] == ["same"]
    assert _files(corpus.root) == before


def test_add_sets_is_the_python_callers_way_in(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    sha = next(corpus.iter_documents()).sha256
    mine = AnnotationSet(doc_id="d1", doc_sha256=sha, annotator="eve", origin=Origin(source="script"),
                         spans=_content(1))
    assert [o.status for o in add_sets(corpus, [mine]).outcomes] == ["added"]
    assert [o.status for o in add_sets(corpus, [mine]).outcomes] == ["unchanged"]
    wrong = mine.model_copy(update={"spans": [_span("s1", "PERSON", "Peskov").model_copy(update={"text": "Pesk"})]})
    refused = add_sets(corpus, [wrong])
    assert not refused.ok and [(o.status, o.code, o.rule) for o in refused.outcomes] == [
        ("rejected", "scheme", "NG204")]  # the span's text disproves its offsets
    other = mine.model_copy(update={"spans": _content(2)})
    assert [(o.status, o.code) for o in add_sets(corpus, [other]).outcomes] == [("rejected", "differs")]
    replaced = add_sets(corpus, [other], policy="replace")
    assert [(o.status, o.code) for o in replaced.outcomes] == [("updated", "replaced")]
    assert replaced.backup_path is not None and b'"eve"' in replaced.backup_path.read_bytes()
    assert replaced.as_dict()["outcomes"][0]["code"] == "replaced" and replaced.as_dict()["ok"] is True


# Corrected gold is never lost ---------------------------------------------------------------

def _adjudicated(tmp_path: Path) -> Corpus:
    corpus = _corpus(tmp_path / "c")
    assert import_label_studio(corpus, _export(corpus, tmp_path / "e.json")).ok
    report = adjudicate(Corpus.open(corpus.root), "majority", min_agree=1)
    assert report.written == ["d1"]
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert gold.provenance.content_sha256 == content_fingerprint(gold)
    return Corpus.open(corpus.root)


def _correct_gold_by_hand(corpus: Corpus) -> bytes:
    """Add a span to the gold, editing gold.jsonl as the review workflow tells the adjudicator to."""
    [gold] = corpus.iter_gold()
    spans = [s for s in gold.spans if s.id != "h1"]
    added = _span("h1", "GPE", "Kyiv")
    corrected = gold.model_copy(update={"spans": spans if len(spans) < len(gold.spans) else [*spans, added]})
    line = record_line(corrected)
    corpus.gold_path.write_bytes(line)
    return line


def test_hand_corrected_gold_survives_adjudicate(tmp_path: Path, runner) -> None:
    corpus = _adjudicated(tmp_path)
    corrected = _correct_gold_by_hand(corpus)
    assert validate(corpus.root).ok
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--min-agree", "1"])
    assert result.exit_code == 0, result.output
    assert "kept hand-made gold of d1" in result.output and "--replace" in result.output
    assert corpus.gold_path.read_bytes() == corrected
    report = adjudicate(Corpus.open(corpus.root), "majority", min_agree=1)
    assert report.kept_hand_made == ["d1"] and report.written == []
    assert [(o.status, o.code) for o in report.gold] == [("kept", "hand-made")]


def test_gold_retyped_by_hand_without_its_fingerprint_survives_adjudicate(tmp_path: Path, runner) -> None:
    """A line retyped or pasted by hand loses `provenance.content_sha256`: no tool can prove it
    wrote it, so it is hand-made, kept without --replace (issue 41, item 2)."""
    corpus = _adjudicated(tmp_path)
    [gold] = corpus.iter_gold()
    added = _span("h1", "GPE", "Kyiv")
    retyped = gold.model_copy(update={"spans": [*gold.spans, added], "provenance": gold.provenance.model_copy(
        update={"content_sha256": None})})
    corpus.gold_path.write_bytes(record_line(retyped))
    before = corpus.gold_path.read_bytes()
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--min-agree", "1"])
    assert result.exit_code == 0, result.output
    assert "kept hand-made gold of d1" in result.output
    assert corpus.gold_path.read_bytes() == before


def test_force_replaces_hand_corrected_gold_saying_so_and_keeping_a_backup(tmp_path: Path, runner) -> None:
    corpus = _adjudicated(tmp_path)
    corrected = _correct_gold_by_hand(corpus)
    result = runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--min-agree", "1", "--replace"])
    assert result.exit_code == 0, result.output
    assert "replaced hand-made gold of d1" in result.output
    [backup] = (corpus.state_dir / "replaced").glob("adjudicate-*.jsonl")
    assert backup.read_bytes() == corrected and str(backup) in result.output
    [gold] = Corpus.open(corpus.root).iter_gold()
    assert "h1" not in {s.id for s in gold.spans}


def test_put_gold_keeps_manual_gold_unless_forced(tmp_path: Path) -> None:
    corpus = _adjudicated(tmp_path)
    [gold] = corpus.iter_gold()
    same = gold.model_copy(update={"provenance": gold.provenance.model_copy(
        update={"method": "manual", "content_sha256": None})})
    corpus.gold_path.write_bytes(record_line(same))
    unchanged = put_gold(corpus, [gold])  # the same content again: the hand-made line stays
    assert [(o.status, o.code) for o in unchanged.outcomes] == [("unchanged", "same")]
    assert corpus.gold_path.read_bytes() == record_line(same) and not unchanged.backup_path
    manual = same.model_copy(update={"spans": same.spans[:-1], "relations": [
        r for r in same.relations if same.spans[-1].id not in (r.from_, r.to)]})
    corpus.gold_path.write_bytes(record_line(manual))
    kept = put_gold(corpus, [gold])
    assert [(o.status, o.code) for o in kept.outcomes] == [("kept", "hand-made")]
    assert corpus.gold_path.read_bytes() == record_line(manual)
    forced = put_gold(corpus, [gold], replace=True)
    assert [(o.status, o.code) for o in forced.outcomes] == [("updated", "replaced")] and forced.backup_path


# One way in ---------------------------------------------------------------------------------

WRITE_PATH = {"newsgold/corpus/write/sets.py", "newsgold/corpus/write/gold.py"}
MAKES_THE_EMPTY_FILES = "newsgold/corpus/store.py"
"""`init_corpus` creates an empty corpus, its empty annotations and gold files with it."""
CORPUS_SET_FILES = ("annotations_path", "gold_path", "ANNOTATIONS_FILE", "GOLD_FILE")
WRITERS = {"stage_rewrite", "write_lines", "write_bytes", "write_text", "atomic_write_bytes", "write_file",
           "create_file", "open", "replace", "rename"}


def _writes_of(path: Path) -> list[str]:
    """`file:line` of every function in `path` that names the annotations or gold file and calls a
    writer: the places that could write them (a local variable holding the path is still found)."""
    found = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = [node for node in function.body
                if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]  # no docstring
        dumped = "".join(ast.dump(node) for node in body)
        if not (any(f"'{name}'" in dumped for name in CORPUS_SET_FILES)
                or "annotations.jsonl" in dumped or "gold.jsonl" in dumped):
            continue
        calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
        names = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                 for node in calls}
        if names & WRITERS:
            found.append(f"{path.relative_to(REPO)}:{function.lineno}")
    return found


def test_no_module_outside_the_write_path_writes_annotations_or_gold() -> None:
    writers = [w for path in sorted((REPO / "newsgold").rglob("*.py")) for w in _writes_of(path)
               if w.split(":")[0] not in WRITE_PATH]
    init = [w for w in writers if w.startswith(MAKES_THE_EMPTY_FILES)]
    assert len(init) == 1, init
    writers.remove(init[0])
    assert writers == [], f"only newsgold.corpus.write may write annotations.jsonl and gold.jsonl: {writers}"


def test_the_one_way_in_check_finds_a_writer_that_goes_around_it(tmp_path: Path) -> None:
    rogue = REPO / "newsgold" / "corpus" / "_rogue_writer_for_test.py"
    rogue.write_text("def f(txn, corpus, lines):\n    txn.write_lines(corpus.annotations_path, lines)\n")
    try:
        assert _writes_of(rogue) == ["newsgold/corpus/_rogue_writer_for_test.py:1"]
    finally:
        rogue.unlink()
    assert {w.split(":")[0] for path in (REPO / "newsgold" / "corpus" / "write").glob("*.py")
            for w in _writes_of(path)} == WRITE_PATH


PLANTED = {
    "source_path": "def write(corpus):\n    atomic_write_bytes(corpus.source_path('gold'), b'')\n",
    "a parameter": "def write(corpus, path=None):\n    txn = Transaction()\n    txn.write_bytes(path, b'')\n    txn.commit()\n",
    "a glob": "def write(corpus):\n    next(corpus.root.glob('gold*')).write_text('')\n",
    "a joined name": "def write(corpus):\n    open(os.path.join(str(corpus.root), 'anno' + 'tations.jsonl'), 'a').close()\n",
    "gold_path": "def write(corpus):\n    gold_path = corpus.gold_path\n    os.replace(gold_path.with_suffix('.bak'), gold_path)\n",
    "annotations_path": "def write(corpus):\n    with open(corpus.annotations_path, 'wb') as f:\n        f.write(b'')\n",
}
"""Six ways a module of newsgold could write the annotation or gold file around the write path."""


@pytest.mark.parametrize("form", list(PLANTED))
def test_a_writer_planted_in_newsgold_is_stopped_whatever_its_form(form: str, tiny: Path) -> None:
    """The one way in is kept at run time (an audit hook of newsgold._io): a newsgold module that
    writes, renames onto or appends to a corpus data file outside `corpus_write` raises
    CorpusBypassError before the file changes, however it named the path; the same code inside a
    corpus write is let through."""
    import importlib
    import os
    import sys

    from newsgold._io import CorpusBypassError
    from newsgold.corpus.write import corpus_write

    module_path = REPO / "newsgold" / "corpus" / "_planted_writer_for_test.py"
    module_path.write_text("import os\nfrom newsgold._io import Transaction, atomic_write_bytes\n\n" + PLANTED[form])
    try:
        sys.modules.pop("newsgold.corpus._planted_writer_for_test", None)
        planted = importlib.import_module("newsgold.corpus._planted_writer_for_test")
        corpus = Corpus.open(tiny)
        (tiny / "gold.bak").write_bytes((tiny / "gold.jsonl").read_bytes())
        before = _files(tiny)
        arguments = {"path": corpus.gold_path} if form == "a parameter" else {}
        with pytest.raises(CorpusBypassError, match="only newsgold.corpus.write.corpus_write"):
            planted.write(corpus, **arguments)
        assert _files(tiny) == before
        with corpus_write(corpus, "test"):
            planted.write(corpus, **arguments)  # inside the write path: allowed
    finally:
        module_path.unlink()
        sys.modules.pop("newsgold.corpus._planted_writer_for_test", None)
    assert os.path.exists(tiny / "newsgold.json")


# Random sequences of every writer -----------------------------------------------------------

OPERATIONS = ("import", "import-edited", "pull", "pull-edited", "suggest", "suggest-replace", "adjudicate",
              "adjudicate-force", "correct-gold", "correct-set")


def _check_invariants(corpus: Corpus, protected: dict[str, bytes]) -> None:
    opened = Corpus.open(corpus.root)
    assert validate(opened.root).ok
    keys = [s.key for s in opened.iter_annotation_sets()]
    assert len(keys) == len(set(keys)), f"a set is duplicated: {keys}"
    gold_docs = [g.doc_id for g in opened.iter_gold()]
    assert len(gold_docs) == len(set(gold_docs))
    annotators = {s.annotator for s in opened.iter_annotation_sets() if not s.is_suggestion}
    assert len(annotators) <= 1, f"one person became several annotators: {annotators}"
    for what, line in protected.items():
        path = opened.gold_path if what == "gold" else opened.annotations_path
        assert line in path.read_bytes(), f"a hand edit of {what} was lost"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=8))
def test_no_sequence_of_writers_duplicates_a_set_or_loses_a_hand_edit(tmp_path_factory, operations) -> None:
    root = tmp_path_factory.mktemp("seq")
    corpus = _corpus(root / "c")
    protected: dict[str, bytes] = {}
    """What a person corrected by hand (`gold`, `set`): its line must stay until a forced write
    replaces it, reports it, and keeps it in a backup."""
    for operation in operations:
        corpus = Corpus.open(corpus.root)
        before = _files(corpus.root)
        if operation.startswith("import"):
            export = _export(corpus, root / "export.json", 2 if operation.endswith("edited") else 1)
            report = import_label_studio(corpus, export)
            if not report.ok:  # a different set of alice's is there: refused, nothing written
                assert {o.code for o in report.sets if o.status == "rejected"} == {"differs"}
                assert _files(corpus.root) == before
            elif not report.added_sets:
                assert _files(corpus.root) == before
        elif operation.startswith("pull"):
            report = pull(corpus, FakeStudio(corpus, 2 if operation.endswith("edited") else 1))  # type: ignore[arg-type]
            if "set" in protected:
                assert {o.code for o in report.conflicts} <= {"edited-locally", "held-by-another-set"}
        elif operation.startswith("suggest"):
            made = suggest(corpus, replace=operation.endswith("replace"))
            if not made.written:
                assert _files(corpus.root) == before
        elif operation.startswith("adjudicate"):
            force = operation.endswith("force")
            if not any(s.votes for s in corpus.iter_annotation_sets()):
                continue
            report = adjudicate(corpus, "majority", min_agree=1, replace=force)
            if force and "gold" in protected and report.replaced_hand_made:
                assert report.backup_path is not None and protected["gold"] in report.backup_path.read_bytes()
                del protected["gold"]
        elif operation == "correct-gold":
            if next(corpus.iter_gold(), None) is None:
                continue
            line = _correct_gold_by_hand(corpus)
            corrected = GoldSet.model_validate_json(line)
            if content_fingerprint(corrected) == corrected.provenance.content_sha256:
                protected.pop("gold", None)  # undone: the gold is again what adjudicate wrote
            else:
                protected["gold"] = line
        elif operation == "correct-set":
            sets = [s for s in corpus.iter_annotation_sets() if not s.is_suggestion]
            if not sets or any(s.id == "h2" for s in sets[0].spans):
                continue
            edited = sets[0].model_copy(update={"spans": [*sets[0].spans, _span("h2", "ORG", "NATO")]})
            others = [s for s in corpus.iter_annotation_sets() if s.key != edited.key]
            protected["set"] = record_line(edited)
            corpus.annotations_path.write_bytes(b"".join(record_line(s) for s in [*others, edited]))
        _check_invariants(corpus, protected)
    shutil.rmtree(root)


def test_replace_naming_no_document_of_the_pull_is_an_error_that_names_it(tmp_path: Path, runner,
                                                                              monkeypatch) -> None:
    corpus = _corpus(tmp_path / "c")
    before = _files(corpus.root)
    for wrong in ("nosuch-doc", "../x"):
        with pytest.raises(UsageError, match=f"doc_ids={re.escape(wrong)}: no such document"):
            pull(corpus, FakeStudio(corpus), replace=True, doc_ids=[wrong])  # type: ignore[arg-type]
    assert _files(corpus.root) == before
    monkeypatch.setattr("newsgold.studio.connect", lambda url, api_key: FakeStudio(corpus))
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root), "--replace", "--doc", "nosuch-doc"])
    assert result.exit_code == 2 and "--doc nosuch-doc: no such document" in result.output, result.output
    assert _files(corpus.root) == before


# One person, one pseudonym; the salt is part of the corpus (issue 41, item 8) ---------------------

def test_one_person_keeps_one_pseudonym_whichever_way_their_annotation_arrives(tmp_path: Path) -> None:
    """A project's JSON export names annotators by user id only; a pull knows their e-mail. Imported
    first, then pulled, alice keeps the pseudonym her user id gave her (it used to switch to her
    e-mail's while the pull said `unchanged`), and so does her annotation arriving by e-mail later."""
    corpus = _corpus(tmp_path / "c")
    export = tmp_path / "by-user-id.json"
    export.write_text(json.dumps([_task(corpus, 1, completed_by=ALICE["id"])]))
    assert import_label_studio(corpus, export).ok
    [imported] = _sets(corpus)
    report = pull(Corpus.open(corpus.root), FakeStudio(corpus))  # type: ignore[arg-type]
    assert report.ok and [(o.status, o.code) for o in report.outcomes] == [("unchanged", "adopted")]
    [pulled] = _sets(corpus)
    assert pulled.annotator == imported.annotator
    from newsgold.corpus.pseudonyms import Identity

    stored = read_pseudonyms(corpus.state_dir, corpus.annotations_path)
    assert stored.resolve(Identity(email=ALICE["email"], user_id=None)) == imported.annotator  # by e-mail alone
    assert stored.resolve(Identity(email=None, user_id=ALICE["id"])) == imported.annotator


@pytest.mark.parametrize("how", ["deleted", "copied-without-state", "another-corpus"])
def test_a_corpus_whose_salt_is_lost_or_swapped_is_refused_with_the_way_to_restore_it(
        how: str, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path / "c")
    assert import_label_studio(corpus, _export(corpus, tmp_path / "e.json")).ok
    if how == "deleted":
        (corpus.state_dir / PSEUDONYMS_FILE).unlink()
    elif how == "copied-without-state":  # cp corpus/* elsewhere: .newsgold/ stays behind
        copy = tmp_path / "copy"
        copy.mkdir()
        for path in corpus.root.iterdir():
            if not path.name.startswith("."):
                shutil.copy(path, copy / path.name)
        corpus = Corpus.open(copy)
    else:
        other = _corpus(tmp_path / "other")
        assert import_label_studio(other, _export(other, tmp_path / "o.json")).ok
        shutil.copy(other.state_dir / PSEUDONYMS_FILE, corpus.state_dir / PSEUDONYMS_FILE)
    before = _files(corpus.root)
    again = runner.invoke(main, ["import", str(_export(corpus, tmp_path / "e2.json", version=2)), "--format",
                                 "label-studio", "--corpus", str(corpus.root)])
    assert again.exit_code == 2, again.output
    assert "pseudonyms.json" in again.output and ("Restore .newsgold/pseudonyms.json" in again.output
                                                   or "Restore this corpus's .newsgold/pseudonyms.json" in again.output)
    with pytest.raises(UsageError, match="pseudonyms.json"):
        pull(Corpus.open(corpus.root), FakeStudio(corpus, version=2))  # type: ignore[arg-type]
    assert _files(corpus.root) == before


def test_outcome_codes_are_a_literal_equal_to_the_catalogue() -> None:
    """Issue 42, item 2: every code is named once, as a type (mypy, run by test_typing.py, refuses a
    code the Literal lacks), and the catalogue explains each, drafts and skipped tasks too."""
    from typing import get_args

    from newsgold.corpus.outcomes import OUTCOME_CODES, OutcomeCode

    assert set(get_args(OutcomeCode)) == set(OUTCOME_CODES)
    assert {"draft", "skipped"} <= set(OUTCOME_CODES)


def test_warnings_losses_and_rejections_are_records_not_sentences() -> None:
    """Issue 42, item 2: what a report says beyond each set's outcome is a Notice (a code of the
    catalogue, the document, the place, the parameters), rendered only by `as_text()`; the state
    file keeps a pull's conflicts as records too."""
    import dataclasses
    import string
    import typing
    from typing import get_args

    from newsgold.corpus.outcomes import NOTICES, Notice, NoticeCode, SetOutcome
    from newsgold.exchange.imports import ImportReport
    from newsgold.formats.labelstudio.state import ConflictRecord, ProjectState, stored_conflict
    from newsgold.studio.pull import PullReport
    from newsgold.studio.push import PushReport
    from newsgold.studio.review import ReviewPullReport
    from newsgold.studio.status import StatusReport

    assert set(get_args(NoticeCode)) == set(NOTICES)
    for code, template in NOTICES.items():  # every field of a template is a parameter or the document
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        rendered = Notice(code, "d1", "task 3", {name: f"<{name}>" for name in fields - {"doc_id"}}).as_text()
        assert rendered.startswith("task 3: ") and "{" not in rendered, code
    wanted = {(PullReport, "warnings"): Notice, (PushReport, "warnings"): Notice, (PushReport, "prediction_errors"): Notice,
              (ImportReport, "skipped"): Notice, (ImportReport, "lost"): Notice, (ImportReport, "normalized"): Notice,
              (ReviewPullReport, "rejected"): Notice, (StatusReport, "repeated"): Notice,
              (StatusReport, "conflicts"): SetOutcome}
    for (report, name), kind in wanted.items():
        hints = typing.get_type_hints(report)
        assert hints[name] == list[kind], (report.__name__, name, hints[name])
        assert name in {f.name for f in dataclasses.fields(report)}
    record = ConflictRecord(doc_id="d1", annotator="ann-1", code="edited-locally", message="kept", line=4)
    state = ProjectState.model_validate_json(ProjectState(title="t", conflicts=[record]).model_dump_json())
    assert state.conflicts == [record] and stored_conflict(state.conflicts[0]).line == 4
    legacy = ProjectState.model_validate_json('{"title": "t", "conflicts": ["d1/ann-1: edited here"]}')
    assert stored_conflict(legacy.conflicts[0]).message == "d1/ann-1: edited here"
