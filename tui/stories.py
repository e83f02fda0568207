"""The story list: the reader's start screen once a library holds more than one story, and
what `s` opens; choosing a story keeps the reader to it (searches, the source filter, entity
lists, n and ] travel), `a` widens back to the whole (all the) library.

Labels and source names are article data: every cell is a rich Text built from plain strings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Protocol

from crosswire.index import Decision, StoryDetail, StorySummary
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker

from . import story_edits, travel
from .backend import Backend
from .coverage import (
    EDIT_BINDINGS,
    CellChosen,
    ListChosen,
    StoryEdit,
    StoryOverviewScreen,
    date_range,
)
from .messages import report_failures
from .safe import counted, one_line
from .state import Navigation


class Reader(Protocol):
    """What these flows use of the reader's screen (tui/reader.py, which imports this module:
    a protocol, so the import graph stays a tree)."""

    backend: Backend
    nav: Navigation
    app: App[Any]

    def notify(self, message: str, *, severity: SeverityLevel = "information") -> None: ...

    def scope_changed(self, scope: str) -> None: ...

    def open_entity(self, name_or_id: str) -> Worker[None]: ...

    async def go_to_stop(self, index: int) -> None: ...

    def action_undo(self) -> Worker[None]: ...

    def action_redo(self) -> Worker[None]: ...


LABEL_WIDTH = 44  # a label longer than this is cut with an ellipsis


def clipped(label: str, width: int = LABEL_WIDTH) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def stories_counted(n: int) -> str:
    return "1 story" if n == 1 else f"{n} stories"


# Make a story edit from a story screen: the id of the story to show after it, and the stories.
ListEditor = Callable[[StoryEdit], Awaitable[tuple[str, list[StorySummary]]]]


class StoryListScreen(Screen[str | None]):
    """Every story, the most recent first: dates, article and source counts, label. enter
    dismisses with the story's id (the reader scopes to it), escape with None (the whole
    library, as it was)."""

    DEFAULT_CSS = """
    StoryListScreen #stories-head { height: auto; padding: 0 1; }
    StoryListScreen #stories { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Whole library", id="stories.close"),
        Binding("enter", "open", "Open story", id="stories.open", priority=True),
        *EDIT_BINDINGS,
    ]

    on_worker_state_changed = report_failures

    def __init__(
        self,
        stories: list[StorySummary],
        current: str | None = None,
        editor: ListEditor | None = None,
    ) -> None:
        super().__init__()
        self.stories = stories
        self.current = current
        self.editor = editor  # makes an edit (m, x, u, ctrl+y); the list is then redrawn

    def compose(self) -> ComposeResult:
        yield Static(self._head(), id="stories-head")
        table: DataTable[Any] = DataTable(id="stories", cursor_type="row", zebra_stripes=True)
        # The label first: at 80 columns it is what tells stories apart.
        table.add_column("story", key="label")
        table.add_column("articles", key="articles")
        table.add_column("sources", key="sources")
        table.add_column("dates", key="dates")
        self._fill(table)
        yield table
        yield Footer()

    def _head(self) -> Text:
        articles = sum(s.articles for s in self.stories)
        head = Text(stories_counted(len(self.stories)), style="bold")
        head.append(f" · {counted(articles, 'article')} · the most recent first", style="dim")
        head.append(
            "\nenter opens a story · m merge · x split · u undo · esc the whole library",
            style="dim",
        )
        return head

    def _fill(self, table: DataTable[Any]) -> None:
        for story in self.stories:
            table.add_row(
                Text(clipped(one_line(story.label) or "(no label)")),
                Text(str(story.articles), justify="right"),
                Text(str(story.sources), justify="right"),
                Text(date_range(story.first, story.last)),
                key=story.id,
            )

    def on_mount(self) -> None:
        self._focus_current()

    def _focus_current(self) -> None:
        table = self.query_one("#stories", DataTable)
        table.focus()
        ids = [s.id for s in self.stories]
        if self.current in ids:
            table.move_cursor(row=ids.index(self.current))

    @property
    def highlighted(self) -> str | None:
        """The id of the story under the cursor."""
        table = self.query_one("#stories", DataTable)
        if not self.stories:
            return None
        return self.stories[min(table.cursor_row, len(self.stories) - 1)].id

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.dismiss(self.highlighted)

    def action_edit(self, kind: str) -> None:
        if self.highlighted is not None and self.editor is not None:
            edit = StoryEdit(kind, self.highlighted)
            self.run_worker(self._edit(self.editor, edit), group="edit", exit_on_error=False)

    async def _edit(self, editor: ListEditor, edit: StoryEdit) -> None:
        """Its pickers show over this list, which is then redrawn on the story to show."""
        self.current, self.stories = await editor(edit)
        self.query_one("#stories-head", Static).update(self._head())
        table = self.query_one("#stories", DataTable)
        table.clear()
        self._fill(table)
        self._focus_current()

    @on(DataTable.RowSelected, "#stories")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


# -- the reader's side: opening the list, scoping and widening ----------------------------------


async def offer_story_list(reader: Reader) -> None:
    """At start: the story list when the library holds more than one story (the seeds alone
    open straight into the reader)."""
    stories = await reader.backend.stories()
    if len(stories) > 1:
        await show_story_list(reader, stories)


async def show_story_list(
    reader: Reader, stories: list[StorySummary] | None = None, current: str | None = None
) -> None:
    """Push the story list (its cursor on `current`, else the open story); the story chosen
    scopes the reader, an edit chosen is made and the list comes back."""
    backend = reader.backend
    if stories is None:
        stories = await backend.stories()
    if not stories:
        reader.notify("no stories yet: articles join a story once their entities are extracted")
        return
    if current is None:
        current = backend.story.id if backend.story else None

    async def chosen(story_id: str | None) -> None:
        if story_id is not None:
            await scope_reader(reader, story_id)

    async def edit(edit: StoryEdit) -> tuple[str, list[StorySummary]]:
        shown = await perform(reader, edit)
        return shown, await backend.stories()

    await reader.app.push_screen(StoryListScreen(stories, current, edit), chosen)


async def scope_reader(reader: Reader, story_id: str | None) -> StoryDetail | None:
    """Keep the reader to one story (None: the whole library) and search again within it."""
    story = await reader.backend.scope(story_id)
    if story_id is not None and story is None:
        reader.notify(f"story {story_id} is gone", severity="warning")
    reader.scope_changed(scope_line(story))
    return story


def scope_line(story: StoryDetail | None) -> str:
    """The status line's scope: "story: label · 5 articles · a whole library" or nothing."""
    if story is None:
        return ""
    return (
        f"story: {one_line(story.label)} · {counted(len(story.articles), 'article')} "
        "· s overview · a whole library"
    )


async def open_stories(reader: Reader) -> None:
    """s: the overview of the story the reader keeps to, else the story list."""
    story = reader.backend.story
    if story is None:
        await show_story_list(reader)
        return
    await open_overview(reader, story.id)


async def open_overview(reader: Reader, story_id: str) -> None:
    """The overview of one story (a merged-away id: the story it went into)."""
    fresh = await reader.backend.story_detail(story_id)
    if fresh is None:
        reader.notify(f"story {story_id} is gone", severity="warning")
        await show_story_list(reader)
        return

    async def chosen(choice: CellChosen | ListChosen | None) -> None:
        if isinstance(choice, ListChosen):
            await show_story_list(reader)
        elif isinstance(choice, CellChosen):
            await open_cell(reader, choice)

    async def edit(edit: StoryEdit) -> StoryDetail | None:
        return await reader.backend.story_detail(await perform(reader, edit))

    await reader.app.push_screen(StoryOverviewScreen(fresh, edit), chosen)


# -- corrections: merge, split, undo from the story screens (tui/story_edits.py) ---------------


async def perform(reader: Reader, edit: StoryEdit) -> str:
    """Ask for and make one story edit; the id of the story to show afterwards."""
    app, backend = reader.app, reader.backend
    if edit.kind in ("undo", "redo"):
        worker = reader.action_undo() if edit.kind == "undo" else reader.action_redo()
        await worker.wait()
        return edit.story_id
    if edit.kind == "merge":
        shown = await story_edits.merge_story(app, backend, edit.story_id)
    else:
        shown = await story_edits.split_story(app, backend, edit.story_id)
    if shown is not None:
        await refresh_scope(reader)
    return shown or edit.story_id


def is_story_decision(decision: Decision | None) -> bool:
    return decision is not None and decision.action.startswith("story-")


async def refresh_scope(reader: Reader) -> None:
    """After a story edit: the story the reader keeps to, read again (its articles changed,
    or it was merged into another, whose id it now finds)."""
    story = reader.backend.story
    if story is not None:
        await scope_reader(reader, story.id)


async def open_cell(reader: Reader, cell: CellChosen) -> None:
    """A coverage cell: the entity (its mentions within the story) at its first mention in
    that source, so n and N go on through that outlet's mentions and then the others'."""
    await reader.open_entity(cell.entity_id).wait()
    index = travel.first_stop_in(reader.nav.stops, cell.source)
    if index is not None:
        await reader.go_to_stop(index)
