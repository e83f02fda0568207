"""The read side of the entity record: lookups by name, the entity list, one entity in
context, stored mentions, search hints.

Split from record.py (the write side: annotate, resolve, merge, split) so each stays small;
these queries only read the tables schema.py defines, so the reader can use them without
anything that loads the model.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence

from ..model import (
    Alias,
    EntityChoice,
    EntityDetail,
    EntityHint,
    EntitySummary,
    Mention,
    MentionInContext,
)
from .ids import follow
from .names import name_key


class EntityQueries:
    """Read-only queries over one library's entity tables; Entities adds the writes.

    conn is a connection or a zero-argument function returning this thread's connection (the
    store keeps one per thread; a connection may not cross threads).
    """

    def __init__(self, conn: sqlite3.Connection | Callable[[], sqlite3.Connection]) -> None:
        self._conn = conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn if isinstance(self._conn, sqlite3.Connection) else self._conn()

    def keys_for_article(self, article_id: str) -> tuple[str, ...]:
        """Name keys for the search index's `entities` field: stable under merge and split."""
        rows = self.conn.execute(
            "SELECT DISTINCT key FROM mentions WHERE article_id = ? ORDER BY key", (article_id,)
        )
        return tuple(r[0] for r in rows)

    def _find(self, name_or_id: str, partial: bool = True) -> str | None:
        """The entity a name (any of its names, any spelling with the same key) or id means;
        with partial, also one word of a longer name (a table scan: not for as-you-type)."""
        name_or_id = name_or_id.strip()
        if not name_or_id:
            return None
        survivor = follow(self.conn, name_or_id)
        if survivor:
            return survivor
        key = name_key(name_or_id, "")
        row = self.conn.execute(
            "SELECT entity_id FROM entity_keys WHERE key = ? ORDER BY mentions DESC LIMIT 1",
            (key,),
        ).fetchone()
        if row is None and partial and key and " " not in key:
            # One word the library never wrote alone ("Biden"): a word of a longer name.
            row = self.conn.execute(
                "SELECT entity_id FROM entity_keys WHERE key LIKE ? OR key LIKE ? OR key LIKE ? "
                "ORDER BY mentions DESC LIMIT 1",
                (f"{key} %", f"% {key}", f"% {key} %"),
            ).fetchone()
        return row[0] if row else None

    def choices(self, name_or_id: str) -> list[EntityChoice]:
        """Every entity a name (any spelling with its key) or an id means, most mentioned
        first: one for an id or a name only one entity holds."""
        name_or_id = name_or_id.strip()
        survivor = follow(self.conn, name_or_id) if name_or_id else None
        if survivor:
            eids = [survivor]
        else:
            rows = self.conn.execute(
                "SELECT entity_id FROM entity_keys WHERE key = ? ORDER BY mentions DESC",
                (name_key(name_or_id, ""),),
            ).fetchall()
            eids = [r[0] for r in rows] if name_key(name_or_id, "") else []
            found = None if eids else self._find(name_or_id)
            eids = eids or ([found] if found else [])
        out = []
        for eid in eids:
            name, kind = self.conn.execute(
                "SELECT name, kind FROM entities WHERE id = ?", (eid,)
            ).fetchone()
            count = self.conn.execute(
                "SELECT count(*) FROM entity_names n JOIN mentions m "
                "ON m.name = n.name AND m.kind = n.kind WHERE n.entity_id = ?",
                (eid,),
            ).fetchone()[0]
            out.append(EntityChoice(eid, name, kind, count))
        out.sort(key=lambda c: (-c.mentions, c.id))
        return out

    def _record(self, eid: str) -> tuple[str, str, list[tuple[str, str]], list[str]] | None:
        row = self.conn.execute(
            "SELECT name, kind, aliases, keys FROM entities WHERE id = ?", (eid,)
        ).fetchone()
        if not row:
            return None
        return row[0], row[1], [tuple(a) for a in json.loads(row[2])], json.loads(row[3])

    def expand(self, name: str) -> list[str] | None:
        """`entity:NAME` → the index keys of every name of the entity NAME resolves to."""
        eid = self._find(name)
        record = self._record(eid) if eid else None
        return list(record[3]) if record else None

    def hints(self, words: Sequence[str]) -> list[EntityHint]:
        """Query words (or the whole phrase) that name an entity also known by other names."""
        out: list[EntityHint] = []
        seen: set[str] = set()
        candidates = [" ".join(words), *words] if len(words) > 1 else list(words)
        for word in candidates:
            if not name_key(word, ""):
                continue
            eid = self._find(word, partial=False)
            record = self._record(eid) if eid else None
            if not record or eid in seen:
                continue
            name, _, aliases, _ = record
            key = name_key(word, "")
            others = tuple(a for a, _ in aliases if name_key(a, "") != key)
            if others or name_key(name, "") != key:
                seen.add(eid)  # type: ignore[arg-type]
                out.append(EntityHint(word, eid, name, others[:8]))  # type: ignore[arg-type]
        return out

    def entities(self, kind: str | None = None, source: str | None = None) -> list[EntitySummary]:
        """Every entity with its mention and article counts and its sources, commonest first."""
        # An article carried by several outlets counts once, and under each of them.
        only = "WHERE m.article_id IN (SELECT article_id FROM article_refs WHERE source = ?) "
        args = (source,) if source else ()
        counts = self.conn.execute(
            "SELECT n.entity_id, count(*), count(DISTINCT m.article_id) FROM mentions m "
            "JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
            + (only if source else "")
            + "GROUP BY n.entity_id",
            args,
        )
        outlets = dict(
            self.conn.execute(
                "SELECT n.entity_id, json_group_array(DISTINCT r.source) FROM "
                "(SELECT DISTINCT name, kind, article_id FROM mentions m "
                + (only if source else "")
                + ") m JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
                "JOIN article_refs r ON r.article_id = m.article_id GROUP BY n.entity_id",
                args,
            )
        )
        stats = {
            eid: (count, articles, tuple(sorted(json.loads(outlets.get(eid, "[]")))))
            for eid, count, articles in counts
        }
        out = []
        for eid, name, ekind, aliases in self.conn.execute(
            "SELECT id, name, kind, aliases FROM entities"
        ):
            if eid not in stats or (kind and ekind != kind):
                continue
            count, articles, sources = stats[eid]
            others = tuple(a for a, _ in json.loads(aliases))
            out.append(EntitySummary(eid, name, ekind, others, count, sources, articles))
        out.sort(key=lambda e: (-e.mentions, e.name))
        return out

    def entity(self, name_or_id: str, context: int = 60) -> EntityDetail | None:
        """An entity with its aliases (and the rule behind each) and its mentions in context."""
        eid = self._find(name_or_id)
        record = self._record(eid) if eid else None
        if not record:
            return None
        name, kind, aliases, _ = record
        by_source: dict[str, list[MentionInContext]] = defaultdict(list)
        surface_counts: Counter[str] = Counter()
        rows = self.conn.execute(
            "SELECT m.article_id, a.ref, a.source, a.title, m.start_char, m.end_char, m.text, "
            "substr(a.text, max(1, m.start_char + 1 - ?), min(m.start_char, ?)), "
            "substr(a.text, m.end_char + 1, ?) "
            "FROM entity_names n JOIN mentions m ON m.name = n.name AND m.kind = n.kind "
            "JOIN articles a ON a.id = m.article_id WHERE n.entity_id = ? "
            "ORDER BY a.source, a.seq, m.start_char",
            (context, context, context, eid),
        )
        for aid, ref, source, title, start, end, text, before, after in rows:
            surface_counts[text] += 1
            by_source[source].append(
                MentionInContext(aid, ref, source, title, start, end, text, before, after)
            )
        alias_records = [Alias(a, rule, surface_counts.get(a, 0)) for a, rule in aliases]
        moved = (
            name_or_id.strip() if eid != name_or_id.strip() and self._was_id(name_or_id) else None
        )
        return EntityDetail(eid, name, kind, alias_records, dict(by_source), moved)  # type: ignore[arg-type]

    def _was_id(self, text: str) -> bool:
        """True when text is an id this library gave (one merged into another, say)."""
        try:
            row = self.conn.execute("SELECT 1 FROM entity_ids WHERE id = ?", (text.strip(),))
        except sqlite3.OperationalError:  # a format-1 record opened read-only
            return False
        return row.fetchone() is not None

    def mentions(self, article_id: str | None = None) -> Iterator[Mention]:
        """Stored mentions (of one article, or all) with their entity id and entity kind."""
        query = (
            "SELECT m.article_id, m.start_char, m.end_char, m.text, "
            "coalesce(e.kind, m.kind), coalesce(n.entity_id, '') FROM mentions m "
            "LEFT JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
            "LEFT JOIN entities e ON e.id = n.entity_id "
        )
        if article_id is None:
            rows = self.conn.execute(query + "ORDER BY m.article_id, m.start_char")
        else:
            rows = self.conn.execute(
                query + "WHERE m.article_id = ? ORDER BY m.start_char", (article_id,)
            )
        for row in rows:
            yield Mention(*row)
