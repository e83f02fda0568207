"""The filter pickers (entity merge, story picker) with long multi-word labels that wrap: after
every keystroke the rows drawn are the rows listed, from the first one's start, none blank while
more follow; the highlighted row is in view; ⏎ picks the row shown highlighted."""

from __future__ import annotations

from pathlib import Path

from crosswire.index.library import Library
from crosswire.index.model import EntitySummary
from crosswire.tui.finder import entity_label
from crosswire.tui.picker import PickList
from crosswire.tui.screens import ConfirmScreen, EntityPicker
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot

from .conftest import NARROW, WIDE, palette_to_entity, reader, settle

FIRST = ["Harriet", "Harold", "Harry", "Hartley", "Winona"]
LAST = ["Winstanley", "Winston", "Wingate", "Winterbottom"]


def zelkova(k: int) -> EntitySummary:
    """A Harry Winston whose label is as long as k makes it."""
    other = f"Harry Winston of the L{'o' * k}ng Board of Zelkova"
    return EntitySummary("zelkova", "Harry Q. Winston Zelkova", "PERSON", (other,), 800, ("w",))


def wraps_differently(text: str, narrow: int, wide: int) -> bool:
    console = Console(width=500)
    return len(Text(text).wrap(console, narrow)) != len(Text(text).wrap(console, wide))


def invented_people(n: int) -> list[EntitySummary]:
    """People with two-word names and long other names that wrap in a picker's row."""
    return [
        EntitySummary(
            f"invented-{i}",
            f"{FIRST[i % 5]} Q. {LAST[i % 4]}",
            "PERSON",
            tuple(
                f"{FIRST[i % 5]} {LAST[i % 4]} of the Very Long Descriptive Board Number {i}{j}"
                for j in range(1 + i % 2)
            ),
            900 - i,
            ("wire",),
        )
        for i in range(n)
    ]


def check_drawn(picker: PickList) -> None:
    height = picker.scrollable_content_region.height
    drawn = [picker.render_line(y).text.rstrip() for y in range(height)]
    words = " ".join(drawn).split()
    listed = " ".join(o.prompt.plain for o in picker.options).split()
    start = 0
    if picker.scroll_y:  # scrolled: the top row starts where some option's line starts
        start = len(" ".join(drawn[:0]).split())
    assert picker.scroll_y == 0 or picker.highlighted, "scrolled with the first row highlighted"
    if picker.scroll_y == 0:
        assert words == listed[start : start + len(words)], f"drawn {drawn}"
        if len(words) < len(listed):
            assert all(row.strip() for row in drawn), f"a blank row while more follow: {drawn}"
    highlighted = picker.highlighted
    if highlighted is not None:
        prompt = picker.options[highlighted].prompt.plain.split()
        assert prompt[0] in words, f"the highlighted row is out of view: {drawn}"


async def type_and_check(pilot: Pilot, picker: PickList, keys: list[str]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        check_drawn(picker)


def add_invented(monkeypatch) -> list[EntitySummary]:  # type: ignore[no-untyped-def]
    invented = invented_people(120)
    entities = Library.entities
    monkeypatch.setattr(Library, "entities", lambda self, **kw: [*invented, *entities(self, **kw)])
    return invented


async def open_merge_picker(app, pilot) -> EntityPicker:  # type: ignore[no-untyped-def]
    await palette_to_entity(app, pilot, "Kazemi")
    await pilot.press("m")
    await settle(app, pilot)
    assert isinstance(app.screen, EntityPicker)
    return app.screen


async def test_typing_deleting_and_retyping_multi_word_names_never_draws_blank_rows(
    seeded: Path, monkeypatch
) -> None:
    invented = add_invented(monkeypatch)
    for size in (NARROW, WIDE):
        async with reader(seeded, size=size) as (app, pilot):
            screen = await open_merge_picker(app, pilot)
            picker = screen.query_one(PickList)
            for _ in range(30):  # scrolled far down the unfiltered list first
                await pilot.press("down")
            await pilot.pause()
            assert picker.scroll_y > 0
            await type_and_check(pilot, picker, list("harry winston"))
            await type_and_check(pilot, picker, list(" board number 17"))  # a few rows: no bar
            assert 0 < picker.option_count < 5
            await type_and_check(pilot, picker, ["backspace"] * 16)
            await type_and_check(pilot, picker, list(" of the very"))
            await type_and_check(pilot, picker, ["down"] * 12 + ["up"] * 3)
            # One row left, whose label wraps into more lines beside a scrollbar than without.
            pad = picker.get_component_styles("option-list--option").padding.width
            narrow = picker.scrollable_content_region.width - pad
            bar = picker.styles.scrollbar_size_vertical
            k = next(
                k
                for k in range(120)
                if wraps_differently(
                    f"{entity_label(zelkova(k))}  PERSON · 800", narrow, narrow + bar
                )
            )
            invented[:] = [e for e in invented if e.id != "zelkova"] + [zelkova(k)]
            await pilot.press("escape")
            app.reader._finder = None  # the entities changed: the picker reads them again
            await pilot.press("m")
            await settle(app, pilot)
            assert isinstance(app.screen, EntityPicker)
            picker = app.screen.query_one(PickList)
            check_drawn(picker)
            await type_and_check(pilot, picker, list("zelkova"))
            assert picker.option_count <= 3


async def test_enter_merges_the_row_shown_highlighted(seeded: Path, monkeypatch) -> None:
    add_invented(monkeypatch)
    async with reader(seeded, size=NARROW) as (app, pilot):
        screen = await open_merge_picker(app, pilot)
        picker = screen.query_one(PickList)
        await pilot.press(*"harry winston")
        await pilot.press("down", "down")
        await pilot.pause()
        check_drawn(picker)
        shown = picker.options[picker.highlighted or 0]
        merged_with: list[str] = []
        screen.dismiss = lambda value: merged_with.append(value.id)  # type: ignore[assignment,method-assign,union-attr]
        await pilot.press("enter")
        await pilot.pause()
        assert merged_with == [shown.id]
        assert "Harry" in shown.prompt.plain and "Winston" in shown.prompt.plain
        assert not isinstance(app.screen, ConfirmScreen)
