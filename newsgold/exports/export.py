"""`export`: write the gold (or raw annotation sets) of a corpus in a format, with a manifest."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsgold import __version__
from newsgold._parallel import ByteRange, available_jobs, byte_ranges, map_ranges
from newsgold.corpus.splits import parse_split
from newsgold.corpus.store import Corpus, DocumentIndex
from newsgold.errors import ExportError, UsageError
from newsgold.exports.formats import FORMATS
from newsgold.exports.formats.base import EncodedItems, LineFiles, LineFormat, Written
from newsgold.exports.items import ExportItem, Source, iter_items, iter_range_items, source_path
from newsgold.exports.manifest import ExportManifest, FileEntry, corpus_fingerprint, sha256_of
from newsgold.schemas.scheme import Scheme

__all__ = ["export", "export_all", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"


def _shares(split: str | Mapping[str, float] | None) -> dict[str, float]:
    if split is None:
        return {}
    return parse_split(split) if isinstance(split, str) else dict(split)


def export(corpus: Corpus, format_name: str, out: Path, *, split: str | Mapping[str, float] | None = None,
           source: Source = "gold", jobs: int | None = None) -> ExportManifest:
    """Export `corpus` in `format_name` into folder `out`, replacing it only once complete.

    `split` is `train=0.8,dev=0.1,test=0.1` (or a mapping): documents are assigned by a hash of
    their id. Line formats (jsonl, quotes, stance, ner-*) are encoded in `jobs` processes
    (default: one per available CPU); the files are the same for any `jobs`. Raises UsageError
    for an unknown format and ExportError when writing fails; on any failure `out` is left as it
    was.
    """
    if format_name not in FORMATS:
        raise UsageError(f"unknown export format {format_name!r}; one of: {', '.join(FORMATS)}")
    export_format = FORMATS[format_name]
    shares = _shares(split)
    jobs = available_jobs() if jobs is None else max(1, jobs)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    documents = _DocumentTally()
    try:
        index = corpus.document_index(jobs)
        # The fingerprint (sha256 of the corpus files read) is hashed in a thread beside the encoding
        # (hashlib lets go of the GIL for large blocks), started only once no process is forked.
        with ThreadPoolExecutor(max_workers=1) as background:
            fingerprint: list[Future[str]] = []

            def start_fingerprint() -> None:
                fingerprint.append(background.submit(corpus_fingerprint, corpus, source))

            if isinstance(export_format, LineFormat):
                written = _write_lines(export_format, corpus, index, staging, source, shares, jobs,
                                       documents, start_fingerprint)
            else:
                start_fingerprint()
                written = export_format.write(documents.counted(iter_items(corpus, source, shares, index)),
                                              staging, corpus.scheme, source)
            corpus_digest = fingerprint[0].result()
        manifest = ExportManifest(
            format=format_name,
            format_version=export_format.version,
            newsgold_version=__version__,
            corpus=corpus.name,
            corpus_fingerprint=corpus_digest,
            source=source,
            split=shares,
            split_documents=dict(sorted(documents.per_split.items())),
            documents=len(documents.seen),
            files={name: FileEntry(sha256=written.sha256.get(name) or sha256_of(staging / name),
                                   records=records, split=file_split)
                   for name, (records, file_split) in sorted(written.files.items())},
            details=written.details,
        )
        (staging / MANIFEST_NAME).write_bytes(
            orjson.dumps(manifest.model_dump(mode="json"), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


class _DocumentTally:
    """The documents an export covers, and how many fall in each split."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.per_split: Counter[str] = Counter()

    def add(self, doc_id: str, split: str) -> None:
        if doc_id not in self.seen:
            self.seen.add(doc_id)
            self.per_split[split] += 1

    def counted(self, items: Iterator[ExportItem]) -> Iterator[ExportItem]:
        for item in items:
            self.add(item.document.id, item.split)
            yield item


@dataclass(frozen=True, slots=True)
class _EncodeContext:
    """What every byte range of the sets file is encoded with (shared with forked workers)."""

    export_format: LineFormat
    scheme: Scheme
    index: DocumentIndex
    source: Source
    shares: Mapping[str, float]
    parts: Path
    """Folder for the encoded bytes of each range, one file per range and split."""


@dataclass
class _EncodedRange:
    """The encoded items of one byte range: a part file per split, counts and documents."""

    parts: dict[str, Path]
    records: Counter[str]
    tallies: Counter[str]
    documents: list[tuple[str, str]]


def _encode_range(context: _EncodeContext, byte_range: ByteRange) -> _EncodedRange:
    """Encode the items of one byte range into part files (runs in a worker when parallel).

    The bytes stay on disk rather than travel back through a pipe: the parent only appends the
    part files, in range order, to the split files.
    """
    encoded = EncodedItems()
    encode = context.export_format.encode
    for item in iter_range_items(context.index, byte_range, context.source, context.shares):
        encoded.documents.append((item.document.id, item.split))
        encode(item, context.scheme, encoded)
    parts = {}
    for number, (split, pieces) in enumerate(encoded.data.items()):
        parts[split] = context.parts / f"{byte_range.start}.{number}"
        with open(parts[split], "wb") as part:
            part.writelines(pieces)
    return _EncodedRange(parts, encoded.records, encoded.tallies, encoded.documents)


def _write_lines(export_format: LineFormat, corpus: Corpus, index: DocumentIndex, folder: Path,
                 source: Source, shares: Mapping[str, float], jobs: int,
                 documents: _DocumentTally, started: Callable[[], object]) -> Written:
    """Encode byte ranges of the sets file (in workers when it pays) and write them in order."""
    path = source_path(corpus, source)
    ranges = byte_ranges(path) if path.is_file() else []
    parts = folder / ".parts"
    parts.mkdir()
    context = _EncodeContext(export_format, corpus.scheme, index, source, shares, parts)
    files = LineFiles(folder, source, export_format.extension)
    tallies: Counter[str] = Counter()
    for encoded in map_ranges(_encode_range, context, ranges, jobs, started=started):
        for split, part in encoded.parts.items():
            files.append(split, part, encoded.records[split])
            part.unlink()
        tallies.update(encoded.tallies)
        for doc_id, split in encoded.documents:
            documents.add(doc_id, split)
    parts.rmdir()
    written = files.close()
    written.details.update(export_format.details(corpus.scheme, tallies))
    return written


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{staging.name}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def export_all(corpus: Corpus, out: Path, *, split: str | Mapping[str, float] | None = None,
               source: Source = "gold", formats: list[str] | None = None,
               jobs: int | None = None) -> dict[str, ExportManifest]:
    """Export in every format (or `formats`), each into `out/FORMAT`."""
    return {name: export(corpus, name, Path(out) / name, split=split, source=source, jobs=jobs)
            for name in (formats or list(FORMATS))}
