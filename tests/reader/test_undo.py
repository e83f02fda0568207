"""Undo and redo in the reader (u, ctrl+z, ctrl+y), and the merge picker with multi-word
names (issue 13)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from crosswire.index.library import Library
from crosswire.index.model import EntitySummary
from crosswire.tui.screens import ConfirmScreen, EntityPicker
from textual.widgets import OptionList
from textual.worker import WorkerCancelled

from .conftest import nav, reader, settle


async def edits_done(app, pilot) -> None:
    """settle() leaves edit workers running (they wait on modals); undo asks nothing."""
    for worker in [w for w in app.workers if w.group == "edit"]:
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await settle(app, pilot)


def names(app) -> set[str]:
    entity = nav(app).entity
    return {entity.name, *(a.name for a in entity.aliases)}


async def merge_in(app, pilot, query: str) -> None:
    await pilot.press("m")
    await settle(app, pilot)
    assert isinstance(app.screen, EntityPicker)
    await pilot.press(*query)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await edits_done(app, pilot)


async def test_undo_and_redo_a_merge_from_the_entity_pane(seeded: Path):
    async with reader(seeded) as (app, pilot):
        app.open_entity("Tehran")
        await settle(app, pilot)
        tehran = nav(app).entity.id
        alone = names(app)
        await merge_in(app, pilot, "Khatibzadeh")
        assert any("Khatibzadeh" in n for n in names(app))
        await pilot.press("u")
        await edits_done(app, pilot)
        assert names(app) == alone and nav(app).entity.id == tehran
        log = await app.backend.call(Library.decisions)
        assert [(d.action, d.state) for d in log] == [("merge", "undone")]  # no split added
        await pilot.press("ctrl+y")
        await edits_done(app, pilot)
        assert any("Khatibzadeh" in n for n in names(app))
        await pilot.press("ctrl+z")
        await edits_done(app, pilot)
        assert names(app) == alone
        stored = await app.backend.call(Library.entity, "Tehran")
        assert not any("Khatibzadeh" in a.name for a in stored.aliases)


async def test_undo_with_nothing_to_undo_says_so_even_from_the_search_box(seeded: Path):
    async with reader(seeded) as (app, pilot):
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("ctrl+z")  # "u" there types a u; ctrl+z is undo everywhere
        await edits_done(app, pilot)
        assert notes == ["no decision to undo"]


def wrapping_entities(count: int) -> list[EntitySummary]:
    """Made-up entities whose labels wrap in the picker (many other names), most mentioned
    first, and one two-word name to look for."""
    others = tuple(f"Quorvath Lintel{i} Sarobine" for i in range(6))
    rows = [
        EntitySummary(f"wrap-{i}", f"Belmonte Oskari{i}", "ORG", others, 5000 - i, ("wire",))
        for i in range(count)
    ]
    rows.append(EntitySummary("wanted", "Dorian Vasquell", "PERSON", (), 3, ("wire",)))
    return rows


async def test_the_merge_picker_shows_a_multi_word_match_from_the_top(seeded: Path, monkeypatch):
    extra = wrapping_entities(60)
    entities = Library.entities
    monkeypatch.setattr(Library, "entities", lambda self, **kw: [*extra, *entities(self, **kw)])
    async with reader(seeded) as (app, pilot):
        app.open_entity("Tehran")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        picker = app.screen.query_one(OptionList)
        for _ in range(40):  # scroll well down the long list first
            await pilot.press("down")
        await pilot.pause()
        assert picker.scroll_y > 0
        await pilot.press(*"dorian vasquell")
        await settle(app, pilot)
        assert app.screen.shown[0].name == "Dorian Vasquell"
        assert picker.highlighted == 0 and picker.scroll_y == 0
        top = "".join(segment.text for segment in picker.render_line(0))
        assert "Dorian Vasquell" in top
        await pilot.press("escape")
        await settle(app, pilot)


def test_a_picker_label_lists_a_spelling_that_differs_only_in_case_once():
    from crosswire.tui.finder import EntityFinder, entity_label

    entity = EntitySummary(
        "x", "Rafiq al-Zarqa", "PERSON", ("Rafiq Al-Zarqa", "Zarqa", "ZARQA"), 9, ("wire",)
    )
    assert entity_label(entity) == "Rafiq al-Zarqa (also Zarqa)"
    ranked = EntityFinder([entity]).rank("ZARQA")
    assert ranked and ranked[0][1].id == "x"  # the folded spelling still finds it
