"""Where the reader has been: the articles opened, in order, each with the place it was left.

ctrl+o (or backspace) goes back, alt+→ forward, as in vim's jump list or a browser: opening an
article after going back drops what was ahead. A place is a text offset, not a scroll row, so
it holds when the terminal is resized and the text wraps anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIMIT = 200  # places kept; the oldest go first


@dataclass(frozen=True)
class Place:
    """An article and where in it: the offset at the top of the view, the name under the
    cursor (its start), if any."""

    article_id: str
    top: int = 0
    cursor: int | None = None


@dataclass
class History:
    places: list[Place] = field(default_factory=list)
    index: int = -1  # the place the reader is at

    @property
    def current(self) -> Place | None:
        return self.places[self.index] if 0 <= self.index < len(self.places) else None

    def remember(self, here: Place | None) -> None:
        """Keep where the reader is in the current article (before it is left)."""
        current = self.current
        if here is not None and current is not None and current.article_id == here.article_id:
            self.places[self.index] = here

    def visit(self, here: Place | None, article_id: str) -> None:
        """An article opened (not by going back or forward): after the current place."""
        self.remember(here)
        current = self.current
        if current is not None and current.article_id == article_id:
            return  # re-opened where the reader is: not a new place
        del self.places[self.index + 1 :]
        self.places.append(Place(article_id))
        del self.places[:-LIMIT]
        self.index = len(self.places) - 1

    def step(self, here: Place | None, forward: bool) -> Place | None:
        """The place back (or forward) from here, None at either end; the current place is
        remembered first, so going forward again returns to it."""
        self.remember(here)
        target = self.index + (1 if forward else -1)
        if not 0 <= target < len(self.places):
            return None
        self.index = target
        return self.places[target]

    def forget(self, article_id: str) -> None:
        """An article gone from the library: its places go too."""
        current = self.current
        self.places = [p for p in self.places if p.article_id != article_id]
        self.index = len(self.places) - 1
        if current is not None and current in self.places:
            self.index = self.places.index(current)
