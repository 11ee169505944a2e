"""`export`: write the gold (or raw annotation sets) of a corpus in a format, with a manifest."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import orjson

from newsgold import __version__
from newsgold.corpus.splits import parse_split
from newsgold.corpus.store import Corpus
from newsgold.errors import ExportError, UsageError
from newsgold.exports.formats import FORMATS
from newsgold.exports.items import ExportItem, Source, iter_items
from newsgold.exports.manifest import ExportManifest, FileEntry, corpus_fingerprint, sha256_of

__all__ = ["export", "export_all", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"


def _shares(split: str | Mapping[str, float] | None) -> dict[str, float]:
    if split is None:
        return {}
    return parse_split(split) if isinstance(split, str) else dict(split)


def export(corpus: Corpus, format_name: str, out: Path, *, split: str | Mapping[str, float] | None = None,
           source: Source = "gold") -> ExportManifest:
    """Export `corpus` in `format_name` into folder `out`, replacing it only once complete.

    `split` is `train=0.8,dev=0.1,test=0.1` (or a mapping): documents are assigned by a hash of
    their id. Raises UsageError for an unknown format and ExportError when writing fails; on any
    failure `out` is left as it was.
    """
    if format_name not in FORMATS:
        raise UsageError(f"unknown export format {format_name!r}; one of: {', '.join(FORMATS)}")
    export_format = FORMATS[format_name]
    shares = _shares(split)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    documents: Counter[str] = Counter()
    seen: set[str] = set()

    def counted(items: Iterator[ExportItem]) -> Iterator[ExportItem]:
        for item in items:
            if item.document.id not in seen:
                seen.add(item.document.id)
                documents[item.split] += 1
            yield item

    try:
        written = export_format.write(counted(iter_items(corpus, source, shares)), staging, corpus.scheme, source)
        manifest = ExportManifest(
            format=format_name,
            format_version=export_format.version,
            newsgold_version=__version__,
            corpus=corpus.name,
            corpus_fingerprint=corpus_fingerprint(corpus),
            source=source,
            split=shares,
            split_documents=dict(sorted(documents.items())),
            documents=len(seen),
            files={name: FileEntry(sha256=sha256_of(staging / name), records=records, split=file_split)
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
               source: Source = "gold", formats: list[str] | None = None) -> dict[str, ExportManifest]:
    """Export in every format (or `formats`), each into `out/FORMAT`."""
    return {name: export(corpus, name, Path(out) / name, split=split, source=source)
            for name in (formats or list(FORMATS))}
