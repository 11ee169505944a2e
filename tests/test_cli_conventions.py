"""One spelling per concept (newsgold/cli/conventions.py, rendered in docs/commands.md, "Conventions").

Every option of every command is in the table, with one parameter name and one kind (a switch or a
value) wherever it appears; every command that prints a report takes `--output-format json` and
prints one JSON document with it; the spellings removed in 0.2 are refused with a usage error that
names their replacement, and do nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from newsgold.cli import every_command, main
from newsgold.cli.conventions import OPTIONS, REMOVED, WITHOUT_OUTPUT_FORMAT
from newsgold.corpus import Corpus

from conftest import REPO

INTERCHANGE = {"export", "import"}
WITHOUT_CORPUS = {"schema", "diff", "studio serve", "studio annotators"}
"""`schema` writes the JSON Schemas of newsgold itself; `diff` compares two folders (or, with
`--rev`, takes `--corpus`); `studio serve` and `studio annotators` are about the server, not a corpus."""
SAME_CONCEPT = {"--set": {"set_name", "set_names"}}
"""A flag's parameter may be singular or plural (repeatable), nothing else."""


def _commands() -> dict[str, click.Command]:
    return {name: command for name, command in every_command() if not isinstance(command, click.Group)}


def _visible_options(command: click.Command) -> dict[str, click.Option]:
    return {max(param.opts, key=len): param for param in command.params
            if isinstance(param, click.Option) and not param.hidden}


def test_every_option_of_every_command_has_one_spelling_and_one_meaning() -> None:
    names: dict[str, set[str]] = {}
    kinds: dict[str, set[bool]] = {}
    for name, command in _commands().items():
        options = _visible_options(command)
        unknown = set(options) - set(OPTIONS)
        assert not unknown, f"{name}: {sorted(unknown)} are not in newsgold/cli/conventions.py"
        for flag, option in options.items():
            assert option.opts[0] == flag or option.opts == ["--jobs", "-j"] or option.opts == ["-j", "--jobs"] \
                or set(option.opts) == {"-v", "--verbose"}, (name, option.opts)
            names.setdefault(flag, set()).add(str(option.name))
            kinds.setdefault(flag, set()).add(bool(option.is_flag))
        assert ("--format" in options) == (name in INTERCHANGE), name
        if name not in WITHOUT_CORPUS or name == "diff":
            assert "--corpus" in options, name
        context = click.Context(command, info_name=name, **command.context_settings)  # as click makes it
        assert "[DIR]" not in command.get_usage(context), name
    for flag, params in names.items():
        assert len(params) == 1 or params <= SAME_CONCEPT.get(flag, set()), f"{flag} is {sorted(params)}"
        assert len(kinds[flag]) == 1, f"{flag} is a switch in one command and takes a value in another"
    assert set(OPTIONS) == set(names), f"in the table but in no command: {sorted(set(OPTIONS) - set(names))}"


def test_every_command_that_prints_a_report_takes_output_format_json() -> None:
    for name, command in _commands().items():
        options = _visible_options(command)
        if name in WITHOUT_OUTPUT_FORMAT:
            assert "--output-format" not in options, name
            continue
        assert "--output-format" in options, f"{name} prints a report without --output-format json"
        assert "json" in options["--output-format"].type.choices, name  # type: ignore[attr-defined]


def test_every_hidden_option_is_a_removed_spelling_that_refuses(tiny: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """A hidden option is only ever a removed spelling: it refuses (exit 2) and names its replacement."""
    for name, command in _commands().items():
        for param in command.params:
            if isinstance(param, click.Option) and param.hidden:
                assert str(param.name).startswith("removed_"), (name, param.opts)


REFUSED = [
    (["adjudicate", "--corpus", "{c}", "--force"], "--force is spelled --replace"),
    (["export", "--corpus", "{c}", "--format", "jsonl", "--out", "{s}/out", "--force"], "--force is spelled --replace"),
    (["report", "--corpus", "{c}", "--out", "{s}/r.html", "--force"], "--force is spelled --replace"),
    (["studio", "pull", "--corpus", "{c}", "--take-studio", "d1"], "--take-studio d1 is spelled --replace --doc DOC_ID"),
    (["studio", "pull", "--corpus", "{c}", "--take-studio-all"], "--take-studio-all is spelled --replace"),
    (["import", "{s}", "--format", "brat", "--corpus", "{c}", "--annotator", "bob"], "--annotator bob is spelled --set NAME"),
    (["import", "{s}", "--format", "brat", "--corpus", "{c}", "--annotator-from", "folder"],
     "--annotator-from folder is spelled --set-from"),
    (["train", "--corpus", "{c}", "--out", "{s}/m"], "--out {s}/m is spelled --model DIR (or --tagger DIR)"),
    (["stats", "--corpus", "{c}", "--json"], "--json is spelled --output-format json"),
    (["agreement", "--corpus", "{c}", "--json"], "--json is spelled --output-format json"),
    (["validate", "--corpus", "{c}", "--format", "github"], "--format github is spelled --output-format"),
    (["diff", "{c}", "{c}", "--format", "markdown"], "--format markdown is spelled --output-format"),
    (["studio", "push", "--corpus", "{c}", "--predictions", "suggest"], "--predictions suggest is spelled --set NAME"),
    (["suggest", "--corpus", "{c}", "--name", "rules"], "--name rules is spelled --set NAME"),
    (["show", "d1", "--corpus", "{c}", "--annotator", "alice"], "--annotator alice is spelled --set NAME"),
    (["agreement", "--corpus", "{c}", "--annotator", "alice"], "--annotator alice is spelled --set NAME"),
    (["validate", "{c}"], "the corpus is named with --corpus: `newsgold validate --corpus {c}`"),
    (["stats", "{c}"], "the corpus is named with --corpus: `newsgold stats --corpus {c}`"),
    (["init", "{s}/new"], "the corpus is named with --corpus: `newsgold init --corpus {s}/new`"),
]


@pytest.mark.parametrize("argv, message", REFUSED, ids=[" ".join(a[:2]) + " " + m.split()[0] for a, m in REFUSED])
def test_a_removed_spelling_is_refused_naming_its_replacement(argv: list[str], message: str, tiny: Path,
                                                             tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """Refused before anything is read or written: the corpus and the folder around it are unchanged."""
    from conftest import snapshot

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before = snapshot(tiny)
    fill = {"{c}": str(tiny), "{s}": str(scratch)}
    args = [_fill(a, fill) for a in argv]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert _fill(message, fill) in result.output, result.output
    assert snapshot(tiny) == before and not any(scratch.iterdir())


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def test_every_removed_spelling_of_the_table_is_refused_by_a_case() -> None:
    """The table in the docs and the refusals tested here are the same list."""
    tested = {message.split(" is spelled ")[0].split()[0] for _, message in REFUSED if " is spelled " in message}
    for old in REMOVED:
        flags = {word.strip(",()") for word in old.split() if word.startswith("--")}
        assert flags & tested or "positional" in old, old


def test_gold_names_the_gold_and_no_set(tiny: Path, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """`--set gold` means the gold where a command reads sets (push); no command makes a set of that name."""
    brat = tmp_path / "brat"
    assert runner.invoke(main, ["export", "--corpus", str(tiny), "--format", "brat", "--out", str(brat)]).exit_code == 0
    for argv in (["suggest", "--corpus", str(tiny), "--set", "gold"],
                 ["import", str(brat), "--format", "brat", "--corpus", str(tiny), "--set", "gold"]):
        result = runner.invoke(main, argv)
        assert result.exit_code == 2 and "--set 'gold' names the gold, not a set of annotations" in result.output


def test_every_local_command_prints_one_json_document(tiny: Path, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """--output-format json on every command that needs no server: one JSON document on stdout,
    whatever the command did (the studio commands are run against the real server in
    test_labelstudio_sync.py)."""
    article = tmp_path / "new.txt"
    article.write_text("Jane Doe said the bridge will open in May.\n")
    brat = tmp_path / "brat"
    assert runner.invoke(main, ["export", "--corpus", str(tiny), "--format", "brat", "--out", str(brat)]).exit_code == 0
    c, s = str(tiny), str(tmp_path)
    shutil.copytree(REPO / "tests" / "data" / "base", tmp_path / "other")
    runs = {
        "init": ["init", "--corpus", f"{s}/made"],
        "ingest": ["ingest", str(article), "--corpus", c],
        "validate": ["validate", "--corpus", c],
        "stats": ["stats", "--corpus", c],
        "show": ["show", "d1", "--corpus", c],
        "schema": ["schema", "--out", f"{s}/schemas"],
        "agreement": ["agreement", "--corpus", c],
        "adjudicate": ["adjudicate", "--corpus", c],
        "export": ["export", "--corpus", c, "--format", "jsonl", "--out", f"{s}/out"],
        "import": ["import", str(brat), "--format", "brat", "--corpus", f"{s}/other", "--set", "carol"],
        "diff": ["diff", c, str(REPO / "tests" / "data" / "base")],
        "report": ["report", "--corpus", c, "--out", f"{s}/report.html"],
        "suggest": ["suggest", "--corpus", c],
        "train": ["train", "--corpus", c, "--tagger", f"{s}/tagger"],
    }
    local = {name for name in _commands() if not name.startswith("studio ")}
    assert set(runs) == local - set(WITHOUT_OUTPUT_FORMAT)
    for name, argv in runs.items():
        result = runner.invoke(main, [*argv, "--output-format", "json"])
        assert result.exit_code == 0, (name, result.output)
        data = json.loads(result.stdout)
        assert isinstance(data, (dict, list)), name
    shown = json.loads(runner.invoke(main, ["show", "d1", "--corpus", c, "--output-format", "json"]).stdout)
    assert shown["document"]["id"] == "d1" and shown["set"] == "gold" and shown["annotations"]["doc_id"] == "d1"


def test_every_operation_returns_a_report_of_one_family(tmp_path: Path) -> None:
    """Each library operation returns a `Report`: `ok`, and `as_dict()` with every field as JSON values."""
    import orjson

    from newsgold.corpus import Corpus, stats, validate
    from newsgold.corpus.outcomes import Report
    from newsgold.curation import adjudicate, agreement
    from newsgold.suggest import suggest

    shutil.copytree(REPO / "tests" / "data" / "base", tmp_path / "c")
    corpus = Corpus.open(tmp_path / "c")
    from newsgold.report import write_report
    from newsgold.suggest.tagger import train_corpus_tagger

    reports = [validate(corpus), stats(corpus), agreement(corpus), suggest(corpus),
               adjudicate(Corpus.open(corpus.root), "majority", replace=True),
               train_corpus_tagger(corpus, tmp_path / "tagger"), write_report(corpus, tmp_path / "report.html")]
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
    shared = ("newsgold.cli._common", "newsgold.cli._group", "newsgold.cli._options", "newsgold.cli._flags",
              "newsgold.cli._output", "newsgold.cli.conventions")
    assert _modules_loaded_by("r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output",
                              "newsgold.cli.", shared) == []


def _modules_loaded_by(code: str, prefix: str, allowed: tuple[str, ...]) -> list[str]:
    """The modules named `prefix...` (but `allowed`) that `code` loads, in a fresh interpreter that
    has `main` and `every_command` of newsgold.cli and click's CliRunner at hand."""
    import subprocess
    import sys

    program = (f"import sys; from click.testing import CliRunner; from newsgold.cli import main, every_command; {code}; "
               f"print(sorted(m for m in sys.modules if m.startswith({prefix!r}) and m not in {allowed!r}))")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import ast

    return ast.literal_eval(done.stdout)  # the list of module names the program printed


def test_the_export_formats_the_cli_offers_are_the_formats() -> None:
    from newsgold.cli.conventions import EXPORT_FORMATS
    from newsgold.formats import FORMATS

    assert list(EXPORT_FORMATS) == list(FORMATS)


def test_a_commands_help_loads_no_library_module() -> None:
    """`newsgold COMMAND -h` loads the command's module and click, not the library it calls
    (issue 42, item 5: each -h within 1.5x `import click, pydantic`; bench/startup.py measures it)."""
    loaded = _modules_loaded_by("names = [n for n, c in every_command() if not hasattr(c, 'commands')]; "
                                "[CliRunner().invoke(main, [*n.split(), '-h']) for n in names]",
                                "newsgold.", ("newsgold.errors", "newsgold._progress", "newsgold._entry"))
    assert [m for m in loaded if not m.startswith("newsgold.cli")] == []
