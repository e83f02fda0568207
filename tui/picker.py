"""The pickers' shared code: a box to type in over a list that filters as one types, and ⏎
picks the row shown highlighted. The entity merge picker and the story picker are this.

A filtered list changes length at every keystroke, and with it whether it needs a scrollbar,
hence its width, hence how its long labels wrap. An OptionList measures its rows' heights once
per set of options; measured at one width and drawn at another, rows come out blank or start
halfway through another label, while the highlight (and ⏎) sit on a row one cannot see. So
PickList keeps its scrollbar gutter (the width never changes with the list's length) and
measures its rows again whenever the width they were measured at is not the width drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .widgets import KeyedOptionList

T = TypeVar("T")

Row = tuple[str, Text, T]  # (option id, prompt, the value picking it returns)


class PickList(KeyedOptionList):
    """A KeyedOptionList whose rows always match what is drawn (see the module's docstring)."""

    DEFAULT_CSS = """
    PickList { scrollbar-gutter: stable; }
    """

    _measured_width = -1

    def render_lines(self, crop: Region) -> list[Strip]:
        width = self.scrollable_content_region.width
        if width != self._measured_width:
            self._measured_width = width
            self._line_cache.clear()  # heights of rows wrapped at another width
            self._option_render_cache.clear()
        return super().render_lines(crop)

    def show(self, options: Sequence[Option]) -> None:
        """Replace the rows: the first highlighted, at the top, in view."""
        self.set_options(options)
        self.highlighted = 0 if options else None
        self.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self.scroll_to_highlight)  # once measured at its width

    def shown_id(self) -> str | None:
        """The id of the row highlighted (None when there is none)."""
        option = self.highlighted_option
        return option.id if option is not None else None


class FilterPicker(ModalScreen[T | None], Generic[T]):
    """Type to filter, up/down to move, ⏎ to pick what is highlighted, escape to cancel.
    Subclasses say what the rows are for a query (`rows`); ids must be unique."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", show=False, id="picker.down"),
        Binding("up", "move(-1)", show=False, id="picker.up"),
        Binding("pagedown", "move(8)", show=False, id="picker.page_down"),
        Binding("pageup", "move(-8)", show=False, id="picker.page_up"),
    ]

    placeholder = "type to filter…"

    def __init__(self, title: Text) -> None:
        super().__init__()
        self.title_text = title
        self.values: dict[str, T] = {}
        self.shown: list[T] = []  # what the list shows, top to bottom

    def rows(self, query: str) -> list[Row[T]]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.title_text)
            yield Input(placeholder=self.placeholder, id="picker-input")
            yield PickList(id="picker-list")
            yield Static(Text("↑↓ move · ⏎ pick · esc cancel", style="dim"), id="picker-keys")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        rows = list({key: (key, prompt, value) for key, prompt, value in self.rows(query)}.values())
        self.values = {key: value for key, _, value in rows}
        self.shown = [value for _, _, value in rows]
        self.query_one(PickList).show([Option(prompt, id=key) for key, prompt, _ in rows])

    @on(Input.Changed, "#picker-input")
    def changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def submitted(self) -> None:
        key = self.query_one(PickList).shown_id()
        if key is not None and key in self.values:
            self.dismiss(self.values[key])

    @on(OptionList.OptionSelected, "#picker-list")
    def selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key is not None and key in self.values:
            self.dismiss(self.values[key])

    def action_move(self, delta: int) -> None:
        picker = self.query_one(PickList)
        if picker.option_count:
            current = picker.highlighted or 0
            picker.highlighted = max(0, min(picker.option_count - 1, current + delta))


def marked(text: str, spans: Sequence[tuple[int, int]], style: str = "") -> Text:
    """Plain text (data, never markup) with the matched spans in bold underline."""
    out = Text(text, style=style)
    for start, end in spans:
        out.stylize("bold underline", start, end)
    return out
