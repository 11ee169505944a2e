"""Label Studio JSON exports (a list of tasks) as documents and candidate sets, one task at a time.

The array is parsed incrementally (ijson), so memory holds one task, not the export. Annotators are
named as Label Studio names them (`completed_by`: an e-mail address and a user id): the write path
makes them pseudonyms with the corpus's salt, as a pull does, so an annotation imported and then
pulled (or imported twice) is one set of one annotator. `meta.newsgold_annotator`, which newsgold's
own export writes, names the annotator as it is.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


from newsgold._io import hash_file, regular_file
from newsgold.corpus.outcomes import Notice
from newsgold.corpus.normalize import NormalizedText
from newsgold.corpus.pseudonyms import Identity
from newsgold.corpus.write import CandidateComment, CandidateSet
from newsgold.errors import ImportFormatError, UnreadableInputError
from newsgold.formats.labelstudio.convert import is_json_int as _is_int
from newsgold.formats.labelstudio.convert import json_type_name as _json_type
from newsgold.formats.labelstudio.convert import note_comment, results_to_content
from newsgold.formats.reading import Piece, ReadLog, document_from_raw
from newsgold.schemas.annotation import Origin, is_annotator_id
from newsgold.schemas.document import Document, IngestSource
from newsgold.schemas.scheme import Scheme
from newsgold.extras import require

__all__ = ["read_label_studio_export"]


def read_label_studio_export(path: Path, scheme: Scheme, log: ReadLog,
                             set_name: str | None = None) -> Iterator[Piece]:
    """Each task of the export at `path` as its document and candidate sets; predictions become
    sets of `set_name` (`NAME-2`, ... for a task's later ones) when it is given, and are
    noted in `log.skipped` otherwise, as drafts and skipped annotations are. Raises
    UnreadableInputError or ImportFormatError when the file is no export at all; MissingExtraError
    without the `studio` extra."""
    require("studio")
    import ijson  # imported here: the formats load with every export, and only this reader needs it

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
            source = IngestSource(path=str(path), format="label-studio", line=None, raw_sha256=raw_sha)
            for position, task in enumerate(ijson.items(f, "item", use_float=True), 1):
                yield _task(task, position, path, source, scheme, log, set_name)
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    except ijson.JSONError as exc:
        raise ImportFormatError(f"{path}: not a Label Studio JSON export: {exc}") from None


_FIRST_BYTE_TYPES: dict[int, str] = {ord("{"): "an object", ord('"'): "a string", ord("t"): "a boolean", ord("f"): "a boolean",
                     ord("n"): "null"}


def _first_byte(f: IO[bytes]) -> int | None:
    """The first byte that is not JSON whitespace (the file is left there), or None."""
    while True:
        byte = f.read(1)
        if not byte:
            return None
        if byte not in b" \t\r\n":
            f.seek(-1, os.SEEK_CUR)
            return byte[0]


def _task(task: Any, position: int, path: Path, source: IngestSource, scheme: Scheme, log: ReadLog,
          set_name: str | None) -> Piece:
    """One task: its document (None when it has none) and the candidate sets of its annotations."""
    data = task.get("data") if isinstance(task, dict) else None
    task_id = task.get("id") if isinstance(task, dict) else None
    task_name = f"task {task_id}" if _is_int(task_id) else f"task #{position}"
    where = f"{path}: {task_name}"
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        log.refuse(where, "has no data.text string", task)
        return None, []
    doc_id = data.get("doc_id")
    if doc_id is None:
        doc_id = f"ls-task-{task_id if _is_int(task_id) else position}"
    title = data.get("title")
    if not isinstance(doc_id, str) or not (title is None or isinstance(title, str)):
        log.refuse(where, "data.doc_id and data.title must be strings", task)
        return None, []
    try:
        document, raw = document_from_raw(doc_id, data["text"], source, title)
    except ImportFormatError as exc:
        log.refuse(where, str(exc).removeprefix(f"{path}: "), task)
        return None, []
    candidates: list[CandidateSet] = []
    annotations = task.get("annotations")
    if annotations is None:
        annotations = []
    if not isinstance(annotations, list):
        log.refuse(where, f"annotations is {_json_type(annotations)}, not a list", task)
        return document, candidates
    for number, annotation in enumerate(annotations, 1):
        candidate = _candidate(annotation, number, where, document, raw, data["text"], task_id, path,
                               scheme, log)
        if candidate is not None:
            candidates.append(candidate)
    predictions = task.get("predictions") or []
    if not isinstance(predictions, list):
        log.refuse(where, f"predictions is {_json_type(predictions)}, not a list", task)
        return document, candidates
    if predictions and set_name is None:
        log.skipped.append(Notice("predictions-not-imported", document.id, where, {"count": len(predictions)}))
    for number, prediction in enumerate(predictions if set_name else [], 1):
        name = set_name if number == 1 else f"{set_name}-{number}"
        candidate = _candidate(prediction, number, f"{where} prediction", document, raw, data["text"],
                               task_id, path, scheme, log, annotator=name)
        if candidate is not None:
            candidates.append(candidate)
    drafts = task.get("drafts") or []
    if isinstance(drafts, list) and drafts:
        log.skipped.append(Notice("drafts-not-imported", document.id, where, {"count": len(drafts)}))
    return document, candidates


def _candidate(annotation: Any, number: int, task_where: str, document: Document, raw: NormalizedText,
               text: str, task_id: Any, path: Path, scheme: Scheme, log: ReadLog,
               annotator: str | None = None) -> CandidateSet | None:
    if not isinstance(annotation, dict):
        log.refuse(f"{task_where} annotation #{number}", f"is {_json_type(annotation)}, not an object", annotation)
        return None
    annotation_id = annotation.get("id")
    where = f"{task_where} annotation {annotation_id if _is_int(annotation_id) else '#' + str(number)}"
    if annotation.get("was_cancelled") is True:
        log.skipped.append(Notice("skipped-by-annotator", document.id, where))
        return None
    for name in ("created_at", "updated_at"):
        if not (annotation.get(name) is None or isinstance(annotation.get(name), str)):
            log.refuse(where, f"{name} is {_json_type(annotation.get(name))}, not a date string", annotation)
            return None
    if not (annotation_id is None or _is_int(annotation_id)):
        log.refuse(where, "its id is not an integer", annotation)
        return None
    who = annotator or _annotator(annotation)
    if isinstance(who, str) and not is_annotator_id(who):
        log.refuse(where, f"annotator {who!r} is not a valid annotator id", annotation)
        return None
    converted = results_to_content(annotation.get("result") or [], text, scheme)
    if converted.errors:
        log.refuse(where, "; ".join(f"region {e.region_id}: {e.message}" for e in converted.errors), annotation)
        return None
    log.skipped.extend(Notice("result-not-as-given", document.id, where, {"why": warning}) for warning in converted.warnings)
    written_at = annotation.get("updated_at") or annotation.get("created_at")
    comments: list[CandidateComment] | None = (
        None if converted.note is None else [note_comment(converted.note, who, written_at)])
    return CandidateSet(
        doc_id=document.id, text=document.text, doc_sha256=document.sha256, annotator=who,
        origin=Origin(source="import", task_id=task_id if _is_int(task_id) else None,
                      project_id=annotation.get("project") if _is_int(annotation.get("project")) else None,
                      annotation_id=annotation_id, ground_truth=annotation.get("ground_truth") is True,
                      created_at=annotation.get("created_at"), updated_at=annotation.get("updated_at"),
                      detail=str(path)),
        spans=converted.spans, relations=converted.relations, stance=converted.stance,
        attrs=converted.attrs, comments=comments, normalized=raw, where=where, item=annotation)


def _annotator(annotation: dict[str, Any]) -> str | Identity:
    """Who made an annotation: the annotator newsgold's export named, else the Label Studio user
    (a person the write path makes a pseudonym of), else `ground-truth` for unowned ground truth."""
    meta = annotation.get("meta")
    named = meta.get("newsgold_annotator") if isinstance(meta, dict) else None
    if isinstance(named, str):
        return named
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        email, user_id = completed_by.get("email"), completed_by.get("id")
        return Identity(email if isinstance(email, str) else None, user_id if _is_int(user_id) else None)
    if annotation.get("ground_truth") is True and completed_by is None:
        return "ground-truth"
    return Identity(None, completed_by if _is_int(completed_by) else None)
