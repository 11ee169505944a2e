"""The corpus store: the compact document index and streaming readers."""

from __future__ import annotations

from pathlib import Path

from newsgold.corpus import Corpus
from newsgold.corpus.store import DocumentIndex


def test_index_finds_every_id_across_growth() -> None:
    index = DocumentIndex(files=[Path("a.jsonl"), Path("b.jsonl")])
    ids = [f"doc-{n}" for n in range(5000)]
    for n, doc_id in enumerate(ids):
        assert index.add(doc_id, n % 2, n * 100, 90, f"{n:064x}") is None
    assert len(index) == 5000
    for n, doc_id in enumerate(ids):
        assert index.find(doc_id) == n
        assert index.location(doc_id) == (Path("ab"[n % 2] + ".jsonl"), n * 100)
        assert index.sha256(doc_id) == f"{n:064x}"
    assert index.find("doc-5000") is None and "doc-5000" not in index
    assert index.add("doc-17", 0, 0, 90, "0" * 64) == 17  # a duplicate id returns the first ordinal


def test_index_reads_texts_from_disk(tiny: Path) -> None:
    corpus = Corpus.open(tiny)
    index = corpus.document_index()
    assert len(index) == 2
    assert index.read_text("d2").startswith("Peskov denied it.")
    assert index.read_document("d1").id == "d1"


def test_readers_stream_models(tiny: Path) -> None:
    corpus = Corpus.open(tiny)
    assert [d.id for d in corpus.iter_documents()] == ["d1", "d2"]
    assert [(s.doc_id, s.annotator) for s in corpus.iter_annotation_sets()] == [
        ("d1", "alice"), ("d2", "alice"), ("d1", "bob")]
    assert [g.doc_id for g in corpus.iter_gold()] == ["d1", "d2"]
    offsets = corpus.offsets("annotations")
    with corpus.reader("annotations") as read:
        assert [s.annotator for s in read(offsets["d1"])] == ["alice", "bob"]
    with corpus.reader("gold") as read:
        assert [g.doc_id for g in read(corpus.offsets("gold")["d2"])] == ["d2"]
