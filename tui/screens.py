"""Modal screens: help, confirm, and the merge and split pickers.

Entity names come from articles, so they are data: prompts are rich Text built from plain
strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from crosswire.index.model import EntitySummary
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .finder import EntityFinder, label_text
from .safe import one_line
from .widgets import KeyedOptionList


class HelpScreen(ModalScreen[None]):
    """Every key the reader knows, as the user's keymap has it now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[tuple[str, str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    @property
    def plain(self) -> str:
        """The help as plain lines (keys, what they do, binding id): for tests and search."""
        return "\n".join(
            f"{title}\n" + "\n".join(f"{k} | {d} | {i}" for k, d, i in rows)
            for title, rows in self.sections
        )

    def compose(self) -> ComposeResult:
        tables = []
        for title, rows in self.sections:
            table = Table(
                title=title,
                title_justify="left",
                title_style="bold underline",
                box=None,
                expand=True,
                show_header=False,
                padding=(0, 1),
            )
            table.add_column("keys", style="bold", no_wrap=True)
            table.add_column("what", ratio=1)
            for keys, what, binding_id in rows:
                # The id on a line of its own under what the key does: the help fits 80 columns.
                line = Text(what)
                if binding_id:
                    line.append(f"\n{binding_id}", style="dim")
                table.add_row(keys, line)
            tables.append(table)
        remap = Text(
            "\nRemap keys in config.toml (or $CROSSWIRE_CONFIG) by the ids under each key:\n"
            '[keymap]\n"crosswire.search" = "ctrl+f"'
        )
        with Vertical(id="help-box"):
            yield Static(Text("crosswire — keys", style="bold"), id="help-title")
            with VerticalScroll():
                yield Static(Group(*tables, remap), id="help-text")
            yield Static(Text("escape closes", style="dim"))


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no before a change the user would have to undo by hand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class EntityPicker(ModalScreen[EntitySummary | None]):
    """Pick another entity by name (any of its names, fuzzily): the merge partner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", show=False, id="picker.down"),
        Binding("up", "move(-1)", show=False, id="picker.up"),
    ]

    def __init__(self, title: Text, finder: EntityFinder, exclude: str) -> None:
        super().__init__()
        self.title_text = title
        self.finder = finder
        self.exclude = exclude
        self.shown: list[EntitySummary] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.title_text)
            yield Input(placeholder="type a name…", id="picker-input")
            yield KeyedOptionList(id="picker-list")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        ranked = self.finder.rank(query, exclude=self.exclude)
        self.shown = [e for _, e, _, _ in ranked]
        options = []
        for _, entity, label, offsets in ranked:
            prompt = label_text(label, offsets)
            prompt.append(f"  {entity.kind} · {entity.mentions}", style="dim")
            options.append(Option(prompt, id=entity.id))
        picker = self.query_one(OptionList)
        picker.set_options(options)
        picker.highlighted = 0 if options else None
        # A shorter list keeps the old scroll offset otherwise: blank rows, half a label on top.
        picker.scroll_home(animate=False, immediate=True)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted)
    def submitted(self) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is not None:
            self.dismiss(self.shown[picker.highlighted])

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_move(self, delta: int) -> None:
        picker = self.query_one(OptionList)
        if picker.option_count:
            current = picker.highlighted or 0
            picker.highlighted = max(0, min(picker.option_count - 1, current + delta))


class NamePicker(ModalScreen[str | None]):
    """Pick one of an entity's other names: the one to split off."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
    ]

    def __init__(self, title: Text, names: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.names = list(names)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.title_text)
            options = []
            for name, rule in self.names:
                prompt = Text(one_line(name), style="bold")
                prompt.append(f"  joined by: {one_line(rule)}", style="dim")
                options.append(Option(prompt))
            yield KeyedOptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index][0])
