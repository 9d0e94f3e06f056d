"""What a run shows while it works: a Rich progress display on a terminal, nothing in logs and pipes.

The flow reports its phases to whatever reporter is installed (`report()`); the CLI installs a Rich one for
the length of a run when standard error is a terminal. Nothing else is installed by default, so the flow run
from Python, a schedule or a test stays quiet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text


class Reporter(Protocol):
    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        """A phase starts (the previous one is done); `total` items of `unit` when it counts them."""

    def advance(self, items: int) -> None:
        """`items` more of the current phase are done."""

    def finish(self) -> None:
        """The run is over."""


class Quiet:
    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        pass

    def advance(self, items: int) -> None:
        pass

    def finish(self) -> None:
        pass


class _Count(ProgressColumn):
    """Done of total, for a phase that counts items."""

    def render(self, task: Task) -> Text:
        if not task.fields.get("unit") or task.total is None:
            return Text("")
        return Text(f"{int(task.completed):,}/{int(task.total):,}", style="progress.download")


class _Rate(ProgressColumn):
    """Items a second over the phase so far: batches finish in bursts, so a rate over the last few updates
    (Rich's own) would swing from nothing to millions."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        elapsed = task.finished_time if task.finished else task.elapsed
        if not unit or task.total is None or not elapsed or not task.completed:
            return Text("")
        return Text(f"{task.completed / elapsed:,.0f} {unit}/s", style="progress.data.speed")


class RichReporter:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description:<8}"),
                                  BarColumn(), _Count(), _Rate(), TimeElapsedColumn(),
                                  console=console, transient=False)
        self._task: int | None = None
        self._progress.start()

    def _close_current(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            # A phase counted as it went (the scan) ends at its count; one not counted at all shows a full bar.
            total = task.total if task.total is not None else (task.completed if task.fields.get("unit") else 1)
            self._progress.update(self._task, total=total, completed=total)
            self._progress.stop_task(self._task)

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        self._close_current()
        self._task = self._progress.add_task(name, total=total, unit=unit)

    def advance(self, items: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, items)

    def finish(self) -> None:
        self._close_current()
        self._progress.stop()


_reporter: Reporter = Quiet()


def report() -> Reporter:
    return _reporter


@contextmanager
def installed(reporter: Reporter) -> Iterator[Reporter]:
    """`reporter` receives the phases of what runs in the block."""
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield reporter
    finally:
        reporter.finish()
        _reporter = previous


def for_console(console: Console) -> Reporter:
    """A Rich display on a terminal; quiet when the output is a log file or a pipe."""
    return RichReporter(console) if console.is_terminal else Quiet()
