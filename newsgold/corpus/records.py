"""Records of a corpus's JSONL files: serialized one way, read line by line, located by byte offset.

`annotations.jsonl` and `gold.jsonl` are the two *sources* of sets; every reader of sets takes a
`Source` and reads either the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, NoReturn, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from newsgold._io import count_newlines, dumps_line, iter_jsonl_lines, regular_file
from newsgold.corpus.problems import Problem, parse_record, problem_error, record_error
from newsgold.errors import UsageError

__all__ = ["ANNOTATIONS_FILE", "GOLD_FILE", "GOLD_SET", "Source", "SOURCE_FILES", "check_source", "iter_numbered_models", "line_at",
           "iter_models", "offsets_by_doc", "raise_record_problem", "record_line", "record_reader"]

M = TypeVar("M", bound=BaseModel)

ANNOTATIONS_FILE = "annotations.jsonl"
GOLD_FILE = "gold.jsonl"

Source = Literal["gold", "annotations"]
"""Where sets are read from: the gold (`gold.jsonl`) or the annotators' sets (`annotations.jsonl`)."""

SOURCE_FILES: dict[str, str] = {"gold": GOLD_FILE, "annotations": ANNOTATIONS_FILE}

GOLD_SET = "gold"
"""The name by which a command that takes a set name (`push(set_name=)`, `--set`) means the gold, and
the annotator of gold in outcomes; no annotation set may take it (`is_annotator_id`)."""


def check_source(source: object) -> None:
    """UsageError naming the allowed values unless `source` is a Source."""
    if source not in SOURCE_FILES:
        raise UsageError(f"source={source!r} is not a source of sets: use 'gold' or 'annotations'")


def record_line(record: BaseModel) -> bytes:
    """Serialize a record as one JSONL line, the way every corpus file is written."""
    return dumps_line(record.model_dump(mode="json", by_alias=True, exclude_none=True))


def line_at(path: Path, offset: int) -> int:
    """The 1-based line number of the line that starts at byte `offset` of `path`."""
    return count_newlines(path, offset) + 1


def raise_record_problem(path: Path, line: int, raw: bytes, model: type[BaseModel],
                          *keys: str) -> NoReturn:
    """Raise the InvalidRecordError `validate` reports for a line a fast reader could not use."""
    try:
        model.model_validate_json(raw)
    except ValidationError as exc:
        raise record_error(path, line, exc, raw, *keys) from None
    raise problem_error(Problem("NG105", str(path), line, None, None,  # pragma: no cover
                                "not a record of this file"))


def offsets_by_doc(path: Path, model: type[BaseModel]) -> dict[str, list[int]]:
    """doc_id -> byte offsets of its lines; InvalidRecordError at the first line with no
    string doc_id (validated by `model` to name the problem)."""
    offsets: dict[str, list[int]] = {}
    if regular_file(path):
        for number, offset, raw in iter_jsonl_lines(path):
            try:
                doc_id = orjson.loads(raw).get("doc_id")
            except (orjson.JSONDecodeError, AttributeError):
                doc_id = None
            if not isinstance(doc_id, str):
                raise_record_problem(path, number, raw, model, "doc_id", "annotator")
            offsets.setdefault(doc_id, []).append(offset)
    return offsets


@contextmanager
def record_reader(path: Path, model: type[M]) -> Iterator[Callable[[list[int]], list[M]]]:
    if not regular_file(path):
        yield lambda offsets: []
        return
    with open(path, "rb") as f:
        def read(offsets: list[int]) -> list[M]:
            found = []
            for offset in offsets:
                f.seek(offset)
                raw = f.readline()
                # The line number costs a read of the file up to `offset`: only an error needs it.
                found.append(parse_record(model, raw, path, functools.partial(line_at, path, offset)))
            return found

        yield read


def iter_numbered_models(path: Path, model: type[M]) -> Iterator[tuple[int, M]]:
    """Yield (line number, record) for every line of JSONL `path` (none if it does not exist).

    Raises, at the first line that fails `model`, the InvalidRecordError `validate` reports for it.
    """
    if not regular_file(path):
        return
    for number, _, raw in iter_jsonl_lines(path):
        yield number, parse_record(model, raw, path, number)


def iter_models(path: Path, model: type[M]) -> Iterator[M]:
    """Every record of JSONL `path` (see `iter_numbered_models`)."""
    for _, record in iter_numbered_models(path, model):
        yield record
