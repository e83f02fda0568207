"""How wide each pane is, as a pure function of the terminal's width, what is open and the
user's choice (a share of the width per side pane, widened and narrowed with > and <).

Every width keeps the panes it shows readable: side panes never go below their minimum, the
article keeps at least MIN_ARTICLE columns, and below NARROW one pane shows at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

NARROW = 100  # below this, one pane at a time
MEDIUM = 150  # below this, the entity pane takes the search pane's place
MIN_SEARCH = 28
MIN_ENTITY = 30
MIN_ARTICLE = 40
STEP = 3  # percent of the width a > or < moves
LOWEST, HIGHEST = 15, 60  # percent a side pane may take


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@dataclass
class Shares:
    """The user's pane widths, in percent of the terminal's width (saved in config.toml)."""

    search: int = 30
    entity: int = 28

    def widen(self, pane: str, steps: int, entity_beside_search: bool) -> None:
        """Widen (steps > 0) or narrow the pane in focus; the article widens by narrowing
        the side pane next to it (the entity pane when it stands in the search pane's place)."""
        if pane == "article":
            pane, steps = ("search" if entity_beside_search else "entity"), -steps
        if pane == "search":
            self.search = clamp(self.search + steps * STEP, LOWEST, HIGHEST)
        elif pane == "entity":
            self.entity = clamp(self.entity + steps * STEP, LOWEST, HIGHEST)


def pane_widths(width: int, shares: Shares, entity_open: bool) -> dict[str, int]:
    """Columns for the side panes shown beside the article (which takes the rest); empty
    when narrow (one pane, the full width)."""
    if width < NARROW:
        return {}
    if entity_open and width < MEDIUM:
        return {"entity": clamp(width * shares.entity // 100, MIN_ENTITY, width - MIN_ARTICLE)}
    beside = MIN_ENTITY if entity_open else 0
    search = clamp(width * shares.search // 100, MIN_SEARCH, width - MIN_ARTICLE - beside)
    widths = {"search": search}
    if entity_open:
        widths["entity"] = clamp(
            width * shares.entity // 100, MIN_ENTITY, width - search - MIN_ARTICLE
        )
    return widths
