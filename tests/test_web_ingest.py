"""Ingest of web pages and web archives: article text and metadata by trafilatura, WARC by warcio."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, ingest, init_corpus

from conftest import DATA

if os.environ.get("CI"):  # make test installs the web extra: in CI its absence is a failure, not a skip
    import trafilatura
    import warcio
else:
    trafilatura = pytest.importorskip("trafilatura")
    warcio = pytest.importorskip("warcio")
WEB = DATA / "web"


def _warc(path: Path, pages: list[tuple[str, str, bytes]]) -> Path:
    """A gzipped WARC of HTTP responses (url, content type, body), written by warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


def test_a_web_page_becomes_its_article_with_metadata(tmp_path: Path) -> None:
    corpus = init_corpus(tmp_path / "c")
    result = ingest(corpus, [WEB / "pevkur.html"])
    assert result.added == ["pevkur"]
    [document] = Corpus.open(corpus.root).iter_documents()
    assert document.text.startswith("Pevkur: NATO staff already in Ukraine\nEstonian Defense Minister")
    assert "Log in" not in document.text and "Subscribe" not in document.text  # boilerplate left out
    assert "“The reality is that every NATO member country" in document.text
    meta = document.meta
    assert (meta.title, meta.source, meta.url, meta.published) == (
        "Pevkur: NATO staff already in Ukraine", "Example News", "https://news.example.org/world/pevkur-nato",
        "2024-04-02")
    assert meta.extra["author"] == "Jane Roe"
    assert meta.ingested_from is not None and meta.ingested_from.format == "html"
    assert meta.ingested_from.extractor == f"trafilatura {trafilatura.__version__}"
    again = ingest(Corpus.open(corpus.root), [WEB / "pevkur.html"])  # same input, same text
    assert again.unchanged == ["pevkur"] and again.added == []


def test_a_page_that_is_not_an_article_is_reported_not_ingested(tmp_path: Path, runner) -> None:
    corpus = init_corpus(tmp_path / "c")
    result = runner.invoke(main, ["ingest", str(WEB), "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "not ingested:" in result.output and "login.html: not an article" in result.output
    assert [d.id for d in Corpus.open(corpus.root).iter_documents()] == ["pevkur"]


def test_a_warc_archive_gives_one_document_per_html_response(tmp_path: Path, runner) -> None:
    archive = _warc(tmp_path / "crawl.warc.gz", [
        ("https://news.example.org/world/pevkur-nato", "text/html; charset=utf-8", (WEB / "pevkur.html").read_bytes()),
        ("https://news.example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://news.example.org/login", "text/html", (WEB / "login.html").read_bytes()),
    ])
    corpus = init_corpus(tmp_path / "c")
    result = runner.invoke(main, ["ingest", str(archive), "--corpus", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "crawl.warc.gz record 2 (https://news.example.org/login): not an article" in result.output
    [document] = Corpus.open(corpus.root).iter_documents()
    assert document.id == "crawl-1" and document.meta.url == "https://news.example.org/world/pevkur-nato"
    source = document.meta.ingested_from
    assert source is not None and source.format == "warc" and source.line == 1
    assert source.record is not None and source.record.startswith("<urn:uuid:")
    assert source.extractor == f"trafilatura {trafilatura.__version__}"


def test_a_file_that_is_not_a_warc_is_unreadable_input(tmp_path: Path, runner) -> None:
    (tmp_path / "broken.warc").write_bytes(b"this is not a web archive\n")
    corpus = init_corpus(tmp_path / "c")
    result = runner.invoke(main, ["ingest", str(tmp_path / "broken.warc"), "--corpus", str(corpus.root)])
    assert result.exit_code == 2 and "not a WARC archive" in result.output and "Traceback" not in result.output
