"""Push documents to a Label Studio project: one task per document, optionally with predictions.

Every task carries `doc_id` and `doc_sha256`, so the document <-> task mapping is rebuilt from the
server on each run and pushing twice creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from label_studio_sdk.label_interface import LabelInterface

from newsgold._io import count_newlines
from newsgold.corpus.outcomes import Notice, Report
from newsgold.corpus.records import GOLD_SET
from newsgold.corpus.pseudonyms import Pseudonyms, read_pseudonyms, stage_pseudonyms
from newsgold.corpus.store import Corpus, Source, check_corpus
from newsgold.corpus.write import corpus_write
from newsgold.errors import StudioError, UsageError
from newsgold.formats.labelstudio.config import label_config
from newsgold.formats.labelstudio.convert import document_task, set_to_results
from newsgold.formats.labelstudio.state import ProjectState, load_state, stage_state
from newsgold.studio.client import Studio
from newsgold import _progress as shown_progress
from newsgold.studio.projects import attribute, ensure_config, find_project, project_description, task_map

__all__ = ["PushReport", "push"]


@dataclass
class PushReport(Report):
    """What `push` did."""

    project_id: int
    project_title: str
    created_project: bool = False
    config_updated: bool = False
    imported: list[str] = field(default_factory=list)
    already_present: int = 0
    text_changed: list[str] = field(default_factory=list)
    predictions: int = 0
    """Predictions sent: with new tasks, or added to tasks already in the project."""
    predictions_updated: int = 0
    """Predictions of this source that tasks already had and that changed: replaced."""
    predictions_unchanged: int = 0
    prediction_errors: list[Notice] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    """What the user should know, such as a project found by title that another corpus made."""
    overlap: int = 1
    """How many annotators each document goes to (the project's `maximum_annotations`)."""
    overlap_changed: bool = False
    order: str = "corpus"
    """The order the new tasks were imported in, which Label Studio's labeling stream serves them in:
    `corpus` (the corpus's order) or `uncertain` (least confident suggestions first)."""
    sampling_changed: bool = False
    """The project's task sampling was set back to sequential (so that the stream follows that order)."""


ORDERS = ("corpus", "uncertain")
SEQUENTIAL = "Sequential sampling"


def confidence(annotation_set: Any) -> float:
    """How sure the suggestions of a set are, 0-1: the mean score of its spans, a span without a
    score (from string matching or rules) counting as 1; a set with no span, 0 (nothing suggested:
    all the work is left). The `score` of its prediction, which `order="uncertain"` ranks by."""
    scores = [1.0 if span.score is None else span.score for span in annotation_set.spans]
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def push(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
         set_name: str | None = None, batch_size: int = 5000, overlap: int | None = None,
         order: str = "corpus") -> PushReport:
    """Create or update the project and import a task for every document not yet in it.

    `set_name` is None (no predictions), `GOLD_SET` ("gold": the gold), or the name (annotator id)
    of annotation sets: those are sent as predictions (Label Studio's pre-annotations), each
    checked against the config first: with the new tasks, and onto the tasks already in the
    project. A task's prediction from the same source (`model_version` `newsgold:SOURCE`) is
    replaced when it changed and left alone when it did not, so pushing again never duplicates one.
    Documents whose text changed since they were pushed are reported in `text_changed`, not
    re-imported.

    `overlap` k gives every document to k annotators: the project's `maximum_annotations`, for all
    of its tasks, which Label Studio Community's labeling stream enforces. It serves a task to no
    one once k annotators have submitted it (or hold it open, under a lock), never to the same
    annotator twice, and tasks already begun by others first, so that documents are finished before
    new ones are started. It does not balance the annotators: whoever labels more gets more
    (`status` shows each one's count). None leaves the project's setting as it is (1 for a new
    project: each document to one annotator).
    `order` is the order of the new tasks, which Label Studio's labeling stream serves them in
    (its sequential sampling: first task first, the next annotator getting the next task that no one
    holds open): `corpus`, the corpus's; `uncertain`, the documents whose suggestions (the sets of
    `set_name`) are least `confidence`-nt first, so that annotators start where the suggestions help
    least. Tasks already in the project keep their place. A project set to another sampling in
    Label Studio is set back to sequential (reported). Label Studio's own uncertainty sampling is
    not used: in Community it picks at random once an organization has more than one member.

    The corpus lock is held only to record the project at the end: an ingest or a suggest started
    while a push talks to the server does not wait for it.
    """
    _check_request(corpus, set_name, overlap, order)
    pseudonyms = read_pseudonyms(corpus.state_dir, corpus.annotations_path)
    config = label_config(corpus.scheme)
    project, report = _project(corpus, studio, project_id, title, pseudonyms, config)
    _settle_project(studio, project, report, overlap, order)
    _send_tasks(corpus, studio, project, report, set_name, order, batch_size,
                LabelInterface(config) if set_name is not None else None)
    if set_name is not None and (report.predictions or report.predictions_updated or report.predictions_unchanged):
        _show_predictions(studio, project, prediction_version(set_name))
    _record(corpus, project.id, report.project_title, pseudonyms)
    return report


def _check_request(corpus: Corpus, set_name: str | None, overlap: int | None, order: str) -> None:
    """UsageError for a request push cannot carry out, before the server is asked anything."""
    check_corpus(corpus)
    if overlap is not None and overlap < 1:
        raise UsageError(f"overlap={overlap}: give each document to at least 1 annotator")
    if order not in ORDERS:
        raise UsageError(f"order={order!r} is not one of: {', '.join(ORDERS)}")
    if order == "uncertain" and set_name in (None, GOLD_SET):
        raise UsageError("order='uncertain' ranks documents by the confidence of their predictions: pass "
                         "set_name= a suggestion set (for example the sets of `newsgold suggest`)")
    if set_name not in (None, GOLD_SET) and not any(
            s.annotator == set_name for s in corpus.iter_annotation_sets()):
        raise UsageError(f"set_name={set_name!r}: no annotation sets of that name to send as predictions "
                         "(use gold, or an annotator id from `newsgold stats`)")


def _project(corpus: Corpus, studio: Studio, project_id: int | None, title: str | None, pseudonyms: Pseudonyms,
             config: str) -> tuple[Any, PushReport]:
    """The corpus's project, found or made (its labeling page brought up to date), and the report begun."""
    found_warnings: list[Notice] = []
    project = find_project(studio, load_state(corpus.state_dir), pseudonyms, project_id, title, corpus,
                           found_warnings)
    report_title = title or (project.title if project is not None else corpus.name)
    created = False
    if project is None:
        project = studio.call(f"create project {report_title!r}", studio.sdk.projects.create,
                              idempotent=False, title=report_title, label_config=config,
                              description=project_description(corpus.name, pseudonyms.corpus_key))
        created = True
    if project.id is None:  # pragma: no cover - the SDK types every id as optional
        raise StudioError(f"Label Studio returned project {report_title!r} without an id")
    report = PushReport(project_id=project.id, project_title=project.title or report_title,
                        created_project=created, warnings=found_warnings)
    if not created:
        report.config_updated = ensure_config(studio, project, config)
    return project, report


def _settle_project(studio: Studio, project: Any, report: PushReport, overlap: int | None, order: str) -> None:
    """Set the project's overlap and, for `uncertain`, its sequential sampling, reporting changes."""
    report.overlap = int(getattr(project, "maximum_annotations", None) or 1)
    if overlap is not None and (report.overlap != overlap or getattr(project, "overlap_cohort_percentage", 100) != 100):
        studio.call(f"set project {project.id} to {overlap} annotators a document", studio.sdk.projects.update,
                    id=project.id, maximum_annotations=overlap, overlap_cohort_percentage=100)
        report.overlap, report.overlap_changed = overlap, True
    report.order = order
    if order == "uncertain" and (getattr(project, "sampling", None) or SEQUENTIAL) != SEQUENTIAL:
        studio.call(f"set project {project.id} to serve tasks in order", studio.sdk.projects.update,
                    id=project.id, sampling=SEQUENTIAL)
        report.sampling_changed = True


def _send_tasks(corpus: Corpus, studio: Studio, project: Any, report: PushReport, set_name: str | None, order: str,
                batch_size: int, interface: LabelInterface | None) -> None:
    """Import a task (with its prediction) for every document not in the project yet, in batches,
    and send predictions onto the tasks already there; a document whose text changed is reported."""
    empty = report.created_project or getattr(project, "task_number", None) == 0
    existing = {} if empty else task_map(studio, project.id)
    total = sum(count_newlines(path) for path in corpus.document_paths())
    onto_existing: list[tuple[int, dict[str, Any]]] = []
    with _prediction_source(corpus, set_name) as prediction_for, \
            shown_progress.task("studio push", total, "documents") as bar:
        batch: list[dict[str, Any]] = []
        for document in _documents(corpus, order, set_name):
            bar.advance()
            known = existing.get(document.id)
            annotation_set = prediction_for(document.id) if interface is not None else None
            prediction = (_prediction(document_task(document), annotation_set, document.sha256, set_name, interface,
                                      corpus, report)
                          if annotation_set is not None and interface is not None and
                          (known is None or known[1] == document.sha256) else None)
            if known is not None:
                if known[1] != document.sha256:
                    report.text_changed.append(document.id)
                    continue
                report.already_present += 1
                if prediction is not None:
                    onto_existing.append((known[0], prediction))
                continue
            task: dict[str, Any] = {"data": document_task(document)}
            if prediction is not None:
                task["predictions"] = [prediction]
                report.predictions += 1
            batch.append(task)
            if len(batch) >= batch_size:
                _import_batch(studio, project.id, batch)
                report.imported.extend(t["data"]["doc_id"] for t in batch)
                batch = []
        if batch:
            _import_batch(studio, project.id, batch)
            report.imported.extend(t["data"]["doc_id"] for t in batch)
    if onto_existing:
        _refresh_predictions(studio, project.id, onto_existing, report)


def _record(corpus: Corpus, project_id: int, title: str, pseudonyms: Pseudonyms) -> None:
    """Remember the project (the default from now on) and the pseudonym salt its key was made with,
    holding the corpus lock only now: the talk with the server above locks nothing, and what a pull
    recorded meanwhile (its cursor, its conflicts) is read again under the lock and kept."""
    with corpus_write(corpus, "push") as write:
        stored = read_pseudonyms(corpus.state_dir, corpus.annotations_path)
        if stored.stored and stored.corpus_key != pseudonyms.corpus_key:
            raise UsageError("another newsgold command stored this corpus's pseudonym salt while this push ran; "
                             "push again (nothing was recorded)")
        state = load_state(corpus.state_dir)
        state.default_project = project_id
        previous = state.projects.get(str(project_id))
        state.projects[str(project_id)] = ProjectState(
            title=title, pull_cursor=previous.pull_cursor if previous else None,
            conflicts=previous.conflicts if previous else [])
        stage_pseudonyms(corpus.state_dir, pseudonyms, write.txn)
        stage_state(corpus.state_dir, state, write.txn)


def _documents(corpus: Corpus, order: str, set_name: str | None) -> Iterator[Any]:
    """The corpus's documents in `order`: as stored, or by the confidence of their `set_name`
    suggestions, least first (ties, and documents without a set, which count as 0, in corpus order).
    Only ids and scores are held, never the texts."""
    if order == "corpus":
        yield from corpus.iter_documents()
        return
    ranked: dict[str, float] = {}
    for annotation_set in corpus.iter_annotation_sets():
        if annotation_set.annotator == set_name:
            ranked[annotation_set.doc_id] = confidence(annotation_set)
    position = {document.id: n for n, document in enumerate(corpus.iter_documents())}
    index = corpus.document_index()
    for doc_id in sorted(position, key=lambda d: (ranked.get(d, 0.0), position[d])):
        yield index.read_document(doc_id)


def _import_batch(studio: Studio, project_id: int, batch: list[dict[str, Any]]) -> None:
    """Import a batch; after a transient failure, import only the tasks that did not land."""
    try:
        studio.call(f"import {len(batch)} tasks into project {project_id}", studio.sdk.projects.import_tasks,
                    idempotent=False, id=project_id, request=batch)
    except StudioError as first_failure:
        try:
            landed = task_map(studio, project_id)
        except StudioError:
            raise first_failure from None
        missing = [t for t in batch if t["data"]["doc_id"] not in landed]
        if missing:
            studio.call(f"import {len(missing)} tasks into project {project_id}",
                        studio.sdk.projects.import_tasks, idempotent=False, id=project_id, request=missing)


def _prediction(data: dict[str, Any], annotation_set: Any, doc_sha256: str, source: str | None,
                interface: LabelInterface, corpus: Corpus, report: PushReport) -> dict[str, Any] | None:
    """The prediction of `annotation_set` (read from the sets named `source`, never None when there
    is a set) for the task with `data`, or None (the reason reported)."""
    assert source is not None
    doc_id = data["doc_id"]
    if annotation_set.doc_sha256 != doc_sha256:
        report.prediction_errors.append(Notice("prediction-on-another-text", doc_id, params={"set_name": source}))
        return None
    results = set_to_results(annotation_set, corpus.scheme, data["text"], unlabel_implied=True)  # no type tags over words
    errors = interface.validate_prediction({"result": results}, return_errors=True)
    if errors:
        report.prediction_errors.append(Notice("prediction-invalid", doc_id, params={
            "errors": "; ".join(map(str, errors))[:300]}))
        return None
    return {"model_version": prediction_version(source), "result": results, "score": confidence(annotation_set)}


def prediction_version(set_name: str) -> str:
    """The `model_version` of the predictions sent from the sets named `set_name`."""
    return f"newsgold:{set_name}"


def _show_predictions(studio: Studio, project: Any, version: str) -> None:
    """Make `version` the project's model version, the predictions Label Studio draws in the labeling
    stream (Label All Tasks): a prediction added to a task that is already there does not set it, and
    the stream then draws none, though the task opened from the list shows them all."""
    if getattr(project, "model_version", None) != version or getattr(project, "show_collab_predictions", True) is False:
        studio.call(f"show the predictions {version} in project {project.id}", studio.sdk.projects.update,
                    id=project.id, model_version=version, show_collab_predictions=True)


def _refresh_predictions(studio: Studio, project_id: int, predictions: list[tuple[int, dict[str, Any]]],
                         report: PushReport) -> None:
    """Add each prediction to its existing task, replacing the task's earlier one of the same source."""
    earlier: dict[tuple[int, str], Any] = {}
    listed = studio.call(f"list predictions of project {project_id}",
                         lambda: list(studio.sdk.predictions.list(project=project_id)))
    for prediction in listed:
        earlier.setdefault((attribute(prediction, "task"), attribute(prediction, "model_version")), prediction)
    for task_id, prediction in predictions:
        before = earlier.get((task_id, prediction["model_version"]))
        if before is None:
            studio.call(f"add a prediction to task {task_id}", studio.sdk.predictions.create, idempotent=False,
                        task=task_id, result=prediction["result"], model_version=prediction["model_version"],
                        score=prediction["score"])
            report.predictions += 1
        elif attribute(before, "result") == prediction["result"] and attribute(before, "score") == prediction["score"]:
            report.predictions_unchanged += 1
        else:
            studio.call(f"replace prediction {attribute(before, 'id')} of task {task_id}",
                        studio.sdk.predictions.update, id=attribute(before, "id"), result=prediction["result"],
                        model_version=prediction["model_version"], score=prediction["score"])
            report.predictions_updated += 1


@contextmanager
def _prediction_source(corpus: Corpus, source: str | None) -> Iterator[Callable[[str], Any]]:
    """Yield doc_id -> the set to send as prediction (or None), read on demand by byte offset."""
    if source is None:
        yield lambda doc_id: None
        return
    kind: Source = "gold" if source == GOLD_SET else "annotations"
    offsets = corpus.offsets(kind)
    with corpus.reader(kind) as read:
        yield lambda doc_id: next((s for s in read(offsets.get(doc_id, []))
                                   if kind == "gold" or s.annotator == source), None)
