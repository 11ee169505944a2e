"""`stats`: counts of documents, sets, annotators, labels, quote forms and stances, per document too.

Both stream: `stats` keeps counters by label, annotator and target (not by document), and
`iter_document_stats` yields one row per document from a small index of where each document's sets
are, so memory does not grow with the corpus beyond that index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.outcomes import Report
from newsgold.schemas.annotation import _SetContent

__all__ = ["CorpusStats", "DocumentStats", "iter_document_stats", "stats"]


@dataclass
class DocumentStats:
    """Counts for one document, taken from its gold set if it has one."""

    doc_id: str
    title: str | None
    characters: int
    annotation_sets: int = 0
    has_gold: bool = False
    labels: Counter[str] = field(default_factory=Counter)
    quote_forms: Counter[str] = field(default_factory=Counter)
    quote_stance: dict[str, Counter[str]] = field(default_factory=dict)
    document_stance: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready row, keys sorted where order carries no meaning."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "characters": self.characters,
            "annotation_sets": self.annotation_sets,
            "gold": self.has_gold,
            "labels": dict(sorted(self.labels.items())),
            "quote_forms": dict(sorted(self.quote_forms.items())),
            "quote_stance": {t: dict(sorted(c.items())) for t, c in sorted(self.quote_stance.items())},
            "document_stance": dict(sorted(self.document_stance.items())),
        }


@dataclass
class CorpusStats(Report):
    """Counts over a whole corpus. Label, form and stance counts are over gold sets."""

    name: str
    documents: int = 0
    characters: int = 0
    annotation_sets: int = 0
    gold_sets: int = 0
    annotators: Counter[str] = field(default_factory=Counter)
    """Sets per annotator (suggestion sets are not an annotator's: see `suggestions`)."""
    suggestions: Counter[str] = field(default_factory=Counter)
    """Suggestion sets (`newsgold suggest`) per set name."""
    labels: Counter[str] = field(default_factory=Counter)
    annotation_labels: Counter[str] = field(default_factory=Counter)
    quote_forms: Counter[str] = field(default_factory=Counter)
    quote_stance: dict[str, Counter[str]] = field(default_factory=dict)
    document_stance: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def gold_coverage(self) -> float:
        """Share of documents that have a gold set."""
        return self.gold_sets / self.documents if self.documents else 0.0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view, keys sorted where order carries no meaning (the rows of
        `iter_document_stats` are not in it: `DocumentStats.as_dict` gives each)."""
        return {
            "ok": self.ok,
            "name": self.name,
            "documents": self.documents,
            "characters": self.characters,
            "annotation_sets": self.annotation_sets,
            "gold_sets": self.gold_sets,
            "gold_coverage": round(self.gold_coverage, 4),
            "annotators": dict(sorted(self.annotators.items())),
            "suggestion_sets": dict(sorted(self.suggestions.items())),
            "gold_labels": dict(sorted(self.labels.items())),
            "annotation_labels": dict(sorted(self.annotation_labels.items())),
            "quote_forms": dict(sorted(self.quote_forms.items())),
            "quote_stance": {t: dict(sorted(c.items())) for t, c in sorted(self.quote_stance.items())},
            "document_stance": {t: dict(sorted(c.items())) for t, c in sorted(self.document_stance.items())},
        }


def _count_gold(content: _SetContent, labels: Counter[str], forms: Counter[str],
                stance: dict[str, Counter[str]], quote: str | None, form: str | None) -> None:
    for span in content.spans:
        labels[span.label] += 1
        if quote is not None and span.label == quote and form is not None and form in span.attrs:
            forms[span.attrs[form]] += 1
        for target, value in span.stance.items():
            stance.setdefault(target, Counter())[value] += 1


def stats(corpus: Corpus) -> CorpusStats:
    """Count what `corpus` holds in one streaming pass over each file (for one row per document,
    `iter_document_stats`)."""
    check_corpus(corpus)
    result = CorpusStats(name=corpus.name)
    for document in corpus.iter_documents():
        result.documents += 1
        result.characters += len(document.text)
    for annotation_set in corpus.iter_annotation_sets():
        result.annotation_sets += 1
        if annotation_set.is_suggestion:
            result.suggestions[annotation_set.annotator] += 1
        else:
            result.annotators[annotation_set.annotator] += 1
            for span in annotation_set.spans:
                result.annotation_labels[span.label] += 1
    roles = corpus.scheme.resolved_roles
    for gold in corpus.iter_gold():
        result.gold_sets += 1
        _count_gold(gold, result.labels, result.quote_forms, result.quote_stance, roles.quote, roles.form)
        for target, value in gold.stance.items():
            result.document_stance.setdefault(target, Counter())[value] += 1
    return result


def iter_document_stats(corpus: Corpus) -> Iterator[DocumentStats]:
    """Yield one row per document, in the corpus's order: its annotation sets, and the counts of
    its gold set if it has one. Streams the documents; holds only the number of sets and the byte
    offsets of the gold line of each document (no records)."""
    check_corpus(corpus)  # now, not at the first row
    return _document_rows(corpus)


def _document_rows(corpus: Corpus) -> Iterator[DocumentStats]:
    sets_per_document = {doc_id: len(positions) for doc_id, positions in corpus.offsets("annotations").items()}
    gold_at = corpus.offsets("gold")
    roles = corpus.scheme.resolved_roles
    with corpus.reader("gold") as read_gold:
        for document in corpus.iter_documents():
            row = DocumentStats(document.id, document.meta.title, len(document.text),
                                sets_per_document.get(document.id, 0))
            positions = gold_at.get(document.id)
            if positions:
                for gold in read_gold(positions):
                    row.has_gold = True
                    _count_gold(gold, row.labels, row.quote_forms, row.quote_stance, roles.quote, roles.form)
                    row.document_stance = dict(gold.stance)
            yield row
