"""Results are data: the outcome of each set a writer offered, and the base of every report.

A report holds typed records (document id, annotator, task and annotation ids, a code, the rule)
that the CLI renders; a Python caller never parses a sentence. Library messages name parameters
(`replace=`), never command-line flags.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

__all__ = ["Report", "SetOutcome", "SetRef", "SetStatus", "OutcomeCode", "OUTCOME_CODES", "Notice", "NoticeCode",
           "NOTICES", "plain"]

SetStatus = Literal["added", "unchanged", "updated", "removed", "kept", "conflict", "rejected"]
"""What the write path did with a set: stored it new, found it already there, replaced a set with
it, dropped a set, left a set alone by policy, refused to overwrite (a conflict), or refused it."""

OutcomeCode = Literal["new", "same", "adopted", "changed-in-source", "taken-from-source", "replaced",
                      "deleted-in-source", "exists", "hand-made", "edited-locally", "held-by-another-set",
                      "second-annotation", "deleted-but-edited", "differs", "offsets", "invalid", "scheme",
                      "annotator", "source", "draft", "skipped"]
"""Why the write path did what it did with a set: one of OUTCOME_CODES (a test holds the two equal)."""

OUTCOME_CODES: dict[OutcomeCode, str] = {
    "new": "no set of this annotator for this document yet: stored",
    "same": "the corpus already holds this set with the same content: nothing written",
    "adopted": "the corpus already holds this content from another way in (an import of the same "
               "annotation): it now follows its source",
    "changed-in-source": "the source changed the annotation since it was stored: updated",
    "taken-from-source": "the local set was edited or hand-made; the source's version replaced it "
                         "because the caller asked (`replace`); the old set is in the backup file",
    "replaced": "replaced because the caller asked (`replace`); the old set is in the backup file",
    "deleted-in-source": "the annotation or its task is gone from the source: the set was removed",
    "exists": "a set of this name is already there and the caller did not ask to replace it",
    "hand-made": "gold edited by hand (or by another tool) since adjudication wrote it: kept",
    "edited-locally": "the local set was edited since it was stored; the source's version was not written",
    "held-by-another-set": "the corpus holds a set of this annotator for this document that did not "
                           "come from this annotation",
    "second-annotation": "one annotator submitted two annotations of one task; only the first is stored",
    "deleted-but-edited": "gone from the source, but the local set was edited since: kept",
    "differs": "the corpus already holds a different set of this annotator for this document",
    "offsets": "a region's offsets cannot be proven on the stored text",
    "invalid": "not a valid annotation set",
    "scheme": "the set breaks a rule of the scheme",
    "annotator": "not a valid annotator id",
    "source": "the source gave something newsgold cannot store (no integer id, no text)",
    "draft": "a draft the annotator has not submitted: not pulled",
    "skipped": "the annotator skipped the task: not pulled",
}
"""Every outcome code, with what it means (stable: CI and scripts may match on them)."""


@dataclass(frozen=True)
class SetOutcome:
    """What happened to one set: whose, which, what and why."""

    doc_id: str | None
    annotator: str | None
    status: SetStatus
    code: OutcomeCode
    """One of OUTCOME_CODES."""
    message: str = ""
    """The details in words (names parameters, never flags); empty when the code says it all."""
    where: str = ""
    """Where in the input the set came from (a file, a task and annotation)."""
    task_id: int | None = None
    annotation_id: int | None = None
    rule: str | None = None
    """The rule code broken (code `scheme`)."""
    line: int | None = None
    """The line of `annotations.jsonl` (or `gold.jsonl`) of the local set concerned."""

    @property
    def key(self) -> str:
        """`doc_id/annotator`, as the CLI names a set."""
        return f"{self.doc_id}/{self.annotator}"

    def as_text(self) -> str:
        """One line: where, which set, and why."""
        head = self.where or self.key
        words = self.message or OUTCOME_CODES.get(self.code, self.code)
        return f"{head}: {words}"


NoticeCode = Literal[
    "required-attribute-missing", "boundary", "comments-forbidden", "task-not-from-newsgold",
    "document-not-in-corpus", "document-changed", "project-of-another-salt", "prediction-on-another-text",
    "prediction-invalid", "predictions-not-imported", "drafts-not-imported", "skipped-by-annotator",
    "line-not-stored", "stored-other-than-written", "review-text-changed", "review-invalid",
    "two-annotations", "result-not-as-given", "review-two-submissions"]
"""What a warning, loss or rejection that is not one set's outcome is about: one of NOTICES."""

NOTICES: dict[NoticeCode, str] = {
    "required-attribute-missing": "region {region}: {label} {text!r} has no {attributes}, which gold requires; "
                                  "set it in Label Studio",
    "boundary": "region {region}: {message}: {fix} [{rule}]",
    "comments-forbidden": "this API key may not read the project's comments (HTTP 403); none were pulled",
    "task-not-from-newsgold": "task {task_id} has no doc_id: it was not pushed by newsgold; skipped",
    "document-not-in-corpus": "task {task_id}: document {doc_id} is not in the corpus; skipped",
    "document-changed": "task {task_id}: document {doc_id} changed since it was pushed; its annotations were "
                        "made on the old text and are not pulled",
    "project-of-another-salt": "using Label Studio project {project_id} titled {title!r}, made by a corpus with "
                               "another pseudonym salt (project key {project_key}), or by an earlier push of this "
                               "corpus that did not finish. If another copy of this corpus made it, copy that "
                               "copy's .newsgold/pseudonyms.json and .newsgold/labelstudio.json here first, so "
                               "that annotators keep their pseudonyms",
    "prediction-on-another-text": "{doc_id}: the {set_name} set was made on another text",
    "prediction-invalid": "{doc_id}: {errors}",
    "predictions-not-imported": "{count} prediction(s) not imported (pass set_name=NAME to import them as sets of NAME)",
    "drafts-not-imported": "{count} draft(s) not imported (not submitted)",
    "skipped-by-annotator": "skipped by the annotator",
    "line-not-stored": "{why}",
    "stored-other-than-written": "{why}",
    "review-text-changed": "{doc_id} (task {task_id}): its text changed since the review task was made",
    "review-invalid": "{doc_id} (task {task_id}): {problems}",
    "two-annotations": "{doc_id} (task {task_id}): {annotator} submitted annotations {annotation_ids}",
    "result-not-as-given": "{why}",
    "review-two-submissions": "{doc_id} (task {task_id}): the review task has {annotation_ids} submitted; delete all "
                              "but the decision in Label Studio, then pull again (nothing of it was stored)",
}
"""Every notice code, with the words a notice of it is rendered in (its `params` fill them)."""


@dataclass(frozen=True)
class Notice:
    """A warning, a loss or a rejection that is not the outcome of one set: a code, the document
    and the place it concerns, and the parameters that say the rest; `as_text()` renders it."""

    code: NoticeCode
    """One of NOTICES."""
    doc_id: str | None = None
    where: str = ""
    """The place: a task and annotation, a file and line."""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_text(self) -> str:
        """One line: the place, then the notice in words."""
        words = NOTICES[self.code].format(doc_id=self.doc_id, **self.params)
        return f"{self.where}: {words}" if self.where else words


@dataclass(frozen=True)
class SetRef:
    """One annotation set, by its document and annotator (`str()`: `doc_id/annotator`)."""

    doc_id: str
    annotator: str

    def __str__(self) -> str:
        return f"{self.doc_id}/{self.annotator}"


class Report:
    """The base of every operation's result: `ok` and a complete `as_dict()`."""

    @property
    def ok(self) -> bool:
        """False when something the call was asked to do was not done: a conflict, a rejection, an
        invalid record. What is left alone by policy and reported (hand-made gold kept, a draft not
        pulled) is not a failure. The CLI exits 1 when it is False."""
        return True

    def as_dict(self) -> dict[str, Any]:
        """Every field as plain JSON values (nothing left out), with `ok`."""
        assert dataclasses.is_dataclass(self)
        found = {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        found["ok"] = self.ok
        return found


def plain(value: Any) -> Any:
    """`value` as JSON values: dataclasses and models as objects, paths as strings."""
    if isinstance(value, Report):
        return value.as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value
