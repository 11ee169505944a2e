"""`validate`: stream every file of a corpus and report every problem with file, line and rule."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

import orjson
from pydantic import ValidationError

from newsgold._io import regular_file
from newsgold import _progress as progress
from newsgold._parallel import ByteRange, RangeLines, available_jobs, byte_ranges, map_ranges
from newsgold.corpus.boundaries import boundary_findings
from newsgold.corpus.checks import check_set
from newsgold.corpus.problems import Problem, finding_problem, model_problems
from newsgold.corpus.problems import record_id as _record_id
from newsgold.corpus.index import DocumentIndex, DocumentReader
from newsgold.corpus.manifest import ManifestError, read_manifest
from newsgold.corpus.records import ANNOTATIONS_FILE, GOLD_FILE
from newsgold.corpus.store import Corpus, document_paths
from newsgold.corpus.outcomes import Report
from newsgold.corpus.lock import finish_killed_commit
from newsgold.errors import UnreadableInputError
from newsgold.rules import RULES
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.scheme import Scheme

__all__ = ["Problem", "ValidationReport", "validate", "render_problems"]

OutputFormat = Literal["text", "json", "github"]


@dataclass
class ValidationReport(Report):
    """The outcome of `validate`: every problem found and what was read."""

    corpus: str
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    annotation_sets: int = 0
    gold_sets: int = 0
    spans: int = 0

    @property
    def ok(self) -> bool:
        """True when no error rule is broken (warnings do not make a corpus invalid)."""
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the corpus invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The span boundary warnings (NG6xx)."""
        return [p for p in self.problems if p.severity == "warning"]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary: valid, counts, and the problems with their fixes."""
        return {
            "corpus": self.corpus,
            "ok": self.ok,
            "valid": self.ok,
            "counts": {
                "documents": self.documents,
                "annotation_sets": self.annotation_sets,
                "gold_sets": self.gold_sets,
                "spans": self.spans,
                "problems": len(self.problems),
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
            "problems": [asdict(p) | {"fix": p.fix, "severity": p.severity} for p in self.problems],
        }


def render_problems(report: ValidationReport, output: OutputFormat = "text") -> str:
    """Render a report as text lines, one JSON document, or GitHub workflow commands."""
    if output == "json":
        return orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode()
    if output == "github":
        return "\n".join(p.as_github() for p in report.problems)
    lines = [p.as_text() for p in report.problems]
    summary = (
        f"{report.corpus}: {report.documents} documents, {report.annotation_sets} annotation sets, "
        f"{report.gold_sets} gold sets, {report.spans} spans: "
    )
    count, warnings = len(report.errors), len(report.warnings)
    summary += "valid" if report.ok else f"{count} problem{'s' if count != 1 else ''}"
    if warnings:
        summary += f" ({warnings} boundary warning{'s' if warnings != 1 else ''})"
    return "\n".join([*lines, summary])


def _load_manifest(root: Path, report: ValidationReport) -> Scheme | None:
    """The corpus's scheme, or None with the manifest's or scheme's problems added to `report`."""
    try:
        return read_manifest(root)[1]
    except ManifestError as exc:
        file = str(exc.path)
        for problem in model_problems(exc.error, file, 1, None):
            if exc.part == "scheme":
                code = "NG002"
            else:
                code = "NG002" if (problem.field or "").startswith("scheme") else problem.rule
                code = code if code in ("NG002", "NG101") else "NG001"
            report.problems.append(Problem(code, file, None, None, problem.field, problem.message))
        return None


def validate(root: Corpus | Path | str, *, jobs: int | None = None) -> ValidationReport:
    """Validate the corpus at `root` (a folder, or an open Corpus, as every other operation takes):
    every record against its model, then the semantic rules. It takes a folder too because it must
    report a manifest that no Corpus could be opened with.

    Streams each file once (plus one seek per annotated document); memory holds only the id
    index and the results of a few byte ranges. `jobs` is the number of processes (default: one
    per available CPU; files under two ranges of `CHUNK_BYTES` are read in this process); the
    report is the same for any `jobs`. Returns a report of every problem; raises
    CorpusNotFoundError (no manifest) or UnreadableInputError (a file exists but cannot be read).
    """
    root = root.root if isinstance(root, Corpus) else Path(root)
    finish_killed_commit(root)
    jobs = available_jobs() if jobs is None else max(1, jobs)
    report = ValidationReport(corpus=str(root))
    scheme = _load_manifest(root, report)
    try:
        _validate_files(root, scheme, jobs, report)
    except UnreadableInputError as exc:
        if "[NG" in str(exc):
            raise
        raise UnreadableInputError(f"{exc}: {RULES['NG003'].fix} [NG003]") from None
    return report


def _validate_files(root: Path, scheme: Scheme | None, jobs: int, report: ValidationReport) -> None:
    index = DocumentIndex(files=document_paths(root))
    broken_ids: set[str] = set()
    document_ranges = [_ranges(path) for path in index.files]
    set_files = {path: model for path, model in ((root / ANNOTATIONS_FILE, AnnotationSet),
                                                 (root / GOLD_FILE, GoldSet)) if regular_file(path)}
    ranges = [r for path in set_files for r in _ranges(path)]
    total = sum(r.end - r.start for rs in document_ranges for r in rs) + sum(r.end - r.start for r in ranges)
    with progress.task("validate", total, "bytes") as bar:
        for file_index, path_ranges in enumerate(document_ranges):
            lines_before = 0
            for chunk, byte_range in zip(map_ranges(_check_documents, None, path_ranges, jobs), path_ranges):
                _merge_documents(chunk, file_index, lines_before, index, broken_ids, report)
                lines_before += chunk.lines
                bar.advance(byte_range.end - byte_range.start)
        shared = _SetContext(set_files, scheme, index, frozenset(broken_ids))
        file, seen, lines_before = "", _SeenSets(0), 0
        for set_chunk, byte_range in zip(map_ranges(_check_sets, shared, ranges, jobs), ranges):
            if set_chunk.file != file:
                file, seen, lines_before = set_chunk.file, _SeenSets(len(index)), 0
            _merge_sets(set_chunk, lines_before, seen, report)
            lines_before += set_chunk.lines
            bar.advance(byte_range.end - byte_range.start)


def _ranges(path: Path) -> list[ByteRange]:
    try:
        return byte_ranges(path)
    except OSError as exc:
        raise UnreadableInputError(f"{path}: cannot read: {exc.strerror}") from None


def _shifted(problems: list[Problem], lines_before: int) -> list[Problem]:
    if not lines_before:
        return problems
    return [replace(p, line=p.line + lines_before) if p.line else p for p in problems]


@dataclass(slots=True)
class _DocumentChunk:
    """What a byte range of a documents file holds: valid documents and model problems."""

    lines: int = 0
    problems: list[Problem] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    documents: list[tuple[int, int, int, str, str, str | None]] = field(default_factory=list)
    """(line, byte offset, length, id, sha256, the text's own hash if sha256 is not it) per valid
    document."""


def _check_documents(_: None, byte_range: ByteRange) -> _DocumentChunk:
    """Validate the documents of one byte range (runs in a worker process when parallel)."""
    file = str(byte_range.path)
    chunk = _DocumentChunk()
    validate_json = Document.model_validate_json
    sha256 = hashlib.sha256
    lines = RangeLines(byte_range)
    for number, offset, raw in lines:
        try:
            document = validate_json(raw)
        except ValidationError as exc:
            doc_id = _record_id(raw, "id")
            if doc_id:
                chunk.broken.append(doc_id)
            chunk.problems.extend(model_problems(exc, file, number, doc_id, raw))
            continue
        actual = sha256(document.text.encode("utf-8")).hexdigest()
        chunk.documents.append((number, offset, len(raw), document.id, document.sha256,
                                None if actual == document.sha256 else actual))
    chunk.lines = lines.count
    return chunk


def _merge_documents(chunk: _DocumentChunk, file_index: int, lines_before: int, index: DocumentIndex,
                     broken_ids: set[str], report: ValidationReport) -> None:
    """Index the documents of a range in file order, adding duplicate-id and hash problems."""
    file = str(index.files[file_index])
    problems = _shifted(chunk.problems, lines_before)
    broken_ids.update(chunk.broken)
    for number, offset, length, doc_id, sha256, actual in chunk.documents:
        report.documents += 1
        first = index.add(doc_id, file_index, offset, length, sha256)
        if first is not None:
            first_path, _ = index.location_at(first)
            problems.append(Problem("NG201", file, number + lines_before, doc_id, "id",
                                    f"document id {doc_id} is already used (first in {first_path})"))
        elif actual is not None:
            problems.append(Problem("NG202", file, number + lines_before, doc_id, "sha256",
                                    f"sha256 {sha256[:12]}… is not the hash of the text "
                                    f"({actual[:12]}…)"))
            broken_ids.add(doc_id)
    problems.sort(key=lambda p: p.line or 0)
    report.problems.extend(problems)


@dataclass(frozen=True, slots=True)
class _SetContext:
    """What every range of a sets file is checked against (shared with forked workers)."""

    models: dict[Path, type[AnnotationSet] | type[GoldSet]]
    scheme: Scheme | None
    index: DocumentIndex
    broken_ids: frozenset[str]


@dataclass(slots=True)
class _SetChunk:
    """What a byte range of a sets file holds: per valid set its key and problems."""

    file: str
    gold: bool
    lines: int = 0
    sets: int = 0
    spans: int = 0
    problems: list[Problem] = field(default_factory=list)
    entries: list[tuple[int, str, str, int | None, list[Problem]]] = field(default_factory=list)
    """(line, annotator, doc id, document ordinal, problems) per set that passed its model."""


def _check_sets(context: _SetContext, byte_range: ByteRange) -> _SetChunk:
    """Validate the sets of one byte range (runs in a worker process when parallel)."""
    file = str(byte_range.path)
    model = context.models[byte_range.path]
    gold = model is GoldSet
    scheme, index, broken_ids = context.scheme, context.index, context.broken_ids
    validate_json = model.model_validate_json
    chunk = _SetChunk(file, gold)
    lines = RangeLines(byte_range)
    with DocumentReader(index) as reader:
        for number, _, raw in lines:
            try:
                record: AnnotationSet | GoldSet = validate_json(raw)
            except ValidationError as exc:
                chunk.problems.extend(model_problems(exc, file, number,
                                                      _record_id(raw, "doc_id", "annotator"), raw))
                continue
            chunk.sets += 1
            chunk.spans += len(record.spans)
            annotator = record.annotator if isinstance(record, AnnotationSet) else "gold"
            doc_id = record.doc_id
            record_id = doc_id if gold else f"{doc_id}/{annotator}"
            ordinal = index.find(doc_id)
            found: list[Problem] = []
            chunk.entries.append((number, annotator, doc_id, ordinal, found))
            if ordinal is None:
                if doc_id not in broken_ids:
                    found.append(Problem("NG206", file, number, record_id, "doc_id",
                                         f"no document {doc_id} in the corpus"))
                continue
            if doc_id in broken_ids:
                continue
            stored_sha256 = index.sha256_at(ordinal)
            if stored_sha256 != record.doc_sha256:
                found.append(Problem("NG207", file, number, record_id, "doc_sha256",
                                     f"made on text {record.doc_sha256[:12]}…, but document {doc_id} "
                                     f"now has text {stored_sha256[:12]}…"))
                continue
            if scheme is None:
                continue
            text = reader.text_at(ordinal, doc_id)
            errors = check_set(record, text, scheme, gold=gold)
            for finding in errors:
                found.append(finding_problem(finding, file, number, record_id))
            broken = {f.span for f in errors}  # a span already in error gets no boundary warning
            for finding in boundary_findings(record, scheme):
                if finding.span not in broken:
                    found.append(finding_problem(finding, file, number, record_id))
    chunk.lines = lines.count
    return chunk


def _merge_sets(chunk: _SetChunk, lines_before: int, seen: _SeenSets, report: ValidationReport) -> None:
    """Count the sets of a range and, in file order, report second sets for one document."""
    gold = chunk.gold
    if gold:
        report.gold_sets += chunk.sets
    else:
        report.annotation_sets += chunk.sets
    report.spans += chunk.spans
    problems = chunk.problems
    for number, annotator, doc_id, ordinal, found in chunk.entries:
        if seen.add(annotator, doc_id, ordinal):
            what = "gold set" if gold else f"annotation set of {annotator}"
            record_id = doc_id if gold else f"{doc_id}/{annotator}"
            problems.append(Problem("NG208", chunk.file, number, record_id, None,
                                    f"a second {what} for document {doc_id}"))
        else:
            problems.extend(found)
    problems = _shifted(problems, lines_before)
    problems.sort(key=lambda p: p.line or 0)
    report.problems.extend(problems)


class _SeenSets:
    """Which (annotator, document) pairs have a set: one bit per document and annotator."""

    def __init__(self, documents: int) -> None:
        self._size = (documents + 7) // 8
        self._bitmaps: dict[str, bytearray] = {}
        self._unknown: set[tuple[str, str]] = set()

    def add(self, annotator: str, doc_id: str, ordinal: int | None) -> bool:
        """Record the pair; return True if it was already there."""
        if ordinal is None:
            key = (annotator, doc_id)
            if key in self._unknown:
                return True
            self._unknown.add(key)
            return False
        bitmap = self._bitmaps.get(annotator)
        if bitmap is None:
            bitmap = self._bitmaps[annotator] = bytearray(self._size)
        byte, bit = divmod(ordinal, 8)
        if bitmap[byte] >> bit & 1:
            return True
        bitmap[byte] |= 1 << bit
        return False
