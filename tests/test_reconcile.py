"""Pull reconciliation, every case, without a server: local sets x live annotations -> outcome.

The integration tests in test_labelstudio_sync.py drive the same cases through a real Label Studio;
these pin the decision itself, one table row per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from newsgold.schemas.annotation import AnnotationSet, Comment, Origin, Span, content_fingerprint
from newsgold.corpus.reconcile import LocalSet, Reconciler

PROJECT = 7
SHA = "a" * 64
OTHER_SHA = "b" * 64


def _set(annotator: str = "ann-1", *, annotation: int | None = 10, task: int = 100, updated: str = "t1",
         source: str = "label-studio", project: int = PROJECT, doc: str = "d1", label: str = "PERSON",
         locally_edited: bool = False, sha: str = SHA, names_annotation: bool = False) -> AnnotationSet:
    """A set as pull would store it (fingerprint of its content), or as a local edit left it."""
    spans = [Span(id="s1", start=0, end=3, label=label, text="Bob")]
    draft = AnnotationSet(doc_id=doc, doc_sha256=sha, annotator=annotator, spans=spans,
                          origin=Origin(source="manual"))
    if source != "label-studio":  # an import from a Label Studio export names the annotation, if asked
        ids = {"task_id": task, "annotation_id": annotation} if names_annotation else {}
        return draft.model_copy(update={"origin": Origin(source=source, **ids)})  # type: ignore[arg-type]
    fingerprint = content_fingerprint(draft)
    if locally_edited:  # the content changed after the pull stored its fingerprint
        draft = draft.model_copy(update={"spans": [spans[0].model_copy(update={"label": "ORG"})]})
    return draft.model_copy(update={"origin": Origin(
        source="label-studio", project_id=project, task_id=task, annotation_id=annotation, updated_at=updated,
        content_sha256=fingerprint)})


@dataclass
class Task:
    id: int
    live: list[AnnotationSet] = field(default_factory=list)
    present: set[int] = field(default_factory=set)
    """Annotations in the task and not skipped; the live ones are added to it."""


@dataclass
class Case:
    local: list[AnnotationSet]
    tasks: list[Task]
    complete: bool = True
    added: int = 0
    updated: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    """A phrase each conflict message must contain, in order."""
    take: bool = False
    """Take Label Studio's version of every document (--replace)."""
    replaced: list[int] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)
    """Lines of imported sets a pull adopts: rewritten to follow the annotation, reported unchanged."""
    kept: int = 0
    """Sets edited locally whose annotation did not change: left as they are, no conflict."""


CASES = {
    "new annotation is added": Case([], [Task(100, [_set()])], added=1),
    "same annotation again is unchanged": Case([_set()], [Task(100, [_set()])], unchanged=1),
    "annotation edited in Label Studio updates its line": Case(
        [_set(updated="t1")], [Task(100, [_set(updated="t2")])], updated=[1]),
    "annotation made on a new text updates its line": Case(
        [_set()], [Task(100, [_set(sha=OTHER_SHA)])], updated=[1]),
    "annotation deleted in Label Studio removes its line": Case([_set()], [Task(100)], removed=[1]),
    "annotation now skipped removes its line": Case([_set()], [Task(100, present=set())], removed=[1]),
    "annotation present but rejected keeps its line": Case([_set()], [Task(100, present={10})]),
    "task deleted removes its lines after a complete pull": Case([_set()], [Task(101)], removed=[1]),
    "task not seen by a --since-last pull is kept": Case([_set()], [Task(101)], complete=False),
    "locally edited set is not overwritten": Case(
        [_set(locally_edited=True)], [Task(100, [_set(updated="t2")])], conflicts=["was edited since it was pulled"]),
    "locally edited set whose annotation did not change is kept, no conflict": Case(
        [_set(locally_edited=True)], [Task(100, [_set()])], kept=1),
    "locally edited set deleted in Label Studio is kept": Case(
        [_set(locally_edited=True)], [Task(100)], conflicts=["deleted in Label Studio, but the local set"]),
    "hand-made set of that annotator and document is not replaced": Case(
        [_set(source="manual")], [Task(100, [_set()])], conflicts=["did not come from this annotation"]),
    "imported set of that annotator and document is not replaced": Case(
        [_set(source="import", label="ORG")], [Task(100, [_set()])], conflicts=["did not come from this annotation"]),
    "imported set of the same content is adopted, not doubled": Case(
        [_set(source="import")], [Task(100, [_set()])], adopted=[1]),
    "imported set naming the annotation is adopted under the pull's annotator id": Case(
        [_set("user-4", source="import", names_annotation=True)], [Task(100, [_set()])], adopted=[1]),
    "imported set naming the annotation but changed since is not overwritten": Case(
        [_set("user-4", source="import", names_annotation=True, label="ORG")], [Task(100, [_set()])],
        conflicts=["differs from Label Studio's version now"]),
    "--replace replaces an imported set that changed since": Case(
        [_set("user-4", source="import", names_annotation=True, label="ORG")], [Task(100, [_set()])],
        take=True, updated=[1], replaced=[1]),
    "an imported set of another annotation is a set of its own": Case(
        [_set("user-4", source="import", names_annotation=True, annotation=99)], [Task(100, [_set()])], added=1),
    "hand-made set of the same content is not adopted": Case(
        [_set(source="manual")], [Task(100, [_set()])], conflicts=["did not come from this annotation"]),
    "two annotations of one annotator: the second is a conflict": Case(
        [], [Task(100, [_set(annotation=10), _set(annotation=11)])], added=1,
        conflicts=["submitted two annotations of this task (10 and 11)"]),
    "a draft only: nothing to add or remove": Case([], [Task(100)]),
    "--replace replaces a local edit and keeps it for the backup": Case(
        [_set(locally_edited=True)], [Task(100, [_set(updated="t2")])], take=True, updated=[1], replaced=[1]),
    "--replace removes a local edit deleted in Label Studio": Case(
        [_set(locally_edited=True)], [Task(100)], take=True, removed=[1], replaced=[1]),
    "--replace replaces a hand-made set": Case(
        [_set(source="manual")], [Task(100, [_set()])], take=True, updated=[1], replaced=[1]),
    "sets of another project are left alone": Case([_set(project=8)], [Task(100)]),
    "another annotator's annotation is added beside": Case(
        [_set()], [Task(100, [_set(), _set("ann-2", annotation=11)])], unchanged=1, added=1),
    "a removed line frees its key for a new annotation of the same annotator": Case(
        [_set(annotation=10, task=100)], [Task(101, [_set(annotation=12, task=101)]), Task(100)],
        removed=[1], conflicts=["already holds"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_reconciliation(name: str) -> None:
    case = CASES[name]
    local = [LocalSet.of(line, s) for line, s in enumerate(case.local, 1)]
    reconciler = Reconciler(local, PROJECT, "annotations.jsonl", replace_local=lambda doc_id: case.take)
    for task in case.tasks:
        present = task.present | {s.origin.annotation_id for s in task.live if s.origin.annotation_id}
        reconciler.task(task.id, task.live, present)
    outcome = reconciler.finish(complete=case.complete)
    assert len(outcome.additions) == len(outcome.of("added")) == case.added
    assert sorted(outcome.updates) == sorted(case.updated + case.adopted)
    assert len(outcome.of("updated")) == len(case.updated)
    assert sorted(outcome.removals) == case.removed and len(outcome.of("removed")) == len(case.removed)
    assert len(outcome.of("unchanged")) == case.unchanged + len(case.adopted)
    assert [o.line for o in outcome.outcomes if o.code == "adopted"] == case.adopted
    assert len([o for o in outcome.of("kept") if o.code == "edited-locally"]) == case.kept
    conflicts = outcome.of("conflict")
    assert len(conflicts) == len(case.conflicts), conflicts
    for conflict, phrase in zip(conflicts, case.conflicts, strict=True):
        assert phrase in conflict.message
    assert outcome.changes_file == bool(case.added or case.updated or case.removed or case.adopted)
    assert sorted(outcome.replaced) == case.replaced


def test_conflicts_name_the_line_and_the_annotation() -> None:
    reconciler = Reconciler([LocalSet.of(3, _set(source="manual"))], PROJECT, "c/annotations.jsonl")
    reconciler.task(100, [_set()], {10})
    [conflict] = reconciler.finish(complete=True).of("conflict")
    assert conflict.as_text().startswith("task 100 annotation 10 (d1/ann-1): c/annotations.jsonl:3 already holds")
    assert (conflict.doc_id, conflict.annotator, conflict.task_id, conflict.annotation_id, conflict.line,
            conflict.code) == ("d1", "ann-1", 100, 10, 3, "held-by-another-set")


def test_updates_carry_the_new_version() -> None:
    new = _set(updated="t2", label="ORG")
    reconciler = Reconciler([LocalSet.of(1, _set())], PROJECT, "a")
    reconciler.task(100, [new], {10})
    assert reconciler.finish(complete=True).updates == {1: new}


def test_comments_are_pulled_by_annotation_with_pseudonymous_authors_and_update_the_set() -> None:
    import importlib
    from types import SimpleNamespace

    from newsgold.errors import StudioError
    from newsgold.corpus.pseudonyms import Identity, Pseudonyms
    from newsgold.corpus.reconcile import _version

    pull_module = importlib.import_module("newsgold.studio.pull")
    listed = [SimpleNamespace(id=2, annotation=7, text="second", created_by=5, created_at="2026-11-27T10:05:00Z",
                              is_resolved=True),
              {"id": 1, "annotation": 7, "text": "first", "created_by": 5, "created_at": "2026-11-27T10:00:00Z"},
              {"id": 3, "annotation": None, "text": "on a draft", "created_by": 5}]

    class Studio:
        def __init__(self, answer) -> None:  # type: ignore[no-untyped-def]
            self.sdk = SimpleNamespace(comments=SimpleNamespace(list=answer))

        def call(self, action, function):  # type: ignore[no-untyped-def]
            return function()

    report = pull_module.PullReport(project_id=1)
    found = pull_module._comments_by_annotation(Studio(lambda projects: listed), 1, {5: "eve@x.org"}, False,
                                                report)
    assert list(found) == [7] and [c.text for c in found[7]] == ["first", "second"]
    assert {c.author for c in found[7]} == {Identity("eve@x.org", 5)} and found[7][1].resolved
    pseudonyms = Pseudonyms("s" * 16, "file")
    assert pseudonyms.resolve(Identity("eve@x.org", 5)) == pseudonyms.pseudonym("eve@x.org", 5)
    # Label Studio Community has no comments API: nothing, and no noise.
    def missing(projects):  # type: ignore[no-untyped-def]
        raise StudioError("HTTP 404", status=404)

    assert pull_module._comments_by_annotation(Studio(missing), 1, {}, False, report) == {}
    assert report.warnings == []
    # A set whose comments changed has another version: the next pull updates it.
    base = _set("eve", annotation=7)
    comments = [Comment(author=pseudonyms.resolve(c.author), text=c.text, resolved=c.resolved,
                        comment_id=c.comment_id) for c in found[7]]
    assert _version(base) != _version(base.model_copy(update={"comments": comments}))
