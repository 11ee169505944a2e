"""brat folders as documents and candidate sets: every .ann file below a folder is one annotator's set.

The annotator of a file is given, or its folder's name (`annotator_from="folder"`, as newsgold's
`--annotations` export writes them), or its name (`"filename"`: `ARTICLE_ANNOTATOR.ann`). Its text is
`ARTICLE.txt` beside it or anywhere below `texts`; document stance comes from the nearest
`document-stance.jsonl`. A mapping renames labels, relations and attributes and turns events into
relations; a line that still cannot be stored refuses its file unless the caller accepts the loss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Literal

import orjson

from newsgold._io import iter_jsonl_lines, regular_file
from newsgold.corpus.outcomes import Notice
from newsgold.corpus.normalize import decode_utf8
from newsgold.corpus.write import CandidateSet
from newsgold.errors import ImportFormatError, UnreadableInputError
from newsgold.formats.brat import BratDocument, Unstored, read_ann
from newsgold.formats.mapping import ImportMapping
from newsgold.formats.reading import Piece, ReadLog, document_from_raw
from newsgold.schemas.annotation import Origin, Relation, Span, is_annotator_id
from newsgold.schemas.document import IngestSource

__all__ = ["AnnotatorFrom", "STANCE_SIDECAR", "read_brat_folder"]

AnnotatorFrom = Literal["folder", "filename"]
"""Where a brat import finds each file's annotator: the .ann's folder name, or `ARTICLE_ANNOTATOR.ann`."""

STANCE_SIDECAR = "document-stance.jsonl"


def _stance_sidecar(sidecar: Path) -> dict[tuple[str, str | None], dict[str, str]]:
    """(doc_id, annotator or None) -> document stance, from a `document-stance.jsonl` of a brat export."""
    stance: dict[tuple[str, str | None], dict[str, str]] = {}
    for number, _, raw in iter_jsonl_lines(sidecar):
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ImportFormatError(f"{sidecar}:{number}: invalid JSON: {exc}") from None
        values = record.get("stance", {}) if isinstance(record, dict) else None
        who = record.get("annotator") if isinstance(record, dict) else None
        if not (isinstance(record, dict) and isinstance(record.get("doc_id"), str)
                and isinstance(values, dict) and (who is None or isinstance(who, str))
                and all(isinstance(v, str) for v in values.values())):
            raise ImportFormatError(f"{sidecar}:{number}: expected "
                                    '{"doc_id": "...", "annotator": null, "stance": {"TARGET": "VALUE"}}')
        stance.setdefault((record["doc_id"], who), values)
    return stance


def _nearest_sidecar(folder: Path, top: Path) -> Path | None:
    """The `document-stance.jsonl` in `folder` or the nearest folder above it, up to the folder
    around `top` (an export's `gold/` folder has it one level up)."""
    for candidate in (folder, *folder.parents):
        if regular_file(candidate / STANCE_SIDECAR):
            return candidate / STANCE_SIDECAR
        if candidate == top.parent:
            break
    return None


def _brat_annotator(ann_path: Path, annotator: str, annotator_from: AnnotatorFrom | None) -> tuple[str, str]:
    """(article id, annotator) of one .ann file."""
    if annotator_from == "filename":
        article, underscore, who = ann_path.stem.rpartition("_")
        return (article, who) if underscore and article else (ann_path.stem, "")
    if annotator_from == "folder":
        return ann_path.stem, ann_path.parent.name
    return ann_path.stem, annotator


LISTED_LOSSES = 5
"""How many unstorable lines a rejected file names before `... and N more`."""


def _mapped(parsed: BratDocument, mapping: ImportMapping, log: ReadLog,
            relation_types: Collection[str]) -> tuple[list[Span], list[Relation], list[Unstored]]:
    """The spans and relations of one .ann file in the scheme's names, events and equivalences
    turned into relations, and every line that still cannot be stored."""
    unstored = list(parsed.unstored)
    kept: dict[str, Span] = {}
    for span in parsed.spans:
        label = mapping.label(span.label)
        if label is None:
            log.dropped[span.label] += 1
            continue
        attrs = dict(mapping.attribute(name, value) for name, value in span.attrs.items())
        kept[span.id] = span.model_copy(update={"label": label, "attrs": attrs})
    relations = []
    for relation, line in zip(parsed.relations, parsed.relation_lines, strict=True):
        if relation.from_ in kept and relation.to in kept:
            relations.append(relation.model_copy(update={"type": mapping.relations.get(relation.type, relation.type)}))
        else:
            unstored.append(Unstored(line, f"{relation.type} {relation.from_} -> {relation.to}",
                                     f"relation {relation.type} joins a span the mapping does not store"))
    for event in parsed.events:
        becomes = mapping.events.get(event.type)
        if becomes is None:
            unstored.append(Unstored(event.line, event.id, f"event {event.id} of type {event.type} has no "
                                     "mapping to relations"))
            continue
        roles = dict(event.arguments)
        for rule in becomes:
            source, target = roles.get(rule.from_), roles.get(rule.to)
            if source is None or target is None:
                continue  # the event has no argument in that role: no relation
            if source in kept and target in kept:
                relations.append(Relation(type=rule.type, from_=source, to=target))
            else:
                unstored.append(Unstored(event.line, event.id, f"event {event.id} joins a span the mapping "
                                         "does not store"))
    for equivalence in parsed.equivalences:  # one relation between each member and the next
        relation_type = mapping.relations.get(equivalence.type, equivalence.type)
        if relation_type not in relation_types:
            unstored.append(Unstored(equivalence.line, f"* {equivalence.type}", f"equivalence {equivalence.type} "
                                     f"is no relation of the scheme (declare {relation_type} in it, as an "
                                     "annotation.conf's [relations] does, or map it with the mapping's relations)"))
            continue
        members = [m for m in equivalence.members if m in kept]
        if len(members) < len(equivalence.members):
            unstored.append(Unstored(equivalence.line, f"* {equivalence.type}", f"equivalence "
                                     f"{equivalence.type} joins a span the mapping does not store"))
            continue
        relations.extend(Relation(type=relation_type, from_=a, to=b) for a, b in zip(members, members[1:]))
    unique = list({(r.type, r.from_, r.to): r for r in relations}.values())
    return list(kept.values()), unique, unstored


def read_brat_folder(folder: Path, annotator: str, log: ReadLog, *,
                     annotator_from: AnnotatorFrom | None = None, texts: Path | None = None,
                     mapping: ImportMapping | None = None, accept_loss: bool = False,
                     relation_types: Collection[str] = ()) -> Iterator[Piece]:
    """Every .ann file below `folder` (recursively), each a set of its annotator, with its text
    found beside it, or by article id anywhere below `texts` (or `folder`): one file at a time,
    holding only the sha256 of each article's text to find annotators' texts that differ.
    Equivalences become relations where their (mapped) type is one of `relation_types` (the
    scheme's), one between each member and the next."""
    if not folder.is_dir():
        raise UnreadableInputError(f"{folder}: not a folder of brat .txt/.ann files")
    if texts is not None and not texts.is_dir():
        raise UnreadableInputError(f"texts={texts}: not a folder")
    ann_paths = sorted(p for p in folder.rglob("*.ann") if regular_file(p))
    if not ann_paths:
        raise ImportFormatError(f"{folder}: no .ann files (looked in every subfolder)")
    text_index: dict[str, Path] = {}
    for txt in sorted((texts or folder).rglob("*.txt")):
        text_index.setdefault(txt.stem, txt)
    sidecars: dict[Path, dict[tuple[str, str | None], dict[str, str]]] = {}
    text_sha256: dict[str, str] = {}
    for ann_path in ann_paths:
        article, who = _brat_annotator(ann_path, annotator, annotator_from)
        ann_text = decode_utf8(ann_path.read_bytes(), str(ann_path))
        item = {"ann": ann_text}
        if not is_annotator_id(who):
            log.refuse(str(ann_path), f"annotator {who!r} (from its {annotator_from}) is not an annotator "
                          "id: letters, digits and . _ @ + - only", item)
            continue
        txt_path = ann_path.with_name(f"{article}.txt")
        if not regular_file(txt_path):
            txt_path = text_index.get(article, txt_path)
        if not regular_file(txt_path):
            log.refuse(str(ann_path), f"no {article}.txt beside it or below {texts or folder} "
                          "(name the folder of texts with texts=FOLDER)", item)
            continue
        content = txt_path.read_bytes()
        raw_text = decode_utf8(content, str(txt_path))
        try:
            document, raw = document_from_raw(article, raw_text,
                                      IngestSource(path=str(txt_path), format="brat",
                                                   raw_sha256=hashlib.sha256(content).hexdigest()), None)
        except ImportFormatError as exc:
            log.refuse(str(ann_path), str(exc), item)
            continue
        known = text_sha256.get(article)
        if known is not None and known != document.sha256:
            log.refuse(str(ann_path), f"its text {txt_path} differs from the {article}.txt of another "
                          "annotator's file", item)
            continue
        text_sha256[article] = document.sha256
        try:
            parsed = read_ann(ann_text, raw_text, str(ann_path))
        except ImportFormatError as exc:
            log.refuse(str(ann_path), str(exc).removeprefix(f"{ann_path}:"), item)
            yield document, []  # the text is good: the document is stored even if its annotations are not
            continue
        spans, relations, unstored = _mapped(parsed, mapping or ImportMapping(), log, relation_types)
        log.normalized.extend(Notice("stored-other-than-written", None, f"{ann_path}:{n.line}", {"why": n.why})
                              for n in parsed.normalized)
        if unstored and not accept_loss:
            shown = "; ".join(f"line {u.line}: {u.why}" for u in unstored[:LISTED_LOSSES])
            more = f"; ... and {len(unstored) - LISTED_LOSSES} more" if len(unstored) > LISTED_LOSSES else ""
            log.refuse(str(ann_path), f"{len(unstored)} line(s) cannot be stored ({shown}{more}); map them "
                          "with mapping=FILE, or pass accept_loss=True to store the rest", item)
            yield document, []
            continue
        log.lost.extend(Notice("line-not-stored", None, f"{ann_path}:{u.line}", {"why": u.why}) for u in unstored)
        sidecar = _nearest_sidecar(ann_path.parent, folder)
        if sidecar is not None and sidecar not in sidecars:
            sidecars[sidecar] = _stance_sidecar(sidecar)
        stance_of = sidecars.get(sidecar, {}) if sidecar is not None else {}
        stance = stance_of.get((article, who)) or stance_of.get((article, None)) or {}
        yield document, [CandidateSet(
            doc_id=document.id, text=document.text, doc_sha256=document.sha256, annotator=who,
            origin=Origin(source="import", detail=str(ann_path)), spans=spans, relations=relations,
            stance=stance, normalized=raw, where=str(ann_path), item=item)]


