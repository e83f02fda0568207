"""The records the library returns about stories: a story in a list, one story in full, and
the source × entity coverage matrix. Plain frozen dataclasses, like model.py's, kept apart so
model.py (shared by every part of the engine) changes by nothing but an export."""

from __future__ import annotations

from dataclasses import dataclass

from .model import ArticleSummary

# The kinds a coverage matrix lists: who and where, not nationalities or dates.
COVERAGE_KINDS = ("PERSON", "ORG", "GPE")


@dataclass(frozen=True)
class StorySummary:
    """A story as the story list shows it: label, counts and date range (ISO dates or None)."""

    id: str
    label: str
    articles: int
    sources: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class StorySource:
    """One outlet covering a story: how many of its articles, and their first and last dates."""

    name: str
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class CoverageRow:
    """One of a story's main entities and its mention count in each source (Coverage.sources
    order); 0 means that outlet never names it."""

    entity_id: str
    name: str
    kind: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Coverage:
    """Who is named where: rows the story's main PERSON/ORG/GPE entities (most mentioned first),
    columns its sources, cells mention counts."""

    sources: tuple[str, ...]
    rows: tuple[CoverageRow, ...]

    def count(self, entity_id: str, source: str) -> int:
        """The cell for an entity and a source (0 when either is not in the matrix)."""
        if source not in self.sources:
            return 0
        column = self.sources.index(source)
        return next((r.counts[column] for r in self.rows if r.entity_id == entity_id), 0)


@dataclass(frozen=True)
class StoryDetail:
    """One story in full: its articles (oldest first, undated last), sources with dates and
    the coverage matrix."""

    id: str
    label: str
    first: str | None
    last: str | None
    articles: tuple[ArticleSummary, ...]
    # Each article's date (ISO or None): its published field, else a date line near the top
    # of its text or in its URL, as the grouper reads it.
    dates: tuple[str | None, ...]
    sources: tuple[StorySource, ...]
    coverage: Coverage

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.articles)
