"""The document index of a corpus: where each document's line is, and its sha256, for random access
while streaming; and a reader of documents through it."""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from pathlib import Path
from typing import NoReturn

import orjson
from pydantic import ValidationError

from newsgold._parallel import ByteRange, RangeLines
from newsgold.corpus.problems import Problem, problem_error, record_error
from newsgold.corpus.records import line_at, raise_record_problem
from newsgold.schemas.document import DOC_ID_PATTERN, SHA256_PATTERN, Document

__all__ = ["DocumentIndex", "DocumentReader", "index_entries", "raise_bad_document"]


_MASK64 = (1 << 64) - 1
_DOC_ID = re.compile(DOC_ID_PATTERN).fullmatch
_SHA256 = re.compile(SHA256_PATTERN).fullmatch


class DocumentIndex:
    """Compact id -> location index of every document, for random access while streaming.

    Per document it holds a 64-bit hash of the id, the file, the byte offset and length of its line
    and the sha256 digest in flat arrays, plus an open-addressing table of ordinals: about 65
    bytes, no Python object per document, never the text. Ids are confirmed against the file when a text is read.
    """

    def __init__(self, files: list[Path]) -> None:
        self.files = list(files)
        self._hashes = array("Q")
        self._file_of = array("H")
        self._offset_of = array("Q")
        self._length_of = array("I")  # a line is shorter than 4 GiB
        self._digests = bytearray()
        self._slots = array("i", [-1]) * 16
        self._mask = 15

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.find(doc_id) is not None

    def _slot(self, key: int) -> int:
        slots, hashes, mask = self._slots, self._hashes, self._mask
        i = key & mask
        while True:
            ordinal = slots[i]
            if ordinal < 0 or hashes[ordinal] == key:
                return i
            i = (i + 1) & mask

    def find(self, doc_id: str) -> int | None:
        """The ordinal of a document (its position in reading order), or None."""
        ordinal = self._slots[self._slot(hash(doc_id) & _MASK64)]
        return None if ordinal < 0 else ordinal

    def add(self, doc_id: str, file_index: int, offset: int, length: int, sha256_hex: str) -> int | None:
        """Record a document's line (file, byte offset and length in bytes) and sha256; if the id is
        already indexed, return that ordinal instead. Raises ValueError, with nothing recorded,
        when `sha256_hex` is not 64 hex digits."""
        key = hash(doc_id) & _MASK64
        slot = self._slot(key)
        if self._slots[slot] >= 0:
            return self._slots[slot]
        digest = bytes.fromhex(sha256_hex)
        if len(digest) != 32:
            raise ValueError(f"sha256 {sha256_hex!r} is not 64 hex digits")
        ordinal = len(self._hashes)
        self._hashes.append(key)
        self._file_of.append(file_index)
        self._offset_of.append(offset)
        self._length_of.append(length)
        self._digests += digest
        self._slots[slot] = ordinal
        if 2 * len(self._hashes) > self._mask:
            self._grow()
        return None

    def _grow(self) -> None:
        self._mask = 2 * self._mask + 1
        self._slots = array("i", [-1]) * (self._mask + 1)
        for ordinal, key in enumerate(self._hashes):
            self._slots[self._slot(key)] = ordinal

    def sha256_at(self, ordinal: int) -> str:
        """The stored sha256 of the document at `ordinal`."""
        return self._digests[ordinal * 32 : (ordinal + 1) * 32].hex()

    def location_at(self, ordinal: int) -> tuple[Path, int]:
        """(file, byte offset) of the line of the document at `ordinal`."""
        return self.files[self._file_of[ordinal]], self._offset_of[ordinal]

    def _ordinal(self, doc_id: str) -> int:
        ordinal = self.find(doc_id)
        if ordinal is None:
            raise KeyError(doc_id)
        return ordinal

    def sha256(self, doc_id: str) -> str:
        """The stored sha256 of a document; KeyError if it is not indexed."""
        return self.sha256_at(self._ordinal(doc_id))

    def location(self, doc_id: str) -> tuple[Path, int]:
        """(file, byte offset) of a document's line; KeyError if it is not indexed."""
        return self.location_at(self._ordinal(doc_id))

    def read_text(self, doc_id: str) -> str:
        """Read a document's text from disk."""
        return self.read_document(doc_id).text

    def read_document(self, doc_id: str) -> Document:
        """Read and validate a whole document from disk (InvalidRecordError if it is not valid)."""
        with DocumentReader(self) as reader:
            return reader.document_at(self._ordinal(doc_id), doc_id)


class DocumentReader:
    """Reads documents (or just their texts) through a DocumentIndex, keeping the files open.

    Use as a context manager; the last text read is cached, as sets of one document come together.
    Each line is read with one positioned read, so a reader never moves a shared file position.
    """

    def __init__(self, index: DocumentIndex) -> None:
        self._index = index
        self._fds: dict[int, int] = {}
        self._last: tuple[int, str] | None = None

    def _line(self, ordinal: int) -> bytes:
        index = self._index
        file_index = index._file_of[ordinal]
        fd = self._fds.get(file_index)
        if fd is None:
            fd = self._fds[file_index] = os.open(index.files[file_index], os.O_RDONLY)
        return os.pread(fd, index._length_of[ordinal], index._offset_of[ordinal])

    def text_at(self, ordinal: int, doc_id: str) -> str:
        """The text of the document at `ordinal` (whose id must be `doc_id`)."""
        if self._last is not None and self._last[0] == ordinal:
            return self._last[1]
        record = orjson.loads(self._line(ordinal))
        if record["id"] != doc_id:  # pragma: no cover - a 64-bit hash collision
            raise KeyError(doc_id)
        self._last = (ordinal, record["text"])
        return record["text"]

    def document_at(self, ordinal: int, doc_id: str) -> Document:
        """The validated document at `ordinal` (whose id must be `doc_id`); InvalidRecordError,
        with the line `validate` prints, if it fails its model or its sha256."""
        raw = self._line(ordinal)
        try:
            document = Document.model_validate_json(raw)
        except ValidationError as exc:
            path, offset = self._index.location_at(ordinal)
            raise record_error(path, line_at(path, offset), exc, raw, "id") from None
        if document.id != doc_id:  # pragma: no cover - a 64-bit hash collision
            raise KeyError(doc_id)
        actual = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        if actual != document.sha256:
            path, offset = self._index.location_at(ordinal)
            raise problem_error(Problem(
                "NG202", str(path), line_at(path, offset), doc_id, "sha256",
                f"sha256 {document.sha256[:12]}… is not the hash of the text ({actual[:12]}…)"))
        return document

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def __enter__(self) -> DocumentReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def raise_bad_document(path: Path, offset: int) -> NoReturn:
    with open(path, "rb") as f:
        f.seek(offset)
        raw = f.readline()
    raise_record_problem(path, line_at(path, offset), raw, Document, "id")


def index_entries(_shared: None,
                   byte_range: ByteRange) -> tuple[list[tuple[int, int, str, str]], int | None]:
    """(byte offset, length, id, sha256) of each document line of a range, up to the first line
    that is not one, and that line's byte offset (None if every line is one)."""
    entries: list[tuple[int, int, str, str]] = []
    for _, offset, raw in RangeLines(byte_range):
        try:
            record = orjson.loads(raw)
            doc_id, sha256 = record["id"], record["sha256"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return entries, offset
        # An id or hash the model would refuse stops the index at its line, which is then reported
        # with the model's own words: a skipped document would surface as "no document" elsewhere.
        if not (isinstance(doc_id, str) and isinstance(sha256, str) and _DOC_ID(doc_id) and _SHA256(sha256)):
            return entries, offset
        entries.append((offset, len(raw), doc_id, sha256))
    return entries, None
