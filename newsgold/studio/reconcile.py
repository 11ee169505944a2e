"""Pull reconciliation: what the live annotations of Label Studio do to the local annotation sets.

A pure computation, no I/O: given the sets of `annotations.jsonl` (with their line numbers) and,
task by task, the annotations a pull could convert, it decides what is added, updated, removed,
left alone, and what is a conflict that must not be overwritten. `newsgold.studio.pull` only
fetches tasks and writes the outcome.

The rules:
- a live annotation not pulled before is added, unless the corpus already holds a set of that
  annotator for that document that did not come from it (hand-made, imported, or a second
  annotation of one annotator): a conflict;
- a pulled set whose annotation changed (time, content or text) is updated; one that did not is
  unchanged;
- a pulled set whose annotation is gone from its task (deleted, or now skipped), or whose task is
  gone (only known after a complete pull), is removed;
- a set edited locally since it was pulled (or not from Label Studio) is never updated or removed:
  a conflict, unless its document is one whose Label Studio version the user chose to take
  (`take_studio`): then it is replaced or removed, and its line is listed in `replaced` so that
  pull can keep it in a backup file. An annotation still in its task that the pull could not
  convert (rejected) leaves its set alone;
- a second submitted annotation of one annotator on one task is a conflict that names both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

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

    @classmethod
    def of(cls, line: int, annotation_set: AnnotationSet) -> LocalSet:
        """The local view of the set at `line`."""
        origin = annotation_set.origin
        from_studio = origin.source == "label-studio"
        edited = (origin.content_sha256 is not None
                  and origin.content_sha256 != content_fingerprint(annotation_set))
        return cls(line=line, key=annotation_set.key,
                   project_id=origin.project_id if from_studio else None,
                   task_id=origin.task_id if from_studio else None,
                   annotation_id=origin.annotation_id if from_studio else None,
                   edited=edited or not from_studio, version=_version(annotation_set))


@dataclass
class Reconciliation:
    """The outcome: line edits for `annotations.jsonl`, and what to report."""

    updates: dict[int, AnnotationSet] = field(default_factory=dict)
    """Local line -> its new version."""
    removals: set[int] = field(default_factory=set)
    """Local lines to drop."""
    additions: list[AnnotationSet] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    """Local lines of edited or hand-made sets replaced or removed by `take_studio`."""

    @property
    def changes_file(self) -> bool:
        """True if `annotations.jsonl` must be rewritten."""
        return bool(self.updates or self.removals or self.additions)


class Reconciler:
    """Feed it each task of one project (`task`), then take the outcome (`finish`)."""

    def __init__(self, local: Iterable[LocalSet], project_id: int, file: str,
                 take_studio: Callable[[str], bool] = lambda doc_id: False) -> None:
        """`local`: the sets of `file` (the annotations file, named in conflict messages);
        `take_studio(doc_id)`: whether Label Studio's version replaces local edits of that document."""
        self.local = list(local)
        self.take_studio = take_studio
        self._added_from: dict[tuple[str, str], int | None] = {}
        self.project_id = project_id
        self.file = file
        self.outcome = Reconciliation()
        self._by_annotation: dict[int | None, LocalSet] = {s.annotation_id: s for s in self.local
                               if s.project_id == project_id and s.annotation_id is not None}
        self._holders: dict[tuple[str, str], int] = {s.key: s.line for s in self.local}
        self._seen_tasks: set[int] = set()
        self._by_task: dict[int | None, list[LocalSet]] = {}
        """The local sets of this project, by task: each task looks at its own, not at every set."""
        for local_set in self.local:
            if local_set.project_id == project_id:
                self._by_task.setdefault(local_set.task_id, []).append(local_set)

    def task(self, task_id: int, live: Iterable[AnnotationSet], present: Collection[int]) -> None:
        """Reconcile one task: `live` are the sets the pull made of its annotations, `present` the
        ids of every annotation still in the task and not skipped (converted or not)."""
        self._seen_tasks.add(task_id)
        outcome = self.outcome
        live_ids = set()
        for annotation_set in live:
            origin = annotation_set.origin
            live_ids.add(origin.annotation_id)
            where = (f"task {task_id} annotation {origin.annotation_id} "
                     f"({annotation_set.doc_id}/{annotation_set.annotator})")
            mine = self._by_annotation.get(origin.annotation_id)
            if mine is not None:
                if mine.edited and self.take_studio(mine.key[0]):
                    outcome.updates[mine.line] = annotation_set
                    outcome.replaced.append(mine.line)
                    outcome.updated.append(f"{where} (the local edit is kept in the backup file)")
                elif mine.edited:
                    outcome.conflicts.append(f"{where}: the local set at {self.file}:{mine.line} "
                                             "was edited since it was pulled; not overwritten (take "
                                             "Label Studio's version with --take-studio "
                                             f"{annotation_set.doc_id})")
                elif mine.key == annotation_set.key and mine.version == _version(annotation_set):
                    outcome.unchanged += 1
                else:
                    outcome.updates[mine.line] = annotation_set
                    outcome.updated.append(where)
                continue
            holder = self._holders.get(annotation_set.key)
            if holder is not None and holder < 0:
                first = self._added_from.get(annotation_set.key)
                outcome.conflicts.append(
                    f"{where}: annotator {annotation_set.annotator} submitted two annotations of this task "
                    f"({first} and {origin.annotation_id}); only {first} was stored. Delete one of them in "
                    "Label Studio and pull again")
                continue
            if holder is not None and holder not in outcome.removals:
                if self.take_studio(annotation_set.doc_id):
                    outcome.updates[holder] = annotation_set
                    outcome.replaced.append(holder)
                    outcome.updated.append(f"{where} (replaces {self.file}:{holder}, kept in the backup file)")
                    self._holders[annotation_set.key] = -1
                    self._added_from[annotation_set.key] = origin.annotation_id
                    continue
                outcome.conflicts.append(f"{where}: {self.file}:{holder} already holds a set of this annotator "
                                         "for this document that did not come from this annotation (take "
                                         f"Label Studio's version with --take-studio {annotation_set.doc_id})")
                continue
            outcome.additions.append(annotation_set)
            self._holders[annotation_set.key] = -1
            self._added_from[annotation_set.key] = origin.annotation_id
            outcome.added.append(where)
        for mine in self._by_task.get(task_id, ()):
            if mine.annotation_id not in live_ids and mine.annotation_id not in present:
                self._remove(mine, f"task {task_id} annotation {mine.annotation_id}")

    def finish(self, *, complete: bool) -> Reconciliation:
        """The outcome. `complete`: every task of the project was seen, so the sets of tasks not
        seen belong to deleted tasks and are removed."""
        if complete:
            for mine in self.local:
                if mine.project_id == self.project_id and mine.task_id not in self._seen_tasks:
                    self._remove(mine, f"task {mine.task_id} (deleted)")
        return self.outcome

    def _remove(self, mine: LocalSet, where: str) -> None:
        if mine.edited and self.take_studio(mine.key[0]):
            self.outcome.removals.add(mine.line)
            self.outcome.replaced.append(mine.line)
            self.outcome.removed.append(f"{where} ({mine.key[0]}/{mine.key[1]}; the local edit is kept in "
                                        "the backup file)")
            return
        if mine.edited:
            self.outcome.conflicts.append(f"{where}: deleted in Label Studio, but the local set at "
                                          f"{self.file}:{mine.line} was edited since it was pulled; kept")
            return
        self.outcome.removals.add(mine.line)
        self.outcome.removed.append(f"{where} ({mine.key[0]}/{mine.key[1]})")
