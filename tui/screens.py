"""Modal screens (help, confirm, merge and split pickers) and the command palette's providers.

Entity names come from articles, so they are data: prompts are rich Text built from plain
strings, and the palette's help lines (which Textual parses as markup) are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
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
MAX_CANDIDATES = 300  # entities fuzzy-matched per keystroke, however many there are
WORD = re.compile(r"\w+")


def entity_label(entity: EntitySummary) -> str:
    """ "Mustafa al-Kadhimi (also Kadhimi, Kazemi)": what a picker lists."""
    label = one_line(entity.name)
    if entity.other_names:
        label += f" (also {one_line(', '.join(entity.other_names))})"
    return label


class EntityFinder:
    """Ranks entities by any of their names as the user types, without the wait.

    Fuzzy-matching all of 20,000 entities takes a tenth of a second a keystroke, on the UI
    thread. So a cheap pass picks at most MAX_CANDIDATES — names with a word starting with the
    query, then names containing it, then names with a word starting with its first letter,
    most mentioned first — and only those are ranked fuzzily. Labels are made once, here.
    """

    def __init__(self, entities: Sequence[EntitySummary]) -> None:
        self.entities = sorted(entities, key=lambda e: -e.mentions)
        self.labels = [entity_label(e) for e in self.entities]
        # Names apart ("also" in a label is no name), so no match spans two of them.
        self._folded = [
            "\n".join(one_line(n) for n in (e.name, *e.other_names)).lower() for e in self.entities
        ]
        words = [WORD.findall(folded) for folded in self._folded]
        self._words = [" " + " ".join(w) for w in words]
        self._initials = [{word[0] for word in w} for w in words]
        self._fuzzy = FuzzySearch()

    def candidates(self, query: str) -> list[int]:
        """Indexes of the entities worth a fuzzy match for a stripped, non-empty query."""
        folded = query.lower()
        spaced = " " + folded
        starts: list[int] = []
        inside: list[int] = []
        initial: list[int] = []
        for i, text in enumerate(self._folded):
            if spaced in self._words[i]:
                starts.append(i)
            elif folded in text:
                inside.append(i)
            elif folded[0] in self._initials[i]:
                initial.append(i)
        return (starts + inside + initial)[:MAX_CANDIDATES]

    def rank(
        self, query: str, limit: int = MAX_PICKS, exclude: str | None = None
    ) -> list[tuple[float, EntitySummary, str, list[int]]]:
        """(score, entity, label, offsets) best first; with no query, the most mentioned.
        Offsets are into the label, for marking the match."""
        query = query.strip()
        if not query:
            most_mentioned = (
                (0.0, entity, label, [])
                for entity, label in zip(self.entities, self.labels, strict=True)
                if entity.id != exclude
            )
            return list(islice(most_mentioned, limit))
        scored = []
        for i in self.candidates(query):
            if self.entities[i].id != exclude:
                score, offsets = self._fuzzy.match(query, self.labels[i])
                if score > 0:
                    scored.append((score, self.entities[i], self.labels[i], list(offsets)))
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
        self.finder = await app.entity_finder()

    def _hit(self, score: float, entity: EntitySummary, label: str, offsets: Sequence[int]) -> Hit:
        app: CrosswireApp = self.app  # type: ignore[assignment]
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
        for score, entity, label, offsets in self.finder.rank(query):
            yield self._hit(score, entity, label, offsets)

    async def discover(self) -> Hits:
        app: CrosswireApp = self.app  # type: ignore[assignment]
        for _, entity, label, _ in self.finder.rank("", limit=20):
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
