"""The command palette's "Go to entity…" and "Go to source…" providers.

They are typed against `Navigator`, what the app offers them, so they never import the app
(no import circle) and need no casts. Entity names are data: the help lines, which Textual
parses as markup, are escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

from crosswire.index.model import EntitySummary
from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
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
            score,
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
                    score,
                    label_text(label, offsets),
                    command,
                    text=label,
                    help=f"source · {counted(count, 'article')}",
                )

    async def discover(self) -> Hits:
        for label, command, count in self._commands():
            yield DiscoveryHit(Text(label), command, text=label, help=counted(count, "article"))
