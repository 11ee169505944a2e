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

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from newsgold._io import Transaction, iter_jsonl_lines
from newsgold.corpus.checks import check_set
from newsgold.corpus.lock import writes_corpus
from newsgold.corpus.store import Corpus, record_line
from newsgold.errors import UsageError
from newsgold.schemas.annotation import AnnotationSet, GoldSet, Provenance, Relation, Span
from newsgold.schemas.scheme import Scheme

__all__ = ["Strategy", "Unresolved", "AdjudicationReport", "adjudicate"]

Strategy = Literal["majority", "prefer", "ground-truth"]
SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class Unresolved:
    """An item adjudication could not decide: what, the votes, and why."""

    doc_id: str
    kind: str
    item: dict[str, Any]
    votes: dict[str, list[str]]
    reason: str


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


@dataclass
class _Draft:
    spans: dict[SpanKey, Span] = field(default_factory=dict)
    relations: set[tuple[str, SpanKey, SpanKey]] = field(default_factory=set)
    stance: dict[str, str] = field(default_factory=dict)
    sources: dict[tuple, list[str]] = field(default_factory=dict)


def _key(span: Span) -> SpanKey:
    return (span.start, span.end, span.label)


def _decide(votes: dict[str, list[str]], k: int) -> tuple[str | None, str]:
    """The value with at least k votes and more than any other, or None and the reason."""
    if not votes:
        return None, "no votes"
    best = max(len(v) for v in votes.values())
    leaders = [value for value, voters in votes.items() if len(voters) == best]
    if best < k:
        return None, f"k-not-reached ({best} of the {k} needed)"
    if len(leaders) > 1:
        return None, "tie"
    return leaders[0], ""


def _majority(sets: list[AnnotationSet], k: int, scheme: Scheme, unresolved: list[Unresolved]) -> _Draft:
    doc_id = sets[0].doc_id
    draft = _Draft()
    span_votes: dict[SpanKey, list[str]] = defaultdict(list)
    members: dict[SpanKey, list[tuple[str, Span]]] = defaultdict(list)
    for annotation_set in sets:
        for span in annotation_set.spans:
            span_votes[_key(span)].append(annotation_set.annotator)
            members[_key(span)].append((annotation_set.annotator, span))
    by_place: dict[tuple[int, int, str | None], dict[str, list[str]]] = defaultdict(dict)
    for (start, end, label), voters in span_votes.items():
        by_place[(start, end, scheme.layer_of.get(label))][label] = voters
    for (start, end, _), label_votes in sorted(by_place.items(), key=lambda item: item[0][:2]):
        chosen, reason = _decide(label_votes, k)
        if chosen is None:
            unresolved.append(Unresolved(doc_id, "span", {"start": start, "end": end}, label_votes, reason))
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
        for relation in annotation_set.relations:
            if relation.from_ in keys and relation.to in keys:
                relation_votes[(relation.type, keys[relation.from_], keys[relation.to])].append(annotation_set.annotator)
    for relation_key, voters in sorted(relation_votes.items()):
        if len(voters) >= k and relation_key[1] in draft.spans and relation_key[2] in draft.spans:
            draft.relations.add(relation_key)
            draft.sources[("relation", *relation_key)] = voters
        elif len(voters) >= k:
            unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {"yes": voters},
                                         "an end is not in gold"))
    for target in sorted({t for s in sets for t in s.stance}):
        votes = defaultdict(list)
        for annotation_set in sets:
            if target in annotation_set.stance:
                votes[annotation_set.stance[target]].append(annotation_set.annotator)
        value, reason = _decide(dict(votes), k)
        if value is None:
            unresolved.append(Unresolved(doc_id, "document-stance", {"target": target}, dict(votes), reason))
        else:
            draft.stance[target] = value
            draft.sources[("stance", target)] = votes[value]
    return draft


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
            unresolved.append(Unresolved(doc_id, kind, {"span": list(key), item_name: name}, dict(votes), reason))
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
            field_name = finding.field
            if field_name.startswith("spans["):
                span = gold.spans[int(field_name[6:field_name.index("]")])]
                key = _key(span)
                if key in draft.spans:
                    del draft.spans[key]
                    draft.relations = {r for r in draft.relations if key not in (r[1], r[2])}
                    unresolved.append(Unresolved(doc_id, "span", {"start": span.start, "end": span.end,
                                                                  "label": span.label},
                                                 {span.label: draft.sources.get((key,), [])},
                                                 f"breaks {finding.rule}: {finding.message}"))
            elif field_name.startswith("relations["):
                relation = gold.relations[int(field_name[10:field_name.index("]")])]
                relation_key = (relation.type, by_id[relation.from_], by_id[relation.to])
                draft.relations.discard(relation_key)
                unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {},
                                             f"breaks {finding.rule}: {finding.message}"))
            elif field_name.startswith("stance"):
                target = field_name.split(".", 1)[-1]
                draft.stance.pop(target, None)
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
    existing_methods = {g.doc_id: g.provenance.method for g in corpus.iter_gold()}
    new_gold: dict[str, GoldSet] = {}
    annotators: set[str] = set()
    ground_truth = False
    for doc_id, sets, stale in corpus.iter_current_sets(index):
        report.stale_sets.extend(f"{s.doc_id}/{s.annotator}" for s in stale)
        annotators.update(s.annotator for s in sets)
        ground_truth = ground_truth or any(s.origin.ground_truth for s in sets)
        if existing_methods.get(doc_id) == "manual" and not force:
            report.kept_manual.append(doc_id)
            continue
        gold = _adjudicate_document(sets, strategy, min_agree, prefer, index.read_text(doc_id),
                                    corpus.scheme, report.unresolved)
        if gold is not None:
            new_gold[doc_id] = gold
    if strategy == "prefer" and prefer not in annotators:
        raise UsageError(f"--prefer {prefer}: no annotation set of {prefer!r} on a current text; "
                         "see the annotators with `newsgold stats`")
    if strategy == "ground-truth" and not ground_truth and annotators:
        raise UsageError("no annotation set is marked as ground truth; mark them in Label Studio "
                         "and pull again, or choose another --strategy")
    report.written = list(new_gold)
    review_path = review_path or corpus.root / "review.jsonl"
    with Transaction() as txn:
        if new_gold:
            txn.write_lines(corpus.gold_path, _merged_lines(corpus, new_gold))
        txn.write_lines(review_path, (orjson.dumps(asdict(u)) + b"\n" for u in report.unresolved))
    report.review_path = review_path
    return report


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
                                             "several sets are marked ground truth"))
            return None
        draft = _whole(chosen[0])
        provenance = {"method": "ground-truth", "annotators": [chosen[0].annotator]}
    return _repair(draft, doc_id, sha, text, scheme, provenance, unresolved)


def _merged_lines(corpus: Corpus, new_gold: dict[str, GoldSet]) -> Iterator[bytes]:
    """gold.jsonl with `new_gold` in place of the old lines of those documents; others kept byte for byte."""
    written = set()
    if corpus.gold_path.is_file():
        for _, _, raw in iter_jsonl_lines(corpus.gold_path):
            doc_id = orjson.loads(raw).get("doc_id")
            if doc_id in new_gold:
                yield record_line(new_gold[doc_id])
                written.add(doc_id)
            else:
                yield raw if raw.endswith(b"\n") else raw + b"\n"
    for doc_id, gold in new_gold.items():
        if doc_id not in written:
            yield record_line(gold)
