"""Every command and Python snippet of the README and of the documentation site runs, as a newcomer
would run it (README lines each in a fresh sandbox; a site page's lines in order, in one).

Each `newsgold ...` line of the README's shell blocks runs through the CLI in a fresh sandbox that
holds what the README assumes: the bundled corpus with two annotators' sets, the seeds, a JSONL
feed, a scheme, a brat `annotation.conf`, a web page and a web archive, a Label Studio export, brat
folders (one annotator per folder, and PolNeAR-style `ARTICLE_ANNOTATOR.ann` files) and a git
history. The lines that talk to Label Studio run in their order against the real server in
`test_labelstudio_sync.py` (`test_the_readme_walkthrough_runs_against_the_server`).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgold.cli import main
from newsgold.corpus import Corpus
from newsgold.schemas import AnnotationSet, Origin

from conftest import REPO
from helpers import seed_scheme

README = (REPO / "README.md").read_text(encoding="utf-8")
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
ANY_BLOCK = re.compile(r"```(sh|python)\n(.*?)```", re.S)
RUN_WHOLE_ELSEWHERE = {"team.md": "test_team_server.py follows every command of it, in order, against its own server"}
"""Pages whose commands one test runs from the first to the last against a real server."""
PAGES = sorted(p.name for p in (REPO / "docs").glob("*.md")
               if ANY_BLOCK.search(p.read_text(encoding="utf-8")) and p.name not in RUN_WHOLE_ELSEWHERE)
"""The pages of the documentation site with commands or Python to run."""
ANNOTATORS = ("ann-3f2a9c1b0d", "ann-7c41e0d2aa")
"""The README prefers `ann-3f2a9c1b0d`: the sandbox's corpus has sets of it and of another annotator."""

SERVE_COMMANDS = ("newsgold studio serve", "newsgold studio annotators", "newsgold studio review")
"""Lines that start or ask the server itself: run for real, in the order of docs/team.md, by
test_team_server.py (every page's copy of them is the same line)."""
SERVER_COMMANDS = ("newsgold studio push", "newsgold studio pull", "newsgold studio status", *SERVE_COMMANDS)
"""Lines run against a real Label Studio in test_labelstudio_sync.py (the README's push order) and
test_team_server.py."""


def readme_commands(markdown: str = README) -> list[str]:
    """Every `newsgold ...` command line of the shell blocks, continuation lines joined."""
    return [c for block in SHELL_BLOCK.findall(markdown) for c in _commands(block)]


def _commands(block: str) -> list[str]:
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        command = line.split("  #")[0].split(" # ")[0].strip()
        if command.startswith("newsgold "):
            commands.append(command)
    return commands


def _annotation_sets(corpus: Path) -> None:
    """Two annotators' sets of every gold document: the gold itself, and the gold without its last span
    (and the relations that named it), so agreement and adjudication have something to decide."""
    lines = []
    for gold in Corpus.open(corpus).iter_gold():
        for annotator in ANNOTATORS:
            spans = list(gold.spans)
            if annotator == ANNOTATORS[1]:
                dropped = spans.pop().id
                relations = [r for r in gold.relations if dropped not in (r.from_, r.to)]
            else:
                relations = list(gold.relations)
            lines.append(AnnotationSet(
                doc_id=gold.doc_id, doc_sha256=gold.doc_sha256, annotator=annotator,
                origin=Origin(source="label-studio", ground_truth=annotator == ANNOTATORS[0]), spans=spans, relations=relations,
                stance=gold.stance, attrs=gold.attrs).model_dump_json(by_alias=True, exclude_none=True))
    (corpus / "annotations.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the README's commands name, made once; each command gets a copy."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "corpus", root / "corpus")
    _annotation_sets(root / "corpus")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "seeds", root / "articles")
    shutil.copytree(REPO / "exports", root / "exports")
    shutil.copytree(root / "corpus", root / "mycorpus")
    suggested = CliRunner().invoke(main, ["suggest", "--corpus", str(root / "mycorpus")])  # what `show --set suggest` shows
    assert suggested.exit_code == 0, suggested.output
    shutil.copytree(root / "corpus", root / "old-corpus")
    (root / "feed.jsonl").write_text('{"id": "feed-1", "text": "Pevkur said Estonia stays.", "title": "Stay"}\n')
    (root / "scheme.json").write_text(seed_scheme().model_dump_json(by_alias=True, indent=2))
    (root / "claims.txt").write_text("".join(f"{t.id}: {t.claim}\n" for t in seed_scheme().stance.targets))  # type: ignore[union-attr]
    shutil.copy(REPO / "exports" / "brat" / "annotation.conf", root / "annotation.conf")
    shutil.copy(REPO / "exports" / "label-studio" / "gold.json", root / "export.json")
    shutil.copytree(REPO / "exports" / "brat" / "gold", root / "brat-folder")
    page = ("<html><head><title>Pevkur: Estonia stays</title></head><body><article><h1>Pevkur: Estonia stays"
            "</h1><p>" + "Estonian defence minister Hanno Pevkur said on Monday that Estonia stays. " * 6
            + "</p></article></body></html>")
    (root / "page.html").write_text(page)
    from test_web_ingest import _warc  # the same warcio writer as the web ingest tests
    _warc(root / "crawl.warc.gz", [("https://example.org/a", "text/html", page.encode())])
    runner = CliRunner()
    exported = runner.invoke(main, ["export", "--corpus", str(root / "corpus"), "--format", "brat",
                                    "--annotations", "--out", str(root / "exported")])
    assert exported.exit_code == 0, exported.output
    (root / "ann").mkdir()
    (root / "text").mkdir()
    for annotator_folder in (root / "exported" / "annotations").iterdir():
        if annotator_folder.is_dir():
            for ann in annotator_folder.glob("*.ann"):
                shutil.copy(ann, root / "ann" / f"{ann.stem}_{annotator_folder.name}.ann")
                shutil.copy(ann.with_suffix(".txt"), root / "text" / f"{ann.stem}.txt")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "corpus", "mycorpus"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "corpus"], check=True)
    return root


@pytest.mark.parametrize("command", [c for c in readme_commands() if not c.startswith(SERVER_COMMANDS)])
def test_every_readme_command_runs(command: str, template: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = tmp_path / "sandbox"
    shutil.copytree(template, sandbox, symlinks=True)
    arguments = shlex.split(command)[1:]
    if arguments[0] == "init":
        shutil.rmtree(sandbox / "mycorpus")
    if arguments[0] == "import":  # into a corpus without sets: the README adopts annotations made elsewhere
        (sandbox / "corpus" / "annotations.jsonl").write_text("")
    monkeypatch.chdir(sandbox)
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0, f"{command}\n{result.output}"


def test_the_server_commands_are_run_by_the_server_tests() -> None:
    """Every page with Label Studio lines is a walkthrough the server tests run."""
    from test_labelstudio_sync import WALKTHROUGHS

    from test_team_server import TEAM_PAGE

    pages = ["README.md", *(f"docs/{page}" for page in [*PAGES, *RUN_WHOLE_ELSEWHERE])]
    with_server = [page for page in pages
                   if any(c.startswith(SERVER_COMMANDS) for c in readme_commands((REPO / page).read_text()))]
    assert sorted(with_server) == sorted([*WALKTHROUGHS, TEAM_PAGE])
    team_lines = set(readme_commands((REPO / TEAM_PAGE).read_text()))
    for page in with_server:  # a serve or annotators line anywhere is one that the team test runs
        assert {c for c in readme_commands((REPO / page).read_text()) if c.startswith(SERVE_COMMANDS)} <= team_lines


@pytest.mark.parametrize("number", range(len(PYTHON_BLOCK.findall(README))))
def test_every_readme_python_snippet_runs(number: int, template: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    sandbox = tmp_path / "sandbox"
    shutil.copytree(template, sandbox, symlinks=True)
    monkeypatch.chdir(sandbox)
    block = PYTHON_BLOCK.findall(README)[number]
    exec(compile(block, f"README.md python block {number + 1}", "exec"), {})
    assert capsys.readouterr().out.strip()  # what it prints (a figure, a report) is there
    for named in re.findall(r'Path\("(out/[^"]+)"\)', block):  # and every output it names was written
        assert (sandbox / named / "manifest.json").is_file(), f"the block wrote no export to {named}"


@pytest.mark.parametrize("page", PAGES)
def test_every_command_and_snippet_of_the_site_runs_in_its_order(page: str, template: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's commands and Python blocks run one after another in one sandbox, as a reader follows
    the page (the Label Studio ones run against the server in the README walkthrough)."""
    sandbox = tmp_path / "sandbox"
    shutil.copytree(template, sandbox, symlinks=True)
    monkeypatch.chdir(sandbox)
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    if re.search(r"^newsgold init --corpus mycorpus", text, re.M):
        shutil.rmtree(sandbox / "mycorpus")
    ran = 0
    for kind, block in ANY_BLOCK.findall(text):
        if kind == "python":
            exec(compile(block, f"docs/{page} python block", "exec"), {})
            ran += 1
            continue
        for command in _commands(block):
            if command.startswith(SERVER_COMMANDS):
                continue
            result = CliRunner().invoke(main, shlex.split(command)[1:], catch_exceptions=False)
            assert result.exit_code == 0, f"docs/{page}: {command}\n{result.output}"
            ran += 1
    assert ran or all(c.startswith(SERVER_COMMANDS) for c in readme_commands(text))  # only server lines
