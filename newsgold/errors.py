"""The exceptions newsgold raises. The CLI turns each into one line on stderr and an exit status."""

from __future__ import annotations

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
]


class NewsgoldError(Exception):
    """Base class of every error newsgold raises on purpose; `exit_code` is the CLI's exit status."""

    exit_code = 1


class UsageError(NewsgoldError):
    """The call itself is wrong: an option, an argument or a missing setting."""

    exit_code = 2


class CorpusNotFoundError(UsageError):
    """The folder is not a newsgold corpus (it has no readable newsgold.json)."""

    def __init__(self, path: Path, reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(
            f"{path} is not a newsgold corpus{detail}; create one with `newsgold init {path}`"
        )
        self.path = path


class UnreadableInputError(NewsgoldError):
    """An input file cannot be read at all (missing, not UTF-8, not a file)."""

    exit_code = 2


class IngestError(NewsgoldError):
    """An article could not be ingested."""


class DocumentConflictError(IngestError):
    """The same document id arrived with a different text and `replace` was not asked for."""


class StudioError(NewsgoldError):
    """Talking to Label Studio failed."""


class StudioAuthError(StudioError):
    """Label Studio refused the API key."""


class StudioUnreachableError(StudioError):
    """Label Studio could not be reached at the configured URL."""


class ConfigChangeError(StudioError):
    """A labeling-config update would orphan annotations already in the project."""


class ExportError(NewsgoldError):
    """An export could not be written."""


class ImportFormatError(NewsgoldError):
    """A Label Studio or brat file to import is not in the expected form."""


class InvalidRecordError(NewsgoldError):
    """A corpus record does not pass its model; `newsgold validate` lists every such problem."""

    def __init__(self, path: Path, line: int, detail: str) -> None:
        super().__init__(
            f"{path}:{line}: invalid record ({detail}); run `newsgold validate` for every problem"
        )
        self.path = path
        self.line = line
        self.detail = detail

    def __reduce__(self) -> tuple[type[InvalidRecordError], tuple[Path, int, str]]:
        # Raised in export worker processes too: rebuild it from its parts, not its message.
        return (type(self), (self.path, self.line, self.detail))
