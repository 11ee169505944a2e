"""Adjudication in Label Studio: a review project of the documents `adjudicate` could not decide.

`push_review` makes (or extends) a project titled "CORPUS review" with one task per document that
the last `adjudicate` left items undecided in (`review.jsonl`). Each task carries every annotator's
version as a prediction named after the annotator's pseudonym, and the agreed gold (what
`adjudicate` decided) as the prediction the page starts from. The adjudicator corrects the agreed
version, comparing the others, and submits. `pull_review` stores each submission as the document's
gold through the write path: method `manual` (gold made by a person, which the next `adjudicate`
keeps), the adjudicator's pseudonym as its annotator, and a note naming the review task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


from newsgold.corpus.outcomes import Notice, Report, SetOutcome
from newsgold.corpus.pseudonyms import read_pseudonyms
from newsgold.corpus.review_file import iter_review_items, review_path
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.write import put_gold
from newsgold.errors import UsageError
from newsgold.formats.labelstudio.config import label_config
from newsgold.formats.labelstudio.convert import document_task, note_result, results_to_content, set_to_results
from newsgold.schemas.annotation import GoldSet, Provenance
from newsgold.studio.client import Studio
from newsgold.studio.projects import attribute, iter_tasks, project_description, task_map, user_emails

__all__ = ["AGREED", "ReviewPullReport", "ReviewPushReport", "pull_review", "push_review", "review_title"]

AGREED = "newsgold:agreed"
"""The model version of the agreed gold's prediction, which the review project starts each task from."""


def review_title(corpus: Corpus) -> str:
    """The title of a corpus's review project."""
    return f"{corpus.name} review"


@dataclass
class ReviewPushReport(Report):
    """What `push_review` did."""

    project_id: int
    project_title: str
    created_project: bool = False
    documents: list[str] = field(default_factory=list)
    """Documents with undecided items, now tasks of the review project (new ones)."""
    already_present: list[str] = field(default_factory=list)
    versions: int = 0
    """Annotators' versions sent with the new tasks (besides the agreed gold)."""


@dataclass
class ReviewPullReport(Report):
    """What `pull_review` stored: one gold outcome per reviewed document."""

    project_id: int
    gold: list[SetOutcome] = field(default_factory=list)
    rejected: list[Notice] = field(default_factory=list)
    """Submissions that could not become gold, and why (nothing of them was stored)."""

    @property
    def ok(self) -> bool:
        """False when a submission could not become gold (hand-made gold kept by policy is reported,
        and is not a failure: `ok` means this in every report)."""
        return not self.rejected and not any(o.status in ("rejected", "conflict") for o in self.gold)


def _undecided_documents(corpus: Corpus) -> list[str]:
    path = review_path(corpus)
    if not path.is_file():
        raise UsageError(f"no {path}: run adjudicate first, which lists the items it could not decide there")
    found: dict[str, None] = {}
    for number, item in iter_review_items(path):
        if item is None:
            raise UsageError(f"{path}:{number}: not an item of adjudicate's review file; run adjudicate "
                             "again to write it")
        found[str(item["doc_id"])] = None
    return list(found)


def _stored_pseudonyms(corpus: Corpus) -> Any:
    pseudonyms = read_pseudonyms(corpus.state_dir, corpus.annotations_path)
    if not pseudonyms.stored:
        raise UsageError(f"{corpus.name} has no pseudonym salt yet: push and pull its annotations first (the "
                         "review project is keyed to the corpus by it)")
    return pseudonyms


def _review_project(studio: Studio, corpus: Corpus, corpus_key: str, *, create: bool = True) -> tuple[Any, bool]:
    """The corpus's review project, found by its title and description; made if there is none and
    `create`, else UsageError (nothing to pull from a project that was never made)."""
    title = review_title(corpus)
    description = project_description(corpus.name, corpus_key) + " review"
    projects: list[Any] = studio.call("list projects", lambda: list(studio.sdk.projects.list(title=title)))
    mine = [p for p in projects if attribute(p, "title") == title]
    if mine:
        if len(mine) > 1 or attribute(mine[0], "description") != description:
            raise UsageError(f"the project titled {title!r} was not made for this corpus (or there are several); "
                             "rename it in Label Studio")
        return mine[0], False
    if not create:
        raise UsageError(f"there is no review project {title!r} for this corpus yet: make it with `newsgold studio "
                         "review` (after `adjudicate`), decide there, then pull the decisions")
    project = studio.call(f"create project {title!r}", studio.sdk.projects.create, idempotent=False, title=title,
                          label_config=label_config(corpus.scheme), description=description,
                          model_version=AGREED, show_collab_predictions=True)
    return project, True


def push_review(corpus: Corpus, studio: Studio) -> ReviewPushReport:
    """Put every document with undecided items (the last `adjudicate`'s `review.jsonl`) into the
    review project, with each annotator's current version and the agreed gold as predictions.
    Documents already in it are left as they are. UsageError without a review file."""
    check_corpus(corpus)
    wanted = _undecided_documents(corpus)
    pseudonyms = _stored_pseudonyms(corpus)
    project, created = _review_project(studio, corpus, pseudonyms.corpus_key)
    report = ReviewPushReport(project_id=project.id, project_title=project.title, created_project=created)
    present = {} if created else task_map(studio, project.id)
    index = corpus.document_index()
    gold_of = {g.doc_id: g for g in corpus.iter_gold() if g.doc_id in wanted}
    sets_of: dict[str, list[Any]] = {}
    for doc_id, current, _stale in corpus.iter_current_sets(index):
        if doc_id in wanted:  # the annotators' versions: suggestions are no one's
            sets_of[doc_id] = [s for s in current if not s.is_suggestion]
    tasks = []
    for doc_id in wanted:
        if doc_id in present:
            report.already_present.append(doc_id)
            continue
        document = index.read_document(doc_id)
        predictions = [{"model_version": annotation_set.annotator, "result": _version(annotation_set, corpus, document.text)}
                       for annotation_set in sets_of.get(doc_id, [])]
        report.versions += len(predictions)
        agreed = gold_of.get(doc_id)
        predictions.append({"model_version": AGREED, "result": set_to_results(
            agreed, corpus.scheme, document.text, unlabel_implied=True) if agreed is not None else []})
        tasks.append({"data": document_task(document), "predictions": predictions})
        report.documents.append(doc_id)
    if tasks:
        studio.call(f"import {len(tasks)} review tasks into project {project.id}", studio.sdk.projects.import_tasks,
                    idempotent=False, id=project.id, request=tasks)
    return report


def _version(annotation_set: Any, corpus: Corpus, text: str) -> list[dict[str, Any]]:
    """An annotator's version as a review prediction: their regions, and their note in the note box."""
    results = set_to_results(annotation_set, corpus.scheme, text, unlabel_implied=True)
    note = note_result(annotation_set.comments or [], annotation_set.annotator)
    return [*results, note] if note is not None else results


def pull_review(corpus: Corpus, studio: Studio, *, replace: bool = False) -> ReviewPullReport:
    """Store the review project's submissions as gold (the one submission of each task; a task with
    two is rejected, naming them: which is the decision is the adjudicator's to say), through
    the write path. Gold made by hand since (a review pulled before, an edit) is kept and reported
    unless `replace`. A submission whose regions do not fit the text is rejected, naming them."""
    check_corpus(corpus)
    pseudonyms = _stored_pseudonyms(corpus)
    project, _ = _review_project(studio, corpus, pseudonyms.corpus_key, create=False)
    report = ReviewPullReport(project_id=project.id)
    index = corpus.document_index()
    users = user_emails(studio)
    decided: list[GoldSet] = []
    for task in iter_tasks(studio, project.id, fields="all"):
        data = task.data or {}
        doc_id = str(data.get("doc_id"))
        submitted = [a for a in task.annotations or [] if not attribute(a, "was_cancelled")]
        if not submitted or doc_id not in index:
            continue
        if len(submitted) > 1:  # which one is the decision is the adjudicator's to say, not the clock's
            report.rejected.append(Notice("review-two-submissions", doc_id, params={
                "task_id": task.id, "annotation_ids": ", ".join(str(attribute(a, "id")) for a in submitted)}))
            continue
        [decision] = submitted
        document = index.read_document(doc_id)
        if data.get("doc_sha256") != document.sha256:
            report.rejected.append(Notice("review-text-changed", doc_id, params={"task_id": task.id}))
            continue
        content = results_to_content(attribute(decision, "result") or [], document.text, corpus.scheme)
        if content.errors:
            report.rejected.append(Notice("review-invalid", doc_id, params={
                "task_id": task.id, "problems": "; ".join(f"{e.region_id}: {e.message}" for e in content.errors)}))
            continue
        user_id = attribute(decision, "completed_by")
        adjudicator = pseudonyms.annotator_id(users.get(user_id), user_id)
        decided.append(GoldSet(
            doc_id=doc_id, doc_sha256=document.sha256, spans=content.spans, relations=content.relations,
            stance=content.stance, attrs=content.attrs,
            provenance=Provenance(method="manual", annotators=[adjudicator],
                                  note=f"adjudicated in Label Studio by {adjudicator}: review project {project.id}, "
                                       f"task {task.id}, annotation {attribute(decision, 'id')}")))
    if decided:
        report.gold = list(put_gold(corpus, decided, replace=replace).outcomes)
    return report
