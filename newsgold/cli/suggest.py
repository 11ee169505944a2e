"""`newsgold suggest`: suggestion sets for annotators to correct, or (`--evaluate`) their figures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsgold.cli._common import (HELP_OPTIONS, corpus_option, figure, open_corpus, output_format_option, print_json, removed_option, set_option,
                                  stdout_console)

if TYPE_CHECKING:
    from newsgold.suggest import SuggestionEvaluation


@click.command("suggest", context_settings=HELP_OPTIONS)
@corpus_option
@set_option("The name of the suggestion sets (what `studio push --set NAME` sends).", default="suggest")
@removed_option("--name", "--set NAME", takes_value=True)
@click.option("--doc", "doc_ids", multiple=True, help="Only these documents (repeatable; default: every "
              "document without a suggestion set).")
@click.option("--replace", is_flag=True, help="Make the suggestion sets of --set again.")
@click.option("--no-entities", is_flag=True, help="Leave out the string-matched entities.")
@click.option("--no-attribution", is_flag=True, help="Leave out the quotes, speakers and cues of the rules.")
@click.option("--model", "model_path", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Also suggest with a model made by `newsgold train` (its spans carry scores).")
@click.option("--tagger", "tagger_path", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Quotes, speakers and cues from a role tagger made by `newsgold train --tagger` instead of "
              "the rules (with --evaluate: one trained on other documents).")
@click.option("--train-epochs", type=click.IntRange(min=1), help="With --evaluate: also suggest with a model "
              "trained for this many epochs without the scored document, one per gold document (slow).")
@click.option("--evaluate", is_flag=True, help="Write nothing: score the suggestions against gold "
              "(each document left out of the lexicon that suggests it) and print the figures.")
@output_format_option("json")
@removed_option("--json", "--output-format json")
def suggest_cli(corpus_dir: Path | None, set_name: str, doc_ids: tuple[str, ...], replace: bool, no_entities: bool,
                no_attribution: bool, model_path: Path | None, tagger_path: Path | None, train_epochs: int | None,
                evaluate: bool, output_format: str) -> None:
    """Pre-annotate documents: entities by string matching against what the corpus's gold and
    annotations already label, quotes with their speaker and cue by rules. The sets are valid
    under the scheme, marked as suggestions (agreement and adjudication leave them out), and
    reach Label Studio as predictions with `studio push --set NAME`."""
    from newsgold.suggest import Suggester, evaluate_suggestions, suggest
    import orjson

    corpus = open_corpus(corpus_dir)
    suggester = Suggester(entities=not no_entities, attribution=not no_attribution)
    if evaluate:
        if model_path is not None:
            raise click.UsageError("--evaluate scores a model trained without each scored document: use "
                                   "--train-epochs N instead of --model")
        figures = evaluate_suggestions(corpus, suggester, train_epochs=train_epochs, tagger_path=tagger_path)
        if output_format == "json":
            click.echo(orjson.dumps(figures.as_dict(), option=orjson.OPT_INDENT_2).decode())
        else:
            _print(figures)
        return
    report = suggest(corpus, set_name=set_name, doc_ids=list(doc_ids) or None, replace=replace, suggester=suggester,
                     model_path=model_path, tagger_path=tagger_path)
    if output_format == "json":
        print_json(report)
        return
    click.echo(f"suggested {report.spans} spans and {report.relations} relations in {len(report.written)} "
               f"documents (sets of {set_name!r})" + (f"; {len(report.skipped)} documents already had one "
                                                  "(--replace makes them again)" if report.skipped else "")
               + (f"; {len(report.unchanged)} made again came out the same (unchanged)" if report.unchanged else ""))
    for line in report.dropped:
        click.echo(f"Left out: {line}", err=True)


def _print(figures: SuggestionEvaluation) -> None:
    from rich.table import Table

    data = figures.as_dict()
    console = stdout_console()
    table = Table(title=f"Suggestions against gold ({data['documents']} documents, each left out of its lexicon)")
    for column in ("label", "gold", "suggested", "exact P", "exact R", "exact F1", "overlap F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in data["labels"].items():
        exact, overlap = row["exact"], row["overlap"]
        table.add_row(label, str(row["gold"]), str(row["suggested"]),
                      *(figure(exact[k]) for k in ("precision", "recall", "f1")), figure(overlap["f1"]))
    console.print(table)
    effort = data["effort"]
    console.print(f"attribution accuracy {figure(data['attribution_accuracy'])} "
                  f"({data['attributed_quotes']} gold quotes with a speaker)")
    console.print(f"effort: {effort['operations']} operations with suggestions, {effort['operations_from_scratch']} "
                  f"from an empty page (ratio {figure(effort['ratio'])}): "
                  + ", ".join(f"{k} {v}" for k, v in effort["with_suggestions"].items()))
    unused = [f"{kind} {', '.join(names)}" for kind, names in effort["not_charged"].items() if names]
    if unused:
        console.print("not charged (the gold never annotates them): " + "; ".join(unused))
    console.print(f"{figure(data['ms_per_document'])} ms per document")
