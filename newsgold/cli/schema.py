"""`newsgold schema --out DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS
from newsgold.schemas.jsonschema import write_json_schemas


@click.command("schema", context_settings=HELP_OPTIONS)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Folder to write the JSON Schema files into.")
def schema_cli(out: Path) -> None:
    """Write JSON Schema (2020-12) for every record type and for the scheme."""
    for path in write_json_schemas(out):
        click.echo(str(path))
