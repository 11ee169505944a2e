"""`adjudicate`: build gold.jsonl from annotation sets with a stated strategy.

- `majority`: a span (exact offsets and label), relation, attribute or stance value enters gold
  when at least k annotators agree on it exactly (k defaults to a strict majority of the
  document's annotators); when two values reach k with the same votes it is a tie: unresolved.
- `prefer`: one trusted annotator's set is the gold; nobody else fills anything in.
- `ground-truth`: the set marked ground truth in Label Studio.
Every gold item records the annotators it came from (Provenance.items). Items that would break
a gold rule of the scheme (a quote without an agreed speaker or form, crossing spans, ...) are
left out and listed as unresolved, so the result always validates. Existing hand-made gold
(provenance method `manual`) is never replaced unless `force`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import orjson

from newsgold import _progress as progress
from newsgold._io import Transaction
from newsgold.corpus.checks import check_set
from newsgold.corpus.lock import writes_corpus
from newsgold.corpus.rewrite import stage_rewrite
from newsgold.corpus.store import Corpus, record_line
from newsgold.errors import UsageError
from newsgold.rules import RULES
from newsgold.schemas.annotation import AnnotationSet, GoldSet, Provenance, Relation, Span
from newsgold.schemas.scheme import Scheme

__all__ = ["Strategy", "ReasonCode", "Unresolved", "AdjudicationReport", "adjudicate"]

Strategy = Literal["majority", "prefer", "ground-truth"]
SpanKey = tuple[int, int, str]


ReasonCode = Literal["no-votes", "k-not-reached", "tie", "end-not-in-gold", "breaks-rule",
                     "several-ground-truth"]
"""Why an item is unresolved: nobody voted, fewer than k agreed, two values tied, a relation's end
is not in gold, the item would break the gold rule `rule`, several sets claim to be ground truth."""


@dataclass(frozen=True)
class Unresolved:
    """An item adjudication could not decide: what, the votes, why in words, and why as data."""

    doc_id: str
    kind: str
    item: dict[str, Any]
    votes: dict[str, list[str]]
    reason: str
    code: ReasonCode
    rule: str | None = None
    """The rule code the item would break (code `breaks-rule`)."""
    gold_ids: dict[str, str] = field(default_factory=dict)
    """Ids, in the gold written, of the spans the item names (`span`, `from`, `to`) that are in it."""
    comments: list[dict[str, Any]] = field(default_factory=list)
    """What annotators said about the document in Label Studio: {author, text, resolved}."""

    @property
    def category(self) -> str:
        """The code, with the rule for `breaks-rule` (how the CLI groups unresolved items)."""
        return f"{self.code} {self.rule}" if self.rule else self.code


@dataclass
class AdjudicationReport:
    """What adjudication wrote, kept and could not decide."""

    strategy: str
    written: list[str] = field(default_factory=list)
    kept_manual: list[str] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    review_path: Path | None = None
    stale_sets: list[str] = field(default_factory=list)
    """doc_id/annotator of the sets left out because their text changed since (NG207)."""
    draft_sets: list[str] = field(default_factory=list)
    """doc_id/annotator of the sets left out because they are drafts."""
    not_rebuilt: list[str] = field(default_factory=list)
    """Documents whose earlier (not hand-made) gold this run did not rebuild: kept, or removed with force."""
    removed: list[str] = field(default_factory=list)
    """Documents whose earlier gold was removed (`not_rebuilt`, with force)."""
    nothing_decided: list[str] = field(default_factory=list)
    """Documents with sets but nothing agreed: no gold written for them (their items are in review)."""


@dataclass
class _Draft:
    spans: dict[SpanKey, Span] = field(default_factory=dict)
    relations: set[tuple[str, SpanKey, SpanKey]] = field(default_factory=set)
    stance: dict[str, str] = field(default_factory=dict)
    sources: dict[tuple, list[str]] = field(default_factory=dict)


def _key(span: Span) -> SpanKey:
    return (span.start, span.end, span.label)


@dataclass(frozen=True)
class _Undecided:
    code: ReasonCode
    reason: str


def _decide(votes: dict[str, list[str]], k: int) -> tuple[str | None, _Undecided]:
    """The value with at least k votes and more than any other, or None and why not."""
    if not votes:
        return None, _Undecided("no-votes", "no votes")
    best = max(len(v) for v in votes.values())
    leaders = [value for value, voters in votes.items() if len(voters) == best]
    if best < k:
        return None, _Undecided("k-not-reached", f"k-not-reached ({best} of the {k} needed)")
    if len(leaders) > 1:
        return None, _Undecided("tie", "tie")
    return leaders[0], _Undecided("no-votes", "")


def _majority(sets: list[AnnotationSet], k: int, scheme: Scheme, unresolved: list[Unresolved]) -> _Draft:
    doc_id = sets[0].doc_id
    draft = _Draft()
    span_votes: dict[SpanKey, list[str]] = defaultdict(list)
    members: dict[SpanKey, list[tuple[str, Span]]] = defaultdict(list)
    for annotation_set in sets:
        for span in _one_per_place(annotation_set.spans):
            span_votes[_key(span)].append(annotation_set.annotator)
            members[_key(span)].append((annotation_set.annotator, span))
    by_place: dict[tuple[int, int, str | None], dict[str, list[str]]] = defaultdict(dict)
    for (start, end, label), voters in span_votes.items():
        by_place[(start, end, scheme.layer_of.get(label))][label] = voters
    for (start, end, _), label_votes in sorted(by_place.items(), key=lambda item: item[0][:2]):
        chosen, reason = _decide(label_votes, k)
        if chosen is None:
            unresolved.append(Unresolved(doc_id, "span", {"start": start, "end": end}, label_votes,
                                         reason.reason, reason.code))
            continue
        key = (start, end, chosen)
        example = members[key][0][1]
        attrs = _vote_per_name(members[key], "attrs", k, draft, unresolved, doc_id, key)
        stance = _vote_per_name(members[key], "stance", k, draft, unresolved, doc_id, key)
        draft.spans[key] = example.model_copy(update={"attrs": attrs, "stance": stance})
        draft.sources[(key,)] = label_votes[chosen]
    relation_votes: dict[tuple[str, SpanKey, SpanKey], list[str]] = defaultdict(list)
    for annotation_set in sets:
        keys = {s.id: _key(s) for s in annotation_set.spans}
        drawn = {(r.type, keys[r.from_], keys[r.to]) for r in annotation_set.relations
                 if r.from_ in keys and r.to in keys}
        for relation_key in drawn:  # one vote per annotator, whatever duplicates the set holds
            relation_votes[relation_key].append(annotation_set.annotator)
    for relation_key, voters in sorted(relation_votes.items()):
        ends_in_gold = relation_key[1] in draft.spans and relation_key[2] in draft.spans
        if len(voters) >= k and ends_in_gold:
            draft.relations.add(relation_key)
            draft.sources[("relation", *relation_key)] = voters
        elif len(voters) < k:
            unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {"yes": voters},
                                         f"k-not-reached ({len(voters)} of the {k} needed)", "k-not-reached"))
        else:
            unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {"yes": voters},
                                         "an end is not in gold", "end-not-in-gold"))
    for target in sorted({t for s in sets for t in s.stance}):
        votes = defaultdict(list)
        for annotation_set in sets:
            if target in annotation_set.stance:
                votes[annotation_set.stance[target]].append(annotation_set.annotator)
        value, reason = _decide(dict(votes), k)
        if value is None:
            unresolved.append(Unresolved(doc_id, "document-stance", {"target": target}, dict(votes),
                                         reason.reason, reason.code))
        else:
            draft.stance[target] = value
            draft.sources[("stance", target)] = votes[value]
    return draft


def _one_per_place(spans: list[Span]) -> list[Span]:
    """The spans of a set, the first of each (start, end, label) only (NG209 forbids repeats;
    adjudication must not count one twice whatever it reads)."""
    first: dict[SpanKey, Span] = {}
    for span in spans:
        first.setdefault(_key(span), span)
    return list(first.values())


def _vote_per_name(members: list[tuple[str, Span]], field_name: str, k: int, draft: _Draft,
                   unresolved: list[Unresolved], doc_id: str, key: SpanKey) -> dict[str, str]:
    """Decide each attribute (field_name `attrs`) or stance target (`stance`) of one gold span."""
    kind, item_name = ("attribute", "name") if field_name == "attrs" else ("span-stance", "target")
    source_kind = "attr" if field_name == "attrs" else "stance"
    decided: dict[str, str] = {}
    for name in sorted({n for _, s in members for n in getattr(s, field_name)}):
        votes: dict[str, list[str]] = defaultdict(list)
        for who, s in members:
            values = getattr(s, field_name)
            if name in values:
                votes[values[name]].append(who)
        value, reason = _decide(dict(votes), k)
        if value is None:
            unresolved.append(Unresolved(doc_id, kind, {"span": list(key), item_name: name}, dict(votes),
                                         reason.reason, reason.code))
        else:
            decided[name] = value
            draft.sources[(key, source_kind, name)] = votes[value]
    return decided


def _relation_item(key: tuple[str, SpanKey, SpanKey]) -> dict[str, Any]:
    return {"type": key[0], "from": list(key[1]), "to": list(key[2])}


def _whole(annotation_set: AnnotationSet) -> _Draft:
    who = [annotation_set.annotator]
    draft = _Draft()
    keys = {s.id: _key(s) for s in annotation_set.spans}
    for span in annotation_set.spans:
        draft.spans[_key(span)] = span
        draft.sources[(_key(span),)] = who
        for name in span.attrs:
            draft.sources[(_key(span), "attr", name)] = who
        for target in span.stance:
            draft.sources[(_key(span), "stance", target)] = who
    for relation in annotation_set.relations:
        if relation.from_ in keys and relation.to in keys:
            key = (relation.type, keys[relation.from_], keys[relation.to])
            draft.relations.add(key)
            draft.sources[("relation", *key)] = who
    draft.stance = dict(annotation_set.stance)
    for target in draft.stance:
        draft.sources[("stance", target)] = who
    return draft


def _build(draft: _Draft, doc_id: str, doc_sha256: str, provenance: dict[str, Any]) -> GoldSet:
    ordered = sorted(draft.spans.values(), key=lambda s: (s.start, -s.end, s.label))
    ids = {_key(s): f"s{n}" for n, s in enumerate(ordered, 1)}
    spans = [s.model_copy(update={"id": ids[_key(s)]}) for s in ordered]
    relations = sorted((Relation(type=t, from_=ids[a], to=ids[b]) for t, a, b in draft.relations),
                       key=lambda r: (int(r.from_[1:]), r.type, int(r.to[1:])))
    items: dict[str, list[str]] = {}
    for source, voters in draft.sources.items():
        if source[0] == "relation":
            _, relation_type, a, b = source
            if (relation_type, a, b) in draft.relations:
                items[f"relation:{relation_type}:{ids[a]}:{ids[b]}"] = sorted(voters)
        elif source[0] == "stance":
            if source[1] in draft.stance:
                items[f"stance:{source[1]}"] = sorted(voters)
        elif source[0] in ids:
            span_id = ids[source[0]]
            suffix = "" if len(source) == 1 else f":{source[1]}:{source[2]}"
            items[f"span:{span_id}{suffix}"] = sorted(voters)
    return GoldSet(doc_id=doc_id, doc_sha256=doc_sha256, spans=spans, relations=relations,
                   stance=draft.stance, provenance=Provenance(**provenance, items=dict(sorted(items.items()))))


def _repair(draft: _Draft, doc_id: str, doc_sha256: str, text: str, scheme: Scheme,
            provenance: dict[str, Any], unresolved: list[Unresolved]) -> GoldSet:
    """Drop what breaks a gold rule (listing it as unresolved) until the gold set validates."""
    for _ in range(len(draft.spans) + len(draft.relations) + 2):
        gold = _build(draft, doc_id, doc_sha256, provenance)
        findings = check_set(gold, text, scheme, gold=True)
        if not findings:
            return gold
        by_id = {s.id: _key(s) for s in gold.spans}
        for finding in findings:
            why = f"breaks {finding.rule}: {RULES[finding.rule].summary}"
            if finding.span is not None:
                span = gold.spans[finding.span]
                key = _key(span)
                if key in draft.spans:
                    del draft.spans[key]
                    draft.relations = {r for r in draft.relations if key not in (r[1], r[2])}
                    unresolved.append(Unresolved(doc_id, "span", {"start": span.start, "end": span.end,
                                                                  "label": span.label},
                                                 {span.label: draft.sources.get((key,), [])},
                                                 why, "breaks-rule", finding.rule))
            elif finding.relation is not None:
                relation = gold.relations[finding.relation]
                relation_key = (relation.type, by_id[relation.from_], by_id[relation.to])
                draft.relations.discard(relation_key)
                unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {},
                                             why, "breaks-rule", finding.rule))
            elif finding.target is not None:
                draft.stance.pop(finding.target, None)
            else:
                draft.stance.clear()
    raise AssertionError(f"{doc_id}: adjudicated gold does not converge")  # pragma: no cover


@writes_corpus
def adjudicate(corpus: Corpus, strategy: Strategy, *, min_agree: int | None = None, prefer: str | None = None,
               force: bool = False, review_path: Path | None = None) -> AdjudicationReport:
    """Adjudicate every document with annotation sets and write gold.jsonl (and the review file).

    Documents whose gold is hand-made keep it unless `force`. Raises UsageError for a strategy
    that lacks its argument (prefer without an annotator, k below 1).
    """
    if strategy == "prefer" and not prefer:
        raise UsageError("the prefer strategy needs the trusted annotator: --prefer ANNOTATOR")
    if min_agree is not None and min_agree < 1:
        raise UsageError("--min-agree must be at least 1")
    report = AdjudicationReport(strategy=strategy)
    index = corpus.document_index()
    existing_methods: dict[str, str] = {}
    gold_lines: dict[str, list[int]] = {}
    for line, gold_set in corpus.iter_numbered_gold():
        existing_methods[gold_set.doc_id] = gold_set.provenance.method
        gold_lines.setdefault(gold_set.doc_id, []).append(line)
    new_gold = _GoldSpool()
    annotators: set[str] = set()
    ground_truth = False
    with contextlib.ExitStack() as stack:
        stack.enter_context(new_gold)
        bar = stack.enter_context(progress.task("adjudicate"))
        for doc_id, current, stale in corpus.iter_current_sets(index):
            bar.advance()
            _adjudicate_one(doc_id, current, stale, strategy, min_agree, prefer, force, corpus, index,
                            existing_methods, report, new_gold, annotators)
            ground_truth = ground_truth or any(s.origin.ground_truth for s in current if s.votes)
        _finish(corpus, strategy, prefer, force, review_path, report, existing_methods, gold_lines, new_gold,
                annotators, ground_truth)
    return report


def _adjudicate_one(doc_id: str, current: list[AnnotationSet], stale: list[AnnotationSet], strategy: Strategy,
                    min_agree: int | None, prefer: str | None, force: bool, corpus: Corpus, index: Any,
                    existing_methods: dict[str, str], report: AdjudicationReport, new_gold: _GoldSpool,
                    annotators: set[str]) -> None:
    """Adjudicate the sets of one document into `new_gold` (or the report's lists)."""
    report.stale_sets.extend(f"{s.doc_id}/{s.annotator}" for s in stale)
    report.draft_sets.extend(f"{s.doc_id}/{s.annotator}" for s in current if s.status == "draft")
    sets = [s for s in current if s.votes]
    annotators.update(s.annotator for s in sets)
    if existing_methods.get(doc_id) == "manual" and not force:
        report.kept_manual.append(doc_id)
        return
    before = len(report.unresolved)
    gold = _adjudicate_document(sets, strategy, min_agree, prefer, index.read_text(doc_id),
                                corpus.scheme, report.unresolved)
    said = [{"author": c.author, "text": c.text, "resolved": c.resolved} for s in sets for c in s.comments or []]
    if said:  # the adjudicator sees them beside each item left to decide
        for n in range(before, len(report.unresolved)):
            report.unresolved[n] = replace(report.unresolved[n], comments=said)
    if gold is not None:
        _name_gold_ids(report.unresolved, before, gold)
        if gold.spans or gold.stance:
            new_gold.add(doc_id, gold)
        else:
            report.nothing_decided.append(doc_id)


def _finish(corpus: Corpus, strategy: Strategy, prefer: str | None, force: bool, review_path: Path | None,
            report: AdjudicationReport, existing_methods: dict[str, str], gold_lines: dict[str, list[int]],
            new_gold: _GoldSpool, annotators: set[str], ground_truth: bool) -> None:
    """Check the strategy found what it needs, then write gold.jsonl and the review file."""
    if strategy == "prefer" and prefer not in annotators:
        known = ", ".join(sorted(annotators)) or "none"
        raise UsageError(f"--prefer {prefer}: no annotation set of {prefer!r} on a current text; "
                         f"the annotators are: {known}")
    if strategy == "ground-truth" and not ground_truth and annotators:
        raise UsageError("no annotation set is marked as ground truth; mark them in Label Studio "
                         "and pull again, or choose another --strategy")
    kept = set(report.kept_manual)
    report.not_rebuilt = [doc_id for doc_id, method in existing_methods.items()
                          if doc_id not in new_gold.lines and doc_id not in kept and method != "manual"]
    if force:
        report.removed = list(report.not_rebuilt)
    report.written = list(new_gold.lines)
    review_path = review_path or corpus.root / "review.jsonl"
    with Transaction() as txn:
        if new_gold.lines or report.removed:
            _stage_gold(txn, corpus, new_gold, gold_lines, set(report.removed))
        txn.write_lines(review_path, (orjson.dumps(asdict(u)) + b"\n" for u in report.unresolved))
    report.review_path = review_path


class _GoldSpool:
    """New gold lines in a temporary file, found by document id: adjudication holds no gold sets."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[int, int]] = {}
        """doc_id -> (offset, length) of its line in the spool, in the order added."""
        self.file: Any = None

    def __enter__(self) -> _GoldSpool:
        self.file = tempfile.TemporaryFile()
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def add(self, doc_id: str, gold: GoldSet) -> None:
        line = record_line(gold)
        self.file.seek(0, os.SEEK_END)
        self.lines[doc_id] = (self.file.tell(), len(line))
        self.file.write(line)

    def line(self, doc_id: str) -> bytes:
        offset, length = self.lines[doc_id]
        self.file.seek(offset)
        data: bytes = self.file.read(length)
        return data


def _name_gold_ids(unresolved: list[Unresolved], start: int, gold: GoldSet) -> None:
    """Give the unresolved items of one document (from `start` on) the gold ids of the spans they name."""
    ids = {_key(s): s.id for s in gold.spans}

    def gold_id(value: Any) -> str | None:
        return ids.get((value[0], value[1], value[2])) if isinstance(value, list) and len(value) == 3 else None

    for n in range(start, len(unresolved)):
        item = unresolved[n].item
        named = {name: gold_id(item.get(name)) for name in ("span", "from", "to")}
        if "label" in item:
            named["span"] = ids.get((item["start"], item["end"], item["label"]))
        found = {name: value for name, value in named.items() if value is not None}
        if found:
            unresolved[n] = replace(unresolved[n], gold_ids=found)


def _adjudicate_document(sets: list[AnnotationSet], strategy: Strategy, min_agree: int | None,
                         prefer: str | None, text: str, scheme: Scheme,
                         unresolved: list[Unresolved]) -> GoldSet | None:
    if not sets:
        return None
    doc_id, sha = sets[0].doc_id, sets[0].doc_sha256
    annotators = sorted(s.annotator for s in sets)
    if strategy == "majority":
        k = min_agree or len(sets) // 2 + 1
        draft = _majority(sets, k, scheme, unresolved)
        provenance = {"method": "majority", "annotators": annotators, "min_agreement": k}
    elif strategy == "prefer":
        chosen = [s for s in sets if s.annotator == prefer]
        if not chosen:
            return None
        draft = _whole(chosen[0])
        provenance = {"method": "prefer", "annotators": [prefer]}
    else:
        chosen = [s for s in sets if s.origin.ground_truth]
        if len(chosen) != 1:
            if len(chosen) > 1:
                unresolved.append(Unresolved(doc_id, "document", {}, {"ground-truth": [s.annotator for s in chosen]},
                                             "several sets are marked ground truth", "several-ground-truth"))
            return None
        draft = _whole(chosen[0])
        provenance = {"method": "ground-truth", "annotators": [chosen[0].annotator]}
    return _repair(draft, doc_id, sha, text, scheme, provenance, unresolved)


def _stage_gold(txn: Transaction, corpus: Corpus, new_gold: _GoldSpool,
                gold_lines: dict[str, list[int]], removed: set[str]) -> None:
    """Stage gold.jsonl with `new_gold` on the line of its document's old gold (other lines of that
    document dropped), the gold of `removed` documents dropped, new documents appended, every
    other line kept byte for byte."""
    on_line = {lines[0]: doc_id for doc_id, lines in gold_lines.items() if doc_id in new_gold.lines}
    drop = {line for doc_id, lines in gold_lines.items() if doc_id in new_gold.lines for line in lines[1:]}
    drop |= {line for doc_id in removed for line in gold_lines.get(doc_id, [])}

    def edit(number: int, raw: bytes) -> bytes | None:
        if number in drop:
            return None
        doc_id = on_line.get(number)
        return raw if doc_id is None else new_gold.line(doc_id)

    added = (new_gold.line(doc_id) for doc_id in list(new_gold.lines) if doc_id not in gold_lines)
    stage_rewrite(txn, corpus.root, corpus.gold_path, edit, added)
