"""Push documents to a Label Studio project and pull annotations back, safely and repeatably.

Every task carries `doc_id` and `doc_sha256`, so the document <-> task mapping is rebuilt from the
server on each run and pushing twice creates nothing twice. Corpus files are written once, at the
end, in one transaction: a failure or an interrupt part-way leaves them exactly as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from label_studio_sdk.label_interface import LabelInterface

from newsgold._io import Transaction, count_newlines, iter_jsonl_lines, regular_file
from newsgold.corpus.checks import check_set
from newsgold.corpus.lock import writes_corpus
from newsgold.corpus.problems import record_error
from newsgold.corpus.store import Corpus, DocumentIndex, record_line
from newsgold.errors import ConfigChangeError, StudioError, UsageError
from newsgold.studio.client import Studio
from newsgold.formats.labelstudio.config import label_config
from newsgold.formats.labelstudio.convert import document_task, is_json_int, results_to_content, set_to_results
from newsgold.formats.labelstudio.state import ProjectState, StudioState, load_state, stage_state
from newsgold.schemas.annotation import AnnotationSet, Origin, content_fingerprint, is_annotator_id

__all__ = ["PushReport", "PullReport", "StatusReport", "push", "pull", "status", "Progress"]

Progress = Callable[[int, int], None]
"""Called with (done, total) as work proceeds."""

PAGE_SIZE = 100


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value if isinstance(value, str) else None


def _field(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


# Projects -------------------------------------------------------------------------------------

def _find_project(studio: Studio, state: StudioState, project_id: int | None, title: str | None,
                  corpus: Corpus) -> Any | None:
    sdk = studio.sdk
    if project_id is not None:
        return studio.call(f"read project {project_id}", sdk.projects.get, id=project_id)
    if title is None and state.default_project is not None:
        try:
            return studio.call(f"read project {state.default_project}", sdk.projects.get,
                               id=state.default_project)
        except StudioError as exc:
            if "404" not in str(exc):
                raise
    wanted = title or corpus.name
    projects: list[Any] = studio.call("list projects", lambda: list(sdk.projects.list(title=wanted)))
    found = [p for p in projects if p.title == wanted]
    if len(found) > 1:
        ids = ", ".join(str(p.id) for p in found)
        raise UsageError(f"several Label Studio projects are titled {wanted!r} ({ids}); pass --project ID")
    return found[0] if found else None


def _control_labels(config: str) -> set[tuple[str, str]]:
    interface = LabelInterface(config)
    return {(name, label) for name, control in interface._controls.items()
            for label in (control.labels or [])}


def _ensure_config(studio: Studio, project: Any, config: str) -> bool:
    """Update the project's config if it differs; refuse if existing results use what it removes."""
    current = project.label_config or ""
    if current.strip() == config.strip():
        return False
    removed = _control_labels(current) - _control_labels(config) if current else set()
    if removed:
        used = _used_labels(studio, project.id) & removed
        if used:
            names = ", ".join(f"{label} ({control})" for control, label in sorted(used))
            raise ConfigChangeError(
                f"project {project.id} has annotations or predictions that use {names}, which the "
                "corpus scheme no longer has: updating its labeling config would orphan them. Restore "
                "them in the scheme, or push to a new project with --title")
    studio.call(f"update the labeling config of project {project.id}", studio.sdk.projects.update,
                id=project.id, label_config=config)
    return True


def _used_labels(studio: Studio, project_id: int) -> set[tuple[str, str]]:
    """(control, label or choice) pairs used by any annotation or prediction of the project."""
    used = set()
    for task in _iter_tasks(studio, project_id, fields="all"):
        for item in list(task.annotations or []) + list(task.predictions or []):
            for result in _field(item, "result") or []:
                value = result.get("value") or {}
                for key in ("labels", "choices"):
                    for label in value.get(key) or []:
                        used.add((result.get("from_name"), label))
    return used


def _iter_tasks(studio: Studio, project_id: int, *, fields: str, since: str | None = None,
                on_total: Callable[[int], None] | None = None) -> Iterator[Any]:
    """Stream the tasks of a project page by page (`since`: only those updated after it)."""
    query = None
    if since is not None:
        query = json.dumps({"filters": {"conjunction": "and", "items": [{
            "filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime",
            "value": since}]}})
    page_size = PAGE_SIZE if fields == "all" else 10 * PAGE_SIZE
    page = 1
    while True:
        response: Any = studio.call(
            f"list tasks of project {project_id}",
            lambda page=page: studio.sdk.tasks.list(project=project_id, fields=fields, page=page,
                                                    page_size=page_size, query=query))
        items = list(response.items or [])
        total = getattr(getattr(response, "response", None), "total", None)
        if page == 1 and on_total is not None:
            on_total(total if total is not None else len(items))
        yield from items
        if len(items) < page_size or (total is not None and page * page_size >= total):
            return
        page += 1


def _task_map(studio: Studio, project_id: int) -> dict[str, tuple[int, str]]:
    mapping = {}
    for task in _iter_tasks(studio, project_id, fields="task_only"):
        data = task.data or {}
        if isinstance(data.get("doc_id"), str):
            mapping[data["doc_id"]] = (task.id, str(data.get("doc_sha256")))
    return mapping


# Push -----------------------------------------------------------------------------------------

@dataclass
class PushReport:
    """What `push` did."""

    project_id: int
    project_title: str
    created_project: bool = False
    config_updated: bool = False
    imported: list[str] = field(default_factory=list)
    already_present: int = 0
    text_changed: list[str] = field(default_factory=list)
    predictions: int = 0
    prediction_errors: list[str] = field(default_factory=list)


@writes_corpus
def push(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
         predictions: str = "none", batch_size: int = 5000,
         progress: Progress | None = None) -> PushReport:
    """Create or update the project and import a task for every document not yet in it.

    `predictions` is `none`, `gold`, or an annotator id: those sets are sent as predictions of
    the new tasks, each checked against the config first. Documents whose text changed since they
    were pushed are reported in `text_changed`, not re-imported.
    """
    if predictions not in ("none", "gold") and not any(
            s.annotator == predictions for s in corpus.iter_annotation_sets()):
        raise UsageError(f"no annotation sets of {predictions!r} to send as predictions "
                         "(use gold, none, or an annotator id from `newsgold stats`)")
    state = load_state(corpus.state_dir)
    config = label_config(corpus.scheme)
    project = _find_project(studio, state, project_id, title, corpus)
    report_title = title or (project.title if project is not None else corpus.name)
    created = False
    if project is None:
        project = studio.call(f"create project {report_title!r}", studio.sdk.projects.create,
                              idempotent=False, title=report_title, label_config=config,
                              description=f"newsgold corpus {corpus.name}")
        created = True
    if project.id is None:  # pragma: no cover - the SDK types every id as optional
        raise StudioError(f"Label Studio returned project {report_title!r} without an id")
    report = PushReport(project_id=project.id, project_title=project.title or report_title,
                        created_project=created)
    if not created:
        report.config_updated = _ensure_config(studio, project, config)

    empty = created or getattr(project, "task_number", None) == 0
    existing = {} if empty else _task_map(studio, project.id)
    interface = LabelInterface(config) if predictions != "none" else None
    total = sum(count_newlines(path) for path in corpus.document_paths())
    with _prediction_source(corpus, predictions) as prediction_for:
        batch: list[dict[str, Any]] = []
        for done, document in enumerate(corpus.iter_documents(), 1):
            known = existing.get(document.id)
            if known is not None:
                if known[1] != document.sha256:
                    report.text_changed.append(document.id)
                else:
                    report.already_present += 1
            else:
                task: dict[str, Any] = {"data": document_task(document)}
                annotation_set = prediction_for(document.id)
                if annotation_set is not None and interface is not None:
                    _attach_prediction(task, annotation_set, document.sha256, predictions, interface,
                                       corpus, report)
                batch.append(task)
            if len(batch) >= batch_size:
                _import_batch(studio, project.id, batch)
                report.imported.extend(t["data"]["doc_id"] for t in batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            _import_batch(studio, project.id, batch)
            report.imported.extend(t["data"]["doc_id"] for t in batch)
        if progress:
            progress(total, total)

    state.default_project = project.id
    previous = state.projects.get(str(project.id))
    state.projects[str(project.id)] = ProjectState(
        title=report.project_title, pull_cursor=previous.pull_cursor if previous else None)
    with Transaction() as txn:
        stage_state(corpus.state_dir, state, txn)
    return report


def _import_batch(studio: Studio, project_id: int, batch: list[dict[str, Any]]) -> None:
    """Import a batch; after a transient failure, import only the tasks that did not land."""
    try:
        studio.call(f"import {len(batch)} tasks into project {project_id}", studio.sdk.projects.import_tasks,
                    idempotent=False, id=project_id, request=batch)
    except StudioError as first_failure:
        try:
            landed = _task_map(studio, project_id)
        except StudioError:
            raise first_failure from None
        missing = [t for t in batch if t["data"]["doc_id"] not in landed]
        if missing:
            studio.call(f"import {len(missing)} tasks into project {project_id}",
                        studio.sdk.projects.import_tasks, idempotent=False, id=project_id, request=missing)


def _attach_prediction(task: dict[str, Any], annotation_set: Any, doc_sha256: str, source: str,
                       interface: LabelInterface, corpus: Corpus, report: PushReport) -> None:
    doc_id = task["data"]["doc_id"]
    if annotation_set.doc_sha256 != doc_sha256:
        report.prediction_errors.append(f"{doc_id}: the {source} set was made on another text")
        return
    results = set_to_results(annotation_set, corpus.scheme)
    errors = interface.validate_prediction({"result": results}, return_errors=True)
    if errors:
        report.prediction_errors.append(f"{doc_id}: {'; '.join(map(str, errors))[:300]}")
        return
    task["predictions"] = [{"model_version": f"newsgold:{source}", "result": results}]
    report.predictions += 1


@contextmanager
def _prediction_source(corpus: Corpus, source: str) -> Iterator[Callable[[str], Any]]:
    """Yield doc_id -> the set to send as prediction (or None), read on demand by byte offset."""
    if source == "none":
        yield lambda doc_id: None
        return
    if source == "gold":
        offsets = corpus.gold_offsets()
        with corpus.gold_reader() as read_gold:
            yield lambda doc_id: next(iter(read_gold(offsets.get(doc_id, []))), None)
        return
    offsets = corpus.annotation_offsets()
    with corpus.set_reader() as read_sets:
        yield lambda doc_id: next((s for s in read_sets(offsets.get(doc_id, [])) if s.annotator == source), None)


# Pull -----------------------------------------------------------------------------------------

@dataclass
class PullReport:
    """What `pull` did, and what it did not store and why."""

    project_id: int
    tasks_seen: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cursor: str | None = None

    @property
    def ok(self) -> bool:
        """False when something was not stored: a conflict or a rejected annotation."""
        return not self.conflicts and not self.rejected


@dataclass
class _LocalSet:
    line: int
    key: tuple[str, str]
    project_id: int | None
    task_id: int | None
    annotation_id: int | None
    edited: bool
    version: tuple[str | None, str | None, str] = (None, None, "")


def _local_sets(corpus: Corpus) -> list[_LocalSet]:
    found = []
    for number, annotation_set in _numbered_sets(corpus):
        origin = annotation_set.origin
        edited = (origin.content_sha256 is not None
                  and origin.content_sha256 != content_fingerprint(annotation_set))
        from_studio = origin.source == "label-studio"
        found.append(_LocalSet(
            line=number, key=annotation_set.key,
            project_id=origin.project_id if from_studio else None,
            task_id=origin.task_id if from_studio else None,
            annotation_id=origin.annotation_id if from_studio else None,
            edited=edited or (not from_studio),
            version=_version(annotation_set)))
    return found


def _numbered_sets(corpus: Corpus) -> Iterator[tuple[int, AnnotationSet]]:
    if not regular_file(corpus.annotations_path):
        return
    for number, _, raw in iter_jsonl_lines(corpus.annotations_path):
        try:
            yield number, AnnotationSet.model_validate_json(raw)
        except ValidationError as exc:
            raise record_error(corpus.annotations_path, number, exc, raw, "doc_id", "annotator") from None


@writes_corpus
def pull(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
         since_last: bool = False, keep_identities: bool = False,
         progress: Progress | None = None) -> PullReport:
    """Fetch submitted annotations and store each as an annotation set of the corpus.

    Idempotent; edits and deletions in Label Studio update or remove their sets. A local set that
    changed since its last pull, or that did not come from Label Studio, is never overwritten: it
    is reported in `conflicts`. Regions whose offsets cannot be proven reject their annotation
    (`rejected`). With `since_last`, only tasks updated since the last complete pull are fetched.
    """
    state = load_state(corpus.state_dir)
    project = _find_project(studio, state, project_id, title, corpus)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; run "
                         "`newsgold studio push` first, or pass --project ID")
    project_state = state.projects.get(str(project.id)) or ProjectState(title=project.title)
    since = project_state.pull_cursor if since_last else None
    report = PullReport(project_id=project.id)
    users = {u.id: u.email for u in studio.call("list users", lambda: list(studio.sdk.users.list()))}
    index = corpus.document_index()

    local = _local_sets(corpus)
    by_annotation: dict[int | None, _LocalSet] = {
        s.annotation_id: s for s in local if s.project_id == project.id and s.annotation_id}
    by_key = {s.key: s for s in local}
    updates: dict[int, AnnotationSet] = {}      # local line -> new version
    removals: set[int] = set()                  # local lines to drop
    additions: list[AnnotationSet] = []
    seen_tasks: set[int] = set()
    newest = since

    total = [0]
    tasks = _iter_tasks(studio, project.id, fields="all", since=since,
                        on_total=lambda n: total.__setitem__(0, n))
    for done, task in enumerate(tasks, 1):
        report.tasks_seen += 1
        seen_tasks.add(task.id)
        task_updated = _iso(task.updated_at)
        if task_updated and (newest is None or task_updated > newest):
            newest = task_updated
        live = _pull_task(task, corpus, index, project.id, users, state, keep_identities, report)
        live_ids = set()
        for annotation_set in live:
            origin = annotation_set.origin
            live_ids.add(origin.annotation_id)
            mine = by_annotation.get(origin.annotation_id)
            where = f"task {task.id} annotation {origin.annotation_id} ({annotation_set.doc_id}/{annotation_set.annotator})"
            if mine is not None:
                if mine.edited:
                    report.conflicts.append(f"{where}: the local set at {corpus.annotations_path}:{mine.line} "
                                            "was edited since it was pulled; not overwritten")
                elif mine.key == annotation_set.key and mine.version == _version(annotation_set):
                    report.unchanged += 1
                else:
                    updates[mine.line] = annotation_set
                    report.updated.append(where)
                continue
            other = by_key.get(annotation_set.key)
            if other is not None and other.line not in removals:
                report.conflicts.append(f"{where}: {corpus.annotations_path}:{other.line} already holds a set "
                                        "of this annotator for this document that did not come from it")
                continue
            additions.append(annotation_set)
            by_key[annotation_set.key] = _LocalSet(-1, annotation_set.key, project.id, task.id,
                                                   origin.annotation_id, False)
            report.added.append(where)
        for mine in local:
            if mine.project_id == project.id and mine.task_id == task.id and mine.annotation_id not in live_ids:
                if _still_there(task, mine.annotation_id):
                    continue  # present but not storable (rejected, cancelled with a report)
                _remove(mine, corpus, removals, report, f"task {task.id} annotation {mine.annotation_id}")
        if progress:
            progress(done, total[0])
    if not since_last:
        for mine in local:
            if mine.project_id == project.id and mine.task_id not in seen_tasks:
                _remove(mine, corpus, removals, report, f"task {mine.task_id} (deleted)")

    if report.ok:
        report.cursor = newest
        project_state.pull_cursor = newest
    else:
        report.cursor = project_state.pull_cursor
    project_state.title = project.title
    state.projects[str(project.id)] = project_state
    if state.default_project is None:
        state.default_project = project.id
    with Transaction() as txn:
        if updates or removals or additions:
            txn.write_lines(corpus.annotations_path,
                            _merged_lines(corpus, updates, removals, additions))
        stage_state(corpus.state_dir, state, txn)
    return report


def _still_there(task: Any, annotation_id: int | None) -> bool:
    for annotation in task.annotations or []:
        if _field(annotation, "id") == annotation_id and not _field(annotation, "was_cancelled"):
            return True
    return False


def _remove(mine: _LocalSet, corpus: Corpus, removals: set[int], report: PullReport, where: str) -> None:
    if mine.edited:
        report.conflicts.append(f"{where}: deleted in Label Studio, but the local set at "
                                f"{corpus.annotations_path}:{mine.line} was edited since it was pulled; kept")
        return
    removals.add(mine.line)
    report.removed.append(f"{where} ({mine.key[0]}/{mine.key[1]})")


def _version(annotation_set: AnnotationSet) -> tuple[str | None, str | None, str]:
    origin = annotation_set.origin
    return (origin.updated_at, origin.content_sha256, annotation_set.doc_sha256)


def _merged_lines(corpus: Corpus, updates: dict[int, AnnotationSet], removals: set[int],
                  additions: list[AnnotationSet]) -> Iterator[bytes]:
    if corpus.annotations_path.is_file():
        for number, _, raw in iter_jsonl_lines(corpus.annotations_path):
            if number in removals:
                continue
            if number in updates:
                yield record_line(updates[number])
            else:
                yield raw if raw.endswith(b"\n") else raw + b"\n"
    for annotation_set in additions:
        yield record_line(annotation_set)


def _pull_task(task: Any, corpus: Corpus, index: DocumentIndex, project_id: int, users: dict[int, str],
               state: StudioState, keep_identities: bool, report: PullReport) -> list[AnnotationSet]:
    data = task.data if isinstance(task.data, dict) else {}
    doc_id, doc_sha256 = data.get("doc_id"), data.get("doc_sha256")
    annotations = list(task.annotations or [])
    for draft in task.drafts or []:
        report.drafts.append(f"task {task.id} draft {_field(draft, 'id')} (not submitted: not pulled)")
    if not isinstance(doc_id, str):
        if annotations:
            report.warnings.append(f"task {task.id} has no doc_id: it was not pushed by newsgold; skipped")
        return []
    if doc_id not in index:
        report.warnings.append(f"task {task.id}: document {doc_id} is not in the corpus; skipped")
        return []
    if index.sha256(doc_id) != doc_sha256:
        report.warnings.append(f"task {task.id}: document {doc_id} changed since it was pushed; "
                               "its annotations were made on the old text and are not pulled")
        return []
    text = index.read_text(doc_id)
    pulled = []
    for annotation in annotations:
        annotation_id = _field(annotation, "id")
        if _field(annotation, "was_cancelled"):
            report.skipped.append(f"task {task.id} annotation {annotation_id} (skipped by the annotator)")
            continue
        user_id = _field(annotation, "completed_by")
        email = users.get(user_id) if isinstance(user_id, int) else None
        annotator = (email if keep_identities and email else state.pseudonym(email, user_id))
        where = f"task {task.id} annotation {annotation_id} ({doc_id})"
        if not is_json_int(annotation_id):
            report.rejected.append(f"{where}: Label Studio sent no integer annotation id; nothing "
                                   "of this annotation was stored")
            continue
        if not is_annotator_id(annotator):
            report.rejected.append(f"{where}: the e-mail {annotator!r} cannot be an annotator id "
                                   "(letters, digits and . _ @ + - only); pull without "
                                   "--keep-identities to store a pseudonym")
            continue
        converted = results_to_content(_field(annotation, "result") or [], text, corpus.scheme)
        if converted.errors:
            for error in converted.errors:
                report.rejected.append(f"{where} region {error.region_id}: {error.message}; "
                                       "nothing of this annotation was stored")
            continue
        report.warnings.extend(f"{where}: {w}" for w in converted.warnings)
        content = dict(doc_id=doc_id, doc_sha256=doc_sha256, spans=converted.spans,
                       relations=converted.relations, stance=converted.stance, attrs=converted.attrs)
        draft_set = AnnotationSet(annotator=annotator, origin=Origin(source="label-studio"), **content)
        findings = check_set(draft_set, text, corpus.scheme)
        if findings:
            details = "; ".join(f"[{f.rule}] {f.field}: {f.message}" for f in findings[:5])
            report.rejected.append(f"{where}: breaks the scheme ({details}); fix it in Label Studio")
            continue
        origin = Origin(source="label-studio", project_id=project_id, task_id=task.id,
                        annotation_id=annotation_id, ground_truth=bool(_field(annotation, "ground_truth")),
                        created_at=_iso(_field(annotation, "created_at")),
                        updated_at=_iso(_field(annotation, "updated_at")),
                        content_sha256=content_fingerprint(draft_set))
        pulled.append(draft_set.model_copy(update={"origin": origin}))
    return pulled


# Status ---------------------------------------------------------------------------------------

@dataclass
class StatusReport:
    """Progress of a project: tasks, per-annotator counts, documents with disagreements."""

    project_id: int
    project_title: str
    tasks: int = 0
    annotated_tasks: int = 0
    annotated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)


def status(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
           keep_identities: bool = False) -> StatusReport:
    """Summarize a project; documents whose annotators labelled different spans are disagreements."""
    state = load_state(corpus.state_dir)
    project = _find_project(studio, state, project_id, title, corpus)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; pass --project ID")
    users = {u.id: u.email for u in studio.call("list users", lambda: list(studio.sdk.users.list()))}
    report = StatusReport(project_id=project.id, project_title=project.title)
    for task in _iter_tasks(studio, project.id, fields="all"):
        report.tasks += 1
        span_sets = []
        for annotation in task.annotations or []:
            user_id = _field(annotation, "completed_by")
            email = users.get(user_id)
            who = email if keep_identities and email else state.pseudonym(email, user_id)
            bucket = report.skipped if _field(annotation, "was_cancelled") else report.annotated
            bucket[who] = bucket.get(who, 0) + 1
            if not _field(annotation, "was_cancelled"):
                span_sets.append(frozenset(
                    (r["value"].get("start"), r["value"].get("end"), tuple(r["value"].get("labels", [])))
                    for r in _field(annotation, "result") or [] if r.get("type") == "labels"))
        if span_sets:
            report.annotated_tasks += 1
        if len(set(span_sets)) > 1:
            report.disagreements.append(str((task.data or {}).get("doc_id", f"task {task.id}")))
    return report

