"""n/N without an open entity: from search hit to search hit in the article, then into the
next (or previous) result — pure functions, tested without an app."""

from __future__ import annotations

from collections.abc import Sequence

from crosswire.index.model import SearchHit

from .highlight import Span


def next_hit(hits: Sequence[Span], current: int | None, top: int, forward: bool) -> int | None:
    """The hit after (or before) the one the reader is at; with none yet, the first hit from
    the top of the view on (or the last one above it). None past either end."""
    if current is not None:
        target = current + (1 if forward else -1)
        return target if 0 <= target < len(hits) else None
    if forward:
        return next((i for i, (start, _) in enumerate(hits) if start >= top), None)
    return next((i for i in range(len(hits) - 1, -1, -1) if hits[i][0] < top), None)


def next_result(results: Sequence[SearchHit], article_id: str | None, forward: bool) -> int | None:
    """The result after (or before) the open article's, skipping results without a hit in
    their text (a title-only match); the first (or last) when the article is not listed."""
    ids = [r.id for r in results]
    here = ids.index(article_id) if article_id in ids else (-1 if forward else len(ids))
    order = range(here + 1, len(ids)) if forward else range(here - 1, -1, -1)
    return next((i for i in order if results[i].hits), None)
