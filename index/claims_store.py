"""Quantity claims in the record: written with the entity phase, read back for facts/compare.

The entity phase already holds every article's NER spans (the cache keeps DATE, MONEY, LAW…
as well as the kinds crosswire stores), so claims are extracted from them in the same batch and
written in the same transaction as the mentions: a kill leaves both or neither. An article is
`claimed` once its claims were extracted (none found is a result too); an annotated article
without that mark needs them, which is how a library from before claims (format 1), or one
annotated with claims switched off, catches up: from the cached spans, never running NER again.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager

from .claims import Claim, extract_claims
from .claims.records import Span
from .entities.ner import RawMention
from .store import crash_point, select_in

CATCH_UP_BATCH = 256  # articles a transaction when claims are extracted from cached spans
_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))


def extract(
    texts: Mapping[str, str], spans: Mapping[str, Sequence[Span]]
) -> dict[str, list[Claim]]:
    """The claims of each article, given its text and its unfiltered NER spans."""
    return {aid: extract_claims(text, spans.get(aid, ())) for aid, text in texts.items()}


def write(conn: sqlite3.Connection, claims: Mapping[str, Sequence[Claim]]) -> None:
    """Replace these articles' claims and mark them claimed; inside the caller's transaction."""
    ids = list(claims)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        conn.execute(f"DELETE FROM claims WHERE article_id IN ({','.join('?' * len(part))})", part)
    conn.executemany(
        "INSERT OR REPLACE INTO claims(article_id, start_char, end_char, claim) VALUES(?, ?, ?, ?)",
        [
            (aid, c.start, c.end, json.dumps([getattr(c, f) for f in _FIELDS]))
            for aid, found in claims.items()
            for c in found
        ],
    )
    conn.executemany("INSERT OR IGNORE INTO claimed(article_id) VALUES(?)", [(aid,) for aid in ids])
    crash_point("claims-written")  # tests: a kill here must lose the whole batch, mentions too


def pending(conn: sqlite3.Connection, limit: int | None = None) -> list[str]:
    """Annotated articles whose claims were never extracted, oldest first."""
    rows = conn.execute(
        "SELECT a.id FROM articles a JOIN annotated n ON n.article_id = a.id "
        "LEFT JOIN claimed c ON c.article_id = a.id WHERE c.article_id IS NULL "
        "ORDER BY a.seq LIMIT ?",
        (-1 if limit is None else limit,),
    )
    return [r[0] for r in rows]


def cached_spans(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[RawMention]]:
    """The NER spans the cache holds for these articles (of whichever model annotated them)."""
    query = (
        "SELECT c.article_id, c.mentions FROM ner_cache c JOIN annotated n "
        "ON n.article_id = c.article_id AND n.model = c.model WHERE c.article_id IN ({})"
    )
    return {
        aid: [RawMention(*m) for m in json.loads(stored)]
        for aid, stored in select_in(conn, query, ids)
    }


def catch_up(
    conn: Callable[[], sqlite3.Connection],
    texts: Callable[[Sequence[str]], Mapping[str, str]],
    writing: Callable[[], AbstractContextManager[object]],
) -> int:
    """Extract the claims of every annotated article that lacks them, from the cached NER
    spans, CATCH_UP_BATCH articles a transaction; returns how many articles it covered."""
    done = 0
    while ids := pending(conn(), CATCH_UP_BATCH):
        found = extract(texts(ids), cached_spans(conn(), ids))
        with writing(), conn() as c:
            write(c, {aid: found.get(aid, []) for aid in ids})
        done += len(ids)
    return done


def load(
    conn: sqlite3.Connection, articles: Collection[str] | None = None
) -> dict[str, list[Claim]]:
    """Stored claims by article id in text order: of these articles, or of every article."""
    query = "SELECT article_id, claim FROM claims"
    rows: Iterable[tuple[str, str]]
    if articles is None:
        rows = conn.execute(query + " ORDER BY article_id, start_char")
    else:
        rows = select_in(conn, query + " WHERE article_id IN ({})", sorted(articles))
    out: dict[str, list[Claim]] = {}
    for aid, stored in rows:
        out.setdefault(aid, []).append(Claim(**dict(zip(_FIELDS, json.loads(stored), strict=True))))
    for found in out.values():
        found.sort(key=lambda c: c.start)
    return out
