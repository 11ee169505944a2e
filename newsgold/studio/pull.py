"""Pull submitted annotations from a Label Studio project into the corpus's annotation sets.

This module fetches tasks and converts their annotations into candidate sets; what they do to the
local sets is decided by the write path (`newsgold.corpus.write`, reconciling as
`newsgold.corpus.reconcile` says). A pull fetches first, holding no lock, into a spool file (an
anonymous temporary file in the corpus's `.newsgold/`, gone with the process whatever happens);
then it takes the corpus lock only to reconcile and write. Corpus files are written once, at the
end, in one transaction: a failure or an interrupt part-way leaves them exactly as they were.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from newsgold._io import pause_point
from newsgold.corpus.boundaries import boundary_findings
from newsgold.corpus.outcomes import Notice, Report, SetOutcome
from newsgold.corpus.pseudonyms import Identity, read_pseudonyms
from newsgold.corpus.store import Corpus, DocumentIndex, check_corpus
from newsgold.corpus.write import CandidateComment, CandidateSet, CorpusWrite, corpus_write
from newsgold.errors import StudioError, UsageError
from newsgold.rules import RULES
from newsgold.formats.labelstudio.convert import is_json_int, note_comment, results_to_content
from newsgold.formats.labelstudio.state import ConflictRecord, ProjectState, load_state, stage_state
from newsgold.schemas.annotation import Origin
from newsgold.studio.client import Studio
from newsgold import _progress as shown_progress
from newsgold.studio.projects import (ExportedTask, attribute, find_project, iso_time, iter_exported_tasks, iter_tasks,
                                      user_emails)

__all__ = ["PullReport", "pull"]


@dataclass
class PullReport(Report):
    """What `pull` did to each set (`outcomes`: added, updated, removed, unchanged, conflict,
    rejected), and what it did not pull and why."""

    project_id: int
    tasks_seen: int = 0
    outcomes: list[SetOutcome] = field(default_factory=list)
    skipped: list[SetOutcome] = field(default_factory=list)
    """Annotations the annotator skipped (code `skipped`) and drafts (code `draft`): not pulled."""
    warnings: list[Notice] = field(default_factory=list)
    cursor: str | None = None
    backup_path: Path | None = None
    """Where the local sets that `replace` replaced or removed were kept, if any."""

    def of(self, status: str) -> list[SetOutcome]:
        """The outcomes of one status."""
        return [o for o in self.outcomes if o.status == status]

    @property
    def added(self) -> list[SetOutcome]:
        return self.of("added")

    @property
    def updated(self) -> list[SetOutcome]:
        return self.of("updated")

    @property
    def removed(self) -> list[SetOutcome]:
        return self.of("removed")

    @property
    def unchanged(self) -> int:
        return len(self.of("unchanged"))

    @property
    def conflicts(self) -> list[SetOutcome]:
        return self.of("conflict")

    @property
    def rejected(self) -> list[SetOutcome]:
        return self.of("rejected")

    @property
    def drafts(self) -> list[SetOutcome]:
        return [o for o in self.skipped if o.code == "draft"]

    @property
    def ok(self) -> bool:
        """False when something was not stored: a conflict or a rejected annotation."""
        return not self.conflicts and not self.rejected


def pull(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
         since_last: bool = False, keep_identities: bool = False, replace: bool = False,
         doc_ids: Collection[str] | None = None) -> PullReport:
    """Fetch submitted annotations and store each as an annotation set of the corpus.

    Idempotent; edits and deletions in Label Studio update or remove their sets. A local set that
    changed since its last pull, or that did not come from Label Studio, is never overwritten: it
    is a `conflict` outcome (remembered for `studio status`) unless `replace` (for every document,
    or only those of `doc_ids`): then Label Studio's version replaces it and the local set is kept in
    a backup file (`backup_path`); a document of `doc_ids` that is not in the corpus, or in no task of
    the pull, is a UsageError and nothing is pulled; `doc_ids` without `replace` is a UsageError. A local set of the same content (an import of
    the same annotation) is adopted, not doubled. Regions whose offsets cannot be proven reject
    their annotation. With `since_last`, only tasks updated since the last complete pull are fetched.
    """
    check_corpus(corpus)
    if doc_ids and not replace:
        raise UsageError("doc_ids= names the documents whose local edits replace=True gives up for Label "
                         "Studio's version: pass replace=True too")
    taken, take_all = frozenset(doc_ids or ()), replace and not doc_ids
    index = corpus.document_index()
    unknown = sorted(doc_id for doc_id in taken if doc_id not in index)
    if unknown:
        raise UsageError(f"doc_ids={', '.join(unknown)}: no such document in {corpus.root}; nothing was "
                         "pulled (`stats --output-format json` lists the document ids)")
    with tempfile.TemporaryFile(dir=corpus.state_dir if corpus.state_dir.is_dir() else corpus.root) as spool:
        fetched = _fetch(corpus, studio, project_id, title, since_last, keep_identities, spool)
        missing = sorted(taken - fetched.seen)
        if missing:
            raise UsageError(f"doc_ids={', '.join(missing)}: no task of project {fetched.project.id} "
                             f"{'updated since the last pull ' if since_last else ''}holds it; nothing was pulled")
        spool.seek(0)
        with corpus_write(corpus, "pull") as write:
            report = _store(write, fetched, _spooled_tasks(spool), since_last, keep_identities, taken, take_all)
    report.backup_path = write.backup_path
    return report


@dataclass
class _Fetched:
    """What the first half of a pull read from the server, before it takes the corpus lock."""

    project: Any
    report: PullReport
    users: dict[int, str]
    comments: dict[int, list[CandidateComment]]
    newest: str | None
    seen: set[str]


def _fetch(corpus: Corpus, studio: Studio, project_id: int | None, title: str | None, since_last: bool,
           keep_identities: bool, spool: IO[bytes]) -> _Fetched:
    """Find the project and write every task it sends to `spool` (one JSON line each), holding no
    lock: an ingest or a suggest started meanwhile does not wait for the network."""
    state = load_state(corpus.state_dir)
    pseudonyms = read_pseudonyms(corpus.state_dir, corpus.annotations_path)
    found_warnings: list[Notice] = []
    project = find_project(studio, state, pseudonyms, project_id, title, corpus, found_warnings)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; push first "
                         "(`push`), or name the project (project_id=)")
    project_state = state.projects.get(str(project.id)) or ProjectState(title=project.title)
    since = project_state.pull_cursor if since_last else None
    report = PullReport(project_id=project.id)
    report.warnings.extend(found_warnings)
    users = user_emails(studio)
    comments = _comments_by_annotation(studio, project.id, users, keep_identities, report)
    seen: set[str] = set()
    newest = since
    tasks = (iter_tasks(studio, project.id, fields="all", since=since)
             if since is not None else _all_tasks(studio, project.id))
    with shown_progress.task("studio pull: fetch", None, "tasks") as bar:
        for task in tasks:
            bar.advance()
            task_updated = iso_time(task.updated_at)
            if task_updated and (newest is None or task_updated > newest):
                newest = task_updated
            if isinstance(task.data, dict) and isinstance(task.data.get("doc_id"), str):
                seen.add(task.data["doc_id"])
            spool.write(orjson.dumps({"id": _plain(task.id), "data": _plain(task.data),
                                      "annotations": _plain(task.annotations), "drafts": _plain(task.drafts),
                                      "updated_at": _plain(task.updated_at)}) + b"\n")
            if len(seen) == 1:
                pause_point("fetching")
    return _Fetched(project, report, users, comments, newest, seen)


def _plain(value: Any) -> Any:
    """An SDK object (a pydantic model), or the plain data the SDK sometimes gives, as JSON values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _spooled_tasks(spool: IO[bytes]) -> Iterator[ExportedTask]:
    for line in spool:
        yield ExportedTask.of(orjson.loads(line))


def _store(write: CorpusWrite, fetched: _Fetched, tasks: Iterator[ExportedTask], since_last: bool,
           keep_identities: bool, taken: frozenset[str], take_all: bool) -> PullReport:
    """Reconcile the fetched tasks with the corpus and stage the result, under the corpus lock."""
    corpus, project, report = write.corpus, fetched.project, fetched.report
    state = load_state(corpus.state_dir)  # again, under the lock: a push may have recorded meanwhile
    project_state = state.projects.get(str(project.id)) or ProjectState(title=project.title)
    index = corpus.document_index()
    reconciler = write.sets.reconciler(project.id, lambda doc_id: take_all or doc_id in taken)
    with shown_progress.task("studio pull: store", None, "tasks") as bar:
        for task in tasks:
            bar.advance()
            report.tasks_seen += 1
            live = []
            for candidate in _pull_task(task, corpus, index, project.id, fetched.users, keep_identities, report,
                                        fetched.comments):
                prepared = write.sets.prepare(candidate)
                if not isinstance(prepared, SetOutcome):
                    _warn_incomplete(prepared, corpus, candidate.where, report)
                    live.append(prepared)
            present = {attribute(a, "id") for a in task.annotations or [] if not attribute(a, "was_cancelled")}
            reconciler.task(task.id, live, present)
    write.sets.apply(reconciler.finish(complete=not since_last))
    report.outcomes.extend(write.sets.outcomes)

    if report.ok:
        report.cursor = fetched.newest
        project_state.pull_cursor = fetched.newest
    else:
        report.cursor = project_state.pull_cursor
    project_state.title = project.title
    project_state.conflicts = [ConflictRecord(doc_id=o.doc_id, annotator=o.annotator, code=o.code, message=o.message,
                                              where=o.where, task_id=o.task_id, annotation_id=o.annotation_id,
                                              line=o.line) for o in report.conflicts]
    state.projects[str(project.id)] = project_state
    if state.default_project is None:
        state.default_project = project.id
    stage_state(corpus.state_dir, state, write.txn)
    return report


def _warn_incomplete(annotation_set: Any, corpus: Corpus, where: str, report: PullReport) -> None:
    """Warn of what gold will require of a pulled set: missing required attributes, loose boundaries."""
    for span in annotation_set.spans:
        definition = corpus.scheme.labels.get(span.label)
        missing = [a.name for a in definition.attrs if a.required and a.name not in span.attrs] if definition else []
        if missing:
            report.warnings.append(Notice("required-attribute-missing", annotation_set.doc_id, where, {
                "region": span.id, "label": span.label, "text": span.text[:40], "attributes": ", ".join(missing)}))
    for finding in boundary_findings(annotation_set, corpus.scheme):
        region = annotation_set.spans[finding.span].id if finding.span is not None else "?"
        report.warnings.append(Notice("boundary", annotation_set.doc_id, where, {
            "region": region, "message": finding.message, "fix": RULES[finding.rule].fix, "rule": finding.rule}))


def _all_tasks(studio: Studio, project_id: int) -> Iterator[Any]:
    """Every task with its annotations: from Label Studio's JSON export as it streams, or page by
    page where the server offers no such export (404 or 405 before the first task)."""
    try:
        first = True
        for task in iter_exported_tasks(studio, project_id):
            first = False
            yield task
    except StudioError as exc:
        if not first or exc.status not in (404, 405):
            raise
        yield from iter_tasks(studio, project_id, fields="all")


def _comments_by_annotation(studio: Studio, project_id: int, users: dict[int, str], keep_identities: bool,
                            report: PullReport) -> dict[int, list[CandidateComment]]:
    """Every comment of the project's annotations, by annotation id, oldest first; their authors
    become pseudonyms as annotators do. Label Studio Community has no comments API (404): it gives
    none, silently; a key the server does not let read them (403) gives none, and a warning."""
    try:
        listed: list[Any] = studio.call(f"list the comments of project {project_id}",
                                        lambda: list(studio.sdk.comments.list(projects=str(project_id))))
    except StudioError as exc:
        if exc.status in (404, 405):
            return {}
        if exc.status != 403:
            raise
        report.warnings.append(Notice("comments-forbidden"))
        return {}
    found: dict[int, list[CandidateComment]] = {}
    for comment in listed:
        annotation_id, text = attribute(comment, "annotation"), attribute(comment, "text")
        if not is_json_int(annotation_id) or not isinstance(text, str):
            continue  # a comment on a draft, or an empty one
        author_id = attribute(comment, "created_by")
        author_id = attribute(author_id, "id") if isinstance(author_id, dict) or hasattr(author_id, "id") else author_id
        user_id = author_id if isinstance(author_id, int) else None
        found.setdefault(annotation_id, []).append(CandidateComment(
            author=Identity(users.get(user_id) if user_id is not None else None, user_id, keep_identities),
            text=text, created_at=iso_time(attribute(comment, "created_at")),
            resolved=attribute(comment, "is_resolved") is True,
            comment_id=attribute(comment, "id") if is_json_int(attribute(comment, "id")) else None))
    for thread in found.values():
        thread.sort(key=lambda c: (c.created_at or "", c.comment_id or 0))
    return found


def _pull_task(task: Any, corpus: Corpus, index: DocumentIndex, project_id: int, users: dict[int, str],
               keep_identities: bool, report: PullReport,
               comments: dict[int, list[CandidateComment]]) -> Iterator[CandidateSet]:
    """The candidate sets of one task's submitted annotations (what cannot be one is reported)."""
    data = task.data if isinstance(task.data, dict) else {}
    doc_id, doc_sha256 = data.get("doc_id"), data.get("doc_sha256")
    annotations = list(task.annotations or [])
    for draft in task.drafts or []:
        report.skipped.append(SetOutcome(doc_id if isinstance(doc_id, str) else None, None, "kept", "draft",
                                         "not submitted: not pulled", f"task {task.id} draft {attribute(draft, 'id')}",
                                         task.id))
    if not isinstance(doc_id, str):
        if annotations:
            report.warnings.append(Notice("task-not-from-newsgold", params={"task_id": task.id}))
        return
    if doc_id not in index:
        report.warnings.append(Notice("document-not-in-corpus", doc_id, params={"task_id": task.id}))
        return
    if index.sha256(doc_id) != doc_sha256:
        report.warnings.append(Notice("document-changed", doc_id, params={"task_id": task.id}))
        return
    text = index.read_text(doc_id)
    for annotation in annotations:
        annotation_id = attribute(annotation, "id")
        where = f"task {task.id} annotation {annotation_id} ({doc_id})"
        if attribute(annotation, "was_cancelled"):
            report.skipped.append(SetOutcome(doc_id, None, "kept", "skipped", "skipped by the annotator",
                                             where, task.id, annotation_id if is_json_int(annotation_id) else None))
            continue
        user_id = attribute(annotation, "completed_by")
        who = Identity(users.get(user_id) if isinstance(user_id, int) else None,
                       user_id if isinstance(user_id, int) else None, keep_identities)
        if not is_json_int(annotation_id):
            report.outcomes.append(SetOutcome(doc_id, None, "rejected", "source", "Label Studio sent no "
                                              "integer annotation id; nothing of this annotation was stored",
                                              where, task.id))
            continue
        converted = results_to_content(attribute(annotation, "result") or [], text, corpus.scheme)
        if converted.errors:
            details = "; ".join(f"region {e.region_id}: {e.message}" for e in converted.errors)
            report.outcomes.append(SetOutcome(doc_id, None, "rejected", "offsets", f"{details}; nothing of "
                                              "this annotation was stored", where, task.id, annotation_id))
            continue
        report.warnings.extend(Notice("result-not-as-given", doc_id, where, {"why": w}) for w in converted.warnings)
        updated_at = iso_time(attribute(annotation, "updated_at"))
        thread = list(comments.get(annotation_id, ()))
        if converted.note:  # the note box of the config: the comment Label Studio Community has no API for
            thread.insert(0, note_comment(converted.note, who, updated_at))
        yield CandidateSet(
            doc_id=doc_id, text=text, annotator=who, doc_sha256=doc_sha256,
            origin=Origin(source="label-studio", project_id=project_id, task_id=task.id,
                          annotation_id=annotation_id, ground_truth=bool(attribute(annotation, "ground_truth")),
                          created_at=iso_time(attribute(annotation, "created_at")), updated_at=updated_at),
            spans=converted.spans, relations=converted.relations, stance=converted.stance,
            attrs=converted.attrs, comments=thread or None, where=where)
