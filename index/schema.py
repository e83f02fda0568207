"""The one owner of the SQLite record's shape: every table and index, and the format stamp.

Store (articles, refs, meta) and Entities (NER cache, mentions, entities, decisions, story
links) share one connection per thread; both work on the tables made here, and neither defines
its own, so a reader of the record finds its whole shape in one place.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .model import CrosswireError

# 2: the claims tables. A format-1 library opens as is: its annotated articles have no row in
# `claimed`, which is what marks them as needing claims (the next annotate extracts them from
# the cached NER spans, without NER); an older crosswire refuses the new stamp.
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
CREATE TABLE IF NOT EXISTS claims(
  article_id TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
  claim TEXT NOT NULL, PRIMARY KEY(article_id, start_char));
CREATE TABLE IF NOT EXISTS claimed(article_id TEXT PRIMARY KEY);
"""


def create(conn: sqlite3.Connection) -> None:
    """Make every table and index the record needs (idempotent), in one transaction."""
    with conn:
        conn.executescript(SCHEMA)


def check_format(directory: Path) -> None:
    """Refuse a library written by a newer crosswire rather than misread it.

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


def upgrade_stamp(directory: Path) -> None:
    """Restamp an older library once its new tables exist (create() made them on open), so a
    crosswire that predates them refuses it instead of annotating it without them."""
    stamp = directory / FORMAT_FILE
    try:
        version = int(json.loads(stamp.read_text(encoding="utf-8"))["format"])
    except (ValueError, KeyError, TypeError, OSError):
        return  # check_format already refused what it cannot read
    if version < FORMAT_VERSION:
        stamp_format(directory)


def stamp_format(directory: Path) -> None:
    """Mark a library as made: written last, so a half-made library is known by its absence."""
    (directory / FORMAT_FILE).write_text(
        json.dumps({"format": FORMAT_VERSION}) + "\n", encoding="utf-8"
    )
