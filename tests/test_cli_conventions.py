"""One convention for the CLI (docs/commands.md, "Conventions"), and the old spellings it replaced.

- `--output-format` is how a command prints its results (text, json, github, markdown);
- `--format` is the interchange format a command reads or writes (export, import), nothing else;
- `--set NAME` names the annotation sets a command sends, stores, makes or reads (push, import,
  suggest, show, agreement);
- `--corpus DIR` names the corpus, on every command that has one.

The old spellings (`--json`, `--format json` on validate and diff, `--predictions`, `--predictions-as`,
`suggest --name`, `--annotator` on show and agreement, a positional corpus DIR) still work, hidden from the help, with a warning naming
the new one; they go in 0.3.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest

from newsgold.cli import every_command, main
from newsgold.corpus import Corpus

from conftest import REPO

PRINTS_RESULTS = {"validate", "diff", "stats", "agreement", "suggest"}
INTERCHANGE = {"export", "import"}
NAMES_A_SET = {"studio push", "import", "suggest", "show", "agreement"}
WITHOUT_CORPUS = {"schema", "diff", "studio serve", "studio annotators"}
"""`schema` writes the JSON Schemas of newsgold itself; `diff` compares two folders (or, with
`--rev`, takes `--corpus`); `studio serve` and `studio annotators` are about the server, not a corpus."""


def _visible_options(command: click.Command) -> dict[str, click.Option]:
    return {flag: param for param in command.params if isinstance(param, click.Option) and not param.hidden
            for flag in param.opts}


def test_every_command_follows_the_convention() -> None:
    commands = dict(every_command())
    for name, command in commands.items():
        if isinstance(command, click.Group):
            continue
        options = _visible_options(command)
        assert "--json" not in options, name
        assert ("--output-format" in options) == (name in PRINTS_RESULTS), name
        assert ("--format" in options) == (name in INTERCHANGE), name
        assert ("--set" in options) == (name in NAMES_A_SET), name
        if name not in WITHOUT_CORPUS or name == "diff":
            assert "--corpus" in options, name
        context = click.Context(command, info_name=name, **command.context_settings)  # as click makes it: a
        assert "[DIR]" not in command.get_usage(context), name  # context without them would cache `--help` alone
    formats = {name: set(commands[name].params[[p.name for p in commands[name].params].index("output_format")]
                         .type.choices) for name in PRINTS_RESULTS}  # type: ignore[attr-defined]
    assert formats == {"validate": {"text", "json", "github"}, "diff": {"text", "json", "github", "markdown"},
                       "stats": {"text", "json"}, "agreement": {"text", "json"}, "suggest": {"text", "json"}}


def _pair(runner, old: list[str], new: list[str], warning: str) -> None:  # type: ignore[no-untyped-def]
    """The old spelling does what the new one does, and says so on stderr."""
    before, after = runner.invoke(main, old), runner.invoke(main, new)
    assert before.exit_code == after.exit_code, (before.output, after.output)
    assert before.stdout == after.stdout
    assert warning in before.stderr and "stops working in newsgold 0.3" in before.stderr, before.stderr
    assert "warning" not in after.stderr


def test_old_spellings_still_work_with_a_warning(tmp_path: Path, tiny: Path, runner) -> None:  # type: ignore[no-untyped-def]
    corpus = str(REPO / "corpus")
    _pair(runner, ["validate", corpus], ["validate", "--corpus", corpus],
          f"`newsgold validate {corpus}` is now `newsgold validate --corpus {corpus}`")
    _pair(runner, ["stats", corpus, "--json"], ["stats", "--corpus", corpus, "--output-format", "json"],
          "--json is now --output-format json")
    _pair(runner, ["validate", "--corpus", corpus, "--format", "github"],
          ["validate", "--corpus", corpus, "--output-format", "github"], "--format github is now --output-format github")
    _pair(runner, ["agreement", "--corpus", str(tiny), "--json"],
          ["agreement", "--corpus", str(tiny), "--output-format", "json"], "--json is now --output-format json")
    _pair(runner, ["diff", str(tiny), corpus, "--format", "markdown"],
          ["diff", str(tiny), corpus, "--output-format", "markdown"], "--format markdown is now --output-format markdown")
    _pair(runner, ["agreement", "--corpus", str(tiny), "--annotator", "a", "--annotator", "b"],
          ["agreement", "--corpus", str(tiny), "--set", "a", "--set", "b"],
          "--annotator a --annotator b is now --set a --set b")
    doc_id = next(Corpus.open(REPO / "corpus").iter_documents()).id
    _pair(runner, ["show", doc_id, "--corpus", corpus, "--annotator", "nobody"],
          ["show", doc_id, "--corpus", corpus, "--set", "nobody"], "--annotator nobody is now --set nobody")
    new = runner.invoke(main, ["init", str(tmp_path / "made")])
    assert new.exit_code == 0 and (tmp_path / "made" / "newsgold.json").is_file()
    assert "`newsgold init --corpus" in new.stderr


def test_old_set_names_still_work_with_a_warning(tmp_path: Path, runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made = {}
    for spelling in (["--name", "rules"], ["--set", "rules"]):
        root = tmp_path / spelling[0].strip("-")
        shutil.copytree(REPO / "corpus", root)
        result = runner.invoke(main, ["suggest", "--corpus", str(root), *spelling])
        assert result.exit_code == 0, result.output
        made[spelling[0]] = (result.stdout, (root / "annotations.jsonl").read_bytes().count(b'"annotator":"rules"'))
        assert ("--name rules is now --set rules" in result.stderr) == (spelling[0] == "--name")
    assert made["--name"] == made["--set"] and made["--set"][1] == 2
    # push: the set name is checked before Label Studio is asked anything
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "unused")
    for flag in ("--predictions", "--set"):
        pushed = runner.invoke(main, ["studio", "push", "--corpus", str(REPO / "corpus"), flag, "nobody"])
        assert pushed.exit_code == 2 and "--set 'nobody': no annotation sets of that name" in pushed.stderr
        assert ("--predictions nobody is now --set nobody" in pushed.stderr) == (flag == "--predictions")


def test_import_refuses_the_options_of_the_other_format(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "export.json"
    export.write_text("[]")
    for args, named in ((["--format", "label-studio", "--accept-loss", "--texts", str(tmp_path)],
                         "--texts, --accept-loss: only for --format brat"),
                        (["--format", "brat", "--set", "model"], "--set: only for --format label-studio"),
                        (["--format", "brat", "--predictions-as", "model"], "--set: only for --format label-studio")):
        result = runner.invoke(main, ["import", str(export), "--corpus", str(REPO / "corpus"), *args])
        assert result.exit_code == 2 and named in result.stderr, result.output


@pytest.mark.parametrize("old, new", [(["--json"], ["--output-format", "text"]),
                                      (["--format", "json"], ["--output-format", "github"])])
def test_two_spellings_that_disagree_are_a_usage_error(old: list[str], new: list[str], runner) -> None:  # type: ignore[no-untyped-def]
    command = "stats" if old == ["--json"] else "validate"
    result = runner.invoke(main, [command, "--corpus", str(REPO / "corpus"), *old, *new])
    assert result.exit_code == 2 and "disagree; give --output-format alone" in result.stderr
    both = runner.invoke(main, ["validate", str(REPO / "corpus"), "--corpus", str(REPO / "seeds")])
    assert both.exit_code == 2 and "name two corpora" in both.output


def test_every_operation_returns_a_report_of_one_family(tmp_path: Path) -> None:
    """Each library operation returns a `Report`: `ok`, and `as_dict()` with every field as JSON values."""
    import orjson

    from newsgold.corpus import Corpus, stats, validate
    from newsgold.corpus.outcomes import Report
    from newsgold.curation import adjudicate, agreement
    from newsgold.suggest import suggest

    shutil.copytree(REPO / "tests" / "data" / "base", tmp_path / "c")
    corpus = Corpus.open(tmp_path / "c")
    reports = [validate(corpus), stats(corpus), agreement(corpus), suggest(corpus),
               adjudicate(Corpus.open(corpus.root), "majority", force=True)]
    for report in reports:
        assert isinstance(report, Report), type(report)
        data = report.as_dict()
        assert data["ok"] is report.ok is True, type(report)
        assert orjson.loads(orjson.dumps(data)) == data


def test_every_operation_takes_an_open_corpus_and_checks_its_choices(tmp_path: Path) -> None:
    """A path where a Corpus belongs, an unknown strategy or source: a UsageError saying what to pass,
    before anything is read or written."""
    from newsgold.corpus import Corpus, add_sets, ingest, iter_document_stats, put_gold, stats
    from newsgold.corpus.diff import diff_corpora
    from newsgold.corpus.write import corpus_write
    from newsgold.curation import adjudicate, agreement
    from newsgold.errors import UsageError
    from newsgold.exchange import export, export_all, import_brat, import_label_studio
    from newsgold.studio import pull, push, status
    from newsgold.suggest import evaluate_suggestions, suggest, train_model

    path = REPO / "corpus"
    calls = {
        "ingest": lambda: ingest(path, []), "stats": lambda: stats(path),
        "iter_document_stats": lambda: iter_document_stats(path), "add_sets": lambda: add_sets(path, []),
        "put_gold": lambda: put_gold(path, []), "agreement": lambda: agreement(path),
        "adjudicate": lambda: adjudicate(path, "majority"), "export": lambda: export(path, "jsonl", tmp_path / "o"),
        "export_all": lambda: export_all(path, tmp_path / "o"),
        "import_label_studio": lambda: import_label_studio(path, tmp_path), "import_brat": lambda: import_brat(path, tmp_path),
        "push": lambda: push(path, None), "pull": lambda: pull(path, None), "status": lambda: status(path, None),
        "suggest": lambda: suggest(path), "evaluate_suggestions": lambda: evaluate_suggestions(path),
        "train_model": lambda: train_model(path, tmp_path / "m"),
        "diff_corpora": lambda: list(diff_corpora(path, path)),
    }
    for name, call in calls.items():
        with pytest.raises(UsageError, match=r"takes an open corpus, not PosixPath: pass Corpus.open\("):
            call()  # type: ignore[no-untyped-call]
    with pytest.raises(UsageError, match="takes an open corpus"):
        with corpus_write(path, "test"):  # type: ignore[arg-type]
            pass
    corpus = Corpus.open(path)
    with pytest.raises(UsageError, match="strategy='majorty' is not a strategy: use majority, prefer, ground-truth"):
        adjudicate(corpus, "majorty")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="source='annotation' is not a source of sets: use gold, annotations"):
        list(diff_corpora(corpus, corpus, "annotation"))  # type: ignore[arg-type]
    assert not (tmp_path / "o").exists()


def test_every_command_takes_dash_h_also_when_called_on_its_own() -> None:
    """`-h` is each command's own setting, not only the root group's: click builds a command's help
    option from the first context it sees, so a command first called on its own (from Python, or in
    a test run in another order) would otherwise answer `-h` with "no such option"."""
    from click.testing import CliRunner

    for name, command in every_command():
        command._help_option = None  # as in a fresh process, whatever ran before  # type: ignore[attr-defined]
        result = CliRunner().invoke(command, ["-h"])
        assert result.exit_code == 0 and "Usage:" in result.output, (name, result.output)


def test_the_command_list_of_help_is_each_commands_own_summary() -> None:
    """`newsgold --help` lists the commands from a static table (SUMMARIES), loading none of them:
    the table must say what each command's own help says, at any terminal width."""
    import click

    from newsgold.cli import COMMANDS, SUMMARIES, main

    assert list(SUMMARIES) == list(COMMANDS)
    context = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(context, name)
        assert command is not None
        for limit in (30, 45, 80, 200):
            assert click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit) == \
                command.get_short_help_str(limit), name


def test_help_loads_no_command_module() -> None:
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from newsgold.cli import main, COMMANDS; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in sys.modules if m.startswith('newsgold.cli.') and m != 'newsgold.cli._common'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
