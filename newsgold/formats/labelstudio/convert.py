"""Conversion between newsgold records and Label Studio tasks, results and annotations."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsgold.formats.labelstudio.config import (
    CONTINUES,
    NOTE_NAME,
    TEXT_NAME,
    attr_control,
    doc_attr_control,
    doc_stance_control,
    parse_control,
    stance_control,
)
from newsgold.formats.labelstudio.offsets import Utf16Map, display_text, read_region
from newsgold.corpus.pseudonyms import Identity
from newsgold.corpus.write.sets import CandidateComment
from newsgold.schemas.annotation import Comment, Relation, Span, _SetContent, join_fragments
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme

__all__ = [
    "note_comment",
    "note_result",
    "document_task",
    "set_to_results",
    "ConvertedResults",
    "RegionError",
    "results_to_content",
    "region_span_id",
]

_SPAN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def document_task(document: Document) -> dict[str, Any]:
    """The task data Label Studio imports for a document; doc_id and doc_sha256 map it back."""
    return {
        "text": document.text,
        "doc_id": document.id,
        "doc_sha256": document.sha256,
        "title": document.meta.title or document.id,
    }


def set_to_results(content: _SetContent, scheme: Scheme, text: str | None = None, *,
                   unlabel_implied: bool = False) -> list[dict[str, Any]]:
    """Label Studio results (regions, per-region choices, relations, document choices) of a set.

    A discontinuous span (with `fragments`, given the document `text`) becomes one region per
    fragment, the first with the span's id and choices, joined in order by `continues` relations:
    what an annotator draws in the UI for such a span, and what `results_to_content` reads back.
    With `unlabel_implied`, a relation whose type is the only one the scheme allows between its
    ends' labels goes without its label, as an annotator draws it (the labeling page then shows an
    arrow without a type tag over the words; `results_to_content` types it back the same).
    """
    label_of = {span.id: span.label for span in content.spans}
    layer_of = scheme.layer_of
    region_of, implied = _speaker_regions(content, scheme)
    results: list[dict[str, Any]] = []
    for span in content.spans:
        value = {"start": span.start, "end": span.end, "text": span.text}
        if span.id in region_of:  # a speaker over an entity's words: the SPEAKER label on the entity's region
            results.append({"id": region_of[span.id], "from_name": layer_of.get(span.label, span.label),
                            "to_name": TEXT_NAME, "type": "labels", "value": {**value, "labels": [span.label]}})
            if span.score is not None:
                results[-1]["score"] = span.score
            continue
        if span.fragments and text is not None:
            ids = [span.id] + [f"{span.id}-f{n}" for n in range(2, len(span.fragments) + 1)]
            for region_id, (a, b) in zip(ids, span.fragments, strict=True):
                results.append({"id": region_id, "from_name": layer_of.get(span.label, span.label),
                                "to_name": TEXT_NAME, "type": "labels",
                                "value": {"start": a, "end": b, "text": text[a:b], "labels": [span.label]}})
            results.extend({"from_id": a, "to_id": b, "type": "relation", "direction": "right",
                            "labels": [CONTINUES]} for a, b in zip(ids, ids[1:]))
            a, b = span.fragments[0]
            value = {"start": a, "end": b, "text": text[a:b]}
        else:
            results.append({"id": span.id, "from_name": layer_of.get(span.label, span.label),
                            "to_name": TEXT_NAME, "type": "labels",
                            "value": {**value, "labels": [span.label]}})
            if span.score is not None:  # a model's confidence: Label Studio shows it with the prediction
                results[-1]["score"] = span.score
        for name, chosen in span.attrs.items():
            results.append({"id": span.id, "from_name": attr_control(span.label, name),
                            "to_name": TEXT_NAME, "type": "choices",
                            "value": {**value, "choices": [chosen]}})
        for target, chosen in span.stance.items():
            results.append({"id": span.id, "from_name": stance_control(target),
                            "to_name": TEXT_NAME, "type": "choices",
                            "value": {**value, "choices": [chosen]}})
    for relation in content.relations:
        if relation in implied:
            continue
        ends = (label_of.get(relation.from_, ""), label_of.get(relation.to, ""))
        unlabelled = unlabel_implied and _relation_type([], *ends, scheme) == relation.type
        results.append({"from_id": region_of.get(relation.from_, relation.from_),
                        "to_id": region_of.get(relation.to, relation.to), "type": "relation",
                        "direction": "right", "labels": [] if unlabelled else [relation.type]})
    for target, chosen in content.stance.items():
        results.append({"id": f"doc-stance-{target}"[:64], "from_name": doc_stance_control(target),
                        "to_name": TEXT_NAME, "type": "choices", "value": {"choices": [chosen]}})
    for name, chosen in content.attrs.items():
        results.append({"id": f"doc-attr-{name}"[:64], "from_name": doc_attr_control(name),
                        "to_name": TEXT_NAME, "type": "choices", "value": {"choices": [chosen]}})
    return results


def _speaker_regions(content: _SetContent, scheme: Scheme) -> tuple[dict[str, str], list[Relation]]:
    """The speakers drawn as the guidelines prescribe, on their entity's region: SPEAKER span id ->
    the region (the entity span's id) it becomes a second label of, for a SPEAKER whose words are
    exactly an entity's it may refer to, and which refers to that entity or to none; and the
    `refers_to` relations that such a region implies (`results_to_content` makes them again)."""
    roles = scheme.resolved_roles
    reference = scheme.relation_types.get(roles.reference) if roles.reference else None
    if reference is None or roles.speaker is None:
        return {}, []
    pairs = {tuple(pair) for pair in reference.pairs}
    referred = {r.from_: r for r in content.relations if r.type == reference.name}
    at: dict[tuple[int, int], list[Span]] = {}
    for span in content.spans:
        if not span.fragments:
            at.setdefault((span.start, span.end), []).append(span)
    region_of: dict[str, str] = {}
    implied: list[Relation] = []
    taken: set[str] = set()
    for span in content.spans:
        if span.label != roles.speaker or span.fragments:
            continue
        drawn = referred.get(span.id)
        entity = next((other for other in at.get((span.start, span.end), [])
                       if (roles.speaker, other.label) in pairs and other.id not in taken
                       and (drawn is None or drawn.to == other.id)), None)
        if entity is None:
            continue
        taken.add(entity.id)
        region_of[span.id] = entity.id
        if drawn is not None:
            implied.append(drawn)
    return region_of, implied


def note_comment(note: str, annotator: str | Identity, written_at: object) -> CandidateComment:
    """The note for the adjudicator as a comment of the annotator's set: by the annotator, at the
    annotation's time (if Label Studio gave one as text), with no `comment_id` (it is no comment of
    Label Studio's comments API)."""
    return CandidateComment(author=annotator, text=note,
                            created_at=written_at if isinstance(written_at, str) else None)


def note_result(comments: Sequence[Comment], annotator: str) -> dict[str, Any] | None:
    """The "Note for the adjudicator" result that carries a set's comments into a Label Studio JSON
    export: the annotator's own note as written, every other comment as `author: text` on its own
    line. Import reads it back as one comment of the set (None: no comments)."""
    lines = [c.text if c.comment_id is None and c.author == annotator else f"{c.author}: {c.text}"
             for c in comments]
    if not lines:
        return None
    return {"id": "doc-note", "from_name": NOTE_NAME, "to_name": TEXT_NAME, "type": "textarea",
            "value": {"text": lines}}


def region_span_id(region_id: str) -> str:
    """A span id for a Label Studio region id (kept as is when it is a valid span id)."""
    if _SPAN_ID.match(region_id):
        return region_id
    cleaned = re.sub(r"[^A-Za-z0-9._:-]", "_", region_id)
    digest = hashlib.sha256(region_id.encode()).hexdigest()[:6]
    return f"r{cleaned[:50]}{digest}"


@dataclass(frozen=True)
class RegionError:
    """A region whose offsets reproduce no reading of the text the annotator saw."""

    region_id: str
    message: str


@dataclass
class ConvertedResults:
    """Spans, relations and document choices converted from one annotation's results."""

    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stance: dict[str, str] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    """What the annotator wrote in the note for the adjudicator (None if nothing)."""
    errors: list[RegionError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    utf16_regions: int = 0


def results_to_content(results: list[dict[str, Any]], text: str, scheme: Scheme) -> ConvertedResults:
    """Convert Label Studio results made on `text` into spans, relations and document choices.

    Offsets are proven against `value.text` (code points first, then UTF-16 units); a region no
    reading reproduces becomes a RegionError and the caller must not store the annotation. A
    region labelled in several controls (PERSON and SPEAKER over the same words) becomes one span
    per label, and a relation to it lands on the span whose label the relation allows; two regions
    of one id at different offsets, or a label the scheme lacks, are errors, never dropped.
    Relations without a type get the only type the scheme allows between their labels. A relation
    whose ends cannot have its type moves to the regions over the same characters that can (drawn
    to the PERSON region over a speaker's words: stored on the SPEAKER region), with a warning. A
    region labelled SPEAKER and an entity label also gets the speaker -> entity relation (roles
    `reference`) it means.
    """
    if not isinstance(results, list):
        out = ConvertedResults()
        out.errors.append(RegionError("", f"result is {json_type_name(results)}, not a list of regions"))
        return out
    reading = _Reading(text, scheme)
    for position, result in enumerate(results, 1):
        _read_result(reading, position, result)
    if reading.out.errors:
        return reading.out
    owner = _join_fragments(results, reading.region_offsets, reading.labels_of, reading.out)
    if reading.out.errors:
        return reading.out
    _make_spans(reading, owner)
    _make_relations(reading, results, owner)
    return reading.out


@dataclass
class _Reading:
    """What `results_to_content` has read so far of one annotation's results."""

    text: str
    scheme: Scheme
    out: ConvertedResults = field(default_factory=lambda: ConvertedResults())
    region_offsets: dict[str, tuple[int, int]] = field(default_factory=dict)
    labels_of: dict[str, list[str]] = field(default_factory=dict)
    span_attrs: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    span_stance: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.utf16 = Utf16Map(self.text)
        self.known_labels = self.scheme.labels


def _read_result(r: _Reading, position: int, result: Any) -> None:
    """Read one result: a labelled region, a choice (of a region or of the document), the note, or a
    relation (only checked here; relations are read once every region is known)."""
    if not isinstance(result, dict):
        r.out.errors.append(RegionError(f"#{position}", f"a region is {json_type_name(result)}, not an object"))
        return
    kind = result.get("type")
    if kind == "relation":
        if not (isinstance(result.get("from_id"), str) and isinstance(result.get("to_id"), str)):
            r.out.errors.append(RegionError(f"#{position}", "a relation needs string from_id and to_id"))
        return
    value = result.get("value")
    region_id = result.get("id", "")
    if not isinstance(region_id, str) or not isinstance(value, dict):
        r.out.errors.append(RegionError(str(region_id)[:40] or f"#{position}",
                                      "a region needs a string id and an object value"))
        return
    if kind == "labels":
        labels = value.get("labels")
        if not isinstance(labels, list) or not all(isinstance(n, str) for n in labels):
            r.out.errors.append(RegionError(region_id, "value.labels is not a list of strings"))
            return
        unknown = [name for name in labels if name not in r.known_labels]
        if unknown or not labels:
            r.out.errors.append(RegionError(region_id, f"labels {labels} are not in the scheme" if len(unknown) ==
                                          len(labels) else f"label(s) {unknown} of {labels} are not in the scheme"))
            return
        start, end, shown = value.get("start"), value.get("end"), value.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and is_json_int(start)
                and is_json_int(end)) or not (shown is None or isinstance(shown, str)):
            r.out.errors.append(RegionError(
                region_id, f"value.start {start!r} and value.end {end!r} must be integers and "
                f"value.text a string if given ({json_type_name(shown)} given)"))
            return
        reading = read_region(r.text, start, end, shown, r.utf16)
        if reading is None:
            covered = r.text[max(start, 0):max(end, 0)]
            r.out.errors.append(RegionError(region_id, (
                f"offsets [{start},{end}) cover {display_text(covered)!r}, not the selected text "
                f"{shown!r}, in code points or UTF-16 units") if shown is not None else (
                f"offsets [{start},{end}) without value.text cannot be read: they lie outside the text "
                f"of {len(r.text)} characters, or the text has characters outside the BMP, where code "
                "points and UTF-16 units differ (export the regions with their text)")))
            return
        if reading.counting == "utf-16":
            r.out.utf16_regions += 1
        known = r.region_offsets.get(region_id)
        if known is not None and known != (reading.start, reading.end):
            r.out.errors.append(RegionError(region_id, (
                f"two regions have the id {region_id}, at [{known[0]},{known[1]}) and "
                f"[{reading.start},{reading.end}): one id, one place; save the annotation again in "
                "Label Studio so that each region has its own id")))
            return
        r.region_offsets[region_id] = (reading.start, reading.end)
        names = r.labels_of.setdefault(region_id, [])
        names.extend(name for name in labels if name not in names)
    elif kind == "choices":
        from_name = result.get("from_name")
        control = parse_control(from_name) if isinstance(from_name, str) else None
        choices = value.get("choices")
        chosen = choices[0] if isinstance(choices, list) and choices else None
        if control is not None and chosen is not None and not isinstance(chosen, str):
            r.out.errors.append(RegionError(region_id, f"choice {chosen!r} is not a string"))
            return
        if control is None or chosen is None:
            r.out.warnings.append(f"choices of {result.get('from_name')!r} are not from the newsgold config; ignored")
            return
        if control[0] == "attr":
            r.span_attrs.setdefault(region_id, {})[(control[1], control[2])] = chosen
        elif control[0] == "stance":
            r.span_stance.setdefault(region_id, {})[control[1]] = chosen
        elif control[0] == "doc_stance":
            r.out.stance[control[1]] = chosen
        elif control[0] == "doc_attr":
            r.out.attrs[control[1]] = chosen
    elif kind == "textarea":
        lines = value.get("text")
        if result.get("from_name") != NOTE_NAME:
            r.out.warnings.append(f"text of {result.get('from_name')!r} is not from the newsgold config; ignored")
        elif not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            r.out.errors.append(RegionError(region_id, "the note's value.text is not a list of strings"))
        else:
            written = "\n".join(line.strip() for line in lines if line.strip())
            r.out.note = "\n".join(filter(None, [r.out.note, written])) or None
    else:
        r.out.warnings.append(f"a region of type {kind!r} is not from the newsgold config; ignored")


def _make_spans(r: _Reading, owner: dict[str, str]) -> None:
    """One span per label of every region (a discontinuous span's fragments joined), with the
    choices of its label."""
    pieces: dict[str, list[tuple[int, int]]] = {}
    for region_id, offsets in r.region_offsets.items():
        pieces.setdefault(owner.get(region_id, region_id), []).append(offsets)
    for choices in (r.span_attrs, r.span_stance):  # the choices of any fragment are the span's
        _to_heads(choices, owner)
    for region_id, parts in sorted(pieces.items(), key=lambda item: min(item[1])):
        parts = join_fragments(parts, r.text)
        start, end = parts[0][0], parts[-1][1]
        labels = r.labels_of[region_id]
        for label in labels:  # one span per label; choices go to the label that declares them
            attrs = {name: value for (owner_label, name), value in r.span_attrs.get(region_id, {}).items()
                     if len(labels) == 1 or owner_label == label}
            stance = r.span_stance.get(region_id, {}) if len(labels) == 1 or r.known_labels[label].stance else {}
            r.out.spans.append(Span(
                id=_span_id(region_id, label, labels), start=start, end=end, label=label, text=r.text[start:end],
                attrs=attrs, stance=stance, fragments=parts if len(parts) > 1 else None))
    for region_id in set(r.span_attrs) | set(r.span_stance):
        if region_id not in r.region_offsets:
            r.out.warnings.append(f"per-region choices of region {region_id} have no labelled region; ignored")


def _make_relations(r: _Reading, results: list[dict[str, Any]], owner: dict[str, str]) -> None:
    """The typed relations between the spans, and the speaker -> entity relations a region labelled
    both means."""
    for result in results:
        if result.get("type") != "relation" or result.get("labels") == [CONTINUES]:
            continue
        source, target = str(result.get("from_id")), str(result.get("to_id"))
        labels = result.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(n, str) for n in labels):
            r.out.errors.append(RegionError(f"{source}->{target}", "relation labels are not a list of strings"))
            return
        if source not in r.labels_of or target not in r.labels_of:
            r.out.warnings.append(f"relation {source} -> {target} points at a missing region; ignored")
            continue
        source, target = owner.get(source, source), owner.get(target, target)
        if result.get("direction") == "left":
            source, target = target, source
        where = f"{source}->{target}"
        shown_source, shown_target = "/".join(r.labels_of[source]), "/".join(r.labels_of[target])
        if len(labels) > 1:
            r.out.errors.append(RegionError(where, f"relation {shown_source} -> {shown_target} has "
                                          f"several labels {labels}; keep one in Label Studio"))
            continue
        typed = _typed_relation(labels, source, target, r.labels_of, r.scheme)
        if typed is None and result.get("direction") == "bi":
            typed = _typed_relation(labels, target, source, r.labels_of, r.scheme)
        if typed is None:  # drawn to the entity over the speaker's words, say: the region of an allowed
            typed, moved = _on_twin_regions(labels, source, target, r.labels_of, r.region_offsets, owner, r.scheme)
            if typed is not None:
                r.out.relations.append(typed)
                r.out.warnings.append(f"relation {shown_source} -> {shown_target} ({where}) joins labels its type does "
                                    f"not allow; stored on {moved}, over the same words")
                continue
        if typed is None:
            allowed = sorted({rel.name for rel in r.scheme.relations for a in r.labels_of[source] for b in r.labels_of[target]
                              if (a, b) in {tuple(p) for p in rel.pairs}})
            r.out.errors.append(RegionError(where, (
                f"relation {shown_source} -> {shown_target} labelled {labels[0]!r}, which the scheme "
                f"does not allow between them" if labels else
                f"relation {shown_source} -> {shown_target} has no label, and the scheme allows "
                f"{len(allowed)} types between them") + f" (allowed: {', '.join(allowed) or 'none'}); "
                "in Label Studio, delete this relation and draw it again between the right regions (where "
                "two regions cover the same words, pick the one you mean in the Regions list)"))
            continue
        r.out.relations.append(typed)
    r.out.relations.extend(_implied_references(r.labels_of, owner, r.out.relations, r.scheme))


def _implied_references(labels_of: dict[str, list[str]], owner: dict[str, str], drawn: list[Relation],
                        scheme: Scheme) -> list[Relation]:
    """The speaker -> entity relation (roles `reference`) that a region labelled both SPEAKER and an
    entity label means, unless the speaker has a drawn one (to that entity or another): the guidelines' way to mark a speaker who is a
    named entity is to add the SPEAKER label to the entity's region, one region that a click in the
    text selects whole."""
    roles = scheme.resolved_roles
    reference = scheme.relation_types.get(roles.reference) if roles.reference else None
    if reference is None or roles.speaker is None:
        return []
    pairs = {tuple(pair) for pair in reference.pairs}
    referring = {r.from_ for r in drawn if r.type == reference.name}  # a drawn reference wins
    implied: list[Relation] = []
    for region_id, labels in labels_of.items():
        if owner.get(region_id, region_id) != region_id or roles.speaker not in labels:
            continue
        speaker = _span_id(region_id, roles.speaker, labels)
        entity = next((label for label in labels if (roles.speaker, label) in pairs), None)
        if entity is not None and speaker not in referring:
            implied.append(Relation(type=reference.name, from_=speaker, to=_span_id(region_id, entity, labels)))
    return implied


def _to_heads(choices: dict[str, Any], owner: dict[str, str]) -> None:
    """Move the choices of every fragment of a discontinuous span onto its first region."""
    for region_id in list(choices):
        head = owner.get(region_id, region_id)
        if head != region_id:
            choices.setdefault(head, {}).update(choices.pop(region_id))


def _span_id(region_id: str, label: str, labels: list[str]) -> str:
    """The span id of one label of a region: the region's own for its first label, `REGION.LABEL` for
    the others (a region labelled in two controls is two spans)."""
    return region_span_id(region_id if label == labels[0] else f"{region_id}.{label}")


def _typed_relation(labels: list[str], source: str, target: str, labels_of: dict[str, list[str]],
                    scheme: Scheme) -> Relation | None:
    """The relation between two regions, on the first pair of their labels (spans) whose type it can
    have (see `_relation_type`); None if no pair fits."""
    for from_label in labels_of[source]:
        for to_label in labels_of[target]:
            relation_type = _relation_type(labels, from_label, to_label, scheme)
            if relation_type is not None:
                return Relation(type=relation_type, from_=_span_id(source, from_label, labels_of[source]),
                                to=_span_id(target, to_label, labels_of[target]))
    return None


def _on_twin_regions(labels: list[str], source: str, target: str, labels_of: dict[str, list[str]],
                     region_offsets: dict[str, tuple[int, int]], owner: dict[str, str],
                     scheme: Scheme) -> tuple[Relation | None, str]:
    """The relation between regions over the same characters as its ends (a SPEAKER region over a
    PERSON's words) when its own ends cannot have it, and which regions it moved to. Label Studio
    selects the region drawn first when two cover the same words, so a click meant for the speaker
    often lands on the entity."""

    def twins(region: str) -> list[str]:
        where = region_offsets.get(region)
        return [region] + [other for other in region_offsets if other != region and region_offsets[other] == where
                           and owner.get(other, other) == other and other in labels_of]

    for new_source in twins(source):
        for new_target in twins(target):
            if (new_source, new_target) == (source, target):
                continue
            typed = _typed_relation(labels, new_source, new_target, labels_of, scheme)
            if typed is not None:
                moved = [f"the {'/'.join(labels_of[new])} region {new}" for old, new in
                         ((source, new_source), (target, new_target)) if old != new]
                return typed, " and ".join(moved)
    return None, ""


def _join_fragments(results: list[dict[str, Any]], region_offsets: dict[str, tuple[int, int]],
                    labels_of: dict[str, list[str]], out: ConvertedResults) -> dict[str, str]:
    """Region id -> the id of the first region of its discontinuous span, from `continues` relations."""
    parent: dict[str, str] = {}

    def root(region: str) -> str:
        while parent.get(region, region) != region:
            region = parent[region]
        return region

    for result in results:
        if result.get("type") != "relation" or result.get("labels") != [CONTINUES]:
            continue
        a, b = str(result.get("from_id")), str(result.get("to_id"))
        if a not in region_offsets or b not in region_offsets:
            out.errors.append(RegionError(f"{a}->{b}", "a continues relation must join two labelled regions"))
            continue
        if labels_of[a] != labels_of[b]:
            out.errors.append(RegionError(f"{a}->{b}", f"continues joins a {'/'.join(labels_of[a])} to a "
                                          f"{'/'.join(labels_of[b])}: "
                                          "the fragments of one span have one label"))
            continue
        parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for region in list(parent):
        groups.setdefault(root(region), []).append(region)
    owner: dict[str, str] = {}
    for head, members in groups.items():
        first = min([head, *members], key=lambda r: region_offsets[r])
        for region in {head, *members}:
            owner[region] = first
    return owner


def is_json_int(value: object) -> bool:
    """True for a JSON integer (a Python int that is not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def json_type_name(value: object) -> str:
    """How JSON calls the type of `value`, for messages (an object, a list, null, ...)."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _relation_type(labels: list[str], from_label: str, to_label: str, scheme: Scheme) -> str | None:
    """The relation's type: its label if the scheme allows it between the two labels; without a
    label, the one type the scheme allows between them (None if none or several)."""
    fitting = [r.name for r in scheme.relations if (from_label, to_label) in {tuple(p) for p in r.pairs}]
    if labels:
        return labels[0] if labels[0] in fitting else None
    return fitting[0] if len(fitting) == 1 else None
