"""Pull submitted annotations from a Label Studio project into the corpus's annotation sets.

This module fetches tasks and converts their annotations; what they do to the local sets is
decided by the pure `newsgold.studio.reconcile`. Corpus files are written once, at the end, in one
transaction: a failure or an interrupt part-way leaves them exactly as they were.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsgold._io import Transaction, iter_jsonl_lines
from newsgold.corpus.boundaries import boundary_findings
from newsgold.corpus.checks import check_set
from newsgold.corpus.lock import writes_corpus
from newsgold.corpus.rewrite import by_line, stage_rewrite
from newsgold.corpus.store import Corpus, DocumentIndex, record_line
from newsgold.errors import StudioError, UsageError
from newsgold.rules import RULES
from newsgold.formats.labelstudio.convert import is_json_int, note_comment, results_to_content
from newsgold.formats.labelstudio.state import ProjectState, StudioState, load_state, stage_state
from newsgold.schemas.annotation import AnnotationSet, Comment, Origin, content_fingerprint, is_annotator_id
from newsgold.studio.client import Studio
from newsgold import _progress as shown_progress
from newsgold.studio.projects import (Progress, attribute, find_project, iso_time, iter_exported_tasks, iter_tasks,
                                      user_emails)
from newsgold.studio.reconcile import LocalSet, Reconciler

__all__ = ["PullReport", "pull"]


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
    backup_path: Path | None = None
    """Where the local sets that `take_studio` replaced or removed were kept, if any."""

    @property
    def ok(self) -> bool:
        """False when something was not stored: a conflict or a rejected annotation."""
        return not self.conflicts and not self.rejected


@writes_corpus
def pull(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
         since_last: bool = False, keep_identities: bool = False, take_studio: Collection[str] | None = None,
         take_studio_all: bool = False, progress: Progress | None = None) -> PullReport:
    """Fetch submitted annotations and store each as an annotation set of the corpus.

    Idempotent; edits and deletions in Label Studio update or remove their sets. A local set that
    changed since its last pull, or that did not come from Label Studio, is never overwritten: it
    is reported in `conflicts` (and remembered for `studio status`) unless its document is in
    `take_studio` (or `take_studio_all`): then Label Studio's version replaces it and the local
    set is kept in a backup file (`backup_path`). Regions whose offsets cannot be proven reject
    their annotation (`rejected`). With `since_last`, only tasks updated since the last complete
    pull are fetched.
    """
    taken = frozenset(take_studio or ())
    state = load_state(corpus.state_dir)
    found_warnings: list[str] = []
    project = find_project(studio, state, project_id, title, corpus, found_warnings)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; run "
                         "`newsgold studio push` first, or pass --project ID")
    project_state = state.projects.get(str(project.id)) or ProjectState(title=project.title)
    since = project_state.pull_cursor if since_last else None
    report = PullReport(project_id=project.id)
    report.warnings.extend(found_warnings)
    users = user_emails(studio)
    comments = _comments_by_annotation(studio, project.id, users, state, keep_identities, report)
    index = corpus.document_index()
    reconciler = Reconciler((LocalSet.of(line, s) for line, s in corpus.iter_numbered_sets()),
                            project.id, str(corpus.annotations_path),
                            take_studio=lambda doc_id: take_studio_all or doc_id in taken)
    newest = since
    total = [0]
    tasks = (iter_tasks(studio, project.id, fields="all", since=since, on_total=lambda n: total.__setitem__(0, n))
             if since is not None else _all_tasks(studio, project.id))
    with shown_progress.task("studio pull", None, "tasks") as bar:
        for done, task in enumerate(tasks, 1):
            bar.advance()
            report.tasks_seen += 1
            task_updated = iso_time(task.updated_at)
            if task_updated and (newest is None or task_updated > newest):
                newest = task_updated
            live = _pull_task(task, corpus, index, project.id, users, state, keep_identities, report, comments)
            present = {attribute(a, "id") for a in task.annotations or [] if not attribute(a, "was_cancelled")}
            reconciler.task(task.id, live, present)
            if progress:
                progress(done, total[0])
    outcome = reconciler.finish(complete=not since_last)
    report.added, report.updated, report.removed = outcome.added, outcome.updated, outcome.removed
    report.unchanged = outcome.unchanged
    report.conflicts.extend(outcome.conflicts)

    if report.ok:
        report.cursor = newest
        project_state.pull_cursor = newest
    else:
        report.cursor = project_state.pull_cursor
    project_state.title = project.title
    project_state.conflicts = list(report.conflicts)
    state.projects[str(project.id)] = project_state
    if state.default_project is None:
        state.default_project = project.id
    with Transaction() as txn:
        if outcome.replaced:
            report.backup_path = _backup_path(corpus)
            txn.write_lines(report.backup_path, _lines_at(corpus.annotations_path, set(outcome.replaced)))
        if outcome.changes_file:
            stage_rewrite(txn, corpus.root, corpus.annotations_path,
                          by_line(outcome.updates, outcome.removals),
                          (record_line(s) for s in outcome.additions))
        stage_state(corpus.state_dir, state, txn)
    return report


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


def _backup_path(corpus: Corpus) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return corpus.state_dir / "replaced" / f"pull-{stamp}.jsonl"


def _lines_at(path: Path, numbers: set[int]) -> Iterator[bytes]:
    """The lines of `path` with the given numbers, byte for byte."""
    for number, _, raw in iter_jsonl_lines(path):
        if number in numbers:
            yield raw if raw.endswith(b"\n") else raw + b"\n"


def _comments_by_annotation(studio: Studio, project_id: int, users: dict[int, str], state: StudioState,
                            keep_identities: bool, report: PullReport) -> dict[int, list[Comment]]:
    """Every comment of the project's annotations, by annotation id, oldest first; authors get the
    same pseudonyms as annotators. Label Studio Community has no comments API (404): it gives none,
    silently; a key the server does not let read them (403) gives none, and a warning."""
    try:
        listed: list[Any] = studio.call(f"list the comments of project {project_id}",
                                        lambda: list(studio.sdk.comments.list(projects=str(project_id))))
    except StudioError as exc:
        if exc.status in (404, 405):
            return {}
        if exc.status != 403:
            raise
        report.warnings.append("this API key may not read the project's comments (HTTP 403); none were pulled")
        return {}
    found: dict[int, list[Comment]] = {}
    for comment in listed:
        annotation_id, text = attribute(comment, "annotation"), attribute(comment, "text")
        if not is_json_int(annotation_id) or not isinstance(text, str):
            continue  # a comment on a draft, or an empty one
        author_id = attribute(comment, "created_by")
        author_id = attribute(author_id, "id") if isinstance(author_id, dict) or hasattr(author_id, "id") else author_id
        email = users.get(author_id) if isinstance(author_id, int) else None
        found.setdefault(annotation_id, []).append(Comment(
            author=state.annotator_id(email, author_id if isinstance(author_id, int) else None,
                                      keep_identities=keep_identities),
            text=text, created_at=iso_time(attribute(comment, "created_at")),
            resolved=attribute(comment, "is_resolved") is True,
            comment_id=attribute(comment, "id") if is_json_int(attribute(comment, "id")) else None))
    for thread in found.values():
        thread.sort(key=lambda c: (c.created_at or "", c.comment_id or 0))
    return found


def _pull_task(task: Any, corpus: Corpus, index: DocumentIndex, project_id: int, users: dict[int, str],
               state: StudioState, keep_identities: bool, report: PullReport,
               comments: dict[int, list[Comment]] | None = None) -> list[AnnotationSet]:
    data = task.data if isinstance(task.data, dict) else {}
    doc_id, doc_sha256 = data.get("doc_id"), data.get("doc_sha256")
    annotations = list(task.annotations or [])
    for draft in task.drafts or []:
        report.drafts.append(f"task {task.id} draft {attribute(draft, 'id')} (not submitted: not pulled)")
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
        annotation_id = attribute(annotation, "id")
        if attribute(annotation, "was_cancelled"):
            report.skipped.append(f"task {task.id} annotation {annotation_id} (skipped by the annotator)")
            continue
        user_id = attribute(annotation, "completed_by")
        email = users.get(user_id) if isinstance(user_id, int) else None
        annotator = state.annotator_id(email, user_id, keep_identities=keep_identities)
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
        converted = results_to_content(attribute(annotation, "result") or [], text, corpus.scheme)
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
            details = "; ".join(f.as_text() for f in findings[:5])
            report.rejected.append(f"{where}: breaks the scheme ({details}); fix it in Label Studio")
            continue
        for span in draft_set.spans:
            definition = corpus.scheme.labels.get(span.label)
            missing = [a.name for a in definition.attrs if a.required and a.name not in span.attrs] if definition else []
            if missing:
                report.warnings.append(f"{where} region {span.id}: {span.label} {span.text[:40]!r} has no "
                                       f"{', '.join(missing)}, which gold requires; set it in Label Studio")
        for finding in boundary_findings(draft_set, corpus.scheme):
            region = draft_set.spans[finding.span].id if finding.span is not None else "?"
            report.warnings.append(f"{where} region {region}: {finding.message}: {RULES[finding.rule].fix} "
                                   f"[{finding.rule}]")
        origin = Origin(source="label-studio", project_id=project_id, task_id=task.id,
                        annotation_id=annotation_id, ground_truth=bool(attribute(annotation, "ground_truth")),
                        created_at=iso_time(attribute(annotation, "created_at")),
                        updated_at=iso_time(attribute(annotation, "updated_at")),
                        content_sha256=content_fingerprint(draft_set))
        thread = list((comments or {}).get(annotation_id, ()))
        if converted.note:  # the note box of the config: the comment Label Studio Community has no API for
            thread.insert(0, note_comment(converted.note, annotator, origin.updated_at))
        pulled.append(draft_set.model_copy(update={"origin": origin, "comments": thread or None}))
    return pulled
