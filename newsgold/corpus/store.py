"""A corpus directory: its manifest, its record files, and streaming access to their records."""

from __future__ import annotations

import functools

import hashlib
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from newsgold._io import Transaction, count_newlines, dumps_line, iter_jsonl_lines, regular_file
from newsgold._parallel import ByteRange, RangeLines, byte_ranges, map_ranges
from newsgold.corpus.lock import corpus_lock
from newsgold.rules import RULES
from newsgold.corpus.problems import Problem, error_location, parse_record, problem_error, record_error
from newsgold.errors import CannotWriteError, CorpusNotFoundError, UnreadableInputError, UsageError
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import Scheme, default_scheme

__all__ = [
    "Corpus",
    "DocumentIndex",
    "DocumentReader",
    "init_corpus",
    "MANIFEST_NAME",
    "record_line",
    "iter_numbered_models",
]

MANIFEST_NAME = "newsgold.json"
DOCUMENTS_FILE = "documents.jsonl"
DOCUMENTS_DIR = "documents"
ANNOTATIONS_FILE = "annotations.jsonl"
GOLD_FILE = "gold.jsonl"
STATE_DIR = ".newsgold"

M = TypeVar("M", bound=BaseModel)


def record_line(record: BaseModel) -> bytes:
    """Serialize a record as one JSONL line, the way every corpus file is written."""
    return dumps_line(record.model_dump(mode="json", by_alias=True, exclude_none=True))


def document_paths(root: Path) -> list[Path]:
    """`documents.jsonl` and the shards `documents/*.jsonl` of the corpus at `root`, in order."""
    paths = []
    single = root / DOCUMENTS_FILE
    if regular_file(single):
        paths.append(single)
    shard_dir = root / DOCUMENTS_DIR
    if shard_dir.is_dir():
        paths.extend(p for p in sorted(shard_dir.glob("*.jsonl")) if regular_file(p))
    return paths


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
        raise ManifestError(f"{path} is invalid: {first_error_text(exc)}; fix it (see "
                            "schemas/corpus-manifest.schema.json and docs/format.md)",
                            path, "manifest", exc) from None
    if isinstance(manifest.scheme, Scheme):
        return manifest, manifest.scheme
    try:
        scheme = read_scheme_file(root, manifest.scheme)
    except ValidationError as exc:
        raise ManifestError(f"{root}: scheme {root / manifest.scheme} is invalid: {first_error_text(exc)}; "
                            "fix the scheme (see schemas/scheme.schema.json)",
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
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read the scheme: {exc.strerror}; "
                                   f"{RULES['NG003'].fix} [NG003]") from None
    return Scheme.model_validate_json(content)


def first_error_text(exc: ValidationError) -> str:
    """`field: message` of the first error, in plain words (no pydantic internals)."""
    error = exc.errors(include_url=False)[0]
    loc = error_location(error["loc"]) or "(record)"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}"



_MASK64 = (1 << 64) - 1


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


@dataclass(frozen=True)
class Corpus:
    """An open corpus directory. Records are read lazily, one line at a time."""

    root: Path
    manifest: CorpusManifest
    scheme: Scheme

    @classmethod
    def open(cls, root: Path | str) -> Corpus:
        """Open the corpus at `root`; raise CorpusNotFoundError if it has no valid manifest."""
        root = Path(root)
        manifest, scheme = load_manifest(root)
        return cls(root=root, manifest=manifest, scheme=scheme)

    @property
    def name(self) -> str:
        """The corpus name from its manifest."""
        return self.manifest.name

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def annotations_path(self) -> Path:
        return self.root / ANNOTATIONS_FILE

    @property
    def gold_path(self) -> Path:
        return self.root / GOLD_FILE

    @property
    def state_dir(self) -> Path:
        """Folder for newsgold's own bookkeeping (Label Studio cursors and mappings)."""
        return self.root / STATE_DIR

    def document_paths(self) -> list[Path]:
        """`documents.jsonl` and the shards `documents/*.jsonl`, in a stable order."""
        return document_paths(self.root)

    def default_documents_path(self) -> Path:
        """Where newly ingested documents go: the last shard if the corpus is sharded."""
        shards = sorted((self.root / DOCUMENTS_DIR).glob("*.jsonl"))
        if shards and not (self.root / DOCUMENTS_FILE).is_file():
            return shards[-1]
        return self.root / DOCUMENTS_FILE

    # Streaming readers ---------------------------------------------------------------------

    def iter_documents(self) -> Iterator[Document]:
        """Yield every document; raise InvalidRecordError on a line that fails its model."""
        for path in self.document_paths():
            yield from _iter_models(path, Document)

    def iter_annotation_sets(self) -> Iterator[AnnotationSet]:
        """Yield every annotation set of `annotations.jsonl`; raise InvalidRecordError on a line
        that fails its model."""
        yield from _iter_models(self.annotations_path, AnnotationSet)

    def iter_numbered_sets(self) -> Iterator[tuple[int, AnnotationSet]]:
        """Yield (line number, set) for every line of `annotations.jsonl` (see `iter_numbered_models`)."""
        yield from iter_numbered_models(self.annotations_path, AnnotationSet)

    def iter_gold(self) -> Iterator[GoldSet]:
        """Yield every gold set of `gold.jsonl`; raise InvalidRecordError on a line that fails
        its model."""
        yield from _iter_models(self.gold_path, GoldSet)

    def iter_numbered_gold(self) -> Iterator[tuple[int, GoldSet]]:
        """Yield (line number, gold set) for every line of `gold.jsonl` (see `iter_numbered_models`)."""
        yield from iter_numbered_models(self.gold_path, GoldSet)

    def document_index(self, jobs: int = 1) -> DocumentIndex:
        """Build the id -> location index of every document (one streaming pass, its byte ranges
        parsed in `jobs` processes). Raises InvalidRecordError at the first line that is not a
        document (no JSON object with a string id and sha256) or repeats an id."""
        paths = self.document_paths()
        index = DocumentIndex(files=paths)
        for file_index, path in enumerate(paths):
            for entries, bad_offset in map_ranges(_index_entries, None, byte_ranges(path), jobs):
                for offset, length, doc_id, sha256 in entries:
                    try:
                        first = index.add(doc_id, file_index, offset, length, sha256)
                    except ValueError:  # a sha256 that is not hex
                        _raise_bad_document(path, offset)
                    if first is not None:
                        first_path, _ = index.location_at(first)
                        raise problem_error(Problem(
                            "NG201", str(path), line_at(path, offset), doc_id, "id",
                            f"document id {doc_id} is already used (first in {first_path})"))
                if bad_offset is not None:
                    _raise_bad_document(path, bad_offset)
        return index

    def annotation_offsets(self) -> dict[str, list[int]]:
        """doc_id -> byte offsets of the lines of its annotation sets (a small index, no records)."""
        return _offsets_by_doc(self.annotations_path, AnnotationSet)

    def gold_offsets(self) -> dict[str, list[int]]:
        """doc_id -> byte offsets of its gold lines (normally one)."""
        return _offsets_by_doc(self.gold_path, GoldSet)

    @contextmanager
    def set_reader(self) -> Iterator[Callable[[list[int]], list[AnnotationSet]]]:
        """Yield a function that reads the annotation sets at the given byte offsets."""
        with _record_reader(self.annotations_path, AnnotationSet) as read:
            yield read

    @contextmanager
    def gold_reader(self) -> Iterator[Callable[[list[int]], list[GoldSet]]]:
        """Yield a function that reads the gold sets at the given byte offsets."""
        with _record_reader(self.gold_path, GoldSet) as read:
            yield read

    def iter_current_sets(self, index: DocumentIndex
                          ) -> Iterator[tuple[str, list[AnnotationSet], list[AnnotationSet]]]:
        """Yield (doc_id, sets made on its current text, stale sets) per annotated document, one
        document at a time, each set validated.

        Raises InvalidRecordError (NG206, the line of its first set) for sets of a document the
        corpus does not hold, or at the first set that fails its model.
        """
        with self.set_reader() as read_sets:
            for doc_id, positions in self.annotation_offsets().items():
                if doc_id not in index:
                    raise problem_error(Problem(
                        "NG206", str(self.annotations_path), line_at(self.annotations_path, positions[0]),
                        doc_id, "doc_id", f"no document {doc_id} in the corpus"))
                sha256 = index.sha256(doc_id)
                current: list[AnnotationSet] = []
                stale: list[AnnotationSet] = []
                for annotation_set in read_sets(positions):
                    (current if annotation_set.doc_sha256 == sha256 else stale).append(annotation_set)
                yield doc_id, current, stale

    def get_document(self, doc_id: str) -> Document:
        """Return one document by id; raise UsageError if the corpus has none with that id."""
        for document in self.iter_documents():
            if document.id == doc_id:
                return document
        raise UsageError(f"no document {doc_id!r} in {self.root}; list them with `newsgold stats`")

    def gold_for(self, doc_id: str) -> GoldSet | None:
        """The gold set of a document, if any."""
        return next((g for g in self.iter_gold() if g.doc_id == doc_id), None)

    def sets_for(self, doc_id: str) -> list[AnnotationSet]:
        """Every annotation set of a document."""
        return [s for s in self.iter_annotation_sets() if s.doc_id == doc_id]

    # Writers -------------------------------------------------------------------------------

    def write_annotation_sets(self, sets: Iterable[AnnotationSet], txn: Transaction) -> None:
        """Stage `annotations.jsonl` with exactly `sets`, in the order given."""
        txn.write_lines(self.annotations_path, (record_line(s) for s in sets))

    def write_gold(self, gold: Iterable[GoldSet], txn: Transaction) -> None:
        """Stage `gold.jsonl` with exactly `gold`, in the order given."""
        txn.write_lines(self.gold_path, (record_line(g) for g in gold))


def line_at(path: Path, offset: int) -> int:
    """The 1-based line number of the line that starts at byte `offset` of `path`."""
    return count_newlines(path, offset) + 1


def _raise_bad_document(path: Path, offset: int) -> NoReturn:
    with open(path, "rb") as f:
        f.seek(offset)
        raw = f.readline()
    _raise_record_problem(path, line_at(path, offset), raw, Document, "id")


def _raise_record_problem(path: Path, line: int, raw: bytes, model: type[BaseModel],
                          *keys: str) -> NoReturn:
    """Raise the InvalidRecordError `validate` reports for a line a fast reader could not use."""
    try:
        model.model_validate_json(raw)
    except ValidationError as exc:
        raise record_error(path, line, exc, raw, *keys) from None
    raise problem_error(Problem("NG105", str(path), line, None, None,  # pragma: no cover
                                "not a record of this file"))


def _index_entries(_shared: None,
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
        if not (isinstance(doc_id, str) and isinstance(sha256, str)):
            return entries, offset
        entries.append((offset, len(raw), doc_id, sha256))
    return entries, None


def _offsets_by_doc(path: Path, model: type[BaseModel]) -> dict[str, list[int]]:
    """doc_id -> byte offsets of its lines; InvalidRecordError at the first line with no
    string doc_id (validated by `model` to name the problem)."""
    offsets: dict[str, list[int]] = {}
    if regular_file(path):
        for number, offset, raw in iter_jsonl_lines(path):
            try:
                doc_id = orjson.loads(raw).get("doc_id")
            except (orjson.JSONDecodeError, AttributeError):
                doc_id = None
            if not isinstance(doc_id, str):
                _raise_record_problem(path, number, raw, model, "doc_id", "annotator")
            offsets.setdefault(doc_id, []).append(offset)
    return offsets


@contextmanager
def _record_reader(path: Path, model: type[M]) -> Iterator[Callable[[list[int]], list[M]]]:
    if not regular_file(path):
        yield lambda offsets: []
        return
    with open(path, "rb") as f:
        def read(offsets: list[int]) -> list[M]:
            found = []
            for offset in offsets:
                f.seek(offset)
                raw = f.readline()
                # The line number costs a read of the file up to `offset`: only an error needs it.
                found.append(parse_record(model, raw, path, functools.partial(line_at, path, offset)))
            return found

        yield read


def iter_numbered_models(path: Path, model: type[M]) -> Iterator[tuple[int, M]]:
    """Yield (line number, record) for every line of JSONL `path` (none if it does not exist).

    Raises, at the first line that fails `model`, the InvalidRecordError `validate` reports for it.
    """
    if not regular_file(path):
        return
    for number, _, raw in iter_jsonl_lines(path):
        yield number, parse_record(model, raw, path, number)


def _iter_models(path: Path, model: type[M]) -> Iterator[M]:
    for _, record in iter_numbered_models(path, model):
        yield record


def init_corpus(root: Path | str, *, name: str | None = None, scheme: Scheme | None = None) -> Corpus:
    """Create an empty corpus at `root` with `scheme` (default: the shipped news scheme).

    Raises UsageError if `root` already holds a corpus.
    """
    root = Path(root)
    if (root / MANIFEST_NAME).exists():
        raise UsageError(f"{root} is already a newsgold corpus ({root / MANIFEST_NAME} exists)")
    manifest = CorpusManifest(name=name or root.resolve().name, scheme=scheme or default_scheme())
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWriteError(root, exc) from None
    with corpus_lock(root), Transaction() as txn:
        if (root / MANIFEST_NAME).exists():
            raise UsageError(f"{root} is already a newsgold corpus ({root / MANIFEST_NAME} exists)")
        txn.write_bytes(
            root / MANIFEST_NAME,
            orjson.dumps(
                manifest.model_dump(mode="json", by_alias=True, exclude_none=True),
                option=orjson.OPT_INDENT_2,
            )
            + b"\n",
        )
        for name_ in (DOCUMENTS_FILE, ANNOTATIONS_FILE, GOLD_FILE):
            if not (root / name_).exists():
                txn.write_bytes(root / name_, b"")
    return Corpus(root=root, manifest=manifest, scheme=manifest.scheme)  # type: ignore[arg-type]
