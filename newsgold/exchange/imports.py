"""`import`: bring documents and annotations from a Label Studio JSON export or a brat folder.

Texts are normalized as at ingest (BOM dropped, CRLF -> LF), and every span's offsets, made on
the raw text, are remapped onto the stored text; a span whose edge falls inside a dropped CRLF is
reported, never stored wrong. Label Studio regions go through the same offset proofs as the sync.
Everything is written in one transaction, and only if nothing was rejected (or the caller asked
to skip what was, which then goes to a file of its own).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import Iterator
from typing import IO, Any, Literal

import ijson

import orjson
from pydantic import ValidationError

from newsgold import _progress as progress
from newsgold._io import Transaction, hash_file, iter_jsonl_lines, regular_file
from newsgold.corpus.checks import check_set
from newsgold.corpus.lock import writes_corpus
from newsgold.corpus.ingest import IngestResult, extract_title, stage_documents
from newsgold.corpus.normalize import NormalizedText, decode_utf8, normalize_text
from newsgold.corpus.rewrite import stage_rewrite
from newsgold.corpus.store import Corpus, first_error_text, record_line
from newsgold.errors import ImportFormatError, UnreadableInputError, UsageError
from newsgold.formats.brat import BratDocument, Unstored, read_ann
from newsgold.formats.mapping import ImportMapping, load_mapping
from newsgold.formats.labelstudio.convert import is_json_int as _is_int
from newsgold.formats.labelstudio.convert import json_type_name as _json_type
from newsgold.formats.labelstudio.convert import note_comment, results_to_content
from newsgold.formats.labelstudio.state import load_state
from newsgold.schemas.annotation import (
    AnnotationSet,
    Comment,
    Origin,
    Relation,
    Span,
    content_fingerprint,
    is_annotator_id,
)
from newsgold.schemas.document import Document, DocumentMeta, IngestSource

__all__ = ["ImportReport", "RejectedItem", "import_annotations"]

ImportFormat = Literal["label-studio", "brat"]


@dataclass(frozen=True)
class RejectedItem:
    """A piece of the input an import could not store: where it was, why, and the piece itself."""

    where: str
    reason: str
    item: Any


@dataclass
class ImportReport:
    """What an import added, and what it could not store and why.

    `written` is False when the import stored nothing because something was rejected (the
    default, all-or-nothing); with `skip_invalid` the rest is stored and the rejected pieces are
    written to `rejected_path`.
    """

    documents: IngestResult = field(default_factory=IngestResult)
    added_sets: list[str] = field(default_factory=list)
    unchanged_sets: list[str] = field(default_factory=list)
    rejected_items: list[RejectedItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    """`file:line: why` of each brat line not stored, accepted with `accept_loss`."""
    dropped: int = 0
    """Spans a mapping chose not to store (labels mapped to null)."""
    written: bool = False
    rejected_path: Path | None = None

    @property
    def rejected(self) -> list[str]:
        """One line per rejected piece: `where: reason`."""
        return [f"{r.where}: {r.reason}" for r in self.rejected_items]

    def reject(self, where: str, reason: str, item: Any) -> None:
        """Record a piece of the input that cannot be stored."""
        self.rejected_items.append(RejectedItem(where, reason, item))

    @property
    def ok(self) -> bool:
        """False when something could not be imported."""
        return not self.rejected_items


@dataclass
class _Candidate:
    document: Document
    raw: NormalizedText
    annotator: str
    spans: list[Span]
    relations: list[Relation]
    stance: dict[str, str]
    origin: Origin
    where: str
    item: Any
    attrs: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] | None = None


_Piece = tuple[Document | None, list[_Candidate]]
"""What one task (or .ann file) of the input holds: its document, if it has a usable one, and its sets."""


def _document(doc_id: str, raw_text: str, source: IngestSource, title: str | None) -> tuple[Document, NormalizedText]:
    normalized = normalize_text(raw_text)
    extracted_title, section = extract_title(normalized.text)
    meta = DocumentMeta(title=title or extracted_title, section=section, ingested_from=source)
    try:
        return Document.from_text(doc_id, normalized.text, meta), normalized
    except ValidationError as exc:
        raise ImportFormatError(f"{source.path}: document id {doc_id!r}: {exc.errors()[0]['msg']}") from None


def _remap(spans: list[Span], raw: NormalizedText, where: str, report: ImportReport,
           item: Any) -> list[Span] | None:
    if not raw.changed:
        return spans
    mapped = []
    for span in spans:
        if not raw.maps_cleanly(span.start, span.end):
            report.reject(where, f"span {span.id} [{span.start},{span.end}) splits a CRLF line "
                          "break that ingest turns into LF; it cannot be mapped", item)
            return None
        start, end = raw.to_stored(span.start), raw.to_stored(span.end)
        mapped.append(span.model_copy(update={"start": start, "end": end, "text": raw.text[start:end]}))
    return mapped


_FIRST_BYTE_TYPES: dict[int, str] = {ord("{"): "an object", ord('"'): "a string", ord("t"): "a boolean", ord("f"): "a boolean",
                     ord("n"): "null"}


def _label_studio_pieces(corpus: Corpus, path: Path, report: ImportReport,
                         predictions_as: str | None = None) -> Iterator[_Piece]:
    """Each task of a Label Studio JSON export as its document and candidate sets, one task at a
    time: the array is parsed incrementally (ijson), so memory holds one task, not the export."""
    if not regular_file(path):
        raise UnreadableInputError(f"{path}: no such file (a Label Studio JSON export)")
    try:
        with open(path, "rb") as f:
            digest = hashlib.sha256()
            hash_file(f, digest)
            raw_sha = digest.hexdigest()
            f.seek(0)
            first = _first_byte(f)
            if first is None:
                raise ImportFormatError(f"{path}: not a Label Studio JSON export: the file is empty")
            if first != ord("["):
                kind = _FIRST_BYTE_TYPES.get(first, "a number" if first in b"-0123456789" else None)
                if kind is None:
                    raise ImportFormatError(f"{path}: not a Label Studio JSON export: it is not JSON")
                raise ImportFormatError(f"{path}: a Label Studio JSON export is a list of tasks, not {kind}")
            state = load_state(corpus.state_dir)
            source = IngestSource(path=str(path), format="label-studio", line=None, raw_sha256=raw_sha)
            for position, task in enumerate(ijson.items(f, "item", use_float=True), 1):
                yield _ls_task(task, position, path, source, state, corpus, report, predictions_as)
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    except ijson.JSONError as exc:
        raise ImportFormatError(f"{path}: not a Label Studio JSON export: {exc}") from None


def _first_byte(f: IO[bytes]) -> int | None:
    """The first byte that is not JSON whitespace (the file is left there), or None."""
    while True:
        byte = f.read(1)
        if not byte:
            return None
        if byte not in b" \t\r\n":
            f.seek(-1, os.SEEK_CUR)
            return byte[0]


def _ls_task(task: Any, position: int, path: Path, source: IngestSource, state: Any, corpus: Corpus,
             report: ImportReport, predictions_as: str | None) -> _Piece:
    """One task: its document (None when it has none) and the candidate sets of its annotations."""
    data = task.get("data") if isinstance(task, dict) else None
    task_id = task.get("id") if isinstance(task, dict) else None
    task_name = f"task {task_id}" if _is_int(task_id) else f"task #{position}"
    where = f"{path}: {task_name}"
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        report.reject(where, "has no data.text string", task)
        return None, []
    doc_id = data.get("doc_id")
    if doc_id is None:
        doc_id = f"ls-task-{task_id if _is_int(task_id) else position}"
    title = data.get("title")
    if not isinstance(doc_id, str) or not (title is None or isinstance(title, str)):
        report.reject(where, "data.doc_id and data.title must be strings", task)
        return None, []
    try:
        document, raw = _document(doc_id, data["text"], source, title)
    except ImportFormatError as exc:
        report.reject(where, str(exc).removeprefix(f"{path}: "), task)
        return None, []
    candidates: list[_Candidate] = []
    annotations = task.get("annotations")
    if annotations is None:
        annotations = []
    if not isinstance(annotations, list):
        report.reject(where, f"annotations is {_json_type(annotations)}, not a list", task)
        return document, candidates
    for number, annotation in enumerate(annotations, 1):
        candidate = _ls_candidate(annotation, number, where, document, raw, data["text"],
                                  task_id, path, state, corpus, report)
        if candidate is not None:
            candidates.append(candidate)
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        report.reject(where, f"predictions is {_json_type(predictions)}, not a list", task)
        return document, candidates
    if predictions and predictions_as is None:
        report.skipped.append(f"{where}: {len(predictions)} prediction(s) not imported (pass "
                              "--predictions-as NAME to import them as sets of NAME)")
    for number, prediction in enumerate(predictions if predictions_as else [], 1):
        name = predictions_as if number == 1 else f"{predictions_as}-{number}"
        candidate = _ls_candidate(prediction, number, f"{where} prediction", document, raw, data["text"],
                                  task_id, path, state, corpus, report, annotator=name)
        if candidate is not None:
            candidates.append(candidate)
    drafts = task.get("drafts") or []
    if isinstance(drafts, list) and drafts:
        report.skipped.append(f"{where}: {len(drafts)} draft(s) not imported (not submitted)")
    return document, candidates


def _ls_candidate(annotation: Any, number: int, task_where: str, document: Document,
                  raw: NormalizedText, text: str, task_id: Any, path: Path, state: Any,
                  corpus: Corpus, report: ImportReport, annotator: str | None = None) -> _Candidate | None:
    if not isinstance(annotation, dict):
        report.reject(f"{task_where} annotation #{number}",
                      f"is {_json_type(annotation)}, not an object", annotation)
        return None
    annotation_id = annotation.get("id")
    where = f"{task_where} annotation {annotation_id if _is_int(annotation_id) else '#' + str(number)}"
    if annotation.get("was_cancelled") is True:
        report.skipped.append(f"{where} (skipped by the annotator)")
        return None
    for name in ("created_at", "updated_at"):
        if not (annotation.get(name) is None or isinstance(annotation.get(name), str)):
            report.reject(where, f"{name} is {_json_type(annotation.get(name))}, not a date string",
                          annotation)
            return None
    if not (annotation_id is None or _is_int(annotation_id)):
        report.reject(where, "its id is not an integer", annotation)
        return None
    annotator = annotator or _ls_annotator(annotation, state)
    if not is_annotator_id(annotator):
        report.reject(where, f"annotator {annotator!r} is not a valid annotator id", annotation)
        return None
    converted = results_to_content(annotation.get("result") or [], text, corpus.scheme)
    if converted.errors:
        reasons = "; ".join(f"region {e.region_id}: {e.message}" for e in converted.errors)
        report.reject(where, reasons, annotation)
        return None
    report.skipped.extend(f"{where}: {warning}" for warning in converted.warnings)
    return _Candidate(
        document, raw, annotator, converted.spans, converted.relations, converted.stance,
        Origin(source="import", task_id=task_id if _is_int(task_id) else None,
               annotation_id=annotation_id,
               ground_truth=annotation.get("ground_truth") is True,
               created_at=annotation.get("created_at"), updated_at=annotation.get("updated_at"),
               detail=str(path)),
        where, annotation, attrs=converted.attrs, comments=_ls_note(converted.note, annotator, annotation))


def _ls_note(note: str | None, annotator: str, annotation: dict[str, Any]) -> list[Comment] | None:
    """The note for the adjudicator written in the labeling page, as the set's comment."""
    if note is None:
        return None
    return [note_comment(note, annotator, annotation.get("updated_at") or annotation.get("created_at"))]


def _ls_annotator(annotation: dict[str, Any], state: Any) -> str:
    meta = annotation.get("meta")
    named = meta.get("newsgold_annotator") if isinstance(meta, dict) else None
    if isinstance(named, str):
        return named
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        email, user_id = completed_by.get("email"), completed_by.get("id")
        return state.annotator_id(email if isinstance(email, str) else None,
                                  user_id if _is_int(user_id) else None)
    if annotation.get("ground_truth") is True and completed_by is None:
        return "ground-truth"
    return state.annotator_id(None, completed_by if _is_int(completed_by) else None)


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


def _mapped(parsed: BratDocument, mapping: ImportMapping,
            report: ImportReport) -> tuple[list[Span], list[Relation], list[Unstored]]:
    """The spans and relations of one .ann file in the scheme's names, events turned into relations,
    and every line that still cannot be stored."""
    unstored = list(parsed.unstored)
    kept: dict[str, Span] = {}
    for span in parsed.spans:
        label = mapping.label(span.label)
        if label is None:
            report.dropped += 1
            continue
        attrs = dict(mapping.attribute(name, value) for name, value in span.attrs.items())
        kept[span.id] = span.model_copy(update={"label": label, "attrs": attrs})
    relations = []
    for relation in parsed.relations:
        if relation.from_ in kept and relation.to in kept:
            relations.append(relation.model_copy(update={"type": mapping.relations.get(relation.type, relation.type)}))
        else:
            unstored.append(Unstored(0, f"{relation.type} {relation.from_} -> {relation.to}",
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
    unique = list({(r.type, r.from_, r.to): r for r in relations}.values())
    return list(kept.values()), unique, unstored


def _brat_pieces(corpus: Corpus, folder: Path, annotator: str, report: ImportReport, *,
                 annotator_from: AnnotatorFrom | None = None, texts: Path | None = None,
                 mapping: ImportMapping | None = None, accept_loss: bool = False) -> Iterator[_Piece]:
    """Every .ann file below `folder` (recursively), each a set of its annotator, with its text
    found beside it, or by article id anywhere below `texts` (or `folder`): one file at a time,
    holding only the sha256 of each article's text to find annotators' texts that differ."""
    if not folder.is_dir():
        raise UnreadableInputError(f"{folder}: not a folder of brat .txt/.ann files")
    if texts is not None and not texts.is_dir():
        raise UnreadableInputError(f"--texts {texts}: not a folder")
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
            report.reject(str(ann_path), f"annotator {who!r} (from its {annotator_from}) is not an annotator "
                          "id: letters, digits and . _ @ + - only", item)
            continue
        txt_path = ann_path.with_name(f"{article}.txt")
        if not regular_file(txt_path):
            txt_path = text_index.get(article, txt_path)
        if not regular_file(txt_path):
            report.reject(str(ann_path), f"no {article}.txt beside it or below {texts or folder} "
                          "(name the folder of texts with --texts)", item)
            continue
        content = txt_path.read_bytes()
        raw_text = decode_utf8(content, str(txt_path))
        try:
            document, raw = _document(article, raw_text,
                                      IngestSource(path=str(txt_path), format="brat",
                                                   raw_sha256=hashlib.sha256(content).hexdigest()), None)
        except ImportFormatError as exc:
            report.reject(str(ann_path), str(exc), item)
            continue
        known = text_sha256.get(article)
        if known is not None and known != document.sha256:
            report.reject(str(ann_path), f"its text {txt_path} differs from the {article}.txt of another "
                          "annotator's file", item)
            continue
        text_sha256[article] = document.sha256
        try:
            parsed = read_ann(ann_text, raw_text, str(ann_path))
        except ImportFormatError as exc:
            report.reject(str(ann_path), str(exc).removeprefix(f"{ann_path}:"), item)
            yield document, []  # the text is good: the document is stored even if its annotations are not
            continue
        spans, relations, unstored = _mapped(parsed, mapping or ImportMapping(), report)
        if unstored and not accept_loss:
            shown = "; ".join(f"line {u.line}: {u.why}" for u in unstored[:LISTED_LOSSES])
            more = f"; ... and {len(unstored) - LISTED_LOSSES} more" if len(unstored) > LISTED_LOSSES else ""
            report.reject(str(ann_path), f"{len(unstored)} line(s) cannot be stored ({shown}{more}); map them "
                          "with --mapping, or pass --accept-loss to store the rest", item)
            yield document, []
            continue
        report.lost.extend(f"{ann_path}:{u.line}: {u.why}" for u in unstored)
        sidecar = _nearest_sidecar(ann_path.parent, folder)
        if sidecar is not None and sidecar not in sidecars:
            sidecars[sidecar] = _stance_sidecar(sidecar)
        stance_of = sidecars.get(sidecar, {}) if sidecar is not None else {}
        stance = stance_of.get((article, who)) or stance_of.get((article, None)) or {}
        yield document, [_Candidate(document, raw, who, spans, relations, stance,
                                    Origin(source="import", detail=str(ann_path)), str(ann_path), item)]


@writes_corpus
def import_annotations(corpus: Corpus, import_format: ImportFormat, path: Path, *,
                       annotator: str = "brat", annotator_from: AnnotatorFrom | None = None,
                       texts: Path | None = None, predictions_as: str | None = None,
                       mapping: str | Path | None = None, accept_loss: bool = False, replace: bool = False,
                       skip_invalid: bool = False, rejected_path: Path | None = None) -> ImportReport:
    """Import documents and annotation sets from `path` into `corpus`, all or nothing.

    Label Studio annotators become pseudonyms (or the `newsgold_annotator` newsgold's own export
    records); predictions become sets of `predictions_as` (`NAME-2`, ... for a task's later ones)
    when it is given, and are reported otherwise, as drafts are. brat: every .ann file below `path`, recursively, is one set, of `annotator`, or of
    the annotator its folder (`annotator_from="folder"`, as newsgold's `--annotations` export
    writes them) or its name (`"filename"`: `ARTICLE_ANNOTATOR.ann`) gives; its text is
    `ARTICLE.txt` beside it or anywhere below `texts`; document stance comes from the nearest
    `document-stance.jsonl`. `mapping` (a file or a preset such as `polnear`) renames labels,
    relations and attributes and turns events into relations. An .ann line that still cannot be
    stored (an unmapped event, a note, a normalization, the gap of a discontinuous span) rejects
    its file, unless `accept_loss`: then the rest is stored and the lines are listed in `lost`.
    Every piece that cannot be stored (a task without text,
    an annotation whose regions cannot be proven or that breaks the scheme, a brat line newsgold
    does not store, a set that differs from one already in the corpus) is listed in
    `rejected_items`, and then nothing is written, unless `skip_invalid`: then the rest is stored
    and the rejected pieces, with their reasons, are written to `rejected_path` (default:
    `.newsgold/rejected/import-STEM-TIME.jsonl` in the corpus).
    """
    if not is_annotator_id(annotator):
        raise UsageError(f"--annotator {annotator!r} is not an annotator id: use letters, digits "
                         "and . _ @ + - (up to 128), starting with a letter or digit")
    report = ImportReport()
    path = Path(path)
    pieces: Iterator[_Piece]
    if import_format == "label-studio":
        if predictions_as is not None and not is_annotator_id(predictions_as):
            raise UsageError(f"--predictions-as {predictions_as!r} is not an annotator id")
        pieces = _label_studio_pieces(corpus, path, report, predictions_as)
    elif import_format == "brat":
        pieces = _brat_pieces(
            corpus, path, annotator, report, annotator_from=annotator_from, texts=texts,
            mapping=load_mapping(mapping) if mapping is not None else None, accept_loss=accept_loss)
    else:
        raise UsageError(f"unknown import format {import_format!r}; use label-studio or brat")

    existing = {s.key: content_fingerprint(s) for s in corpus.iter_annotation_sets()}
    txn = Transaction()
    with tempfile.TemporaryFile() as new_sets, progress.task(f"import {import_format}") as bar:
        try:
            def documents() -> Iterator[Document]:
                """The documents of the input, in order; their accepted sets go to `new_sets` meanwhile."""
                for document, candidates in pieces:
                    bar.advance()
                    for candidate in candidates:
                        _accept(candidate, corpus, existing, report, new_sets)
                    if document is not None:
                        yield document

            report.documents = stage_documents(corpus, documents(), txn, replace=replace)
            if report.rejected_items and not skip_invalid:
                txn.rollback()
                report.added_sets.clear()
                report.documents = IngestResult()
                return report
            if report.added_sets:
                new_sets.seek(0)
                stage_rewrite(txn, corpus.root, corpus.annotations_path, append=iter(new_sets))
            if report.rejected_items:
                report.rejected_path = rejected_path or _default_rejected_path(corpus, path)
                txn.write_lines(report.rejected_path, (
                    orjson.dumps({"where": r.where, "reason": r.reason, "item": r.item}) + b"\n"
                    for r in report.rejected_items))
            txn.commit()
        except BaseException:
            txn.rollback()
            raise
    report.written = True
    return report


def _accept(candidate: _Candidate, corpus: Corpus, existing: dict[tuple[str, str], str], report: ImportReport,
            new_sets: IO[bytes]) -> None:
    """Check one candidate set; write it to `new_sets` if it is new and valid, else say why not."""
    spans = _remap(candidate.spans, candidate.raw, candidate.where, report, candidate.item)
    if spans is None:
        return
    try:
        annotation_set = AnnotationSet(
            doc_id=candidate.document.id, doc_sha256=candidate.document.sha256,
            annotator=candidate.annotator, origin=candidate.origin, spans=spans,
            relations=candidate.relations, stance=candidate.stance, attrs=candidate.attrs,
            comments=candidate.comments)
    except ValidationError as exc:
        report.reject(candidate.where, f"not a valid set ({first_error_text(exc)})", candidate.item)
        return
    findings = check_set(annotation_set, candidate.document.text, corpus.scheme)
    if findings:
        details = "; ".join(f.as_text() for f in findings)
        report.reject(candidate.where, f"breaks the scheme ({details})", candidate.item)
        return
    key = f"{annotation_set.doc_id}/{annotation_set.annotator}"
    fingerprint = content_fingerprint(annotation_set)
    previous = existing.get(annotation_set.key)
    if previous is not None:
        if previous == fingerprint:
            report.unchanged_sets.append(key)
        else:
            report.reject(candidate.where, f"the corpus already has a different set {key}", candidate.item)
        return
    existing[annotation_set.key] = fingerprint
    new_sets.write(record_line(annotation_set))
    report.added_sets.append(key)


def _default_rejected_path(corpus: Corpus, source: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return corpus.state_dir / "rejected" / f"import-{source.stem or 'input'}-{stamp}.jsonl"
