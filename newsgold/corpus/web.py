"""Articles from web pages (`.html`) and web archives (`.warc`, `.warc.gz`), for `ingest`.

The article text and its metadata (title, author, outlet, URL, publication date) are extracted
with trafilatura (which uses htmldate for dates), a well-kept extractor used for web corpora,
rather than hand-written rules: boilerplate (navigation, footers, comments) is left out. WARC
records are read with warcio, the reference reader of the format. Each document records the file,
the WARC record and the extractor version, and the extraction settings are fixed, so the same
input always gives the same text. A page with too little article text is reported, not ingested.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsgold.corpus.normalize import normalize_text
from newsgold.errors import MissingExtraError, UnreadableInputError, UsageError
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
        raise MissingExtraError("web", "trafilatura") from None
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


_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 1024
"""How far into a page the HTML standard looks for its `<meta charset>` (the prescan)."""
_WHATWG_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                  "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252"}
"""Labels that browsers read as another encoding (the WHATWG Encoding standard): a page that says
Latin-1 is decoded as Windows-1252, as every browser does."""


def declared_charset(content: bytes) -> str | None:
    """The charset a page declares in a `<meta charset>` or `http-equiv` within its first 1024 bytes."""
    found = _META_CHARSET.search(content[:_PRESCAN_BYTES])
    return found.group(1).decode("ascii").lower() if found else None


def _decode(content: bytes, header_charset: str | None, where: str) -> str:
    """The text of a page: by its byte-order mark, else the charset the HTTP header (a WARC record)
    or the page itself declares, else UTF-8; strictly. UnreadableInputError naming `where` and the
    byte for a charset Python does not know or a byte that is not of the charset: never U+FFFD."""
    for bom, encoding, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                                (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if content.startswith(bom):
            return _strict(content, encoding, f"{name} (byte-order mark)", where)
    declared = header_charset or declared_charset(content)
    said = f"{declared} (declared)" if declared else "UTF-8 (no charset declared)"
    encoding = _WHATWG_LABELS.get(declared or "utf-8", declared or "utf-8")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UnreadableInputError(f"{where}: declares the charset {declared!r}, which newsgold does not know; "
                                   "convert the page to UTF-8 or correct its charset") from None
    return _strict(content, encoding, said, where)


def _strict(content: bytes, encoding: str, said: str, where: str) -> str:
    """`content` decoded; UnreadableInputError naming the first byte that is not `said`, or the
    first NUL character (no text holds one; the extractor would drop what follows it)."""
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(
            f"{where}: byte {exc.start} (0x{content[exc.start]:02x}) is not {said}; declare the page's "
            "charset, or convert it to UTF-8") from None
    if "\x00" in text:
        raise UnreadableInputError(f"{where}: character {text.index(chr(0))} is a NUL (0x00), which no text holds: "
                                   "the page is damaged or not text; fetch it again")
    return text


def _check_gzip(path: Path) -> None:
    """Read a gzipped file to its end, in chunks: EOFError if it is truncated, BadGzipFile or
    zlib.error if its data is damaged (warcio would stop quietly at the first bad member)."""
    with gzip.open(path, "rb") as unzipped:
        while unzipped.read(1 << 20):
            pass


def html_articles(path: Path, language: str | None, skip: Callable[[str], None]) -> Iterator[WebArticle]:
    """The article of one saved web page (id: the file stem); `skip(reason)` if it has none."""
    content = _read(path)
    outcome = _extract(_decode(content, None, str(path)), None)
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
        raise MissingExtraError("web", "warcio") from None
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
        if path.name.lower().endswith(".gz"):
            _check_gzip(path)
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for number, record in enumerate(records, 1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content = record.content_stream().read()  # read first: a record cut short is named, html or not
                url = record.rec_headers.get_header("WARC-Target-URI")
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise UnreadableInputError(f"{path} record {number} ({url}): the archive ends inside this record "
                                               f"({len(content)} bytes of its content read): it is truncated; fetch "
                                               "or copy it again")
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                ordinal += 1
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                where = f"{path} record {ordinal} ({url})"
                charset = content_type.partition("charset=")[2].split(";")[0].strip().strip("\"'").lower() or None
                outcome = _extract(_decode(content, charset, where), url)
                if isinstance(outcome, str):
                    skip(f"{path} record {ordinal} ({url}): {outcome}")
                    continue
                text, fields = outcome
                fields["url"] = fields.get("url") or url
                source = IngestSource(path=str(path), format="warc", line=ordinal, record=record_id,
                                      raw_sha256=hashlib.sha256(content).hexdigest(), extractor=_extractor_name())
                yield f"{stem}-{ordinal}", text, _meta(fields, source, language)
            if records.offset < os.path.getsize(path):  # warcio stops, silently, inside a header cut short
                raise UnreadableInputError(f"{path}: the archive ends inside the header of a record (after byte "
                                           f"{records.offset} of {os.path.getsize(path)}): it is truncated; fetch or "
                                           "copy it again")
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise UnreadableInputError(f"{path}: its compressed data is damaged ({exc}); fetch or copy it again") from None
    except EOFError:
        raise UnreadableInputError(f"{path}: the archive is truncated (its compressed data ends early); "
                                   "fetch or copy it again") from None
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except ArchiveLoadFailed as exc:
        raise UnreadableInputError(f"{path}: not a WARC archive ({str(exc).splitlines()[0]})") from None
