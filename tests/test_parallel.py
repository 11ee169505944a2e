"""Work in worker processes: byte ranges, line numbers, and the same report and export files as
one process."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsgold._parallel as parallel
from newsgold._io import iter_jsonl_lines
from newsgold._parallel import RangeLines, byte_ranges
from newsgold.cli import main
from newsgold.corpus import Corpus, validate
from newsgold.errors import InvalidRecordError
from newsgold.exchange import export

from conftest import DATA, snapshot

CASES = sorted((DATA / "invalid").iterdir())


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Count the worker pools started, and allow forking although earlier tests may have left
    daemon threads (a Label Studio fault proxy) behind: the workers never touch them."""
    started: list[int] = []
    real_get_context = parallel.multiprocessing.get_context

    def get_context(method: str):  # type: ignore[no-untyped-def]
        started.append(1)
        return real_get_context(method)

    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    monkeypatch.setattr(parallel.multiprocessing, "get_context", get_context)
    return started


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel._can_fork()
    finally:
        stop.set()
        thread.join()


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.sampled_from([b"{}", b"", b"  ", b'{"a": "\xc3\xa9"}', b"x" * 40]), max_size=30),
       trailing_newline=st.booleans(), chunk=st.integers(min_value=1, max_value=64))
def test_ranges_cover_the_file_in_whole_lines(tmp_path_factory, lines: list[bytes],
                                               trailing_newline: bool, chunk: int) -> None:
    path = tmp_path_factory.mktemp("ranges") / "f.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if trailing_newline and lines else b""))
    ranges = byte_ranges(path, chunk)
    data = path.read_bytes()
    assert b"".join(data[r.start:r.end] for r in ranges) == data
    assert all(r.end == len(data) or data[r.end - 1:r.end] == b"\n" for r in ranges)
    # Numbering each range from 1 and adding the lines before gives the file's own numbering.
    seen, before = [], 0
    for byte_range in ranges:
        reader = RangeLines(byte_range)
        seen += [(number + before, offset, raw) for number, offset, raw in reader]
        before += reader.count
    assert seen == list(iter_jsonl_lines(path))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_workers_report_what_one_process_reports(case: Path, tiny: Path, monkeypatch, forks) -> None:
    target = "newsgold.json" if case.name.startswith("newsgold.") else case.name.split(".")[0] + ".jsonl"
    shutil.copyfile(case, tiny / target)
    serial = validate(tiny, jobs=1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 64)  # about a line a range: every boundary is crossed
    assert len(byte_ranges(tiny / "annotations.jsonl")) > 1
    assert validate(tiny, jobs=2) == serial
    assert forks


def test_line_numbers_count_from_the_start_of_the_file(tiny: Path, monkeypatch, forks) -> None:
    """Problems far into a file split among workers keep their line numbers in the file."""
    lines = (tiny / "annotations.jsonl").read_text().splitlines()
    good, broken = lines[0], json.loads(lines[0])
    broken["spans"][0]["text"] = "not the text"
    many = [good] + [json.dumps({**json.loads(good), "annotator": f"a{n}"}) for n in range(60)]
    many[41] = json.dumps({**broken, "annotator": "a40"})
    many[50] = many[49]  # a second set of the same annotator and document
    many.insert(30, "")  # a blank line still counts
    (tiny / "annotations.jsonl").write_text("\n".join(many) + "\n")
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2048)
    assert len(byte_ranges(tiny / "annotations.jsonl")) > 4
    report = validate(tiny, jobs=2)
    assert [(p.rule, p.line) for p in report.problems] == [("NG204", 43), ("NG208", 52)]
    assert report == validate(tiny, jobs=1)
    assert report.annotation_sets == 61 and forks


def test_cli_jobs_option(tiny: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--corpus", str(tiny), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["validate", "--corpus", str(tiny), "--jobs", "0"]).exit_code == 2


def _grown(tiny: Path, copies: int) -> Path:
    """The tiny corpus with every document, gold and annotation set copied under new ids."""
    for name, key in (("documents.jsonl", "id"), ("gold.jsonl", "doc_id"), ("annotations.jsonl", "doc_id")):
        records = [json.loads(line) for line in (tiny / name).read_text().splitlines()]
        grown = [{**r, key: f"{r[key]}-{n}"} for n in range(copies) for r in records]
        (tiny / name).write_text("".join(json.dumps(r) + "\n" for r in grown))
    return tiny


LINE_FORMATS = ["jsonl", "quotes", "stance", "ner-conll", "ner-hf"]


@pytest.mark.parametrize("source", ["gold", "annotations"])
@pytest.mark.parametrize("name", LINE_FORMATS)
def test_workers_export_what_one_process_exports(name: str, source: str, tiny: Path, tmp_path: Path,
                                                 monkeypatch, forks) -> None:
    corpus = Corpus.open(_grown(tiny, 12))
    assert validate(tiny).ok
    serial = export(corpus, name, tmp_path / "serial", split="train=0.5,dev=0.25,test=0.25",
                    source=source, jobs=1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 700)
    assert len(byte_ranges(tiny / f"{source}.jsonl")) > 4
    workers = export(corpus, name, tmp_path / "workers", split="train=0.5,dev=0.25,test=0.25",
                     source=source, jobs=2)
    assert workers == serial and forks
    assert snapshot(tmp_path / "workers") == snapshot(tmp_path / "serial")
    assert workers.documents == 24 and sum(f.records for f in workers.files.values()) > 0


def test_a_bad_line_in_a_worker_stops_the_export_at_its_line(tiny: Path, tmp_path: Path,
                                                            monkeypatch, forks) -> None:
    _grown(tiny, 12)
    lines = (tiny / "gold.jsonl").read_text().splitlines()
    lines[20] = lines[20].replace('"spans"', '"spams"')
    (tiny / "gold.jsonl").write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 700)
    with pytest.raises(InvalidRecordError) as caught:
        export(Corpus.open(tiny), "jsonl", tmp_path / "out", jobs=2)
    assert caught.value.line == 21 and caught.value.path == tiny / "gold.jsonl" and forks
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "tiny"] == []


def test_index_built_by_workers_is_the_index_built_here(tiny: Path, monkeypatch, forks) -> None:
    corpus = Corpus.open(_grown(tiny, 20))
    serial = corpus.document_index(jobs=1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 500)
    assert len(byte_ranges(tiny / "documents.jsonl")) > 4
    workers = corpus.document_index(jobs=2)
    assert forks and len(workers) == len(serial) == 40
    for doc_id in (f"{base}-{n}" for base in ("d1", "d2") for n in range(20)):
        assert workers.location(doc_id) == serial.location(doc_id)
        assert workers.sha256(doc_id) == serial.sha256(doc_id)
        assert workers.read_text(doc_id) == serial.read_text(doc_id)


@pytest.mark.parametrize("bad_line, rule", [
    ('{"id": 7, "sha256": "x"}', "NG102"), ("not json", "NG101"),
    ('{"id": "d-bad", "sha256": "not hex"}', "NG104"),
])
def test_index_stops_at_the_first_line_that_is_not_a_document(tiny: Path, monkeypatch, forks,
                                                               bad_line: str, rule: str) -> None:
    corpus = Corpus.open(_grown(tiny, 20))
    with (tiny / "documents.jsonl").open("a") as f:
        f.write(bad_line + "\n" + '{"id": "later", "sha256": "x"}\n')
    for jobs in (1, 2):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", 500 if jobs == 2 else parallel.CHUNK_BYTES)
        with pytest.raises(InvalidRecordError) as caught:
            corpus.document_index(jobs=jobs)
        assert caught.value.line == 41 and caught.value.rule == rule
