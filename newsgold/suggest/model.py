"""A trained model of suggestions: a spaCy pipeline (NER, and a span finder with a span categorizer for
the attribution layer) trained on the corpus's gold by spaCy's own training loop, on CPU.

The training data are the `spacy` export of the gold (the same DocBins `spacy train` reads), so the
model sees what a researcher's own `spacy train` would. spaCy re-tokenizes the raw text and aligns
the gold (`gold_preproc = false`), so training and prediction cut tokens alike. The span finder
proposes the stretches that may be quotes, speakers or cues (however long: quotes run to dozens of
tokens, beyond what n-gram suggesters reach), and the span categorizer labels and scores them; the
scores go to Label Studio with the predictions.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgold._io import verify_checksums, write_checksums
from newsgold.corpus.outcomes import Report
from newsgold.corpus.outputs import check_output_folder
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.errors import UsageError
from newsgold.exchange.items import iter_items
from newsgold.formats.spacy_docbin import SpacyFormat
from newsgold.extras import require

__all__ = ["SpanModel", "TrainReport", "train_model"]

SPANCAT = "spancat"
"""The span categorizer: a sigmoid per label. On 150 templated articles it reached F1 0.31 after 5
epochs and 0.32 after 20, where the single-label variant (`spancat_singlelabel`, a softmax with a
negative class) reached 0.03 after 5: the span finder proposes the right stretches (checked), the
categorizer is what needs more data."""

MAX_SPAN_TOKENS = 64
"""The longest span the span finder proposes, in tokens. Every start may pair with every end up to
this far, so it bounds the candidates (and the memory) of a document: without a bound an untrained
finder proposes every pair, and a 600-token article alone filled 24 GB."""


@dataclass
class TrainReport(Report):
    """What `train_model` made."""

    path: Path
    documents: int
    epochs: int
    span_key: str | None
    scores: dict[str, float]
    """spaCy's own scores of the last evaluation (on the training documents when there is no other)."""


def _config(span_key: str | None, epochs: int, seed: int, train: Path, dev: Path) -> Any:
    from spacy.cli.init_config import init_config

    pipeline = ["ner", "span_finder", SPANCAT] if span_key else ["ner"]
    config = init_config(lang="en", pipeline=pipeline, optimize="efficiency", gpu=False)
    config["paths"]["train"] = str(train)
    config["paths"]["dev"] = str(dev)
    config["system"]["seed"] = seed
    training = config["training"]
    training.update({"max_epochs": epochs, "max_steps": 0, "patience": 0, "eval_frequency": 50,
                     "dropout": 0.2})
    training["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
    if span_key:
        components = config["components"]
        components["span_finder"].update({"spans_key": span_key, "max_length": MAX_SPAN_TOKENS, "threshold": 0.5})
        components[SPANCAT].update({"spans_key": span_key, "threshold": 0.4, "max_positive": 1})
        components[SPANCAT]["suggester"] = {"@misc": "spacy.preset_spans_suggester.v1",
                                              "spans_key": span_key}
        training["annotating_components"] = ["span_finder"]
        training["score_weights"] = {"ents_f": 0.5, f"spans_{span_key}_f": 0.5, "ents_p": 0.0, "ents_r": 0.0,
                                     "ents_per_type": None, f"spans_{span_key}_p": 0.0, f"spans_{span_key}_r": 0.0,
                                     f"span_finder_{span_key}_f": 0.0, f"span_finder_{span_key}_p": 0.0,
                                     f"span_finder_{span_key}_r": 0.0}
    return config


def train_model(corpus: Corpus, model_path: Path, *, leave_out: Collection[str] = (), epochs: int = 30,
                seed: int = 0) -> TrainReport:
    """Train a pipeline on the corpus's gold (without the documents in `leave_out`) and save it to `model_path`.

    UsageError when there is no gold to train on, or when `model_path` is (in) the corpus or holds files that
    are not a model. The model predicts the entity layer (NER) and, when the scheme has one, the layer
    holding quotes, speakers and cues (span categorizer). MissingExtraError without the `suggest` extra.
    """
    require("suggest")
    check_corpus(corpus)
    check_output_folder(corpus, model_path, parameter="model_path")
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train

    scheme = corpus.scheme
    roles = scheme.resolved_roles
    span_key = scheme.layer_of.get(roles.quote) if roles.quote else None
    left_out = set(leave_out)
    with tempfile.TemporaryDirectory(prefix="newsgold-train-") as tmp:
        data = Path(tmp) / "train"
        items = [item for item in iter_items(corpus, "gold") if item.document.id not in left_out]
        if not items:
            raise UsageError("no gold to train on: adjudicate first (or leave fewer documents out)")
        data.mkdir()
        SpacyFormat().write(items, data, scheme, "train")
        config = _config(span_key, epochs, seed, data, data)
        logging.getLogger("spacy").setLevel(logging.ERROR)
        nlp = init_nlp(config)
        nlp.meta["name"] = f"newsgold_{corpus.name}".replace("-", "_")
        nlp.meta["description"] = f"newsgold suggestions, trained on the gold of {corpus.name}"
        with open(Path(tmp) / "log.txt", "w") as log:  # spaCy's own progress table, not ours to print
            trained, _ = train(nlp, None, stdout=log, stderr=log)
        scores = {k: float(v) for k, v in (trained.meta.get("performance") or {}).items()
                  if isinstance(v, (int, float))}
        model_path.mkdir(parents=True, exist_ok=True)
        trained.to_disk(model_path)
        write_checksums(model_path)
    return TrainReport(model_path, len(items), epochs, span_key, scores)


class SpanModel:
    """A trained pipeline, read once, that predicts entity and attribution spans of a text."""

    def __init__(self, path: Path) -> None:
        import spacy

        if not (path / "config.cfg").is_file():
            raise UsageError(f"{path} is no trained model (no config.cfg): make one with `newsgold train`")
        verify_checksums(path, "model")  # before spaCy reads any of it
        self.nlp = spacy.load(path)
        self.path = path
        self.span_key = next((getattr(component, "cfg", {}).get("spans_key") for name, component
                              in self.nlp.pipeline if name in ("spancat", SPANCAT)), None)
        self.version = f"{path.name} {self.nlp.meta.get('version', '')}".strip()

    def predict(self, text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str, float]]]:
        """(start, end, label) of the entities, and (start, end, label, score) of the attribution spans."""
        import numpy

        doc = self.nlp(text)
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        spans: list[tuple[int, int, str, float]] = []
        if self.span_key and self.span_key in doc.spans:
            group = doc.spans[self.span_key]
            scores = group.attrs.get("scores")
            for n, span in enumerate(group):
                score = float(numpy.max(scores[n])) if scores is not None else 1.0  # the chosen label's
                spans.append((span.start_char, span.end_char, span.label_, round(score, 4)))
        return entities, spans
