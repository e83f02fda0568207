"""Travel across sources, as pure functions: where n/N and ]/[ go next, and the status line.

Kept apart from the widgets so the order of a tour (source by source, article by article,
mention by mention) is tested without an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.index.model import EntityDetail, SearchHit

from .safe import counted


@dataclass(frozen=True)
class Stop:
    """One mention on an entity's tour."""

    source: str
    article_id: str
    start: int
    end: int


def tour(detail: EntityDetail) -> list[Stop]:
    """Every mention of an entity in reading order: source by source (the engine's order),
    then article by article (first seen first), then by position in the article."""
    stops: list[Stop] = []
    for source, mentions in detail.mentions_by_source.items():
        order: dict[str, int] = {}
        for m in mentions:
            order.setdefault(m.article_id, len(order))
        for m in sorted(mentions, key=lambda m: (order[m.article_id], m.start)):
            stops.append(Stop(source, m.article_id, m.start, m.end))
    return stops


def step(
    stops: Sequence[Stop],
    article_id: str | None,
    offset: int,
    forward: bool,
    current: int | None = None,
) -> int | None:
    """Index of the next (or previous) stop from where the reader is; wraps around.

    `current` is the stop the reader last landed on, when it is still where the reader is: it
    disambiguates an article carried by two sources. Otherwise the position is the article and
    the cursor offset in it; from an article without stops the tour starts at its first (or
    last) stop.
    """
    if not stops:
        return None
    n = len(stops)
    if current is not None and 0 <= current < n:
        here = stops[current]
        if here.article_id == article_id and here.start == offset:
            return (current + (1 if forward else -1)) % n
    mine = [i for i, s in enumerate(stops) if s.article_id == article_id]
    if not mine:
        return 0 if forward else n - 1
    if forward:
        for i in mine:
            if stops[i].start > offset:
                return i
        return (mine[-1] + 1) % n
    for i in reversed(mine):
        if stops[i].start < offset:
            return i
    return (mine[0] - 1) % n


def sources_of(stops: Sequence[Stop]) -> list[str]:
    """The distinct sources of a tour, in tour order."""
    return list(dict.fromkeys(s.source for s in stops))


def first_stop_in(stops: Sequence[Stop], source: str, forward: bool = True) -> int | None:
    """The first stop in a source (or the last, walking backwards)."""
    indices = [i for i, s in enumerate(stops) if s.source == source]
    if not indices:
        return None
    return indices[0] if forward else indices[-1]


def next_source(sources: Sequence[str], current: str | None, forward: bool) -> int | None:
    """Index of the source after (or before) `current`, wrapping; the first (or last) when the
    reader is in none of them; None when there is no other source to go to."""
    if not sources:
        return None
    if current not in sources:
        return 0 if forward else len(sources) - 1
    if len(sources) == 1:
        return None
    i = sources.index(current)
    return (i + (1 if forward else -1)) % len(sources)


def next_result_from_other_source(
    hits: Sequence[SearchHit], article_id: str | None, forward: bool
) -> int | None:
    """Index of the next result (wrapping) whose source differs from the open article's; the
    first (or last) result when the open article is not among them."""
    if not hits:
        return None
    ids = [h.id for h in hits]
    if article_id not in ids:
        return 0 if forward else len(hits) - 1
    here = ids.index(article_id)
    source = hits[here].source
    n = len(hits)
    for k in range(1, n):
        i = (here + k) % n if forward else (here - k) % n
        if hits[i].source != source:
            return i
    return None


def where(stops: Sequence[Stop], index: int | None, source: str | None = None) -> str:
    """The status line's position: "source 2 of 5 · mention 3 of 12"."""
    if not stops:
        return ""
    sources = sources_of(stops)
    if index is None or not 0 <= index < len(stops):
        if source in sources:
            place = f"source {sources.index(source) + 1} of {len(sources)}"
            return f"{place} · {counted(len(stops), 'mention')}"
        return f"{counted(len(sources), 'source')} · {counted(len(stops), 'mention')}"
    stop = stops[index]
    return (
        f"source {sources.index(stop.source) + 1} of {len(sources)} · "
        f"mention {index + 1} of {len(stops)}"
    )


def results_where(hits: Sequence[SearchHit], article_id: str | None) -> str:
    """The status line's position among search results: "source 2 of 4 · result 3 of 20"."""
    ids = [h.id for h in hits]
    if article_id not in ids:
        return ""
    i = ids.index(article_id)
    sources = list(dict.fromkeys(h.source for h in hits))
    return (
        f"source {sources.index(hits[i].source) + 1} of {len(sources)} · "
        f"result {i + 1} of {len(hits)}"
    )
