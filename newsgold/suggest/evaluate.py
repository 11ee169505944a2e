"""How good the suggestions are: scored against gold, with each document's suggestions made without it.

For every document with gold, the string matcher's lexicon leaves out that document's own mentions
(leave-one-document-out; the rules read nothing from the corpus), so no figure rewards remembering
the answer. The figures:

- **per label**: precision, recall and F1 of the suggested spans, exact (same start, end, label)
  and overlap (one-to-one by largest overlap, same label), as `newsgold agreement` matches spans;
- **attribution accuracy**: of the gold quotes with a speaker, the share whose suggested quote
  (overlapping it) is attributed to the same entity: the speakers, or the entities they refer to,
  overlap or end in the same word (`Hanno Pevkur` and `Pevkur`);
- **effort**: the region, relation and attribute operations that turn the suggestions into gold
  (add, delete, move an end, relabel, set an attribute) against those that make gold from an empty
  page. Spans are paired exact offsets first, then by largest overlap; stance is not suggested, so it
  is left out of both counts. What the corpus's gold never annotates (a label, a relation type or an
  attribute that no gold set uses, such as entities, `refers_to` and `form` in a corpus imported from
  PolNeAR) is not charged: a suggestion of it is dropped before the count, since an annotator who
  does not annotate it would not touch it either. `not_charged` lists what was left out.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.outcomes import Report
from newsgold.curation.agreement import match_spans
from newsgold.schemas.annotation import Span, _SetContent
from newsgold.schemas.scheme import Scheme
from newsgold.suggest.model import SpanModel, train_model
from newsgold.suggest.suggest import Suggester, corpus_lexicon, suggest_set
from newsgold.suggest.tagger import RoleTagger

__all__ = ["AnnotatedKinds", "LabelFigures", "SuggestionEvaluation", "effort", "evaluate_suggestions",
           "score_suggestion_sets"]


@dataclass
class LabelFigures:
    """Counts of one label: gold spans, suggested spans, and matches exact and overlapping."""

    gold: int = 0
    suggested: int = 0
    exact: int = 0
    overlap: int = 0

    def scores(self, matched: int) -> dict[str, float | None]:
        """Precision, recall and F1 for `matched` true positives (None where undefined)."""
        precision = matched / self.suggested if self.suggested else None
        recall = matched / self.gold if self.gold else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else None)
        return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


@dataclass
class SuggestionEvaluation(Report):
    """The figures of `evaluate_suggestions`."""

    documents: int = 0
    labels: dict[str, LabelFigures] = field(default_factory=dict)
    attributed: int = 0
    """Gold quotes with a speaker."""
    attributed_right: int = 0
    """... whose suggested quote is attributed to the same entity."""
    effort: Counter[str] = field(default_factory=Counter)
    """Operations from the suggestions to gold, by kind."""
    from_scratch: Counter[str] = field(default_factory=Counter)
    """Operations from an empty page to gold, by kind."""
    seconds: float = 0.0
    not_charged: dict[str, list[str]] = field(default_factory=dict)
    """Labels, relation types and attributes of the scheme that no gold set uses: their suggestions
    are not charged in `effort` (see the module docstring)."""

    @property
    def effort_ratio(self) -> float | None:
        """Operations with suggestions / operations from an empty page (lower is better)."""
        scratch = sum(self.from_scratch.values())
        return _round(sum(self.effort.values()) / scratch) if scratch else None

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data."""
        return {
            "ok": self.ok,
            "documents": self.documents,
            "labels": {label: {"gold": f.gold, "suggested": f.suggested, "exact": f.scores(f.exact),
                               "overlap": f.scores(f.overlap)} for label, f in sorted(self.labels.items())},
            "attribution_accuracy": _round(self.attributed_right / self.attributed) if self.attributed else None,
            "attributed_quotes": self.attributed,
            "effort": {"with_suggestions": dict(sorted(self.effort.items())),
                       "from_scratch": dict(sorted(self.from_scratch.items())),
                       "operations": sum(self.effort.values()),
                       "operations_from_scratch": sum(self.from_scratch.values()),
                       "ratio": self.effort_ratio,
                       "not_charged": self.not_charged},
            "ms_per_document": _round(1000 * self.seconds / self.documents) if self.documents else None,
        }


def evaluate_suggestions(corpus: Corpus, suggester: Suggester = Suggester(), *,
                         train_epochs: int | None = None, tagger_path: Path | None = None) -> SuggestionEvaluation:
    """Score the suggestions of every gold document against its gold (see the module docstring).

    `train_epochs`: also suggest with a model (`newsgold train`) trained for that many epochs on
    the gold of every other document, one model per scored document (leave-one-document-out, like
    the lexicon); slow, and only meaningful with enough gold. `tagger_path`: attribution by the role
    tagger there (`train_corpus_tagger`) instead of the rules; it is not retrained per document, so
    it must have been trained on other documents than these (another corpus, or a training split).
    """
    check_corpus(corpus)
    tagger = RoleTagger(tagger_path) if tagger_path is not None else None
    lexicon = corpus_lexicon(corpus) if suggester.entities else None
    scheme = corpus.scheme
    annotated = AnnotatedKinds.of(corpus.iter_gold())
    figures = SuggestionEvaluation(not_charged=annotated.not_charged(scheme))
    index = corpus.document_index()
    for gold in corpus.iter_gold():
        if gold.doc_id not in index:
            continue
        document = index.read_document(gold.doc_id)
        with contextlib.ExitStack() as stack:
            model = None
            if train_epochs is not None:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsgold-model-")))
                train_model(corpus, folder, leave_out={gold.doc_id}, epochs=train_epochs)
                model = SpanModel(folder)
            began = time.perf_counter()
            matcher = lexicon.matcher(leave_out=gold.doc_id) if lexicon is not None else None
            suggested = suggest_set(document, scheme, matcher, suggester=suggester, model=model, tagger=tagger)
            figures.seconds += time.perf_counter() - began
        _score(gold, suggested, scheme, document.text, annotated, figures)
    return figures


def score_suggestion_sets(corpus: Corpus, set_name: str) -> SuggestionEvaluation:
    """Score the stored suggestion sets named `set_name` against the gold of their documents, as
    `evaluate_suggestions` scores fresh ones (the same figures; nothing is suggested again, so a
    set's own document may have taught its lexicon). Sets made on another text are left out."""
    check_corpus(corpus)
    scheme = corpus.scheme
    gold_by_document = {g.doc_id: g for g in corpus.iter_gold()}
    annotated = AnnotatedKinds.of(gold_by_document.values())
    figures = SuggestionEvaluation(not_charged=annotated.not_charged(scheme))
    index = corpus.document_index()
    for suggested in corpus.iter_annotation_sets():
        gold = gold_by_document.get(suggested.doc_id)
        if (suggested.annotator != set_name or not suggested.is_suggestion or gold is None
                or suggested.doc_id not in index or suggested.doc_sha256 != gold.doc_sha256):
            continue
        _score(gold, suggested, scheme, index.read_document(suggested.doc_id).text, annotated, figures)
    return figures


def _score(gold: _SetContent, suggested: _SetContent, scheme: Scheme, text: str, annotated: AnnotatedKinds,
           figures: SuggestionEvaluation) -> None:
    """Add one document's suggestions, scored against its gold, to `figures`."""
    figures.documents += 1
    _score_spans(gold.spans, suggested.spans, figures)
    _score_attribution(gold, suggested, scheme, text, figures)
    figures.effort.update(effort(suggested, gold, scheme, annotated))
    figures.from_scratch.update(effort(None, gold, scheme))


def _score_spans(gold: list[Span], suggested: list[Span], figures: SuggestionEvaluation) -> None:
    for span in gold:
        figures.labels.setdefault(span.label, LabelFigures()).gold += 1
    for span in suggested:
        figures.labels.setdefault(span.label, LabelFigures()).suggested += 1
    for mode in ("exact", "overlap"):
        for gold_span, _ in match_spans(gold, suggested, mode):  # type: ignore[arg-type]
            counts = figures.labels[gold_span.label]
            setattr(counts, mode, getattr(counts, mode) + 1)


def _score_attribution(gold: _SetContent, suggested: _SetContent, scheme: Scheme, text: str,
                       figures: SuggestionEvaluation) -> None:
    roles = scheme.resolved_roles
    gold_entity, suggested_entity = _speaker_entities(gold, roles), _speaker_entities(suggested, roles)
    quotes = [s for s in gold.spans if s.label == roles.quote]
    pairs = dict((g.id, s) for g, s in match_spans(
        quotes, [s for s in suggested.spans if s.label == roles.quote], "overlap"))
    for quote in quotes:
        if quote.id not in gold_entity:
            continue
        figures.attributed += 1
        match = pairs.get(quote.id)
        if match is not None and match.id in suggested_entity and \
                _same_entity(gold_entity[quote.id], suggested_entity[match.id], text):
            figures.attributed_right += 1


def _speaker_entities(annotation_set: _SetContent, roles: Any) -> dict[str, tuple[int, int]]:
    """Quote id -> the extent of the entity its speaker refers to (else of the speaker)."""
    spans = {s.id: s for s in annotation_set.spans}
    refers = {r.from_: r.to for r in annotation_set.relations if r.type == roles.reference}
    found = {}
    for relation in annotation_set.relations:
        if relation.type == roles.attribution and relation.to in spans and relation.from_ in spans:
            target = spans.get(refers.get(relation.to, relation.to), spans[relation.to])
            found[relation.from_] = (target.start, target.end)
    return found


def _same_entity(a: tuple[int, int], b: tuple[int, int], text: str) -> bool:
    if a[0] < b[1] and b[0] < a[1]:
        return True
    last = [text[x:y].split()[-1:] for x, y in (a, b)]
    return bool(last[0]) and last[0] == last[1]


@dataclass(frozen=True)
class AnnotatedKinds:
    """What a corpus's gold annotates at all: its labels, relation types and (label, attribute) pairs."""

    labels: frozenset[str]
    relations: frozenset[str]
    attributes: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, gold_sets: Any) -> AnnotatedKinds:
        """The kinds the given gold sets use (an iterable of sets, read once)."""
        labels: set[str] = set()
        relations: set[str] = set()
        attributes: set[tuple[str, str]] = set()
        for gold in gold_sets:
            for span in gold.spans:
                labels.add(span.label)
                attributes.update((span.label, name) for name in span.attrs)
            relations.update(r.type for r in gold.relations)
        return cls(frozenset(labels), frozenset(relations), frozenset(attributes))

    def not_charged(self, scheme: Scheme) -> dict[str, list[str]]:
        """What `scheme` has and these kinds do not: left out of the effort."""
        return {"labels": sorted(set(scheme.labels) - self.labels),
                "relations": sorted(set(scheme.relation_types) - self.relations),
                "attributes": sorted(f"{label}.{attr.name}" for label, definition in scheme.labels.items()
                                     for attr in definition.attrs if (label, attr.name) not in self.attributes)}


class _Suggested(NamedTuple):
    spans: list[Span]
    relations: list[Any]


def _only_annotated(suggested: _SetContent, annotated: AnnotatedKinds) -> _Suggested:
    """`suggested` without what the corpus never annotates (labels, relation types, attributes)."""
    spans = [span.model_copy(update={"attrs": {name: value for name, value in span.attrs.items()
                                               if (span.label, name) in annotated.attributes}})
             for span in suggested.spans if span.label in annotated.labels]
    kept = {span.id for span in spans}
    relations = [r for r in suggested.relations
                 if r.type in annotated.relations and r.from_ in kept and r.to in kept]
    return _Suggested(spans, relations)


def effort(suggested: _SetContent | None, gold: _SetContent, scheme: Scheme,
           annotated: AnnotatedKinds | None = None) -> Counter[str]:
    """The operations that turn `suggested` (None: an empty page) into `gold`, by kind: `add`,
    `delete`, `move_end`, `relabel` (regions), `relation_add`, `relation_delete`, `attribute`.
    With `annotated`, suggestions of what the corpus's gold never annotates are not charged."""
    if suggested is not None and annotated is not None:
        suggested = _only_annotated(suggested, annotated)  # type: ignore[assignment]
    operations: Counter[str] = Counter()
    ours = list(suggested.spans) if suggested is not None else []
    pairs = _pair(ours, list(gold.spans), scheme)
    for mine, theirs in pairs:
        operations["move_end"] += (mine.start != theirs.start) + (mine.end != theirs.end)
        operations["relabel"] += mine.label != theirs.label
        operations["attribute"] += sum(mine.attrs.get(name) != value for name, value in theirs.attrs.items())
        operations["attribute"] += sum(name not in theirs.attrs for name in mine.attrs)
    paired_gold = {theirs.id for _, theirs in pairs}
    operations["add"] += sum(span.id not in paired_gold for span in gold.spans)
    operations["attribute"] += sum(len(span.attrs) for span in gold.spans if span.id not in paired_gold)
    operations["delete"] += len(ours) - len(pairs)
    to_gold = {mine.id: theirs.id for mine, theirs in pairs}
    mapped = {(r.type, to_gold.get(r.from_), to_gold.get(r.to))
              for r in (suggested.relations if suggested is not None else [])}
    wanted = {(r.type, r.from_, r.to) for r in gold.relations}
    operations["relation_add"] += len(wanted - mapped)
    operations["relation_delete"] += len(suggested.relations if suggested is not None else []) - len(mapped & wanted)
    return +operations


def _pair(ours: list[Span], gold: list[Span], scheme: Scheme) -> list[tuple[Span, Span]]:
    """Suggested and gold spans paired one to one: same offsets first, then largest overlap in one layer."""
    pairs: list[tuple[Span, Span]] = []
    free_gold = {(s.start, s.end, scheme.layer_of.get(s.label)): s for s in reversed(gold)}
    left: list[Span] = []
    for span in ours:
        found = free_gold.pop((span.start, span.end, scheme.layer_of.get(span.label)), None)
        if found is not None:
            pairs.append((span, found))
        else:
            left.append(span)
    taken = {id(theirs) for _, theirs in pairs}
    remaining = [s for s in gold if id(s) not in taken]
    overlaps = sorted(((min(a.end, b.end) - max(a.start, b.start), n, m) for n, a in enumerate(left)
                       for m, b in enumerate(remaining)
                       if a.start < b.end and b.start < a.end
                       and scheme.layer_of.get(a.label) == scheme.layer_of.get(b.label)), reverse=True)
    used_ours, used_gold = set(), set()
    for _, n, m in overlaps:
        if n not in used_ours and m not in used_gold:
            used_ours.add(n)
            used_gold.add(m)
            pairs.append((left[n], remaining[m]))
    return pairs


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
