"""The panes at each terminal size: side by side, the entity pane in the search pane's place,
one at a time."""

from __future__ import annotations

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
