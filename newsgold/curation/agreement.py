"""`agreement`: inter-annotator agreement on spans, quote form, stance and attribution.

Per pair of annotators, over the documents both annotated (on the current text):
- span precision / recall / F1 per label and overall, with exact matching (same offsets and label)
  and with overlap matching (exact matches first, then, per label, the one-to-one assignment of
  the largest total overlap); precision and recall take the first annotator of the pair as the
  reference;
- Cohen's kappa on `form` and on stance per target of overlap-matched quote spans (a target one
  annotator left unset counts as the value `none`), and on document stance per target;
- attribution: over the overlap-matched quotes that at least one of the two linked to a speaker,
  the share whose speaker mentions overlap (quotes neither linked are counted apart).
Across all annotators: Krippendorff's alpha (nominal) on the same values, with units defined by
exact quote offsets (and per target), or by (document, target) for document stance.
A coefficient whose expected disagreement is zero is undefined and reported as null.
Draft sets (status `draft`) take no part. Every definition, with worked examples, is in
docs/agreement.md; the quote, speaker, form and attribution are the scheme's roles.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from newsgold.corpus.outcomes import Report, SetRef
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.schemas.annotation import AnnotationSet, Span
from newsgold.schemas.scheme import Roles
from newsgold.extras import require

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


def _canonical(span: Span) -> tuple[int, int, str, str]:
    return (span.start, span.end, span.label, span.id)


def match_spans(first: Sequence[Span], second: Sequence[Span], mode: MatchMode) -> list[tuple[Span, Span]]:
    """One-to-one matches between two span lists of the same document, in `first`'s offset order.

    `exact`: same label, start and end; each span is matched at most once, so a span one list
    holds twice matches once. `overlap`: the exact matches, then, per label, among the spans left,
    the assignment that maximizes the total number of overlapping code points (an optimal
    assignment, scipy's `linear_sum_assignment`); pairs that do not overlap are not matches. Both
    lists are put in (start, end, label, id) order first, so the matches do not depend on the order
    of spans in a file.
    """
    first, second = sorted(first, key=_canonical), sorted(second, key=_canonical)
    waiting: dict[tuple[int, int, str], list[Span]] = defaultdict(list)
    for span in reversed(second):
        waiting[(span.start, span.end, span.label)].append(span)
    matches: list[tuple[Span, Span]] = []
    unmatched: list[Span] = []
    for span in first:
        candidates = waiting.get((span.start, span.end, span.label))
        if candidates:
            matches.append((span, candidates.pop()))
        else:
            unmatched.append(span)
    if mode == "overlap" and unmatched:
        left = [s for spans in waiting.values() for s in spans]
        matches.extend(_largest_overlap(unmatched, sorted(left, key=_canonical)))
        matches.sort(key=lambda pair: _canonical(pair[0]))
    return matches


def _largest_overlap(first: list[Span], second: list[Span]) -> list[tuple[Span, Span]]:
    """Per label, the one-to-one pairs of largest total overlap (overlapping pairs only)."""
    from scipy.optimize import linear_sum_assignment  # imported here: only overlap matching needs it

    found = []
    for label in sorted({s.label for s in first} & {s.label for s in second}):
        rows = [s for s in first if s.label == label]
        columns = [s for s in second if s.label == label]
        overlap = [[max(0, min(a.end, b.end) - max(a.start, b.start)) for b in columns] for a in rows]
        if not any(any(row) for row in overlap):
            continue
        for i, j in zip(*linear_sum_assignment(overlap, maximize=True), strict=True):
            if overlap[i][j] > 0:
                found.append((rows[i], columns[j]))
    return found


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
    """Four decimals; never `-0.0`."""
    return None if value is None else round(value, 4) + 0.0


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
    """Overlap-matched quote pairs."""
    linked_quotes: int = 0
    """Of those, the pairs at least one of the two linked to a speaker."""
    same_speaker: int = 0
    """Of those, the pairs both linked to overlapping speaker mentions."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": self.first, "second": self.second, "documents": self.documents,
            "spans": {mode: {label: counts.as_dict() for label, counts in sorted(by_label.items())}
                      for mode, by_label in self.spans.items()},
            "form": {"items": len(self.form), "kappa": _round(cohen_kappa(self.form))},
            "stance": {"items": len(self.stance), "kappa": _round(cohen_kappa(self.stance))},
            "document_stance": {"items": len(self.document_stance),
                                "kappa": _round(cohen_kappa(self.document_stance))},
            "attribution": {"matched_quotes": self.matched_quotes, "linked_quotes": self.linked_quotes,
                            "both_unlinked": self.matched_quotes - self.linked_quotes,
                            "same_speaker": self.same_speaker,
                            "agreement": _round(self.same_speaker / self.linked_quotes)
                            if self.linked_quotes else None},
        }


@dataclass
class AgreementReport(Report):
    """Agreement of every pair of annotators, alpha across all, and the most disputed documents."""

    annotators: list[str]
    documents: int
    pairs: list[PairAgreement]
    alpha: dict[str, float | None]
    disagreement: list[tuple[str, float]]
    """(doc_id, dispute) of every document two or more annotated, most disputed first (see `_Dispute`)."""
    stale_sets: list[SetRef] = field(default_factory=list)
    """The sets left out because their text changed since (NG207)."""
    draft_sets: list[SetRef] = field(default_factory=list)
    """The sets left out because they are drafts."""

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        """Every figure as JSON values; `top`: how many of the most disputed documents to list."""
        return {
            "ok": self.ok,
            "stale_sets": [str(s) for s in self.stale_sets],
            "draft_sets": [str(s) for s in self.draft_sets],
            "annotators": self.annotators,
            "documents": self.documents,
            "pairs": [pair.as_dict() for pair in self.pairs],
            "alpha": {k: _round(v) for k, v in self.alpha.items()},
            "most_disagreement": [{"doc_id": d, "disagreement": round(v, 4)} for d, v in self.disagreement[:top]],
        }


def _speakers(annotation_set: AnnotationSet, attribution: str | None) -> dict[str, Span]:
    spans = {s.id: s for s in annotation_set.spans}
    return {r.from_: spans[r.to] for r in annotation_set.relations if r.type == attribution and r.to in spans}


@dataclass
class _Tally:
    """Items compared on one document, and how many of them differ."""

    differing: int = 0
    items: int = 0

    def add(self, first: str, second: str, into: list[tuple[str, str]] | None = None) -> None:
        """Count one item with the two annotators' values (and keep the pair in `into`)."""
        self.items += 1
        self.differing += first != second
        if into is not None:
            into.append((first, second))


@dataclass
class _Dispute:
    """How much two annotators disagree on one document: the mean of the parts that apply.

    spans: 1 - exact span F1 (0 when neither marked a span); form: the share of overlap-matched
    quotes whose form differs; stance: the share of stance items (matched quotes x targets either
    set, and document targets either set) whose values differ; attribution: 1 - the attribution
    agreement. A part with no items does not apply; spans always does.
    """

    parts: list[float] = field(default_factory=list)

    def add(self, differing: int, items: int) -> None:
        if items:
            self.parts.append(differing / items)

    @property
    def value(self) -> float:
        return sum(self.parts) / len(self.parts)


def _compare(pair: PairAgreement, a: AnnotationSet, b: AnnotationSet, targets: Sequence[str],
             roles: Roles) -> float:
    """Add one document's figures to `pair`; return the document's dispute (see `_Dispute`)."""
    pair.documents += 1
    dispute = _Dispute()
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
            dispute.parts.append(1.0 - (2 * len(matches) / total if total else 1.0))
            continue
        speakers_a, speakers_b = _speakers(a, roles.attribution), _speakers(b, roles.attribution)
        forms, stances, linked = _Tally(), _Tally(), _Tally()
        for left, right in matches:
            if roles.quote is None or left.label != roles.quote:
                continue
            if roles.form is not None:
                forms.add(left.attrs.get(roles.form, NONE), right.attrs.get(roles.form, NONE), pair.form)
            for target in targets:
                if target in left.stance or target in right.stance:
                    stances.add(left.stance.get(target, NONE), right.stance.get(target, NONE), pair.stance)
            pair.matched_quotes += 1
            sa, sb = speakers_a.get(left.id), speakers_b.get(right.id)
            if sa is None and sb is None:
                continue
            pair.linked_quotes += 1
            same = sa is not None and sb is not None and min(sa.end, sb.end) > max(sa.start, sb.start)
            pair.same_speaker += same
            linked.add("same" if same else "a", "same" if same else "b")
        for target in targets:
            if target in a.stance or target in b.stance:
                stances.add(a.stance.get(target, NONE), b.stance.get(target, NONE), pair.document_stance)
        for tally in (forms, stances, linked):
            dispute.add(tally.differing, tally.items)
    return dispute.value


def agreement(corpus: Corpus, set_names: Sequence[str] | None = None) -> AgreementReport:
    """Compute agreement over the annotation sets of `corpus` (optionally only the sets named in `set_names`).

    Reads annotations.jsonl through an index of byte offsets per document, one document at a
    time, so memory holds one document's sets at once. MissingExtraError without the `agreement` extra.
    """
    require("agreement")
    check_corpus(corpus)
    index = corpus.document_index()
    targets = corpus.scheme.target_ids
    roles = corpus.scheme.resolved_roles
    pairs: dict[tuple[str, str], PairAgreement] = {}
    alphas = {"form": _Coincidences(), "stance": _Coincidences(), "document_stance": _Coincidences()}
    disagreement: list[tuple[str, float]] = []
    seen_annotators: set[str] = set()
    shared = 0
    stale_sets: list[SetRef] = []
    draft_sets: list[SetRef] = []
    for doc_id, current, stale in corpus.iter_current_sets(index):
        stale_sets.extend(SetRef(s.doc_id, s.annotator) for s in stale)
        draft_sets.extend(SetRef(s.doc_id, s.annotator) for s in current if s.status == "draft")
        sets = [s for s in current if s.votes and (not set_names or s.annotator in set_names)]
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
        disagreement=disagreement, stale_sets=stale_sets, draft_sets=draft_sets)


def _alpha_units(sets: list[AnnotationSet], targets: Sequence[str], roles: Roles,
                 alphas: dict[str, _Coincidences]) -> None:
    quotes: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for annotation_set in sets:
        mine = {(s.start, s.end): s for s in reversed(annotation_set.spans) if s.label == roles.quote}
        for place, span in mine.items():  # one value per coder and unit, whatever the set repeats
            quotes[place].append(span)
    for spans in quotes.values():
        if roles.form is not None:
            alphas["form"].add_unit([s.attrs.get(roles.form, NONE) for s in spans])
        for target in targets:
            if any(target in s.stance for s in spans):
                alphas["stance"].add_unit([s.stance.get(target, NONE) for s in spans])
    for target in targets:
        if any(target in s.stance for s in sets):
            alphas["document_stance"].add_unit([s.stance.get(target, NONE) for s in sets])
