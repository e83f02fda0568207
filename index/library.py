"""Library: the engine's one public door — add, search, read, entities — over one directory.

The directory holds the SQLite record (store.py), the derived Whoosh index (search/) and the
user's alias file. Writers (add, annotate, rebuild) take an exclusive file lock so two `add`
processes never interleave; readers never need it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from .entities import workers as workers_mod
from .entities.record import Entities
from .ingest import inputs as readers
from .model import (
    AddReport,
    Article,
    ArticleSummary,
    CrosswireError,
    EntityDetail,
    EntitySummary,
    Incoming,
    IndexStatus,
    Mention,
    Progress,
    SearchHit,
    SearchResults,
    Skipped,
    unstorable,
)
from .schema import FORMAT_FILE, check_format, stamp_format
from .search import Deadline, IndexDamaged, IndexDoc, SearchIndex, parse_query
from .store import (
    DiskFull,
    Store,
    StoredRow,
    crash_point,
    disk_full,
    is_read_only,
    read_only_error,
)

ProgressFn = Callable[[Progress], None]
NoticeFn = Callable[[str], None]

INDEX_DIR = "whoosh"
ALIAS_FILE = "aliases.toml"
LOCK_FILE = "writer.lock"
ENTITY_LOCK_FILE = "entities.lock"  # held by the one entity phase running (see annotate)
STORE_BATCH = 200
INDEX_COMMIT_EVERY = 2000
ANNOTATE_BATCH = 64
PUBLISH_EVERY = 2.0  # seconds between index commits of a running entity phase
RESOLVE_SHARE = 10  # resolve again after 10× the last resolution's time: ≤ ~10% of the run
_FIELDS = ("text", "ref", "source", "title", "url", "published")


def _unstorable_field(value: object) -> bool:
    return isinstance(value, str) and unstorable(value) is not None


def _ignore(_: object) -> None:
    """Default callback: callers that want progress or notices pass their own."""


def _once(notice: NoticeFn) -> NoticeFn:
    """notice, but only its first call: an entity phase waits per batch and says so once."""
    said = False

    def say(message: str) -> None:
        nonlocal said
        if not said:
            said = True
            notice(message)

    return say


class _Publisher:
    """Makes a running entity phase visible: indexes the articles annotated so far (their
    entity field) and re-resolves entities, on a clock rather than every batch, so neither
    Whoosh commits nor resolution take more than a small share of the run."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.indexed_at = self.resolved_at = time.monotonic()
        self.resolve_cost = 0.0

    def maybe(self) -> None:
        now = time.monotonic()
        if now - self.resolved_at >= max(PUBLISH_EVERY, RESOLVE_SHARE * self.resolve_cost):
            self.library._entities.resolve()
            self.resolved_at = time.monotonic()
            self.resolve_cost = self.resolved_at - now
        if now - self.indexed_at >= PUBLISH_EVERY:
            self.library._sync_index(_ignore)
            self.indexed_at = time.monotonic()


class Library:
    """A crosswire library in one directory. Not bound to any UI: progress and notices go
    through callbacks so the CLI draws a rich progress bar and the reader a widget."""

    def __init__(
        self, directory: Path | str, *, on_notice: NoticeFn = _ignore, catch_up: bool = True
    ) -> None:
        """catch_up=False: leave what an interrupted run left unindexed for catch_up(), so a
        reader paints first and indexes after (the default indexes it before returning)."""
        self.directory = Path(directory).expanduser()
        self.on_notice = on_notice
        _check_directory(self.directory)
        self._deferred: bool | None = None if catch_up else False  # see _catch_up
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CrosswireError(
                f"cannot create library directory {self.directory}: {exc}"
            ) from exc
        _check_directory(self.directory)
        self._held = threading.local()  # writer-lock depth, per thread (see _writing)
        self.read_only = is_read_only(self.directory)
        self.full: DiskFull | None = None  # set when a full disk left the record read-only
        if (self.directory / FORMAT_FILE).exists():
            check_format(self.directory)
            self._open_parts()
        else:
            # Two processes opening one new library at once must not both create it: the
            # first makes it under the writer lock, the second then finds it made.
            with self._writing():
                self._open_parts()
                stamp_format(self.directory)

    def _open_parts(self) -> None:
        self._store = Store(self.directory, read_only=self.read_only)
        if self._store.full:
            self.read_only, self.full = True, self._store.full
            self.on_notice(f"disk full in {self.directory}: opened for reading only")
        # A function, not a connection: the store keeps one connection per thread.
        self._entities = Entities(
            lambda: self._store.conn,
            self.alias_file,
            on_warning=self.on_notice,
        )
        if self.read_only:
            self._open_read_only_index()
            return
        try:
            self._open_index()
            if self._deferred is None:  # catch_up=False: catch_up() repairs, after first paint
                self._catch_up_entities()
        except DiskFull as exc:
            # Reads must work on a full disk: the repairs wait for the next open with room.
            self.on_notice(f"{exc}; reads still work")
            if not hasattr(self, "_index"):
                raise

    def _open_read_only_index(self) -> None:
        """Open the index as it is: nothing can be repaired or rebuilt on read-only media."""
        try:
            self._index = SearchIndex(self.directory / INDEX_DIR)
        except (IndexDamaged, OSError) as exc:
            raise CrosswireError(
                f"the search index in {self.directory / INDEX_DIR} cannot be read ({exc}) and "
                f"the library is read-only, so it cannot be rebuilt; copy the library to a "
                f"writable place and open it there"
            ) from exc
        if unindexed := self._store.unindexed_count():
            self.on_notice(
                f"{unindexed} stored articles are not in the search index and the library is "
                "read-only; search misses them until it is opened writable"
            )

    def _catch_up_entities(self) -> None:
        """Resolve entities an interrupted run left unresolved (mentions stored, names without
        an entity), unless another process is writing or extracting entities: it resolves
        when it is done."""
        if self._entities.resolved():
            return
        with self._writing(wait=False) as got:
            if got and not self._entity_phase_running() and not self._entities.resolved():
                self.on_notice("an interrupted run left entities unresolved; resolving them now")
                self._entities.resolve()

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def alias_file(self) -> Path:
        return self.directory / ALIAS_FILE

    def close(self) -> None:
        """Close the index and this thread's record connection; the library is unusable after."""
        self._index.close()
        self._store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open_index(self) -> None:
        """Open the Whoosh index as self._index, rebuilding it from the record when it is
        missing or broken.

        Each way the index can fall behind the record says so in one line, since the rebuild
        that follows may take a while on a large library. Articles are marked unindexed before
        the index is emptied, so an interruption in between leaves work to do, never an empty
        index the record believes full.
        """
        path = self.directory / INDEX_DIR
        announce = True  # until a notice has said why the index is being (re)built
        try:
            if path.exists():
                index = SearchIndex(path)
            else:
                with self._writing():
                    if self._store.count() and not path.exists():
                        self.on_notice(
                            f"search index missing in {path}; rebuilding it from the record"
                        )
                        announce = False
                        self._store.mark_unindexed()
                    index = SearchIndex(path)
        except IndexDamaged as exc:
            self.on_notice(f"search index damaged ({exc}); rebuilding it from the record")
            announce = False
            with self._writing():
                self._store.mark_unindexed()
                shutil.rmtree(path, ignore_errors=True)
                index = SearchIndex(path)
        self._index = index
        if announce and index.doc_count() < self._store.count() - self._store.unindexed_count():
            # Files lost under a readable index: re-index all (documents replace by id).
            with self._writing(wait=False) as got:
                if got:
                    self.on_notice(
                        f"search index in {path} lacks articles the record holds; "
                        "re-indexing them from the record"
                    )
                    announce = False
                    self._store.mark_unindexed()
        self._catch_up(announce=announce)

    def catch_up(self, on_progress: ProgressFn = _ignore) -> int:
        """Index what a library opened with catch_up=False left for later; returns how many."""
        announce, self._deferred = bool(self._deferred), None
        self._catch_up_entities()
        return self._catch_up(announce=announce, on_progress=on_progress)

    def _catch_up(self, *, announce: bool, on_progress: ProgressFn = _ignore) -> int:
        """Index what the record holds and the index lacks (after a crash or a damaged index).

        Only when no other process is writing or extracting entities: that process will index
        its own articles, and what it has stored but not yet indexed is no interrupted run.
        Deferred to catch_up() when the library was opened with catch_up=False
        (self._deferred then keeps announce).
        """
        if self._deferred is not None:
            self._deferred = self._deferred or announce
            return 0
        if not self._store.unindexed_count():
            return 0
        with self._writing(wait=False) as got:
            running = got and self._entity_phase_running()
            if got and not running and (unindexed := self._store.unindexed_count()):
                if announce:
                    self.on_notice(
                        f"an interrupted run left stored articles unindexed ({unindexed}); "
                        "indexing them now"
                    )
                return self._sync_index(on_progress)
        return 0

    @contextlib.contextmanager
    def _writing(self, on_wait: NoticeFn | None = None, *, wait: bool = True) -> Iterator[bool]:
        """Hold the library's writer lock; yields False when wait=False and it is taken.

        Re-entrant within a thread: flock locks of two open files conflict even within one
        process, so a nested call (opening a new library, then creating its index) must not
        lock again. Another thread of this process waits on the lock like another process.
        """
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield True
            finally:
                self._held.depth = depth
            return
        with self._flock(LOCK_FILE, "writing to", on_wait, wait=wait) as got:
            if not got:
                yield False
                return
            self._held.depth = 1
            try:
                yield True
            finally:
                self._held.depth = 0

    @contextlib.contextmanager
    def _flock(
        self, name: str, doing: str, on_wait: NoticeFn | None, *, wait: bool = True
    ) -> Iterator[bool]:
        """Hold the lock file `name` in the library (yields False when wait=False and another
        process holds it); while waiting, say once that another process is `doing` it.

        The write boundary too: a full disk inside is one line, not a traceback; the
        transaction in flight has rolled back and everything before it is kept.
        """
        if self.read_only:
            raise self.full or read_only_error(self.directory)
        try:
            lock = open(self.directory / name, "a+")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise disk_full(self.directory, exc) or CrosswireError(
                f"cannot write to the library {self.directory}: {exc}"
            ) from exc
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    yield False
                    return
                (on_wait or self.on_notice)(
                    f"another crosswire process is {doing} {self.directory}; waiting for it"
                )
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield True
            except (OSError, sqlite3.OperationalError) as exc:
                full = disk_full(self.directory, exc)
                if full is None:
                    raise
                raise full from exc
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _entity_phase_running(self) -> bool:
        """True while another process (or thread) runs an entity phase: what it has stored
        but not yet indexed or resolved is work in progress, not an interrupted run's."""
        if self.read_only:
            return False
        with self._flock(ENTITY_LOCK_FILE, "extracting entities in", None, wait=False) as got:
            return not got

    # -- adding -------------------------------------------------------------------------------

    def is_new(self) -> bool:
        """True until the library has been filled once (by the user's inputs or the seeds)."""
        return self._store.get_meta("filled") is None and self._store.count() == 0

    def add(
        self,
        paths: Sequence[str | Path],
        *,
        stdin: TextIO | None = None,
        entities: bool = True,
        on_progress: ProgressFn = _ignore,
        on_skip: Callable[[Skipped], None] = _ignore,
        on_wait: NoticeFn | None = None,
    ) -> AddReport:
        """Add inputs in two phases: text first (searchable at once), then entities; returns
        what was added, found present and skipped (each skip also goes to on_skip).

        Articles are stored in batches, each its own transaction, so an interruption loses at
        most the batch in flight; the index follows the record and catches up on next open.
        The text phase holds the writer lock throughout, the entity phase per batch (see
        annotate). Raises ReadOnly or DiskFull when the library cannot be written.
        """
        report = AddReport()
        with self._writing(on_wait):
            self._store.set_meta("filled", "1")
            total = readers.estimate_total(paths)
            items = readers.read_inputs(paths, stdin)
            self._store_and_index(items, report, total, on_progress, on_skip)
        if entities:
            report.annotated = self._annotate(on_progress, on_wait)
        return report

    def _store_and_index(
        self,
        items: Iterator[Incoming | Skipped],
        report: AddReport,
        total: int | None,
        on_progress: ProgressFn,
        on_skip: Callable[[Skipped], None],
    ) -> None:
        seen = 0

        def stored_rows() -> Iterator[list[StoredRow]]:
            nonlocal seen
            batch: list[Incoming] = []
            for item in items:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    on_skip(item)
                    continue
                batch.append(item)
                seen += 1
                if len(batch) >= STORE_BATCH:
                    yield self._insert(batch, report, on_skip)
                    on_progress(Progress("text", seen, total))
                    batch = []
            if batch:
                yield self._insert(batch, report, on_skip)
            on_progress(Progress("text", seen, total))

        self._index_rows(row for rows in stored_rows() for row in rows)
        # Anything left unindexed by an earlier interrupted run is picked up here too.
        self._sync_index(_ignore)

    def _insert(
        self, batch: list[Incoming], report: AddReport, on_skip: Callable[[Skipped], None]
    ) -> list[StoredRow]:
        """Store a batch; an article that cannot be stored is skipped alone, never the batch.

        Text with a lone surrogate is refused before the transaction. Any other error one
        article raises (a failed batch is rolled back whole) is found by storing that batch one
        article at a time. sqlite3.OperationalError (disk full, I/O) is the record's, not an
        article's, and stops the add.
        """

        def skip(item: Incoming, reason: str) -> None:
            skipped = Skipped(item.ref, reason)
            report.skipped.append(skipped)
            on_skip(skipped)

        good = []
        for item in batch:
            bad = next((f for f in _FIELDS if _unstorable_field(getattr(item, f))), "")
            if bad:
                skip(item, f"{bad} holds a lone surrogate, which is not valid Unicode; not stored")
            else:
                good.append(item)
        try:
            added, present = self._store.insert(good)
        except sqlite3.OperationalError:
            raise
        except Exception:  # narrowed to the one article below, then reported
            added, present = [], 0
            for item in good:
                try:
                    rows, was = self._store.insert([item])
                except sqlite3.OperationalError:
                    raise
                except Exception as exc:  # this article's skip
                    skip(item, f"cannot be stored: {type(exc).__name__}: {exc}")
                    continue
                added += rows
                present += was
        report.added += len(added)
        report.present += present
        crash_point("stored")  # committed to the record, not yet to the index
        return added

    def _index_rows(self, rows: Iterator[StoredRow]) -> int:
        """Write rows to the index, marking each batch indexed only after Whoosh committed it."""
        pending: list[tuple[int, int]] = []

        def docs() -> Iterator[IndexDoc]:
            for row in rows:
                sources = row.sources or (row.source,)
                pending.append((row.seq, len(sources)))
                yield IndexDoc(
                    id=row.id,
                    ref=row.ref,
                    source=row.source,
                    title=row.title,
                    text=row.text,
                    published=row.published,
                    entities=self._entities.keys_for_article(row.id),
                    sources=sources,
                )

        committed = 0

        def on_batch(done: int) -> None:
            nonlocal committed
            self._store.mark_indexed(pending[committed:done])
            committed = done

        return self._index.write(docs(), batch_size=INDEX_COMMIT_EVERY, on_batch=on_batch)

    def _sync_index(self, on_progress: ProgressFn) -> int:
        total = self._store.unindexed_count()
        done = 0
        for rows in self._store.unindexed(batch_size=INDEX_COMMIT_EVERY):
            done += self._index_rows(iter(rows))
            on_progress(Progress("index", done, total))
        return done

    # -- entities -----------------------------------------------------------------------------

    def annotate(
        self,
        on_progress: ProgressFn = _ignore,
        on_wait: NoticeFn | None = None,
        *,
        workers: int | None = None,
        ray: str | None = None,
    ) -> int:
        """Run the entity phase for every article that lacks it (resumable).

        NER runs in `workers` local processes (default: every core when the articles are
        worth it; 1 is in-process), or on Ray when `ray` is an address or "local"; this
        process alone writes the library either way. Returns how many articles it annotated.

        One entity phase runs at a time (a lock of its own); the writer lock is held only
        for each batch's store and index publish and for the final resolve, so another
        writer (a merge in the reader) waits at most about one batch, not the whole run.
        Raises ReadOnly or DiskFull when the library cannot be written.
        """
        if ray is not None:
            from .entities.cluster import require_ray  # says how to install Ray, before any work

            require_ray()
        return self._annotate(on_progress, on_wait, workers=workers, ray=ray)

    def _annotate(
        self,
        on_progress: ProgressFn,
        on_wait: NoticeFn | None = None,
        *,
        workers: int | None = None,
        ray: str | None = None,
    ) -> int:
        """Annotate in batches, each stored in its own transaction, in the order they were
        pending (so the result is the same however NER is spread out); the entity field is
        indexed, and entities resolved, as batches complete, so `entity:` finds what is done
        while the rest runs and a kill leaves little for the next open to re-index."""
        wait_once = _once(on_wait or self.on_notice)
        with self._flock(ENTITY_LOCK_FILE, "extracting entities in", wait_once):
            pending = self._entities.pending()
            if not pending:
                return 0
            return self._annotate_pending(pending, on_progress, wait_once, workers, ray)

    def _annotate_pending(
        self,
        pending: list[str],
        on_progress: ProgressFn,
        on_wait: NoticeFn,
        workers: int | None,
        ray: str | None,
    ) -> int:
        batches = [pending[i : i + ANNOTATE_BATCH] for i in range(0, len(pending), ANNOTATE_BATCH)]
        prepared = (self._entities.prepare(ids) for ids in batches)
        jobs = ((batch, [batch.texts[aid] for aid in batch.missing]) for batch in prepared)
        done = 0
        on_progress(Progress("entities", 0, len(pending)))
        publish = _Publisher(self)
        with contextlib.closing(self._ner_map(len(pending), workers, ray)(jobs)) as results:
            for batch, fresh in results:
                with self._writing(on_wait):
                    # Stale first: a kill between the two leaves a re-index to do, never an
                    # index entry without the entities the record holds.
                    self._store.mark_unindexed(batch.texts)
                    self._entities.store(batch, fresh)
                    publish.maybe()
                done += len(batch.texts)
                on_progress(Progress("entities", done, len(pending)))
        with self._writing(on_wait):
            self._entities.resolve()
            self._sync_index(_ignore)
        return done

    @staticmethod
    def _ner_map(pending: int, workers: int | None, ray: str | None) -> workers_mod.NerMap:
        if ray is not None:
            # Ray only when asked for: it is an optional extra.
            from .entities.cluster import ray_map

            return ray_map(ray, workers)
        count = workers_mod.default_workers(pending) if workers is None else max(1, workers)
        return workers_mod.pool(count) if count > 1 else workers_mod.in_process

    def entity_progress(self) -> tuple[int, int]:
        """(articles with entities extracted, articles stored): the reader's progress line."""
        return self._entities.annotated_count(), self._store.count()

    def pending_entities(self, limit: int | None = None) -> list[str]:
        """Ids of stored articles still without their entity phase, in the order they were
        added (the first `limit` of them): what `annotate` would work on next."""
        return self._entities.pending(limit=limit)

    def resolve(self, on_wait: NoticeFn | None = None) -> None:
        """Re-run cross-source resolution with the current alias file and decisions (no NER).

        Merge, split and resolve hold the writer lock (waiting, and saying so, while another
        process writes) and are each one transaction, so a kill leaves no half-made state.
        Raises ReadOnly or DiskFull when the library cannot be written.
        """
        with self._writing(on_wait):
            self._entities.resolve()

    def merge(self, a: str, b: str, on_wait: NoticeFn | None = None) -> str:
        """Merge entity b into entity a (each a name or an id), kept as a decision that later
        resolutions replay; returns the merged entity's id. Raises CrosswireError when either
        is unknown or ambiguous, ReadOnly or DiskFull when the library cannot be written."""
        with self._writing(on_wait):
            return self._entities.merge(a, b)

    def split(self, entity: str, name: str, on_wait: NoticeFn | None = None) -> str:
        """Split the alias `name` out of `entity` into an entity of its own, kept as a decision;
        returns the new entity's id. Raises CrosswireError when the entity or the name is not
        found, ReadOnly or DiskFull when the library cannot be written."""
        with self._writing(on_wait):
            return self._entities.split(entity, name)

    def entity(self, name_or_id: str) -> EntityDetail | None:
        """One entity (by id, alias or unique prefix) with its aliases and its mentions in
        context per source, or None when nothing matches."""
        return self._entities.entity(name_or_id)

    def entities(self, kind: str | None = None, source: str | None = None) -> list[EntitySummary]:
        """Every resolved entity, most mentioned first; only one kind (ENTITY_KINDS) or only
        those a source mentions when given."""
        return self._entities.entities(kind=kind, source=source)

    def mentions(self, article_id: str | None = None) -> Iterator[Mention]:
        """The mentions of one article (all articles when None), in text order, each with the
        entity it was resolved to."""
        return self._entities.mentions(article_id)

    # -- reading ------------------------------------------------------------------------------

    def rebuild(self, on_progress: ProgressFn = _ignore) -> int:
        """Rebuild the Whoosh index from the record (entity annotations are kept, not redone)."""
        with self._writing():
            self._store.mark_unindexed()  # first: an interruption then leaves work, not a hole
            self._index.clear()
            return self._sync_index(on_progress)

    def refresh(self) -> bool:
        """Pick up another process's commits; True when the library changed since last asked."""
        if not self._store.changed_elsewhere():
            return False
        self._index.refresh()
        return True

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        sort: str = "relevance",
        source: str | None = None,
        time_limit: float | None = None,
    ) -> SearchResults:
        """The first `limit` hits of a query (sort "relevance", "newest" or "oldest"), only
        under `source` when given, with the total, the per-source counts and entity hints.

        The search keeps to `time_limit` seconds (the index's default when None); one cut
        short says so (`partial`, a lower-bound total). The entity hints share its deadline
        (none once it has passed). Raises QueryError for a query that cannot be run.
        """
        deadline = Deadline(self._index.time_limit if time_limit is None else time_limit)
        parsed = parse_query(query)
        results = self._index.search(
            parsed,
            fetch_text=self._store.texts,
            limit=limit,
            sort=sort,
            source=source,
            expand_entity=self._entities.expand,
            deadline=deadline,
        )
        # A name is a few words: hints for the first 16 only, and only while there is time.
        words = parsed.free_words()[:16]
        hints = self._entities.hints(words) if words and not deadline.expired() else []
        return dataclasses.replace(results, entity_hints=hints) if hints else results

    def browse(
        self, source: str | None = None, *, limit: int = 50, offset: int = 0
    ) -> SearchResults:
        """What an empty query shows: articles in the order they were added (from `offset`,
        at most `limit`), as hits without a score or snippet, with the total and per-source
        counts of a search. Only the page asked for is read, so it costs the same on any
        library."""
        hits = [
            SearchHit(
                id=r.id,
                ref=r.ref,
                source=r.source,
                title=r.title,
                published=r.published,
                score=0.0,
                snippet="",
            )
            for r in self.articles(source, limit, offset)
        ]
        return SearchResults(
            query="", total=self._store.count(source), hits=hits, source_counts=self.sources()
        )

    def article(self, id_or_ref: str) -> Article | None:
        """One article by its id, a unique id prefix or any ref a source gave it; None when
        nothing matches."""
        aid = self._store.resolve_id(id_or_ref)
        return self._store.article(aid) if aid else None

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored text of each of these article ids (ids not stored are left out)."""
        return self._store.texts(ids)

    def articles(
        self, source: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[ArticleSummary]:
        """Articles in the order they were added (`limit` of them from `offset`; all when
        limit is None), under any of their sources."""
        return self._store.summaries(source, limit, offset)

    def article_count(self, source: str | None = None) -> int:
        """Articles stored, or carried by one source."""
        return self._store.count(source)

    def sources(self) -> dict[str, int]:
        """Articles per source, most first, an article counted under every outlet that
        carried it."""
        return self._store.source_counts()

    def index_status(self) -> IndexStatus:
        """How far the search index has followed the record (see IndexStatus)."""
        return IndexStatus(
            articles=self._store.count(),
            documents=self._index.doc_count(),
            unindexed=self._store.unindexed_count(),
        )

    def __len__(self) -> int:
        """Articles stored."""
        return self._store.count()


def _check_directory(directory: Path) -> None:
    """Say what is wrong with a library path that is not a usable directory, instead of the
    "[Errno 17] File exists" mkdir would give for a file, a device or a dangling symlink."""
    if directory.is_symlink() and not directory.exists():
        raise CrosswireError(
            f"library directory {directory} is a symlink to {os.readlink(directory)}, which "
            f"does not exist"
        )
    try:
        mode = directory.stat().st_mode
    except FileNotFoundError:
        return  # a new library: created next
    except OSError as exc:
        raise CrosswireError(f"cannot reach library directory {directory}: {exc}") from exc
    if stat.S_ISDIR(mode):
        if not os.access(directory, os.R_OK | os.X_OK):
            raise CrosswireError(f"cannot read library directory {directory}: permission denied")
        return
    what = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a file"
    )
    raise CrosswireError(
        f"library path {directory} is {what}, not a directory: name a directory (a new one "
        f"is created)"
    )


def default_directory() -> Path:
    """Where the library lives: CROSSWIRE_LIBRARY, else the platform's user data dir."""
    env = os.environ.get("CROSSWIRE_LIBRARY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("crosswire", appauthor=False) / "library"
