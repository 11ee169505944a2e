"""`newsgold suggest`: annotation sets of suggestions, for annotators to correct instead of starting empty.

A suggestion set is an annotation set whose origin is `suggestion` (with the suggester's name and
version in `origin.detail`): valid under the scheme, never counted as an annotator's set by
agreement or adjudication, and sent to Label Studio as predictions by `studio push --set
NAME`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsgold import _progress as progress
from newsgold.corpus.boundaries import conform_span
from newsgold.corpus.checks import check_set
from newsgold.corpus.outcomes import Report, SetOutcome
from newsgold.corpus.store import Corpus, check_corpus
from newsgold.corpus.write import corpus_write
from newsgold.errors import UsageError
from newsgold.schemas.annotation import AnnotationSet, Origin, Relation, Span, annotator_id_problem
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme
from newsgold.suggest.lexicon import EntityLexicon, EntityMatcher, entity_labels
from newsgold.suggest.model import SpanModel
from newsgold.suggest.rules import PERSONAL_PRONOUNS, Attribution, find_attributions
from newsgold.suggest.tagger import RoleTagger, tagger_for
from newsgold.extras import require

__all__ = ["SUGGESTER", "SuggestReport", "Suggester", "suggest", "suggest_set", "corpus_lexicon"]

SUGGESTER = "newsgold-suggest 1"
"""Name and version of the suggesters, stored in each suggestion set's `origin.detail` (the version
goes up whenever the rules change what they suggest)."""


@dataclass(frozen=True)
class Suggester:
    """Which suggesters run: string matching of entities, attribution rules, or both."""

    entities: bool = True
    attribution: bool = True

    @property
    def detail(self) -> str:
        """What `origin.detail` says of the set: the suggester, its version and its parts."""
        parts = [name for name, on in (("string-match", self.entities), ("rules", self.attribution)) if on]
        return f"{SUGGESTER} ({' + '.join(parts)})"


@dataclass
class SuggestReport(Report):
    """What `suggest` did with each document's set (`sets`: added, updated, unchanged, kept)."""

    name: str
    sets: list[SetOutcome] = field(default_factory=list)
    spans: int = 0
    relations: int = 0
    dropped: list[str] = field(default_factory=list)
    """Suggestions left out because they broke the scheme, with the reason."""

    @property
    def written(self) -> list[str]:
        """Documents whose suggestion set was written (new or made again)."""
        return [o.doc_id for o in self.sets if o.status in ("added", "updated") and o.doc_id]

    @property
    def skipped(self) -> list[str]:
        """Documents left alone: they already have a set of this name (see `replace`)."""
        return [o.doc_id for o in self.sets if o.status == "kept" and o.doc_id]

    @property
    def unchanged(self) -> list[str]:
        """Documents whose set, made again, came out the same: nothing written."""
        return [o.doc_id for o in self.sets if o.status == "unchanged" and o.doc_id]


def corpus_lexicon(corpus: Corpus) -> EntityLexicon:
    """The entity lexicon of the corpus's gold and annotation sets (suggestion sets left out)."""
    sets = (s for s in corpus.iter_annotation_sets() if not s.is_suggestion)
    return EntityLexicon.from_sets(itertools.chain(corpus.iter_gold(), sets), corpus.scheme)


def suggest_set(document: Document, scheme: Scheme, matcher: EntityMatcher | None, *, name: str = "suggest",
                suggester: Suggester = Suggester(), model: SpanModel | None = None,
                tagger: RoleTagger | None = None, dropped: list[str] | None = None) -> AnnotationSet:
    """The suggestion set of one document: entity mentions from `matcher`, attribution by rules (or,
    with `tagger`, by the role tagger trained on gold, `newsgold.suggest.tagger`), and (with `model`)
    the model's entities and attribution spans where those found none, with scores.

    Every suggestion is valid under `scheme`: one whose spans or relations would break it is left
    out (and named in `dropped`, if given).
    """
    text = document.text
    roles = scheme.resolved_roles
    entity_names = set(entity_labels(scheme))
    found = [(m.start, m.end, m.label) for m in matcher.find(text)] if matcher is not None and suggester.entities \
        else []
    predicted: list[tuple[int, int, str, float]] = []
    if model is not None:
        model_entities, predicted = model.predict(text)
        found += [e for e in _trimmed(text, model_entities)
                  if e[2] in entity_names and not any(_overlap(e, f) for f in found)]
    found.sort()
    spans = [Span(id=f"e{n}", start=a, end=b, label=label, text=text[a:b]) for n, (a, b, label) in enumerate(found, 1)]
    detail = suggester.detail if tagger is None else suggester.detail.replace("rules", "role tagger")
    detail = detail if model is None else f"{detail[:-1]} + model {model.version})"
    base = AnnotationSet(doc_id=document.id, doc_sha256=document.sha256, annotator=name,
                         origin=Origin(source="suggestion", detail=detail), spans=spans)
    attribution_labels = {roles.quote, roles.speaker, roles.cue}
    if not (suggester.attribution and roles.quote and roles.speaker and roles.cue
            and attribution_labels <= set(scheme.labels)):
        return base
    person = "PERSON" if suggester.entities and "PERSON" in entity_names else None
    attributions = (tagger.attributions(text, found, scheme) if tagger is not None
                    else find_attributions(text, found, person))
    attributions = [c for a in attributions if (c := _conformed(a, text, scheme)) is not None]
    for start, end, label in sorted({a.new_entity for a in attributions if a.new_entity}):
        spans.append(Span(id=f"e{len(spans) + 1}", start=start, end=end, label=label, text=text[start:end]))
    spans.sort(key=lambda s: (s.start, s.end))
    entity_at = {(s.start, s.end): s.id for s in spans}
    base = base.model_copy(update={"spans": spans})
    builder = _Builder(text, scheme, entity_at)
    for attribution in attributions:
        builder.add(attribution)
    scored = _model_spans(text, predicted, builder.spans, attribution_labels, roles, scheme)
    candidate = base.model_copy(update={"spans": spans + builder.spans + scored, "relations": builder.relations})
    if not check_set(candidate, text, scheme):
        return candidate
    # Something broke the scheme: add the attributions (then the model's spans) one at a time, keeping
    # those that fit.
    kept = base
    builder = _Builder(text, scheme, entity_at)
    for attribution in attributions:
        trial = _Builder(text, scheme, entity_at, builder)
        trial.add(attribution)
        attempt = base.model_copy(update={"spans": spans + trial.spans, "relations": trial.relations})
        findings = check_set(attempt, text, scheme)
        if findings:
            if dropped is not None:
                dropped.append(f"{document.id}: quote {text[attribution.quote[0]:attribution.quote[1]][:40]!r}: "
                               f"{findings[0].as_text()}")
            continue
        builder, kept = trial, attempt
    for span in scored:
        attempt = kept.model_copy(update={"spans": [*kept.spans, span]})
        findings = check_set(attempt, text, scheme)
        if findings:
            if dropped is not None:
                dropped.append(f"{document.id}: model {span.label} {span.text[:40]!r}: {findings[0].as_text()}")
            continue
        kept = attempt
    return kept


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _trimmed(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans without the whitespace at their ends (a model may include it); empty ones dropped."""
    out = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end, label))
    return out


def _model_spans(text: str, predicted: list[tuple[int, int, str, float]], taken: list[Span],
                 labels: set[str | None], roles: Any, scheme: Scheme) -> list[Span]:
    """The model's attribution spans that overlap no span of their label the rules made, with scores;
    a quote's form is `direct` between quotation marks, else `indirect`."""
    made: list[Span] = []
    for n, (start, end, label, score) in enumerate(predicted, 1):
        trimmed = _trimmed(text, [(start, end, label)])
        if label not in labels or not trimmed:
            continue
        start, end, _ = trimmed[0]
        if any(s.label == label and s.start < end and start < s.end for s in [*taken, *made]):
            continue
        attrs = {}
        if label == roles.quote and roles.form:
            marked = start > 0 and text[start - 1] in "“\"‘«" and end < len(text) and text[end] in "”\"’»"
            form = "direct" if marked else "indirect"
            attrs = {roles.form: form} if _allows(scheme, label, roles.form, form) else {}
        made.append(Span(id=f"m{n}", start=start, end=end, label=label, text=text[start:end], attrs=attrs,
                         score=min(max(score, 0.0), 1.0)))
    return made


class _Builder:
    """Spans and relations of attributions; one SPEAKER or CUE span per place, shared."""

    def __init__(self, text: str, scheme: Scheme, entity_at: dict[tuple[int, int], str],
                 start_from: _Builder | None = None) -> None:
        self.text, self.scheme, self.entity_at = text, scheme, entity_at
        self.roles = scheme.resolved_roles
        self.spans: list[Span] = list(start_from.spans) if start_from else []
        self.relations: list[Relation] = list(start_from.relations) if start_from else []
        self.ids: dict[tuple[str, int, int], str] = dict(start_from.ids) if start_from else {}

    def _span(self, label: str, extent: tuple[int, int], prefix: str, attrs: dict[str, str] | None = None,
              fragments: tuple[tuple[int, int], ...] | None = None, score: float | None = None) -> str:
        key = (label, *extent)
        if key not in self.ids:
            span_id = f"{prefix}{len(self.ids) + 1}"
            self.ids[key] = span_id
            self.spans.append(Span(id=span_id, start=extent[0], end=extent[1], label=label,
                                   text=self.text[extent[0]:extent[1]], attrs=attrs or {},
                                   fragments=[(a, b) for a, b in fragments] if fragments else None, score=score))
        return self.ids[key]

    def _relate(self, kind: str | None, source: str, target: str) -> None:
        if kind is None or kind not in self.scheme.relation_types:
            return
        relation = Relation(type=kind, from_=source, to=target)
        if relation not in self.relations:
            self.relations.append(relation)

    def add(self, attribution: Attribution) -> None:
        roles = self.roles
        assert roles.quote and roles.speaker and roles.cue
        form = {roles.form: attribution.form} if roles.form and _allows(self.scheme, roles.quote, roles.form,
                                                                             attribution.form) else {}
        quote_score, speaker_score, cue_score = attribution.scores
        quote = self._span(roles.quote, attribution.quote, "q", form, attribution.fragments, quote_score)
        if attribution.speaker:
            speaker = self._span(roles.speaker, attribution.speaker, "p", score=speaker_score)
            self._relate(roles.attribution, quote, speaker)
            referent = self.entity_at.get(attribution.referent) if attribution.referent else None
            already = any(r.type == roles.reference and r.from_ == speaker for r in self.relations)
            if referent and not already:
                self._relate(roles.reference, speaker, referent)
        if attribution.cue:
            self._relate(roles.cue_link, quote, self._span(roles.cue, attribution.cue, "c", score=cue_score))


def _conformed(attribution: Attribution, text: str, scheme: Scheme) -> Attribution | None:
    """`attribution` with every extent moved to the boundary rules (`conform_span`), so that the
    suggester's own output breaks none of NG601-NG604; None if its quote is left empty. A named
    speaker that is left a pronoun ("He’s" -> "He") is not added as an entity."""
    roles = scheme.resolved_roles
    assert roles.quote and roles.speaker and roles.cue

    def moved(label: str, pieces: list[tuple[int, int]]) -> Span | None:
        first, last = pieces[0][0], pieces[-1][1]
        return conform_span(Span(id="x", label=label, start=first, end=last, text=text[first:last],
                                 fragments=pieces if len(pieces) > 1 else None), text, scheme)

    quote = moved(roles.quote, list(attribution.fragments or [attribution.quote]))
    if quote is None:
        return None
    speaker = moved(roles.speaker, [attribution.speaker]) if attribution.speaker else None
    cue = moved(roles.cue, [attribution.cue]) if attribution.cue else None
    new_entity, referent = attribution.new_entity, attribution.referent
    if new_entity is not None:
        entity = moved(new_entity[2], [new_entity[:2]])
        extent = (entity.start, entity.end) if entity is not None else None
        if entity is None or entity.text.lower() in PERSONAL_PRONOUNS:
            extent = None
        if referent == new_entity[:2]:
            referent = extent
        new_entity = (*extent, new_entity[2]) if extent is not None else None
    return replace(attribution, quote=(quote.start, quote.end),
                   fragments=tuple(quote.fragments) if quote.fragments else None,
                   speaker=(speaker.start, speaker.end) if speaker else None,
                   cue=(cue.start, cue.end) if cue else None, new_entity=new_entity, referent=referent)


def _allows(scheme: Scheme, label: str, attr: str, value: str) -> bool:
    definition = scheme.labels.get(label)
    return definition is not None and any(a.name == attr and value in a.values for a in definition.attrs)


def suggest(corpus: Corpus, *, set_name: str = "suggest", doc_ids: Collection[str] | None = None,
            replace: bool = False, suggester: Suggester = Suggester(),
            model_path: Path | None = None, tagger_path: Path | None = None) -> SuggestReport:
    """Write a suggestion set named `set_name` for every document without one (or only `doc_ids`).

    `replace`: make the suggestion sets of `set_name` again (after the corpus learnt more entities, or
    the rules changed); one that comes out the same is `unchanged`, and nothing is written. A set
    of `set_name` that is not a suggestion set (an annotator's) is never touched: UsageError. Entities
    come from the corpus's own gold and annotation sets; `model_path` adds a model trained by
    `newsgold train` (its spans carry scores); `tagger_path` a role tagger (`newsgold train
    --tagger`), whose quotes, speakers and cues replace the rules'. Sets go through the corpus's
    write path. MissingExtraError without the `suggest` extra.
    """
    require("suggest")
    check_corpus(corpus)
    model = SpanModel(model_path) if model_path is not None else None
    if tagger_path is not None and not tagger_for(corpus.scheme):
        raise UsageError("tagger_path= names a role tagger, which tags QUOTE, SPEAKER and CUE, and this corpus's "
                         "scheme names no such quote, speaker and cue roles: it would go unused; drop it, or add "
                         "the roles to the scheme (docs/scheme.md)")
    tagger = RoleTagger(tagger_path) if tagger_path is not None else None
    problem = annotator_id_problem(set_name)
    if problem is not None:
        raise UsageError(f"set_name={problem}")
    with corpus_write(corpus, "suggest") as write:
        existing: set[str] = set()
        for local in write.sets.local:
            if local.key[1] != set_name:
                continue
            if not local.suggestion:
                raise UsageError(f"{local.key[0]} has a set of {set_name!r} that is not a suggestion set "
                                 "(an annotator's): choose another set_name=")
            existing.add(local.key[0])
        wanted = set(doc_ids) if doc_ids is not None else None
        report = SuggestReport(set_name)
        matcher = corpus_lexicon(corpus).matcher() if suggester.entities else None
        seen: set[str] = set()
        with progress.task("suggest", unit="documents") as bar:
            for document in progress.counted(corpus.iter_documents(), bar):
                if wanted is not None and document.id not in wanted:
                    continue
                seen.add(document.id)
                if document.id in existing and not replace:
                    report.sets.append(SetOutcome(document.id, set_name, "kept", "exists"))
                    continue
                made = suggest_set(document, corpus.scheme, matcher, name=set_name, suggester=suggester, model=model,
                                   tagger=tagger, dropped=report.dropped)
                outcome = write.sets.store(made, "replace")
                report.sets.append(outcome)
                if outcome.status in ("added", "updated"):
                    report.spans += len(made.spans)
                    report.relations += len(made.relations)
        if wanted is not None:
            unknown = sorted(wanted - seen)
            if unknown:
                raise UsageError(f"no document {', '.join(unknown[:5])} in the corpus")
    return report
