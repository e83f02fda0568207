"""An invented library for the decision tests: articles and voted mentions written straight
into the record (no NER), so each test knows exactly which names the resolver sees.

Names are made up. Built to hold the situations of issue 13: a short name two entities share
("HT": Harbor Trust and Hightower Tech), a spelling that keys like the display name ("Neo"
beside "N.E.O."), an organisation most outlets write one way and one outlet another, often
("Kataib Velmar" / "Velmar Brigades"), and a case variant ("al-Zarqa" / "Al-Zarqa").
"""

from __future__ import annotations

from pathlib import Path

from crosswire.index.entities.names import name_key
from crosswire.index.library import Library
from crosswire.index.model import article_id

# (source, [(surface, kind, voted name)]) — each mention written once into the article text.
ARTICLES: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Ledger",
        [("Harbor Trust", "ORG", "Harbor Trust")] * 2
        + [("HT", "ORG", "Harbor Trust")]
        + [("Velmar Brigades", "ORG", "Velmar Brigades")] * 4,
    ),
    (
        "Courier",
        [("Hightower Tech", "ORG", "Hightower Tech")] * 2
        + [("HT", "ORG", "Hightower Tech"), ("Kataib Velmar", "ORG", "Kataib Velmar")],
    ),
    (
        "Gazette",
        [("N.E.O.", "GPE", "N.E.O.")] * 3
        + [("Neo", "GPE", "N.E.O."), ("Kataib Velmar", "ORG", "Kataib Velmar")],
    ),
    (
        "Herald",
        [("Kataib Velmar", "ORG", "Kataib Velmar")]
        + [("Corvin Dale", "PERSON", "Corvin Dale")] * 2
        + [("Rafiq al-Zarqa", "PERSON", "Rafiq al-Zarqa")] * 2,
    ),
    ("Bulletin", [("Rafiq Al-Zarqa", "PERSON", "Rafiq Al-Zarqa")]),
]
LATER = ("Post", [("Mira Solberg", "PERSON", "Mira Solberg")] * 2)


def insert(library: Library, source: str, mentions: list[tuple[str, str, str]]) -> str:
    """Store one article holding these mentions (text built around them) with its mentions,
    as the entity phase would have; returns its id. The caller resolves."""
    text, rows = "", []
    for surface, kind, name in mentions:
        text += "Then "
        rows.append((len(text), len(text) + len(surface), surface, kind, name))
        text += surface + " spoke. "
    aid = article_id(text)
    conn = library._store.conn
    with conn:
        conn.execute(
            "INSERT INTO articles(id, ref, source, title, text, added_at) VALUES(?,?,?,?,?,?)",
            (aid, f"{source}-1", source, f"{source} report", text, "2026-01-01T00:00:00Z"),
        )
        conn.execute(
            "INSERT INTO article_refs(article_id, source, ref) VALUES(?, ?, ?)",
            (aid, source, f"{source}-1"),
        )
        conn.executemany(
            "INSERT INTO mentions(article_id, start_char, end_char, text, kind, name, key) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)",
            [(aid, s, e, t, k, n, name_key(n, k)) for s, e, t, k, n in rows],
        )
        conn.execute("INSERT INTO annotated(article_id, model) VALUES(?, 'invented')", (aid,))
    return aid


def build(directory: Path) -> Path:
    """The invented library, resolved."""
    with Library(directory) as library:
        for source, mentions in ARTICLES:
            insert(library, source, mentions)
        library.resolve()
    return directory


def reannotate(library: Library) -> None:
    """What re-annotation does to the record: every mention deleted and stored afresh, as
    voted (story links and split spellings undone)."""
    conn = library._store.conn
    with conn:
        conn.executemany(
            "UPDATE mentions SET name = ?, kind = ? WHERE article_id = ? AND start_char = ?",
            conn.execute("SELECT name, kind, article_id, start_char FROM story_links").fetchall(),
        )
        rows = conn.execute(
            "SELECT article_id, start_char, end_char, text, kind, name, key FROM mentions"
        ).fetchall()
        conn.execute("DELETE FROM story_links")
        conn.execute("DELETE FROM mentions")
        conn.executemany("INSERT INTO mentions VALUES(?, ?, ?, ?, ?, ?, ?)", rows)
