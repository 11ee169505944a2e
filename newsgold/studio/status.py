"""Status of a Label Studio project: tasks, per-annotator counts, documents with disagreements."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsgold.corpus.store import Corpus
from newsgold.errors import UsageError
from newsgold.formats.labelstudio.state import load_state
from newsgold.studio.client import Studio
from newsgold.studio.projects import attribute, find_project, iter_tasks, user_emails

__all__ = ["StatusReport", "status"]


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
    project = find_project(studio, state, project_id, title, corpus)
    if project is None:
        raise UsageError(f"no Label Studio project for corpus {corpus.name!r}; pass --project ID")
    users = user_emails(studio)
    report = StatusReport(project_id=project.id, project_title=project.title)
    for task in iter_tasks(studio, project.id, fields="all"):
        report.tasks += 1
        span_sets = []
        for annotation in task.annotations or []:
            user_id = attribute(annotation, "completed_by")
            who = state.annotator_id(users.get(user_id), user_id, keep_identities=keep_identities)
            bucket = report.skipped if attribute(annotation, "was_cancelled") else report.annotated
            bucket[who] = bucket.get(who, 0) + 1
            if not attribute(annotation, "was_cancelled"):
                span_sets.append(frozenset(
                    (r["value"].get("start"), r["value"].get("end"), tuple(r["value"].get("labels", [])))
                    for r in attribute(annotation, "result") or [] if r.get("type") == "labels"))
        if span_sets:
            report.annotated_tasks += 1
        if len(set(span_sets)) > 1:
            report.disagreements.append(str((task.data or {}).get("doc_id", f"task {task.id}")))
    return report
