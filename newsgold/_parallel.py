"""Process a JSON Lines file in line-aligned byte ranges, in worker processes when it pays.

Validation and export are per-line work whose cost is mostly pydantic model construction, which
holds the GIL; the only way to use a second core is a second process. Workers are forked, so they
share what the parent built before (an id index, a compiled scheme) without pickling it, and each
gets a byte range of the file to stream. Results come back in file order, so a parallel run
reports exactly what a serial run reports. Where forking is not safe (not Linux, or other threads
running) or a file is a single range, everything runs in this process through the same functions.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from newsgold._io import count_newlines, numbered_lines

__all__ = ["ByteRange", "CHUNK_BYTES", "RangeLines", "available_jobs", "byte_ranges", "line_in_file",
           "map_ranges"]

CHUNK_BYTES = 2 * 2**20
"""Bytes of a file one task streams: small enough to balance two workers, big enough to amortize."""

S = TypeVar("S")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ByteRange:
    """Whole lines of `path` from byte `start` to byte `end` (exclusive)."""

    path: Path
    start: int
    end: int


def available_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def byte_ranges(path: Path, chunk_bytes: int | None = None) -> list[ByteRange]:
    """Split a file into ranges of about `chunk_bytes` (default `CHUNK_BYTES`), each ending just
    after a newline or at the end of the file."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    size = path.stat().st_size
    ranges: list[ByteRange] = []
    start = 0
    with open(path, "rb") as f:
        while start < size:
            end = start + chunk_bytes
            if end >= size:
                end = size
            else:
                f.seek(end - 1)
                f.readline()
                end = f.tell()
            ranges.append(ByteRange(path, start, end))
            start = end
    return ranges


class RangeLines:
    """The non-blank lines of a byte range: iterate for (line number within the range, byte
    offset in the file, raw line); afterwards `count` is the number of lines read, blank ones
    included, so adding the counts of the ranges before gives line numbers in the file.
    """

    def __init__(self, byte_range: ByteRange) -> None:
        self.byte_range = byte_range
        self.count = 0

    def __iter__(self) -> Iterator[tuple[int, int, bytes]]:
        byte_range = self.byte_range
        with open(byte_range.path, "rb") as f:
            f.seek(byte_range.start)
            self.count = yield from numbered_lines(f, byte_range.start, byte_range.end)


def line_in_file(byte_range: ByteRange, number: int) -> int:
    """The line number in the file of line `number` of a range (reads the file up to the range)."""
    return count_newlines(byte_range.path, byte_range.start) + number


@dataclass(frozen=True, slots=True)
class _Task(Generic[S, R]):
    function: Callable[[S, ByteRange], R]
    byte_range: ByteRange


_shared: Any = None


def _run(task: _Task[Any, R]) -> R:
    return task.function(_shared, task.byte_range)


def map_ranges(function: Callable[[S, ByteRange], R], shared: S, ranges: list[ByteRange],
               jobs: int, *, started: Callable[[], object] | None = None) -> Iterator[R]:
    """Yield `function(shared, range)` for every range, in order.

    With `jobs` > 1 and more than one range, the calls run in `jobs` forked processes that see
    `shared` as it is now (it is never pickled); `function` must be a module-level function and
    its results picklable. Otherwise, and where forking is not safe (not Linux, or other threads
    running), the calls run here, one after the other. `started` is called once the workers
    exist (at once when there are none): a thread started then is never forked.
    """
    global _shared
    if jobs <= 1 or len(ranges) <= 1 or not _can_fork():
        if started is not None:
            started()
        for byte_range in ranges:
            yield function(shared, byte_range)
        return
    _shared = shared
    gc.freeze()  # the workers share the parent's objects; their collections leave them alone
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(ranges)),
                                                      initializer=_start_worker) as pool:
            results = pool.imap(_run, [_Task(function, r) for r in ranges])
            if started is not None:
                started()
            yield from results
    finally:
        _shared = None
        gc.unfreeze()


def _can_fork() -> bool:
    """Fork only where it is safe: on Linux, from a process with no other thread (a thread holding
    a lock at the moment of the fork would leave that lock held forever in the child)."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _start_worker() -> None:
    # A worker builds and drops many small objects per line and keeps none: collect less often.
    gc.set_threshold(20_000, 50, 50)
