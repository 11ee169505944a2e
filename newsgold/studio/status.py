"""Status of a Label Studio project: tasks, per-annotator counts, documents with disagreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsgold.corpus.outcomes import Notice, Report, SetOutcome
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.errors import UsageError
from newsgold.corpus.pseudonyms import read_pseudonyms
from newsgold.formats.labelstudio.state import load_state, stored_conflict
from newsgold.studio.client import Studio
from newsgold.studio.projects import attribute, find_project, iter_tasks, user_emails

__all__ = ["StatusReport", "status"]


@dataclass
class StatusReport(Report):
    """Progress of a project: tasks, per-annotator counts, drafts, documents with disagreements,
    annotators with two annotations of one task, and what the last pull could not store."""

    project_id: int
    project_title: str
    tasks: int = 0
    annotated_tasks: int = 0
    annotated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    drafts: dict[str, int] = field(default_factory=dict)
    """Unsubmitted drafts per annotator (a pull does not store them)."""
    disagreements: list[str] = field(default_factory=list)
    """Documents whose annotators (one annotation each) labelled different spans."""
    repeated: list[Notice] = field(default_factory=list)
    """Tasks where one annotator submitted two or more annotations, with their ids."""
    conflicts: list[SetOutcome] = field(default_factory=list)
    """What the last pull of this project could not store without losing a local edit."""
    overlap: int = 1
    """How many annotators each document goes to (`push(overlap=)`)."""
    annotators_per_document: dict[str, int] = field(default_factory=dict)
    """Document -> how many annotators have submitted it."""

    @property
    def overlap_done(self) -> list[str]:
        """Documents submitted by `overlap` annotators (or more)."""
        return [doc for doc, count in self.annotators_per_document.items() if count >= self.overlap]

    @property
    def overlap_short(self) -> dict[str, int]:
        """Documents with fewer than `overlap` annotators, and how many they have."""
        return {doc: count for doc, count in self.annotators_per_document.items() if count < self.overlap}


def status(corpus: Corpus, studio: Studio, *, project_id: int | None = None, title: str | None = None,
           keep_identities: bool = False) -> StatusReport:
    """Summarize a project from the server, with the conflicts its last pull left."""
    check_corpus(corpus)
    state = load_state(corpus.state_dir)
    pseudonyms = read_pseudonyms(corpus.state_dir)
    project = find_project(studio, state, pseudonyms, project_id, title, corpus)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; name it with project_id=ID")
    users = user_emails(studio)
    report = StatusReport(project_id=project.id, project_title=project.title,
                          overlap=int(getattr(project, "maximum_annotations", None) or 1))
    remembered = state.projects.get(str(project.id))
    report.conflicts = [stored_conflict(c) for c in remembered.conflicts] if remembered else []

    def who(record: Any) -> str:
        user_id = attribute(record, "completed_by") or attribute(record, "user")
        return pseudonyms.annotator_id(users.get(user_id), user_id, keep_identities=keep_identities)

    for task in iter_tasks(studio, project.id, fields="all"):
        report.tasks += 1
        span_sets: dict[str, frozenset[tuple[Any, ...]]] = {}
        ids: dict[str, list[Any]] = {}
        for annotation in task.annotations or []:
            annotator = who(annotation)
            cancelled = attribute(annotation, "was_cancelled")
            bucket = report.skipped if cancelled else report.annotated
            bucket[annotator] = bucket.get(annotator, 0) + 1
            if not cancelled:
                ids.setdefault(annotator, []).append(attribute(annotation, "id"))
                span_sets.setdefault(annotator, frozenset(
                    (r["value"].get("start"), r["value"].get("end"), tuple(r["value"].get("labels", [])))
                    for r in attribute(annotation, "result") or [] if r.get("type") == "labels"))
        for draft in task.drafts or []:
            annotator = who(draft)
            report.drafts[annotator] = report.drafts.get(annotator, 0) + 1
        doc = str((task.data or {}).get("doc_id", f"task {task.id}"))
        report.repeated.extend(Notice("two-annotations", doc, params={
            "task_id": task.id, "annotator": annotator, "annotation_ids": ", ".join(map(str, found))})
            for annotator, found in ids.items() if len(found) > 1)
        report.annotators_per_document[doc] = len(span_sets)
        if span_sets:
            report.annotated_tasks += 1
        if len(set(span_sets.values())) > 1:
            report.disagreements.append(doc)
    return report

