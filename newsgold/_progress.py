"""Progress of long work, reported to whoever listens: nobody by default, a progress bar in the CLI.

Library code marks its long loops with `progress.task(...)` and advances it; it never prints. The
CLI installs a reporter (rich progress bars on stderr, only when stderr is a terminal) for the time
of one command with `reporting(reporter)`. A context variable carries it, so library signatures
stay as they are and Python callers see nothing unless they install a reporter of their own.
Forked workers do not report: the parent advances a task as each worker's range comes back.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")

__all__ = ["Reporter", "Task", "task", "reporting", "counted", "notify", "notifying"]


class Task(Protocol):
    """One piece of long work under way."""

    def advance(self, amount: int = 1) -> None:
        """`amount` more units are done."""
        ...


class Reporter(Protocol):
    """What shows progress: opens a task and closes it."""

    def open(self, description: str, total: int | None, unit: str) -> Task:
        """Start showing a task of `total` units (None: unknown, show a count and a rate)."""
        ...

    def close(self, task: Task) -> None:
        """The task is over (done or failed)."""
        ...


class _Silent:
    def advance(self, amount: int = 1) -> None:
        pass


_SILENT = _Silent()
_reporter: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar("newsgold_progress", default=None)
_sink: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar("newsgold_notices", default=None)


@contextlib.contextmanager
def task(description: str, total: int | None = None, unit: str = "documents") -> Iterator[Task]:
    """A task to advance while the `with` block runs; silent unless a reporter is installed."""
    reporter = _reporter.get()
    if reporter is None:
        yield _SILENT
        return
    opened = reporter.open(description, total, unit)
    try:
        yield opened
    finally:
        reporter.close(opened)


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Install `reporter` for the `with` block (None: stay silent)."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def counted(items: Iterable[T], bar: Task) -> Iterator[T]:
    """`items`, advancing `bar` by one for each."""
    for item in items:
        bar.advance()
        yield item


def notify(message: str) -> None:
    """Tell whoever listens something about work under way that is not progress (a wait for the
    corpus lock); nobody by default. The library never prints: the CLI installs a sink."""
    sink = _sink.get()
    if sink is not None:
        sink(message)


@contextlib.contextmanager
def notifying(sink: Callable[[str], None] | None) -> Iterator[None]:
    """Install `sink` to receive `notify` messages for the `with` block."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)
