"""Annotator pseudonyms: the corpus's salt, and the ids it gives the people who annotate.

The salt is corpus state (`.newsgold/pseudonyms.json`): every writer that turns a person into an
annotator id (a Label Studio import, a pull, a push naming its project) uses the same one, and the
first writer that needs it stores it in the same transaction as what it writes. Corpora written
before the salt had a file of its own kept it in `.newsgold/labelstudio.json`; it is read from
there until the next write stores it here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsgold._io import Transaction, regular_file
from newsgold.errors import UnreadableInputError, UsageError

__all__ = ["Identity", "Pseudonyms", "PSEUDONYMS_FILE", "read_pseudonyms", "stage_pseudonyms"]

PSEUDONYMS_FILE = "pseudonyms.json"
LEGACY_FILE = "labelstudio.json"


class PseudonymSalt(BaseModel):
    """`.newsgold/pseudonyms.json`: the salt of the corpus's annotator pseudonyms."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    salt: str = Field(min_length=16, description="Random key of the pseudonyms (HMAC-SHA256); keep it "
                      "with the corpus, never publish it.")
    users: dict[str, str] = Field(
        default_factory=dict, description="Label Studio user id -> that user's pseudonym, as learnt when "
        "the user was known by e-mail (a pull): Label Studio's JSON export names annotators by user id "
        "only, and an import of it then gives the same pseudonym as a pull. Never publish it either.")


@dataclass(frozen=True)
class Identity:
    """A person as a source names them (a Label Studio user): turned into an annotator id by the
    write path, with the corpus's salt."""

    email: str | None
    user_id: int | None
    keep: bool = False
    """Store the e-mail address itself instead of its pseudonym (when there is one)."""


@dataclass
class Pseudonyms:
    """The salt of a corpus and the annotator ids it gives, and where the salt is kept: in
    `pseudonyms.json` (`file`), only in the legacy `labelstudio.json` (`legacy`), or nowhere yet
    (`new`). `users` maps Label Studio user ids to the pseudonyms their e-mail addresses gave."""

    salt: str
    kept_in: Literal["file", "legacy", "new"]
    users: dict[str, str] = field(default_factory=dict)
    learnt: bool = False
    """A user id was mapped since the file was read: it must be stored again."""

    @property
    def stored(self) -> bool:
        """Whether the corpus has this salt on disk (in either file)."""
        return self.kept_in != "new"

    @property
    def corpus_key(self) -> str:
        """What names this corpus (and every copy sharing its salt) in the Label Studio projects it
        makes: a digest of the salt, which does not reveal it."""
        return "ng-" + hashlib.sha256(b"corpus-key:" + self.salt.encode()).hexdigest()[:12]

    def pseudonym(self, email: str | None, user_id: int | None) -> str:
        """A stable pseudonymous annotator id for a person known by e-mail (else by user id)."""
        identity = (email or f"user-{user_id}").strip().lower()
        digest = hmac.new(self.salt.encode(), identity.encode(), hashlib.sha256).hexdigest()
        return f"ann-{digest[:10]}"

    def annotator_id(self, email: str | None, user_id: int | None, *, keep_identities: bool = False) -> str:
        """The annotator id stored for a person: the e-mail address itself with `keep_identities`
        (when there is one), else its pseudonym."""
        return email if keep_identities and email else self.pseudonym(email, user_id)

    def resolve(self, who: str | Identity) -> str:
        """An annotator id as it is (a str), or the id of an `Identity`: its e-mail's pseudonym (the
        user id is then remembered with it), else the pseudonym remembered for its user id, else the
        user id's own pseudonym."""
        if isinstance(who, str):
            return who
        if who.keep and who.email:
            return who.email
        if who.email:
            found = self.pseudonym(who.email, who.user_id)
            if who.user_id is not None and self.users.get(str(who.user_id)) != found:
                self.users[str(who.user_id)] = found
                self.learnt = True
            return found
        if who.user_id is not None and str(who.user_id) in self.users:
            return self.users[str(who.user_id)]
        return self.pseudonym(None, who.user_id)


def read_pseudonyms(state_dir: Path) -> Pseudonyms:
    """The corpus's salt from `state_dir` (`pseudonyms.json`, else the legacy `labelstudio.json`),
    or a new one (`kept_in` "new") if it has none. Raises UsageError when the file is broken."""
    path = state_dir / PSEUDONYMS_FILE
    if regular_file(path):
        try:
            stored = PseudonymSalt.model_validate_json(_read(path))
            return Pseudonyms(stored.salt, "file", dict(stored.users))
        except ValidationError as exc:
            raise _broken(path, exc) from None
    legacy = state_dir / LEGACY_FILE
    if regular_file(legacy):
        try:
            salt = orjson.loads(_read(legacy)).get("salt")
        except (orjson.JSONDecodeError, AttributeError):
            salt = None
        if isinstance(salt, str):
            return Pseudonyms(salt, "legacy")
    return Pseudonyms(secrets.token_hex(16), "new")


def stage_pseudonyms(state_dir: Path, pseudonyms: Pseudonyms, txn: Transaction) -> Pseudonyms:
    """Stage `pseudonyms.json` in `txn` unless it already holds all of them; returns them as stored."""
    if pseudonyms.kept_in != "file" or pseudonyms.learnt:
        record = PseudonymSalt(salt=pseudonyms.salt, users=dict(sorted(pseudonyms.users.items())))
        txn.write_bytes(state_dir / PSEUDONYMS_FILE,
                        orjson.dumps(record.model_dump(mode="json"), option=orjson.OPT_INDENT_2) + b"\n")
    return Pseudonyms(pseudonyms.salt, "file", dict(pseudonyms.users))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None


def _broken(path: Path, exc: ValidationError) -> UsageError:
    error = exc.errors(include_url=False)[0]
    where = ".".join(map(str, error["loc"])) or "(file)"
    return UsageError(f"{path} is broken ({where}: {error['msg']}); restore it from version control (it "
                      "holds the pseudonym salt), or delete it to start afresh with new annotator ids")
