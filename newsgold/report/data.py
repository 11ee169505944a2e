"""What the report shows, gathered from the library's own results in streaming passes.

The figures are the dictionaries `stats` and `agreement` give (`CorpusStats.as_dict`,
`AgreementReport.as_dict`): the page draws them and embeds them as JSON, so the report says what
`newsgold stats --json` and `newsgold agreement --json` say, never a second count. What those do not
hold (sources and dates, sets per document, each annotator's spans on a disputed document, the
stored suggestions scored against gold) is gathered here, keeping counters, never the corpus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgold.corpus.review_file import iter_review_items, review_path
from newsgold.corpus.stats import stats
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.curation.agreement import agreement
from newsgold.formats.labelstudio.state import load_state, stored_conflict
from newsgold.schemas.annotation import Span
from newsgold.suggest.evaluate import score_suggestion_sets

__all__ = ["Dispute", "ReportData", "gather"]

DISPUTES = 5
"""How many of the most disputed documents the report shows in full."""


@dataclass
class Dispute:
    """One disputed document: its text and each annotator's spans, by pseudonym."""

    doc_id: str
    title: str | None
    disagreement: float
    text: str
    spans: dict[str, list[Span]]
    gold: str | None = None
    """How its gold was made (`provenance.method`: majority, manual, review, ...), None without gold."""


@dataclass
class ReportData:
    """Everything the page shows."""

    name: str
    stats: dict[str, Any]
    agreement: dict[str, Any]
    sources: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    sets_per_document: Counter[int] = field(default_factory=Counter)
    """How many documents have 0, 1, 2, ... annotators' sets."""
    documents_per_annotator: Counter[str] = field(default_factory=Counter)
    drafts_per_annotator: Counter[str] = field(default_factory=Counter)
    disputes: list[Dispute] = field(default_factory=list)
    suggestions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per suggestion set name: its sets scored against gold (`score_suggestion_sets`)."""
    label_colours: dict[str, str] = field(default_factory=dict)
    layers: dict[str, list[str]] = field(default_factory=dict)
    """The scheme's layers and their labels, in the scheme's order."""
    conflicts: list[str] = field(default_factory=list)
    """What the last pulls could not store without losing a local edit (`studio status`)."""
    review: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The undecided items of `review.jsonl` (the last `adjudicate`) of the documents shown."""
    review_items: int = 0
    review_documents: int = 0
    review_unreadable: list[str] = field(default_factory=list)
    review_found: bool = False
    """Whether `review.jsonl` exists (an empty one: the last adjudicate left nothing undecided)."""


def gather(corpus: Corpus, *, disputes: int = DISPUTES) -> ReportData:
    """The report's data for `corpus` (see the module docstring)."""
    check_corpus(corpus)
    figures = stats(corpus)
    agreed = agreement(corpus)
    data = ReportData(name=corpus.name, stats=figures.as_dict(), agreement=agreed.as_dict(),
                      label_colours={name: label.color for name, label in corpus.scheme.labels.items()
                                     if label.color},
                      layers={layer.name: [label.name for label in layer.labels] for layer in corpus.scheme.layers})
    for document in corpus.iter_documents():
        data.sources[document.meta.source or "(no source)"] += 1
        data.months[(document.meta.published or "")[:7] or "(no date)"] += 1
    per_document: Counter[str] = Counter()
    for annotation_set in corpus.iter_annotation_sets():
        if annotation_set.is_suggestion:
            continue
        per_document[annotation_set.doc_id] += 1
        data.documents_per_annotator[annotation_set.annotator] += 1
        if annotation_set.status == "draft":
            data.drafts_per_annotator[annotation_set.annotator] += 1
    data.sets_per_document = Counter(per_document.values())
    data.sets_per_document[0] = figures.documents - len(per_document)
    # a document all its annotators agree on is no dispute
    wanted = {doc_id: score for doc_id, score in agreed.disagreement if score > 0}
    wanted = dict(list(wanted.items())[:disputes])
    if wanted:
        spans: dict[str, dict[str, list[Span]]] = {doc_id: {} for doc_id in wanted}
        for annotation_set in corpus.iter_annotation_sets():
            if annotation_set.doc_id in wanted and not annotation_set.is_suggestion:
                spans[annotation_set.doc_id][annotation_set.annotator] = list(annotation_set.spans)
        gold = {g.doc_id: g.provenance.method for g in corpus.iter_gold() if g.doc_id in wanted}
        index = corpus.document_index()
        for doc_id, score in wanted.items():
            document = index.read_document(doc_id)
            data.disputes.append(Dispute(doc_id, document.meta.title, score, document.text,
                                         dict(sorted(spans[doc_id].items())), gold.get(doc_id)))
    state = load_state(corpus.state_dir)
    data.conflicts = [stored_conflict(c).as_text() for project in state.projects.values() for c in project.conflicts]
    _read_review(review_path(corpus), {d.doc_id for d in data.disputes}, data)
    for name in sorted(figures.suggestions):
        data.suggestions[name] = score_suggestion_sets(corpus, name).as_dict()
    return data


def _read_review(path: Path, shown: set[str], data: ReportData) -> None:
    """Count the items of `review.jsonl` and keep those of the documents shown; a line that is not
    a review item is named in `review_unreadable`, never skipped in silence."""
    if not path.is_file():
        return
    data.review_found = True
    documents = set()
    for number, item in iter_review_items(path):
        if item is None:
            data.review_unreadable.append(f"{path.name}:{number}")
            continue
        data.review_items += 1
        documents.add(item["doc_id"])
        if item["doc_id"] in shown:
            data.review.setdefault(item["doc_id"], []).append(item)
    data.review_documents = len(documents)
