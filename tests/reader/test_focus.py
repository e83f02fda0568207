"""Keys and focus: escape leaves the search box, the footer says what the box's keys are, a
source picked hands focus to the results, tab moves focus (w/W hop names), an unfocused
highlight looks unfocused, the palette lists every action first, toasts and help fit."""

from __future__ import annotations

import io
from pathlib import Path

from crosswire.tui.app import CrosswireApp
from crosswire.tui.article_view import ArticleView
from crosswire.tui.backend import Backend
from crosswire.tui.screens import HelpScreen
from crosswire.tui.widgets import QueryInput, ResultsList
from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Select, Static
from textual.widgets._toast import Toast

from .conftest import NARROW, nav, open_first_result, reader, search, settle


def footer_keys(app) -> dict[str, str]:
    """What the footer offers now: key → description, as Textual's Footer lists them."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


async def test_escape_in_the_box_goes_to_the_results_and_keeps_the_query(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "drone")
        assert isinstance(app.focused, QueryInput)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ResultsList)
        assert app.query_one("#query", Input).value == "drone"
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen), "? is the help key again, not a letter"
        await pilot.press("escape", "j")
        await settle(app, pilot)
        assert app.query_one("#query", Input).value == "drone", "j moved, it was not typed"
        assert app.query_one(ResultsList).highlighted == 1


async def test_escape_leaves_the_box_even_when_nothing_matches(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "zzzqqq")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ResultsList)
        assert app.query_one("#query", Input).value == "zzzqqq"


async def test_the_footer_in_the_box_offers_the_boxs_keys_only(seeded: Path):
    async with reader(seeded) as (app, pilot):
        keys = footer_keys(app)
        assert keys == {"down": "Results", "enter": "Open", "escape": "Leave"}, keys
        await pilot.press("escape")
        await settle(app, pilot)
        keys = footer_keys(app)
        assert {"slash", "n", "question_mark"} <= set(keys), keys


async def test_picking_a_source_moves_focus_to_its_results(seeded: Path):
    async with reader(seeded) as (app, pilot):
        select = app.query_one("#source", Select)
        select.focus()
        await pilot.press("enter")  # the dropdown opens
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")  # past "all sources" to the first source
        await settle(app, pilot)
        source = app.reader.search.source
        assert source is not None
        results = app.query_one(ResultsList)
        assert app.focused is results
        await pilot.press("enter")
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.source == source


async def test_an_unfocused_highlight_looks_unfocused(seeded: Path):
    async with reader(seeded) as (app, pilot):
        results = app.query_one(ResultsList)
        blurred = results.get_component_rich_style("option-list--option-highlighted")
        results.focus()
        await settle(app, pilot)
        focused = results.get_component_rich_style("option-list--option-highlighted")
        assert blurred.bgcolor != focused.bgcolor


async def test_tab_leaves_the_article_and_w_hops_names(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        assert app.focused is view
        await pilot.press("w")
        first = view.cursor_mention
        await pilot.press("w")
        assert view.cursor_mention is not None and view.cursor_mention != first
        await pilot.press("W")
        assert view.cursor_mention == first
        assert footer_keys(app).get("w") == "Next name", "the footer says how names are hopped"
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.focused is not view
        await pilot.press("shift+tab")
        await settle(app, pilot)
        assert app.focused is view


async def palette_titles(app, pilot, query: str) -> list[str]:
    app.action_command_palette()
    await settle(app, pilot)
    await pilot.press(*query)
    for _ in range(30):  # the palette gathers hits in batches
        await pilot.pause(0.05)
    options = app.screen.query_one(CommandList).options
    titles = [str(o.prompt).split("\n")[0] for o in options]
    await pilot.press("escape")
    await settle(app, pilot)
    return titles


async def test_the_palette_lists_every_action_before_entities(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        titles = await palette_titles(app, pilot, "")
        for action in ("Merge", "Split", "Theme", "Keys", "Go to source…", "History"):
            assert action in titles, titles
        assert titles.count("Keys") == 1
        titles = await palette_titles(app, pilot, "s")
        entity = next(i for i, t in enumerate(titles) if t not in ACTIONS(app))
        assert all(t in ACTIONS(app) for t in titles[:entity]), titles
        assert "Split" in titles[:entity] and "Search" in titles[:entity]


def ACTIONS(app) -> set[str]:
    return {c.title for c in app.palette_actions()}


async def test_a_palette_action_runs_in_the_reader(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        app.action_command_palette()
        await settle(app, pilot)
        await pilot.press(*"Keys")
        for _ in range(20):
            await pilot.pause(0.05)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
        app.action_command_palette()
        await settle(app, pilot)
        await pilot.press(*"Merge")
        for _ in range(20):
            await pilot.pause(0.05)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("Merge: not available here" in n.message for n in app._notifications)


async def test_toasts_leave_the_pane_borders_visible(seeded: Path):
    backend = Backend(seeded)
    app = CrosswireApp(backend)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:  # toasts drawn
        await settle(app, pilot)
        app.notify("entities are ready")
        for _ in range(10):
            await pilot.pause(0.05)
        toast = app.screen.query_one(Toast).region
        panes = app.query_one("#panes").region
        assert toast.bottom <= panes.bottom - 1, "above the panes' bottom border"
        assert toast.right <= panes.right - 1, "clear of the right border"
    backend.close()


async def test_help_fits_80_columns(seeded: Path):
    async with reader(seeded, size=NARROW) as (app, pilot):
        await pilot.press("escape", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-box")
        assert box.region.right <= 80
        text = app.screen.query_one("#help-text", Static)
        console = Console(width=text.content_region.width, record=True, file=io.StringIO())
        console.print(text.content)
        lines = console.export_text().splitlines()
        assert all(len(line.rstrip()) <= text.content_region.width for line in lines)
        shown = "\n".join(lines)
        for _, rows in app.help_sections():
            for _, _, binding_id in rows:
                assert binding_id in shown, f"{binding_id} is cut off or missing"
