"""Articles from web pages (`.html`) and web archives (`.warc`, `.warc.gz`), for `ingest`.

The article text and its metadata (title, author, outlet, URL, publication date) are extracted
with trafilatura (which uses htmldate for dates), a well-kept extractor used for web corpora,
rather than hand-written rules: boilerplate (navigation, footers, comments) is left out. WARC
records are read with warcio, the reference reader of the format. Each document records the file,
the WARC record and the extractor version, and the extraction settings are fixed, so the same
input always gives the same text. A page with too little article text is reported, not ingested.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgold.corpus.normalize import normalize_text
from newsgold.errors import UnreadableInputError, UsageError
from newsgold.schemas.document import DocumentMeta, IngestSource

__all__ = ["MIN_ARTICLE_WORDS", "WebArticle", "html_articles", "is_web_file", "warc_articles"]

MIN_ARTICLE_WORDS = 25
"""Fewer words than this after extraction: not an article (a login page, an index, an error page)."""

WebArticle = tuple[str, str, DocumentMeta]
"""(document id, text, metadata)."""


def is_web_file(path: Path) -> bool:
    """True for the files this module reads: .html, .htm, .warc, .warc.gz."""
    name = path.name.lower()
    return name.endswith((".html", ".htm", ".warc", ".warc.gz"))


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError:
        raise UsageError("ingesting web pages needs the web extra: pip install 'newsgold[web]'") from None
    return trafilatura


def _extractor_name() -> str:
    return f"trafilatura {_trafilatura().__version__}"


def _extract(html: str, url: str | None) -> tuple[str, dict[str, Any]] | str:
    """(text, metadata) of the article in `html`, or why it is not one."""
    extracted = _trafilatura().bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=False, deduplicate=False)
    if extracted is None:
        return "no article text found"
    fields = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = normalize_text(fields.get("text") or "").text.strip()
    words = len(text.split())
    if words < MIN_ARTICLE_WORDS:
        return f"not an article: {words} words of text after extraction (at least {MIN_ARTICLE_WORDS} needed)"
    return text + "\n", fields


def _meta(fields: dict[str, Any], source: IngestSource, language: str | None) -> DocumentMeta:
    extra = {key: fields[key] for key in ("author", "hostname", "description") if fields.get(key)}
    return DocumentMeta(title=fields.get("title") or None, source=fields.get("sitename") or None,
                        url=fields.get("url") or None, published=fields.get("date") or None,
                        language=language or fields.get("language") or None, extra=extra,
                        ingested_from=source)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None


def _decode(content: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return content.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return content.decode("utf-8", errors="replace")


def html_articles(path: Path, language: str | None, skip: Callable[[str], None]) -> Iterator[WebArticle]:
    """The article of one saved web page (id: the file stem); `skip(reason)` if it has none."""
    content = _read(path)
    outcome = _extract(_decode(content, None), None)
    if isinstance(outcome, str):
        skip(f"{path}: {outcome}")
        return
    text, fields = outcome
    source = IngestSource(path=str(path), format="html", raw_sha256=hashlib.sha256(content).hexdigest(),
                          extractor=_extractor_name())
    yield path.name.split(".")[0], text, _meta(fields, source, language)


def warc_articles(path: Path, language: str | None, skip: Callable[[str], None]) -> Iterator[WebArticle]:
    """The article of every HTML response of a WARC archive (id: `STEM-N`, N its response ordinal)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise UsageError("ingesting web archives needs the web extra: pip install 'newsgold[web]'") from None
    stem = path.name.split(".")[0]
    ordinal = 0
    try:
        with open(path, "rb") as head:
            start = head.read(2)
            head.seek(0)
            if start == b"\x1f\x8b":
                with gzip.open(head) as unzipped:
                    start = unzipped.read(5)
            else:
                start = head.read(5)
        if start != b"WARC/":
            raise UnreadableInputError(f"{path}: not a WARC archive (it does not start with WARC/)")
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                ordinal += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                content = record.content_stream().read()
                charset = content_type.partition("charset=")[2].split(";")[0].strip() or None
                outcome = _extract(_decode(content, charset), url)
                if isinstance(outcome, str):
                    skip(f"{path} record {ordinal} ({url}): {outcome}")
                    continue
                text, fields = outcome
                fields["url"] = fields.get("url") or url
                source = IngestSource(path=str(path), format="warc", line=ordinal, record=record_id,
                                      raw_sha256=hashlib.sha256(content).hexdigest(), extractor=_extractor_name())
                yield f"{stem}-{ordinal}", text, _meta(fields, source, language)
    except (OSError, EOFError) as exc:
        raise UnreadableInputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except ArchiveLoadFailed as exc:
        raise UnreadableInputError(f"{path}: not a WARC archive ({str(exc).splitlines()[0]})") from None
