"""Ingest: normalization, UTF-8 errors, titles, re-ingest, replace, and atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgold.cli import main
from newsgold.corpus import Corpus, ingest, init_corpus, validate
from newsgold.corpus.ingest import extract_title
from newsgold.corpus.normalize import normalize_text
from newsgold.errors import DocumentConflictError, UnreadableInputError

from conftest import REPO, snapshot
from helpers import seed_scheme


@pytest.fixture
def empty(tmp_path: Path) -> Corpus:
    return init_corpus(tmp_path / "c", name="c", scheme=seed_scheme())


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_bom_dropped_and_crlf_becomes_lf(empty: Corpus, tmp_path: Path) -> None:
    article = _write(tmp_path / "a1.txt", "\ufeffHeadline\r\n\r\nBody one.\rBody two.\r\n".encode())
    result = ingest(empty, [article])
    assert result.added == ["a1"]
    [document] = empty.iter_documents()
    assert document.text == "Headline\n\nBody one.\nBody two.\n"
    assert document.meta.title == "Headline"
    assert document.meta.ingested_from.format == "txt"
    assert validate(empty.root).ok


def test_invalid_utf8_names_the_file(empty: Corpus, tmp_path: Path, runner) -> None:
    article = _write(tmp_path / "latin1.txt", "Caf\xe9 au lait".encode("latin-1"))
    before = snapshot(empty.root)
    with pytest.raises(UnreadableInputError, match=r"latin1.txt: not valid UTF-8 \(byte 0xe9 at offset 3"):
        ingest(empty, [article])
    result = runner.invoke(main, ["ingest", str(article), "--corpus", str(empty.root)])
    assert result.exit_code == 2
    assert "latin1.txt: not valid UTF-8" in result.output
    assert snapshot(empty.root) == before


def test_seed_titles_and_sections() -> None:
    seed = (REPO / "seeds" / "000_8dd4fb761523bda0.txt").read_text()
    assert extract_title(seed) == (
        "Every NATO Country Already Has Military Personnel In Ukraine, Foreign Official Says", "Russia")
    seed = (REPO / "seeds" / "004_2da5e68ab82a8b3d.txt").read_text()
    assert extract_title(seed) == ("Stoltenberg: There are no NATO troops in Ukraine", None)


def test_the_ingest_page_says_what_becomes_the_section_and_the_title() -> None:
    """docs/ingest.md's breadcrumb examples do what the page says they do."""
    page = " ".join((REPO / "docs" / "ingest.md").read_text(encoding="utf-8").split())
    assert ("(`Russia /`, `World > Europe >`, with `/ > » |` between and after the parts) becomes the "
            "`section` (`Russia`, `World / Europe`)") in page
    assert "A first line without the trailing separator (`World > Europe`) is not a breadcrumb" in page
    assert extract_title("Russia /\nKremlin says no\n\nBody.") == ("Kremlin says no", "Russia")
    assert extract_title("World > Europe >\nKremlin says no\n\nBody.") == ("Kremlin says no", "World / Europe")
    assert extract_title("World > Europe\nKremlin says no\n\nBody.") == ("World > Europe", None)


def test_reingest_is_a_no_op(empty: Corpus) -> None:
    ingest(empty, [REPO / "seeds"])
    before = snapshot(empty.root)
    result = ingest(empty, [REPO / "seeds"])
    assert result.unchanged == ["000_8dd4fb761523bda0", "004_2da5e68ab82a8b3d"]
    assert not result.added and not result.replaced
    assert snapshot(empty.root) == before


def test_same_id_other_text_is_refused_and_changes_nothing(empty: Corpus, tmp_path: Path, runner) -> None:
    _write(tmp_path / "a.txt", b"First text.\n")
    ingest(empty, [tmp_path / "a.txt"])
    _write(tmp_path / "a.txt", b"Second text.\n")
    _write(tmp_path / "b.txt", b"Another article.\n")
    before = snapshot(empty.root)
    with pytest.raises(DocumentConflictError, match="pass replace=True"):
        ingest(empty, [tmp_path / "b.txt", tmp_path / "a.txt"])
    assert snapshot(empty.root) == before
    result = runner.invoke(main, ["ingest", str(tmp_path / "b.txt"), str(tmp_path / "a.txt"),
                                  "--corpus", str(empty.root)])
    assert result.exit_code == 1
    assert "already in the corpus with another text" in result.output
    assert snapshot(empty.root) == before


def test_replace_reports_stale_annotations(tiny: Path, tmp_path: Path, runner) -> None:
    old = next(line for line in (tiny / "documents.jsonl").read_bytes().splitlines(keepends=True) if b'"d1"' in line)
    _write(tmp_path / "d1.txt", b"A new text for d1.\n")
    result = runner.invoke(main, ["ingest", str(tmp_path / "d1.txt"), "--corpus", str(tiny), "--replace"])
    assert result.exit_code == 0, result.output
    assert "replaced 1" in result.output
    assert result.output.count("were made on the old text") == 3  # alice, bob, gold
    corpus = Corpus.open(tiny)
    texts = {d.id: d.text for d in corpus.iter_documents()}
    assert texts["d1"] == "A new text for d1.\n"
    assert [d.id for d in corpus.iter_documents()] == ["d1", "d2"]
    assert {p.rule for p in validate(tiny).problems} == {"NG207"}
    kept = list((tiny / ".newsgold" / "replaced").glob("ingest-*.jsonl"))  # the old text, as it was
    assert len(kept) == 1 and kept[0].read_bytes() == old and str(kept[0]) in result.output


def test_jsonl_records_with_metadata(empty: Corpus, tmp_path: Path) -> None:
    records = [
        {"id": "x1", "text": "Title line\r\n\r\nBody.", "outlet": "Die Presse", "url": "https://example.org/a",
         "date": "2024-04-03", "author": "someone"},
        {"text": "No id here.", "meta": {"title": "Given title", "language": "de"}},
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in records).encode())
    result = ingest(empty, [path], language="en")
    assert result.added == ["x1", "feed-2"]
    first, second = empty.iter_documents()
    assert first.text == "Title line\n\nBody."
    assert (first.meta.source, first.meta.url, first.meta.published, first.meta.title) == (
        "Die Presse", "https://example.org/a", "2024-04-03", "Title line")
    assert first.meta.extra == {"author": "someone"}
    assert first.meta.language == "en"
    assert (second.meta.title, second.meta.language) == ("Given title", "de")
    assert second.meta.ingested_from.line == 2


def test_bad_id_is_explained(empty: Corpus, tmp_path: Path) -> None:
    path = _write(tmp_path / "feed.jsonl", b'{"id": "a b", "text": "x"}\n')
    with pytest.raises(Exception, match=r"feed.jsonl:1: id: .*ids use A-Z"):
        ingest(empty, [path])


def test_ingest_into_sharded_corpus_appends_to_last_shard(tiny: Path, tmp_path: Path) -> None:
    lines = (tiny / "documents.jsonl").read_text().splitlines(keepends=True)
    (tiny / "documents.jsonl").unlink()
    (tiny / "documents").mkdir()
    (tiny / "documents" / "000.jsonl").write_text(lines[0])
    (tiny / "documents" / "001.jsonl").write_text(lines[1])
    _write(tmp_path / "d3.txt", b"Third.\n")
    ingest(Corpus.open(tiny), [tmp_path / "d3.txt"])
    assert (tiny / "documents" / "001.jsonl").read_text().count("\n") == 2
    assert not (tiny / "documents.jsonl").exists()
    assert validate(tiny).ok


def test_no_temp_files_left_behind(empty: Corpus) -> None:
    ingest(empty, [REPO / "seeds"])
    assert sorted(p.name for p in empty.root.iterdir()) == [
        "annotations.jsonl", "documents.jsonl", "gold.jsonl", "newsgold.json"]


raw_text = st.text(alphabet=st.sampled_from(list("ab \r\n😀é")), max_size=40).map(
    lambda s: s if not s or s[0] != "\ufeff" else s)


@given(raw=raw_text, bom=st.booleans(), data=st.data())
def test_offsets_map_onto_the_normalized_text(raw: str, bom: bool, data) -> None:
    raw = ("\ufeff" if bom else "") + raw
    normalized = normalize_text(raw)
    if not raw:
        return
    start = data.draw(st.integers(0, len(raw) - 1))
    end = data.draw(st.integers(start + 1, len(raw)))
    if normalized.maps_cleanly(start, end):
        stored = normalized.text[normalized.to_stored(start):normalized.to_stored(end)]
        expected = raw[start:end].lstrip("\ufeff") if start == 0 else raw[start:end]
        assert stored == expected.replace("\r\n", "\n").replace("\r", "\n")


def test_a_folder_names_the_files_it_does_not_read(empty: Corpus, tmp_path: Path, runner) -> None:
    feed = tmp_path / "feed"
    (feed / "nested").mkdir(parents=True)
    _write(feed / "a1.txt", b"Headline\n\nBody.\n")
    _write(feed / "notes.docx", b"PK")
    _write(feed / ".gitkeep", b"")
    result = runner.invoke(main, ["ingest", str(feed), "--corpus", str(empty.root)])
    assert result.exit_code == 0, result.output
    assert f"not ingested: {feed / 'notes.docx'}: not an article file" in result.output
    assert f"not ingested: {feed / 'nested'}: a folder (folders are not searched)" in result.output
    assert ".gitkeep" not in result.output and [d.id for d in empty.iter_documents()] == ["a1"]
