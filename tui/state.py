"""Where the reader is: what is listed, what is open, where on an entity's tour.

One plain dataclass, so every flow reads and writes the same few fields and a test can see
them; which pane is in front is a reactive on the screen (it drives the bindings), and the
query and source filter are the search pane's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crosswire.index.model import Article, EntityDetail, SearchResults

from . import travel
from .history import History
from .safe import one_line


def no_results() -> SearchResults:
    return SearchResults(query="", total=0, hits=[])


@dataclass
class Navigation:
    results: SearchResults = field(default_factory=no_results)  # as the search pane lists them
    article: Article | None = None
    entity: EntityDetail | None = None
    stops: list[travel.Stop] = field(default_factory=list)  # the entity's tour
    stop_index: int | None = None  # the stop the reader last landed on
    hit_index: int | None = None  # the search hit in the open article n/N last landed on
    history: History = field(default_factory=History)  # articles opened, and where left

    def show_entity(self, detail: EntityDetail) -> None:
        """A new (or re-read) entity: its tour, not yet at any stop."""
        self.entity = detail
        self.stops = travel.tour(detail)
        self.stop_index = None

    def forget_entity(self) -> None:
        """A new search: n/N mean its hits now, not the tour of an entity from before."""
        self.entity = None
        self.stops = []
        self.stop_index = None

    def stop_at(self, source: str | None, article_id: str, start: int) -> int | None:
        """The index of the tour's stop at a mention (any source when `source` is None)."""
        return next(
            (
                i
                for i, s in enumerate(self.stops)
                if s.article_id == article_id
                and s.start == start
                and (source is None or s.source == source)
            ),
            None,
        )

    def tour_source(self) -> str | None:
        """The source the reader is in on the entity's tour: the stop it landed on when that
        is the open article (an article two sources carry), else the article's source."""
        if self.article is None:
            return None
        if self.stop_index is not None:
            stop = self.stops[self.stop_index]
            if stop.article_id == self.article.id:
                return stop.source
        return self.article.source

    def position(self, tour: bool = True) -> str:
        """The status line's position: on the entity's tour (while `tour`: its pane is
        open), else among the results, with the search hit n/N landed on."""
        article_id = self.article.id if self.article else None
        if tour and self.entity is not None and self.stops:
            source = self.article.source if self.article else None
            index = self.stop_index
            if index is not None and self.stops[index].article_id != article_id:
                index = None
            return f"{one_line(self.entity.name)} · {travel.where(self.stops, index, source)}"
        where = travel.results_where(self.results.hits, article_id)
        hits = self.hits_for(article_id) if article_id else []
        if self.hit_index is not None and self.hit_index < len(hits):
            return f"hit {self.hit_index + 1} of {len(hits)} · {where}"
        return where

    def hits_for(self, article_id: str) -> list[tuple[int, int]]:
        """Where the current query hits an article, when it is among the results."""
        for hit in self.results.hits:
            if hit.id == article_id:
                return sorted(hit.hits)
        return []
