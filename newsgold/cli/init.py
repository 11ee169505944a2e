"""`newsgold init DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from newsgold.corpus.store import init_corpus
from newsgold.errors import UsageError
from newsgold.schemas.scheme import Scheme


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="Corpus name [default: the folder name].")
@click.option("--scheme", "scheme_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A scheme JSON file to use instead of the default news attribution scheme.")
def init_cli(directory: Path, name: str | None, scheme_file: Path | None) -> None:
    """Create an empty corpus in DIRECTORY with the default scheme (or --scheme FILE)."""
    scheme = None
    if scheme_file is not None:
        try:
            scheme = Scheme.model_validate_json(scheme_file.read_bytes())
        except ValidationError as exc:
            raise UsageError(f"{scheme_file}: not a valid scheme: {exc.errors()[0]['msg']}") from None
    corpus = init_corpus(directory, name=name, scheme=scheme)
    click.echo(f"Created corpus {corpus.name!r} in {directory}; add articles with "
               f"`newsgold ingest FILES --corpus {directory}`")
