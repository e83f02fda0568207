"""Merge and split from the entity pane, and the pickers that ask first."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from crosswire.index.library import Library
from crosswire.index.model import EntitySummary
from crosswire.tui.screens import ConfirmScreen, EntityPicker, NamePicker
from textual.fuzzy import FuzzySearch

from .conftest import (
    nav,
    open_kazemi,
    palette_to_entity,
    reader,
    settle,
)


async def test_split_a_name_off(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        assert "Kazemi" in {a.name for a in nav(app).entity.aliases}
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, NamePicker)
        names = [name for name, _ in app.screen.names]
        for _ in range(names.index("Kazemi")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Kazemi" not in {a.name for a in nav(app).entity.aliases}
        alone = await app.backend.call(Library.entity, "Kazemi")
        assert alone is not None and alone.id != nav(app).entity.id


async def test_merge_two_entities(seeded: Path):
    async with reader(seeded) as (app, pilot):
        app.open_entity("Tehran")
        await settle(app, pilot)
        assert nav(app).entity is not None and nav(app).entity.name == "Tehran"
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, EntityPicker)
        await pilot.press(*"Khatibzadeh")
        await settle(app, pilot)
        assert app.screen.shown and "Khatibzadeh" in app.screen.shown[0].name
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        names = {nav(app).entity.name, *(a.name for a in nav(app).entity.aliases)}
        assert {"Tehran"} < names and any("Khatibzadeh" in n for n in names)
        stored = await app.backend.call(Library.entity, "Tehran")
        assert any("Khatibzadeh" in a.name for a in stored.aliases)


async def test_confirmation_no_changes_nothing(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        aliases = {a.name for a in nav(app).entity.aliases}
        await pilot.press("s", "enter")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert {a.name for a in nav(app).entity.aliases} == aliases


def synthetic_entities(count: int) -> list[EntitySummary]:
    """Made-up people, none named like a seed entity, most mentioned more than any seed one."""
    rng = random.Random(7)

    def word() -> str:
        return rng.choice("BCDFGHJLMNPRSTVW") + "".join(rng.choices("aeiouyrlnst", k=6))

    return [
        EntitySummary(
            f"synthetic-{i}",
            f"{word()} {word()}",
            "PERSON",
            tuple(word() for _ in range(i % 3)),
            1000 + i % 500,
            ("wire",),
        )
        for i in range(count)
    ]


async def test_pickers_find_an_entity_among_many_without_ranking_them_all(
    seeded: Path, monkeypatch
):
    """Typing in "Go to entity…" or the merge picker fuzzy-ranks a few candidates, not all
    20,000 entities, and still finds the one meant by any of its names."""
    many = synthetic_entities(20_000)
    entities = Library.entities
    monkeypatch.setattr(Library, "entities", lambda self, **kw: [*many, *entities(self, **kw)])
    matched = 0
    match = FuzzySearch.match

    def counting(self: FuzzySearch, query: str, candidate: str) -> tuple[float, Sequence[int]]:
        nonlocal matched
        matched += 1
        return match(self, query, candidate)

    monkeypatch.setattr(FuzzySearch, "match", counting)
    async with reader(seeded) as (app, pilot):
        await palette_to_entity(app, pilot, "Kazemi")
        assert nav(app).entity is not None and "Kazemi" in {a.name for a in nav(app).entity.aliases}
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, EntityPicker)
        await pilot.press(*"Tehran")
        await settle(app, pilot)
        assert app.screen.shown[0].name == "Tehran"
        await pilot.press("escape")
        await settle(app, pilot)
        assert matched < len(many), f"{matched} fuzzy matches for 12 keystrokes"
