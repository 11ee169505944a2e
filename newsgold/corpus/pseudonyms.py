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
        default_factory=dict, description="Label Studio user id -> that user's pseudonym, as first given "
        "(by a pull, which knows the e-mail, or an import of Label Studio's JSON export, which names "
        "annotators by user id only): whichever way a person's annotations arrive later, they keep it. "
        "Never publish it either.")
    aliases: dict[str, str] = Field(
        default_factory=dict, description="The pseudonym an e-mail address would give -> the pseudonym its "
        "person was given first (by user id, before their e-mail was known).")
    given: list[str] | None = Field(
        default=None, description="Every pseudonym this salt has given in this corpus: a salt that did not "
        "give the pseudonyms the corpus holds (another corpus's) is refused. Missing in files written "
        "before it existed: then taken from the corpus at the next write.")


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
    """A user id, an alias or a pseudonym was learnt since the file was read: it must be stored again."""
    aliases: dict[str, str] = field(default_factory=dict)
    given: set[str] | None = None
    """Every pseudonym given in this corpus (None: not known, for a file older than the record)."""

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
        """An annotator id as it is (a str), or the one pseudonym of an `Identity`, whichever way it
        arrives: the pseudonym first given to its user id, else the one first given to its e-mail
        address, else its e-mail's pseudonym, else its user id's. Every way it arrived is remembered,
        so that the next arrival by another way gives the same pseudonym."""
        if isinstance(who, str):
            return who
        if who.keep and who.email:
            return who.email
        by_email = self.pseudonym(who.email, None) if who.email else None
        user = str(who.user_id) if who.user_id is not None else None
        found = ((self.users.get(user) if user is not None else None)
                 or (self.aliases.get(by_email) if by_email else None)
                 or by_email or self.pseudonym(None, who.user_id))
        if user is not None and self.users.get(user) != found:
            self.users[user] = found
            self.learnt = True
        if by_email and by_email != found and self.aliases.get(by_email) != found:
            self.aliases[by_email] = found
            self.learnt = True
        if self.given is not None and found not in self.given:
            self.given.add(found)
            self.learnt = True
        return found


def read_pseudonyms(state_dir: Path, annotations: Path | None = None) -> Pseudonyms:
    """The corpus's salt from `state_dir` (`pseudonyms.json`, else the legacy `labelstudio.json`),
    or a new one (`kept_in` "new") if it has none. Raises UsageError when the file is broken.

    With the corpus's `annotations` file, the salt must be the one that gave the pseudonyms stored
    there: UsageError, saying how to restore it, when the corpus holds pseudonymous sets and no salt
    (a copy that lost `.newsgold/`), or a salt that never gave them (another corpus's)."""
    path = state_dir / PSEUDONYMS_FILE
    found = _stored_salt(state_dir, path)
    if annotations is None:
        return found
    stored = _pseudonyms_in(annotations)
    if stored and found.kept_in == "new":
        raise UsageError(f"{annotations} holds the sets of {len(stored)} pseudonymous annotator(s) "
                         f"({sorted(stored)[0]}, ...) but the corpus has no pseudonym salt ({path}): a new salt "
                         "would give the same people new ids. Restore .newsgold/pseudonyms.json (from version "
                         "control, or the copy of the corpus this one was made from), then run this again")
    if found.given is None:  # a file older than the record: it is taken to have given what is there
        found.given = set(stored)
        found.learnt = found.learnt or bool(stored) or found.kept_in == "file"
    elif stored - found.given:
        raise UsageError(f"{path} did not give the pseudonyms {annotations} holds ({sorted(stored - found.given)[0]}, "
                         "...): it is another corpus's salt, or an older one. Restore this corpus's "
                         ".newsgold/pseudonyms.json (from version control), then run this again")
    return found


def _stored_salt(state_dir: Path, path: Path) -> Pseudonyms:
    if regular_file(path):
        try:
            stored = PseudonymSalt.model_validate_json(_read(path))
        except ValidationError as exc:
            raise _broken(path, exc) from None
        return Pseudonyms(stored.salt, "file", dict(stored.users), aliases=dict(stored.aliases),
                          given=set(stored.given) if stored.given is not None else None)
    legacy = state_dir / LEGACY_FILE
    if regular_file(legacy):
        try:
            salt = orjson.loads(_read(legacy)).get("salt")
        except (orjson.JSONDecodeError, AttributeError):
            salt = None
        if isinstance(salt, str):
            return Pseudonyms(salt, "legacy")
    return Pseudonyms(secrets.token_hex(16), "new")


def _pseudonyms_in(annotations: Path) -> set[str]:
    """The pseudonymous annotator ids (`ann-...`) of the sets stored in `annotations` (streamed)."""
    found: set[str] = set()
    if not regular_file(annotations):
        return found
    try:
        with open(annotations, "rb") as f:
            for line in f:
                if b'"ann-' not in line:
                    continue
                try:
                    annotator = orjson.loads(line).get("annotator")
                except (orjson.JSONDecodeError, AttributeError):
                    continue  # a broken line is validate's to report
                if isinstance(annotator, str) and annotator.startswith("ann-"):
                    found.add(annotator)
    except OSError as exc:
        raise UnreadableInputError(f"{annotations}: cannot read: {exc.strerror}") from None
    return found


def stage_pseudonyms(state_dir: Path, pseudonyms: Pseudonyms, txn: Transaction) -> Pseudonyms:
    """Stage `pseudonyms.json` in `txn` unless it already holds all of them; returns them as stored."""
    if pseudonyms.kept_in != "file" or pseudonyms.learnt:
        record = PseudonymSalt(salt=pseudonyms.salt, users=dict(sorted(pseudonyms.users.items())),
                               aliases=dict(sorted(pseudonyms.aliases.items())),
                               given=sorted(pseudonyms.given) if pseudonyms.given is not None else None)
        txn.write_bytes(state_dir / PSEUDONYMS_FILE,
                        orjson.dumps(record.model_dump(mode="json", exclude_none=True), option=orjson.OPT_INDENT_2)
                        + b"\n")
    return Pseudonyms(pseudonyms.salt, "file", dict(pseudonyms.users), aliases=dict(pseudonyms.aliases),
                      given=set(pseudonyms.given) if pseudonyms.given is not None else None)


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
