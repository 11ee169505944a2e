"""`newsgold train`: a spaCy pipeline of suggestions, trained on the corpus's gold."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus, output_format_option, print_json, removed_option


@click.command("train", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--model", "model_path", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Train the spaCy pipeline into this folder (what `suggest --model` reads).")
@click.option("--tagger", "tagger_path", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Train the role tagger into this folder instead (a CRF that tags quotes, speakers and "
              "cues token by token; seconds on CPU): what `suggest --tagger` reads.")
@click.option("--epochs", type=click.IntRange(min=1), default=30, show_default=True,
              help="--model: passes over the gold.")
@click.option("--seed", type=int, default=0, show_default=True, help="--model: random seed of the training.")
@click.option("--leave-out", "leave_out", multiple=True, help="Documents to leave out of the training "
              "(repeatable): to score the model on them afterwards.")
@removed_option("--out", "--model DIR (or --tagger DIR)", takes_value=True)
@output_format_option("json")
def train_cli(corpus_dir: Path | None, model_path: Path | None, tagger_path: Path | None, epochs: int, seed: int,
              leave_out: tuple[str, ...], output_format: str) -> None:
    """Train suggestions on the gold, on CPU: with --model DIR, a spaCy pipeline (spaCy's own
    training: NER for the entity layer, a span finder with a span categorizer for quotes, speakers
    and cues), which `suggest --model DIR` uses beside the string matcher and the rules; with
    --tagger DIR, the role tagger, which `suggest --tagger DIR` uses (docs/suggest.md has both
    measured on PolNeAR)."""
    from newsgold.suggest.tagger import train_corpus_tagger
    from newsgold.suggest.model import train_model

    if (model_path is None) == (tagger_path is None):
        raise click.UsageError("name what to train and where: --model DIR (the spaCy pipeline) or "
                               "--tagger DIR (the role tagger)")
    if tagger_path is not None:
        tagged = train_corpus_tagger(open_corpus(corpus_dir), tagger_path, leave_out=leave_out)
        if output_format == "json":
            print_json(tagged)
            return
        click.echo(f"trained the role tagger on {tagged.documents} gold documents ({tagged.tokens} tokens): "
                   f"{tagged.folder}")
        return
    assert model_path is not None
    report = train_model(open_corpus(corpus_dir), model_path, leave_out=leave_out, epochs=epochs, seed=seed)
    if output_format == "json":
        print_json(report)
        return
    shown = ", ".join(f"{k} {v:.3f}" for k, v in sorted(report.scores.items()) if k.endswith("_f"))
    click.echo(f"trained on {report.documents} gold documents for {report.epochs} epochs: {report.path}"
               + (f" (on the training documents: {shown})" if shown else ""))
