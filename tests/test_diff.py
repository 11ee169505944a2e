"""`newsgold diff`: reviewable changes of gold between two folders or two git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from newsgold.cli import main
from newsgold.corpus import Corpus
from newsgold.corpus.diff import diff_corpora

from conftest import REPO


def _edit_gold(root: Path, doc_id: str, edit) -> None:  # type: ignore[no-untyped-def]
    lines = (root / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        record = json.loads(line)
        if record["doc_id"] == doc_id:
            edit(record)
            lines[n] = json.dumps(record, ensure_ascii=False)
    (root / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _changed_copy(tmp_path: Path) -> tuple[Path, Path, str]:
    old = tmp_path / "old"
    shutil.copytree(REPO / "corpus", old)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    text = next(d.text for d in Corpus.open(old).iter_documents() if d.id == "004_2da5e68ab82a8b3d")

    def edit(record: dict) -> None:
        spans = record["spans"]
        quote = next(s for s in spans if s["label"] == "QUOTE" and s["stance"])
        quote["end"] -= 1  # the end moves by -1: "This is not true"
        quote["text"] = text[quote["start"]:quote["end"]]
        quote["stance"] = {k: "neutral" for k in quote["stance"]}
        org = next(s for s in spans if s["label"] == "ORG")
        org["label"] = "NORP"
        record["stance"] = {}
        record["provenance"]["items"] = {}

    _edit_gold(new, "004_2da5e68ab82a8b3d", edit)
    return old, new, text


def test_the_changes_of_a_document_are_named(tmp_path: Path) -> None:
    old, new, _ = _changed_copy(tmp_path)
    [changed] = list(diff_corpora(Corpus.open(old), Corpus.open(new)))
    kinds = sorted(c.kind for c in changed.changes)
    assert changed.doc_id == "004_2da5e68ab82a8b3d" and changed.line == 2
    assert "span-moved" in kinds and "span-relabelled" in kinds and "document-stance" in kinds
    assert "span-stance" in kinds
    texts = " | ".join(c.text for c in changed.changes)
    assert "moved its end by -1" in texts and "is now NORP" in texts
    assert "-> neutral" in texts and "document stance nato-personnel-in-ukraine against -> none" in texts
    # nothing else moved: relations follow their spans
    assert not [c for c in changed.changes if c.kind.startswith("relation")]


def test_identical_states_have_no_changes(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["diff", str(REPO / "corpus"), str(REPO / "corpus")])
    assert result.exit_code == 0 and result.output.strip() == "no changes"


def test_formats_for_people_and_for_ci(tmp_path: Path, runner) -> None:
    old, new, _ = _changed_copy(tmp_path)
    text = runner.invoke(main, ["diff", str(old), str(new)])
    assert text.exit_code == 0 and text.output.startswith("004_2da5e68ab82a8b3d: ")
    payload = json.loads(runner.invoke(main, ["diff", str(old), str(new), "--output-format", "json"]).output)
    assert payload[0]["doc_id"] == "004_2da5e68ab82a8b3d" and payload[0]["changes"]
    github = runner.invoke(main, ["diff", str(old), str(new), "--output-format", "github"]).output
    assert github.startswith(f"::notice file={new / 'gold.jsonl'},line=2,title=004_2da5e68ab82a8b3d:")
    markdown = runner.invoke(main, ["diff", str(old), str(new), "--output-format", "markdown"]).output
    assert markdown.startswith("### newsgold diff:") and "- **004_2da5e68ab82a8b3d**" in markdown
    linked = runner.invoke(main, ["diff", str(old), str(new), "--output-format", "markdown",
                                  "--report-link", "https://ci.example/runs/7"]).output
    assert "[newsgold report](https://ci.example/runs/7)" in linked and "[newsgold report]" not in markdown
    refused = runner.invoke(main, ["diff", str(old), str(new), "--report-link", "report.html"])
    assert refused.exit_code == 2 and "add --output-format markdown" in refused.output


def test_added_and_removed_sets(tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(REPO / "corpus", old)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    lines = (new / "gold.jsonl").read_text().splitlines()
    (new / "gold.jsonl").write_text(lines[1] + "\n")
    [removed] = list(diff_corpora(Corpus.open(old), Corpus.open(new)))
    assert removed.changes[0].kind == "set-removed" and removed.doc_id == "000_8dd4fb761523bda0"
    [added] = list(diff_corpora(Corpus.open(new), Corpus.open(old)))
    assert added.changes[0].kind == "set-added"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def _corpus_repository(tmp_path: Path) -> Path:
    """A git repository holding the bundled corpus in `corpus/`, committed once."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "corpus", repo / "corpus")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "gold")
    return repo


def test_two_git_revisions_of_a_corpus_repository(tmp_path: Path, runner) -> None:
    repo = _corpus_repository(tmp_path)
    _, changed, _ = _changed_copy(tmp_path)
    shutil.copyfile(changed / "gold.jsonl", repo / "corpus" / "gold.jsonl")
    _git(repo, "commit", "-q", "-am", "edit gold")
    result = runner.invoke(main, ["diff", "--rev", "HEAD~1..HEAD", "--corpus", str(repo / "corpus")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("004_2da5e68ab82a8b3d: ") and "moved its end by -1" in result.output
    github = runner.invoke(main, ["diff", "--rev", "HEAD~1..HEAD", "--corpus", str(repo / "corpus"),
                                  "--output-format", "github"]).output
    assert f"file={repo / 'corpus' / 'gold.jsonl'},line=2" in github
    unknown = runner.invoke(main, ["diff", "--rev", "nosuch..HEAD", "--corpus", str(repo / "corpus")])
    assert unknown.exit_code == 2 and "no revision 'nosuch' in the git repository" in unknown.output
    assert unknown.output.startswith("Error: --rev: no revision")
    outside = tmp_path / "outside"
    shutil.copytree(repo / "corpus", outside)
    no_git = runner.invoke(main, ["diff", "--rev", "HEAD~1..HEAD", "--corpus", str(outside)])
    assert no_git.exit_code == 2 and "--rev compares git revisions, and" in no_git.output
    assert "is in no git repository" in no_git.output and "fatal" not in no_git.output


def test_a_revision_holding_links_is_refused_with_exit_2(tmp_path: Path, runner) -> None:
    repo = _corpus_repository(tmp_path)
    elsewhere = tmp_path / "gold-elsewhere.jsonl"
    shutil.move(repo / "corpus" / "gold.jsonl", elsewhere)
    (repo / "corpus" / "gold.jsonl").symlink_to(elsewhere)  # an absolute link, committed
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "gold moved")
    result = runner.invoke(main, ["diff", "--rev", "HEAD~1..HEAD", "--corpus", str(repo / "corpus")])
    assert result.exit_code == 2, result.output
    assert "holds links (corpus/gold.jsonl)" in result.output and "unexpected" not in result.output
