"""`adjudicate`: build gold.jsonl from annotation sets with a stated strategy.

- `majority`: a span (exact offsets and label), relation, attribute or stance value enters gold
  when at least k annotators agree on it exactly (k defaults to a strict majority of the
  document's annotators); when two values reach k with the same votes it is a tie: unresolved.
- `prefer`: one trusted annotator's set is the gold; nobody else fills anything in.
- `ground-truth`: the set marked ground truth in Label Studio.
Every gold item records the annotators it came from (Provenance.items). Items that would break
a gold rule of the scheme (a quote without an agreed speaker or form, crossing spans, ...) are
left out and listed as unresolved, so the result always validates. Gold is written through the
corpus's write path (`newsgold.corpus.write`): each set records the fingerprint of its content, and
gold corrected by hand since (or made by hand: method `manual`) is never replaced unless `replace`,
which reports it and keeps the old set in a backup file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import orjson

from newsgold import _progress as progress
from newsgold.corpus.checks import check_set
from newsgold.corpus.outcomes import Report, SetOutcome, SetRef
from newsgold.corpus.outputs import check_output_file
from newsgold.corpus.review_file import review_path as default_review_path
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.write import GoldWriter, corpus_write
from newsgold.errors import UsageError
from newsgold.rules import RULES
from newsgold.schemas.annotation import AnnotationSet, GoldSet, Provenance, Relation, Span, item_key
from newsgold.schemas.scheme import Scheme

__all__ = ["Strategy", "ReasonCode", "Unresolved", "AdjudicationReport", "adjudicate"]

Strategy = Literal["majority", "prefer", "ground-truth"]
STRATEGIES: tuple[Strategy, ...] = ("majority", "prefer", "ground-truth")
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
class AdjudicationReport(Report):
    """What adjudication did to each document's gold (`gold`: added, updated, unchanged, kept
    hand-made, replaced with replace=True, removed), and what it could not decide."""

    strategy: str
    gold: list[SetOutcome] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    review_path: Path | None = None
    backup_path: Path | None = None
    """Where the hand-made gold that `replace` replaced or removed was kept, if any."""
    stale_sets: list[SetRef] = field(default_factory=list)
    """The sets left out because their text changed since (NG207)."""
    draft_sets: list[SetRef] = field(default_factory=list)
    """The sets left out because they are drafts."""
    not_rebuilt: list[str] = field(default_factory=list)
    """Documents whose earlier (not hand-made) gold this run did not rebuild: kept, or removed with replace."""
    nothing_decided: list[str] = field(default_factory=list)
    """Documents with sets but nothing agreed: no gold written for them (their items are in review)."""
    roles_lost: dict[str, int] = field(default_factory=dict)
    """Labels of the scheme's quote, speaker and cue roles that the annotation sets have (label ->
    their spans) and none of the gold this run wrote has: every one of them was left undecided
    (their review items say why, such as a required attribute the sets lack). Not ok."""

    @property
    def ok(self) -> bool:
        """False when a role the annotators marked is missing from the whole gold written."""
        return not self.roles_lost

    def _docs(self, *statuses: str, code: str | None = None) -> list[str]:
        return [o.doc_id for o in self.gold if o.status in statuses and o.doc_id is not None
                and (code is None or o.code == code)]

    @property
    def written(self) -> list[str]:
        """Documents given gold by this run (new, changed or the same as before)."""
        return self._docs("added", "updated", "unchanged")

    @property
    def kept_hand_made(self) -> list[str]:
        """Documents whose hand-made (or hand-corrected) gold was kept (pass `replace` to replace it)."""
        return self._docs("kept", code="hand-made")

    @property
    def replaced_hand_made(self) -> list[str]:
        """Documents whose hand-made gold `replace` replaced or removed (kept in `backup_path`)."""
        return self._docs("updated", "removed", code="replaced")

    @property
    def removed(self) -> list[str]:
        """Documents whose earlier gold was removed (`not_rebuilt`, with replace)."""
        return self._docs("removed")


@dataclass(frozen=True)
class SpanItem:
    """A gold span (by offsets and label), or one of its attributes or stance targets."""

    span: SpanKey
    part: Literal["attr", "stance"] | None = None
    name: str | None = None


@dataclass(frozen=True, order=True)
class RelationItem:
    """A gold relation, by its type and the offsets and labels of its ends."""

    type: str
    source: SpanKey
    target: SpanKey


@dataclass(frozen=True)
class StanceItem:
    """A document-level stance target of the gold."""

    target: str


Item = SpanItem | RelationItem | StanceItem


@dataclass
class _Draft:
    """The gold of one document while it is decided: items by offsets, and who each came from."""

    spans: dict[SpanKey, Span] = field(default_factory=dict)
    relations: set[RelationItem] = field(default_factory=set)
    stance: dict[str, str] = field(default_factory=dict)
    sources: dict[Item, list[str]] = field(default_factory=dict)


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
            some_label = next(iter(label_votes))
            item = {"start": start, "end": end, "text": members[(start, end, some_label)][0][1].text,
                    "label": some_label if len(label_votes) == 1 else None}  # None: the votes name several
            unresolved.append(Unresolved(doc_id, "span", item, label_votes, reason.reason, reason.code))
            continue
        key = (start, end, chosen)
        example = members[key][0][1]
        attrs = _vote_per_name(members[key], "attrs", k, draft, unresolved, doc_id, key)
        stance = _vote_per_name(members[key], "stance", k, draft, unresolved, doc_id, key)
        draft.spans[key] = example.model_copy(update={"attrs": attrs, "stance": stance})
        draft.sources[SpanItem(key)] = label_votes[chosen]
    relation_votes: dict[RelationItem, list[str]] = defaultdict(list)
    for annotation_set in sets:
        keys = {s.id: _key(s) for s in annotation_set.spans}
        drawn = {RelationItem(r.type, keys[r.from_], keys[r.to]) for r in annotation_set.relations
                 if r.from_ in keys and r.to in keys}
        for relation_key in drawn:  # one vote per annotator, whatever duplicates the set holds
            relation_votes[relation_key].append(annotation_set.annotator)
    for relation_key, voters in sorted(relation_votes.items()):
        ends_in_gold = relation_key.source in draft.spans and relation_key.target in draft.spans
        if len(voters) >= k and ends_in_gold:
            draft.relations.add(relation_key)
            draft.sources[relation_key] = voters
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
            draft.sources[StanceItem(target)] = votes[value]
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
    source_kind: Literal["attr", "stance"] = "attr" if field_name == "attrs" else "stance"
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
            draft.sources[SpanItem(key, source_kind, name)] = votes[value]
    return decided


def _relation_item(key: RelationItem) -> dict[str, Any]:
    return {"type": key.type, "from": list(key.source), "to": list(key.target)}


def _whole(annotation_set: AnnotationSet) -> _Draft:
    who = [annotation_set.annotator]
    draft = _Draft()
    keys = {s.id: _key(s) for s in annotation_set.spans}
    for span in annotation_set.spans:
        draft.spans[_key(span)] = span
        draft.sources[SpanItem(_key(span))] = who
        for name in span.attrs:
            draft.sources[SpanItem(_key(span), "attr", name)] = who
        for target in span.stance:
            draft.sources[SpanItem(_key(span), "stance", target)] = who
    for relation in annotation_set.relations:
        if relation.from_ in keys and relation.to in keys:
            key = RelationItem(relation.type, keys[relation.from_], keys[relation.to])
            draft.relations.add(key)
            draft.sources[key] = who
    draft.stance = dict(annotation_set.stance)
    for target in draft.stance:
        draft.sources[StanceItem(target)] = who
    return draft


def _build(draft: _Draft, doc_id: str, doc_sha256: str, provenance: dict[str, Any]) -> GoldSet:
    ordered = sorted(draft.spans.values(), key=lambda s: (s.start, -s.end, s.label))
    position = {_key(s): n for n, s in enumerate(ordered, 1)}
    ids = {key: f"s{n}" for key, n in position.items()}
    spans = [s.model_copy(update={"id": ids[_key(s)]}) for s in ordered]
    relations = [Relation(type=r.type, from_=ids[r.source], to=ids[r.target])
                 for r in sorted(draft.relations, key=lambda r: (position[r.source], r.type, position[r.target]))]
    items: dict[str, list[str]] = {}
    for source, voters in draft.sources.items():
        if isinstance(source, RelationItem):
            if source in draft.relations:
                items[item_key("relation", source.type, ids[source.source], ids[source.target])] = sorted(voters)
        elif isinstance(source, StanceItem):
            if source.target in draft.stance:
                items[item_key("stance", source.target)] = sorted(voters)
        elif source.span in ids:
            parts = () if source.part is None or source.name is None else (source.part, source.name)
            items[item_key("span", ids[source.span], *parts)] = sorted(voters)
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
                    draft.relations = {r for r in draft.relations if key not in (r.source, r.target)}
                    unresolved.append(Unresolved(doc_id, "span", {"start": span.start, "end": span.end,
                                                                  "text": span.text, "label": span.label},
                                                 {span.label: draft.sources.get(SpanItem(key), [])},
                                                 why, "breaks-rule", finding.rule))
            elif finding.relation is not None:
                relation = gold.relations[finding.relation]
                relation_key = RelationItem(relation.type, by_id[relation.from_], by_id[relation.to])
                draft.relations.discard(relation_key)
                unresolved.append(Unresolved(doc_id, "relation", _relation_item(relation_key), {},
                                             why, "breaks-rule", finding.rule))
            elif finding.target is not None:
                draft.stance.pop(finding.target, None)
            else:
                draft.stance.clear()
    raise AssertionError(f"{doc_id}: adjudicated gold does not converge")  # pragma: no cover


def adjudicate(corpus: Corpus, strategy: Strategy, *, min_agree: int | None = None, prefer: str | None = None,
               replace: bool = False, review_path: Path | None = None) -> AdjudicationReport:
    """Adjudicate every document with annotation sets and write gold.jsonl (and the review file).

    Gold made or corrected by hand (see `newsgold.corpus.write.gold`) is kept and reported unless
    `replace`; then it is replaced, reported, and kept in `backup_path`. Raises UsageError for a
    strategy that lacks its argument (`prefer` without an annotator, `min_agree` below 1).
    """
    check_corpus(corpus)
    if strategy not in STRATEGIES:
        raise UsageError(f"strategy={strategy!r} is not a strategy: use {', '.join(STRATEGIES)}")
    if strategy == "prefer" and not prefer:
        raise UsageError("the prefer strategy needs the trusted annotator: prefer=ANNOTATOR")
    if min_agree is not None and min_agree < 1:
        raise UsageError("min_agree=K must be at least 1")
    review_path = review_path or default_review_path(corpus)
    check_output_file(corpus, review_path, parameter="review_path", kind="review")
    report = AdjudicationReport(strategy=strategy)
    with corpus_write(corpus, "adjudicate") as write:
        run = _Run(corpus, strategy, min_agree, prefer, replace, write.gold, report)
        with progress.task("adjudicate") as bar:
            for doc_id, current, stale in corpus.iter_current_sets(run.index):
                bar.advance()
                run.document(doc_id, current, stale)
        run.finish()
        report.review_path = review_path
        write.txn.write_lines(report.review_path,
                              (orjson.dumps(asdict(u)) + b"\n" for u in report.unresolved))
        report.gold = list(write.gold.outcomes)
    report.backup_path = write.backup_path
    return report


class _Run:
    """One adjudication: its arguments, the gold writer, the report, and what it has seen."""

    def __init__(self, corpus: Corpus, strategy: Strategy, min_agree: int | None, prefer: str | None,
                 replace: bool, gold: GoldWriter, report: AdjudicationReport) -> None:
        self.corpus, self.strategy, self.min_agree, self.prefer, self.replace = corpus, strategy, min_agree, prefer, replace
        self.gold, self.report = gold, report
        self.index = corpus.document_index()
        self.annotators: set[str] = set()
        self.ground_truth = False
        self.kept: set[str] = set()
        roles = corpus.scheme.resolved_roles
        self.role_labels = {label for label in (roles.quote, roles.speaker, roles.cue) if label is not None}
        self.in_sets: Counter[str] = Counter()
        """Spans of a role label in the sets adjudicated."""
        self.in_gold: Counter[str] = Counter()
        """... and in the gold written."""

    def document(self, doc_id: str, current: list[AnnotationSet], stale: list[AnnotationSet]) -> None:
        """Adjudicate the sets of one document into its gold (or the report's lists)."""
        report = self.report
        report.stale_sets.extend(SetRef(s.doc_id, s.annotator) for s in stale)
        report.draft_sets.extend(SetRef(s.doc_id, s.annotator) for s in current if s.status == "draft")
        sets = [s for s in current if s.votes]
        self.annotators.update(s.annotator for s in sets)
        self.ground_truth = self.ground_truth or any(s.origin.ground_truth for s in sets)
        if self.gold.hand_made(doc_id) and not self.replace:
            self.gold.keep(doc_id)
            self.kept.add(doc_id)
            return
        before = len(report.unresolved)
        self.in_sets.update(span.label for s in sets for span in s.spans if span.label in self.role_labels)
        gold = _adjudicate_document(sets, self.strategy, self.min_agree, self.prefer,
                                    self.index.read_text(doc_id), self.corpus.scheme, report.unresolved)
        said = [{"author": c.author, "text": c.text, "resolved": c.resolved} for s in sets for c in s.comments or []]
        if said:  # the adjudicator sees them beside each item left to decide
            for n in range(before, len(report.unresolved)):
                report.unresolved[n] = replace(report.unresolved[n], comments=said)
        if gold is not None:
            _name_gold_ids(report.unresolved, before, gold)
            if gold.spans or gold.stance:
                self.gold.put(gold, replace=self.replace)
                self.in_gold.update(span.label for span in gold.spans if span.label in self.role_labels)
            else:
                report.nothing_decided.append(doc_id)

    def finish(self) -> None:
        """Check the strategy found what it needs; remove (with replace) the gold not rebuilt."""
        if self.strategy == "prefer" and self.prefer not in self.annotators:
            known = ", ".join(sorted(self.annotators)) or "none"
            raise UsageError(f"prefer={self.prefer}: no annotation set of {self.prefer!r} on a current text; "
                             f"the annotators are: {known}")
        if self.strategy == "ground-truth" and not self.ground_truth and self.annotators:
            raise UsageError("no annotation set is marked as ground truth; mark them in Label Studio "
                             "and pull again, or choose another strategy=")
        written = set(self.gold.written)
        if written:
            self.report.roles_lost = {label: count for label, count in sorted(self.in_sets.items())
                                      if not self.in_gold[label]}
        self.report.not_rebuilt = [doc_id for doc_id in self.gold.stored if doc_id not in written
                                   and doc_id not in self.kept and not self.gold.hand_made(doc_id)]
        if self.replace:
            for doc_id in self.report.not_rebuilt:
                self.gold.remove(doc_id)


def _name_gold_ids(unresolved: list[Unresolved], start: int, gold: GoldSet) -> None:
    """Give the unresolved items of one document (from `start` on) the gold ids of the spans they name."""
    ids = {_key(s): s.id for s in gold.spans}

    def gold_id(value: Any) -> str | None:
        return ids.get((value[0], value[1], value[2])) if isinstance(value, list) and len(value) == 3 else None

    for n in range(start, len(unresolved)):
        item = unresolved[n].item
        named = {name: gold_id(item.get(name)) for name in ("span", "from", "to")}
        if item.get("label") is not None:
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
