"""`newsgold report --corpus DIR --out FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus


@click.command("report", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The HTML file to write, outside the corpus (a report newsgold wrote there is replaced).")
@click.option("--force", is_flag=True, help="Replace the file at --out even if no newsgold report wrote it.")
def report_cli(corpus_dir: Path | None, out: Path, force: bool) -> None:
    """Write one self-contained HTML page of the corpus: documents, sources, dates, labels, quote
    forms and stance; the team's annotators, overlap and drafts; agreement matrices per label and
    pair; the most disputed documents with each annotator's spans side by side; suggestions scored
    against gold. It opens offline (no script, font or request) and prints."""
    from newsgold.report import write_report

    written = write_report(open_corpus(corpus_dir), out, force=force)
    suggestions = f", suggestions {', '.join(written.suggestion_sets)}" if written.suggestion_sets else ""
    click.echo(f"wrote {written.path} ({written.bytes / 1024:.0f} KB): {_count(written.documents, 'document')}, "
               f"{_count(written.annotators, 'annotator')}, {_count(written.disputes, 'disputed document')} shown"
               f"{suggestions}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
