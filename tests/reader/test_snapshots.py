"""Screenshots of the reader's main screens, compared with accepted ones (pytest-textual-snapshot).

Update after a deliberate change with
`pytest tests/reader/test_snapshots.py --snapshot-update`, then look at the SVGs. Cursor
blink and animations are off so the pictures are stable.
"""

from __future__ import annotations

import pytest
from crosswire.tui.app import CrosswireApp
from crosswire.tui.story_pickers import SplitScreen, StoryPicker
from textual.pilot import Pilot
from textual.widgets import Input

from .conftest import settle, tab_to
from .test_stories import story_app, two_stories, two_stories_master  # noqa: F401


async def still(pilot: Pilot) -> None:
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    app.animation_level = "none"
    await settle(app, pilot)  # the reader screen composes once the app has started
    app.query_one("#query", Input).cursor_blink = False
    await settle(app, pilot)


def open_kazemi(to_entity: bool):
    async def run(pilot: Pilot) -> None:
        app: CrosswireApp = pilot.app  # type: ignore[assignment]
        await still(pilot)
        await pilot.press(*"Kazemi")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await tab_to(app, pilot, "Kazemi")
        if to_entity:
            await pilot.press("enter")
        await settle(app, pilot)

    return run


def test_start_lists_the_library(app, snap_compare):
    assert snap_compare(app, terminal_size=(160, 48), run_before=still)


def test_article_with_entities_and_hits(app, snap_compare):
    assert snap_compare(app, terminal_size=(160, 48), run_before=open_kazemi(to_entity=False))


def test_entity_panel(app, snap_compare):
    assert snap_compare(app, terminal_size=(160, 48), run_before=open_kazemi(to_entity=True))


def test_narrow_entity_panel(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_kazemi(to_entity=True))


async def help_from_the_results(pilot: Pilot) -> None:
    """Escape leaves the search box, so ? is the help key (not a letter of the query); the
    first result is opened behind it."""
    await still(pilot)
    await pilot.press("escape")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]  # focus in the results, drawn so
    # A highlighted result may preview in the article pane a beat later, or not, depending on
    # when the results arrived: open the first one, so the help is drawn over the same screen
    # however loaded the machine is.
    await pilot.press("enter")
    for _ in range(200):
        if pilot.app.reader.nav.article is not None:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.05)
    await settle(pilot.app, pilot)  # type: ignore[arg-type]
    await pilot.press("question_mark")
    await settle(pilot.app, pilot)  # type: ignore[arg-type]


def test_help_screen(app, snap_compare):
    assert snap_compare(app, terminal_size=(160, 48), run_before=help_from_the_results)


def test_help_screen_fits_80_columns(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=help_from_the_results)


def test_narrow_start(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=still)


def test_narrow_article(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_kazemi(to_entity=False))


def open_dated_seed():
    """The seed with a date (from its sidecar): its head with outlet, date, URL and ref."""

    async def run(pilot: Pilot) -> None:
        app: CrosswireApp = pilot.app  # type: ignore[assignment]
        await still(pilot)
        await pilot.press(*"Blinken", "enter")
        await settle(app, pilot)

    return run


def test_article_head_with_provenance_wide(app, snap_compare):
    assert snap_compare(app, terminal_size=(160, 48), run_before=open_dated_seed())


def test_article_head_with_provenance_narrow(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_dated_seed())


# -- the pickers: entity merge, story merge, the split checklist --------------------------------


async def merge_picker_typed(pilot: Pilot) -> None:
    """The entity merge picker from Tehran, a two-word query typed."""
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    await still(pilot)
    app.open_entity("Tehran")
    await settle(app, pilot)
    await pilot.press("m")
    await settle(app, pilot)
    await pilot.press(*"saeed kh")
    await settle(app, pilot)
    app.screen.query_one("#picker-input", Input).cursor_blink = False


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_entity_merge_picker(app, snap_compare, size):
    assert snap_compare(app, terminal_size=size, run_before=merge_picker_typed)


async def story_picker(pilot: Pilot) -> None:
    """m on the story list: the other stories, to merge with."""
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    app.animation_level = "none"
    await settle(app, pilot)
    await pilot.press("m")
    for _ in range(100):
        if isinstance(app.screen, StoryPicker):
            break
        await pilot.pause(0.05)
    app.screen.query_one("#picker-input", Input).cursor_blink = False
    await settle(app, pilot)


async def split_checklist(pilot: Pilot) -> None:
    """x on the seeds' story in the list: its articles to tick, two ticked."""
    app: CrosswireApp = pilot.app  # type: ignore[assignment]
    app.animation_level = "none"
    await settle(app, pilot)
    await pilot.press("x")
    for _ in range(100):
        if isinstance(app.screen, SplitScreen):
            break
        await pilot.pause(0.05)
    await pilot.press("space", "down", "down", "space")
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_story_merge_picker(story_app, snap_compare, size):  # noqa: F811
    assert snap_compare(story_app, terminal_size=size, run_before=story_picker)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_story_split_checklist(story_app, snap_compare, size):  # noqa: F811
    assert snap_compare(story_app, terminal_size=size, run_before=split_checklist)
