"""What every export format shares: the writer interface and per-split line files."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

import orjson

from newsgold._io import append_file, create_file, hash_file
from newsgold.formats.item import ExportItem
from newsgold.schemas.annotation import GoldSet, Span, _SetContent
from newsgold.schemas.scheme import Scheme

__all__ = ["ExportFormat", "ItemsFormat", "LineFormat", "EncodedItems", "Written", "LineFiles", "span_view",
           "relation_targets", "document_view", "agreed_annotators"]


@dataclass
class Written:
    """Files a format wrote: relative path -> (records, split), and format-specific details."""

    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    """Hex sha256 of files hashed as they were written (the others are hashed afterwards)."""


class ItemsFormat(Protocol):
    """A format that writes all items at once (a folder of files, a binary container)."""

    name: str
    version: str
    description: str
    roles_needed: tuple[str, ...]
    """Scheme roles (`Scheme.resolved_roles`) the format cannot do without."""
    needs_modules: tuple[str, ...]
    """Optional packages the format cannot do without (spaCy for `spacy`)."""

    def write(self, items: Iterable[ExportItem], folder: Path, scheme: Scheme, base: str) -> Written:
        """Write `items` into `folder`; `base` names the file of split `all`."""
        ...


@dataclass
class EncodedItems:
    """What a run of items became in a line format: bytes and record counts per split.

    Line formats encode items independently, so runs of items can be encoded in worker processes
    and their bytes written one run after the other.
    """

    data: dict[str, list[bytes]] = field(default_factory=dict)
    records: Counter[str] = field(default_factory=Counter)
    tallies: Counter[str] = field(default_factory=Counter)
    """Format-specific counts for the manifest's details (e.g. nested_entities_dropped)."""
    documents: list[tuple[str, str]] = field(default_factory=list)
    """(document id, split) of every item encoded."""

    def add(self, split: str, data: bytes, records: int = 1) -> None:
        """Append `data` (whole lines) to the file of `split`, counting `records` records."""
        pieces = self.data.get(split)
        if pieces is None:
            pieces = self.data[split] = []
        pieces.append(data)
        self.records[split] += records

    def add_json(self, split: str, record: Any) -> None:
        """Append one JSON line."""
        self.add(split, orjson.dumps(record) + b"\n")


@runtime_checkable
class LineFormat(Protocol):
    """A format of one file per split whose content is what each item adds, in item order."""

    name: str
    version: str
    description: str
    roles_needed: tuple[str, ...]
    """Scheme roles (`Scheme.resolved_roles`) the format cannot do without."""
    needs_modules: tuple[str, ...]
    """Optional packages the format cannot do without."""
    extension: str

    def encode(self, item: ExportItem, scheme: Scheme, out: EncodedItems) -> None:
        """Add what `item` contributes to `out`."""
        ...

    def details(self, scheme: Scheme, tallies: Counter[str]) -> dict[str, Any]:
        """The manifest's details, given the tallies of every item."""
        ...


ExportFormat = ItemsFormat | LineFormat


class LineFiles:
    """One line-oriented file per split, opened on first use, hashed as written, with record counts."""

    def __init__(self, folder: Path, base: str, extension: str, splits: Iterable[str] = ("all",)) -> None:
        """`splits`: the files every export has, even with no record (`all`, or the split names)."""
        self.folder, self.base, self.extension = folder, base, extension
        self.splits = list(splits)
        self._files: dict[str, tuple[IO[bytes], str, Any]] = {}
        self.written = Written()

    def name(self, split: str) -> str:
        return f"{self.base if split == 'all' else split}.{self.extension}"

    def append(self, split: str, part: Path, records: int) -> None:
        """Append the bytes of file `part` to the file of `split` and count `records` more records
        in it (the bytes are hashed in the page cache and copied by the kernel where it can)."""
        entry = self._files.get(split)
        if entry is None:
            name = self.name(split)
            entry = self._files[split] = (create_file(self.folder / name), name, hashlib.sha256())
            self.written.files[name] = (0, split)
        handle, name, digest = entry
        with open(part, "rb") as f:
            hash_file(f, digest)
            append_file(f, handle)
        done, _ = self.written.files[name]
        self.written.files[name] = (done + records, split)

    def close(self) -> Written:
        """Close the files; a split with no record still gets its (empty) file, counted 0."""
        for split in self.splits:
            if split not in self._files:
                name = self.name(split)
                self._files[split] = (create_file(self.folder / name), name, hashlib.sha256())
                self.written.files[name] = (0, split)
        for handle, name, digest in self._files.values():
            handle.close()
            self.written.sha256[name] = digest.hexdigest()
        return self.written


def span_view(span: Span | None) -> dict[str, Any] | None:
    """A span as {id, label, text, start, end}, or None."""
    if span is None:
        return None
    return {"id": span.id, "label": span.label, "text": span.text, "start": span.start, "end": span.end}


def document_view(item: ExportItem) -> dict[str, str | None]:
    """The article's metadata as ingested: title, source (outlet), url, published, section, language."""
    meta = item.document.meta
    return {"title": meta.title, "source": meta.source, "url": meta.url, "published": meta.published,
            "section": meta.section, "language": meta.language}


def agreed_annotators(item: ExportItem, *keys: str) -> list[str] | None:
    """Who a gold item came from: the annotators `provenance.items` lists under the first of `keys`
    it has, else every annotator of the gold set (hand-made gold); None for a raw set."""
    annotations = item.annotations
    if item.annotator is not None or not isinstance(annotations, GoldSet):
        return None
    for key in keys:
        if key in annotations.provenance.items:
            return list(annotations.provenance.items[key])
    return list(annotations.provenance.annotators)


def relation_targets(content: _SetContent) -> dict[tuple[str, str], str]:
    """(relation type, from span id) -> to span id (the first, for relations of cardinality one)."""
    targets: dict[tuple[str, str], str] = {}
    for relation in content.relations:
        targets.setdefault((relation.type, relation.from_), relation.to)
    return targets
