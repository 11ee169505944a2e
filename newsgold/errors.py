"""The exceptions newsgold raises. The CLI turns each into one line on stderr and an exit status."""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = [
    "NewsgoldError",
    "UsageError",
    "CorpusNotFoundError",
    "UnreadableInputError",
    "IngestError",
    "DocumentConflictError",
    "StudioError",
    "StudioAuthError",
    "StudioUnreachableError",
    "ConfigChangeError",
    "ExportError",
    "ImportFormatError",
    "InvalidRecordError",
    "CannotWriteError",
    "CorpusLockedError",
    "MissingExtraError",
]


class NewsgoldError(Exception):
    """Base class of every error newsgold raises on purpose; `exit_code` is the CLI's exit status."""

    exit_code = 1


class UsageError(NewsgoldError):
    """The call itself is wrong: an option, an argument or a missing setting."""

    exit_code = 2


class CorpusNotFoundError(UsageError):
    """The folder is not a newsgold corpus (it has no readable newsgold.json).

    The message says what to do next: a folder that does not exist is most often a mistyped path,
    so a corpus nearby with a similar name is named first; `init` (which would make a new, empty
    corpus at the typo) is suggested only when there is none.
    """

    def __init__(self, path: Path, reason: str = "") -> None:
        path = Path(path)
        detail = f": {reason}" if reason else ""
        nearest = nearest_corpus(path) if not path.exists() else None
        if nearest is not None:
            hint = f"did you mean {nearest}?"
        elif not path.exists():
            hint = f"check the path, or make a new corpus there with `newsgold init --corpus {path}`"
        else:
            hint = f"make it one with `newsgold init --corpus {path}`"
        super().__init__(f"{path} is not a newsgold corpus{detail}; {hint}")
        self.path = path


def nearest_corpus(path: Path) -> Path | None:
    """The corpus beside `path` (a folder holding newsgold.json) whose name is closest to its name."""
    import difflib

    parent = path.parent
    try:
        corpora = [entry.name for entry in parent.iterdir() if (entry / "newsgold.json").is_file()]
    except OSError:
        return None
    close = difflib.get_close_matches(path.name, corpora, n=1, cutoff=0.6)
    return parent / close[0] if close else None


class MissingExtraError(UsageError):
    """What was asked for needs an extra of newsgold that is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        self.needs = (f"needs newsgold's {extra!r} extra ({module} is not installed): "
                      f"pip install 'newsgold[{extra}]'")
        """The reason, as the end of a sentence whose subject is what was asked for."""
        super().__init__(f"this {self.needs}")
        self.extra = extra
        self.module = module


class UnreadableInputError(NewsgoldError):
    """An input file cannot be read at all (missing, not UTF-8, not a file)."""

    exit_code = 2


class CannotWriteError(NewsgoldError):
    """A file or folder could not be written (disk full, read-only, no permission); nothing of
    the command was written."""

    exit_code = 2

    def __init__(self, path: Path, error: OSError) -> None:
        reason = error.strerror or str(error)
        hint = {
            errno.ENOSPC: "free some space",
            errno.EDQUOT: "free some space (disk quota exceeded)",
            errno.EROFS: "the file system is read-only: write somewhere else",
            errno.EACCES: "check the folder's permissions",
            errno.EPERM: "check the folder's permissions",
        }.get(error.errno or 0, "check the path")
        super().__init__(f"{path}: cannot write: {reason}; {hint} and run the command again "
                         "(nothing was changed)")
        self.path = path
        self.errno = error.errno


class CorpusLockedError(NewsgoldError):
    """Another newsgold command holds the corpus write lock."""

    exit_code = 2

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(
            f"{path}: another newsgold command is writing to this corpus (waited {waited:g} s); "
            "run this one again when it has finished, or set NEWSGOLD_LOCK_TIMEOUT to wait longer"
        )
        self.path = path


class IngestError(NewsgoldError):
    """An article could not be ingested."""


class DocumentConflictError(IngestError):
    """The same document id arrived with a different text and `replace` was not asked for."""


class StudioError(NewsgoldError):
    """Talking to Label Studio failed; `status` is the HTTP status of the server's answer, if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class StudioAuthError(StudioError):
    """Label Studio refused the API key (exit 2, as a usage error: the setting is wrong)."""

    exit_code = 2


class StudioUnreachableError(StudioError):
    """Label Studio could not be reached at the configured URL (exit 2: nothing was done)."""

    exit_code = 2


class ConfigChangeError(StudioError):
    """A labeling-config update would orphan annotations already in the project."""


class ExportError(NewsgoldError):
    """An export could not be written."""


class ImportFormatError(NewsgoldError):
    """A Label Studio or brat file to import is not in the expected form."""


class InvalidRecordError(NewsgoldError):
    """A corpus record breaks a rule; readers stop at the first one with the line `newsgold
    validate` prints for it (`file:line: record field: message: fix [CODE]`)."""

    def __init__(self, path: Path, line: int, detail: str, rule: str = "NG105") -> None:
        super().__init__(f"{detail}; run `newsgold validate` for every problem")
        self.path = path
        self.line = line
        self.detail = detail
        self.rule = rule

    def __reduce__(self) -> tuple[type[InvalidRecordError], tuple[Path, int, str, str]]:
        # Raised in export worker processes too: rebuild it from its parts, not its message.
        return (type(self), (self.path, self.line, self.detail, self.rule))
