"""`newsgold ingest PATHS... --corpus DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus, output_format_option, print_json


@click.command("ingest", context_settings=HELP_OPTIONS)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@corpus_option
@click.option("--replace", is_flag=True,
              help="Replace the text of documents already in the corpus under the same id.")
@click.option("--language", help="Language tag to record for the articles (e.g. en).")
@click.option("--verbose", "-v", is_flag=True, help="List the id of every document added.")
@output_format_option("json")
def ingest_cli(paths: tuple[Path, ...], corpus_dir: Path | None, replace: bool,
               language: str | None, verbose: bool, output_format: str) -> None:
    """Add articles: UTF-8 .txt files (id = file stem), .jsonl records with `text`, web pages
    (.html, id = file stem) and web archives (.warc, .warc.gz, id = STEM-N), or folders of them.

    Web pages are reduced to their article text and metadata by trafilatura (the web extra); a
    page that is not an article is reported, not ingested.

    A BOM is dropped and CRLF becomes LF before anything is stored. Re-ingesting the same text is
    a no-op; a different text under an existing id is an error unless --replace.
    """
    from newsgold.corpus.ingest import ingest

    corpus = open_corpus(corpus_dir)
    result = ingest(corpus, paths, replace=replace, language=language)
    if output_format == "json":
        print_json(result)
        return
    click.echo(f"added {len(result.added)}, unchanged {len(result.unchanged)}, "
               f"replaced {len(result.replaced)}" + ("" if verbose or not result.added else " (--verbose lists them)"))
    for doc_id in result.added if verbose else []:
        click.echo(f"  + {doc_id}")
    for reason in result.skipped:
        click.echo(f"not ingested: {reason}", err=True)
    for doc_id in result.replaced:
        click.echo(f"  ~ {doc_id}")
    if result.backup_path is not None:
        click.echo(f"the texts --replace replaced are kept in {result.backup_path}", err=True)
    for stale in result.stale_sets:
        click.echo(f"Warning: {stale.file}:{stale.line}: {stale.annotator}'s annotations of "
                   f"{stale.doc_id} were made on the old text (rule NG207)", err=True)
