"""`newsgold show DOC_ID`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus, output_format_option, print_json, removed_option, set_option, stdout_console
from newsgold.errors import UsageError

if TYPE_CHECKING:
    from newsgold.schemas.annotation import AnnotationSet, GoldSet


@click.command("show", context_settings=HELP_OPTIONS)
@click.argument("doc_id")
@corpus_option
@set_option("Show this set (an annotator's, or suggestions: --set suggest) instead of the gold.")
@removed_option("--annotator", "--set NAME", takes_value=True)
@output_format_option("json")
def show_cli(doc_id: str, corpus_dir: Path | None, set_name: str | None, output_format: str) -> None:
    """Print a document with its spans highlighted and its quotes linked to their speakers."""
    from newsgold.cli.render import render_document

    annotator = set_name
    corpus = open_corpus(corpus_dir)
    document = corpus.get_document(doc_id)
    annotations: AnnotationSet | GoldSet | None
    sets = [s for s in corpus.iter_annotation_sets() if s.doc_id == doc_id]
    if annotator:
        found = [s for s in sets if s.annotator == annotator]
        if not found:
            raise UsageError(f"no annotation set of {annotator!r} for {doc_id}")
        annotations, label, comments = found[0], annotator, found[0].comments or []
    else:  # the gold, with what every annotator said about the document
        annotations, label = next((g for g in corpus.iter_gold() if g.doc_id == doc_id), None), "gold"
        comments = [c for s in sets for c in s.comments or []]
    if output_format == "json":
        print_json({"document": document, "set": label, "annotations": annotations, "comments": comments})
        return
    stdout_console().print(render_document(document, annotations, corpus.scheme, title=label, comments=comments))
