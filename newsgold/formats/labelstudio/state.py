"""newsgold's Label Studio bookkeeping in a corpus: `.newsgold/labelstudio.json`.

It holds the project a corpus syncs with by default and a pull cursor per project. The salt of
annotator pseudonyms is corpus state (`newsgold.corpus.pseudonyms`, `.newsgold/pseudonyms.json`);
state files written before it moved there still carry it, and are read as they are. The mapping of documents to tasks is not stored: every task carries its
`doc_id` and `doc_sha256`, so it is rebuilt from the server each time.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsgold._io import Transaction, regular_file
from newsgold.corpus.outcomes import OutcomeCode, SetOutcome
from newsgold.errors import UnreadableInputError, UsageError

__all__ = ["ConflictRecord", "stored_conflict", "ProjectState", "StudioState", "load_state", "stage_state", "STATE_FILE"]

STATE_FILE = "labelstudio.json"


class ConflictRecord(BaseModel):
    """A set the last pull could not store without losing a local edit, as data (the fields of
    `newsgold.corpus.outcomes.SetOutcome`)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    doc_id: str | None = None
    annotator: str | None = None
    code: OutcomeCode = Field(description="The outcome code (edited-locally, held-by-another-set, deleted-but-edited).")
    message: str = ""
    where: str = ""
    task_id: int | None = None
    annotation_id: int | None = None
    line: int | None = None


def stored_conflict(record: ConflictRecord | str) -> SetOutcome:
    """A conflict as the state file keeps it, as an outcome (a state file before 0.2 kept its text)."""
    if isinstance(record, str):
        return SetOutcome(None, None, "conflict", "edited-locally", record)
    return SetOutcome(record.doc_id, record.annotator, "conflict", record.code, record.message, record.where,
                      record.task_id, record.annotation_id, line=record.line)


class ProjectState(BaseModel):
    """What newsgold remembers of one Label Studio project."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(description="Project title when last seen.")
    pull_cursor: str | None = Field(
        default=None, description="updated_at of the newest task seen by the last complete pull.")
    conflicts: list[ConflictRecord | str] = Field(
        default_factory=list, description="What the last pull could not store without losing a local "
        "edit (`studio status` lists them); a string is a conflict as state files before 0.2 wrote it.")


class StudioState(BaseModel):
    """The whole state file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    default_project: int | None = Field(default=None, description="Project used when none is named.")
    salt: str | None = Field(default=None, description="Legacy: the salt of annotator pseudonyms, "
                             "now kept in pseudonyms.json (moved there by the next write).")
    projects: dict[str, ProjectState] = Field(default_factory=dict, description="Per project id.")


def load_state(state_dir: Path) -> StudioState:
    """Read the state of a corpus (a fresh one if there is none); UsageError if it is broken."""
    path = state_dir / STATE_FILE
    if not regular_file(path):
        return StudioState()
    try:
        return StudioState.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(map(str, error["loc"])) or "(file)"
        raise UsageError(
            f"{path} is broken ({where}: {error['msg']}); restore it from version control (it "
            "holds the pseudonym salt and pull cursors), or delete it to start afresh with new "
            "annotator ids") from None


def stage_state(state_dir: Path, state: StudioState, txn: Transaction) -> None:
    """Stage the state file in a transaction (without the legacy salt: stage the corpus's
    pseudonyms in the same transaction, see `newsgold.corpus.write.CorpusWrite.pseudonyms`)."""
    record = state.model_dump(mode="json", exclude={"salt"})
    txn.write_bytes(state_dir / STATE_FILE, orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n")
