"""`newsgold agreement`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import (HELP_OPTIONS, corpus_option, echo_draft_sets, echo_stale_sets, figure, open_corpus,
                                  output_format_option, removed_option, stdout_console)

if TYPE_CHECKING:
    from newsgold.curation.agreement import AgreementReport


@click.command("agreement", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--set", "set_names", multiple=True, metavar="NAME",
              help="Only the sets of these annotators (repeatable).")
@removed_option("--annotator", "--set NAME", takes_value=True)
@output_format_option("json")
@removed_option("--json", "--output-format json")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the most disputed documents to list.")
def agreement_cli(corpus_dir: Path | None, set_names: tuple[str, ...], output_format: str, top: int) -> None:
    """Inter-annotator agreement: span P/R/F1 (exact and overlap), kappa and alpha on form and
    stance, attribution agreement, and the documents with the most disagreement."""
    from newsgold.curation.agreement import agreement
    import orjson

    report = agreement(open_corpus(corpus_dir), list(set_names) or None)
    echo_stale_sets(report.stale_sets)
    echo_draft_sets(report.draft_sets)
    if output_format == "json":
        click.echo(orjson.dumps(report.as_dict(top), option=orjson.OPT_INDENT_2).decode())
        return
    _print(report, top)


def _print(report: AgreementReport, top: int) -> None:
    from rich.table import Table

    console = stdout_console()
    console.print(f"{len(report.annotators)} annotators, {report.documents} documents annotated by two or more")
    for pair in report.pairs:
        data = pair.as_dict()
        table = Table(title=f"{pair.first} vs {pair.second} ({pair.documents} documents)")
        for column in ("label", "exact F1", "overlap F1", "precision", "recall"):
            table.add_column(column, justify="right" if column != "label" else "left")
        for label, exact in data["spans"]["exact"].items():
            overlap = data["spans"]["overlap"][label]
            table.add_row(label, figure(exact["f1"]), figure(overlap["f1"]), figure(exact["precision"]),
                          figure(exact["recall"]))
        console.print(table)
        console.print(f"  form kappa {figure(data['form']['kappa'])} ({data['form']['items']} quotes), "
                      f"stance kappa {figure(data['stance']['kappa'])} ({data['stance']['items']}), "
                      f"document stance kappa {figure(data['document_stance']['kappa'])}, "
                      f"same speaker {figure(data['attribution']['agreement'])} "
                      f"({data['attribution']['linked_quotes']} matched quotes with a speaker, "
                      f"{data['attribution']['both_unlinked']} with none)")
    console.print("Krippendorff's alpha: " + ", ".join(f"{k} {figure(v)}" for k, v in report.alpha.items()))
    if report.disagreement:
        console.print("Most disputed (mean of span, form, stance and attribution disagreement; "
                      "docs/agreement.md): " + ", ".join(
            f"{doc} {score:.2f}" for doc, score in report.disagreement[:top]))
