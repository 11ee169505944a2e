"""`newsgold train`: a spaCy pipeline of suggestions, trained on the corpus's gold."""

from __future__ import annotations

from pathlib import Path

import click

from newsgold.cli._common import HELP_OPTIONS, corpus_option, open_corpus
from newsgold.suggest.model import train_model
from newsgold.suggest.tagger import train_corpus_tagger


@click.command("train", context_settings=HELP_OPTIONS)
@corpus_option
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to save the model in (what `suggest --model` reads).")
@click.option("--epochs", type=click.IntRange(min=1), default=30, show_default=True,
              help="Passes over the gold.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the training.")
@click.option("--leave-out", "leave_out", multiple=True, help="Documents to leave out of the training "
              "(repeatable): to score the model on them afterwards.")
@click.option("--tagger", "role_tagger", is_flag=True, help="Train the role tagger instead (a CRF that tags "
              "quotes, speakers and cues token by token; seconds on CPU): what `suggest --tagger OUT` reads.")
def train_cli(corpus_dir: Path | None, out: Path, epochs: int, seed: int, leave_out: tuple[str, ...],
              role_tagger: bool) -> None:
    """Train a suggestion model on the gold with spaCy's own training, on CPU: NER for the entity
    layer, and a span finder with a span categorizer for quotes, speakers and cues. `suggest
    --model OUT` uses it beside the string matcher and the rules; its spans carry scores. With
    --tagger, train the role tagger (docs/suggest.md has both measured on PolNeAR)."""
    if role_tagger:
        tagged = train_corpus_tagger(open_corpus(corpus_dir), out, leave_out=leave_out)
        click.echo(f"trained the role tagger on {tagged.documents} gold documents ({tagged.tokens} tokens): "
                   f"{tagged.folder}")
        return
    report = train_model(open_corpus(corpus_dir), out, leave_out=leave_out, epochs=epochs, seed=seed)
    shown = ", ".join(f"{k} {v:.3f}" for k, v in sorted(report.scores.items()) if k.endswith("_f"))
    click.echo(f"trained on {report.documents} gold documents for {report.epochs} epochs: {report.path}"
               + (f" (on the training documents: {shown})" if shown else ""))
