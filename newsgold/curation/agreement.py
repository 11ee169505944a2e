"""`agreement`: inter-annotator agreement on spans, quote form, stance and attribution.

Per pair of annotators, over the documents both annotated (on the current text):
- span precision / recall / F1 per label and overall, with exact matching (same offsets and label)
  and with overlap matching (same label, overlapping; one-to-one, largest overlap first);
  precision and recall take the first annotator of the pair as the reference;
- Cohen's kappa on `form` and on stance per target of overlap-matched QUOTE spans (a target one
  annotator left unset counts as the value `none`), and on document stance per target;
- attribution: the share of overlap-matched quotes whose speaker mentions overlap.
Across all annotators: Krippendorff's alpha (nominal) on the same values, with units defined by
exact QUOTE offsets (and per target), or by (document, target) for document stance.
A coefficient whose expected disagreement is zero is undefined and reported as null.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from newsgold.corpus.store import Corpus
from newsgold.schemas.annotation import AnnotationSet, Span
from newsgold.schemas.scheme import Roles

__all__ = ["cohen_kappa", "krippendorff_alpha", "match_spans", "AgreementReport", "agreement"]

MatchMode = Literal["exact", "overlap"]
NONE = "none"
ALL = "ALL"


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two coders' values on the same items; None if undefined."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


class _Coincidences:
    """Krippendorff's coincidence matrix, filled one unit at a time."""

    def __init__(self) -> None:
        self.matrix: dict[tuple[str, str], float] = defaultdict(float)

    def add_unit(self, values: Sequence[str]) -> None:
        m = len(values)
        if m < 2:
            return
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    self.matrix[(c, k)] += pairs / (m - 1)

    def alpha(self) -> float | None:
        totals: dict[str, float] = defaultdict(float)
        for (c, _), value in self.matrix.items():
            totals[c] += value
        n = sum(totals.values())
        if n <= 1:
            return None
        observed = sum(v for (c, k), v in self.matrix.items() if c != k)
        expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
        if expected == 0:
            return None
        return 1.0 - (n - 1) * observed / expected


def krippendorff_alpha(units: Iterable[Sequence[str]]) -> float | None:
    """Krippendorff's alpha (nominal) of units, each the values its coders gave (missing left out)."""
    coincidences = _Coincidences()
    for values in units:
        coincidences.add_unit(values)
    return coincidences.alpha()


def match_spans(first: Sequence[Span], second: Sequence[Span], mode: MatchMode) -> list[tuple[Span, Span]]:
    """One-to-one matches between two span lists of the same document."""
    if mode == "exact":
        index = {(s.start, s.end, s.label): s for s in second}
        return [(s, index[(s.start, s.end, s.label)]) for s in first if (s.start, s.end, s.label) in index]
    candidates = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if a.label == b.label:
                overlap = min(a.end, b.end) - max(a.start, b.start)
                if overlap > 0:
                    candidates.append((-overlap, a.start, b.start, i, j))
    candidates.sort()
    used_a, used_b, matches = set(), set(), []
    for _, _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append((first[i], second[j]))
    return matches


@dataclass
class SpanCounts:
    """Matched and total spans of a pair for one label."""

    matched: int = 0
    first: int = 0
    second: int = 0

    def as_dict(self) -> dict[str, Any]:
        precision = self.matched / self.second if self.second else None
        recall = self.matched / self.first if self.first else None
        total = self.first + self.second
        f1 = 2 * self.matched / total if total else None
        return {"matched": self.matched, "first": self.first, "second": self.second,
                "precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class PairAgreement:
    """Agreement of two annotators on the documents they share."""

    first: str
    second: str
    documents: int = 0
    spans: dict[str, dict[str, SpanCounts]] = field(
        default_factory=lambda: {"exact": defaultdict(SpanCounts), "overlap": defaultdict(SpanCounts)})
    form: list[tuple[str, str]] = field(default_factory=list)
    stance: list[tuple[str, str]] = field(default_factory=list)
    document_stance: list[tuple[str, str]] = field(default_factory=list)
    matched_quotes: int = 0
    same_speaker: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": self.first, "second": self.second, "documents": self.documents,
            "spans": {mode: {label: counts.as_dict() for label, counts in sorted(by_label.items())}
                      for mode, by_label in self.spans.items()},
            "form": {"items": len(self.form), "kappa": _round(cohen_kappa(self.form))},
            "stance": {"items": len(self.stance), "kappa": _round(cohen_kappa(self.stance))},
            "document_stance": {"items": len(self.document_stance),
                                "kappa": _round(cohen_kappa(self.document_stance))},
            "attribution": {"matched_quotes": self.matched_quotes, "same_speaker": self.same_speaker,
                            "agreement": _round(self.same_speaker / self.matched_quotes)
                            if self.matched_quotes else None},
        }


@dataclass
class AgreementReport:
    """Agreement of every pair of annotators, alpha across all, and the most disputed documents."""

    annotators: list[str]
    documents: int
    pairs: list[PairAgreement]
    alpha: dict[str, float | None]
    disagreement: list[tuple[str, float]]
    stale_sets: list[str] = field(default_factory=list)
    """doc_id/annotator of the sets left out because their text changed since (NG207)."""

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "stale_sets": self.stale_sets,
            "annotators": self.annotators,
            "documents": self.documents,
            "pairs": [pair.as_dict() for pair in self.pairs],
            "alpha": {k: _round(v) for k, v in self.alpha.items()},
            "most_disagreement": [{"doc_id": d, "disagreement": round(v, 4)} for d, v in self.disagreement[:top]],
        }


def _speakers(annotation_set: AnnotationSet, attribution: str | None) -> dict[str, Span]:
    spans = {s.id: s for s in annotation_set.spans}
    return {r.from_: spans[r.to] for r in annotation_set.relations if r.type == attribution and r.to in spans}


def _compare(pair: PairAgreement, a: AnnotationSet, b: AnnotationSet, targets: Sequence[str],
             roles: Roles) -> float:
    pair.documents += 1
    doc_f1 = 0.0
    for mode in ("exact", "overlap"):
        matches = match_spans(a.spans, b.spans, mode)  # type: ignore[arg-type]
        by_label = pair.spans[mode]
        for span in a.spans:
            by_label[span.label].first += 1
            by_label[ALL].first += 1
        for span in b.spans:
            by_label[span.label].second += 1
            by_label[ALL].second += 1
        for left, _ in matches:
            by_label[left.label].matched += 1
            by_label[ALL].matched += 1
        if mode == "exact":
            total = len(a.spans) + len(b.spans)
            doc_f1 = 2 * len(matches) / total if total else 1.0
        else:
            speakers_a, speakers_b = _speakers(a, roles.attribution), _speakers(b, roles.attribution)
            for left, right in matches:
                if roles.quote is None or left.label != roles.quote:
                    continue
                if roles.form is not None:
                    pair.form.append((left.attrs.get(roles.form, NONE), right.attrs.get(roles.form, NONE)))
                for target in targets:
                    if target in left.stance or target in right.stance:
                        pair.stance.append((left.stance.get(target, NONE), right.stance.get(target, NONE)))
                pair.matched_quotes += 1
                sa, sb = speakers_a.get(left.id), speakers_b.get(right.id)
                if sa is not None and sb is not None and min(sa.end, sb.end) > max(sa.start, sb.start):
                    pair.same_speaker += 1
    for target in targets:
        if target in a.stance or target in b.stance:
            pair.document_stance.append((a.stance.get(target, NONE), b.stance.get(target, NONE)))
    return 1.0 - doc_f1


def agreement(corpus: Corpus, annotators: Sequence[str] | None = None) -> AgreementReport:
    """Compute agreement over the annotation sets of `corpus` (optionally only `annotators`).

    Reads annotations.jsonl through an index of byte offsets per document, one document at a
    time, so memory holds one document's sets at once.
    """
    index = corpus.document_index()
    targets = corpus.scheme.target_ids
    roles = corpus.scheme.resolved_roles
    pairs: dict[tuple[str, str], PairAgreement] = {}
    alphas = {"form": _Coincidences(), "stance": _Coincidences(), "document_stance": _Coincidences()}
    disagreement: list[tuple[str, float]] = []
    seen_annotators: set[str] = set()
    shared = 0
    stale_sets: list[str] = []
    for doc_id, current, stale in corpus.iter_current_sets(index):
        stale_sets.extend(f"{s.doc_id}/{s.annotator}" for s in stale)
        sets = [s for s in current if not annotators or s.annotator in annotators]
        if len(sets) < 2:
            continue
        sets.sort(key=lambda s: s.annotator)
        shared += 1
        seen_annotators.update(s.annotator for s in sets)
        scores = []
        for a, b in combinations(sets, 2):
            pair = pairs.setdefault((a.annotator, b.annotator), PairAgreement(a.annotator, b.annotator))
            scores.append(_compare(pair, a, b, targets, roles))
        disagreement.append((doc_id, sum(scores) / len(scores)))
        _alpha_units(sets, targets, roles, alphas)
    disagreement.sort(key=lambda item: (-item[1], item[0]))
    return AgreementReport(
        annotators=sorted(seen_annotators), documents=shared,
        pairs=[pairs[key] for key in sorted(pairs)],
        alpha={name: coincidences.alpha() for name, coincidences in alphas.items()},
        disagreement=disagreement, stale_sets=stale_sets)


def _alpha_units(sets: list[AnnotationSet], targets: Sequence[str], roles: Roles,
                 alphas: dict[str, _Coincidences]) -> None:
    quotes: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for annotation_set in sets:
        for span in annotation_set.spans:
            if span.label == roles.quote:
                quotes[(span.start, span.end)].append(span)
    for spans in quotes.values():
        if roles.form is not None:
            alphas["form"].add_unit([s.attrs.get(roles.form, NONE) for s in spans])
        for target in targets:
            if any(target in s.stance for s in spans):
                alphas["stance"].add_unit([s.stance.get(target, NONE) for s in spans])
    for target in targets:
        if any(target in s.stance for s in sets):
            alphas["document_stance"].add_unit([s.stance.get(target, NONE) for s in sets])
