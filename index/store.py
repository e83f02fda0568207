"""The system of record: one SQLite file per library, WAL mode, one connection per thread.

Everything else (the Whoosh index, entity tables' derived parts) can be rebuilt from here, so
this module is the one place that must never lose or double an article.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import schema
from .model import Article, ArticleSummary, Citation, Incoming, article_id
from .store_errors import DiskFull as DiskFull  # re-exported: the Library and CLI import here
from .store_errors import ReadOnly as ReadOnly
from .store_errors import damaged
from .store_errors import disk_full as disk_full
from .store_errors import read_only_error as read_only_error

RECORD_FILE = "library.sqlite3"
CRASH_ENV = "CROSSWIRE_CRASH_AT"


@dataclass(frozen=True)
class StoredRow:
    """An article row as the indexer needs it."""

    seq: int
    id: str
    ref: str
    source: str
    title: str
    published: str | None
    text: str
    sources: tuple[str, ...] = ()


# How a list of articles can be ordered: the order added, newest first (undated last),
# by source, by title (case folded); ties keep the order added.
SUMMARY_ORDERS = {
    "added": "seq",
    "date": "published IS NULL, published DESC, seq",
    "source": "source COLLATE NOCASE, seq",
    "title": "title COLLATE NOCASE, seq",
}


def crash_point(name: str) -> None:
    """Test hook: SIGKILL this process at a named point inside a write when the environment
    variable CROSSWIRE_CRASH_AT names it, so tests can kill a merge, split or resolve at a
    chosen step instead of by chance (tests/test_edits_atomic.py). Unset, it does nothing."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def is_read_only(directory: Path) -> bool:
    """True when this process cannot write the library: a read-only mount (access() answers
    EROFS even to root) or missing write permission on the directory or its record."""
    record = directory / RECORD_FILE
    return not os.access(directory, os.W_OK) or (record.exists() and not os.access(record, os.W_OK))


def _set_wal(conn: sqlite3.Connection, tries: int = 100) -> None:
    """Switch to WAL, retrying: the switch answers "locked" at once instead of waiting while
    another process creates the same new library."""
    for attempt in range(tries):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05)


def select_in(
    conn: sqlite3.Connection, query: str, values: Sequence[str], chunk: int = 500
) -> Iterator[tuple[Any, ...]]:
    """Rows of a query whose `IN ({})` takes many values, in chunks (SQLite caps parameters)."""
    values = list(values)
    for start in range(0, len(values), chunk):
        part = values[start : start + chunk]
        yield from conn.execute(query.format(",".join("?" * len(part))), part)


class Store:
    """Articles and their refs in SQLite. Thread-safe: each thread gets its own connection.

    read_only opens the record without ever writing it (read-only media, no permission). On a
    disk too full to open it for writing, it opens read-only too and keeps the reason in full,
    so reads work and writes can say "disk full".
    """

    def __init__(self, directory: Path, *, read_only: bool = False) -> None:
        self.directory = directory
        self.path = directory / RECORD_FILE
        self.read_only = read_only
        self.full: DiskFull | None = None
        self._local = threading.local()
        try:
            self._check()
        except (sqlite3.DatabaseError, DiskFull) as exc:
            error = exc if isinstance(exc, DiskFull) else damaged(self.path, exc)
            if read_only or not isinstance(error, DiskFull) or not self.path.exists():
                raise error from exc
            self.close()
            self.read_only, self.full = True, error
            try:
                self._check()
            except sqlite3.DatabaseError:
                raise error from exc

    def _check(self) -> None:
        """Make the schema (unless read-only) and read the record once, so damage shows now."""
        if not self.read_only:
            schema.create(self.conn)
        self.conn.execute("SELECT count(*) FROM articles").fetchone()

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.read_only:
                    conn = self._connect_read_only()
                else:
                    conn = sqlite3.connect(self.path, timeout=60)
                    _set_wal(conn)
                    conn.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.DatabaseError as exc:
                raise damaged(self.path, exc) from exc
            self._local.conn = conn
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """mode=ro reads a WAL record, -wal included, where SQLite can reach its -shm file; in a
        directory it cannot write (a read-only mount) and without one, only immutable=1 opens
        it. Nothing writes there, so the record cannot change under an immutable reader."""
        if not self.path.exists():
            raise sqlite3.OperationalError(f"unable to open database file: {self.path} is missing")
        uri = "file:" + urllib.parse.quote(str(self.path))
        try:
            conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=60)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=60)

    def changed_elsewhere(self) -> bool:
        """True when another connection (another process, usually) committed since last asked.

        The first call on a thread answers True: a needless refresh costs little, a missed one
        leaves the reader stale.
        """
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        changed = bool(getattr(self._local, "data_version", None) != version)
        self._local.data_version = version
        return changed

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- writing ------------------------------------------------------------------------------

    def insert(self, batch: Sequence[Incoming]) -> tuple[list[StoredRow], int]:
        """Store a batch in one transaction; returns (the rows added, how many were present).

        An article already stored under the same text gains the new source and ref, so the same
        story syndicated twice is kept once with both outlets recorded; a new outlet also marks
        it for re-indexing, so `source:` finds it under each.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added: dict[str, StoredRow] = {}
        present = 0
        with self.conn:
            for item in batch:
                aid = article_id(item.text)
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO articles(id, ref, source, title, url, published, text,"
                    " added_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        aid,
                        item.ref,
                        item.source,
                        item.title,
                        item.url,
                        item.published,
                        item.text,
                        now,
                    ),
                )
                if cur.rowcount:
                    added[aid] = StoredRow(
                        cur.lastrowid or 0,
                        aid,
                        item.ref,
                        item.source,
                        item.title,
                        item.published,
                        item.text,
                        (item.source,),
                    )
                else:
                    present += 1
                    new_source = not self.conn.execute(
                        "SELECT 1 FROM article_refs WHERE article_id = ? AND source = ?",
                        (aid, item.source),
                    ).fetchone()
                    if new_source and aid in added:
                        row = added[aid]
                        added[aid] = replace(row, sources=(*row.sources, item.source))
                    elif new_source:
                        self.conn.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (aid,))
                self.conn.execute(
                    "INSERT OR IGNORE INTO article_refs(article_id, source, ref) VALUES(?, ?, ?)",
                    (aid, item.source, item.ref),
                )
        return list(added.values()), present

    def mark_indexed(self, rows: Iterable[tuple[int, int]]) -> None:
        """Mark (seq, number of sources indexed) rows indexed, unless an outlet was added since
        the document was built: then it stays unindexed and is indexed again with all."""
        with self.conn:
            self.conn.executemany(
                "UPDATE articles SET indexed = 1 WHERE seq = ? AND ? = (SELECT count(DISTINCT"
                " source) FROM article_refs WHERE article_id = articles.id)",
                rows,
            )

    def mark_unindexed(self, ids: Iterable[str] | None = None) -> None:
        """Flag articles whose index entry is stale (all of them when ids is None)."""
        with self.conn:
            if ids is None:
                self.conn.execute("UPDATE articles SET indexed = 0")
            else:
                self.conn.executemany(
                    "UPDATE articles SET indexed = 0 WHERE id = ?", ((i,) for i in ids)
                )

    # -- reading ------------------------------------------------------------------------------

    def unindexed_count(self) -> int:
        return int(
            self.conn.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]
        )

    def unindexed(self, batch_size: int = 1000) -> Iterator[list[StoredRow]]:
        """Batches of articles the index does not hold yet, oldest first."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT seq, id, ref, source, title, published, text FROM articles"
                " WHERE indexed = 0 AND seq > ? ORDER BY seq LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            sources = self.sources_of([r[1] for r in rows])
            yield [
                StoredRow(seq, aid, ref, src, title, published, text, sources.get(aid, (src,)))
                for seq, aid, ref, src, title, published, text in rows
            ]

    def sources_of(self, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Every outlet that carried each article, in the order they were added."""
        out: dict[str, tuple[str, ...]] = {}
        query = (
            "SELECT article_id, source FROM article_refs WHERE article_id IN ({}) ORDER BY rowid"
        )
        for aid, source in select_in(self.conn, query, ids):
            if source not in out.get(aid, ()):
                out[aid] = (*out.get(aid, ()), source)
        return out

    def resolve_id(self, id_or_ref: str) -> str | None:
        """An article id from its id, a unique id prefix, or any ref a source gave it."""
        row = self.conn.execute("SELECT id FROM articles WHERE id = ?", (id_or_ref,)).fetchone()
        if row:
            return str(row[0])
        row = self.conn.execute(
            "SELECT article_id FROM article_refs WHERE ref = ? LIMIT 1", (id_or_ref,)
        ).fetchone()
        if row:
            return str(row[0])
        if 4 <= len(id_or_ref) < 16 and all(c in "0123456789abcdef" for c in id_or_ref):
            rows = self.conn.execute(
                "SELECT id FROM articles WHERE id LIKE ? LIMIT 2", (id_or_ref + "%",)
            ).fetchall()
            if len(rows) == 1:
                return str(rows[0][0])
        return self._by_file_name(id_or_ref)

    def _by_file_name(self, name: str) -> str | None:
        """The one article whose ref is a file called `name` (with or without its suffix,
        in any folder): what the reader shows for a file without a title of its own."""
        if not name.strip():
            return None
        bare = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        patterns = (f"%/{bare}", f"{bare}.%", f"%/{bare}.%")
        found: set[str] = set()
        for pattern in patterns:
            rows = self.conn.execute(
                "SELECT DISTINCT article_id FROM article_refs WHERE ref LIKE ? ESCAPE '\\' LIMIT 2",
                (pattern,),
            ).fetchall()
            found.update(str(r[0]) for r in rows)
            if len(found) > 1:
                return None
        return found.pop() if len(found) == 1 else None

    def article(self, aid: str) -> Article | None:
        row = self.conn.execute(
            "SELECT id, ref, source, title, url, published, text FROM articles WHERE id = ?",
            (aid,),
        ).fetchone()
        if row is None:
            return None
        refs = self.conn.execute(
            "SELECT source, ref FROM article_refs WHERE article_id = ? ORDER BY rowid", (aid,)
        ).fetchall()
        sources = tuple(dict.fromkeys(s for s, _ in refs)) or (row[2],)
        aid, ref, source, title, url, published, text = row
        return Article(
            aid,
            ref,
            source,
            title,
            url,
            published,
            text,
            sources=sources,
            refs=tuple(dict.fromkeys(r for _, r in refs)),
        )

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        return dict(select_in(self.conn, "SELECT id, text FROM articles WHERE id IN ({})", ids))

    def summaries(
        self,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        sort: str = "added",
    ) -> list[ArticleSummary]:
        """Articles in `sort` order (SUMMARY_ORDERS; "added" is the order they were added),
        `limit` of them from `offset`, under any of their sources; words are counted as the
        reader counts them. The page is chosen on the small columns first, so only its rows'
        texts are read, whatever the order."""
        order = SUMMARY_ORDERS.get(sort)
        if order is None:
            raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SUMMARY_ORDERS)}")
        where = ""
        args: tuple[str | int, ...] = ()
        if source is not None:
            where = " WHERE id IN (SELECT article_id FROM article_refs WHERE source = ?)"
            args = (source,)
        page = f"SELECT seq FROM articles{where} ORDER BY {order} LIMIT ? OFFSET ?"
        sql = (
            "SELECT id, ref, source, title, published, text, url FROM articles"
            f" WHERE seq IN ({page}) ORDER BY {order}"
        )
        rows = self.conn.execute(sql, (*args, -1 if limit is None else limit, max(0, offset)))
        return [
            ArticleSummary(aid, ref, src, title, published, words=len(text.split()), url=url)
            for aid, ref, src, title, published, text, url in rows
        ]

    def citations(self, ids: Sequence[str]) -> dict[str, Citation]:
        """Each stored article's outlet, title, date and url, by id (no text read)."""
        query = "SELECT id, ref, source, title, published, url FROM articles WHERE id IN ({})"
        return {row[0]: Citation(*row) for row in select_in(self.conn, query, ids)}

    def count(self, source: str | None = None) -> int:
        """Articles stored, or carried by one source."""
        if source is None:
            return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        return int(
            self.conn.execute(
                "SELECT count(DISTINCT article_id) FROM article_refs WHERE source = ?", (source,)
            ).fetchone()[0]
        )

    def source_counts(self) -> dict[str, int]:
        """Articles per source, counting an article under every outlet that carried it."""
        rows = self.conn.execute(
            "SELECT source, count(DISTINCT article_id) AS n FROM article_refs GROUP BY source"
            " ORDER BY n DESC, source"
        )
        return dict(rows.fetchall())
