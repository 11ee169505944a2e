"""Write docs/commands.md: every command's usage, help and options (from click itself), the library
function it calls, and its exit codes. tests/test_docs_site.py fails when the page is stale.
Usage: python scripts/cli_reference.py [docs/commands.md]
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsgold.cli import every_command, main
from newsgold.cli.conventions import OPTIONS, REMOVED, WITHOUT_OUTPUT_FORMAT

REPO = Path(__file__).resolve().parent.parent

LIBRARY: dict[str, str | tuple[str, ...]] = {
    "init": "newsgold.corpus.init_corpus",
    "ingest": "newsgold.corpus.ingest",
    "validate": "newsgold.corpus.validate",
    "stats": "newsgold.corpus.stats",
    "show": "newsgold.cli.render.render_document",
    "schema": "newsgold.schemas.jsonschema.write_json_schemas",
    "studio config": "newsgold.formats.labelstudio.config.label_config",
    "studio push": "newsgold.studio.push",
    "studio pull": "newsgold.studio.pull",
    "studio status": "newsgold.studio.status",
    "studio serve": ("newsgold.studio.serve", "newsgold.studio.stop_server"),
    "studio annotators": "newsgold.studio.annotators",
    "studio review": ("newsgold.studio.push_review", "newsgold.studio.pull_review"),
    "agreement": "newsgold.curation.agreement",
    "adjudicate": "newsgold.curation.adjudicate",
    "export": "newsgold.exchange.export",
    "import": ("newsgold.exchange.import_label_studio", "newsgold.exchange.import_brat"),
    "diff": "newsgold.corpus.diff.diff_corpora",
    "suggest": "newsgold.suggest.suggest",
    "train": ("newsgold.suggest.train_model", "newsgold.suggest.tagger.train_corpus_tagger"),
    "report": "newsgold.report.write_report",
}
"""Command -> the library function that does its work (Python callers use the same; `import` has
one function per format)."""


def library_functions(name: str) -> tuple[str, ...]:
    """The library functions of a command."""
    found = LIBRARY[name]
    return found if isinstance(found, tuple) else (found,)


def _links(name: str) -> str:
    return " or ".join(f"[`{function}`](api.md#{function})" for function in library_functions(name))

EXIT_CODES = {
    "validate": "0 valid (warnings allowed unless `--strict`), 1 invalid, 2 usage error or unreadable input",
    "studio pull": "0 pulled, 1 a conflict or a rejected annotation (the rest is stored), 2 usage error, "
                   "unreachable server or refused key",
    "import": "0 imported, 1 something rejected (nothing stored unless `--skip-invalid`), 2 usage error or "
              "unreadable input",
    "diff": "0 whether or not the corpora differ (the report says how), 2 usage error or unreadable input",
    "studio push": "0 pushed, 1 invalid data (a broken record, with the line `validate` prints), 2 usage error, "
                   "unreadable input, unreachable server or refused key",
    "studio status": "0 done, 2 usage error, unreachable server or refused key",
    "adjudicate": "0 done (hand-made gold kept and reported), 1 invalid data (a broken record), 2 usage error, "
                  "unreadable input, or an output file (`--review`) that would land on the corpus",
}
def conventions() -> list[str]:
    """The Conventions section: every option's one meaning, the commands without --output-format,
    and the spellings removed in 0.2 (from newsgold.cli.conventions, which the tests walk)."""
    lines = ["One spelling per concept: every option below means one thing in every command that has it, "
             "and every command that prints a report takes `--output-format json`.", "",
             "| option | means |", "| --- | --- |"]
    lines += [f"| `{flag}` | {meaning} |" for flag, meaning in OPTIONS.items()]
    lines += ["", "Without `--output-format`: " + "; ".join(f"`{name}` ({why})" for name, why in
                                                         WITHOUT_OUTPUT_FORMAT.items()) + ".", "",
              "Removed in 0.2 (each is refused with a usage error that names its replacement; "
              "[Versioning](versioning.md) has the list):", "", "| removed | use |", "| --- | --- |"]
    lines += [f"| `{old}` | `{new}` |" for old, new in REMOVED.items()]
    return lines


DEFAULT_EXIT = ("0 done, 1 invalid data (a broken record, with the line `validate` prints), 2 usage error or "
                "unreadable input")


def commands() -> list[tuple[str, click.Command]]:
    """(full name, command) of every command and subcommand (not the groups), in `--help` order."""
    return [(name, command) for name, command in every_command() if not isinstance(command, click.Group)]


def render() -> str:
    """The whole page."""
    lines = ["# Commands", "",
             "Every command is a thin wrapper over one library function (below each), so Python callers and the "
             "CLI share one path: the function's parameters are the command's options (`set_name=` is `--set`, "
             "`replace=True` is `--replace`), and its report is what the command prints. Errors are one line on "
             "stderr, never a traceback (`newsgold --debug COMMAND` shows it). This page is generated from the "
             "commands themselves (`python scripts/cli_reference.py`).", "",
             "## Conventions", "", *conventions(), ""]
    # Contexts as the CLI makes them (the root's settings, such as `-h`, reach every command), at a
    # fixed width, so the page is the same wherever it is written.
    root = click.Context(main, info_name="newsgold", terminal_width=100, max_content_width=100,
                         **main.context_settings)
    for name, command in commands():
        parent = root
        *groups, leaf = name.split()
        for group in groups:  # `studio push`: the group's context between the root and the command
            group_command = main.get_command(root, group)
            assert group_command is not None
            parent = click.Context(group_command, info_name=group, parent=parent, **group_command.context_settings)
        context = click.Context(command, info_name=leaf, parent=parent, **command.context_settings)
        lines += [f"## `newsgold {name}`", "", "```", command.get_help(context).rstrip(), "```", "",
                  f"Library: {_links(name)}. Exit codes: {EXIT_CODES.get(name, DEFAULT_EXIT)}.", ""]
    return "\n".join(lines)


USAGE = "usage: python scripts/cli_reference.py [PAGE] (default: docs/commands.md)"


def main_(argv: list[str]) -> int:
    """Write the page; refuse more than one argument and any that starts with `-` (an option is
    never a file name here: `--help` once wrote the usage into a file of that name)."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(f"{USAGE}\n{__doc__}" if argv[0] in ("-h", "--help") else USAGE, file=sys.stderr)
        return 0 if argv[0] in ("-h", "--help") else 2
    target = Path(argv[0]) if argv else REPO / "docs" / "commands.md"
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_(sys.argv[1:]))
