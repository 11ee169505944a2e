"""Training the role tagger: the CRF learnt from gold, written with its settings and checksums."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsgold._io import write_checksums
from newsgold.corpus.outcomes import Report
from newsgold.corpus.outputs import check_output_folder
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.errors import UsageError
from newsgold.extras import require
from newsgold.schemas.annotation import Span
from newsgold.schemas.document import Document
from newsgold.suggest.tagger.features import (FEATURES, META_FILE, MODEL_FILE, ROLE_ORDER, _featured_sentences,
                                              learned_cues, role_tags, tagger_for)
from newsgold.suggest.tagger.linking import sentence_joins


L1, L2 = 1.6, 0.05
"""The CRF's L1 and L2 regularization (CRFsuite's c1, c2), chosen by the effort ratio on 100 PolNeAR
train articles the tagger had not learned from, trained on 300 others: c1 0.1 and c2 0.01
(CRFsuite's example values, taken first) 0.759; c1 0.2: 0.752, 0.748 with c2 0.05; 0.4: 0.751, 0.742
with c2 0.1; 0.8 (c2 0.05): 0.737; 1.2: 0.721; 1.6: 0.720, **0.718** with c2 0.05; 3.2: 0.723; 6.4:
0.731. 200 iterations instead of 100 did worse (0.729). Strong L1 keeps the features that generalize
from a few hundred articles; trained on 30 it also helps (0.821 -> 0.803)."""


@dataclass
class TaggerReport(Report):
    """What `train_tagger` learned from."""

    documents: int
    tokens: int
    folder: Path


def train_tagger(examples: Iterable[tuple[Document, Sequence[Span]]], out: Path, *,
                 max_iterations: int = 100) -> TaggerReport:
    """Train the role tagger on (document, gold spans) pairs and write it to the folder `out`
    (created; its model file replaced). Spans of labels outside ROLE_ORDER are ignored. Raises
    UsageError when no example has a role span."""
    import pycrfsuite  # imported here: only training and tagging need it

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({"c1": L1, "c2": L2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    documents = tokens = with_roles = 0
    joins = Counter[str]()
    examples = [(document, [s for s in spans if s.label in ROLE_ORDER]) for document, spans in examples]
    cues = learned_cues(examples)
    for document, spans in examples:
        documents += 1
        with_roles += bool(spans)
        extents = []
        for _, sentence, features in _featured_sentences(document.text, spans, cues=cues):
            trainer.append(features, role_tags(sentence, spans))
            tokens += len(sentence)
            extents.append((sentence[0].start, sentence[-1].end))
        joins.update(sentence_joins(document.text, extents, spans))
    if not with_roles:
        raise UsageError("no gold span of QUOTE, SPEAKER or CUE to learn from: add gold first")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out / MODEL_FILE))
    (out / META_FILE).write_text(json.dumps({"documents": documents, "tokens": tokens, "roles": list(ROLE_ORDER),
                                             "features": FEATURES, "sentence_joins": dict(sorted(joins.items())),
                                             "cue_words": sorted(cues)},
                                            indent=2) + "\n")
    write_checksums(out)
    return TaggerReport(documents=documents, tokens=tokens, folder=out)


def train_corpus_tagger(corpus: Corpus, tagger_path: Path, *, leave_out: Iterable[str] = (),
                        max_iterations: int = 100) -> TaggerReport:
    """Train the role tagger on the gold of `corpus` (but the documents in `leave_out`, to score it
    on them afterwards) and write it to `tagger_path`: what `suggest(tagger_path=tagger_path)` reads. Raises
    UsageError when the scheme does not name QUOTE, SPEAKER and CUE roles or no gold has them;
    MissingExtraError without the `suggest` extra."""
    require("suggest")
    check_corpus(corpus)
    check_output_folder(corpus, tagger_path, parameter="tagger_path", kind="tagger")
    if not tagger_for(corpus.scheme):
        raise UsageError("the role tagger tags QUOTE, SPEAKER and CUE, which this corpus's scheme does not name "
                         "as its quote, speaker and cue roles")
    left_out = set(leave_out)
    index = corpus.document_index()
    examples = ((index.read_document(gold.doc_id), gold.spans) for gold in corpus.iter_gold()
                if gold.doc_id not in left_out and gold.doc_id in index)
    return train_tagger(examples, tagger_path, max_iterations=max_iterations)
