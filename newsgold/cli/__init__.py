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


class LazyGroup(NewsgoldGroup):
    """The top-level group: a command's module is imported the first time the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

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


__all__ = ["COMMANDS", "every_command", "main"]
