"""`newsgold init --corpus DIR`."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_argument, output_format_option, print_json



@click.command("init", context_settings=HELP_OPTIONS)
@corpus_argument
@click.option("--name", help="Corpus name [default: the folder name].")
@click.option("--scheme", "scheme_file", metavar="FILE|PRESET",
              help="A scheme JSON file, a brat annotation.conf, or a preset (news, the default; polnear: "
              "for PolNeAR imported with --mapping polnear) instead of the default news scheme.")
@click.option("--claims", "claims_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="The claims annotators take a stance toward: `id: the claim` lines, or a JSON list of "
                   "{id, claim} [default: none; a new corpus has no claims of its own].")
@output_format_option("json")
def init_cli(corpus_dir: Path | None, name: str | None, scheme_file: str | None, claims_file: Path | None,
             output_format: str) -> None:
    """Create an empty corpus in --corpus DIR with the default scheme (or --scheme FILE)."""
    from newsgold.schemas.scheme import default_scheme
    from newsgold.corpus.store import init_corpus
    from newsgold.formats.scheme_files import load_claims, load_scheme, with_claims

    if corpus_dir is None:
        raise click.UsageError("name the folder to create: newsgold init --corpus DIR")
    directory = corpus_dir
    scheme = load_scheme(scheme_file) if scheme_file is not None else None
    if claims_file is not None:
        scheme = with_claims(scheme or default_scheme(), load_claims(claims_file))
    corpus = init_corpus(directory, name=name, scheme=scheme)
    if output_format == "json":
        print_json({"corpus": str(directory), "name": corpus.name, "scheme": corpus.scheme.name,
                    "labels": [label.name for layer in corpus.scheme.layers for label in layer.labels],
                    "claims": [target.id for target in corpus.scheme.stance.targets] if corpus.scheme.stance else []})
        return
    click.echo(f"Created corpus {corpus.name!r} in {directory}; add articles with "
               f"`newsgold ingest FILES --corpus {directory}`")
