"""`export`: write the gold (or raw annotation sets) of a corpus in a format, with a manifest."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsgold import __version__
from newsgold import _progress as progress
from newsgold._io import create_file, make_folder, pause_point, regular_file, write_file
from newsgold._parallel import ByteRange, available_jobs, byte_ranges, map_ranges
from newsgold.corpus.splits import check_shares, parse_split
from newsgold.corpus.records import check_source
from newsgold.corpus.store import Corpus, DocumentIndex, check_corpus
from newsgold.errors import CannotWriteError, ExportError, MissingExtraError, UsageError
from newsgold.extras import EXTRA_OF_MODULE
from newsgold.exchange.destination import (check_destination, make_staging, refuse_link, remove_stale_staging,
                                           retired_name)
from newsgold.corpus.outputs import replaced_beside
from newsgold.formats import FORMATS
from newsgold.formats.dataset_card import CardFacts, CardFormat, dataset_card
from newsgold.formats.base import EncodedItems, ExportFormat, LineFiles, LineFormat, Written
from newsgold.exchange.items import ExportItem, Source, iter_items, iter_range_items
from newsgold.exchange.manifest import ExportManifest, FileEntry, corpus_fingerprint, sha256_of
from newsgold.schemas.scheme import Scheme

__all__ = ["export", "export_all", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"
CARD_NAME = "README.md"
"""The dataset card of the Hugging Face exports (`newsgold.formats.dataset_card`)."""


def missing_roles(export_format: ExportFormat, scheme: Scheme) -> list[str]:
    """The roles `export_format` needs that `scheme` leaves unset."""
    roles = scheme.resolved_roles
    return [role for role in export_format.roles_needed if getattr(roles, role) is None]


def skipped_formats(scheme: Scheme) -> dict[str, str]:
    """Format name -> why `export_all` leaves it out: a role `scheme` leaves unset (e.g. `quotes`
    for a scheme without quotes), or a package that is not installed (spaCy for `spacy`)."""
    skipped = {}
    for name, export_format in FORMATS.items():
        lacking = missing_roles(export_format, scheme)
        absent = [module for module in export_format.needs_modules if not _installed(module)]
        if lacking:
            skipped[name] = f"the scheme names no {', '.join(f'roles.{r}' for r in lacking)}"
        elif absent:
            skipped[name] = _missing(absent[0]).needs
    return skipped


def _missing(module: str) -> MissingExtraError:
    return MissingExtraError(EXTRA_OF_MODULE[module], module)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken or blocked installation counts as absent
        return False


def _shares(split: str | Mapping[str, float] | None) -> dict[str, float]:
    if split is None:
        return {}
    return parse_split(split) if isinstance(split, str) else check_shares(split)


def export(corpus: Corpus, format_name: str, out: Path, *, split: str | Mapping[str, float] | None = None,
           source: Source = "gold", jobs: int | None = None, replace: bool = False,
           skip_stale: bool = False) -> ExportManifest:
    """Export `corpus` in `format_name` into folder `out`, replacing it only once complete.

    `split` is `train=0.8,dev=0.1,test=0.1` (or a mapping): documents are assigned by a hash of
    their id. Line formats (jsonl, quotes, stance, ner-*) are encoded in `jobs` processes
    (default: one per available CPU); the files are the same for any `jobs`. `out` must be
    missing, empty or an earlier export (`replace` allows any other folder that is not the corpus,
    inside it or around it: see `newsgold.exchange.destination`). Every set read is checked as
    `validate` checks it; sets made on a text that has changed since are an error unless
    `skip_stale` leaves them out. Raises UsageError (unknown format, refused `out`),
    InvalidRecordError (a broken record, with the line `validate` prints) and CannotWriteError;
    on any failure `out` is left as it was. A folder of other files that `replace` let go is kept
    beside `out` (`OUT.replaced-TIME`), named by the manifest's `replaced_folder`.
    """
    check_corpus(corpus)
    check_source(source)
    if format_name not in FORMATS:
        raise UsageError(f"unknown export format {format_name!r}; one of: {', '.join(FORMATS)}")
    export_format = FORMATS[format_name]
    lacking = missing_roles(export_format, corpus.scheme)
    if lacking:
        raise UsageError(f"the {format_name} format needs the scheme's {', '.join(f'roles.{r}' for r in lacking)}, "
                         f"which {corpus.root / 'newsgold.json'} does not name: add a `roles` block naming "
                         "your labels (see docs/format.md, The scheme)")
    absent = [module for module in export_format.needs_modules if not _installed(module)]
    if absent:
        missing = _missing(absent[0])
        raise MissingExtraError(missing.extra, missing.module)
    shares = _shares(split)
    jobs = available_jobs() if jobs is None else max(1, jobs)
    refuse_link(Path(out))
    out = Path(os.path.realpath(out))
    keep_old = check_destination(out, corpus.root, replace=replace)
    remove_stale_staging(out)
    staging = make_staging(out)
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
                                       documents, start_fingerprint, skip_stale)
            else:
                start_fingerprint()
                written = export_format.write(documents.counted(iter_items(corpus, source, shares, index,
                                                                           skip_stale=skip_stale),
                                                                f"export {format_name}"),
                                              staging, corpus.scheme, source)
            corpus_digest = fingerprint[0].result()
        if isinstance(export_format, CardFormat):
            _write_card(export_format, corpus, staging, source, corpus_digest, written)
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
        write_file(
            staging / MANIFEST_NAME,
            orjson.dumps(manifest.model_dump(mode="json"), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        kept = _swap_into_place(staging, out, keep_old)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise CannotWriteError(Path(exc.filename) if exc.filename else out, exc) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    manifest._replaced_folder = kept  # not a field: manifest.json does not say where the old folder went
    return manifest


def _write_card(export_format: CardFormat, corpus: Corpus, folder: Path, source: Source, fingerprint: str,
                written: Written) -> None:
    """Write the dataset card README.md of a Hugging Face export and list it among the files."""
    tag_names = written.details.get("tag_names") or {"ner_tags": written.details.get("ner_tag_names", [])}
    facts = CardFacts(
        corpus=corpus.name, corpus_description=corpus.manifest.description, license=corpus.manifest.license,
        format=export_format.name, format_description=export_format.description,
        task_category=export_format.task_category, task_ids=export_format.task_ids,
        features=export_format.card_features(corpus.scheme, source), columns=export_format.card_columns(source),
        files={split: (name, records, (folder / name).stat().st_size)
               for name, (records, split) in written.files.items()},
        scheme=corpus.scheme.name, source=source, newsgold_version=__version__, corpus_fingerprint=fingerprint,
        tag_names=tag_names)
    write_file(folder / CARD_NAME, dataset_card(facts).encode())
    written.files[CARD_NAME] = (0, "all")


class _DocumentTally:
    """The documents an export covers, and how many fall in each split."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.per_split: Counter[str] = Counter()

    def add(self, doc_id: str, split: str) -> None:
        if doc_id not in self.seen:
            self.seen.add(doc_id)
            self.per_split[split] += 1

    def counted(self, items: Iterator[ExportItem], description: str = "export") -> Iterator[ExportItem]:
        with progress.task(description) as bar:
            for item in items:
                self.add(item.document.id, item.split)
                bar.advance()
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
    skip_stale: bool


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
    for item in iter_range_items(context.index, byte_range, context.source, context.shares,
                                 context.scheme, skip_stale=context.skip_stale):
        encoded.documents.append((item.document.id, item.split))
        encode(item, context.scheme, encoded)
    parts = {}
    for number, (split, pieces) in enumerate(encoded.data.items()):
        parts[split] = context.parts / f"{byte_range.start}.{number}"
        with create_file(parts[split]) as part:
            part.writelines(pieces)
    return _EncodedRange(parts, encoded.records, encoded.tallies, encoded.documents)


def _write_lines(export_format: LineFormat, corpus: Corpus, index: DocumentIndex, folder: Path,
                 source: Source, shares: Mapping[str, float], jobs: int,
                 documents: _DocumentTally, started: Callable[[], object], skip_stale: bool) -> Written:
    """Encode byte ranges of the sets file (in workers when it pays) and write them in order."""
    path = corpus.source_path(source)
    ranges = byte_ranges(path) if regular_file(path) else []
    parts = folder / ".parts"
    make_folder(parts)
    context = _EncodeContext(export_format, corpus.scheme, index, source, shares, parts, skip_stale)
    files = LineFiles(folder, source, export_format.extension, splits=list(shares) or ["all"])
    tallies: Counter[str] = Counter()
    with progress.task(f"export {export_format.name}", sum(r.end - r.start for r in ranges), "bytes") as bar:
        # map_ranges first: it calls `started` even when there is no range.
        for encoded, byte_range in zip(map_ranges(_encode_range, context, ranges, jobs, started=started), ranges):
            for split, part in encoded.parts.items():
                files.append(split, part, encoded.records[split])
                part.unlink()
            tallies.update(encoded.tallies)
            for doc_id, split in encoded.documents:
                documents.add(doc_id, split)
            bar.advance(byte_range.end - byte_range.start)
    parts.rmdir()
    written = files.close()
    written.details.update(export_format.details(corpus.scheme, tallies))
    return written


def _swap_into_place(staging: Path, out: Path, keep_old: bool = False) -> Path | None:
    """Put the staged export at `out`; the folder there before is removed, or, with `keep_old`
    (it held files no export wrote), kept beside it. Returns where it was kept, if it was."""
    pause_point("staged")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    old = None
    if out.exists():
        old = replaced_beside(out) if keep_old else retired_name(out)
        out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None and not keep_old:
        shutil.rmtree(old, ignore_errors=True)
    return old if keep_old else None


def export_all(corpus: Corpus, out: Path, *, split: str | Mapping[str, float] | None = None,
               source: Source = "gold", formats: list[str] | None = None,
               jobs: int | None = None, replace: bool = False,
               skip_stale: bool = False) -> dict[str, ExportManifest]:
    """Export in every format the scheme's roles allow (or in `formats`), each into `out/FORMAT`;
    every destination is checked before the first is written (see `skipped_formats`)."""
    check_corpus(corpus)
    check_source(source)
    names = formats or [name for name in FORMATS if name not in skipped_formats(corpus.scheme)]
    refuse_link(Path(out))
    out = Path(os.path.realpath(out))
    if out.exists() and not out.is_dir():
        raise UsageError(f"out={out} exists and is not a folder; choose a folder")
    for name in names:
        check_destination(out / name, corpus.root, replace=replace)
    return {name: export(corpus, name, out / name, split=split, source=source, jobs=jobs,
                         replace=replace, skip_stale=skip_stale)
            for name in names}
