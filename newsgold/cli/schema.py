"""`newsgold schema --out DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, output_format_option, print_json


@click.command("schema", context_settings=HELP_OPTIONS)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Folder to write the JSON Schema files into.")
@output_format_option("json")
def schema_cli(out: Path, output_format: str) -> None:
    """Write JSON Schema (2020-12) for every record type and for the scheme."""
    from newsgold.schemas.jsonschema import write_json_schemas

    written = write_json_schemas(out)
    if output_format == "json":
        print_json({"written": written})
        return
    for path in written:
        click.echo(str(path))
