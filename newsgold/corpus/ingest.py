"""`ingest`: add plain-text and JSONL articles to a corpus, normalizing their text once and for all."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from newsgold._io import Transaction, iter_jsonl_lines, regular_file
from newsgold.corpus.outcomes import Report
from newsgold.corpus.normalize import decode_utf8, normalize_text
from newsgold.corpus.rewrite import stage_rewrite
from newsgold import _progress as progress
from newsgold.corpus.records import record_line
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.web import html_articles, is_web_file, warc_articles
from newsgold.errors import DocumentConflictError, IngestError, UnreadableInputError
from newsgold.schemas.document import Document, DocumentMeta, IngestSource, text_sha256

__all__ = ["IngestResult", "StaleSet", "ingest", "stage_documents", "read_articles", "extract_title"]

_META_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "url": "url",
    "published": "published",
    "date": "published",
    "language": "language",
    "lang": "language",
    "section": "section",
}
_BREADCRUMB = re.compile(r"^[^.!?\"“”]{1,60}(\s*[/>»|]\s*[^.!?\"“”]{0,60})*\s*[/>»|]\s*$")


@dataclass(frozen=True)
class StaleSet:
    """An annotation or gold set that points at a text `replace` has just replaced."""

    doc_id: str
    annotator: str
    file: str
    line: int


@dataclass
class IngestResult(Report):
    """What `ingest` did, per document id."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    stale_sets: list[StaleSet] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Inputs that hold no article (a web page that is not one), with the reason."""
    backup_path: Path | None = None
    """Where the documents `replace` replaced are kept, as they were (`.newsgold/replaced/`)."""


def extract_title(text: str) -> tuple[str | None, str | None]:
    """Return (title, section) from the first lines of an article.

    A leading breadcrumb line such as `Russia /` is the section; the title is the first line
    after it, if it reads like a headline (short, not a whole paragraph).
    """
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    section = None
    if lines and _BREADCRUMB.match(lines[0]):
        parts = [p.strip() for p in re.split(r"[/>»|]", lines[0]) if p.strip()]
        section = " / ".join(parts) or None
        lines = lines[1:]
    title = None
    if lines and len(lines[0]) <= 200 and not lines[0].endswith((".", "…")):
        title = lines[0]
    return title, section


def _txt_article(path: Path, language: str | None) -> Document:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    text = normalize_text(decode_utf8(content, str(path))).text
    title, section = extract_title(text)
    meta = DocumentMeta(
        title=title,
        section=section,
        language=language,
        ingested_from=IngestSource(
            path=str(path), format="txt", raw_sha256=hashlib.sha256(content).hexdigest()
        ),
    )
    return _document(path.stem, text, meta, f"{path}")


def _document(doc_id: str, text: str, meta: DocumentMeta, where: str) -> Document:
    try:
        return Document(id=doc_id, text=text, sha256=text_sha256(text), meta=meta)
    except ValidationError as exc:
        error = exc.errors()[0]
        field_name = ".".join(str(p) for p in error["loc"])
        hint = " (ids use A-Z a-z 0-9 . _ -, up to 128)" if field_name == "id" else ""
        raise IngestError(f"{where}: {field_name}: {error['msg']}{hint}") from None


def _jsonl_articles(path: Path, language: str | None) -> Iterator[Document]:
    for number, _, raw in iter_jsonl_lines(path):
        where = f"{path}:{number}"
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a BOM some editors write: not part of the first record
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                raise UnreadableInputError(
                    f"{where}: not valid UTF-8 (byte 0x{raw[bad.start]:02x} at column {bad.start + 1}); "
                    "convert it first, e.g. `iconv -f windows-1252 -t utf-8`") from None
            raise IngestError(f"{where}: invalid JSON: {exc}; fix the line (one JSON object a line)") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise IngestError(f"{where}: a record needs a string field 'text'")
        raw_text = record.pop("text")
        text = normalize_text(raw_text).text
        doc_id = record.pop("id", None)
        if doc_id is not None and not isinstance(doc_id, str):
            raise IngestError(f"{where}: id must be a string, not {type(doc_id).__name__} "
                              f"{doc_id!r}; quote it (\"id\": \"{doc_id}\")")
        doc_id = doc_id if doc_id is not None else f"{path.stem}-{number}"
        meta_fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        nested = record.pop("meta", None)
        if nested is not None and not isinstance(nested, dict):
            raise IngestError(f"{where}: meta must be a JSON object of metadata, not "
                              f"{type(nested).__name__}")
        items = list((nested or {}).items()) + list(record.items())
        for key, value in items:
            target = _META_KEYS.get(key)
            if target and (value is None or isinstance(value, str)):
                meta_fields.setdefault(target, value)
            else:
                extra[key] = value
        meta_fields.setdefault("language", language)
        if "title" not in meta_fields or "section" not in meta_fields:
            title, section = extract_title(text)
            meta_fields.setdefault("title", title)
            meta_fields.setdefault("section", section)
        meta = DocumentMeta(
            **meta_fields,
            extra=extra,
            ingested_from=IngestSource(
                path=str(path), format="jsonl", line=number,
                raw_sha256=hashlib.sha256(raw_text.encode("utf-8")).hexdigest(),
            ),
        )
        yield _document(doc_id, text, meta, where)


def read_articles(paths: Iterable[Path], *, language: str | None = None,
                  skipped: list[str] | None = None) -> Iterator[Document]:
    """Yield a Document for every article in `paths`: `.txt` files, `.jsonl` files, web pages
    (`.html`, `.htm`), web archives (`.warc`, `.warc.gz`), or folders of them.

    Text is decoded as strict UTF-8, a BOM is dropped and CRLF/CR become LF. Ids default to the
    file stem (txt, html) or `stem-N` (the Nth JSONL record without `id`, the Nth HTML response
    of a WARC). A web page with no article, and a file or sub-folder of a folder that is none of
    these, is not read: its reason is appended to `skipped`.
    """
    skip = skipped.append if skipped is not None else (lambda reason: None)
    for path in paths:
        path = Path(path)
        if path.is_dir():
            children = []
            for child in sorted(path.iterdir()):
                if child.suffix in (".txt", ".jsonl") or is_web_file(child):
                    children.append(child)
                elif not child.name.startswith("."):  # hidden files (.gitkeep, .DS_Store) go unmentioned
                    kind = "a folder (folders are not searched)" if child.is_dir() else "not an article file"
                    skip(f"{child}: {kind}; ingest reads .txt, .jsonl, .html, .htm, .warc and .warc.gz")
            yield from read_articles(children, language=language, skipped=skipped)
        elif not regular_file(path):  # a FIFO or device is refused before it is opened
            raise UnreadableInputError(f"{path}: no such file or folder")
        elif path.suffix == ".jsonl":
            yield from _jsonl_articles(path, language)
        elif is_web_file(path):
            read = warc_articles if path.name.lower().endswith((".warc", ".warc.gz")) else html_articles
            for doc_id, text, meta in read(path, language, skip):
                yield _document(doc_id, text, meta, str(path))
        else:
            yield _txt_article(path, language)


def ingest(
    corpus: Corpus,
    paths: Iterable[Path],
    *,
    replace: bool = False,
    language: str | None = None,
) -> IngestResult:
    """Add the articles in `paths` to `corpus`; write nothing unless every article is accepted.

    Re-ingesting a text already stored under its id is a no-op. The same id with another text
    raises DocumentConflictError unless `replace`; then the result lists the annotation and gold
    sets that now point at the old text.
    """
    from newsgold.corpus.write import corpus_write  # loaded when writing: `validate` imports this module too

    skipped: list[str] = []
    with corpus_write(corpus, "ingest") as write, progress.task("ingest") as bar:
        result = stage_documents(corpus, progress.counted(read_articles(paths, language=language, skipped=skipped),
                                                          bar), write.txn, replace=replace, operation="ingest")
    result.skipped = skipped
    if result.replaced:
        result.stale_sets = list(_stale_sets(corpus, set(result.replaced)))
    return result


def stage_documents(corpus: Corpus, documents: Iterable[Document], txn: Transaction, *,
                    replace: bool = False, operation: str = "ingest") -> IngestResult:
    """Stage `documents` into the corpus's document files in `txn` (see `ingest` for the rules); the
    records `replace` replaces are staged, as they were, into `.newsgold/replaced/OPERATION-TIME.jsonl`."""
    index = corpus.document_index()
    result = IngestResult()
    replacements: dict[str, Document] = {}
    seen: dict[str, str] = {}
    with tempfile.TemporaryFile() as spool:
        for document in documents:
            previous = seen.get(document.id)
            if previous is not None:
                if previous != document.sha256:
                    raise DocumentConflictError(
                        f"document id {document.id} appears twice in this ingest with different "
                        "texts; give one of them another id"
                    )
                continue
            seen[document.id] = document.sha256
            if document.id in index:
                if index.sha256(document.id) == document.sha256:
                    result.unchanged.append(document.id)
                elif replace:
                    replacements[document.id] = document
                    result.replaced.append(document.id)
                else:
                    raise DocumentConflictError(
                        f"document {document.id} is already in the corpus with another text "
                        f"({document.meta.ingested_from.path if document.meta.ingested_from else ''}); "
                        "pass replace=True to replace it (its annotations will then be reported stale)"
                    )
            else:
                spool.write(record_line(document))
                result.added.append(document.id)
        if result.added or replacements:
            spool.seek(0)
            kept = _stage_documents(corpus, txn, replacements, spool if result.added else None)
            if kept:
                result.backup_path = corpus.replaced_file(operation)
                txn.write_lines(result.backup_path, kept)
    return result


def _stage_documents(corpus: Corpus, txn: Transaction, replacements: dict[str, Document],
                     spool: Any) -> list[bytes]:
    """Stage the rewritten document files; returns the lines of the documents replaced, as they were."""
    kept: list[bytes] = []
    target = corpus.default_documents_path()
    paths = corpus.document_paths()
    if target not in paths:
        paths.append(target)
    for path in paths:
        touches = path == target and spool is not None
        if not touches and replacements:
            touches = any(_line_ids(path, replacements))
        if not touches:
            continue

        def replaced(_: int, raw: bytes) -> bytes | None:
            doc_id = _id_of(raw)
            if doc_id not in replacements:
                return raw
            kept.append(raw if raw.endswith(b"\n") else raw + b"\n")
            return record_line(replacements[doc_id])

        appended = iter(lambda: spool.read(1 << 20), b"") if path == target and spool is not None else ()
        stage_rewrite(txn, corpus.root, path, replaced if replacements else None, appended)
    return kept


def _id_of(raw: bytes) -> str | None:
    try:
        record = orjson.loads(raw)
        return record.get("id") if isinstance(record, dict) else None
    except orjson.JSONDecodeError:
        return None


def _line_ids(path: Path, wanted: dict[str, Document]) -> Iterator[str]:
    for _, _, raw in iter_jsonl_lines(path):
        doc_id = _id_of(raw)
        if doc_id in wanted:
            yield doc_id


def _stale_sets(corpus: Corpus, replaced: set[str]) -> Iterator[StaleSet]:
    current = {doc_id: corpus.document_index().sha256(doc_id) for doc_id in replaced}
    for path, gold in ((corpus.annotations_path, False), (corpus.gold_path, True)):
        if not path.is_file():
            continue
        for number, _, raw in iter_jsonl_lines(path):
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            doc_id = record.get("doc_id") if isinstance(record, dict) else None
            if doc_id in current and record.get("doc_sha256") != current[doc_id]:
                annotator = "gold" if gold else str(record.get("annotator"))
                yield StaleSet(doc_id, annotator, str(path), number)
