"""Ingest of web pages and web archives: article text and metadata by trafilatura, WARC by warcio."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from newsgold.cli import main
from newsgold.corpus import Corpus, ingest, init_corpus

from conftest import DATA
from helpers import seed_scheme

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
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
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
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
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
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
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
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(tmp_path / "broken.warc"), "--corpus", str(corpus.root)])
    assert result.exit_code == 2 and "not a WARC archive" in result.output and "Traceback" not in result.output


def _article(charset_tag: str, body: str) -> str:
    paragraphs = "".join(f"<p>{body} Paragraph {n} of this article has words enough for the extractor.</p>"
                         for n in range(1, 9))
    return (f"<!DOCTYPE html><html><head>{charset_tag}<title>Ministers</title></head><body><article>"
            f"{paragraphs}</article></body></html>")


def test_a_page_is_decoded_by_the_charset_it_declares(tmp_path: Path) -> None:
    page = tmp_path / "cp1252.html"
    page.write_bytes(_article('<meta charset="windows-1252">', "The minist\u00e8re said \u201cno\u201d.").encode("cp1252"))
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    ingest(corpus, [page])
    [document] = Corpus.open(corpus.root).iter_documents()
    assert "The ministère said “no”." in document.text and "\ufffd" not in document.text


def test_a_byte_that_is_not_of_the_charset_is_named_never_replaced(tmp_path: Path, runner) -> None:
    page = tmp_path / "mixed.html"
    page.write_bytes(_article("", "The minist\u00e8re said no.").encode("cp1252"))  # no charset: UTF-8 assumed
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(page), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    offset = page.read_bytes().index(b"\xe8")
    assert f"mixed.html: byte {offset} (0xe8) is not UTF-8 (no charset declared)" in result.output


def test_a_warc_record_with_an_unknown_charset_is_named(tmp_path: Path, runner) -> None:
    body = _article("", "The minist\u00e8re said no.").encode("latin-1")
    archive = _warc(tmp_path / "odd.warc.gz", [("https://x.example/a", "text/html; charset=utf-99", body)])
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(archive), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert "odd.warc.gz record 1 (https://x.example/a): declares the charset 'utf-99'" in result.output


def _plain_warc(path: Path, body: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=path.name.endswith(".gz"))
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/a", "response", payload=io.BytesIO(body),
                                                  http_headers=headers))
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_a_truncated_archive_is_named_truncated_not_stored_as_complete(tmp_path: Path, runner, name: str) -> None:
    body = _article('<meta charset="utf-8">', "Pevkur said troops are there.").encode()
    whole = _plain_warc(tmp_path / name, body)
    cut_at = whole.index(b"Paragraph 5") if not name.endswith(".gz") else len(whole) // 2
    (tmp_path / name).write_bytes(whole[:cut_at])
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(tmp_path / name), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert "truncated" in result.output and list(Corpus.open(corpus.root).iter_documents()) == []


def test_a_warc_gz_whose_compressed_data_is_garbled_is_unreadable_input(tmp_path: Path, runner) -> None:
    body = _article('<meta charset="utf-8">', "Pevkur said troops are there.").encode()
    whole = bytearray(_plain_warc(tmp_path / "bad.warc.gz", body))
    middle = len(whole) // 2
    whole[middle:middle + 16] = bytes(16)
    (tmp_path / "bad.warc.gz").write_bytes(bytes(whole))
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(tmp_path / "bad.warc.gz"), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert "compressed data" in result.output and "unexpected" not in result.output


@pytest.mark.parametrize("cut", ["in-the-warc-header", "in-the-http-header"])
def test_an_archive_cut_inside_a_header_is_named_truncated(tmp_path: Path, runner, cut: str) -> None:
    """warcio stops silently inside a header cut short: that was `added 0`, exit 0 (issue 41, item 11)."""
    body = _article('<meta charset="utf-8">', "Pevkur said troops are there.").encode()
    whole = _plain_warc(tmp_path / "crawl.warc", body)
    cut_at = whole.index(b"\r\n\r\n") // 2 if cut == "in-the-warc-header" else whole.index(b"HTTP/1.") + 20
    (tmp_path / "crawl.warc").write_bytes(whole[:cut_at])
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(tmp_path / "crawl.warc"), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert "truncated" in result.output and list(Corpus.open(corpus.root).iter_documents()) == []


@pytest.mark.parametrize("kind", ["warc", "html"])
def test_a_page_holding_nul_bytes_is_named_not_stored_with_text_missing(tmp_path: Path, runner, kind: str) -> None:
    body = _article('<meta charset="utf-8">', "Pevkur said troops are there.").encode().replace(b"<p>", b"<p>\x00", 2)
    if kind == "warc":
        path = tmp_path / "crawl.warc"
        path.write_bytes(_plain_warc(path, body))
    else:
        path = tmp_path / "page.html"
        path.write_bytes(body)
    corpus = init_corpus(tmp_path / "c", scheme=seed_scheme())
    result = runner.invoke(main, ["ingest", str(path), "--corpus", str(corpus.root)])
    assert result.exit_code == 2, result.output
    assert "is a NUL (0x00)" in result.output and list(Corpus.open(corpus.root).iter_documents()) == []
