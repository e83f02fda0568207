"""Modal screens (help, confirm, merge and split pickers) and the command palette's providers.

Entity names come from articles, so they are data: prompts are rich Text built from plain
strings, and the palette's help lines (which Textual parses as markup) are escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from crosswire.index.model import EntitySummary
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import FuzzySearch
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .safe import one_line
from .widgets import KeyedOptionList

if TYPE_CHECKING:
    from .app import CrosswireApp

MAX_PICKS = 50


def entity_label(entity: EntitySummary) -> str:
    """ "Mustafa al-Kadhimi (also Kadhimi, Kazemi)": what a picker lists."""
    label = one_line(entity.name)
    if entity.other_names:
        label += f" (also {one_line(', '.join(entity.other_names))})"
    return label


def rank_entities(
    entities: Sequence[EntitySummary], query: str, limit: int = MAX_PICKS
) -> list[tuple[float, EntitySummary, list[int]]]:
    """Entities whose name or any other name fuzzily matches, best first; with no query, the
    most mentioned. Offsets are into entity_label(entity), for marking the match."""
    if not query.strip():
        ranked = sorted(entities, key=lambda e: -e.mentions)[:limit]
        return [(0.0, e, []) for e in ranked]
    fuzzy = FuzzySearch()
    scored: list[tuple[float, EntitySummary, list[int]]] = []
    for entity in entities:
        label = entity_label(entity)
        score, offsets = fuzzy.match(query, label)
        if score > 0:
            scored.append((score, entity, list(offsets)))
    scored.sort(key=lambda t: (-t[0], -t[1].mentions))
    return scored[:limit]


def label_text(label: str, offsets: Sequence[int]) -> Text:
    text = Text(label)
    for i in offsets:
        if i < len(label):
            text.stylize("bold underline", i, i + 1)
    return text


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
            table.add_column("id", style="dim", no_wrap=True)
            for row in rows:
                table.add_row(*row)
            tables.append(table)
        remap = Text(
            "\nRemap keys in config.toml (or $CROSSWIRE_CONFIG) by the ids on the right:\n"
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

    def __init__(self, title: Text, entities: Sequence[EntitySummary], exclude: str) -> None:
        super().__init__()
        self.title_text = title
        self.entities = [e for e in entities if e.id != exclude]
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
        ranked = rank_entities(self.entities, query)
        self.shown = [e for _, e, _ in ranked]
        options = []
        for _, entity, offsets in ranked:
            prompt = label_text(entity_label(entity), offsets)
            prompt.append(f"  {entity.kind} · {entity.mentions}", style="dim")
            options.append(Option(prompt, id=entity.id))
        picker = self.query_one(OptionList)
        picker.set_options(options)
        picker.highlighted = 0 if options else None

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


class EntityCommands(Provider):
    """ "Go to entity…": fuzzy over every entity's names and aliases."""

    async def startup(self) -> None:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        self.entities = await app.entity_summaries()

    def _hit(self, score: float, entity: EntitySummary, offsets: Sequence[int]) -> Hit:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        label = entity_label(entity)
        return Hit(
            score,
            label_text(label, offsets),
            partial(app.open_entity, entity.id),
            text=label,
            help=escape(
                f"{entity.kind} · {entity.mentions} mentions in {len(entity.sources)} sources"
            ),
        )

    async def search(self, query: str) -> Hits:
        for score, entity, offsets in rank_entities(self.entities, query):
            yield self._hit(score, entity, offsets)

    async def discover(self) -> Hits:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        for _, entity, _ in rank_entities(self.entities, "", limit=20):
            label = entity_label(entity)
            yield DiscoveryHit(
                Text(label),
                partial(app.open_entity, entity.id),
                text=label,
                help=escape(f"{entity.kind} · {entity.mentions} mentions"),
            )


class SourceCommands(Provider):
    """ "Go to source…": filter the results to one source."""

    async def startup(self) -> None:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        self.sources = await app.source_counts()

    def _commands(self) -> list[tuple[str, Callable[[], None], int]]:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        return [
            (one_line(source), partial(app.set_source, source), count)
            for source, count in self.sources.items()
        ]

    async def search(self, query: str) -> Hits:
        fuzzy = FuzzySearch()
        for label, command, count in self._commands():
            score, offsets = fuzzy.match(query, label)
            if score > 0:
                yield Hit(
                    score,
                    label_text(label, offsets),
                    command,
                    text=label,
                    help=f"source · {count} articles",
                )

    async def discover(self) -> Hits:
        for label, command, count in self._commands():
            yield DiscoveryHit(Text(label), command, text=label, help=f"{count} articles")
