"""`newsgold stats [--corpus DIR]`."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_argument, open_corpus, output_format_option, removed_option, stdout_console

if TYPE_CHECKING:
    from newsgold.corpus.stats import CorpusStats, DocumentStats


@click.command("stats", context_settings=HELP_OPTIONS)
@corpus_argument
@output_format_option("json")
@removed_option("--json", "--output-format json")
def stats_cli(corpus_dir: Path | None, output_format: str) -> None:
    """Count documents, annotation sets, annotators, labels, quote forms, stances and gold coverage,
    over the corpus and per document (the per-document tables for corpora of up to 100 documents;
    the JSON always has every row)."""
    from newsgold.corpus.stats import iter_document_stats, stats

    corpus = open_corpus(corpus_dir)
    result = stats(corpus)
    if output_format == "json":
        _print_json(result, iter_document_stats(corpus))
        return
    rows = list(iter_document_stats(corpus)) if result.documents <= TABLE_ROWS else []
    _print_tables(result, rows, corpus.scheme.stance_values)
    if result.documents > TABLE_ROWS:
        click.echo(f"({result.documents} documents: the figures of each are in --output-format json)")


TABLE_ROWS = 100
"""The largest corpus whose per-document tables `stats` prints (the JSON lists every document)."""


def _print_json(result: CorpusStats, rows: Iterator[DocumentStats]) -> None:
    """The figures as one JSON document, its `per_document` rows written as they are read."""
    import orjson

    head = orjson.dumps(result.as_dict(), option=orjson.OPT_INDENT_2).decode()
    click.echo(head.removesuffix("\n}") + ',\n  "per_document": [', nl=False)
    for number, row in enumerate(rows):
        text = orjson.dumps(row.as_dict(), option=orjson.OPT_INDENT_2).decode()
        click.echo(("," if number else "") + "\n" + textwrap.indent(text, "    "), nl=False)
    click.echo("\n  ]\n}")


def _print_tables(result: CorpusStats, per_document: list[DocumentStats], values: tuple[str, ...]) -> None:
    from rich.table import Table

    console = stdout_console()
    summary = Table(title=f"Corpus {result.name}", show_header=False)
    summary.add_row("documents", str(result.documents))
    summary.add_row("characters", str(result.characters))
    summary.add_row("annotation sets", str(result.annotation_sets))
    summary.add_row("annotators", ", ".join(f"{a} ({n})" for a, n in sorted(result.annotators.items())) or "—")
    if result.suggestions:
        summary.add_row("suggestion sets", ", ".join(f"{a} ({n})" for a, n in sorted(result.suggestions.items())))
    summary.add_row("gold sets", f"{result.gold_sets} ({result.gold_coverage:.0%} of documents)")
    summary.add_row("gold quotes by form", ", ".join(f"{f}: {n}" for f, n in sorted(result.quote_forms.items())) or "—")
    console.print(summary)

    labels = sorted(set(result.labels) | set(result.annotation_labels))
    if labels:
        table = Table(title="Spans per label")
        table.add_column("label")
        table.add_column("gold", justify="right")
        table.add_column("annotation sets", justify="right")
        for label in labels:
            table.add_row(label, str(result.labels[label]), str(result.annotation_labels[label]))
        console.print(table)

    targets = sorted(set(result.quote_stance) | set(result.document_stance))
    if targets:
        table = Table(title="Gold stance per target (quotes | documents)")
        table.add_column("target")
        for value in values:
            table.add_column(value, justify="right")
        for target in targets:
            quotes: Mapping[str, int] = result.quote_stance.get(target, {})
            docs: Mapping[str, int] = result.document_stance.get(target, {})
            table.add_row(target, *(f"{quotes.get(v, 0)} | {docs.get(v, 0)}"
                                    for v in values))
        console.print(table)

    if per_document:
        label_columns = [label for label in labels if label in result.labels]
        table = Table(title="Per document: gold spans per label")
        table.add_column("document", overflow="fold")
        table.add_column("sets", justify="right")
        for label in label_columns:
            table.add_column(label, justify="right")
        for row in per_document:
            table.add_row(row.doc_id, str(row.annotation_sets),
                          *(str(row.labels.get(label, 0)) for label in label_columns))
        console.print(table)
        stance_rows = [row for row in per_document if row.document_stance or row.quote_stance]
        if stance_rows:
            table = Table(title=f"Per document: gold stance (document; quotes {'/'.join(values)})")
            table.add_column("document", overflow="fold")
            table.add_column("target", overflow="fold")
            table.add_column("document")
            table.add_column(f"quotes {'/'.join(v[:1] for v in values)}", justify="right")
            for row in stance_rows:
                for target in sorted(set(row.document_stance) | set(row.quote_stance)):
                    quotes = row.quote_stance.get(target, {})
                    table.add_row(row.doc_id, target, row.document_stance.get(target, "—"),
                                  "/".join(str(quotes.get(v, 0)) for v in values))
            console.print(table)
