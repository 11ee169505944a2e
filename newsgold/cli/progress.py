"""Progress bars on stderr for long commands (rich), shown only when stderr is a terminal.

rich draws the bars (it is already how newsgold prints tables): counts, rate, elapsed time and, when
the total is known, a bar and the time left. Pipes, CI logs and `--output-format json` output stay clean:
off a terminal no reporter is installed at all.
"""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import (BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TaskProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from newsgold._progress import Reporter

__all__ = ["RichReporter", "terminal_reporter"]

REFRESH_SECONDS = 0.1


class _Rate(ProgressColumn):
    """Units a second, with the task's unit."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "")
        if speed is None:
            return Text(f"? {unit}/s", style="progress.data.speed")
        if unit == "bytes":
            return Text(f"{speed / 2**20:,.1f} MiB/s", style="progress.data.speed")
        return Text(f"{speed:,.0f} {unit}/s", style="progress.data.speed")


class _Count(ProgressColumn):
    """`done of total unit`, or `done unit` when the total is unknown (MiB for bytes)."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if unit == "bytes":
            done = f"{task.completed / 2**20:,.1f}"
            total = f"{task.total / 2**20:,.1f}" if task.total is not None else None
            unit = "MiB"
        else:
            done, total = f"{task.completed:,.0f}", (f"{task.total:,.0f}" if task.total is not None else None)
        return Text(f"{done} of {total} {unit}" if total is not None else f"{done} {unit}",
                    style="progress.download")


class _Bar:
    def __init__(self, progress: Progress, task_id: Any) -> None:
        self.progress, self.task_id = progress, task_id
        self.drawn = 0.0

    def advance(self, amount: int = 1) -> None:
        self.progress.advance(self.task_id, amount)
        now = time.monotonic()
        if now - self.drawn >= REFRESH_SECONDS:
            self.drawn = now
            self.progress.refresh()


class RichReporter:
    """Draws each open task as a line of a rich `Progress` on `console`."""

    def __init__(self, console: Console) -> None:
        # No refresh thread (auto_refresh=False): a running thread would keep newsgold from forking
        # its workers (newsgold._parallel forks only a single-threaded process). Bars are redrawn
        # as they advance, at most every REFRESH_SECONDS.
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                                 TaskProgressColumn(), _Count(), _Rate(), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=console, transient=False, auto_refresh=False)
        self.open_tasks = 0

    def open(self, description: str, total: int | None, unit: str) -> _Bar:
        if self.open_tasks == 0:
            self.progress.start()
        self.open_tasks += 1
        return _Bar(self.progress, self.progress.add_task(description, total=total, unit=unit))

    def close(self, task: Any) -> None:
        bar: _Bar = task
        current = self.progress.tasks[-1] if self.progress.tasks else None
        if current is not None and current.id == bar.task_id and current.total is None:
            self.progress.update(bar.task_id, total=current.completed)
        self.progress.refresh()
        self.open_tasks -= 1
        if self.open_tasks == 0:
            self.progress.stop()


def terminal_reporter(console: Console | None = None) -> Reporter | None:
    """A RichReporter on stderr when stderr is a terminal, else None (no progress at all)."""
    console = console or Console(stderr=True, markup=False)  # descriptions hold paths: brackets are text
    return RichReporter(console) if console.is_terminal else None

