"""The `newsgold` command: thin click wrappers over the library, one module per command.

Commands are loaded when they are called (a lazily loading group, as click documents it): a
command, `--version` or `--help` of one command imports only what it uses.
"""

from __future__ import annotations

import importlib

import click

from newsgold.cli._common import HELP_OPTIONS, NewsgoldGroup

COMMANDS: dict[str, str] = {
    "init": "newsgold.cli.init:init_cli",
    "ingest": "newsgold.cli.ingest:ingest_cli",
    "validate": "newsgold.cli.validate:validate_cli",
    "stats": "newsgold.cli.stats:stats_cli",
    "show": "newsgold.cli.show:show_cli",
    "schema": "newsgold.cli.schema:schema_cli",
    "studio": "newsgold.cli.studio:studio_cli",
    "agreement": "newsgold.cli.agreement:agreement_cli",
    "adjudicate": "newsgold.cli.adjudicate:adjudicate_cli",
    "export": "newsgold.cli.export:export_cli",
    "import": "newsgold.cli.import_:import_cli",
    "diff": "newsgold.cli.diff:diff_cli",
    "report": "newsgold.cli.report:report_cli",
    "suggest": "newsgold.cli.suggest:suggest_cli",
    "train": "newsgold.cli.train:train_cli",
}
"""Every top-level command -> `module:attribute` of its click command, in the order `--help` shows them."""

SUMMARIES: dict[str, str] = {
    "init": "Create an empty corpus in --corpus DIR with the default scheme (or --scheme FILE).",
    "ingest": ("Add articles: UTF-8 .txt files (id = file stem), .jsonl records with `text`, web "
               "pages (.html, id = file stem) and web archives (.warc, .warc.gz, id = STEM-N), or "
               "folders of them."),
    "validate": ("Check every record of a corpus and report every problem with file, line and "
                 "rule code."),
    "stats": ("Count documents, annotation sets, annotators, labels, quote forms, stances and "
              "gold coverage, over the corpus and per document (the per-document tables for "
              "corpora of up to 100 documents; the JSON always has every row)."),
    "show": "Print a document with its spans highlighted and its quotes linked to their speakers.",
    "schema": "Write JSON Schema (2020-12) for every record type and for the scheme.",
    "studio": ("Sync the corpus with Label Studio: config, push tasks, pull annotations, status; "
               "serve one."),
    "agreement": ("Inter-annotator agreement: span P/R/F1 (exact and overlap), kappa and alpha on "
                  "form and stance, attribution agreement, and the documents with the most "
                  "disagreement."),
    "adjudicate": ("Build gold.jsonl from the annotation sets: majority vote, one preferred "
                   "annotator, or the ground truth marked in Label Studio. Unresolved items go to "
                   "a review file."),
    "export": ("Export the gold (or raw sets) as jsonl, quotes, stance, ner-conll, ner-hf, spacy, "
               "brat or label-studio, with a manifest.json of hashes and counts. Exporting twice "
               "gives identical files."),
    "import": ("Bring documents and annotations from a Label Studio JSON export or a brat folder "
               "into the corpus, remapping offsets onto the normalized text. All or nothing: if "
               "any piece is rejected, nothing is stored (exit 1) unless --skip-invalid."),
    "diff": "Per document: spans, relations, attributes and stance added, removed and changed.",
    "report": ("Write one self-contained HTML page of the corpus: documents, sources, dates, "
               "labels, quote forms and stance; the team's annotators, overlap and drafts; "
               "agreement matrices per label and pair; the most disputed documents with each "
               "annotator's spans side by side; suggestions scored against gold. It opens offline "
               "(no script, font or request) and prints."),
    "suggest": ("Pre-annotate documents: entities by string matching against what the corpus's "
                "gold and annotations already label, quotes with their speaker and cue by rules. "
                "The sets are valid under the scheme, marked as suggestions (agreement and "
                "adjudication leave them out), and reach Label Studio as predictions with `studio "
                "push --set NAME`."),
    "train": ("Train suggestions on the gold, on CPU: with --model DIR, a spaCy pipeline (spaCy's "
              "own training: NER for the entity layer, a span finder with a span categorizer for "
              "quotes, speakers and cues), which `suggest --model DIR` uses beside the string matcher "
              "and the rules; with --tagger DIR, the role tagger, which `suggest --tagger DIR` uses "
              "(docs/suggest.md has both measured on PolNeAR)."),
}
"""Every top-level command -> the first paragraph of its help, as `newsgold --help` lists it without
importing any command (tests/test_cli_conventions.py checks it against the commands themselves)."""


class LazyGroup(NewsgoldGroup):
    """The top-level group: a command's module is imported the first time the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `--help` from SUMMARIES, as click would write it, loading no command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings=HELP_OPTIONS)
@click.version_option(package_name="newsgold", prog_name="newsgold")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """Annotate news attribution and stance; validate, sync with Label Studio, and export gold.

    Run `newsgold COMMAND --help` for each command. The corpus defaults to `.` if it holds
    newsgold.json, else `./corpus`.
    """


def every_command() -> list[tuple[str, click.Command]]:
    """(full name, command) of every command and subcommand, in `--help` order (loading them all)."""
    found: list[tuple[str, click.Command]] = []
    context = click.Context(main)
    for name in main.list_commands(context):
        command = main.get_command(context, name)
        assert command is not None
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", subcommand) for sub, subcommand in command.commands.items()]
    return found


__all__ = ["COMMANDS", "SUMMARIES", "every_command", "main"]
