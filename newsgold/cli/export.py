"""`newsgold export`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, jobs_option, open_corpus, output_format_option, print_json, removed_option
from newsgold.cli.conventions import EXPORT_FORMATS

if TYPE_CHECKING:
    from newsgold.exchange.items import Source


@click.command("export", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--format", "format_name", type=click.Choice([*EXPORT_FORMATS, "all"]), required=True,
              help="Export format; `all` writes every format into OUT/FORMAT.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Folder to write: missing, empty or an earlier export (replaced as a whole once "
              "the export is complete).")
@click.option("--split", default=None, help="Assign documents to splits by a hash of their id, "
              "e.g. train=0.8,dev=0.1,test=0.1.")
@click.option("--annotations", is_flag=True, help="Export the raw annotation sets instead of gold.")
@click.option("--replace", is_flag=True, help="Replace an --out folder that holds files no export "
              "wrote, keeping it beside as OUT.replaced-TIME (never the corpus, a folder around it or "
              "inside it, or a corpus).")
@removed_option("--force", "--replace")
@click.option("--skip-stale", is_flag=True, help="Leave out sets made on a text that has changed "
              "since (by default they stop the export with NG207).")
@jobs_option
@output_format_option("json")
def export_cli(corpus_dir: Path | None, format_name: str, out: Path, split: str | None,
               annotations: bool, replace: bool, skip_stale: bool, jobs: int | None, output_format: str) -> None:
    """Export the gold (or raw sets) as jsonl, quotes, stance, ner-conll, ner-hf, spacy, brat or
    label-studio, with a manifest.json of hashes and counts. Exporting twice gives identical files."""
    from newsgold.exchange.export import export, export_all, skipped_formats
    from newsgold.exchange.manifest import manifest_summary

    corpus = open_corpus(corpus_dir)
    source: Source = "annotations" if annotations else "gold"
    if format_name == "all":
        manifests = export_all(corpus, out, split=split, source=source, jobs=jobs, replace=replace,
                               skip_stale=skip_stale)
    else:
        manifests = {format_name: export(corpus, format_name, out, split=split, source=source,
                                         jobs=jobs, replace=replace, skip_stale=skip_stale)}
    if output_format == "json":
        print_json({name: {**manifest.model_dump(mode="json"), "replaced_folder": manifest.replaced_folder}
                    for name, manifest in manifests.items()})
        return
    for manifest in manifests.values():
        click.echo(manifest_summary(manifest))
        if manifest.replaced_folder is not None:
            click.echo(f"the folder --replace took the place of is kept in {manifest.replaced_folder}", err=True)
    if format_name == "all":
        for name, why in skipped_formats(corpus.scheme).items():
            click.echo(f"skipped {name}: {why}")
