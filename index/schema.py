"""The one owner of the SQLite record's shape: every table and index, and the format stamp.

Store (articles, refs, meta) and Entities (NER cache, mentions, entities, decisions, story
links) share one connection per thread; both work on the tables made here, and neither defines
its own, so a reader of the record finds its whole shape in one place.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from .model import CrosswireError

# 2: the search index's schema 3 (no character offsets), the decision log and stable entity
# ids, the stories, the claims. An older library is upgraded on open (its index rebuilt from
# the record, saying so; its decisions migrated; the new tables made) and restamped; an older
# crosswire refuses a format-2 library instead of misreading it.
FORMAT_VERSION = 2
FORMAT_FILE = "crosswire.json"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  ref TEXT NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  published TEXT,
  text TEXT NOT NULL,
  added_at TEXT NOT NULL,
  indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles(indexed) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE TABLE IF NOT EXISTS article_refs(
  article_id TEXT NOT NULL,
  source TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY(article_id, source, ref)
);
CREATE INDEX IF NOT EXISTS article_refs_ref ON article_refs(ref);

CREATE TABLE IF NOT EXISTS ner_cache(
  article_id TEXT NOT NULL, model TEXT NOT NULL, mentions TEXT NOT NULL,
  PRIMARY KEY(article_id, model));
CREATE TABLE IF NOT EXISTS annotated(article_id TEXT PRIMARY KEY, model TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions(
  article_id TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
  text TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,
  PRIMARY KEY(article_id, start_char));
CREATE INDEX IF NOT EXISTS mentions_name ON mentions(name, kind);
CREATE INDEX IF NOT EXISTS mentions_text ON mentions(text);
CREATE INDEX IF NOT EXISTS mentions_key ON mentions(key);
CREATE TABLE IF NOT EXISTS entity_names(
  name TEXT NOT NULL, kind TEXT NOT NULL, entity_id TEXT NOT NULL,
  PRIMARY KEY(name, kind));
CREATE INDEX IF NOT EXISTS entity_names_entity ON entity_names(entity_id);
CREATE TABLE IF NOT EXISTS entity_keys(
  key TEXT NOT NULL, entity_id TEXT NOT NULL, mentions INTEGER NOT NULL,
  PRIMARY KEY(key, entity_id));
CREATE TABLE IF NOT EXISTS entities(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
  aliases TEXT NOT NULL, keys TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_links(
  article_id TEXT NOT NULL, start_char INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  PRIMARY KEY(article_id, start_char));
CREATE TABLE IF NOT EXISTS entity_decisions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, a TEXT NOT NULL,
  b TEXT NOT NULL, made_at TEXT NOT NULL);
-- Stories (storybook.py): the grouper's state without its articles (one row, versioned so a
-- reader reloads only when it changed) and each grouped article's immutable features. Tables
-- only added, so an older library gets them on open and its stories on its next grouping.
CREATE TABLE IF NOT EXISTS story_state(
  id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_articles(article_id TEXT PRIMARY KEY, data TEXT NOT NULL);
-- Format 2. The decision log (entities/decisions.py): state is active, undone or superseded;
-- changed_at orders undone entries for redo. entity_ids (entities/ids.py): every id ever
-- given, in birth order (seq: the older one survives a merge), where a merged id redirects,
-- and the member names an id had when it stopped naming an entity (so an undo revives it).
CREATE TABLE IF NOT EXISTS decisions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, args TEXT NOT NULL,
  summary TEXT NOT NULL, made_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'active',
  changed_at TEXT);
CREATE TABLE IF NOT EXISTS entity_ids(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, redirect TEXT,
  members TEXT NOT NULL DEFAULT '[]');
CREATE INDEX IF NOT EXISTS entity_ids_redirect ON entity_ids(redirect);
-- Claims (claims_store.py): quantity claims of each article, and which articles had theirs
-- extracted (an annotated article without a row here gets them on the next annotate).
CREATE TABLE IF NOT EXISTS claims(
  article_id TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
  claim TEXT NOT NULL, PRIMARY KEY(article_id, start_char));
CREATE TABLE IF NOT EXISTS claimed(article_id TEXT PRIMARY KEY);
"""

# Format 1 kept decisions as name pairs in entity_decisions: they become log entries, replayed
# by name as before (args "legacy"), so no decision is lost; the old table is left empty.
MIGRATE_DECISIONS = """
INSERT INTO decisions(action, args, summary, made_at)
  SELECT action, json_object('legacy', json_array(a, b)),
    CASE action WHEN 'merge' THEN 'merged ' || a || ' and ' || b
    ELSE 'split ' || b || ' off ' || a END, made_at
  FROM entity_decisions ORDER BY seq;
DELETE FROM entity_decisions;
"""


def create(conn: sqlite3.Connection) -> None:
    """Make every table and index the record needs (idempotent), in one transaction."""
    with conn:
        conn.executescript(SCHEMA)
    if conn.execute("SELECT 1 FROM entity_decisions LIMIT 1").fetchone():
        conn.executescript("BEGIN IMMEDIATE;" + MIGRATE_DECISIONS + "COMMIT;")


def check_format(directory: Path) -> int:
    """Refuse a library written by a newer crosswire rather than misread it; returns the
    library's format (an older one is migrated when opened for writing, then restamped).

    Raises CrosswireError when the stamp is unreadable or names a newer format.
    """
    stamp = directory / FORMAT_FILE
    if stamp.exists():
        try:
            version = int(json.loads(stamp.read_text(encoding="utf-8"))["format"])
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise CrosswireError(f"{stamp}: unreadable library format stamp ({exc})") from exc
        if version > FORMAT_VERSION:
            raise CrosswireError(
                f"{directory} is a format-{version} library from a newer crosswire; this one "
                f"reads format {FORMAT_VERSION} — upgrade crosswire to open it"
            )
        return version
    return FORMAT_VERSION


def stamp_format(directory: Path) -> None:
    """Mark a library as made: written last, so a half-made library is known by its absence.

    Written beside and renamed into place, so a second process opening the library at that
    moment reads the old stamp or the new one, never an empty file."""
    stamp = directory / FORMAT_FILE
    partial = stamp.with_name(f".{FORMAT_FILE}.{os.getpid()}")
    partial.write_text(json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8")
    os.replace(partial, stamp)
