"""The progress `add`, `annotate`, `rebuild` and `optimize` show on stderr while they work: a
rich bar on a terminal, and otherwise (a log file, a CI job, a pipe) a plain line every few
seconds, so a long run is never silent, even while one step (a merge) reports nothing new."""

from __future__ import annotations

import threading
import time

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .engine import Progress as ProgressReport
from .render import err

PHASES = {
    "text": "storing text",
    "index": "indexing",
    "entities": "extracting entities",
    "merge": "merging index segments",
}
LINE_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


class ProgressBar:
    """A rich progress bar per phase (count, rate, ETA) on a terminal; with lines=True and no
    terminal, a line every LINE_EVERY seconds (the latest count, rate and time elapsed)."""

    def __init__(self, enabled: bool, *, lines: bool = False, every: float = LINE_EVERY) -> None:
        self.bar = Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=False,
            disable=not enabled,
        )
        self.tasks: dict[str, TaskID] = {}
        self.lines = lines and not enabled
        self.every = every
        self.started = time.monotonic()
        self.latest: ProgressReport | None = None
        self.phase_started: dict[str, tuple[float, int]] = {}
        self.printed: ProgressReport | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @classmethod
    def on_stderr(cls, quiet: bool = False) -> ProgressBar:
        """The bar on a terminal, lines elsewhere, nothing with --quiet."""
        terminal = err.is_terminal
        return cls(not quiet and terminal, lines=not quiet and not terminal)

    def __enter__(self) -> ProgressBar:
        self.bar.__enter__()
        if self.lines:
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            # A run short enough to print no line stays silent; a long one ends on its count.
            if self.printed is not None and self.latest != self.printed:
                self._print_line()
        self.bar.__exit__(None, None, None)

    def update(self, report: ProgressReport) -> None:
        """Record one report (called by the engine, from any thread)."""
        if report.phase not in self.phase_started:
            self.phase_started[report.phase] = (time.monotonic(), report.done)
        self.latest = report
        task = self.tasks.get(report.phase)
        if task is None:
            task = self.bar.add_task(
                PHASES.get(report.phase, report.phase), total=report.total, rate=""
            )
            self.tasks[report.phase] = task
        self.bar.update(task, completed=report.done, total=report.total)
        speed = self.bar.tasks[task].speed
        self.bar.update(task, rate=f"{speed:,.0f}/s" if speed else "")

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            if self.latest is not None:
                self._print_line()

    def _print_line(self) -> None:
        report = self.latest
        if report is None:
            return
        self.printed = report
        err.print(line(report, self.phase_started.get(report.phase), time.monotonic()))


def line(report: ProgressReport, since: tuple[float, int] | None, now: float) -> str:
    """One progress line: `indexing 4,000/10,000 (40%) 120/s, 33 s`."""
    name = PHASES.get(report.phase, report.phase)
    count = f"{report.done:,}" + (f"/{report.total:,}" if report.total else "")
    if report.total:
        count += f" ({100 * report.done // max(report.total, 1)}%)"
    elapsed = now - since[0] if since else 0.0
    rate = (report.done - since[1]) / elapsed if since and elapsed > 0 else 0.0
    speed = f" {rate:,.0f}/s" if rate >= 1 else ""
    return f"{name} {count}{speed}, {elapsed:,.0f} s"
