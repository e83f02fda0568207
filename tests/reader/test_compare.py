"""The compare view (c) and the facts panel (f) in the reader, at 80×24 and 160×48 (issue 14)."""

from __future__ import annotations

import pytest
from crosswire.tui.compare import CompareScreen, SectionList
from crosswire.tui.facts import FactsScreen
from textual.widgets import Static

from .conftest import NARROW, WIDE, nav, reader, search, settle
from .test_snapshots import still

SIZES = pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])


def summary(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def highlighted_place(app):
    lists = list(app.screen.query(SectionList))
    focused = app.focused
    assert isinstance(focused, SectionList) and focused in lists
    option = focused.get_option_at_index(focused.highlighted)
    return focused.place(option)


@SIZES
async def test_compare_the_sources_of_a_search_and_open_a_passage(seeded, size):
    async with reader(seeded, size) as (app, pilot):
        await search(app, pilot, '"three drones" OR "two drones"')
        await pilot.press("tab")  # out of the search box: c is a key, not a letter typed
        await pilot.press("c")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        sources = [s.source[:3] for s in screen.comparison.sources]
        assert sources == ["002", "003", "004"]
        assert "not mentioned in: 000" in summary(app, "#compare-summary")
        assert screen.columns is (size == WIDE)  # three columns of 53 cells fit in 160
        first = highlighted_place(app)
        assert first[0] == screen.comparison.sources[0].passages[0].article
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        second = highlighted_place(app)
        assert second[0] == screen.comparison.sources[1].passages[0].article
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert highlighted_place(app) == first
        await pilot.press("right_square_bracket", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CompareScreen)
        article = nav(app).article
        assert article is not None and article.id == second[0]
        assert "drones" in article.text[second[1] : second[2]]


async def test_compare_in_columns_when_wide_enough(seeded):
    async with reader(seeded, (200, 48)) as (app, pilot):
        await search(app, pilot, "drones")
        await pilot.press("tab", "c")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        count = len(screen.comparison.sources)
        assert screen.columns is (200 // count >= 48)
        if screen.columns:
            lists = list(screen.query(SectionList))
            assert len(lists) == count and app.focused is lists[0]
            await pilot.press("right_square_bracket")
            assert app.focused is lists[1]
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_c_without_a_search_says_what_to_do(seeded):
    async with reader(seeded, WIDE) as (app, pilot):
        await pilot.press("tab", "c")
        await settle(app, pilot)
        assert not isinstance(app.screen, CompareScreen)


@SIZES
async def test_facts_panel_disputed_first_and_enter_opens_the_claim(seeded, size):
    async with reader(seeded, size) as (app, pilot):
        await pilot.press("tab", "f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, FactsScreen)
        assert [(g.about, g.event, g.disputed) for g in screen.groups][:2] == [
            ("drone", "used", True),
            ("guard", "injured", False),
        ]
        assert "5 claim groups, 1 disputed" in summary(app, "#facts-summary")
        article_id, start, end = highlighted_place(app)
        await pilot.press("right_square_bracket")
        guard = highlighted_place(app)
        assert guard[0] == screen.groups[1].values[0].article
        await pilot.press("left_square_bracket", "enter")
        await settle(app, pilot)
        article = nav(app).article
        assert article is not None and article.id == article_id
        assert article.text[start:end].lower().endswith("drones")


async def test_palette_offers_compare_and_facts(seeded):
    async with reader(seeded, WIDE) as (app, pilot):
        await search(app, pilot, "wounded")
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"compare the sources")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.comparison.query == "wounded"


# --- snapshots: the compare view and the facts panel at both sizes ------------------------------


def compare_view(query: str):
    async def run(pilot) -> None:
        app = pilot.app
        await still(pilot)
        await pilot.press(*query)
        await settle(app, pilot)
        await pilot.press("tab", "c")
        await settle(app, pilot)

    return run


async def facts_panel(pilot) -> None:
    await still(pilot)
    await pilot.press("tab", "f")
    await settle(pilot.app, pilot)


@SIZES
def test_snapshot_compare_view(app, snap_compare, size):
    run = compare_view('"three drones" OR "two drones"')
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_snapshot_facts_panel(app, snap_compare, size):
    assert snap_compare(app, terminal_size=size, run_before=facts_panel)
