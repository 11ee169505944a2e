"""The manifest of a corpus (`newsgold.json`) and the scheme it names: read once, the same way by every command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from newsgold._io import regular_file
from newsgold.corpus.problems import error_location, plain_errors
from newsgold.errors import CorpusNotFoundError, UnreadableInputError, UsageError
from newsgold.rules import RULES
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import Scheme

__all__ = ["MANIFEST_NAME", "ManifestError", "first_error_text", "load_manifest", "read_manifest", "read_scheme_file"]

MANIFEST_NAME = "newsgold.json"


class ManifestError(UsageError):
    """`newsgold.json` (part `manifest`) or the scheme file it names (part `scheme`) fails its model."""

    def __init__(self, message: str, path: Path, part: Literal["manifest", "scheme"],
                 error: ValidationError) -> None:
        super().__init__(message)
        self.path, self.part, self.error = path, part, error


def read_manifest(root: Path) -> tuple[CorpusManifest, Scheme]:
    """Read `newsgold.json` of the corpus at `root` and its scheme, the one way every command does.

    Raises CorpusNotFoundError (no manifest), UnreadableInputError (it or the scheme cannot be
    read), UsageError (a scheme file outside the corpus) or ManifestError (either fails its model;
    `validate` lists its errors, every other command stops at its message).
    """
    path = root / MANIFEST_NAME
    if not regular_file(path):
        raise CorpusNotFoundError(root, f"{path} does not exist")
    try:
        manifest = CorpusManifest.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    except ValidationError as exc:
        raise ManifestError(f"{path} is invalid: {first_error_text(exc)}; fix it (`newsgold validate` lists "
                            "every problem; the fields are in docs/format.md and docs/scheme.md)",
                            path, "manifest", exc) from None
    if isinstance(manifest.scheme, Scheme):
        return manifest, manifest.scheme
    try:
        scheme = read_scheme_file(root, manifest.scheme)
    except ValidationError as exc:
        raise ManifestError(f"{root}: scheme {root / manifest.scheme} is invalid: {first_error_text(exc)}; "
                            "fix the scheme (`newsgold validate` lists every problem; the fields are in "
                            "docs/scheme.md)",
                            root / manifest.scheme, "scheme", exc) from None
    return manifest, scheme


def load_manifest(root: Path) -> tuple[CorpusManifest, Scheme]:
    """`read_manifest`, with a manifest that is not JSON at all reported as no corpus."""
    try:
        return read_manifest(root)
    except ManifestError as exc:
        if exc.part == "manifest" and any(e["type"] == "json_invalid" for e in exc.error.errors()):
            raise CorpusNotFoundError(root, f"{exc.path} is not JSON: {first_error_text(exc.error)}") from None
        raise


def read_scheme_file(root: Path, name: str) -> Scheme:
    """Read the scheme file a manifest names. Raises UsageError if it lies outside the corpus,
    UnreadableInputError (rule NG003) if it cannot be read, and pydantic's ValidationError if
    it is not a valid scheme (the caller reports that as it reports the manifest)."""
    path = root / name
    real_root = os.path.realpath(root)
    if Path(name).is_absolute() or not os.path.realpath(path).startswith(real_root + os.sep):
        raise UsageError(f"{root / MANIFEST_NAME}: scheme {name!r} is outside the corpus folder; "
                         "name a file inside it, e.g. \"scheme.json\"")
    try:
        if not regular_file(path):
            raise UnreadableInputError(f"{path}: cannot read the scheme: no such file; "
                                       f"{RULES['NG003'].fix} [NG003]")
        content = path.read_bytes()
    except UnreadableInputError as exc:
        if "[NG003]" in str(exc):
            raise
        reason = str(exc).removeprefix(f"{path}: ")
        raise UnreadableInputError(f"{path}: cannot read the scheme: {reason}; {RULES['NG003'].fix} [NG003]") from None
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read the scheme: {exc.strerror}; "
                                   f"{RULES['NG003'].fix} [NG003]") from None
    return Scheme.model_validate_json(content)


def first_error_text(exc: ValidationError) -> str:
    """`field: message` of the first error, in plain words (no pydantic internals)."""
    error = plain_errors(exc)[0]
    loc = error_location(error["loc"]) or "(record)"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}"
