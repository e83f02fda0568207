"""Stories in the reader: the story list as the start screen once there is more than one story,
opening a story scopes the reader, the overview's coverage matrix opens mentions, a widens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from crosswire.index import Library
from crosswire.tui.app import CrosswireApp
from crosswire.tui.backend import Backend
from crosswire.tui.coverage import StoryOverviewScreen, timeline
from crosswire.tui.panes import SearchPane
from crosswire.tui.reader import ReaderScreen
from crosswire.tui.stories import StoryListScreen
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from ..engine.test_stories import FLOOD, write_jsonl
from .conftest import nav, reader, settle


@pytest.fixture(scope="session")
def two_stories_master(seeded_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds (one story, 2021) and an invented flood (another, 2019), with entities."""
    directory = tmp_path_factory.mktemp("two_stories") / "library"
    shutil.copytree(seeded_master, directory)
    feed = write_jsonl(tmp_path_factory.mktemp("flood") / "flood.jsonl", FLOOD)
    with Library(directory) as library:
        library.add([feed])
        assert len(library.stories()) == 2
    return directory


@pytest.fixture
def two_stories(two_stories_master: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "library"
    shutil.copytree(two_stories_master, directory)
    return directory


def story_rows(app: CrosswireApp) -> list[str]:
    assert isinstance(app.screen, StoryListScreen)
    return [s.label for s in app.screen.stories]


async def open_flood(app: CrosswireApp, pilot: Pilot) -> None:
    """From the story list, the second (older) story: the flood."""
    await pilot.press("down", "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ReaderScreen)


async def test_the_seeds_alone_open_straight_into_the_reader(seeded: Path) -> None:
    async with reader(seeded) as (app, _pilot):
        assert isinstance(app.screen, ReaderScreen)
        assert nav(app).results.total == 5


async def test_the_story_list_is_the_start_screen_and_a_story_scopes_the_reader(
    two_stories: Path,
) -> None:
    async with reader(two_stories) as (app, pilot):
        labels = story_rows(app)
        assert len(labels) == 2 and "Vukovar" in labels[1]  # the most recent (2021) first
        await open_flood(app, pilot)
        assert nav(app).results.total == 2
        assert {h.source for h in nav(app).results.hits} == {"Danube Post", "Zagreb Daily"}
        assert set(app.query_one(SearchPane).source_counts) == {"Danube Post", "Zagreb Daily"}
        assert "story:" in app.reader.status.position
        # A search keeps to the story: the seeds' drones are not in it.
        await pilot.press("slash", *"Danube")
        await settle(app, pilot)
        assert nav(app).results.total == 2
        app.query_one("#query", Input).value = "drone"
        await settle(app, pilot)
        assert nav(app).results.total == 0
        # a: the whole library again (w hops names in the article).
        app.query_one("#query", Input).value = ""
        await settle(app, pilot)
        await pilot.press("down", "a")  # from the box to the results: a is a key there
        await settle(app, pilot)
        assert nav(app).results.total == 7 and "story:" not in app.reader.status.position


async def test_escape_on_the_story_list_reads_the_whole_library(two_stories: Path) -> None:
    async with reader(two_stories) as (app, pilot):
        assert isinstance(app.screen, StoryListScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen) and nav(app).results.total == 7
        await pilot.press("down", "s")  # s outside the entity pane: the story list again
        await settle(app, pilot)
        assert isinstance(app.screen, StoryListScreen)


async def test_a_coverage_cell_opens_those_mentions_within_the_story(two_stories: Path) -> None:
    async with reader(two_stories) as (app, pilot):
        await open_flood(app, pilot)
        await pilot.press("down", "s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StoryOverviewScreen)
        coverage = screen.story.coverage
        table = screen.query_one("#coverage", DataTable)
        assert table.row_count == len(coverage.rows) and coverage.sources
        # The first cell with mentions: its row's entity in its column's source.
        row, column = next(
            (r, c)
            for r, entity in enumerate(coverage.rows)
            for c, n in enumerate(entity.counts)
            if n
        )
        table.move_cursor(row=row, column=column + 1)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        entity = nav(app).entity
        assert entity is not None and entity.id == coverage.rows[row].entity_id
        flood_ids = set(screen.story.article_ids)
        assert {m.article_id for ms in entity.mentions_by_source.values() for m in ms} <= flood_ids
        assert nav(app).article is not None
        assert coverage.sources[column] in nav(app).article.sources


async def test_a_zero_cell_says_the_source_never_names_it(two_stories: Path) -> None:
    async with reader(two_stories) as (app, pilot):
        await open_flood(app, pilot)
        await pilot.press("down", "s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StoryOverviewScreen)
        coverage = screen.story.coverage
        zero = next(
            ((r, c) for r, e in enumerate(coverage.rows) for c, n in enumerate(e.counts) if not n),
            None,
        )
        if zero is None:
            pytest.fail("the invented flood should leave some entity unnamed by one outlet")
        screen.query_one("#coverage", DataTable).move_cursor(row=zero[0], column=zero[1] + 1)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen  # nothing to open: it stays, and says so


def test_the_timeline_counts_articles_by_day_week_or_month() -> None:
    assert timeline(["2021-11-07", None, "2021-11-07", "2021-11-09"]) == [
        ("2021-11-07", 2),
        ("2021-11-09", 1),
    ]
    spread = [f"2020-{m:02}-01" for m in range(1, 13)] * 3
    assert len(timeline(spread)) == 12  # 36 days apart → a bar a month
    assert timeline([None]) == []


# -- snapshots ------------------------------------------------------------------------------


@pytest.fixture
def story_app(two_stories: Path):
    backend = Backend(two_stories)
    yield CrosswireApp(backend)
    backend.close()


async def _still(pilot: Pilot) -> None:
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    app.animation_level = "none"
    await settle(app, pilot)
    await settle(app, pilot)


async def _overview(pilot: Pilot) -> None:
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    await _still(pilot)
    await open_flood(app, pilot)
    await pilot.press("down", "s")
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_story_list_snapshot(story_app, snap_compare, size):
    assert snap_compare(story_app, terminal_size=size, run_before=_still)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_story_overview_snapshot(story_app, snap_compare, size):
    assert snap_compare(story_app, terminal_size=size, run_before=_overview)
