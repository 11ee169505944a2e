"""A broken rule as newsgold reports it (file, line, record, field, rule code), and the
translation of pydantic's errors into rule codes, shared by `validate` and every reader."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from newsgold.corpus.checks import Finding
from newsgold.errors import InvalidRecordError
from newsgold.rules import RULES, Severity

__all__ = ["Problem", "model_problems", "record_id", "record_error", "problem_error", "error_location",
           "finding_problem", "parse_record"]

M = TypeVar("M", bound=BaseModel)


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

    @property
    def severity(self) -> Severity:
        """`error` (the corpus is invalid) or `warning` (a boundary convention), from the catalogue."""
        return RULES[self.rule].severity

    def as_text(self) -> str:
        """`file:line: record field: message: fix [CODE]`, one line; a warning says so after the place."""
        where = self.file + (f":{self.line}" if self.line else "")
        if self.severity == "warning":
            where += ": warning"
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
        return f"::{self.severity} {props}::{_gh_data(message)}"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


_TYPE_ERRORS = ("_type", "_parsing", "int_from_float", "model_attributes_type")


def model_problems(exc: ValidationError, file: str, line: int, record: str | None,
                   raw: bytes = b"") -> Iterator[Problem]:
    """The problems of a record that failed its model, with their rule codes (NG101-NG106)."""
    for error in plain_errors(exc):
        kind = error["type"]
        loc = error_location(error["loc"])
        if kind == "json_invalid" and raw.startswith(b"\xef\xbb\xbf"):
            code, message = "NG101", "the line starts with a byte order mark (BOM); save the file as UTF-8 without BOM"
        elif kind == "json_invalid" and (bad_byte := _first_non_utf8(raw)) is not None:
            code, message = "NG003", bad_byte
        elif kind == "json_invalid":
            detail = _JSON_POSITION.sub(_column_in_line, str(error["ctx"].get("error", error["msg"])))
            code, message = "NG101", f"invalid JSON: {detail}"
        elif kind == "extra_forbidden":
            code, message = "NG103", f"unknown field {error['loc'][-1]!r}"
        elif kind == "missing":
            code, message = "NG104", f"missing field {error['loc'][-1]!r}"
        elif error["loc"] == ("format_version",):
            code, message = "NG106", f"format_version {error.get('input')!r} is not supported ({error['msg']})"
        elif kind.endswith(_TYPE_ERRORS) or kind in ("model_type", "dict_type", "list_type"):
            code, message = "NG102", error["msg"]
        else:
            code, message = "NG105", error["msg"].removeprefix("Value error, ")
        yield Problem(code, file, line, record, loc or None, message)


_JSON_POSITION = re.compile(r" at line (\d+) column (\d+)")


def _column_in_line(match: re.Match[str]) -> str:
    """The parser's position in words of the file's line: one JSONL line is the parser's line 1, and
    its line 2 is only the newline that ends it."""
    return f" at column {match[2]}" if match[1] == "1" else " at the end of the line"


def _first_non_utf8(raw: bytes) -> str | None:
    """Where a line stops being UTF-8 (`the line is not UTF-8: byte 0xFF at column 13`), or None."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(raw[:exc.start].decode("utf-8", "replace")) + 1
        return f"the line is not UTF-8: byte 0x{raw[exc.start]:02X} at column {column}"
    return None


def error_location(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path (`scheme.layers[0].labels[1].name`), without the
    parts that name validators (`function-after[...]`) or union branches, which mean nothing to a user."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not ("[" in part or part.startswith("function-") or part in _BRANCHES):
            path += f".{part}" if path else part
    return path


_BRANCHES = ("str", "int", "float", "bool", "Scheme", "list", "dict")
"""The names pydantic puts in a location for the branch of a union (`scheme: Scheme | str`)."""


def plain_errors(exc: ValidationError) -> list[ErrorDetails]:
    """The errors of `exc` without those of the union branches the input did not take: a scheme
    given inline (an object) fails as a scheme, not also as "a valid string" (the file-name branch)."""
    errors = exc.errors(include_url=False)
    kept = []
    for error in errors:
        loc = error["loc"]
        branch = next((i for i, part in enumerate(loc) if part in _BRANCHES), None)
        if branch is not None and error["type"].endswith("_type") and any(
                other is not error and other["loc"][:branch] == loc[:branch] and len(other["loc"]) > branch
                and other["loc"][branch] != loc[branch] for other in errors):
            continue  # another branch was taken at this place: its errors are the ones that matter
        kept.append(error)
    return kept


def record_id(raw: bytes, *keys: str) -> str | None:
    """Best-effort id of a record that failed its model, to name it in the report."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(record, dict):
        return None
    parts = [str(record[k]) for k in keys if isinstance(record.get(k), str)]
    return "/".join(parts) or None


def problem_error(problem: Problem) -> InvalidRecordError:
    """The error a reader raises for `problem`: the same line `validate` prints for it."""
    return InvalidRecordError(Path(problem.file), problem.line or 0, problem.as_text(),
                              problem.rule)


def record_error(path: Path, line: int, exc: ValidationError, raw: bytes,
                 *keys: str) -> InvalidRecordError:
    """The error a reader raises for a line that fails its model (its first problem)."""
    return problem_error(next(model_problems(exc, str(path), line, record_id(raw, *keys), raw)))


def finding_problem(finding: Finding, file: str, line: int | None, record: str | None) -> Problem:
    """The problem `validate` reports for a rule `check_set` found broken in the record at `file:line`."""
    return Problem(finding.rule, file, line, record, finding.field, finding.message)


def parse_record(model: type[M], raw: bytes, path: Path, line: int | Callable[[], int]) -> M:
    """The record of line `line` of `path`; raises, if it fails `model`, the InvalidRecordError
    with the line `validate` prints for it. Every reader of corpus records parses through here.
    `line` may be a function, called only for the error (where finding the number costs a read)."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        number = line() if callable(line) else line
        raise record_error(path, number, exc, raw, "id", "doc_id", "annotator") from None
