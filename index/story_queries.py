"""The read side of stories: the story list, one story with its sources and coverage matrix,
and the entity list and mentions scoped to a story's articles.

Functions over the record's connection and the grouper's public API only (never its internals),
so the grouping algorithm can change underneath without touching what the library returns.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from .model import ArticleSummary, EntitySummary, Mention
from .store import select_in
from .story_model import (
    COVERAGE_KINDS,
    Coverage,
    CoverageRow,
    StoryDetail,
    StorySource,
    StorySummary,
)

if TYPE_CHECKING:  # the grouper itself only where a story is read: 20 ms of every command
    from .stories import Story, StoryGrouper

COVERAGE_ROWS = 15  # the main entities a coverage matrix lists


def summaries(grouper: StoryGrouper) -> list[StorySummary]:
    """Every story, the most recent first (by its last date; undated stories after, the
    largest first), as the story list shows them."""
    rows = [_summary(story) for story in grouper.stories()]
    rows.sort(key=lambda s: (s.last is None, _negated(s.last), -s.articles))
    return rows


def _summary(story: Story) -> StorySummary:
    return StorySummary(
        story.id, story.label, len(story.articles), len(story.sources), story.first, story.last
    )


def _negated(day: str | None) -> int:
    return -date.fromisoformat(day).toordinal() if day else 0


def detail(conn: sqlite3.Connection, story: Story, rows: int = COVERAGE_ROWS) -> StoryDetail:
    """One story: its articles by date, each source with its dates, the coverage matrix."""
    from .stories import StoryArticle, article_day

    found = list(
        select_in(
            conn,
            "SELECT id, ref, source, title, url, published, text FROM articles WHERE id IN ({})",
            story.articles,
        )
    )
    days: dict[str, str | None] = {}
    articles = []
    for aid, ref, source, title, url, published, text in found:
        day = article_day(StoryArticle(aid, text, title, source, url, published))
        days[aid] = date.fromordinal(day).isoformat() if day is not None else None
        articles.append(ArticleSummary(aid, ref, source, title, published, len(text.split())))
    articles.sort(key=lambda a: (days[a.id] is None, days[a.id] or "", a.title))
    outlets = sources_of(conn, story.articles)
    return StoryDetail(
        id=story.id,
        label=story.label,
        first=story.first,
        last=story.last,
        articles=tuple(articles),
        dates=tuple(days[a.id] for a in articles),
        sources=_sources(outlets, days),
        coverage=coverage(conn, story.articles, outlets, rows),
    )


def sources_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Every outlet that carried each article (an article syndicated twice counts under both)."""
    out: dict[str, tuple[str, ...]] = {}
    query = "SELECT article_id, source FROM article_refs WHERE article_id IN ({}) ORDER BY rowid"
    for aid, source in select_in(conn, query, ids):
        if source not in out.get(aid, ()):
            out[aid] = (*out.get(aid, ()), source)
    return out


def _sources(
    outlets: dict[str, tuple[str, ...]], days: dict[str, str | None]
) -> tuple[StorySource, ...]:
    """Each outlet with its article count and date range, the most articles first."""
    counts: Counter[str] = Counter()
    dated: dict[str, list[str]] = defaultdict(list)
    for aid, names in outlets.items():
        for name in names:
            counts[name] += 1
            if days.get(aid):
                dated[name].append(days[aid] or "")
    return tuple(
        StorySource(
            name, n, min(dated[name]) if dated[name] else None, max(dated[name], default=None)
        )
        for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )


def _entity_counts(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> Iterator[tuple[str, str, str, int]]:
    """(article, entity id, entity kind, mentions) for the resolved mentions of these articles."""
    query = (
        "SELECT m.article_id, n.entity_id, coalesce(e.kind, m.kind), count(*) FROM mentions m "
        "JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
        "LEFT JOIN entities e ON e.id = n.entity_id WHERE m.article_id IN ({}) "
        "GROUP BY m.article_id, n.entity_id"
    )
    yield from select_in(conn, query, ids)


def coverage(
    conn: sqlite3.Connection,
    ids: Sequence[str],
    outlets: dict[str, tuple[str, ...]],
    rows: int = COVERAGE_ROWS,
) -> Coverage:
    """The source × entity matrix of a story's articles: its `rows` most mentioned PERSON,
    ORG and GPE entities against every source that carried one of its articles."""
    cells: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for aid, eid, kind, n in _entity_counts(conn, ids):
        if kind not in COVERAGE_KINDS:
            continue
        kinds[eid] = kind
        totals[eid] += n
        for source in outlets.get(aid, ()):
            cells[eid, source] += n
    columns = tuple(s.name for s in _sources(outlets, {}))
    top = sorted(totals, key=lambda eid: (-totals[eid], eid))[:rows]
    names = _names(conn, top)
    return Coverage(
        sources=columns,
        rows=tuple(
            CoverageRow(eid, names.get(eid, eid), kinds[eid], tuple(cells[eid, s] for s in columns))
            for eid in top
        ),
    )


def _names(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    return dict(select_in(conn, "SELECT id, name FROM entities WHERE id IN ({})", ids))


def entities(
    conn: sqlite3.Connection, ids: Sequence[str], kind: str | None, source: str | None
) -> list[EntitySummary]:
    """The entity list (as Library.entities) counted over these articles only: mentions,
    articles and sources within them; only one kind or one source's articles when given."""
    outlets = sources_of(conn, ids)
    if source is not None:
        ids = [aid for aid in ids if source in outlets.get(aid, ())]
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    covered: dict[str, set[str]] = defaultdict(set)
    for aid, eid, _, n in _entity_counts(conn, ids):
        mentions[eid] += n
        articles[eid] += 1
        covered[eid].update(outlets.get(aid, ()))
    out = []
    query = "SELECT id, name, kind, aliases FROM entities WHERE id IN ({})"
    for eid, name, ekind, aliases in select_in(conn, query, list(mentions)):
        if kind and ekind != kind:
            continue
        others = tuple(a for a, _ in json.loads(aliases))
        out.append(
            EntitySummary(
                eid, name, ekind, others, mentions[eid], tuple(sorted(covered[eid])), articles[eid]
            )
        )
    out.sort(key=lambda e: (-e.mentions, e.name))
    return out


def mentions(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[Mention]:
    """The stored mentions of these articles (by article id, then in text order)."""
    query = (
        "SELECT m.article_id, m.start_char, m.end_char, m.text, "
        "coalesce(e.kind, m.kind), coalesce(n.entity_id, '') FROM mentions m "
        "LEFT JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
        "LEFT JOIN entities e ON e.id = n.entity_id WHERE m.article_id IN ({}) "
        "ORDER BY m.article_id, m.start_char"
    )
    rows = sorted(select_in(conn, query, sorted(ids)), key=lambda r: (r[0], r[1]))
    for row in rows:
        yield Mention(*row)
