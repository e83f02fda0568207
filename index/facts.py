"""Compare the sources: facts (claim groups across sources) and a query's passages by source.

Library.facts and Library.compare delegate here. Both work over a set of articles (the whole
library, or a story's ids) in the order they were added, and list sources in that order too:
the source of an article is the one it was first stored under.

A passage is a whole sentence of the stored text (claims.sentences, the sentence splitter the
claims use), never a search snippet: a snippet cuts the number off ("… were wounded").
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from . import claims_store
from .claims import ClaimGroup, group_claims, sentences
from .claims.lexicon import UNITS
from .model import Mention, SearchResults

COMPARE_LIMIT = 500  # articles a comparison reads; beyond it the comparison says partial
_NUMERAL = re.compile(
    r"\d+(?:[,.]\d+)*|\b(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b", re.I
)


@dataclass(frozen=True)
class Passage:
    """One sentence of one article that matches the query. start/end and every span are
    character offsets into the article's stored text; entities are (start, end, kind)."""

    article: str
    ref: str
    title: str
    start: int
    end: int
    text: str
    hits: tuple[tuple[int, int], ...]
    numbers: tuple[tuple[int, int], ...] = ()
    entities: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class SourcePassages:
    """A source and its matching passages, in article order then text order."""

    source: str
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Comparison:
    """A query's passages by source (sources in order), and the sources that never match."""

    query: str
    sources: tuple[SourcePassages, ...]
    missing: tuple[str, ...]
    partial: bool = False
    articles: int = field(default=0)  # matching articles read


def scope(
    conn: sqlite3.Connection, story: Collection[str] | None
) -> list[tuple[str, str, str, str]]:
    """(id, source, ref, title) of the articles in scope, in the order they were added."""
    rows = conn.execute("SELECT id, source, ref, title FROM articles ORDER BY seq").fetchall()
    if story is None:
        return [tuple(r) for r in rows]
    wanted = set(story)
    return [tuple(r) for r in rows if r[0] in wanted]


def facts(conn: sqlite3.Connection, story: Collection[str] | None = None) -> list[ClaimGroup]:
    """Claim groups of the articles in scope: disputed groups first, then the most reported."""
    articles = scope(conn, story)
    stored = claims_store.load(conn, None if story is None else [a[0] for a in articles])
    by_article = {aid: (source, stored[aid]) for aid, source, _, _ in articles if aid in stored}
    groups = group_claims(by_article)
    return sorted(groups, key=lambda g: not g.disputed)  # stable: keeps group_claims' order


def compare(
    conn: sqlite3.Connection,
    query: str,
    results: SearchResults,
    texts: Callable[[Sequence[str]], dict[str, str]],
    mentions: Callable[[str], Iterable[Mention]],
    story: Collection[str] | None = None,
) -> Comparison:
    """The search `results` of `query` as passages by source: each sentence holding a hit,
    its numbers and entity mentions marked; every source in scope without one is missing."""
    articles = scope(conn, story)
    order = list(dict.fromkeys(source for _, source, _, _ in articles))
    info = {aid: (source, ref, title) for aid, source, ref, title in articles}
    hits = [h for h in results.hits if h.id in info and h.hits]
    text_of = texts([h.id for h in hits])
    found = claims_store.load(conn, [h.id for h in hits])
    by_source: dict[str, list[Passage]] = {}
    for hit in sorted(hits, key=lambda h: list(info).index(h.id)):
        source, ref, title = info[hit.id]
        text = text_of.get(hit.id, "")
        quantities = [(c.start, c.start + len(c.quantity)) for c in found.get(hit.id, [])]
        marks = [(m.start, m.end, m.kind) for m in mentions(hit.id)]
        spans = hit.hits  # a phrase is marked whole by the index, never word by word
        for start, end in sentences(text):
            inside = tuple(h for h in spans if start <= h[0] < end)
            if inside:
                by_source.setdefault(source, []).append(
                    Passage(
                        article=hit.id,
                        ref=ref,
                        title=title,
                        start=start,
                        end=end,
                        text=text[start:end],
                        hits=inside,
                        numbers=_numbers(text, start, end, quantities),
                        entities=tuple(m for m in marks if start <= m[0] and m[1] <= end),
                    )
                )
    return Comparison(
        query=query,
        sources=tuple(SourcePassages(s, tuple(by_source[s])) for s in order if s in by_source),
        missing=tuple(s for s in order if s not in by_source),
        partial=results.partial or results.total > len(results.hits),
        articles=len({p.article for ps in by_source.values() for p in ps}),
    )


def _numbers(
    text: str, start: int, end: int, quantities: list[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """Spans of the numbers in text[start:end]: the claims' quantities ("more than 100",
    "several") and every other numeral, without overlaps."""
    spans = [q for q in quantities if start <= q[0] and q[1] <= end]
    for m in _NUMERAL.finditer(text, start, end):
        if not any(a < m.end() and m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    return tuple(sorted(spans))


def changes(group: ClaimGroup) -> list[str]:
    """A note per source that reports a change over time in this group's count:
    "003: initially 3, later 2"."""
    notes = []
    for v in group.values:
        if v.claim.change != "initial":
            continue
        later = next(
            (
                w
                for w in group.values
                if w.article == v.article
                and w.claim.change == "later"
                and w.claim.start > v.claim.start
            ),
            None,
        )
        if later is not None:
            notes.append(f"{v.source}: initially {v.claim.display}, later {later.claim.display}")
    return notes


def group_json(group: ClaimGroup) -> dict[str, object]:
    """The `crosswire facts --json` object of a group: about, event, values, disputed, why, and
    change (the notes of changes(), or null when no source reports one)."""
    shape = group.to_dict()
    notes = changes(group)
    shape["change"] = "; ".join(notes) if notes else None
    return shape


def comparison_json(comparison: Comparison) -> dict[str, object]:
    """The `crosswire compare --json` object: sources in order with their passages (offsets
    into the stored text), the sources that never match, and whether it was cut short."""
    return {
        "query": comparison.query,
        "sources": [
            {
                "source": s.source,
                "passages": [
                    {
                        "article": p.article,
                        "ref": p.ref,
                        "title": p.title,
                        "start": p.start,
                        "end": p.end,
                        "text": p.text,
                        "hits": [list(h) for h in p.hits],
                        "numbers": [list(n) for n in p.numbers],
                        "entities": [{"start": a, "end": b, "kind": k} for a, b, k in p.entities],
                    }
                    for p in s.passages
                ],
            }
            for s in comparison.sources
        ],
        "missing": list(comparison.missing),
        "partial": comparison.partial,
    }
