"""`newsgold import`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, as_flags, corpus_option, open_corpus, output_format_option, print_json, removed_option, set_option

SHOWN = 20
"""How many rejections the command prints before `... and N more`."""


@click.command("import", context_settings=HELP_OPTIONS)
@click.argument("path", type=click.Path(path_type=Path, exists=True))
@click.option("--format", "format_name", type=click.Choice(["label-studio", "brat"]), required=True,
              help="label-studio: a JSON export (list of tasks); brat: a folder of .txt/.ann files.")
@corpus_option
@set_option("The set to store: brat: the sets' name (their annotator id) [default: brat]; label-studio: "
            "also import each task's predictions, as sets named NAME.")
@click.option("--set-from", type=click.Choice(["folder", "filename"]), default=None,
              help="brat: name each file's set after its folder (newsgold's --annotations export) or "
              "its name ARTICLE_ANNOTATOR.ann, instead of --set.")
@removed_option("--annotator", "--set NAME", takes_value=True)
@removed_option("--annotator-from", "--set-from", takes_value=True)
@click.option("--texts", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="brat: a folder (searched recursively) holding ARTICLE.txt when it is not beside the .ann.")
@click.option("--mapping", default=None, metavar="FILE|PRESET",
              help="brat: rename labels, relations and attributes and turn events into relations "
              "(a JSON mapping file, or a preset: polnear).")
@click.option("--accept-loss", is_flag=True, help="brat: store files whose unmappable lines (notes, "
              "normalizations, unmapped events, equivalences the scheme lacks) are left out, listing each.")
@removed_option("--predictions-as", "--set NAME", takes_value=True)
@click.option("--replace", is_flag=True, help="Replace the text of documents already in the corpus.")
@click.option("--skip-invalid", is_flag=True, help="Store what is valid and write the rejected "
              "pieces, with their reasons, to a file (by default a rejection stores nothing).")
@click.option("--rejected", "rejected_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="With --skip-invalid: the file for the rejected pieces "
              "[default: CORPUS/.newsgold/rejected/import-STEM-TIME.jsonl].")
@output_format_option("json")
def import_cli(path: Path, format_name: str, corpus_dir: Path | None, set_name: str | None,
               set_from: str | None, texts: Path | None, mapping: str | None, accept_loss: bool,
               replace: bool,
               skip_invalid: bool,
               rejected_path: Path | None, output_format: str) -> None:
    """Bring documents and annotations from a Label Studio JSON export or a brat folder into the
    corpus, remapping offsets onto the normalized text. All or nothing: if any piece is
    rejected, nothing is stored (exit 1) unless --skip-invalid."""
    from newsgold.exchange.imports import import_brat, import_label_studio

    if set_name is not None and set_from is not None:
        raise click.UsageError("--set names every set, --set-from names each from its file: give one")
    corpus = open_corpus(corpus_dir)
    if format_name == "label-studio":
        _only_for("brat", set_from=set_from, texts=texts, mapping=mapping, accept_loss=accept_loss)
        report = import_label_studio(corpus, path, set_name=set_name, replace=replace, skip_invalid=skip_invalid,
                                     rejected_path=rejected_path)
    else:
        report = import_brat(corpus, path, set_name=set_name or "brat", set_from=set_from,  # type: ignore[arg-type]
                             texts=texts, mapping=mapping, accept_loss=accept_loss, replace=replace,
                             skip_invalid=skip_invalid, rejected_path=rejected_path)
    if output_format == "json":
        print_json(report, failed=not report.written)
        return
    for notice in report.skipped:
        click.echo(f"not imported: {as_flags(notice.as_text())}", err=True)
    for notice in report.lost:
        click.echo(f"not stored (--accept-loss): {notice.as_text()}", err=True)
    if not report.written:
        rejected = report.rejected
        click.echo(f"Error: nothing was imported: {len(rejected)} piece"
                   f"{'s' if len(rejected) != 1 else ''} of {path} cannot be stored; fix them, or "
                   "pass --skip-invalid to store the rest and keep these in a file", err=True)
        for line in rejected[:SHOWN]:
            click.echo(f"Rejected: {as_flags(line)}", err=True)
        if len(rejected) > SHOWN:
            click.echo(f"... and {len(rejected) - SHOWN} more", err=True)
        sys.exit(1)
    click.echo(f"documents: added {len(report.documents.added)}, unchanged {len(report.documents.unchanged)}, "
               f"replaced {len(report.documents.replaced)}; annotation sets: added {len(report.added_sets)}, "
               f"unchanged {len(report.unchanged_sets)}"
               + (f"; {sum(report.dropped.values())} spans left out by the mapping ("
                  + ", ".join(f"{label} {count}" for label, count in report.dropped.items()) + ")"
                  if report.dropped else ""))
    for notice in report.normalized:
        click.echo(f"stored other than written: {notice.as_text()}", err=True)
    if report.documents.backup_path is not None:
        click.echo(f"the texts --replace replaced are kept in {report.documents.backup_path}", err=True)
    if report.rejected_path is not None:
        click.echo(f"skipped {len(report.rejected_items)} rejected piece"
                   f"{'s' if len(report.rejected_items) != 1 else ''}: written with their reasons "
                   f"to {report.rejected_path}", err=True)


def _only_for(import_format: str, **given: object) -> None:
    """Refuse the options of the other format (they would do nothing), naming them."""
    flags = [as_flags(f"{name}=").strip() for name, value in given.items() if value not in (None, False)]
    if flags:
        raise click.UsageError(f"{', '.join(flags)}: only for --format {import_format}")
