"""`newsgold report --corpus DIR --out FILE`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus, output_format_option, print_json, removed_option


@click.command("report", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The HTML file to write, outside the corpus (a report newsgold wrote there is replaced).")
@click.option("--replace", is_flag=True, help="Replace the file at --out even if no newsgold report wrote it "
              "(it is kept beside as OUT.replaced-TIME).")
@removed_option("--force", "--replace")
@output_format_option("json")
def report_cli(corpus_dir: Path | None, out: Path, replace: bool, output_format: str) -> None:
    """Write one self-contained HTML page of the corpus: documents, sources, dates, labels, quote
    forms and stance; the team's annotators, overlap and drafts; agreement matrices per label and
    pair; the most disputed documents with each annotator's spans side by side; suggestions scored
    against gold. It opens offline (no script, font or request) and prints."""
    from newsgold.report import write_report

    written = write_report(open_corpus(corpus_dir), out, replace=replace)
    if output_format == "json":
        print_json(written)
        return
    suggestions = f", suggestions {', '.join(written.suggestion_sets)}" if written.suggestion_sets else ""
    click.echo(f"wrote {written.path} ({written.bytes / 1024:.0f} KB): {_count(written.documents, 'document')}, "
               f"{_count(written.annotators, 'annotator')}, {_count(written.disputes, 'disputed document')} shown"
               f"{suggestions}")
    if written.replaced_file is not None:
        click.echo(f"the file --replace took the place of is kept in {written.replaced_file}", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
