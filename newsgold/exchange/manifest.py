"""`manifest.json` of an export: what was exported, from which corpus, with per-file hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from newsgold._io import hash_file
from newsgold.corpus.store import Corpus
from newsgold.exchange.items import Source

__all__ = ["FileEntry", "ExportManifest", "corpus_fingerprint", "sha256_of"]


class FileEntry(BaseModel):
    """One exported file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sha256: str = Field(description="sha256 of the file's bytes.")
    records: int = Field(description="Records in it (lines, documents, sentences: see docs/formats.md).")
    split: str = Field(description="The split it belongs to (`all` without --split).")


class ExportManifest(BaseModel):
    """The manifest written beside every export."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format: str = Field(description="Export format name.")
    format_version: str = Field(description="Version of that export format.")
    newsgold_version: str = Field(description="newsgold release that wrote it.")
    corpus: str = Field(description="Corpus name.")
    corpus_fingerprint: str = Field(description="sha256 over the corpus files that were read.")
    source: str = Field(description="gold, or annotations (raw annotation sets).")
    split: dict[str, float] = Field(description="Split shares; empty without --split.")
    split_documents: dict[str, int] = Field(description="Documents per split.")
    documents: int = Field(description="Documents exported.")
    files: dict[str, FileEntry] = Field(description="Path relative to the export folder -> entry.")
    details: dict[str, Any] = Field(default_factory=dict, description="Format-specific facts "
                                    "(tag sets, dropped nested entities, ...).")
    _replaced_folder: Path | None = PrivateAttr(default=None)

    @property
    def replaced_folder(self) -> Path | None:
        """Where the folder of files no export wrote, which `replace` let this export take the
        place of, was kept (not written to manifest.json); None if there was none."""
        return self._replaced_folder


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        hash_file(f, digest)
    return digest.hexdigest()


def corpus_fingerprint(corpus: Corpus, source: Source) -> str:
    """sha256 over the corpus files an export of `source` reads: the manifest, the documents and
    the gold (or annotations) file, in that order, each as its name and its sha256."""
    digest = hashlib.sha256()
    for path in [corpus.manifest_path, *corpus.document_paths(), corpus.source_path(source)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(bytes.fromhex(sha256_of(path)) if path.is_file() else b"missing")
    return digest.hexdigest()


def manifest_summary(manifest: ExportManifest) -> str:
    """One line per file, for the terminal."""
    lines = [f"{manifest.format} export of {manifest.corpus} ({manifest.source}, "
             f"{manifest.documents} documents, fingerprint {manifest.corpus_fingerprint[:12]})"]
    for name, entry in manifest.files.items():
        lines.append(f"  {name}: {entry.records} records [{entry.split}] sha256 {entry.sha256[:12]}")
    return "\n".join(lines)

