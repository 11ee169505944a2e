"""Push and pull against a real Label Studio server (started once per session)."""

from __future__ import annotations

import json
import shlex
import shutil
import uuid
from pathlib import Path

import pytest

from newsgold._progress import reporting
from label_studio_sdk.client import LabelStudio

from newsgold.cli import main
from newsgold.corpus import Corpus, ingest, init_corpus, validate
from newsgold.errors import ConfigChangeError, StudioAuthError, StudioUnreachableError, UsageError
from newsgold.formats.labelstudio import label_config, set_to_results
from newsgold.corpus.pseudonyms import read_pseudonyms
from newsgold.formats.labelstudio.state import load_state
from newsgold.studio import connect, pull, push, status
from newsgold.schemas import AnnotationSet, GoldSet, Scheme

from conftest import REPO, snapshot
from helpers import content_of, seed_scheme
from fault_proxy import FaultProxy

pytestmark = pytest.mark.labelstudio

TEXTS = {
    "e1": "Fans 😀😀 cheered 🇺🇦. Peskov said: “This is not true.” 𝔘𝔫𝔦 Stoltenberg said there are no NATO troops in Ukraine.",
    "e2": "Pevkur said every NATO country has personnel in Ukraine.",
    "e3": "Zelenskiy said Russia is preparing to send another 300,000 soldiers.",
}


def _corpus(tmp_path: Path, texts: dict[str, str] = TEXTS) -> Corpus:
    corpus = init_corpus(tmp_path / "c", name=f"it-{uuid.uuid4().hex[:8]}", scheme=seed_scheme())
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    ingest(corpus, [feed])
    return corpus


def _span(text: str, sid: str, label: str, needle: str, **extra: object) -> dict:
    start = text.index(needle)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label, "text": needle, **extra}


def _e1_content(corpus: Corpus, variant: str = "") -> GoldSet:
    text = TEXTS["e1"]
    spans = [
        _span(text, "p1", "PERSON", "Peskov"),
        _span(text, "sp1", "SPEAKER", "Peskov"),
        _span(text, "c1", "CUE", "said"),
        _span(text, "q1", "QUOTE", "This is not true.", attrs={"form": "direct"},
              stance={"russia-300k-troops": "against"}),
        _span(text, "p2", "PERSON", "Stoltenberg"),
        _span(text, "sp2", "SPEAKER", "Stoltenberg"),
        _span(text, "q2", "QUOTE", "there are no NATO troops in Ukraine", attrs={"form": "indirect"},
              stance={"nato-personnel-in-ukraine": "against"}),
        _span(text, "o1", "ORG", "NATO"),
    ]
    if variant == "more":
        spans.append(_span(text, "g1", "GPE", "Ukraine"))
    relations = [
        {"type": "attributed_to", "from": "q1", "to": "sp1"},
        {"type": "cued_by", "from": "q1", "to": "c1"},
        {"type": "refers_to", "from": "sp1", "to": "p1"},
        {"type": "attributed_to", "from": "q2", "to": "sp2"},
        {"type": "refers_to", "from": "sp2", "to": "p2"},
    ]
    document = next(d for d in corpus.iter_documents() if d.id == "e1")
    return GoldSet(doc_id="e1", doc_sha256=document.sha256, spans=spans, relations=relations,
                   stance={"nato-personnel-in-ukraine": "against"}, provenance={"method": "manual"})


@pytest.fixture
def sdk(label_studio) -> LabelStudio:  # type: ignore[no-untyped-def]
    return LabelStudio(base_url=label_studio.url, api_key=label_studio.token)


def _user(sdk: LabelStudio, name: str):  # type: ignore[no-untyped-def]
    tag = uuid.uuid4().hex[:6]
    return sdk.users.create(username=f"{name}-{tag}", email=f"{name}-{tag}@newsgold.test",
                            password=uuid.uuid4().hex)


def _tasks(sdk: LabelStudio, project_id: int) -> dict[str, int]:
    return {t.data["doc_id"]: t.id for t in sdk.tasks.list(project=project_id, fields="task_only")}


def test_config_is_accepted_by_the_server(sdk) -> None:
    project = sdk.projects.create(title=f"cfg-{uuid.uuid4().hex[:6]}", label_config=label_config(seed_scheme()))
    stored = sdk.projects.get(id=project.id).label_config
    assert "stance__nato-personnel-in-ukraine" in stored and 'position: sticky' in stored


def test_push_is_idempotent(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    result = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "imported 3 tasks" in result.output
    assert studio_env.token not in result.output
    state = json.loads((corpus.state_dir / "labelstudio.json").read_text())
    project_id = state["default_project"]
    assert sorted(_tasks(sdk, project_id)) == ["e1", "e2", "e3"]
    again = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root)])
    assert again.exit_code == 0 and "imported 0 tasks, 3 already present" in again.output
    assert len(_tasks(sdk, project_id)) == 3


def test_pull_two_annotators_with_relations_choices_and_astral_text(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    report = push(corpus, connect())
    tasks = _tasks(sdk, report.project_id)
    alice, bob = _user(sdk, "alice"), _user(sdk, "bob")
    expected = _e1_content(corpus)
    sdk.annotations.create(id=tasks["e1"], result=set_to_results(expected, corpus.scheme), completed_by=alice.id)
    bob_content = _e1_content(corpus, "more")
    sdk.annotations.create(id=tasks["e1"], result=set_to_results(bob_content, corpus.scheme), completed_by=bob.id)
    untouched = tmp_path / "identities"
    shutil.copytree(corpus.root, untouched)
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "added 2" in result.output
    pull(Corpus.open(untouched), connect(), keep_identities=True)
    assert {s.annotator for s in Corpus.open(untouched).iter_annotation_sets()} == {alice.email, bob.email}
    sets = {s.annotator: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert len(sets) == 2 and all(a.startswith("ann-") for a in sets)
    by_size = sorted(sets.values(), key=lambda s: len(s.spans))
    for pulled, wanted in zip(by_size, (expected, bob_content)):
        assert content_of(pulled) == content_of(wanted)
        assert pulled.stance == wanted.stance
        assert pulled.origin.source == "label-studio" and pulled.origin.task_id == tasks["e1"]
    annotations_text = corpus.annotations_path.read_text()
    assert "@newsgold.test" not in annotations_text
    assert validate(corpus.root).ok
    again = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert "added 0, updated 0, removed 0, unchanged 2" in again.output
    assert corpus.annotations_path.read_text() == annotations_text


def test_an_exported_annotation_imported_then_pulled_is_one_set_of_one_annotator(studio_env, sdk, tmp_path: Path,
                                                                               runner) -> None:
    # A researcher imports the project's JSON export (downloaded from Label Studio), then pulls:
    # the same annotation, two ways in, is one set under one pseudonym.
    corpus = _corpus(tmp_path)
    project_id = push(corpus, connect()).project_id
    dana = _user(sdk, "dana")
    sdk.annotations.create(id=_tasks(sdk, project_id)["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme),
                           completed_by=dana.id)
    export = tmp_path / "export.json"
    export.write_bytes(b"".join(sdk.projects.exports.download_sync(project_id, export_type="JSON",
                                                                   download_all_tasks=True)))
    imported = runner.invoke(main, ["import", str(export), "--format", "label-studio", "--corpus", str(corpus.root)])
    assert imported.exit_code == 0 and "annotation sets: added 1" in imported.output, imported.output
    again = runner.invoke(main, ["import", str(export), "--format", "label-studio", "--corpus", str(corpus.root)])
    assert "annotation sets: added 0, unchanged 1" in again.output, again.output
    report = pull(Corpus.open(corpus.root), connect())
    assert report.ok and [(o.status, o.code) for o in report.outcomes] == [("unchanged", "adopted")]
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    assert stored.origin.source == "label-studio" and stored.annotator.startswith("ann-")
    assert [(o.status, o.code) for o in pull(Corpus.open(corpus.root), connect()).outcomes] == [("unchanged", "same")]


def test_edit_and_delete_in_label_studio_propagate(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    tasks = _tasks(sdk, project_id)
    annotator = _user(sdk, "carol")
    content = _e1_content(corpus)
    annotation = sdk.annotations.create(id=tasks["e1"], result=set_to_results(content, corpus.scheme),
                                        completed_by=annotator.id)
    assert len(pull(corpus, studio).added) == 1
    edited = _e1_content(corpus, "more")
    sdk.annotations.update(id=annotation.id, result=set_to_results(edited, corpus.scheme))
    report = pull(corpus, studio)
    assert len(report.updated) == 1
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    assert any(s.label == "GPE" for s in stored.spans)
    sdk.annotations.delete(id=annotation.id)
    report = pull(corpus, studio)
    assert len(report.removed) == 1
    assert list(Corpus.open(corpus.root).iter_annotation_sets()) == []


def test_local_edit_is_not_overwritten(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    annotator = _user(sdk, "dave")
    annotation = sdk.annotations.create(id=_tasks(sdk, project_id)["e1"],
                                        result=set_to_results(_e1_content(corpus), corpus.scheme),
                                        completed_by=annotator.id)
    pull(corpus, studio)
    record = json.loads(corpus.annotations_path.read_text())
    record["stance"] = {"nato-personnel-in-ukraine": "neutral"}
    corpus.annotations_path.write_text(json.dumps(record) + "\n")
    local = corpus.annotations_path.read_bytes()
    # Only the corpus changed: the local edit is kept, no conflict, exit 0 (issue 43, item 7)
    quiet = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert quiet.exit_code == 0, quiet.output
    assert "kept 1 (edited here, not in Label Studio), conflicts 0" in quiet.output
    assert corpus.annotations_path.read_bytes() == local
    # Both changed: a conflict
    sdk.annotations.update(id=annotation.id,
                           result=set_to_results(_e1_content(corpus, "more"), corpus.scheme))
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert result.exit_code == 1
    assert "Conflict:" in result.output and "was edited since it was pulled" in result.output
    assert "conflicts 1" in result.output and "--replace --doc e1" in result.output
    assert corpus.annotations_path.read_bytes() == local
    # status remembers what the last pull could not store
    status_out = runner.invoke(main, ["studio", "status", "--corpus", str(corpus.root)])
    assert "the last pull left 1 conflicts" in status_out.output and "e1" in status_out.output
    # --replace takes Label Studio's version and keeps the local edit in a backup file
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root), "--replace", "--doc", "e1"])
    assert result.exit_code == 0, result.output
    [backup] = (corpus.state_dir / "replaced").glob("pull-*.jsonl")
    assert backup.read_bytes() == local
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    assert stored.stance == {"nato-personnel-in-ukraine": "against"} and "Ukraine" in {s.text for s in stored.spans}
    assert status(corpus, connect()).conflicts == []


def test_since_last_fetches_only_the_changed_task(studio_env, sdk, label_studio, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    tasks = _tasks(sdk, project_id)
    annotator = _user(sdk, "erin")
    texts = {d.id: d for d in corpus.iter_documents()}
    created = {}
    for doc_id in ("e2", "e3"):
        text = texts[doc_id].text
        gold = GoldSet(doc_id=doc_id, doc_sha256=texts[doc_id].sha256, provenance={"method": "manual"},
                       spans=[_span(text, "p", "PERSON", text.split()[0])])
        created[doc_id] = sdk.annotations.create(id=tasks[doc_id], result=set_to_results(gold, corpus.scheme),
                                                 completed_by=annotator.id)
    log_before = label_studio.log.read_text(errors="replace")
    full = pull(corpus, studio)
    assert full.tasks_seen == 3 and len(full.added) == 2
    # A full pull reads Label Studio's own JSON export as a stream: one request, not pages of tasks.
    requests = label_studio.log.read_text(errors="replace")[len(log_before):]
    assert f"/api/projects/{project_id}/export?" in requests and "/api/tasks" not in requests
    assert pull(corpus, studio, since_last=True).tasks_seen == 0
    sdk.annotations.update(id=created["e3"].id, result=[])
    incremental = pull(corpus, studio, since_last=True)
    assert incremental.tasks_seen == 1
    assert len(incremental.updated) == 1
    assert {s.doc_id: len(s.spans) for s in Corpus.open(corpus.root).iter_annotation_sets()} == {"e2": 1, "e3": 0}


def test_skipped_annotations_are_reported_not_stored(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    sdk.annotations.create(id=_tasks(sdk, project_id)["e2"], result=[], was_cancelled=True,
                           completed_by=_user(sdk, "frank").id)
    report = pull(corpus, studio)
    assert len(report.skipped) == 1 and not report.added
    assert list(Corpus.open(corpus.root).iter_annotation_sets()) == []


def test_unprovable_region_rejects_its_annotation(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    bad = [{"id": "x1", "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 4, "text": "Peskov", "labels": ["PERSON"]}}]
    sdk.annotations.create(id=_tasks(sdk, project_id)["e1"], result=bad, completed_by=_user(sdk, "gina").id)
    before = corpus.annotations_path.read_bytes()
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert result.exit_code == 1
    assert "Rejected: task" in result.output and "region x1" in result.output
    assert corpus.annotations_path.read_bytes() == before


def test_predictions_are_sent_with_new_tasks(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    from newsgold.corpus.write import add_sets, put_gold

    assert put_gold(corpus, [_e1_content(corpus)]).ok
    gold = _e1_content(corpus)
    assert add_sets(corpus, [AnnotationSet(
        annotator="alice", origin={"source": "manual"},
        **gold.model_dump(exclude={"provenance", "format_version"}))]).ok
    with pytest.raises(UsageError, match="set_name='nobody': no annotation sets of that name"):
        push(corpus, connect(), set_name="nobody")
    for source, title in (("gold", corpus.name), ("alice", f"{corpus.name}-alice")):
        report = push(corpus, connect(), set_name=source, title=title)
        assert report.created_project and report.predictions == 1 and not report.prediction_errors
        [task] = [t for t in sdk.tasks.list(project=report.project_id, fields="all") if t.data["doc_id"] == "e1"]
        [prediction] = task.predictions
        model_version = prediction["model_version"] if isinstance(prediction, dict) else prediction.model_version
        assert model_version == f"newsgold:{source}"


def test_changed_text_is_reported_not_reimported(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    (tmp_path / "e2.txt").write_text("A different text for e2.")
    ingest(corpus, [tmp_path / "e2.txt"], replace=True)
    report = push(corpus, studio)
    assert report.text_changed == ["e2"] and not report.imported
    assert len(_tasks(sdk, project_id)) == 3


def _without_label(raw: dict, label: str) -> dict:
    scheme = json.loads(json.dumps(raw["scheme"]))
    for layer in scheme["layers"]:
        layer["labels"] = [entry for entry in layer["labels"] if entry["name"] != label]
    for relation in scheme["relations"]:
        relation["pairs"] = [pair for pair in relation["pairs"] if label not in pair]
    Scheme.model_validate(scheme)
    return {**raw, "scheme": scheme}


def test_config_change_that_would_orphan_annotations_is_refused(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    studio = connect()
    project_id = push(corpus, studio).project_id
    sdk.annotations.create(id=_tasks(sdk, project_id)["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme),
                           completed_by=_user(sdk, "hank").id)
    raw = json.loads(corpus.manifest_path.read_text())
    grown = json.loads(json.dumps(raw))
    grown["scheme"]["layers"][0]["labels"].append({"name": "LOC"})
    corpus.manifest_path.write_text(json.dumps(grown))
    assert push(Corpus.open(corpus.root), studio).config_updated
    corpus.manifest_path.write_text(json.dumps(_without_label(raw, "PERSON")))
    with pytest.raises(ConfigChangeError, match="PERSON"):
        push(Corpus.open(corpus.root), studio)
    assert "PERSON" in sdk.projects.get(id=project_id).label_config
    # Removing a label nobody used orphans nothing: allowed.
    corpus.manifest_path.write_text(json.dumps(_without_label(raw, "NORP")))
    assert push(Corpus.open(corpus.root), studio).config_updated
    assert "NORP" not in sdk.projects.get(id=project_id).label_config
    # A new claim changes the labeling page, and the push says so (issue 43, item 6).
    claimed = _without_label(raw, "NORP")
    claimed["scheme"]["stance"]["targets"].append({"id": "ceasefire-2025", "claim": "A ceasefire was agreed."})
    corpus.manifest_path.write_text(json.dumps(claimed))
    said = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root)])
    assert said.exit_code == 0, said.output
    assert "the labeling page changed (the scheme's labels, attributes or claims)" in said.output
    assert "ceasefire-2025" in sdk.projects.get(id=project_id).label_config
    again = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root)])
    assert "the labeling page changed" not in again.output


def test_server_down_mid_push_leaves_corpus_unchanged_and_rerun_completes(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {f"doc{n}": f"Article number {n} says nothing." for n in range(6)})
    port = int(studio_env.url.rsplit(":", 1)[1])
    before = snapshot(corpus.root)
    # projects.list, projects.create, two imports of two tasks each: the proxy dies at the third import.
    proxy = FaultProxy(port, requests_before_death=4)
    with pytest.raises(StudioUnreachableError):
        push(corpus, connect(url=proxy.url, retry_delays=()), batch_size=2)
    assert proxy.dead.is_set()
    assert snapshot(corpus.root) == before
    landed = [t for p in sdk.projects.list(title=corpus.name) for t in _tasks(sdk, p.id)]
    assert 0 < len(landed) < 6  # it really died part-way
    report = push(corpus, connect())
    assert report.already_present + len(report.imported) == 6
    assert sorted(_tasks(sdk, report.project_id)) == [f"doc{n}" for n in range(6)]


def test_server_killed_mid_pull_is_unreachable_exit_2_and_changes_nothing(studio_env, sdk, tmp_path: Path,
                                                                          runner, monkeypatch) -> None:
    """Label Studio killed while it sends the export a pull reads (issue 41, item 12): one line,
    exit 2, the corpus and its cursor as they were; the next pull completes."""
    corpus = _corpus(tmp_path)
    project_id = push(corpus, connect()).project_id
    sdk.annotations.create(id=_tasks(sdk, project_id)["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme),
                           completed_by=_user(sdk, "ivy").id)
    before = snapshot(corpus.root)
    port = int(studio_env.url.rsplit(":", 1)[1])
    proxy = FaultProxy(port, die_inside=b'"result"')
    monkeypatch.setenv("LABEL_STUDIO_URL", proxy.url)
    monkeypatch.setattr("newsgold.studio.client.DEFAULT_RETRY_DELAYS", ())
    result = runner.invoke(main, ["studio", "pull", "--corpus", str(corpus.root)])
    assert proxy.dead.is_set(), "the proxy never saw the export's annotations"
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert snapshot(corpus.root) == before
    monkeypatch.setenv("LABEL_STUDIO_URL", studio_env.url)
    assert len(pull(Corpus.open(corpus.root), connect()).added) == 1


def test_interrupt_mid_push_leaves_corpus_unchanged(studio_env, sdk, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    before = snapshot(corpus.root)

    class Interrupt:  # a reporter: Ctrl-C as the second document is reached (the first batch is sent)
        seen = 0

        def open(self, description: str, total: int | None, unit: str) -> "Interrupt":
            return self

        def close(self, task: object) -> None:
            pass

        def advance(self, amount: int = 1) -> None:
            Interrupt.seen += amount
            if Interrupt.seen == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), reporting(Interrupt()):
        push(corpus, connect(), batch_size=1)
    assert snapshot(corpus.root) == before
    assert len(_tasks(sdk, next(iter(sdk.projects.list(title=corpus.name))).id)) == 1  # it died part-way
    report = push(corpus, connect())
    assert len(_tasks(sdk, report.project_id)) == 3


def test_wrong_key_and_unreachable_server_are_one_clear_line(studio_env, tmp_path: Path, runner, monkeypatch) -> None:
    corpus = _corpus(tmp_path)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "not-the-key-" + uuid.uuid4().hex)
    for command in ("push", "pull", "status"):  # one rule for every studio command: exit 2, as documented
        result = runner.invoke(main, ["studio", command, "--corpus", str(corpus.root)])
        assert result.exit_code == 2, (command, result.output)
        assert "refused the API key" in result.output and "not-the-key" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    with pytest.raises(StudioAuthError):
        push(corpus, connect())
    with pytest.raises(StudioUnreachableError, match="is unreachable"):
        push(corpus, connect(url="http://127.0.0.1:9", retry_delays=()))
    monkeypatch.delenv("LABEL_STUDIO_API_KEY")
    result = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root)])
    assert result.exit_code == 2 and "set LABEL_STUDIO_API_KEY" in result.output


def test_status_counts_and_disagreements(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    project_id = push(corpus, connect()).project_id
    tasks = _tasks(sdk, project_id)
    one, two = _user(sdk, "ivy"), _user(sdk, "jon")
    sdk.annotations.create(id=tasks["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme), completed_by=one.id)
    sdk.annotations.create(id=tasks["e1"], result=set_to_results(_e1_content(corpus, "more"), corpus.scheme), completed_by=two.id)
    sdk.annotations.create(id=tasks["e2"], result=[], was_cancelled=True, completed_by=two.id)
    report = status(corpus, connect())
    assert report.tasks == 3 and report.disagreements == ["e1"]
    assert sorted(report.annotated.values()) == [1, 1] and list(report.skipped.values()) == [1]
    result = runner.invoke(main, ["studio", "status", "--corpus", str(corpus.root)])
    assert result.exit_code == 0 and "documents with disagreements: e1" in result.output


def test_two_annotations_of_one_annotator_are_named_with_both_ids(studio_env, sdk, tmp_path: Path, runner) -> None:
    corpus = _corpus(tmp_path)
    project_id = push(corpus, connect()).project_id
    task = _tasks(sdk, project_id)["e1"]
    kim = _user(sdk, "kim")
    first = sdk.annotations.create(id=task, result=set_to_results(_e1_content(corpus), corpus.scheme),
                                   completed_by=kim.id)
    second = sdk.annotations.create(id=task, result=set_to_results(_e1_content(corpus, "more"), corpus.scheme),
                                    completed_by=kim.id)
    report = pull(corpus, connect())
    [conflict] = report.conflicts
    assert conflict.code == "second-annotation" and conflict.annotation_id == second.id
    assert f"submitted two annotations of this task ({first.id} and {second.id})" in conflict.message
    result = status(corpus, connect())
    assert result.disagreements == []  # one annotator does not disagree with themselves
    [repeated] = result.repeated
    assert repeated.code == "two-annotations" and repeated.doc_id == "e1" and repeated.params["task_id"] == task
    assert f"{first.id}, {second.id}" in repeated.as_text()


def test_a_discontinuous_quote_round_trips_through_label_studio(studio_env, sdk, tmp_path: Path) -> None:
    """Regions per fragment joined by `continues`, stored by the real server, pulled back as one span."""
    text = "“We will win,” Trump said. “The state is ours.”"
    corpus = _corpus(tmp_path, {"d1": text})
    project_id = push(corpus, connect()).project_id
    document = next(corpus.iter_documents())
    f1, f2 = (1, 13), (text.index("The state"), text.index("ours.") + 5)
    quote = {"id": "q1", "start": f1[0], "end": f2[1], "label": "QUOTE", "text": text[f1[0]:f2[1]],
             "attrs": {"form": "direct"}, "fragments": [list(f1), list(f2)]}
    trump = _span(text, "s1", "SPEAKER", "Trump")
    content = AnnotationSet(doc_id="d1", doc_sha256=document.sha256, annotator="x", origin={"source": "manual"},
                            spans=[quote, trump], relations=[{"type": "attributed_to", "from": "q1", "to": "s1"}])
    sdk.annotations.create(id=_tasks(sdk, project_id)["d1"], result=set_to_results(content, corpus.scheme, text),
                           completed_by=_user(sdk, "frag").id)
    report = pull(corpus, connect())
    assert report.ok, (report.rejected, report.conflicts)
    [stored] = Corpus.open(corpus.root).iter_annotation_sets()
    [pulled] = [s for s in stored.spans if s.label == "QUOTE"]
    assert pulled.fragments == [f1, f2] and pulled.attrs == {"form": "direct"}
    assert [(r.type, r.from_) for r in stored.relations] == [("attributed_to", pulled.id)]


def test_predictions_reach_tasks_already_pushed_once_and_only_once(studio_env, sdk, tmp_path: Path, runner) -> None:
    """The README's order (push, then push --predictions gold) pre-annotates; pushing again duplicates nothing."""
    corpus = _corpus(tmp_path)
    from newsgold.corpus.write import put_gold

    project_id = push(corpus, connect()).project_id  # tasks first, without predictions
    assert put_gold(corpus, [_e1_content(corpus)]).ok
    result = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root), "--set", "gold"])
    assert result.exit_code == 0, result.output
    assert "imported 0 tasks" in result.output and "1 predictions sent" in result.output
    again = push(corpus, connect(), set_name="gold")
    assert again.predictions == 0 and again.predictions_updated + again.predictions_unchanged == 1
    assert put_gold(corpus, [_e1_content(corpus, "more")], replace=True).ok  # gold changed: its prediction is replaced
    changed = push(corpus, connect(), set_name="gold")
    assert changed.predictions == 0 and changed.predictions_updated == 1
    [task] = [t for t in sdk.tasks.list(project=project_id, fields="all") if t.data["doc_id"] == "e1"]
    [prediction] = task.predictions  # one prediction of this source, the latest
    result_of = prediction["result"] if isinstance(prediction, dict) else prediction.result
    assert any(r.get("value", {}).get("text") == "Ukraine" for r in result_of)


def test_a_project_made_by_another_corpus_is_not_reused_silently(studio_env, sdk, tmp_path: Path, runner) -> None:
    title = f"shared-{uuid.uuid4().hex[:6]}"
    first = _corpus(tmp_path / "first")
    made = push(first, connect(), title=title)
    project = sdk.projects.get(id=made.project_id)
    assert read_pseudonyms(first.state_dir).corpus_key in (project.description or "")
    # A corpus that has synced before, with a salt of its own, finds that project by title: refused, and told how.
    other = _corpus(tmp_path / "other")
    push(other, connect(), title=f"own-{uuid.uuid4().hex[:6]}")
    state_before = (other.state_dir / "labelstudio.json").read_bytes()
    refused = runner.invoke(main, ["studio", "push", "--corpus", str(other.root), "--title", title])
    assert refused.exit_code == 2 and f"--project {made.project_id}" in refused.output
    assert "was made by another corpus" in refused.output and "labelstudio.json" in refused.output
    assert (other.state_dir / "labelstudio.json").read_bytes() == state_before  # nothing was written
    # An explicit --project is the user's choice.
    chosen = runner.invoke(main, ["studio", "push", "--corpus", str(other.root), "--project", str(made.project_id)])
    assert chosen.exit_code == 0, chosen.output
    # A fresh copy that never synced (no salt stored) uses the project, and says so.
    fresh = _corpus(tmp_path / "fresh")
    used = runner.invoke(main, ["studio", "push", "--corpus", str(fresh.root), "--title", title])
    assert used.exit_code == 0, used.output
    assert f"Warning: using Label Studio project {made.project_id}" in used.output and "pseudonyms" in used.output
    # Sharing the state file makes it the same corpus: found by title, silently.
    copy = _corpus(tmp_path / "copy")
    shutil.copytree(first.state_dir, copy.state_dir, dirs_exist_ok=True)
    shared = json.loads((first.state_dir / "labelstudio.json").read_text())
    shared["default_project"] = None  # found by its title, as a fresh clone would find it
    (copy.state_dir / "labelstudio.json").write_text(json.dumps(shared))
    again = runner.invoke(main, ["studio", "push", "--corpus", str(copy.root), "--title", title])
    assert again.exit_code == 0 and "Warning" not in again.output, again.output


WALKTHROUGHS = {"README.md": ["suggest", "push", "pull"],
                "docs/index.md": ["push", "pull"],
                "docs/labelstudio.md": ["push", "push", "pull", "pull", "pull", "status"],
                "docs/suggest.md": ["suggest", "suggest", "push", "push"]}
"""The pages whose Label Studio lines run here, in their order, and the order they have."""


@pytest.mark.parametrize("page", list(WALKTHROUGHS))
def test_the_readme_walkthrough_runs_against_the_server(page: str, studio_env, sdk, tmp_path: Path, runner,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `newsgold studio ...` line of the page (and its `suggest` lines, since a later push sends
    their sets), in its order, on a copy of the bundled corpus, with an annotator's submission
    between the pushes and the pulls."""
    from test_readme import SERVE_COMMANDS, SERVER_COMMANDS, readme_commands

    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    (tmp_path / "mycorpus").symlink_to(tmp_path / "corpus")  # the name the getting-started page uses
    manifest = json.loads((tmp_path / "corpus" / "newsgold.json").read_text())
    manifest["name"] = f"readme-{uuid.uuid4().hex[:8]}"  # the page's project, but this test's own
    (tmp_path / "corpus" / "newsgold.json").write_text(json.dumps(manifest, indent=2))
    monkeypatch.chdir(tmp_path)
    markdown = (REPO / page).read_text(encoding="utf-8")
    commands = [c for c in readme_commands(markdown) if c.startswith(SERVER_COMMANDS) and not c.startswith(
        SERVE_COMMANDS) or (
        c.startswith("newsgold suggest") and "--evaluate" not in c and "--model" not in c
        and "--tagger" not in c)]  # what a push sends
    assert [c.split()[2] if c.startswith("newsgold studio") else "suggest" for c in commands] == WALKTHROUGHS[page]
    annotated = False
    for command in commands:
        arguments = shlex.split(command)[1:]
        if arguments[:2] == ["studio", "pull"] and not annotated:  # an annotator submits the gold of one document
            corpus = Corpus.open(tmp_path / "corpus")
            gold = next(corpus.iter_gold())
            [project] = [p for p in sdk.projects.list() if p.title == manifest["name"]]
            [task_id] = [t.id for t in sdk.tasks.list(project=project.id, fields="all")
                         if t.data["doc_id"] == gold.doc_id]
            sdk.annotations.create(id=task_id, result=set_to_results(gold, corpus.scheme,
                                                                    corpus.get_document(gold.doc_id).text))
            annotated = True
        result = runner.invoke(main, arguments)
        assert result.exit_code == 0, f"{command}\n{result.output}"
    stored = sorted(s.origin.source for s in Corpus.open(tmp_path / "corpus").iter_annotation_sets())
    suggested = ["suggestion", "suggestion"] if "suggest" in WALKTHROUGHS[page] else []
    pulled = ["label-studio"] if "pull" in WALKTHROUGHS[page] else []
    assert stored == sorted([*pulled, *suggested])
    assert validate(tmp_path / "corpus").ok


def test_suggestions_reach_label_studio_as_predictions_and_come_back_as_they_were(
        studio_env, sdk, tmp_path: Path, runner) -> None:
    from newsgold.formats.labelstudio.convert import results_to_content
    from newsgold.suggest import suggest

    corpus = _corpus(tmp_path)
    assert suggest(corpus).written
    suggested = {s.doc_id: s for s in Corpus.open(corpus.root).iter_annotation_sets()}
    assert sum(s.label == "QUOTE" for x in suggested.values() for s in x.spans) >= 2
    result = runner.invoke(main, ["studio", "push", "--corpus", str(corpus.root), "--set", "suggest"])
    assert result.exit_code == 0, result.output
    project_id = load_state(corpus.state_dir).default_project
    texts = {d.id: d.text for d in Corpus.open(corpus.root).iter_documents()}
    seen = 0
    for project in [sdk.projects.get(id=project_id)]:
        for task in sdk.tasks.list(project=project.id, fields="all"):
            doc_id = task.data.get("doc_id")
            [prediction] = task.predictions
            prediction = prediction if isinstance(prediction, dict) else prediction.dict()
            assert prediction["model_version"] == "newsgold:suggest"
            back = results_to_content(prediction["result"], texts[doc_id], corpus.scheme)
            assert not back.errors
            key = lambda spans: sorted((s.start, s.end, s.label, tuple(s.attrs.items())) for s in spans)  # noqa: E731
            assert key(back.spans) == key(suggested[doc_id].spans)
            assert len(back.relations) == len(suggested[doc_id].relations)
            seen += 1
    assert seen == len(suggested)
    # Predictions are not annotations: a pull stores nothing new, and the suggestion sets stay as they were.
    assert pull(corpus, connect()).ok
    assert {s.doc_id: s for s in Corpus.open(corpus.root).iter_annotation_sets()} == suggested


def test_a_models_scores_reach_label_studio_region_by_region(studio_env, sdk, tmp_path: Path) -> None:
    from newsgold.corpus.write import add_sets
    from newsgold.schemas import Origin, Span

    corpus = _corpus(tmp_path)
    text = Corpus.open(corpus.root).get_document("e2").text
    document = Corpus.open(corpus.root).get_document("e2")
    scored = AnnotationSet(
        doc_id="e2", doc_sha256=document.sha256, annotator="model", origin=Origin(source="suggestion"),
        spans=[Span(id="m1", start=0, end=6, label="SPEAKER", text=text[:6], score=0.83),
               Span(id="e1", start=text.index("Ukraine"), end=text.index("Ukraine") + 7, label="GPE",
                    text="Ukraine")])
    assert add_sets(corpus, [scored]).ok
    report = push(Corpus.open(corpus.root), connect(), set_name="model")
    assert report.predictions == 1, report.prediction_errors
    [task] = [t for t in sdk.tasks.list(project=report.project_id, fields="all") if t.data["doc_id"] == "e2"]
    [prediction] = task.predictions
    result = prediction["result"] if isinstance(prediction, dict) else prediction.result
    assert {r["id"]: r.get("score") for r in result} == {"m1": 0.83, "e1": None}


def test_every_studio_command_prints_one_json_document(studio_env, sdk, tmp_path: Path, runner) -> None:
    """`--output-format json` on push, pull, status, annotators and review against the real server:
    one JSON document on stdout, the same figures the library reports, no token in it."""
    corpus = _corpus(tmp_path)
    c = ["--corpus", str(corpus.root), "--output-format", "json"]
    pushed = runner.invoke(main, ["studio", "push", *c])
    assert pushed.exit_code == 0, pushed.output
    push_data = json.loads(pushed.stdout)
    assert sorted(push_data["imported"]) == ["e1", "e2", "e3"] and push_data["ok"] is True
    tasks = _tasks(sdk, push_data["project_id"])
    sdk.annotations.create(id=tasks["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme),
                           completed_by=_user(sdk, "kim").id)
    pulled = json.loads(runner.invoke(main, ["studio", "pull", *c]).stdout)
    assert [o["status"] for o in pulled["outcomes"]] == ["added"] and pulled["outcomes"][0]["doc_id"] == "e1"
    shown = json.loads(runner.invoke(main, ["studio", "status", *c]).stdout)
    assert shown["tasks"] == 3 and sum(shown["annotated"].values()) == 1
    accounts = runner.invoke(main, ["studio", "annotators", "--output-format", "json"])
    assert accounts.exit_code == 0 and "invite_url" in json.loads(accounts.stdout)
    assert runner.invoke(main, ["adjudicate", "--corpus", str(corpus.root), "--min-agree", "2"]).exit_code == 0
    review = runner.invoke(main, ["studio", "review", *c])  # e1's items, agreed by one annotator of two needed
    assert review.exit_code == 0, review.output
    assert json.loads(review.stdout)["documents"] == ["e1"]
    for output in (pushed.stdout, accounts.stdout, review.stdout):
        assert studio_env.token not in output


def test_an_ingest_during_a_pulls_fetch_does_not_wait_and_both_are_stored(studio_env, sdk, tmp_path: Path) -> None:
    """Issue 42, item 4: a pull holds no lock while it talks to the server. A pull stopped in the
    middle of its fetch (after its first task) lets an ingest with no patience for the lock
    (NEWSGOLD_LOCK_TIMEOUT=0) through; the pull then stores its annotation beside the new document."""
    import os
    import subprocess
    import sys
    import time

    corpus = _corpus(tmp_path)
    project_id = push(corpus, connect()).project_id
    sdk.annotations.create(id=_tasks(sdk, project_id)["e1"], result=set_to_results(_e1_content(corpus), corpus.scheme),
                           completed_by=_user(sdk, "lee").id)
    mark = tmp_path / "fetching"
    command = [sys.executable, "-m", "newsgold", "studio", "pull", "--corpus", str(corpus.root)]
    puller = subprocess.Popen(command, env={**os.environ, "NEWSGOLD_TEST_PAUSE": f"fetching:{mark}"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not mark.exists() and puller.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mark.exists(), puller.communicate()
        article = tmp_path / "late.txt"
        article.write_text("A late article arrives while the pull is fetching.\n")
        ingested = subprocess.run([sys.executable, "-m", "newsgold", "ingest", str(article), "--corpus",
                                   str(corpus.root)], env={**os.environ, "NEWSGOLD_LOCK_TIMEOUT": "0"},
                                  capture_output=True, text=True, timeout=60)
        assert ingested.returncode == 0, ingested.stderr
        assert puller.poll() is None  # still fetching: the ingest did not wait for it
    finally:
        mark.unlink(missing_ok=True)
    out, err = puller.communicate(timeout=120)
    assert puller.returncode == 0, (out, err)
    stored = Corpus.open(corpus.root)
    assert "late" in {d.id for d in stored.iter_documents()}
    assert [(s.doc_id, s.origin.source) for s in stored.iter_annotation_sets()] == [("e1", "label-studio")]
    assert validate(stored.root).ok
