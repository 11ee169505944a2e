"""newsgold's Label Studio bookkeeping in a corpus: `.newsgold/labelstudio.json`.

It holds the project a corpus syncs with by default, a pull cursor per project, and the salt of
annotator pseudonyms. The mapping of documents to tasks is not stored: every task carries its
`doc_id` and `doc_sha256`, so it is rebuilt from the server each time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsgold._io import Transaction, regular_file
from newsgold.errors import UnreadableInputError, UsageError

__all__ = ["ProjectState", "StudioState", "load_state", "stage_state", "STATE_FILE"]

STATE_FILE = "labelstudio.json"


class ProjectState(BaseModel):
    """What newsgold remembers of one Label Studio project."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(description="Project title when last seen.")
    pull_cursor: str | None = Field(
        default=None, description="updated_at of the newest task seen by the last complete pull.")
    conflicts: list[str] = Field(
        default_factory=list, description="What the last pull could not store without losing a local "
        "edit (`studio status` lists them).")


class StudioState(BaseModel):
    """The whole state file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    default_project: int | None = Field(default=None, description="Project used when none is named.")
    salt: str = Field(default_factory=lambda: secrets.token_hex(16),
                      description="Salt of annotator pseudonyms (stable for the corpus).")
    projects: dict[str, ProjectState] = Field(default_factory=dict, description="Per project id.")

    @property
    def corpus_key(self) -> str:
        """What names this corpus (and every copy sharing its state file) in the projects it makes:
        a digest of the salt, which does not reveal it."""
        return "ng-" + hashlib.sha256(b"corpus-key:" + self.salt.encode()).hexdigest()[:12]

    def pseudonym(self, email: str | None, user_id: int | None) -> str:
        """A stable pseudonymous annotator id for a Label Studio user."""
        identity = (email or f"user-{user_id}").strip().lower()
        digest = hmac.new(self.salt.encode(), identity.encode(), hashlib.sha256).hexdigest()
        return f"ann-{digest[:10]}"

    def annotator_id(self, email: str | None, user_id: int | None, *, keep_identities: bool = False) -> str:
        """The annotator id newsgold stores for a Label Studio user: the e-mail address itself
        with `keep_identities` (when there is one), else its pseudonym."""
        return email if keep_identities and email else self.pseudonym(email, user_id)


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
    """Stage the state file in a transaction."""
    txn.write_bytes(state_dir / STATE_FILE,
                    orjson.dumps(state.model_dump(mode="json"), option=orjson.OPT_INDENT_2) + b"\n")
