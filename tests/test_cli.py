"""The CLI: every command has help, errors are one line with an exit status, output is stable."""

from __future__ import annotations

import json
import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsgold import __version__
from newsgold.cli import every_command, main

from conftest import REPO, snapshot


COMMANDS = sorted(((tuple(name.split()), command) for name, command in every_command()), key=lambda c: c[0])


def test_version(runner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help(path, runner) -> None:
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command = dict(COMMANDS)[path]
    assert command.help and len(command.help) > 20


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_is_shown_in_use(path) -> None:
    """Each command is run in an example of the README or of a site page (not only listed on the
    generated Commands page); the docs tests run every example."""
    pages = [REPO / "README.md", *(p for p in (REPO / "docs").glob("*.md") if p.name != "commands.md")]
    shown = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert f"newsgold {' '.join(path)} " in shown, f"no page shows `newsgold {' '.join(path)}` in use"


def test_init_creates_a_valid_empty_corpus(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 0
    assert runner.invoke(main, ["validate", "--corpus", str(tmp_path / "c")]).exit_code == 0
    again = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c")])
    assert again.exit_code == 2
    assert "already a newsgold corpus" in again.output


def test_init_with_a_scheme_file(tmp_path: Path, runner) -> None:
    scheme = json.loads((REPO / "corpus" / "newsgold.json").read_text())["scheme"]
    scheme["name"] = "custom"
    (tmp_path / "scheme.json").write_text(json.dumps(scheme))
    result = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--scheme", str(tmp_path / "scheme.json")])
    assert result.exit_code == 0
    assert json.loads((tmp_path / "c" / "newsgold.json").read_text())["scheme"]["name"] == "custom"


def test_stats_json(tiny: Path, runner) -> None:
    result = runner.invoke(main, ["stats", "--corpus", str(tiny), "--output-format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["documents"] == 2
    assert payload["annotators"] == {"alice": 2, "bob": 1}
    assert payload["gold_coverage"] == 1.0
    assert payload["quote_forms"] == {"direct": 2}
    assert payload["quote_stance"] == {"nato-personnel-in-ukraine": {"favor": 1},
                                       "russia-300k-troops": {"against": 1}}
    assert payload["per_document"][0]["labels"]["QUOTE"] == 1


def test_stats_table(tiny: Path, runner) -> None:
    result = runner.invoke(main, ["stats", "--corpus", str(tiny)])
    assert result.exit_code == 0
    assert "Per document" in result.output and "d1" in result.output


def test_show_renders_quotes_and_speakers(tiny: Path, runner) -> None:
    result = runner.invoke(main, ["show", "d2", "--corpus", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "This is not true," in result.output
    assert re.search(r"he → Peskov", result.output)
    assert "russia-300k-troops:" in result.output and "against" in result.output


def test_show_unknown_document(tiny: Path, runner) -> None:
    result = runner.invoke(main, ["show", "nope", "--corpus", str(tiny)])
    assert result.exit_code == 2
    assert "no document 'nope'" in result.output


def test_schema_writes_files(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["schema", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert (tmp_path / "s" / "document.schema.json").is_file()


def test_debug_shows_traceback(tmp_path: Path, runner) -> None:
    plain = runner.invoke(main, ["stats", "--corpus", str(tmp_path)])
    assert isinstance(plain.exception, SystemExit) and plain.exit_code == 2  # one line, no traceback
    assert "Traceback" not in plain.output and len(plain.output.strip().splitlines()) == 1
    debug = runner.invoke(main, ["--debug", "stats", "--corpus", str(tmp_path)])
    assert not isinstance(debug.exception, SystemExit)  # the error itself propagates, with its traceback
    assert type(debug.exception).__name__ == "CorpusNotFoundError"


def test_bundled_corpus_validates(runner) -> None:
    result = runner.invoke(main, ["validate", "--corpus", str(REPO / "corpus")])
    assert result.exit_code == 0, result.output


def test_failed_ingest_leaves_corpus_byte_identical(seeds_corpus: Path, tmp_path: Path, runner) -> None:
    (tmp_path / "000_8dd4fb761523bda0.txt").write_text("A changed text.\n")
    before = snapshot(seeds_corpus)
    result = runner.invoke(main, ["ingest", str(tmp_path / "000_8dd4fb761523bda0.txt"),
                                  "--corpus", str(seeds_corpus)])
    assert result.exit_code == 1
    assert snapshot(seeds_corpus) == before


HEAVY = ("label_studio_sdk", "spacy", "scipy", "datasets", "trafilatura", "pandas", "warcio", "sklearn", "thinc")
"""Libraries that take a second or more to import: only the commands that use them may load them."""


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["validate", "--corpus", "corpus"],
                                  ["stats", "--corpus", "corpus"], ["studio", "--help"]])
def test_light_commands_import_no_heavy_library(argv: list[str]) -> None:
    code = ("import sys; from click.testing import CliRunner; from newsgold.cli import main; "
            f"result = CliRunner().invoke(main, {argv!r}); assert result.exit_code == 0, result.output; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"newsgold {' '.join(argv)} imported {done.stdout.strip()}"


def test_stats_of_a_large_corpus_prints_the_totals_and_says_where_each_document_is(tmp_path: Path, runner) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import make_corpus

    root = make_corpus(tmp_path / "large", 101, chars=200, spans=3)
    text = runner.invoke(main, ["stats", "--corpus", str(root)])
    assert text.exit_code == 0 and "Per document" not in text.output
    assert "(101 documents: the figures of each are in --output-format json)" in text.output
    payload = json.loads(runner.invoke(main, ["stats", "--corpus", str(root), "--output-format", "json"]).stdout)
    assert len(payload["per_document"]) == 101 and payload["documents"] == 101


@pytest.mark.parametrize("argv", [["stats"], ["show", "000_8dd4fb761523bda0"], ["validate"], ["agreement"]])
def test_names_and_titles_with_brackets_are_printed_as_text(argv: list[str], tmp_path: Path, runner) -> None:
    """A corpus name or a title holding `[/]` or `[bold]` is text: rich's markup made `stats` die of
    a MarkupError ("unexpected error"; issue 41, item 11: hostile titles)."""
    root = tmp_path / "c"
    shutil.copytree(REPO / "corpus", root)
    manifest = json.loads((root / "newsgold.json").read_text())
    manifest["name"] = "news [/] [bold]corpus"
    (root / "newsgold.json").write_text(json.dumps(manifest))
    lines = (root / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["meta"]["title"] = "Title [/] with [red]markup"
    (root / "documents.jsonl").write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n",
                                          encoding="utf-8")
    result = runner.invoke(main, [*argv, "--corpus", str(root)])
    assert result.exit_code == 0, result.output
    assert "unexpected" not in result.output
    if argv[0] in ("stats", "show"):
        assert "[/]" in result.output


def test_init_takes_the_claims_it_is_given_and_none_else(tmp_path: Path, runner) -> None:
    """Issue 43, item 6: a new corpus had the bundled corpus's three NATO/Ukraine claims; now it has
    the claims of `--claims FILE` (`id: claim` lines or a JSON list), or none."""
    bare = runner.invoke(main, ["init", "--corpus", str(tmp_path / "bare")])
    assert bare.exit_code == 0
    assert json.loads((tmp_path / "bare" / "newsgold.json").read_text())["scheme"]["stance"]["targets"] == []
    (tmp_path / "claims.txt").write_text("# the team's claims\nceasefire-2025: A ceasefire was agreed in 2025.\n\n"
                                         "aid-cut: The aid was cut.\n")
    made = runner.invoke(main, ["init", "--corpus", str(tmp_path / "c"), "--claims", str(tmp_path / "claims.txt")])
    assert made.exit_code == 0, made.output
    targets = json.loads((tmp_path / "c" / "newsgold.json").read_text())["scheme"]["stance"]["targets"]
    assert targets == [{"id": "ceasefire-2025", "claim": "A ceasefire was agreed in 2025."},
                       {"id": "aid-cut", "claim": "The aid was cut."}]
    (tmp_path / "claims.json").write_text(json.dumps(targets[:1]))
    assert runner.invoke(main, ["init", "--corpus", str(tmp_path / "j"), "--claims", str(tmp_path / "claims.json")]
                         ).exit_code == 0
    for name, content, message in (("bad.txt", "not a claim\n", "bad.txt:1: write each claim as `id: the claim`"),
                                   ("twice.txt", "a: One.\na: Two.\n", "the claim id 'a' is given twice"),
                                   ("empty.txt", "# nothing\n", "no claim in it")):
        (tmp_path / name).write_text(content)
        refused = runner.invoke(main, ["init", "--corpus", str(tmp_path / name[:-4]), "--claims", str(tmp_path / name)])
        assert refused.exit_code == 2 and message in refused.output, refused.output
        assert not (tmp_path / name[:-4]).exists()
