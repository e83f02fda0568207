"""The story overview: which sources cover the story and when, the source × entity coverage
matrix (enter on a cell opens those mentions), and a timeline of its articles by date.

The timeline is plain text bars, not textual-plotext: a story has a few days to a few weeks
of articles, which a row of bars a day shows exactly (counts written beside them), in any
terminal and at 80 columns, without a plotting dependency whose axes and snapshots shift
with its version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from crosswire.index import StoryDetail
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static

from .messages import report_failures
from .safe import counted, one_line

BAR = "█"
BAR_WIDTH = 40  # the longest bar, in cells
TIMELINE_ROWS = 24  # beyond this many days, a bar a week (then a month)
EMPTY = "·"  # a zero cell: that source never names the entity


def date_range(first: str | None, last: str | None) -> str:
    """ "2021-11-07", "2021-11-07 – 2021-11-09" or "undated"."""
    if not first:
        return "undated"
    return first if not last or last == first else f"{first} – {last}"


@dataclass(frozen=True)
class CellChosen:
    """What the overview was dismissed with: the mentions of entity_id in source."""

    entity_id: str
    source: str


@dataclass(frozen=True)
class ListChosen:
    """The overview was left for the story list."""


@dataclass(frozen=True)
class StoryEdit:
    """A correction asked for on a story screen: merge, split, undo or redo (stories.py
    asks and acts through tui/story_edits.py; the screen is then redrawn)."""

    kind: str
    story_id: str


# The story screens' corrections (the story list's and the overview's).
EDIT_BINDINGS: list[BindingType] = [
    Binding(
        "m", "edit('merge')", "Merge…", id="story.merge", tooltip="Merge this story with another"
    ),
    Binding(
        "x",
        "edit('split')",
        "Split…",
        id="story.split",
        tooltip="Split this story: tick the articles that leave; they form a new story",
    ),
    Binding(
        "u,ctrl+z",
        "edit('undo')",
        "Undo",
        key_display="u",
        id="story.undo",
        tooltip="Undo the last decision (a story edit, a merge, split or rename)",
    ),
    Binding("ctrl+y", "edit('redo')", "Redo", show=False, id="story.redo", tooltip="Redo"),
]


def timeline(dates: list[str | None]) -> list[tuple[str, int]]:
    """(period, articles) rows oldest first: a row a day, a week or a month, whichever keeps
    the timeline within TIMELINE_ROWS rows; undated articles are counted apart."""
    days = sorted(date.fromisoformat(d) for d in dates if d)
    if not days:
        return []
    for name in ("day", "week", "month"):
        counts = Counter(_period(d, name) for d in days)
        if len(counts) <= TIMELINE_ROWS or name == "month":
            return sorted(counts.items())
    raise AssertionError("unreachable")


def _period(day: date, name: str) -> str:
    if name == "day":
        return day.isoformat()
    if name == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02}"
    return day.isoformat()[:7]


def timeline_text(dates: list[str | None]) -> Text:
    rows = timeline(dates)
    undated = sum(1 for d in dates if not d)
    text = Text("timeline", style="bold underline")
    if not rows:
        text.append("\nno dated articles", style="dim")
    top = max((n for _, n in rows), default=1)
    for period, n in rows:
        width = max(1, round(BAR_WIDTH * n / top))
        text.append(f"\n{period:>10} ")
        text.append(BAR * width, style="bold")
        text.append(f" {n}")
    if undated:
        text.append(f"\n{counted(undated, 'article')} undated", style="dim")
    return text


# Make a story edit from the overview: the story to show after it (None: it is gone).
OverviewEditor = Callable[[StoryEdit], Awaitable[StoryDetail | None]]


class StoryOverviewScreen(Screen[CellChosen | ListChosen | None]):
    """One story: its sources with dates, the coverage matrix and the timeline."""

    DEFAULT_CSS = """
    StoryOverviewScreen #overview Static { height: auto; padding: 0 1; }
    StoryOverviewScreen #overview DataTable { height: auto; max-height: 24; margin: 0 1 1 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="overview.close"),
        Binding("s,l", "stories", "All stories", id="overview.stories"),
        *EDIT_BINDINGS,
    ]

    on_worker_state_changed = report_failures

    def __init__(self, story: StoryDetail, editor: OverviewEditor | None = None) -> None:
        super().__init__()
        self.story = story
        self.editor = editor  # makes an edit (m, x, u, ctrl+y); the overview is then redrawn

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview"):
            yield from self._body(self._head())
        yield Footer()

    def _head(self) -> Text:
        story = self.story
        head = Text(one_line(story.label) or "(no label)", style="bold")
        head.append(
            f"\n{date_range(story.first, story.last)} · {counted(len(story.articles), 'article')}"
            f" · {counted(len(story.sources), 'source')}",
            style="dim",
        )
        head.append(
            "\nenter on a cell opens those mentions · m merge · x split · u undo · s all stories"
            " · escape back",
            style="dim",
        )
        return head

    def _body(self, head: Text) -> list[Widget]:
        return [
            Static(head, id="overview-head"),
            Static(Text("coverage: mentions by source", style="bold underline")),
            self._matrix(),
            Static(Text("sources", style="bold underline")),
            self._sources(),
            Static(timeline_text(list(self.story.dates)), id="timeline"),
        ]

    def _matrix(self) -> DataTable[Any]:
        coverage = self.story.coverage
        table: DataTable[Any] = DataTable(id="coverage", cursor_type="cell")
        table.add_column(Text("entity"), key="entity")
        for source in coverage.sources:
            table.add_column(Text(one_line(source)), key=source)
        for row in coverage.rows:
            cells = [
                Text(str(n), justify="right") if n else Text(EMPTY, style="dim", justify="right")
                for n in row.counts
            ]
            name = Text(one_line(row.name), style="bold")
            name.append(f" {row.kind}", style="dim")
            table.add_row(name, *cells, key=row.entity_id)
        return table

    def _sources(self) -> DataTable[Any]:
        table: DataTable[Any] = DataTable(id="story-sources", cursor_type="none")
        table.add_columns("source", "articles", "dates")
        for s in self.story.sources:
            table.add_row(
                Text(one_line(s.name)),
                Text(str(s.articles), justify="right"),
                Text(date_range(s.first, s.last)),
            )
        return table

    def on_mount(self) -> None:
        table = self.query_one("#coverage", DataTable)
        table.focus()
        if self.story.coverage.rows and self.story.coverage.sources:
            table.move_cursor(row=0, column=1)

    def chosen_cell(self) -> CellChosen | None:
        """The entity and source under the matrix's cursor (None on the name column)."""
        table = self.query_one("#coverage", DataTable)
        row, column = table.cursor_coordinate
        coverage = self.story.coverage
        if column == 0 or row >= len(coverage.rows):
            return None
        return CellChosen(coverage.rows[row].entity_id, coverage.sources[column - 1])

    @on(DataTable.CellSelected, "#coverage")
    def cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        cell = self.chosen_cell()
        if cell is None:
            return
        if not self.story.coverage.count(cell.entity_id, cell.source):
            name = next(r.name for r in self.story.coverage.rows if r.entity_id == cell.entity_id)
            self.notify(f"{one_line(cell.source)} never names {one_line(name)}", markup=False)
            return
        self.dismiss(cell)

    def action_stories(self) -> None:
        self.dismiss(ListChosen())

    def action_edit(self, kind: str) -> None:
        if self.editor is not None:
            edit = StoryEdit(kind, self.story.id)
            self.run_worker(self._edit(self.editor, edit), group="edit", exit_on_error=False)

    async def _edit(self, editor: OverviewEditor, edit: StoryEdit) -> None:
        """Its pickers show over this overview, which is then redrawn (or, its story gone,
        left for the story list)."""
        story = await editor(edit)
        if story is None:
            self.dismiss(ListChosen())
            return
        self.story = story
        body = self.query_one("#overview", VerticalScroll)
        await body.remove_children()  # the body only: the screen's toasts stay
        await body.mount_all(self._body(self._head()))
        self.on_mount()
