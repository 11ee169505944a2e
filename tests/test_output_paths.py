"""One rule for every path a command writes to (issue 41, item 3): never through a link (dangling
or not), never onto a pipe or device, never over a file no newsgold command of the same kind wrote
unless the documented flag says so; what newsgold wrote there before is replaced."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main

from conftest import REPO


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", root)
    return root


def _run(*argv: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(argv))
    return result.exit_code, result.output


def test_export_to_a_dangling_link_writes_nothing_through_it(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (tmp_path / "out").symlink_to(target)
    status, output = _run("export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "out"))
    assert status == 2 and "is a link; newsgold never writes through a link" in output, output
    assert (tmp_path / "out").is_symlink() and not target.exists()


@pytest.mark.parametrize("what", ["dangling-link", "link-to-file", "user-file", "fifo"])
def test_report_out_follows_the_rule(what: str, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    if what == "dangling-link":
        out.symlink_to(tmp_path / "nowhere.html")
    elif what == "link-to-file":
        (tmp_path / "mine.html").write_text("my page")
        out.symlink_to(tmp_path / "mine.html")
    elif what == "user-file":
        out.write_text("# my notes\n")
    else:
        os.mkfifo(out)
    before = os.lstat(out)
    status, output = _run("report", "--corpus", str(corpus), "--out", str(out))
    assert status == 2, output
    assert "Traceback" not in output and "--out" in output
    after = os.lstat(out)
    assert (after.st_mode, after.st_ino, after.st_size) == (before.st_mode, before.st_ino, before.st_size)
    assert not (tmp_path / "nowhere.html").exists()
    if what == "link-to-file":
        assert (tmp_path / "mine.html").read_text() == "my page"


def test_report_replaces_its_own_page_and_a_users_file_only_with_replace(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert _run("report", "--corpus", str(corpus), "--out", str(out))[0] == 0
    assert _run("report", "--corpus", str(corpus), "--out", str(out))[0] == 0  # its own page: replaced
    notes = tmp_path / "notes.html"
    notes.write_text("<p>mine</p>")
    status, output = _run("report", "--corpus", str(corpus), "--out", str(notes))
    assert status == 2 and "no newsgold report wrote" in output and "--replace" in output
    assert notes.read_text() == "<p>mine</p>"
    status, output = _run("report", "--corpus", str(corpus), "--out", str(notes), "--replace")
    assert status == 0 and "newsgold" in notes.read_text()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("notes.html.replaced-")]
    assert len(kept) == 1 and kept[0].read_text() == "<p>mine</p>" and str(kept[0]) in output
    assert _run("report", "--corpus", str(corpus), "--out", str(out), "--replace")[0] == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("report.html.replaced-")]  # its own: no copy


def test_export_replace_keeps_a_folder_no_export_wrote_beside_it(corpus: Path, tmp_path: Path) -> None:
    """`--replace` lets an export take the place of a folder of other files, and keeps that folder
    (OUT.replaced-TIME); an earlier export is replaced without a copy."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("chapter one")
    status, output = _run("export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out), "--replace")
    assert status == 0, output
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("out.replaced-")]
    assert len(kept) == 1 and (kept[0] / "thesis.tex").read_text() == "chapter one" and str(kept[0]) in output
    assert (out / "manifest.json").is_file() and not (out / "thesis.tex").exists()
    assert _run("export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(out), "--replace")[0] == 0
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("out.replaced-")]) == 1


@pytest.mark.parametrize("what", ["dangling-link", "fifo", "user-file"])
def test_review_and_rejected_files_follow_the_rule(what: str, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.jsonl"
    if what == "dangling-link":
        out.symlink_to(tmp_path / "nowhere.jsonl")
    elif what == "fifo":
        os.mkfifo(out)
    else:
        out.write_text("my own notes\n")
    status, output = _run("adjudicate", "--corpus", str(corpus), "--review", str(out))
    assert status == 2, output
    assert "--review" in output and not (tmp_path / "nowhere.jsonl").exists()


def test_the_tagger_is_never_saved_over_a_users_folder_or_into_the_corpus(corpus: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "roles.json").write_text('{"my": "settings"}')
    for out in (mine, corpus / ".newsgold" / "tagger", corpus):
        status, output = _run("train", "--corpus", str(corpus), "--tagger", str(out))
        assert status == 2, output
    assert (mine / "roles.json").read_text() == '{"my": "settings"}'
    assert not (corpus / ".newsgold" / "tagger").exists() and not (corpus / "roles.json").exists()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "there")
    status, output = _run("train", "--corpus", str(corpus), "--tagger", str(link))
    assert status == 2 and "is a link" in output and not (tmp_path / "there").exists()
    assert _run("train", "--corpus", str(corpus), "--tagger", str(tmp_path / "tagger"))[0] == 0
    assert _run("train", "--corpus", str(corpus), "--tagger", str(tmp_path / "tagger"))[0] == 0  # its own
