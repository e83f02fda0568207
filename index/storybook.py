"""The library's stories: the StoryGrouper's state kept in the record, and when articles join it.

An article is grouped once its entity phase is done (so the grouper sees its resolved entity
ids), in batches, each batch and the state it leaves one transaction: a kill loses at most the
batch in flight, and the next open or `annotate` groups what is left. Nothing already grouped
is ever regrouped (the grouper never moves an article), so new articles cannot reshuffle the
stories they don't touch, and the user's moves, splits and merges (the grouper's decision log,
saved with its state) survive rebuilds, re-annotation and new articles.

The state is stored in two tables (schema.py): `story_state`, one row holding everything but
the articles (document frequencies, memberships, redirects, decisions), rewritten per batch;
and `story_articles`, one immutable row per grouped article (its vector, day, title grams),
written once. So a batch writes its own articles, not the whole library's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import story_log
from .model import CrosswireError
from .store import crash_point, select_in

if TYPE_CHECKING:  # the grouper loads when stories are read or changed, not on open
    from .stories import EntityRef, StoryArticle, StoryGrouper

GROUP_BATCH = 2000  # articles grouped per transaction (each rewrites the state row once)

Conn = Callable[[], sqlite3.Connection]


class StoryBook:
    """The grouper of one library, loaded from the record when it changed, saved after each
    change. Writes must run under the library's writer lock (the Library takes it)."""

    def __init__(self, conn: Conn) -> None:
        self._conn = conn
        self._grouper: StoryGrouper | None = None
        self._version = -1  # the story_state version self._grouper was loaded at

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn()

    # -- loading and saving ---------------------------------------------------------------

    def grouper(self) -> StoryGrouper:
        """The current grouper, read again only when another write (here or in another
        process) saved a newer state since it was loaded."""
        from .stories import StoryGrouper

        conn = self.conn
        with _snapshot(conn):
            try:
                row = conn.execute("SELECT version, state FROM story_state WHERE id = 1").fetchone()
            except sqlite3.OperationalError as error:
                # An older library opened read-only never got the tables: no stories yet.
                if "no such table" not in str(error):
                    raise
                return StoryGrouper()
            version = row[0] if row else 0
            if self._grouper is not None and version == self._version:
                return self._grouper
            grouper = StoryGrouper() if row is None else self._load(conn, row[1])
        self._grouper, self._version = grouper, version
        return grouper

    def _load(self, conn: sqlite3.Connection, state_text: str) -> StoryGrouper:
        from .stories import GroupingError, StoryGrouper

        try:
            state = json.loads(state_text)
            state["articles"] = {
                aid: json.loads(data)
                for aid, data in conn.execute("SELECT article_id, data FROM story_articles")
            }
            return StoryGrouper.from_dict(state)
        except (GroupingError, ValueError, TypeError) as error:
            raise CrosswireError(
                f"the stories kept in {_record_name(conn)} are damaged ({error}); articles, "
                "entities and the search index are not affected"
            ) from None

    def _save(self, grouper: StoryGrouper, new_articles: Sequence[str]) -> None:
        """Write the state and the rows of new_articles; the caller holds the transaction."""
        state = grouper.to_dict()
        articles = state.pop("articles")
        conn = self.conn
        conn.executemany(
            "INSERT OR REPLACE INTO story_articles(article_id, data) VALUES(?, ?)",
            ((aid, json.dumps(articles[aid], separators=(",", ":"))) for aid in new_articles),
        )
        conn.execute(
            "INSERT INTO story_state(id, version, state) VALUES(1, 1, ?) ON CONFLICT(id) DO "
            "UPDATE SET version = story_state.version + 1, state = excluded.state",
            (json.dumps(state, separators=(",", ":")),),
        )

    @contextmanager
    def _changing(self) -> Iterator[StoryGrouper]:
        """The grouper to change, saved in one transaction; on any error the record is left
        as it was and the loaded copy dropped (it may hold half the change)."""
        grouper = self.grouper()
        try:
            with self.conn:
                yield grouper
        except BaseException:
            self._grouper, self._version = None, -1
            raise
        self._grouper, self._version = None, -1  # reload: the version moved

    # -- grouping ---------------------------------------------------------------------------

    def ungrouped_count(self) -> int:
        """Articles whose entity phase is done but that are in no story yet."""
        return int(
            self.conn.execute(
                "SELECT count(*) FROM annotated n WHERE NOT EXISTS (SELECT 1 FROM "
                "story_articles s WHERE s.article_id = n.article_id)"
            ).fetchone()[0]
        )

    def group_pending(self, batch: int = GROUP_BATCH) -> int:
        """Group every annotated article not yet in a story, oldest first, `batch` a
        transaction; returns how many joined a story."""
        done = 0
        while ids := self._ungrouped(batch):
            articles = self._story_articles(ids)
            if not articles:  # rows gone under us: nothing to group, never spin
                break
            with self._changing() as grouper:
                grouper.add(articles)
                self._save(grouper, [a.id for a in articles])
                crash_point("grouping")  # written, not committed: a kill loses this batch
            done += len(articles)
        return done

    def _ungrouped(self, limit: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT a.id FROM articles a JOIN annotated n ON n.article_id = a.id WHERE NOT "
            "EXISTS (SELECT 1 FROM story_articles s WHERE s.article_id = a.id) ORDER BY a.seq "
            "LIMIT ?",
            (limit,),
        )
        return [r[0] for r in rows]

    def _story_articles(self, ids: Sequence[str]) -> list[StoryArticle]:
        """What the grouper sees of these articles: text, title, source, url, date and the
        resolved entities of their mentions (never the source's ref)."""
        from .stories import EntityRef, StoryArticle

        entities: dict[str, list[EntityRef]] = {aid: [] for aid in ids}
        query = (
            "SELECT m.article_id, n.entity_id, coalesce(e.kind, m.kind), m.text FROM mentions m "
            "JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
            "LEFT JOIN entities e ON e.id = n.entity_id WHERE m.article_id IN ({}) "
            "ORDER BY m.article_id, m.start_char"
        )
        for aid, eid, kind, text in select_in(self.conn, query, ids):
            entities[aid].append(EntityRef(eid, kind, text))
        rows = select_in(
            self.conn,
            "SELECT id, text, title, source, url, published FROM articles WHERE id IN ({})",
            ids,
        )
        by_id = {
            aid: StoryArticle(aid, text, title, source, url, published, tuple(entities[aid]))
            for aid, text, title, source, url, published in rows
        }
        return [by_id[aid] for aid in ids if aid in by_id]

    # -- the user's decisions ---------------------------------------------------------------

    def move(self, article: str, story: str) -> str:
        """Move an article (grouped) into a story; returns the story's live id."""
        with self._changing() as grouper:
            old = grouper.story_of(article)
            # The labels as the user saw them when picking (a move can relabel both).
            labels = (story_log.label(grouper, old or ""), story_log.label(grouper, story))
            _decide(lambda: grouper.move(article, story))
            self._save(grouper, ())
            crash_point("story-decision")
            target = grouper.resolve(story)
            if old is not None and old != target:
                story_log.log_move(self.conn, article, old, target, labels)
            return target

    def split(self, story: str, articles: Sequence[str]) -> str:
        with self._changing() as grouper:
            sid = grouper.resolve(story)
            text = story_log.label(grouper, sid)  # as the user saw it, before the split
            new = str(_decide(lambda: grouper.split(story, articles)))
            self._save(grouper, ())
            moved = list(dict.fromkeys(articles))
            story_log.log_split(self.conn, sid, new, moved, text)
            return new

    def merge(self, a: str, b: str) -> str:
        with self._changing() as grouper:
            first, second = grouper.resolve(a), grouper.resolve(b)
            texts = {s: story_log.label(grouper, s) for s in (first, second)}
            members = {s: _members(grouper, s) for s in (first, second)}
            kept = str(_decide(lambda: grouper.merge(a, b)))
            self._save(grouper, ())
            if first != second:
                gone = second if kept == first else first
                labels = (texts[kept], texts[gone])
                story_log.log_merge(self.conn, kept, gone, members[gone], labels)
            return kept

    def flip(self, action: str, args: dict[str, Any], undo: bool) -> None:
        """Undo (or redo) a story decision of the log; the caller's transaction flips the
        entry's state with it (the same connection: one commit)."""
        with self._changing() as grouper:
            _decide(lambda: story_log.flip(grouper, action, args, undo))
            self._save(grouper, ())


def _members(grouper: StoryGrouper, story: str) -> list[str]:
    from .stories import GroupingError

    try:
        return list(grouper.story(story).articles)
    except GroupingError:
        return []


def _decide(decision: Callable[[], Any]) -> Any:
    """Run a grouper decision, its GroupingError made the user's one-line CrosswireError."""
    from .stories import GroupingError

    try:
        return decision()
    except GroupingError as error:
        raise CrosswireError(str(error)) from None


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Read the state's two tables in one read transaction (WAL gives it a snapshot), so a
    writer committing between the two reads cannot hand back half a batch."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _record_name(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else "the record"
