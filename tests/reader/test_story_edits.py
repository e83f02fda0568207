"""Story corrections in the reader: merge two stories (the story picker), split articles off
(the checklist), move the open article to another story; each refreshes what is shown, says
what it did, and u / ctrl+y undo and redo it like an entity decision."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from crosswire.index import Library
from crosswire.tui.app import CrosswireApp
from crosswire.tui.coverage import StoryOverviewScreen
from crosswire.tui.reader import ReaderScreen
from crosswire.tui.screens import ConfirmScreen
from crosswire.tui.stories import StoryListScreen
from crosswire.tui.story_pickers import SplitScreen, StoryPicker, matches
from textual.pilot import Pilot
from textual.widgets import SelectionList

from .conftest import nav, reader, settle
from .test_stories import open_flood, two_stories, two_stories_master  # noqa: F401


async def until(pilot: Pilot, done: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def members(app: CrosswireApp) -> dict[str, set[str]]:
    stories = app.backend.run(Library.stories)
    return {s.id: set(app.backend.run(Library.story_articles, s.id)) for s in stories}


def toasts(app: CrosswireApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_merge_two_stories_from_the_list_then_undo_and_redo(two_stories: Path) -> None:  # noqa: F811
    async with reader(two_stories) as (app, pilot):
        before = members(app)
        assert isinstance(app.screen, StoryListScreen)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, StoryPicker), "the story picker")
        picker = app.screen
        assert isinstance(picker, StoryPicker) and len(picker.shown) == 1  # not itself
        await pilot.press(*"vukovar danube")  # two words, in any order of the label
        await pilot.pause()
        assert [s.label for s in picker.shown] == [picker.stories[0].label]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(
            pilot,
            lambda: isinstance(app.screen, StoryListScreen) and len(app.screen.stories) == 1,
            "the refreshed list",
        )
        (merged,) = members(app).values()
        assert merged == set().union(*before.values())
        assert any(t.startswith("merged story") for t in toasts(app))
        await pilot.press("u")
        await until(
            pilot,
            lambda: isinstance(app.screen, StoryListScreen) and len(app.screen.stories) == 2,
            "the list after undo",
        )
        assert members(app) == before
        assert any(t.startswith("undid: merged story") for t in toasts(app))
        await pilot.press("ctrl+y")
        await until(
            pilot,
            lambda: isinstance(app.screen, StoryListScreen) and len(app.screen.stories) == 1,
            "the list after redo",
        )
        assert list(members(app).values()) == [merged]


async def test_split_a_story_from_its_overview(two_stories: Path) -> None:  # noqa: F811
    async with reader(two_stories) as (app, pilot):
        await pilot.press("enter")  # the seeds' story, the most recent
        await settle(app, pilot)
        seeds = app.backend.story
        assert seeds is not None and len(seeds.articles) == 5
        await pilot.press("down", "s")
        await settle(app, pilot)
        assert isinstance(app.screen, StoryOverviewScreen)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, SplitScreen), "the checklist")
        checklist = app.screen.query_one(SelectionList)
        await pilot.press("enter")  # nothing ticked: nothing happens but a hint
        await pilot.pause()
        assert isinstance(app.screen, SplitScreen)
        await pilot.press("space", "down", "down", "space")  # the first and the third
        leaving = [seeds.articles[0].id, seeds.articles[2].id]
        assert sorted(checklist.selected) == sorted(leaving)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StoryOverviewScreen), "the overview")
        overview = app.screen
        assert isinstance(overview, StoryOverviewScreen) and overview.story.id == seeds.id
        assert len(overview.story.articles) == 3
        stories = members(app)
        assert set(leaving) in stories.values() and len(stories) == 3
        assert app.backend.story is not None and len(app.backend.story.articles) == 3
        assert any(t.startswith("split 2 articles off") for t in toasts(app))
        await pilot.press("u")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, StoryOverviewScreen) and len(app.screen.story.articles) == 5
            ),
            "the overview after undo",
        )
        assert len(members(app)) == 2
        await pilot.press("ctrl+y")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, StoryOverviewScreen) and len(app.screen.story.articles) == 3
            ),
            "the overview after redo",
        )
        assert set(leaving) in members(app).values()


async def test_move_the_open_article_to_another_story(two_stories: Path) -> None:  # noqa: F811
    async with reader(two_stories) as (app, pilot):
        await open_flood(app, pilot)
        flood = app.backend.story
        assert flood is not None and len(flood.articles) == 2
        await pilot.press("down", "enter")  # open the first of the flood's articles
        await settle(app, pilot)
        article = nav(app).article
        assert article is not None and article.id in flood.article_ids
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, StoryPicker), "the story picker")
        assert [s.id for s in app.screen.shown] != [flood.id]  # its own story is not offered
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen), "the reader")
        await settle(app, pilot)
        assert app.backend.run(Library.story_of, article.id) != flood.id
        assert app.backend.story is not None and len(app.backend.story.articles) == 1
        assert nav(app).results.total == 1  # the story's results, refreshed
        assert any(t.startswith("moved ") for t in toasts(app))
        await pilot.press("u")
        await settle(app, pilot)
        await until(pilot, lambda: nav(app).results.total == 2, "the results after undo")
        assert app.backend.run(Library.story_of, article.id) == flood.id
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        await until(pilot, lambda: nav(app).results.total == 1, "the results after redo")
        assert app.backend.run(Library.story_of, article.id) != flood.id


def test_story_filter_words_match_in_any_order_and_mark_where() -> None:
    text = "Vukovar · flood · Danube  · 2 articles · 2019-03-10 – 2019-03-11"
    assert matches(text, "danube vukovar") is not None
    assert matches(text, "FLOOD 2019-03") is not None
    assert matches(text, "danube drone") is None
    assert matches(text, "ukov") == [(1, 5)]  # inside a word, when no word starts so


async def test_escape_in_a_story_picker_changes_nothing(two_stories: Path) -> None:  # noqa: F811
    async with reader(two_stories) as (app, pilot):
        before = members(app)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, StoryPicker), "the story picker")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StoryListScreen), "the list again")
        await asyncio.sleep(0)
        assert members(app) == before
