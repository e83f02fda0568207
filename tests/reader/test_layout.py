"""The panes at each terminal size: side by side, the entity pane in the search pane's place,
one at a time."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from crosswire.tui.article_view import ArticleView

from .conftest import (
    NARROW,
    WIDE,
    article_lines,
    nav,
    open_first_result,
    open_kazemi,
    reader,
    search,
    settle,
    tab_to,
    visible,
)


async def test_narrow_terminal_one_pane_at_a_time(seeded: Path):
    async with reader(seeded, size=NARROW) as (app, pilot):
        assert visible(app, "#search-pane") and not visible(app, "#article-pane")
        await search(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible(app, "#article-pane") and not visible(app, "#search-pane")
        await tab_to(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible(app, "#entity-pane") and not visible(app, "#article-pane")
        assert len(nav(app).entity.mentions_by_source) == 5
        await pilot.press("n")
        await settle(app, pilot)
        assert visible(app, "#article-pane")
        await pilot.press("escape")
        await settle(app, pilot)
        assert visible(app, "#search-pane")


@pytest.mark.parametrize("size", [WIDE, NARROW, (200, 50)])
async def test_layout_at_sizes(seeded: Path, size: tuple[int, int]):
    async with reader(seeded, size=size) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        width = view.scrollable_content_region.width
        assert all(len(line.rstrip()) <= width for line in article_lines(view))
        assert any(line.strip() for line in article_lines(view))


async def test_medium_terminal_entity_pane_takes_the_search_panes_place(seeded: Path):
    async with reader(seeded, size=(120, 40)) as (app, pilot):
        await open_kazemi(app, pilot)
        assert visible(app, "#entity-pane") and visible(app, "#article-pane")
        assert not visible(app, "#search-pane")
        assert app.query_one(ArticleView).scrollable_content_region.width >= 50
        await pilot.press("slash")
        await settle(app, pilot)
        assert visible(app, "#search-pane") and not visible(app, "#entity-pane")
        assert app.focused is app.query_one("#query")


def assert_readable(app, width: int) -> None:
    """Every pane shown is on screen, side by side without overlap, and wide enough to read;
    the article's text is at least 30 columns."""
    shown = [
        app.query_one(pane).region
        for pane in ("#search-pane", "#article-pane", "#entity-pane")
        if visible(app, pane)
    ]
    assert shown, f"no pane at {width}"
    for region in shown:
        assert region.x >= 0 and region.right <= width, (width, shown)
        assert region.width >= 28, (width, shown)
    for left, right in itertools.pairwise(shown):
        assert left.right <= right.x, (width, shown)
    if visible(app, "#article-pane"):
        assert app.query_one(ArticleView).scrollable_content_region.width >= 30, width


@pytest.mark.parametrize("width", [60, 80, 99, 100, 120, 149, 150, 160, 200, 250])
async def test_every_width_starts_readable(seeded: Path, width: int):
    async with reader(seeded, size=(width, 30)) as (app, pilot):
        assert_readable(app, width)
        await open_kazemi(app, pilot)
        assert_readable(app, width)


async def test_resizing_with_every_pane_open_stays_readable(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        await pilot.press("escape")  # back in the article, the entity pane closed
        await pilot.press("E")  # and open again: search, article and entity all shown
        await settle(app, pilot)
        assert all(visible(app, p) for p in ("#search-pane", "#article-pane", "#entity-pane"))
        widths = [160, 80, 160, *range(250, 59, -13), *range(60, 251, 17)]
        for width in widths:
            await pilot.resize_terminal(width, 40)
            await settle(app, pilot)
            assert_readable(app, width)
        await pilot.resize_terminal(160, 48)
        await settle(app, pilot)
        assert all(visible(app, p) for p in ("#search-pane", "#article-pane", "#entity-pane"))


async def test_the_results_pane_grows_with_the_terminal(seeded: Path):
    async with reader(seeded) as (app, pilot):
        at_160 = app.query_one("#search-pane").region.width
        await pilot.resize_terminal(240, 48)
        await settle(app, pilot)
        assert at_160 > 42 and app.query_one("#search-pane").region.width > at_160


async def test_widening_a_pane_is_remembered_in_the_config(seeded: Path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"crosswire.help" = "f2"\n', encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, pilot):
        search_pane = app.query_one("#search-pane")
        before = search_pane.region.width
        await pilot.press("escape")  # out of the box: > is a key, not a letter
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(app, pilot)
        wider = search_pane.region.width
        assert wider > before
        await open_first_result(app, pilot)
        await pilot.press("greater_than_sign")  # the article widens: the results narrow
        await settle(app, pilot)
        assert search_pane.region.width < wider
        kept = search_pane.region.width
    assert '"crosswire.help" = "f2"' in config.read_text(encoding="utf-8")
    async with reader(seeded) as (app, pilot):
        assert app.query_one("#search-pane").region.width == kept, "remembered across runs"


async def test_the_theme_is_remembered_across_runs(seeded: Path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, pilot):
        assert app.theme != "nord"
        app.theme = "nord"
        await settle(app, pilot)
    assert 'theme = "nord"' in config.read_text(encoding="utf-8")
    async with reader(seeded) as (app, pilot):
        assert app.theme == "nord"


async def test_an_unknown_saved_theme_is_one_warning(seeded: Path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[reader]\ntheme = "no-such-theme"\n', encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, _pilot):
        assert any("no-such-theme" in n.message for n in app._notifications)
        assert app.theme in app.available_themes
