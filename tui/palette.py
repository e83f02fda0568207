"""The command palette's providers: every action by name (ranked first), "Go to entity…" and
"Go to source…".

They are typed against `Navigator`, what the app offers them, so they never import the app
(no import circle) and need no casts. Entity names are data: the help lines, which Textual
parses as markup, are escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

from crosswire.index.model import EntitySummary
from rich.text import Text
from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.fuzzy import FuzzySearch
from textual.markup import escape

from .finder import EntityFinder, label_text
from .safe import counted, one_line


@runtime_checkable
class Navigator(Protocol):
    """What the palette needs from the reader: data to list and where to go."""

    async def entity_finder(self) -> EntityFinder: ...

    async def source_counts(self) -> dict[str, int]: ...

    def open_entity(self, name_or_id: str) -> Any: ...

    def set_source(self, source: str | None) -> None: ...

    def palette_actions(self) -> list[SystemCommand]: ...


def ranked(score: float, first: bool = False) -> float:
    """A fuzzy score squeezed into (0, 1), or (1, 2) for an action: so every action that
    matches is listed before any entity or source."""
    return score / (1 + score) + (1 if first else 0)


def navigator(provider: Provider) -> Navigator:
    app = provider.app
    if not isinstance(app, Navigator):
        raise TypeError(f"{type(app).__name__} cannot serve the crosswire palette")
    return app


class EntityCommands(Provider):
    """ "Go to entity…": fuzzy over every entity's names and aliases."""

    async def startup(self) -> None:
        self.reader = navigator(self)
        self.finder = await self.reader.entity_finder()

    def _hit(self, score: float, entity: EntitySummary, label: str, offsets: Sequence[int]) -> Hit:
        return Hit(
            ranked(score),
            label_text(label, offsets),
            partial(self.reader.open_entity, entity.id),
            text=label,
            help=escape(
                f"{entity.kind} · {counted(entity.mentions, 'mention')} in "
                f"{counted(len(entity.sources), 'source')}"
            ),
        )

    async def search(self, query: str) -> Hits:
        for score, entity, label, offsets in self.finder.rank(query):
            yield self._hit(score, entity, label, offsets)

    async def discover(self) -> Hits:
        for _, entity, label, _ in self.finder.rank("", limit=20):
            yield DiscoveryHit(
                Text(label),
                partial(self.reader.open_entity, entity.id),
                text=label,
                help=escape(f"{entity.kind} · {counted(entity.mentions, 'mention')}"),
            )


class SourceCommands(Provider):
    """ "Go to source…": filter the results to one source."""

    async def startup(self) -> None:
        self.reader = navigator(self)
        self.sources = await self.reader.source_counts()

    def _commands(self) -> list[tuple[str, Callable[[], None], int]]:
        return [
            (one_line(source), partial(self.reader.set_source, source), count)
            for source, count in self.sources.items()
        ]

    async def search(self, query: str) -> Hits:
        fuzzy = FuzzySearch()
        for label, command, count in self._commands():
            score, offsets = fuzzy.match(query, label)
            if score > 0:
                yield Hit(
                    ranked(score),
                    label_text(label, offsets),
                    command,
                    text=label,
                    help=f"source · {counted(count, 'article')}",
                )

    async def discover(self) -> Hits:
        for label, command, count in self._commands():
            yield DiscoveryHit(Text(label), command, text=label, help=counted(count, "article"))


class ActionCommands(Provider):
    """Every action by name — the reader's keys (merge, split, history, …) and the app's
    (theme, keys, quit, go to…) — above any entity or source, matched on the name or a word
    of its help."""

    async def startup(self) -> None:
        self.reader = navigator(self)

    async def discover(self) -> Hits:
        commands = sorted(self.reader.palette_actions(), key=lambda c: c.title)
        for n, command in enumerate(commands):  # a Hit, not a DiscoveryHit: ranked first
            yield Hit(
                2 - n / (len(commands) + 1),
                Text(command.title),
                command.callback,
                text=command.title,
                help=escape(command.help),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.reader.palette_actions():
            score = matcher.match(command.title)
            if not score and query.strip().lower() in command.help.lower():
                score = 0.5
            if score:
                yield Hit(
                    ranked(score, first=True),
                    matcher.highlight(command.title),
                    command.callback,
                    text=command.title,
                    help=escape(command.help),
                )


Available = Callable[[str, tuple[object, ...]], bool | None]


def binding_commands(
    node: DOMNode, bindings: Iterable[BindingType], keys: Mapping[str, str], available: Available
) -> list[SystemCommand]:
    """A palette command for each key binding of `node`, named by its description, with its
    key (as the user's keymap has it) and tooltip as help: every key is also an action by name,
    including the ones added later."""
    commands = []
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        key = node.app.get_key_display(
            Binding(keys.get(binding.id or "", binding.key).split(",")[0], binding.action)
        )
        help = f"{key} · {binding.tooltip or binding.description}"
        run = partial(_run, node, binding, available)
        commands.append(SystemCommand(binding.description, help, run))
    return commands


def _run(node: DOMNode, binding: Binding, available: Available) -> None:
    _, name, params = parse(binding.action)
    if not available(name, params):
        node.notify(f"{binding.description}: not available here", markup=False)
        return
    # Called directly, not through run_action: its check_action is about the focused widget
    # (letter keys are the query in the search box), while `available` asked the palette's
    # question, whether the action makes sense wherever focus is.
    node.call_later(getattr(node, f"action_{name}"), *params)
