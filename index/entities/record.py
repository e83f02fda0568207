"""The entity side of the record: NER cache, voted mentions, resolved entities, user decisions.

SQLite only. spaCy is imported (through ner.py) only when annotate() has articles the cache
lacks, so the reader process never loads it. A rebuild or a re-resolve never reruns NER: raw
model output is cached by article id and model id, and resolve() works from stored mentions.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..store import crash_point, select_in
from . import decisions
from .aliases import UserRules, ignore_warning, read_alias_file
from .deciding import Deciding
from .names import display_form, drop_titles, name_key
from .queries import EntityQueries

if TYPE_CHECKING:
    from .fill import ArticleMention
    from .ner import RawMention

# Storing, voting, resolving and claims are imported where they run: a search or the reader's
# first paint reads entities but never resolves them (a third of a CLI search's imports).


@dataclass(frozen=True)
class AnnotateBatch:
    """Articles read for the entity phase: their texts, the cached raw mentions, and the ids
    (in order) the model still has to run on."""

    texts: dict[str, str]
    raw: dict[str, list[RawMention]]
    model: str
    missing: list[str]


KNOWN_IN_ARTICLES = 2  # a name the model found in this many articles is marked where it missed
LOOKUP_CHUNK = 500


class Entities(Deciding, EntityQueries):
    """Entity annotations of one library, kept in the library's SQLite record.

    conn is a connection or a zero-argument function returning this thread's connection (the
    store keeps one per thread; a connection may not cross threads). Warnings about the alias
    file go to on_warning. The tables are the record's (schema.py, made by the Store): this
    class writes them and defines none; the reads it inherits from EntityQueries.
    """

    claims = True  # extract quantity claims with each stored batch (annotate --no-claims: off)

    def __init__(
        self,
        conn: sqlite3.Connection | Callable[[], sqlite3.Connection],
        alias_file: Path,
        *,
        on_warning: Callable[[str], None] = ignore_warning,
    ) -> None:
        super().__init__(conn)
        self.alias_file = alias_file
        self.on_warning = on_warning

    # -- annotating ---------------------------------------------------------------------------

    def pending(self, limit: int | None = None) -> list[str]:
        """Ids of stored articles without entity annotations, oldest first."""
        rows = self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN annotated n ON n.article_id = a.id "
            "WHERE n.article_id IS NULL ORDER BY a.seq LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [r[0] for r in rows]

    def annotated_count(self) -> int:
        """Articles whose entity phase is done (cheap: for progress shown while it runs)."""
        return int(self.conn.execute("SELECT count(*) FROM annotated").fetchone()[0])

    def annotate(self, article_ids: Sequence[str]) -> int:
        """NER (cached), vote and store the mentions of these articles in one transaction."""
        if not article_ids:
            return 0
        batch = self.prepare(article_ids)
        texts = [batch.texts[aid] for aid in batch.missing]
        from . import ner

        return self.store(batch, list(ner.extract(texts)) if texts else [])

    def prepare(self, article_ids: Sequence[str]) -> AnnotateBatch:
        """The texts of these articles and what the NER cache already holds for them: the part
        of annotate() that reads the record, so the driver can hand `missing` to workers."""
        texts = dict(
            select_in(self.conn, "SELECT id, text FROM articles WHERE id IN ({})", article_ids)
        )
        from . import ner
        from .ner import RawMention

        model = ner.model_id()
        raw: dict[str, list[RawMention]] = {}
        query = "SELECT article_id, mentions FROM ner_cache WHERE model = ? AND article_id IN ({})"
        for chunk in _chunks(list(texts)):
            marks = ",".join("?" * len(chunk))
            for aid, stored in self.conn.execute(query.format(marks), (model, *chunk)):
                raw[aid] = [RawMention(*m) for m in json.loads(stored)]
        return AnnotateBatch(texts, raw, model, [aid for aid in texts if aid not in raw])

    def store(self, batch: AnnotateBatch, fresh: Sequence[list[RawMention]]) -> int:
        """Vote and store a prepared batch, given the model's output for `batch.missing` (in
        that order), in one transaction."""
        texts = batch.texts
        if not texts:
            return 0
        from .. import claims_store
        from .fill import fill_known, fill_story_surnames
        from .vote import vote

        raw = {**batch.raw, **dict(zip(batch.missing, fresh, strict=True))}
        claims = claims_store.extract(texts, raw) if self.claims else None
        voted = {aid: vote(text, raw[aid]) for aid, text in texts.items()}
        voted = fill_story_surnames(texts, voted)
        known = self._known_names(texts, voted)
        rows = []
        for aid, text in texts.items():
            for m in fill_known(text, voted[aid], known):
                rows.append((aid, m.start, m.end, m.text, m.kind, m.name, name_key(m.name, m.kind)))
        conn = self.conn
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO ner_cache(article_id, model, mentions) VALUES(?, ?, ?)",
                [
                    (
                        aid,
                        batch.model,
                        json.dumps([[m.start, m.end, m.text, m.label] for m in raw[aid]]),
                    )
                    for aid in batch.missing
                ],
            )
            ids = list(texts)
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM mentions WHERE article_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM story_links WHERE article_id IN ({marks})", chunk)
            conn.executemany(
                "INSERT OR REPLACE INTO mentions(article_id, start_char, end_char, text, kind, "
                "name, key) VALUES(?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO annotated(article_id, model) VALUES(?, ?)",
                [(aid, batch.model) for aid in ids],
            )
            if claims is not None:  # same transaction: a kill keeps both or neither
                claims_store.write(conn, claims)
        return len(texts)

    def _known_names(
        self, texts: dict[str, str], voted: dict[str, list[ArticleMention]]
    ) -> dict[str, str]:
        """Surfaces (→ kind) found in at least two articles of the library or this batch, among
        the capitalised phrases these texts contain."""
        from .fill import candidate_names

        wanted = set().union(*(candidate_names(t) for t in texts.values()))
        articles: dict[str, set[str]] = defaultdict(set)
        kinds: dict[str, Counter[str]] = defaultdict(Counter)
        for aid, mentions in voted.items():
            for m in mentions:
                articles[m.text].add(aid)
                kinds[m.text][m.kind] += 1
        batch = set(texts)
        # The kind as voted, not as a resolve's story links left it: what a batch learns from
        # the library must not depend on when the running entity phase last resolved.
        query = (
            "SELECT m.text, coalesce(s.kind, m.kind) AS voted, m.article_id FROM mentions m "
            "LEFT JOIN story_links s ON s.article_id = m.article_id "
            "AND s.start_char = m.start_char WHERE m.text IN ({}) "
            "GROUP BY m.text, voted, m.article_id"
        )
        for text, kind, aid in select_in(self.conn, query, sorted(wanted)):
            if aid not in batch:
                articles[text].add(aid)
                kinds[text][kind] += 1
        return {
            text: kinds[text].most_common(1)[0][0]
            for text, arts in articles.items()
            if len(arts) >= KNOWN_IN_ARTICLES
        }

    # -- resolving ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so what is read inside it is
        what gets written; a nested call joins the open one. An interruption anywhere inside
        leaves the record as it was before: no half-linked stories, no mention without entity.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        crash_point("commit")
        conn.commit()

    def _rules(self) -> tuple[UserRules, decisions.Replay]:
        rules = read_alias_file(self.alias_file, self.on_warning)
        replay = decisions.replay(self.conn)
        user = UserRules(
            same=rules.same,
            never=rules.never,
            merged=tuple(replay.merged),
            split=tuple(replay.split),
            joined=tuple(replay.joined),
            parted=tuple(replay.parted),
        )
        return user, replay

    def resolved(self) -> bool:
        """False when mentions changed since the last resolve (an interrupted `annotate` or
        `add`): their names may lack an entity until resolve runs. Cheap: one index lookup."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(rowid), 0) FROM mentions), "
            "(SELECT value FROM meta WHERE key = 'resolved_mentions')"
        ).fetchone()
        return str(row[0]) == (row[1] or "0")

    def resolve(self, disabled: Collection[str] = ()) -> None:
        """Recompute entities from the stored mentions, the alias file and user decisions.

        disabled names resolution rules to skip (rules.RULE_NAMES; bench/bench_rules.py
        measures each one's gain that way); an unknown name raises ValueError.

        One transaction from the first read to the last write: a merge made meanwhile (in the
        reader, say) waits for it and is then resolved itself, so it is never undone by a
        resolve computed before it; and a kill leaves the previous resolution whole.
        """
        with self._transaction():
            self._resolve(disabled)

    def _resolve(self, disabled: Collection[str] = ()) -> None:
        from . import ids
        from .naming import name_entities
        from .resolve import resolve
        from .rules import STORY_RULES, NameGroup

        conn = self.conn
        self._log_alias_change()
        rules, replay = self._rules()
        self._link_stories(rules.apart)
        self._unlink_surfaces(replay.unlink)
        rows = conn.execute(
            "SELECT m.name, m.kind, json_group_array(DISTINCT m.text), count(*), "
            "json_group_array(DISTINCT CASE WHEN s.article_id IS NULL THEN m.text END) "
            "FROM mentions m LEFT JOIN story_links s "
            "ON s.article_id = m.article_id AND s.start_char = m.start_char "
            "GROUP BY m.name, m.kind"
        ).fetchall()
        groups = []
        for n, k, s, c, own in rows:
            surfaces = tuple(json.loads(s))
            story = tuple(sorted(set(surfaces) - set(json.loads(own))))
            groups.append(NameGroup(n, k, surfaces, c, story))
        # Bare words were linked inside their stories; across stories only full names,
        # acronyms, places and the user's decisions join (rules.STORY_RULES).
        resolution = resolve(groups, rules, {*disabled, *STORY_RULES})
        resolution = name_entities(conn, resolution, replay.renames)
        resolution = ids.assign(conn, resolution, groups)
        keys: Counter[tuple[str, str]] = Counter()
        for g in groups:
            eid = resolution.entity_of[(g.name, g.kind)]
            for s in {g.name, *g.surfaces}:
                keys[(name_key(s, g.kind), eid)] += g.count
        for e in resolution.entities.values():  # a renamed entity is found by its new name
            keys[(name_key(e.name, e.kind), e.id)] += 0
        conn.execute("DELETE FROM entity_names")
        conn.execute("DELETE FROM entity_keys")
        conn.execute("DELETE FROM entities")
        crash_point("resolve-cleared")
        conn.executemany(
            "INSERT INTO entity_names(name, kind, entity_id) VALUES(?, ?, ?)",
            [(n, k, eid) for (n, k), eid in resolution.entity_of.items()],
        )
        conn.executemany(
            "INSERT INTO entity_keys(key, entity_id, mentions) VALUES(?, ?, ?)",
            [(key, eid, c) for (key, eid), c in keys.items()],
        )
        conn.executemany(
            "INSERT INTO entities(id, name, kind, aliases, keys) VALUES(?, ?, ?, ?, ?)",
            [
                (e.id, e.name, e.kind, json.dumps(e.aliases), json.dumps(e.keys))
                for e in resolution.entities.values()
            ],
        )
        conn.execute(
            "INSERT INTO meta(key, value) SELECT 'resolved_mentions', "
            "coalesce(max(rowid), 0) FROM mentions WHERE true "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )

    def _link_stories(self, apart: Sequence[tuple[str, ...]]) -> None:
        """Give bare short names the full name of their article's story (stories.story_links).

        The links are recomputed on every resolve: the mentions they renamed get their voted
        name back first (kept in story_links), so a new article, a merge or a split can change
        them. The key column keeps the voted key, so the search index never goes stale.
        """
        from .stories import story_links

        conn = self.conn
        conn.executemany(
            "UPDATE mentions SET name = ?, kind = ? WHERE article_id = ? AND start_char = ?",
            conn.execute("SELECT name, kind, article_id, start_char FROM story_links").fetchall(),
        )
        conn.execute("DELETE FROM story_links")
        crash_point("resolve-unlinked")
        self._unlink(apart)
        articles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for aid, name, kind in conn.execute("SELECT article_id, name, kind FROM mentions"):
            articles[aid].append((name, kind))
        links = story_links(articles, apart)
        conn.executemany(
            "INSERT INTO story_links(article_id, start_char, name, kind) "
            "SELECT article_id, start_char, name, kind FROM mentions "
            "WHERE article_id = ? AND name = ? AND kind = ?",
            list(links),
        )
        crash_point("resolve-linking")
        conn.executemany(
            "UPDATE mentions SET name = ?, kind = ? WHERE article_id = ? AND name = ? AND kind = ?",
            [(*target, *source) for source, target in links.items()],
        )

    def _unlink(self, never: Sequence[tuple[str, ...]]) -> None:
        """Undo in-article links a [[never]] rule or a split forbids: a mention written as one
        name but linked to the other gets its own name back (then resolution keeps them apart).
        """
        updates = []
        for names in never:
            keys = {name_key(n, ""): n for n in names}
            for linked_key in keys:
                rows = self.conn.execute(
                    "SELECT article_id, start_char, text, kind FROM mentions WHERE key = ?",
                    (linked_key,),
                )
                for aid, start, text, kind in rows:
                    own = name_key(text, kind)
                    if own != linked_key and own in keys:
                        name = display_form(drop_titles(text, kind))  # "Mr. Quill" is Quill
                        updates.append((name, name_key(name, kind), aid, start))
        self.conn.executemany(
            "UPDATE mentions SET name = ?, key = ? WHERE article_id = ? AND start_char = ?",
            updates,
        )

    def _unlink_surfaces(self, unlink: Sequence[tuple[str, tuple[tuple[str, str], ...]]]) -> None:
        """Splits of a spelling (decisions.Replay.unlink): mentions written so but named as the
        entity it left get the spelling as their name. Kept in story_links like a story link,
        so the next resolve restores the voted name first and an undone split leaves no trace.
        """
        conn = self.conn
        for surface, rest in unlink:
            groups = set(rest)
            rows = [
                (aid, start, name, kind)
                for aid, start, name, kind in conn.execute(
                    "SELECT article_id, start_char, name, kind FROM mentions WHERE text = ?",
                    (surface,),
                )
                if (name, kind) in groups and name != surface
            ]
            conn.executemany(
                "INSERT OR IGNORE INTO story_links(article_id, start_char, name, kind) "
                "VALUES(?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "UPDATE mentions SET name = ? WHERE article_id = ? AND start_char = ?",
                [(surface, aid, start) for aid, start, _, _ in rows],
            )


def _chunks(values: list[str], size: int = LOOKUP_CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]
