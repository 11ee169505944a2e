"""`import`: bring documents and annotations from a Label Studio JSON export or a brat folder.

Texts are normalized as at ingest (BOM dropped, CRLF -> LF), and every span's offsets, made on
the raw text, are remapped onto the stored text; a span whose edge falls inside a dropped CRLF is
reported, never stored wrong. Label Studio regions go through the same offset proofs as the sync.
Everything is written in one transaction, and only if the result validates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import ValidationError

from newsgold._io import Transaction
from newsgold.corpus.checks import check_set
from newsgold.corpus.ingest import IngestResult, extract_title, stage_documents
from newsgold.corpus.normalize import NormalizedText, decode_utf8, normalize_text
from newsgold.corpus.store import Corpus, record_line
from newsgold.errors import ImportFormatError, UnreadableInputError, UsageError
from newsgold.exports.formats.brat import read_ann
from newsgold.labelstudio.convert import results_to_content
from newsgold.labelstudio.state import load_state
from newsgold.schemas.annotation import AnnotationSet, Origin, Relation, Span, content_fingerprint
from newsgold.schemas.document import Document, DocumentMeta, IngestSource

__all__ = ["ImportReport", "import_annotations"]

ImportFormat = Literal["label-studio", "brat"]


@dataclass
class ImportReport:
    """What an import added, and what it could not store and why."""

    documents: IngestResult = field(default_factory=IngestResult)
    added_sets: list[str] = field(default_factory=list)
    unchanged_sets: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when something could not be imported."""
        return not self.rejected


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


def _document(doc_id: str, raw_text: str, source: IngestSource, title: str | None) -> tuple[Document, NormalizedText]:
    normalized = normalize_text(raw_text)
    extracted_title, section = extract_title(normalized.text)
    meta = DocumentMeta(title=title or extracted_title, section=section, ingested_from=source)
    try:
        return Document.from_text(doc_id, normalized.text, meta), normalized
    except ValidationError as exc:
        raise ImportFormatError(f"{source.path}: document id {doc_id!r}: {exc.errors()[0]['msg']}") from None


def _remap(spans: list[Span], raw: NormalizedText, where: str, report: ImportReport) -> list[Span] | None:
    if not raw.changed:
        return spans
    mapped = []
    for span in spans:
        if not raw.maps_cleanly(span.start, span.end):
            report.rejected.append(f"{where}: span {span.id} [{span.start},{span.end}) splits a CRLF line "
                                   "break that ingest turns into LF; it cannot be mapped")
            return None
        start, end = raw.to_stored(span.start), raw.to_stored(span.end)
        mapped.append(span.model_copy(update={"start": start, "end": end, "text": raw.text[start:end]}))
    return mapped


def _label_studio_candidates(corpus: Corpus, path: Path,
                             report: ImportReport) -> tuple[list[Document], list[_Candidate]]:
    try:
        tasks = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise ImportFormatError(f"{path}: not a Label Studio JSON export: {exc}") from None
    if not isinstance(tasks, list):
        raise ImportFormatError(f"{path}: a Label Studio JSON export is a list of tasks")
    state = load_state(corpus.state_dir)
    raw_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    documents, candidates = [], []
    for position, task in enumerate(tasks, 1):
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ImportFormatError(f"{path}: task #{position} has no data.text")
        task_id = task.get("id")
        doc_id = data.get("doc_id") or f"ls-task-{task_id if task_id is not None else position}"
        document, raw = _document(str(doc_id), data["text"],
                                  IngestSource(path=str(path), format="label-studio", line=None,
                                               raw_sha256=raw_sha), data.get("title"))
        documents.append(document)
        for annotation in task.get("annotations") or []:
            where = f"{path}: task {task_id if task_id is not None else '#' + str(position)} annotation {annotation.get('id')}"
            if annotation.get("was_cancelled"):
                report.skipped.append(f"{where} (skipped by the annotator)")
                continue
            converted = results_to_content(annotation.get("result") or [], data["text"], corpus.scheme)
            if converted.errors:
                report.rejected.extend(f"{where} region {e.region_id}: {e.message}" for e in converted.errors)
                continue
            candidates.append(_Candidate(
                document, raw, _ls_annotator(annotation, state), converted.spans, converted.relations,
                converted.stance,
                Origin(source="import", task_id=task_id if isinstance(task_id, int) else None,
                       annotation_id=annotation.get("id") if isinstance(annotation.get("id"), int) else None,
                       ground_truth=bool(annotation.get("ground_truth")),
                       created_at=annotation.get("created_at"), updated_at=annotation.get("updated_at"),
                       detail=str(path)),
                where))
    return documents, candidates


def _ls_annotator(annotation: dict[str, Any], state: Any) -> str:
    named = (annotation.get("meta") or {}).get("newsgold_annotator")
    if isinstance(named, str):
        return named
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        return state.pseudonym(completed_by.get("email"), completed_by.get("id"))
    if annotation.get("ground_truth") and completed_by is None:
        return "ground-truth"
    return state.pseudonym(None, completed_by)


def _brat_candidates(corpus: Corpus, folder: Path, annotator: str,
                     report: ImportReport) -> tuple[list[Document], list[_Candidate]]:
    if not folder.is_dir():
        raise UnreadableInputError(f"{folder}: not a folder of brat .txt/.ann files")
    stance: dict[str, dict[str, str]] = {}
    for sidecar in (folder / "document-stance.jsonl", folder.parent / "document-stance.jsonl"):
        if sidecar.is_file():
            for line in sidecar.read_bytes().splitlines():
                if line.strip():
                    record = orjson.loads(line)
                    stance.setdefault(record["doc_id"], record.get("stance") or {})
            break
    candidates = []
    for ann_path in sorted(folder.glob("*.ann")):
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.is_file():
            raise ImportFormatError(f"{ann_path}: no {txt_path.name} beside it")
        content = txt_path.read_bytes()
        raw_text = decode_utf8(content, str(txt_path))
        document, raw = _document(ann_path.stem, raw_text,
                                  IngestSource(path=str(txt_path), format="brat",
                                               raw_sha256=hashlib.sha256(content).hexdigest()), None)
        parsed = read_ann(decode_utf8(ann_path.read_bytes(), str(ann_path)), raw_text, str(ann_path))
        candidates.append(_Candidate(document, raw, annotator, parsed.spans, parsed.relations,
                                     stance.get(ann_path.stem, {}),
                                     Origin(source="import", detail=str(ann_path)), str(ann_path)))
    if not candidates:
        raise ImportFormatError(f"{folder}: no .ann files")
    return [c.document for c in candidates], candidates


def import_annotations(corpus: Corpus, import_format: ImportFormat, path: Path, *,
                       annotator: str = "brat", replace: bool = False) -> ImportReport:
    """Import documents and annotation sets from `path` into `corpus` (one transaction).

    Label Studio annotators become pseudonyms (or the `newsgold_annotator` newsgold's own export
    records); brat sets get `annotator`. An annotation whose spans cannot be mapped, or that breaks
    the scheme, is reported in `rejected` and not stored; a set that already exists for the same
    document and annotator is kept if identical and reported otherwise.
    """
    report = ImportReport()
    path = Path(path)
    if import_format == "label-studio":
        documents, candidates = _label_studio_candidates(corpus, path, report)
    elif import_format == "brat":
        documents, candidates = _brat_candidates(corpus, path, annotator, report)
    else:
        raise UsageError(f"unknown import format {import_format!r}; use label-studio or brat")

    existing = {s.key: content_fingerprint(s) for s in corpus.iter_annotation_sets()}
    new_sets: list[AnnotationSet] = []
    for candidate in candidates:
        spans = _remap(candidate.spans, candidate.raw, candidate.where, report)
        if spans is None:
            continue
        annotation_set = AnnotationSet(
            doc_id=candidate.document.id, doc_sha256=candidate.document.sha256, annotator=candidate.annotator,
            origin=candidate.origin, spans=spans, relations=candidate.relations, stance=candidate.stance)
        findings = check_set(annotation_set, candidate.document.text, corpus.scheme)
        if findings:
            details = "; ".join(f"[{f.rule}] {f.field}: {f.message}" for f in findings[:5])
            report.rejected.append(f"{candidate.where}: breaks the scheme ({details})")
            continue
        key = f"{annotation_set.doc_id}/{annotation_set.annotator}"
        fingerprint = content_fingerprint(annotation_set)
        previous = existing.get(annotation_set.key)
        if previous is not None:
            if previous == fingerprint:
                report.unchanged_sets.append(key)
            else:
                report.rejected.append(f"{candidate.where}: the corpus already has a different set {key}")
            continue
        existing[annotation_set.key] = fingerprint
        new_sets.append(annotation_set)
        report.added_sets.append(key)

    with Transaction() as txn:
        report.documents = stage_documents(corpus, documents, txn, replace=replace)
        if new_sets:
            txn.write_lines(corpus.annotations_path, _appended(corpus, new_sets))
    return report


def _appended(corpus: Corpus, new_sets: list[AnnotationSet]):  # type: ignore[no-untyped-def]
    if corpus.annotations_path.is_file():
        with open(corpus.annotations_path, "rb") as f:
            for line in f:
                if line.strip():
                    yield line if line.endswith(b"\n") else line + b"\n"
    for annotation_set in new_sets:
        yield record_line(annotation_set)
