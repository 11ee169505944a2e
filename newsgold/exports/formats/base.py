"""What every export format shares: the writer interface and per-split line files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from newsgold.exports.items import ExportItem
from newsgold.schemas.annotation import Span, _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["ExportFormat", "Written", "LineFiles", "span_view", "relation_targets"]


@dataclass
class Written:
    """Files a format wrote: relative path -> (records, split), and format-specific details."""

    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


class ExportFormat(Protocol):
    """An export format: a name, a version, and a writer into a folder."""

    name: str
    version: str
    description: str

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        """Write `items` into `folder`; `base` names the file of split `all`."""
        ...


class LineFiles:
    """One line-oriented file per split, opened on first use, with record counts."""

    def __init__(self, folder: Path, base: str, extension: str) -> None:
        self.folder, self.base, self.extension = folder, base, extension
        self._files: dict[str, tuple[IO[bytes], str]] = {}
        self.written = Written()

    def name(self, split: str) -> str:
        return f"{self.base if split == 'all' else split}.{self.extension}"

    def handle(self, split: str) -> IO[bytes]:
        if split not in self._files:
            name = self.name(split)
            self._files[split] = (open(self.folder / name, "wb"), name)  # noqa: SIM115
            self.written.files[name] = (0, split)
        return self._files[split][0]

    def count(self, split: str, records: int = 1) -> None:
        name = self.name(split)
        done, _ = self.written.files[name]
        self.written.files[name] = (done + records, split)

    def write_json(self, split: str, record: Any) -> None:
        self.handle(split).write(orjson.dumps(record) + b"\n")
        self.count(split)

    def close(self) -> Written:
        for handle, _ in self._files.values():
            handle.close()
        return self.written


def span_view(span: Span | None) -> dict[str, Any] | None:
    """A span as {id, label, text, start, end}, or None."""
    if span is None:
        return None
    return {"id": span.id, "label": span.label, "text": span.text, "start": span.start, "end": span.end}


def relation_targets(content: _SetContent) -> dict[tuple[str, str], str]:
    """(relation type, from span id) -> to span id (the first, for relations of cardinality one)."""
    targets: dict[tuple[str, str], str] = {}
    for relation in content.relations:
        targets.setdefault((relation.type, relation.from_), relation.to)
    return targets
