"""The facts panel (`f`): claims with numbers grouped across sources, disputed groups first.

Each group is a heading (what is counted, the event, why it is or is not disputed) over its
values, one a line with the source and the words that say it; enter opens the value's passage
in its article, `]`/`[` go to the next/previous group, escape closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from crosswire.index.claims import ClaimGroup
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from .compare import CLOSE, SCREEN_CSS, Place, SectionList
from .compare_text import HEADING, group_heading, value_text
from .safe import counted


def fact_options(groups: Sequence[ClaimGroup]) -> tuple[list[Option], dict[str, Place]]:
    """A heading a group, then its values; where each value leads (its claim in the text)."""
    options: list[Option] = []
    places: dict[str, Place] = {}
    for g, group in enumerate(groups):
        options.append(Option(group_heading(group), disabled=True))
        for n, v in enumerate(group.values):
            oid = f"g{g}-{n}"
            options.append(Option(value_text(v), id=oid))
            places[oid] = (v.article, v.claim.start, v.claim.end)
    return options, places


class FactsScreen(Screen[Place | None]):
    """The claim groups of the library (or a story); dismissed with the chosen value's place."""

    DEFAULT_CSS = SCREEN_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE,
        Binding("right_square_bracket", "group(True)", "Group", key_display="] [",
                id="crosswire.facts.next_group"),
        Binding("left_square_bracket", "group(False)", "Prev group", show=False,
                id="crosswire.facts.prev_group"),
    ]  # fmt: skip

    def __init__(self, groups: Sequence[ClaimGroup]) -> None:
        super().__init__()
        self.groups = list(groups)

    def compose(self) -> ComposeResult:
        disputed = sum(g.disputed for g in self.groups)
        summary = Text.assemble(
            ("Facts: ", HEADING),
            f"{counted(len(self.groups), 'claim group')}, {disputed} disputed",
        )
        if not self.groups:
            summary.append("\nno claims with numbers yet (entities may still be extracting)")
        yield Static(summary, id="facts-summary")
        options, places = fact_options(self.groups)
        yield SectionList(options, places, id="facts-list", classes="compare-list")
        yield Footer()

    def on_mount(self) -> None:
        facts = self.query_one(SectionList)
        facts.focus()
        self.call_after_refresh(facts.to_first)

    def action_group(self, forward: bool) -> None:
        self.query_one(SectionList).action_section(forward)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, SectionList):
            place = event.option_list.place(event.option)
            if place is not None:
                self.dismiss(place)


async def show_facts(reader: Any) -> None:
    """f: the facts panel of the library; the value chosen opens in its article."""
    story = reader.backend.story.id if reader.backend.story else None  # the reader's scope
    groups = await reader.backend.call(lambda library: library.facts(story))
    reader.app.push_screen(FactsScreen(groups), reader.open_place)
