"""The JSON shapes of stories (`stories --json`, `story ID --json`), beside shapes.py's and
with the same keys: an article in a story is `summary_json`'s, plus its `date`."""

from __future__ import annotations

from .shapes import JSON, summary_json
from .story_model import Coverage, StoryDetail, StorySummary


def story_summary_json(story: StorySummary) -> JSON:
    """One row of `stories --json`: id, label, article and source counts, first and last date."""
    return {
        "id": story.id,
        "label": story.label,
        "articles": story.articles,
        "sources": story.sources,
        "first": story.first,
        "last": story.last,
    }


def coverage_json(coverage: Coverage) -> JSON:
    """The matrix: `sources` (the columns) and `rows`, each entity with `counts` in column
    order (0: that source never names it)."""
    return {
        "sources": list(coverage.sources),
        "rows": [
            {"entity": r.entity_id, "name": r.name, "kind": r.kind, "counts": list(r.counts)}
            for r in coverage.rows
        ],
    }


def story_json(story: StoryDetail) -> JSON:
    """`story ID --json`: the story's keys, its articles by date, its sources with their
    article counts and dates, and the coverage matrix."""
    return {
        "id": story.id,
        "label": story.label,
        "first": story.first,
        "last": story.last,
        "articles": [
            {**summary_json(a), "date": day}
            for a, day in zip(story.articles, story.dates, strict=True)
        ],
        "sources": [
            {"name": s.name, "articles": s.articles, "first": s.first, "last": s.last}
            for s in story.sources
        ],
        "coverage": coverage_json(story.coverage),
    }
