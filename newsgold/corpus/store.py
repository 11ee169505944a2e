"""A corpus directory: its manifest, its record files, and streaming access to their records.

The manifest is read by `newsgold.corpus.manifest`, documents are found through
`newsgold.corpus.index`, and records are read and written line by line by `newsgold.corpus.records`;
sets and gold are written only by `newsgold.corpus.write`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, overload

import orjson

from newsgold._io import granting_corpus_write, regular_file
from newsgold._parallel import byte_ranges, map_ranges
from newsgold.corpus.index import DocumentIndex, DocumentReader, index_entries, raise_bad_document
from newsgold.corpus.lock import corpus_lock, corpus_transaction, finish_killed_commit
from newsgold.corpus.manifest import MANIFEST_NAME, ManifestError, first_error_text, load_manifest, read_manifest
from newsgold.corpus.problems import Problem, problem_error
from newsgold.corpus.records import (ANNOTATIONS_FILE, GOLD_FILE, SOURCE_FILES, Source, iter_models,
                                     iter_numbered_models, line_at, offsets_by_doc, record_line, record_reader)
from newsgold.errors import CannotWriteError, UsageError
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import Scheme, default_scheme

__all__ = [
    "Corpus",
    "DocumentIndex",
    "DocumentReader",
    "ManifestError",
    "MANIFEST_NAME",
    "Source",
    "first_error_text",
    "check_corpus",
    "init_corpus",
    "iter_numbered_models",
    "line_at",
    "read_manifest",
    "record_line",
    "writes_corpus",
]

DOCUMENTS_FILE = "documents.jsonl"
DOCUMENTS_DIR = "documents"
STATE_DIR = ".newsgold"

_MODELS: dict[str, type[AnnotationSet] | type[GoldSet]] = {"gold": GoldSet, "annotations": AnnotationSet}


def check_corpus(corpus: object) -> None:
    """UsageError, saying how to get one, unless `corpus` is an open Corpus (operations take a Corpus)."""
    if not isinstance(corpus, Corpus):
        shown = f"Corpus.open({str(corpus)!r})" if isinstance(corpus, (str, Path)) else "Corpus.open(PATH)"
        raise UsageError(f"corpus= takes an open corpus, not {type(corpus).__name__}: pass {shown}")


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
        finish_killed_commit(root)
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

    def replaced_file(self, operation: str) -> Path:
        """A new file for what a write named `operation` replaces, as it was:
        `.newsgold/replaced/OPERATION-TIME.jsonl`."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        return self.state_dir / "replaced" / f"{operation}-{stamp}.jsonl"

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
            yield from iter_models(path, Document)

    def iter_annotation_sets(self) -> Iterator[AnnotationSet]:
        """Yield every annotation set of `annotations.jsonl`; raise InvalidRecordError on a line
        that fails its model."""
        yield from iter_models(self.annotations_path, AnnotationSet)

    def iter_gold(self) -> Iterator[GoldSet]:
        """Yield every gold set of `gold.jsonl`; raise InvalidRecordError on a line that fails
        its model."""
        yield from iter_models(self.gold_path, GoldSet)

    def source_path(self, source: Source) -> Path:
        """The file of a source of sets: `gold.jsonl` or `annotations.jsonl`."""
        return self.root / SOURCE_FILES[source]

    @overload
    def iter_numbered(self, source: Literal["annotations"]) -> Iterator[tuple[int, AnnotationSet]]: ...
    @overload
    def iter_numbered(self, source: Literal["gold"]) -> Iterator[tuple[int, GoldSet]]: ...
    @overload
    def iter_numbered(self, source: Source) -> Iterator[tuple[int, AnnotationSet | GoldSet]]: ...

    def iter_numbered(self, source: Source) -> Iterator[tuple[int, AnnotationSet | GoldSet]]:
        """Yield (line number, set) for every line of a source (see `iter_numbered_models`)."""
        yield from iter_numbered_models(self.source_path(source), _MODELS[source])

    def offsets(self, source: Source) -> dict[str, list[int]]:
        """doc_id -> byte offsets of the lines of its sets in a source (a small index, no records)."""
        return offsets_by_doc(self.source_path(source), _MODELS[source])

    @contextmanager
    def reader(self, source: Source) -> Iterator[Callable[[list[int]], list[Any]]]:
        """Yield a function that reads the sets of a source at the given byte offsets (annotation
        sets or gold sets, by `source`)."""
        with record_reader(self.source_path(source), _MODELS[source]) as read:
            yield read

    def document_index(self, jobs: int = 1) -> DocumentIndex:
        """Build the id -> location index of every document (one streaming pass, its byte ranges
        parsed in `jobs` processes). Raises InvalidRecordError at the first line that is not a
        document (no JSON object with a string id and sha256) or repeats an id."""
        paths = self.document_paths()
        index = DocumentIndex(files=paths)
        for file_index, path in enumerate(paths):
            for entries, bad_offset in map_ranges(index_entries, None, byte_ranges(path), jobs):
                for offset, length, doc_id, sha256 in entries:
                    try:
                        first = index.add(doc_id, file_index, offset, length, sha256)
                    except ValueError:  # a sha256 that is not hex
                        raise_bad_document(path, offset)
                    if first is not None:
                        first_path, _ = index.location_at(first)
                        raise problem_error(Problem(
                            "NG201", str(path), line_at(path, offset), doc_id, "id",
                            f"document id {doc_id} is already used (first in {first_path})"))
                if bad_offset is not None:
                    raise_bad_document(path, bad_offset)
        return index

    def iter_current_sets(self, index: DocumentIndex
                          ) -> Iterator[tuple[str, list[AnnotationSet], list[AnnotationSet]]]:
        """Yield (doc_id, sets made on its current text, stale sets) per annotated document, one
        document at a time, each set validated.

        Raises InvalidRecordError (NG206, the line of its first set) for sets of a document the
        corpus does not hold, or at the first set that fails its model.
        """
        with record_reader(self.annotations_path, AnnotationSet) as read_sets:
            for doc_id, positions in offsets_by_doc(self.annotations_path, AnnotationSet).items():
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
    with corpus_lock(root), granting_corpus_write(root), corpus_transaction(root) as txn:
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


P = ParamSpec("P")
R = TypeVar("R")


def writes_corpus(function: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Run `function(corpus, ...)` holding the write lock of `corpus.root` (see `corpus_lock`), after
    checking that `corpus` is an open Corpus (`check_corpus`)."""

    @functools.wraps(function)
    def locked(corpus: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        check_corpus(corpus)
        with corpus_lock(corpus.root):
            return function(corpus, *args, **kwargs)

    return locked
