"""Travel and keys through the panes: n/N and ]/[ across sources, escape, j/k/g/G."""

from __future__ import annotations

from pathlib import Path

import pytest
from crosswire.tui.app import CrosswireApp
from crosswire.tui.article_view import ArticleView
from crosswire.tui.keys import binding_ids
from crosswire.tui.reader import ReaderScreen
from crosswire.tui.screens import HelpScreen
from crosswire.tui.widgets import KeyedOptionList, ResultsList, StatusLine

from .conftest import (
    library_thread_held,
    nav,
    open_first_result,
    open_kazemi,
    reader,
    settle,
    visible,
)


async def test_n_walks_mentions_across_every_source(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        stops = nav(app).stops
        visited = []
        for _ in range(len(stops)):
            await pilot.press("n")
            await settle(app, pilot)
            view = app.query_one(ArticleView)
            assert view.cursor_mention is not None
            visited.append((nav(app).article.id, view.cursor_mention.start))
        assert set(visited) == {(s.article_id, s.start) for s in stops}
        assert len({nav(app).stops[i].source for i in range(len(stops))}) == 5
        status = str(app.query_one(StatusLine).content)
        assert "source" in status and f"of {len(stops)}" in status
        before = nav(app).stop_index
        await pilot.press("N")
        await settle(app, pilot)
        assert nav(app).stop_index == (before - 1) % len(stops)


async def test_brackets_step_through_sources(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        seen = []
        for _ in range(5):
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
            seen.append(nav(app).stops[nav(app).stop_index].source)
        assert len(set(seen)) == 5
        assert "source" in str(app.query_one(StatusLine).content)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert nav(app).stops[nav(app).stop_index].source == seen[-2]


async def test_brackets_in_results_change_source(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        first = nav(app).article
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.source != first.source
        assert "result" in str(app.query_one(StatusLine).content)


async def test_escape_steps_back(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ArticleView) and not visible(app, "#entity-pane")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ResultsList)
        await pilot.press("escape")
        assert app.focused is app.query_one("#query")


async def test_help_lists_every_key(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.plain
        for binding_id in binding_ids([ReaderScreen, CrosswireApp, ArticleView, KeyedOptionList]):
            assert binding_id in text
        for key in ("/ |", "n |", "N |", "] |", "[ |", "?, f1", "q, ^q", "^p", "tab", "j, ↓"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_from_config_remaps_a_key(seeded: Path, tmp_path: Path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"crosswire.search" = "ctrl+f"\n', encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert app.focused is app.query_one("#query")
        help_rows = {keys: what for keys, what, _ in app.help_sections()[0][1]}
        assert "^f" in help_rows


async def test_j_k_g_G_move_in_lists_and_the_article(seeded: Path):
    async with reader(seeded, size=(160, 20)) as (app, pilot):
        await pilot.press("down")
        await settle(app, pilot)  # the first search done: no late redraw resets the highlight
        results = app.query_one(ResultsList)
        await pilot.press("G")
        await settle(app, pilot)
        assert results.highlighted == results.option_count - 1
        await pilot.press("g")
        await settle(app, pilot)
        assert results.highlighted == 0
        await pilot.press("j")
        await settle(app, pilot)
        assert results.highlighted == 1
        await pilot.press("k", "enter")
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        assert view.max_scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("k")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y - 1
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0


@pytest.mark.parametrize("among", ["entity sources", "results"])
async def test_travel_superseded_by_a_newer_open_is_no_error(seeded: Path, among: str):
    """] waits for the article it opens; a newer open (j in the results) replacing it is
    normal, not a failed worker."""
    async with reader(seeded) as (app, pilot):
        if among == "entity sources":
            await open_kazemi(app, pilot)
        else:
            await open_first_result(app, pilot)
        newer = nav(app).results.hits[-1].id
        with library_thread_held(app):
            await pilot.press("right_square_bracket")
            for _ in range(20):  # until the travel worker waits on the article it opens
                if any(w.group == "article" and not w.is_finished for w in app.workers):
                    break
                await pilot.pause()
            app.reader.open_article(newer)
            await pilot.pause()
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.id == newer
        assert not any("travel" in n.message for n in app._notifications)
