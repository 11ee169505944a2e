"""Reconciliation: what the live annotations of a source (a Label Studio project) do to the local sets.

A pure computation, no I/O: given the sets of `annotations.jsonl` (with their line numbers) and,
task by task, the sets a pull could convert, it decides what is added, updated, removed, left
alone, and what is a conflict that must not be overwritten. The write path
(`newsgold.corpus.write_path`) applies the outcome; `newsgold.studio.pull` only fetches tasks.

The rules:
- a live annotation not pulled before is added, unless the corpus already holds a set of that
  annotator for that document that did not come from it (hand-made, imported, or a second
  annotation of one annotator): a conflict. If that set was imported (from a Label Studio export of
  the same annotation) and has the same content, it is adopted: it now follows the annotation, and
  nothing else changes;
- a pulled set whose annotation changed (time, content or text) is updated; one that did not is
  unchanged;
- a pulled set whose annotation is gone from its task (deleted, or now skipped), or whose task is
  gone (only known after a complete pull), is removed;
- a set edited locally since it was pulled (or not from Label Studio) is never updated or removed:
  kept, when its annotation has not changed in Label Studio since the pull (only one side
  changed); else a conflict, unless its document is one whose Label Studio version the caller chose to take
  (`replace_local`): then it is replaced or removed, and its line is listed in `replaced` so that
  the write path keeps it in a backup file. An annotation still in its task that the pull could
  not convert (rejected) leaves its set alone;
- a second submitted annotation of one annotator on one task is a conflict that names both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from newsgold.corpus.outcomes import OutcomeCode, SetOutcome, SetStatus
from newsgold.schemas.annotation import AnnotationSet, content_fingerprint

__all__ = ["LocalSet", "Reconciler", "Reconciliation"]

Version = tuple[str | None, str | None, str, tuple[tuple[int | None, str, bool], ...]]


def _version(annotation_set: AnnotationSet) -> Version:
    """What tells a pulled set's version: the annotation's time and content, the text, and its
    comments (a new or resolved comment updates the set, though its annotations are the same)."""
    origin = annotation_set.origin
    comments = tuple((c.comment_id, c.text, c.resolved) for c in annotation_set.comments or ())
    return (origin.updated_at, origin.content_sha256, annotation_set.doc_sha256, comments)


@dataclass(frozen=True)
class LocalSet:
    """What reconciliation needs to know of one set of `annotations.jsonl`."""

    line: int
    key: tuple[str, str]
    """(doc_id, annotator)."""
    project_id: int | None
    task_id: int | None
    annotation_id: int | None
    edited: bool
    """Changed locally since it was pulled, or not pulled from Label Studio at all."""
    version: Version = (None, None, "", ())
    fingerprint: str = ""
    """The content fingerprint of the set as it is now."""
    doc_sha256: str = ""
    suggestion: bool = False
    """Made by `newsgold suggest`."""
    source: str = "manual"
    """`origin.source` of the set."""
    source_ids: tuple[int | None, int | None, int | None] = (None, None, None)
    """(project, task, annotation) ids its origin names, whatever its source (an import from a Label
    Studio export names them too): how the same annotation is known when it arrives another way."""

    @classmethod
    def of(cls, line: int, annotation_set: AnnotationSet) -> LocalSet:
        """The local view of the set at `line`."""
        origin = annotation_set.origin
        from_studio = origin.source == "label-studio"
        fingerprint = content_fingerprint(annotation_set)
        edited = origin.content_sha256 is not None and origin.content_sha256 != fingerprint
        return cls(line=line, key=annotation_set.key,
                   project_id=origin.project_id if from_studio else None,
                   task_id=origin.task_id if from_studio else None,
                   annotation_id=origin.annotation_id if from_studio else None,
                   edited=edited or not from_studio, version=_version(annotation_set),
                   fingerprint=fingerprint, doc_sha256=annotation_set.doc_sha256,
                   suggestion=annotation_set.is_suggestion, source=origin.source,
                   source_ids=(origin.project_id, origin.task_id, origin.annotation_id))

    @property
    def imported_as_is(self) -> bool:
        """Imported, and not changed since (its content matches the fingerprint it was stored with;
        sets imported before fingerprints were recorded count as unchanged)."""
        return self.source == "import" and self.version[1] in (None, self.fingerprint)

    def came_from(self, project_id: int, task_id: int | None, annotation_id: int | None) -> bool:
        """Whether the set's origin names this annotation (an unknown project or task matches any)."""
        project, task, annotation = self.source_ids
        return (annotation is not None and annotation == annotation_id and project in (None, project_id)
                and task in (None, task_id))


@dataclass
class Reconciliation:
    """The outcome: line edits for `annotations.jsonl`, and one typed outcome per set."""

    updates: dict[int, AnnotationSet] = field(default_factory=dict)
    """Local line -> its new version."""
    removals: set[int] = field(default_factory=set)
    """Local lines to drop."""
    additions: list[AnnotationSet] = field(default_factory=list)
    outcomes: list[SetOutcome] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    """Local lines of edited or hand-made sets replaced or removed by `replace_local`."""

    @property
    def changes_file(self) -> bool:
        """True if `annotations.jsonl` must be rewritten."""
        return bool(self.updates or self.removals or self.additions)

    def of(self, status: SetStatus) -> list[SetOutcome]:
        """The outcomes of one status."""
        return [o for o in self.outcomes if o.status == status]


class Reconciler:
    """Feed it each task of one project (`task`), then take the outcome (`finish`)."""

    def __init__(self, local: Iterable[LocalSet], project_id: int, file: str,
                 replace_local: Callable[[str], bool] = lambda doc_id: False) -> None:
        """`local`: the sets of `file` (the annotations file, named in conflict messages);
        `replace_local(doc_id)`: whether Label Studio's version replaces local edits of that document."""
        self.local = list(local)
        self.replace_local = replace_local
        self._added_from: dict[tuple[str, str], int | None] = {}
        self.project_id = project_id
        self.file = file
        self.outcome = Reconciliation()
        self._by_annotation: dict[int | None, LocalSet] = {s.annotation_id: s for s in self.local
                               if s.project_id == project_id and s.annotation_id is not None}
        self._holders: dict[tuple[str, str], int] = {s.key: s.line for s in self.local}
        self._by_line: dict[int, LocalSet] = {s.line: s for s in self.local}
        self._imported: dict[int, list[LocalSet]] = {}
        """Imported sets by the annotation id their origin names: the same annotation, come another way."""
        for local_set in self.local:
            if local_set.source == "import" and local_set.source_ids[2] is not None:
                self._imported.setdefault(local_set.source_ids[2], []).append(local_set)
        self._seen_tasks: set[int] = set()
        self._by_task: dict[int | None, list[LocalSet]] = {}
        """The local sets of this project, by task: each task looks at its own, not at every set."""
        for local_set in self.local:
            if local_set.project_id == project_id:
                self._by_task.setdefault(local_set.task_id, []).append(local_set)

    def _say(self, status: SetStatus, code: OutcomeCode, key: tuple[str, str], task_id: int | None,
             annotation_id: int | None, message: str = "", line: int | None = None) -> None:
        where = f"task {task_id} annotation {annotation_id} ({key[0]}/{key[1]})"
        self.outcome.outcomes.append(SetOutcome(key[0], key[1], status, code, message, where, task_id,
                                                annotation_id, line=line))

    def task(self, task_id: int, live: Iterable[AnnotationSet], present: Collection[int]) -> None:
        """Reconcile one task: `live` are the sets the pull made of its annotations, `present` the
        ids of every annotation still in the task and not skipped (converted or not)."""
        self._seen_tasks.add(task_id)
        outcome = self.outcome
        live_ids = set()
        for annotation_set in live:
            origin = annotation_set.origin
            annotation_id = origin.annotation_id
            live_ids.add(annotation_id)
            key = annotation_set.key
            mine = self._by_annotation.get(annotation_id)
            if mine is not None:
                if mine.edited and self.replace_local(mine.key[0]):
                    outcome.updates[mine.line] = annotation_set
                    outcome.replaced.append(mine.line)
                    self._say("updated", "taken-from-source", key, task_id, annotation_id, line=mine.line)
                elif mine.edited and mine.key == key and mine.version == _version(annotation_set):
                    self._say("kept", "edited-locally", key, task_id, annotation_id,
                              f"the local set at {self.file}:{mine.line} was edited since it was pulled, and "
                              "Label Studio's version has not changed since: the local edit is kept", line=mine.line)
                elif mine.edited:
                    self._say("conflict", "edited-locally", key, task_id, annotation_id,
                              f"the local set at {self.file}:{mine.line} was edited since it was pulled; "
                              "not overwritten", line=mine.line)
                elif mine.key == key and mine.version == _version(annotation_set):
                    self._say("unchanged", "same", key, task_id, annotation_id, line=mine.line)
                else:
                    outcome.updates[mine.line] = annotation_set
                    self._say("updated", "changed-in-source", key, task_id, annotation_id, line=mine.line)
                continue
            imported = next((s for s in self._imported.get(annotation_id, ())  # type: ignore[arg-type]
                             if s.came_from(self.project_id, task_id, annotation_id) and s.key[0] == key[0]
                             and s.line not in outcome.updates and s.line not in outcome.removals), None)
            if imported is not None:
                self._follow(imported, annotation_set, task_id)
                continue
            holder = self._holders.get(key)
            if holder is not None and holder < 0:
                first = self._added_from.get(key)
                self._say("conflict", "second-annotation", key, task_id, annotation_id,
                          f"annotator {annotation_set.annotator} submitted two annotations of this task "
                          f"({first} and {annotation_id}); only {first} was stored: delete one of them in "
                          "Label Studio and pull again")
                continue
            if holder is not None and holder not in outcome.removals:
                held = self._by_line[holder]
                if held.imported_as_is and held.source_ids[2] is None and self._same(held, annotation_set):
                    self._follow(held, annotation_set, task_id)
                    continue
                if self.replace_local(annotation_set.doc_id):
                    outcome.updates[holder] = annotation_set
                    outcome.replaced.append(holder)
                    self._hold(key, annotation_id)
                    self._say("updated", "taken-from-source", key, task_id, annotation_id,
                              f"replaces {self.file}:{holder}, kept in the backup file", line=holder)
                    continue
                self._say("conflict", "held-by-another-set", key, task_id, annotation_id,
                          f"{self.file}:{holder} already holds a set of this annotator for this document "
                          "that did not come from this annotation", line=holder)
                continue
            outcome.additions.append(annotation_set)
            self._hold(key, annotation_id)
            self._say("added", "new", key, task_id, annotation_id)
        for mine in self._by_task.get(task_id, ()):
            if mine.annotation_id not in live_ids and mine.annotation_id not in present:
                self._remove(mine)

    @staticmethod
    def _same(local_set: LocalSet, annotation_set: AnnotationSet) -> bool:
        return (local_set.fingerprint == content_fingerprint(annotation_set)
                and local_set.doc_sha256 == annotation_set.doc_sha256)

    def _follow(self, imported: LocalSet, annotation_set: AnnotationSet, task_id: int) -> None:
        """An imported set of this annotation: adopted when it is as imported and the same as the
        live one (it now follows the annotation), else a conflict unless Label Studio's version is taken."""
        origin, key, line = annotation_set.origin, annotation_set.key, imported.line
        if imported.imported_as_is and self._same(imported, annotation_set):
            self.outcome.updates[line] = annotation_set
            self._hold(key, origin.annotation_id)
            self._say("unchanged", "adopted", key, task_id, origin.annotation_id, line=line)
        elif self.replace_local(key[0]):
            self.outcome.updates[line] = annotation_set
            self.outcome.replaced.append(line)
            self._hold(key, origin.annotation_id)
            self._say("updated", "taken-from-source", key, task_id, origin.annotation_id,
                      f"replaces {self.file}:{line}, kept in the backup file", line=line)
        else:
            self._say("conflict", "edited-locally", key, task_id, origin.annotation_id,
                      f"the set imported from this annotation at {self.file}:{line} differs from Label "
                      "Studio's version now; not overwritten", line=line)

    def _hold(self, key: tuple[str, str], annotation_id: int | None) -> None:
        self._holders[key] = -1
        self._added_from[key] = annotation_id

    def finish(self, *, complete: bool) -> Reconciliation:
        """The outcome. `complete`: every task of the project was seen, so the sets of tasks not
        seen belong to deleted tasks and are removed."""
        if complete:
            for mine in self.local:
                if mine.project_id == self.project_id and mine.task_id not in self._seen_tasks:
                    self._remove(mine)
        return self.outcome

    def _remove(self, mine: LocalSet) -> None:
        if mine.edited and self.replace_local(mine.key[0]):
            self.outcome.removals.add(mine.line)
            self.outcome.replaced.append(mine.line)
            self._say("removed", "taken-from-source", mine.key, mine.task_id, mine.annotation_id,
                      "deleted in Label Studio; the local edit is kept in the backup file", line=mine.line)
            return
        if mine.edited:
            self._say("conflict", "deleted-but-edited", mine.key, mine.task_id, mine.annotation_id,
                      f"deleted in Label Studio, but the local set at {self.file}:{mine.line} was edited "
                      "since it was pulled; kept", line=mine.line)
            return
        self.outcome.removals.add(mine.line)
        self._say("removed", "deleted-in-source", mine.key, mine.task_id, mine.annotation_id, line=mine.line)
