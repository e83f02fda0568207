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
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from .finder import EntityFinder, label_text
from .picker import FilterPicker, PickList, Row
from .safe import one_line


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


class EntityPicker(FilterPicker[EntitySummary]):
    """Pick another entity by name (any of its names, fuzzily): the merge partner."""

    placeholder = "type a name…"

    def __init__(self, title: Text, finder: EntityFinder, exclude: str) -> None:
        super().__init__(title)
        self.finder = finder
        self.exclude = exclude

    def rows(self, query: str) -> list[Row[EntitySummary]]:
        out: list[Row[EntitySummary]] = []
        for _, entity, label, offsets in self.finder.rank(query, exclude=self.exclude):
            prompt = label_text(label, offsets)
            prompt.append(f"  {entity.kind} · {entity.mentions}", style="dim")
            out.append((entity.id, prompt, entity))
        return out


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
            yield PickList(*options, id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index][0])
