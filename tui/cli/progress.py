"""The progress bar `add`, `annotate` and `rebuild` draw on stderr while they work."""

from __future__ import annotations

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

PHASES = {"text": "storing text", "index": "indexing", "entities": "extracting entities"}


class ProgressBar:
    """A rich progress bar per phase (count, rate, ETA), drawn only on a terminal."""

    def __init__(self, enabled: bool) -> None:
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

    def __enter__(self) -> ProgressBar:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def update(self, report: ProgressReport) -> None:
        task = self.tasks.get(report.phase)
        if task is None:
            task = self.bar.add_task(
                PHASES.get(report.phase, report.phase), total=report.total, rate=""
            )
            self.tasks[report.phase] = task
        self.bar.update(task, completed=report.done, total=report.total)
        speed = self.bar.tasks[task].speed
        self.bar.update(task, rate=f"{speed:,.0f}/s" if speed else "")
