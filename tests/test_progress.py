"""Progress of long commands: every long loop reports, the CLI draws it only on a terminal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from newsgold._progress import reporting, task
from newsgold.cli import main
from newsgold.cli.progress import RichReporter, terminal_reporter
from newsgold.corpus import Corpus, init_corpus, ingest, validate
from newsgold.curation import adjudicate
from newsgold.exchange import export, import_label_studio

from conftest import REPO
from helpers import seed_scheme


class Recorder:
    """A reporter that remembers every task and how far it got."""

    def __init__(self) -> None:
        self.tasks: list[list] = []  # [description, total, unit, advanced, closed]

    def open(self, description: str, total: int | None, unit: str):  # type: ignore[no-untyped-def]
        entry = [description, total, unit, 0, False]
        self.tasks.append(entry)

        class Bar:
            def advance(self, amount: int = 1) -> None:
                entry[3] += amount

        recorder_bar = Bar()
        recorder_bar.entry = entry  # type: ignore[attr-defined]
        return recorder_bar

    def close(self, bar) -> None:  # type: ignore[no-untyped-def]
        bar.entry[4] = True

    def seen(self, description: str) -> list:
        found = [e for e in self.tasks if e[0] == description]
        assert len(found) == 1, self.tasks
        entry = found[0]
        return entry


def test_without_a_reporter_nothing_is_reported(capfd: pytest.CaptureFixture[str]) -> None:
    with task("anything", 10) as bar:
        bar.advance(3)  # a silent task: no error, no output
    assert capfd.readouterr() == ("", "")


def test_every_long_command_reports_its_progress(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus_dir)
    recorder = Recorder()
    with reporting(recorder):
        validate(corpus_dir, jobs=1)
        export(Corpus.open(corpus_dir), "ner-hf", tmp_path / "ner", jobs=1)
        export(Corpus.open(corpus_dir), "label-studio", tmp_path / "ls")
        fresh = init_corpus(tmp_path / "fresh", name="fresh", scheme=seed_scheme())
        ingest(fresh, [REPO / "seeds"])
        other = init_corpus(tmp_path / "other", name="other", scheme=seed_scheme())
        import_label_studio(other, tmp_path / "ls" / "gold.json")
        adjudicate(Corpus.open(tmp_path / "other"), "ground-truth")
    sizes = sum(p.stat().st_size for p in (corpus_dir / "documents.jsonl", corpus_dir / "gold.jsonl"))
    assert recorder.seen("validate")[1:] == [sizes, "bytes", sizes, True]
    assert recorder.seen("export ner-hf")[1:] == [(corpus_dir / "gold.jsonl").stat().st_size, "bytes",
                                                  (corpus_dir / "gold.jsonl").stat().st_size, True]
    assert recorder.seen("export label-studio")[3:] == [2, True]
    assert recorder.seen("ingest")[3:] == [2, True]
    assert recorder.seen("import label-studio")[3:] == [2, True]
    assert recorder.seen("adjudicate")[3:] == [2, True]


def test_the_cli_draws_bars_on_a_terminal_only() -> None:
    screen = io.StringIO()
    reporter = RichReporter(Console(file=screen, force_terminal=True, width=120))
    with reporting(reporter):
        with task("validate", 4 * 2**20, "bytes") as bar:
            bar.advance(2**20)
        with task("ingest") as bar:
            bar.advance(5)
    drawn = screen.getvalue()
    assert "validate" in drawn and "MiB" in drawn and "ingest" in drawn and "5 documents" in drawn
    assert terminal_reporter(Console(file=io.StringIO())) is None  # not a terminal: no bars at all


def test_ingest_prints_a_summary_and_lists_ids_with_verbose(tmp_path: Path, runner) -> None:
    corpus = init_corpus(tmp_path / "c", name="c", scheme=seed_scheme())
    quiet = runner.invoke(main, ["ingest", str(REPO / "seeds"), "--corpus", str(corpus.root)])
    assert quiet.exit_code == 0 and quiet.output == "added 2, unchanged 0, replaced 0 (--verbose lists them)\n"
    again = init_corpus(tmp_path / "d", name="d", scheme=seed_scheme())
    loud = runner.invoke(main, ["ingest", str(REPO / "seeds"), "--corpus", str(again.root), "--verbose"])
    assert loud.output.splitlines()[1:] == ["  + 000_8dd4fb761523bda0", "  + 004_2da5e68ab82a8b3d"]
