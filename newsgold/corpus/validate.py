"""`validate`: stream every file of a corpus and report every problem with file, line and rule."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import orjson
from pydantic import ValidationError

from newsgold._io import iter_jsonl_lines
from newsgold.corpus.checks import check_set
from newsgold.corpus.rules import RULES
from newsgold.corpus.store import (
    ANNOTATIONS_FILE,
    GOLD_FILE,
    MANIFEST_NAME,
    DocumentIndex,
    DocumentReader,
    document_paths,
)
from newsgold.errors import CorpusNotFoundError, UnreadableInputError
from newsgold.schemas.annotation import AnnotationSet, GoldSet
from newsgold.schemas.document import Document
from newsgold.schemas.manifest import CorpusManifest
from newsgold.schemas.scheme import Scheme

__all__ = ["Problem", "ValidationReport", "validate", "render_problems"]

OutputFormat = Literal["text", "json", "github"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: where (file, line, record, field), which rule, and what is wrong."""

    rule: str
    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    @property
    def fix(self) -> str:
        """What to do about it, from the rule catalogue."""
        return RULES[self.rule].fix

    def as_text(self) -> str:
        """`file:line: record field: message: fix [CODE]`, one line."""
        where = self.file + (f":{self.line}" if self.line else "")
        subject = " ".join(p for p in (self.record, self.field) if p)
        subject = f" {subject}:" if subject else ""
        return f"{where}:{subject} {self.message}: {self.fix} [{self.rule}]"

    def as_github(self) -> str:
        """A GitHub Actions `::error` workflow command."""
        props = f"file={_gh_prop(self.file)}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={_gh_prop(self.rule + ' ' + RULES[self.rule].name)}"
        subject = " ".join(p for p in (self.record, self.field) if p)
        message = f"{subject}: {self.message}: {self.fix}" if subject else f"{self.message}: {self.fix}"
        return f"::error {props}::{_gh_data(message)}"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


@dataclass
class ValidationReport:
    """The outcome of `validate`: every problem found and what was read."""

    corpus: str
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    annotation_sets: int = 0
    gold_sets: int = 0
    spans: int = 0

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary: valid, counts, and the problems with their fixes."""
        return {
            "corpus": self.corpus,
            "valid": self.ok,
            "counts": {
                "documents": self.documents,
                "annotation_sets": self.annotation_sets,
                "gold_sets": self.gold_sets,
                "spans": self.spans,
                "problems": len(self.problems),
            },
            "problems": [asdict(p) | {"fix": p.fix} for p in self.problems],
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
    count = len(report.problems)
    summary += "valid" if report.ok else f"{count} problem{'s' if count != 1 else ''}"
    return "\n".join([*lines, summary])


_TYPE_ERRORS = ("_type", "_parsing", "int_from_float", "model_attributes_type")


def _model_problems(exc: ValidationError, file: str, line: int, record: str | None) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        kind = error["type"]
        loc = ".".join(str(p) for p in error["loc"])
        if kind == "json_invalid":
            code, message = "NG101", f"invalid JSON: {error['ctx'].get('error', error['msg'])}"
        elif kind == "extra_forbidden":
            code, message = "NG103", f"unknown field {error['loc'][-1]!r}"
        elif kind == "missing":
            code, message = "NG104", f"missing field {error['loc'][-1]!r}"
        elif error["loc"] == ("format_version",):
            code, message = "NG106", f"format_version {error.get('input')!r} is not supported ({error['msg']})"
        elif kind.endswith(_TYPE_ERRORS) or kind in ("model_type", "dict_type", "list_type"):
            code, message = "NG102", error["msg"]
        else:
            code, message = "NG105", error["msg"]
        yield Problem(code, file, line, record, loc or None, message)


def _record_id(raw: bytes, *keys: str) -> str | None:
    """Best-effort id of a record that failed its model, to name it in the report."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(record, dict):
        return None
    parts = [str(record[k]) for k in keys if isinstance(record.get(k), str)]
    return "/".join(parts) or None


def _load_manifest(root: Path, report: ValidationReport) -> Scheme | None:
    path = root / MANIFEST_NAME
    file = str(path)
    if not path.is_file():
        raise CorpusNotFoundError(root, f"{path} does not exist")
    try:
        manifest = CorpusManifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        for problem in _model_problems(exc, file, 1, None):
            code = "NG002" if (problem.field or "").startswith("scheme") else problem.rule
            report.problems.append(Problem(code if code in ("NG002", "NG101") else "NG001",
                                           file, None, None, problem.field, problem.message))
        return None
    if isinstance(manifest.scheme, Scheme):
        return manifest.scheme
    scheme_path = root / manifest.scheme
    try:
        return Scheme.model_validate_json(scheme_path.read_bytes())
    except OSError as exc:
        report.problems.append(Problem("NG003", str(scheme_path), None, None, None,
                                       f"cannot read the scheme: {exc.strerror}"))
    except ValidationError as exc:
        for problem in _model_problems(exc, str(scheme_path), 1, None):
            report.problems.append(Problem("NG002", problem.file, None, None, problem.field,
                                           problem.message))
    return None


def validate(root: Path | str) -> ValidationReport:
    """Validate the corpus at `root`: every record against its model, then the semantic rules.

    Streams each file once (plus one seek per annotated document); memory holds only the id
    index. Returns a report of every problem; raises CorpusNotFoundError (no manifest) or
    UnreadableInputError (a file exists but cannot be read).
    """
    root = Path(root)
    report = ValidationReport(corpus=str(root))
    scheme = _load_manifest(root, report)
    index = DocumentIndex(files=document_paths(root))
    broken_ids: set[str] = set()
    for file_index, path in enumerate(index.files):
        _validate_documents(path, file_index, index, broken_ids, report)
    with DocumentReader(index) as reader:
        if (root / ANNOTATIONS_FILE).is_file():
            _validate_sets(root / ANNOTATIONS_FILE, AnnotationSet, scheme, index, reader,
                           broken_ids, report)
        if (root / GOLD_FILE).is_file():
            _validate_sets(root / GOLD_FILE, GoldSet, scheme, index, reader, broken_ids,
                           report)
    return report


def _validate_documents(path: Path, file_index: int, index: DocumentIndex, broken_ids: set[str],
                        report: ValidationReport) -> None:
    file = str(path)
    problems = report.problems
    validate_json = Document.model_validate_json
    sha256 = hashlib.sha256
    for number, offset, raw in _lines(path):
        try:
            document = validate_json(raw)
        except ValidationError as exc:
            doc_id = _record_id(raw, "id")
            if doc_id:
                broken_ids.add(doc_id)
            problems.extend(_model_problems(exc, file, number, doc_id))
            continue
        report.documents += 1
        actual = sha256(document.text.encode("utf-8")).hexdigest()
        first = index.add(document.id, file_index, offset, document.sha256)
        if first is not None:
            first_path, _ = index.location_at(first)
            problems.append(Problem("NG201", file, number, document.id, "id",
                                    f"document id {document.id} is already used (first in {first_path})"))
            continue
        if actual != document.sha256:
            problems.append(Problem("NG202", file, number, document.id, "sha256",
                                    f"sha256 {document.sha256[:12]}… is not the hash of the text "
                                    f"({actual[:12]}…)"))
            broken_ids.add(document.id)


def _validate_sets(path: Path, model: type[AnnotationSet] | type[GoldSet], scheme: Scheme | None, index: DocumentIndex,
                   reader: DocumentReader, broken_ids: set[str], report: ValidationReport) -> None:
    file = str(path)
    gold = model is GoldSet
    problems = report.problems
    validate_json = model.model_validate_json
    seen = _SeenSets(len(index))
    for number, _, raw in _lines(path):
        try:
            record: AnnotationSet | GoldSet = validate_json(raw)
        except ValidationError as exc:
            problems.extend(_model_problems(exc, file, number, _record_id(raw, "doc_id", "annotator")))
            continue
        annotator = record.annotator if isinstance(record, AnnotationSet) else "gold"
        record_id = record.doc_id if gold else f"{record.doc_id}/{annotator}"
        if gold:
            report.gold_sets += 1
        else:
            report.annotation_sets += 1
        report.spans += len(record.spans)
        doc_id = record.doc_id
        ordinal = index.find(doc_id)
        if seen.add(annotator, doc_id, ordinal):
            what = "gold set" if gold else f"annotation set of {annotator}"
            problems.append(Problem("NG208", file, number, record_id, None,
                                    f"a second {what} for document {doc_id}"))
            continue
        if ordinal is None:
            if doc_id not in broken_ids:
                problems.append(Problem("NG206", file, number, record_id, "doc_id",
                                        f"no document {doc_id} in the corpus"))
            continue
        if doc_id in broken_ids:
            continue
        stored_sha256 = index.sha256_at(ordinal)
        if stored_sha256 != record.doc_sha256:
            problems.append(Problem("NG207", file, number, record_id, "doc_sha256",
                                    f"made on text {record.doc_sha256[:12]}…, but document {doc_id} "
                                    f"now has text {stored_sha256[:12]}…"))
            continue
        if scheme is None:
            continue
        text = reader.text_at(ordinal, doc_id)
        for finding in check_set(record, text, scheme, gold=gold):
            problems.append(Problem(finding.rule, file, number, record_id, finding.field,
                                    finding.message))


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


def _lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    try:
        yield from iter_jsonl_lines(path)
    except UnicodeDecodeError as exc:  # pragma: no cover - reading bytes never decodes
        raise UnreadableInputError(f"{path}: {exc}") from None
