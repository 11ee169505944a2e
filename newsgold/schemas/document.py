"""A document: the exact text that every offset indexes, with its hash and metadata."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsgold.schemas.version import FORMAT_VERSION, FormatVersion

__all__ = ["Document", "DocumentMeta", "IngestSource", "DOC_ID_PATTERN", "text_sha256"]

DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def text_sha256(text: str) -> str:
    """Return the hex sha256 of `text` encoded as UTF-8: the hash every record stores."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class IngestSource(BaseModel):
    """Where a document was ingested from."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    path: str = Field(description="The file it was read from, as given to `newsgold ingest`.")
    format: Literal["txt", "jsonl", "label-studio", "brat", "html", "warc"] = Field(
        description="The input format it was read from."
    )
    line: int | None = Field(
        default=None, ge=1, description="For JSONL and other multi-record inputs: the 1-based line."
    )
    raw_sha256: str | None = Field(
        default=None,
        pattern=SHA256_PATTERN,
        description="sha256 of the raw bytes before BOM removal and line-ending normalization.",
    )
    record: str | None = Field(
        default=None, description="For WARC archives: the WARC-Record-ID of the response it came from."
    )
    extractor: str | None = Field(
        default=None,
        description="For web pages: the text extractor and its version (e.g. trafilatura 2.3.1); the "
        "same page and extractor version always give the same text.",
    )


class DocumentMeta(BaseModel):
    """Bibliographic metadata of an article. Every field is optional."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str | None = Field(default=None, description="The headline.")
    source: str | None = Field(default=None, description="The outlet that published it.")
    url: str | None = Field(default=None, description="Where it was published.")
    published: str | None = Field(
        default=None, description="Publication date or date-time, ISO 8601 (e.g. 2024-04-03)."
    )
    language: str | None = Field(
        default=None, description="BCP 47 language tag of the text (e.g. en)."
    )
    section: str | None = Field(
        default=None, description="The outlet's section or breadcrumb (e.g. Russia)."
    )
    ingested_from: IngestSource | None = Field(
        default=None, description="Where newsgold read the article from."
    )
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Other metadata of the source record, kept as given."
    )


class Document(BaseModel):
    """One article of `documents.jsonl`: the text never changes after ingest."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format_version: FormatVersion = Field(
        default=FORMAT_VERSION, description="Version of the newsgold corpus format."
    )
    id: str = Field(pattern=DOC_ID_PATTERN, description="Unique, file-name-safe document id.")
    text: str = Field(
        description=(
            "The exact text. Offsets are Unicode code points into it, half-open; "
            "line endings are LF and there is no BOM."
        )
    )
    sha256: str = Field(pattern=SHA256_PATTERN, description="sha256 of `text` encoded as UTF-8.")
    meta: DocumentMeta = Field(default_factory=DocumentMeta, description="Metadata.")

    @classmethod
    def from_text(cls, doc_id: str, text: str, meta: DocumentMeta | None = None) -> Document:
        """Build a document, computing its sha256."""
        return cls(id=doc_id, text=text, sha256=text_sha256(text), meta=meta or DocumentMeta())
