"""PolNeAR (github networkdynamics/PolNeAR) as a newsgold corpus with gold, for measuring suggestions.

PolNeAR has no licence file, so none of its text is committed here: clone it and point the benches
at the clone. Its `train` split is for developing, `dev` for measuring; `test` is held out (as its
README asks) and refused here, so that no figure can be tuned on it.

A split's articles are imported through `import_brat` with the `polnear` mapping into a corpus of
the `polnear` scheme preset (Content -> QUOTE, Source -> SPEAKER, Cue -> CUE, each attribution event
-> `attributed_to` and `cued_by`). Files the scheme cannot hold are left out and counted (a span that
crosses another in its layer, a repeated span); lines the mapping does not store are counted as
lost. The gold of an article is the set of its annotator (most articles have one; for the few with
several, the first by annotator id), with each span's ends moved to newsgold's boundary rules by
`conform_span`: PolNeAR's Content keeps its quotation marks, its `that` and its final period, which
newsgold's guidelines leave out, and without that every direct quote would be a boundary miss.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from newsgold.corpus import Corpus, init_corpus, put_gold
from newsgold.corpus.boundaries import conform_span
from newsgold.errors import UsageError
from newsgold.exchange import import_brat
from newsgold.formats.scheme_files import scheme_preset
from newsgold.schemas import GoldSet

SPLITS = ("train", "dev")
"""The splits a measurement may read. PolNeAR's `test` split is held out."""


@dataclass
class PolnearCorpus:
    """A split of PolNeAR in a newsgold corpus, and what did not come in."""

    corpus: Corpus
    articles: int
    sets: int
    files_left_out: list[str] = field(default_factory=list)
    lines_lost: int = 0
    spans_conformed: int = 0
    spans_dropped: int = 0
    several_annotators: int = 0


def polnear_corpus(polnear: Path, split: str, into: Path) -> PolnearCorpus:
    """Import the `split` of the PolNeAR clone at `polnear` into a new corpus at `into` (replaced if
    there), with gold as the module docstring says. Raises UsageError for the test split or a
    folder that is not a PolNeAR clone."""
    if split not in SPLITS:
        raise UsageError(f"split={split!r}: PolNeAR's test split is held out; measure on dev (develop on train)"
                         if split == "test" else f"split={split!r} is not one of: {', '.join(SPLITS)}")
    texts, attributions = polnear / "data" / split / "text", polnear / "data" / split / "attributions"
    if not texts.is_dir() or not attributions.is_dir():
        raise UsageError(f"{polnear} has no data/{split}/text and data/{split}/attributions: pass a clone of "
                         "github.com/networkdynamics/PolNeAR")
    shutil.rmtree(into, ignore_errors=True)
    corpus = init_corpus(into, name=f"polnear-{split}", scheme=scheme_preset("polnear"))
    report = import_brat(corpus, attributions, set_from="filename", texts=texts, mapping="polnear",
                         accept_loss=True, skip_invalid=True, rejected_path=into.parent / f"{into.name}-rejected.jsonl")
    corpus = Corpus.open(into)
    result = PolnearCorpus(corpus, articles=0, sets=len(report.added_sets), files_left_out=report.rejected,
                           lines_lost=len(report.lost))
    chosen: dict[str, list[str]] = {}
    for annotation_set in corpus.iter_annotation_sets():
        chosen.setdefault(annotation_set.doc_id, []).append(annotation_set.annotator)
    texts_by_id = {document.id: document.text for document in corpus.iter_documents()}
    gold = []
    for annotation_set in corpus.iter_annotation_sets():
        annotators = sorted(chosen[annotation_set.doc_id])
        if annotation_set.annotator != annotators[0]:
            continue
        result.several_annotators += len(annotators) > 1
        text = texts_by_id[annotation_set.doc_id]
        spans, kept = [], set()
        for span in annotation_set.spans:
            conformed = conform_span(span, text, corpus.scheme)
            if conformed is None:
                result.spans_dropped += 1
                continue
            result.spans_conformed += conformed is not span
            spans.append(conformed)
            kept.add(span.id)
        relations = [r for r in annotation_set.relations if r.from_ in kept and r.to in kept]
        gold.append(GoldSet(doc_id=annotation_set.doc_id, doc_sha256=annotation_set.doc_sha256, spans=spans,
                            relations=relations, provenance={
                                "method": "import", "annotators": [annotation_set.annotator],
                                "note": f"PolNeAR {split}, annotator {annotation_set.annotator}; span ends "
                                        "conformed to newsgold's boundary rules (bench/polnear.py)"}))
    put_gold(corpus, gold)
    result.articles = len(gold)
    result.corpus = Corpus.open(into)
    return result
