"""The `newsgold` command: thin click wrappers over the library, one module per command."""

from __future__ import annotations

import click

from newsgold import __version__
from newsgold.cli._common import NewsgoldGroup


@click.group(cls=NewsgoldGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgold")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def main(debug: bool) -> None:
    """Annotate news attribution and stance; validate, sync with Label Studio, and export gold.

    Run `newsgold COMMAND --help` for each command. The corpus defaults to `.` if it holds
    newsgold.json, else `./corpus`.
    """


def _register() -> None:
    from newsgold.cli import commands

    for command in commands.ALL:
        main.add_command(command)


_register()

__all__ = ["main"]
