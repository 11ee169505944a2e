"""`newsgold import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsgold.cli._common import corpus_option, open_corpus
from newsgold.corpus.imports import import_annotations


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--format", "import_format", type=click.Choice(["label-studio", "brat"]), required=True,
              help="label-studio: a JSON export (list of tasks); brat: a folder of .txt/.ann files.")
@corpus_option
@click.option("--annotator", default="brat", show_default=True, help="brat: the annotator id of the sets.")
@click.option("--replace", is_flag=True, help="Replace the text of documents already in the corpus.")
def import_cli(path: Path, import_format: str, corpus_dir: Path | None, annotator: str, replace: bool) -> None:
    """Bring documents and annotations from a Label Studio JSON export or a brat folder into the
    corpus, remapping offsets onto the normalized text."""
    report = import_annotations(open_corpus(corpus_dir), import_format, path, annotator=annotator,  # type: ignore[arg-type]
                                replace=replace)
    click.echo(f"documents: added {len(report.documents.added)}, unchanged {len(report.documents.unchanged)}, "
               f"replaced {len(report.documents.replaced)}; annotation sets: added {len(report.added_sets)}, "
               f"unchanged {len(report.unchanged_sets)}")
    for line in report.skipped:
        click.echo(f"not imported: {line}", err=True)
    for line in report.rejected:
        click.echo(f"Rejected: {line}", err=True)
    if not report.ok:
        sys.exit(1)
