"""Library: the engine's one public door — add, search, read, entities — over one directory.

The directory holds the SQLite record (store.py), the derived Whoosh index (search/) and the
user's alias file. Writers (add, annotate, rebuild) take an exclusive file lock so two `add`
processes never interleave; readers never need it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

# The entity phase (worker pools, multiprocessing) and the input readers are imported where
# used: a CLI search or the reader's first paint needs neither (see _entity_phase, _readers).
from . import ingesting, locking, opening
from .entities.record import Entities
from .model import (
    AddReport,
    Article,
    ArticleSummary,
    Citation,
    CrosswireError,
    Decision,
    EntityChoice,
    EntityDetail,
    EntitySummary,
    IndexStatus,
    Mention,
    Progress,
    SearchResults,
    Skipped,
    browse_hit,
)
from .schema import FORMAT_FILE, FORMAT_VERSION, check_format, stamp_format
from .search import Deadline, parse_query
from .store import DiskFull, Store, is_read_only, read_only_error
from .story_library import StoryMethods
from .storybook import StoryBook

if TYPE_CHECKING:  # claims and facts are imported where used: a search needs neither
    from .claims import ClaimGroup
    from .facts import Comparison

ProgressFn = Callable[[Progress], None]
NoticeFn = Callable[[str], None]

INDEX_DIR = "whoosh"
ALIAS_FILE = "aliases.toml"
LOCK_FILE = "writer.lock"
ENTITY_LOCK_FILE = "entities.lock"  # held by the one entity phase running (see annotate)
# Read at each run (tests and benchmarks set them here), passed to annotating.
ANNOTATE_BATCH = 64
SEGMENTS_NOTICE = 16  # after an add that leaves more index segments, suggest optimize
PUBLISH_EVERY = 2.0  # seconds between index commits of a running entity phase
PROGRESS_NOTICE_EVERY = 5.0  # seconds between the notices of an index rebuilt on open


def _every(seconds: float, notice: NoticeFn) -> ProgressFn:
    """A progress callback that says "indexing N of M articles" at most every `seconds`
    (and at the end, once it has said anything): a rebuild on open of a large library runs
    for minutes before any command can answer, and must not look hung."""
    last = [time.monotonic()]
    said = [False]

    def report(progress: Progress) -> None:
        now = time.monotonic()
        finished = progress.total is not None and progress.done >= progress.total
        # A quick rebuild says nothing more; a long one also says when it is done.
        if (finished and said[0]) or now - last[0] >= seconds:
            last[0], said[0] = now, True
            total = f" of {progress.total:,}" if progress.total is not None else ""
            notice(f"indexing {progress.done:,}{total} articles")

    return report


def _ignore(_: object) -> None:
    """Default callback: callers that want progress or notices pass their own."""


class Library(StoryMethods):
    """A crosswire library in one directory. Not bound to any UI: progress and notices go
    through callbacks so the CLI draws a rich progress bar and the reader a widget."""

    def __init__(
        self, directory: Path | str, *, on_notice: NoticeFn = _ignore, catch_up: bool = True
    ) -> None:
        """catch_up=False: leave what an interrupted run left unindexed for catch_up(), so a
        reader paints first and indexes after (the default indexes it before returning)."""
        self.directory = Path(directory).expanduser()
        self.on_notice = on_notice
        locking.check_directory(self.directory)
        self._deferred: bool | None = None if catch_up else False  # see _catch_up
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CrosswireError(
                f"cannot create library directory {self.directory}: {exc}"
            ) from exc
        locking.check_directory(self.directory)
        self._held = locking.Reentrant()  # writer-lock depth, per thread (see _writing)
        self.read_only = is_read_only(self.directory)
        self.full: DiskFull | None = None  # set when a full disk left the record read-only
        if (self.directory / FORMAT_FILE).exists():
            version = check_format(self.directory)
            self._open_parts()
            if version < FORMAT_VERSION and not self.read_only:
                # opening upgraded it (rebuilt an older index, migrated the decisions):
                # older crosswires now refuse it
                stamp_format(self.directory)
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
        self._stories = StoryBook(lambda: self._store.conn)
        if self.read_only:
            path = self.directory / INDEX_DIR
            self._index = opening.open_read_only_index(path, self._store, self.on_notice)
            return
        try:
            self._open_index()
            if self._deferred is None:  # catch_up=False: catch_up() repairs, after first paint
                self._catch_up_entities()
                self._group_stories(wait=False)
        except DiskFull as exc:
            # Reads must work on a full disk: the repairs wait for the next open with room.
            self.on_notice(f"{exc}; reads still work")
            if not hasattr(self, "_index"):
                raise

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
        """Open (or rebuild) the index as self._index, then index what the record holds
        and it lacks; self._index is set before the repairs, so a full disk leaves reads."""
        path = self.directory / INDEX_DIR
        self._index, announce = opening.open_index(path, self._store, self._writing, self.on_notice)
        if announce and opening.reindex_lost(
            path, self._index, self._store, self._writing, self.on_notice
        ):
            announce = False
        self._catch_up(announce=announce)

    def catch_up(self, on_progress: ProgressFn = _ignore) -> int:
        """Index what a library opened with catch_up=False left for later; returns how many."""
        announce, self._deferred = bool(self._deferred), None
        self._catch_up_entities()
        self._group_stories(wait=False)
        return self._catch_up(announce=announce, on_progress=on_progress)

    def pending(self) -> list[str]:
        """What an interrupted run left for catch_up() in a library opened with catch_up=False,
        in words ("1,204 articles unindexed", "entities unresolved"); empty when there is
        nothing, or when another process is at work on it. Cheap: counts, no repair, so a
        command that only reads can answer at once and say what its answer leaves out."""
        if self.read_only or self._deferred is None or self._entity_phase_running():
            return []
        left = []
        if unindexed := self._store.unindexed_count():
            left.append(f"{unindexed:,} {'article' if unindexed == 1 else 'articles'} unindexed")
        if not self._entities.resolved():
            left.append("entities unresolved")
        elif ungrouped := self._stories.ungrouped_count():
            left.append(f"{ungrouped:,} {'article' if ungrouped == 1 else 'articles'} in no story")
        return left

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
                if on_progress is _ignore:  # on open: say how far it is, every few seconds
                    on_progress = _every(PROGRESS_NOTICE_EVERY, self.on_notice)
                return self._sync_index(on_progress)
        return 0

    @contextlib.contextmanager
    def _writing(self, on_wait: NoticeFn | None = None, *, wait: bool = True) -> Iterator[bool]:
        """Hold the library's writer lock; yields False when wait=False and it is taken.

        Re-entrant within a thread: flock locks of two open files conflict even within one
        process, so a nested call (opening a new library, then creating its index) must not
        lock again. Another thread of this process waits on the lock like another process.
        """
        with self._held.hold(
            lambda: self._flock(LOCK_FILE, "writing to", on_wait, wait=wait)
        ) as got:
            yield got

    def _flock(
        self, name: str, doing: str, on_wait: NoticeFn | None, *, wait: bool = True
    ) -> AbstractContextManager[bool]:
        """Hold the lock file `name` in the library (see locking.flock); while waiting, say
        once that another process is `doing` it. Refused at once when read-only."""
        if self.read_only:
            raise self.full or read_only_error(self.directory)

        def say_waiting() -> None:
            (on_wait or self.on_notice)(
                f"another crosswire process is {doing} {self.directory}; waiting for it"
            )

        return locking.flock(self.directory, name, say_waiting, wait=wait)

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
        claims: bool = True,
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
            from .ingest import inputs as readers

            total = readers.estimate_total(paths)
            items = readers.read_inputs(paths, stdin)
            ingesting.store_and_index(
                self._store, self._index, self._entities, items, report, total, on_progress, on_skip
            )
            self._suggest_optimize()
        if entities:
            report.annotated = self._annotate(on_progress, on_wait, claims=claims)
        return report

    def _sync_index(self, on_progress: ProgressFn) -> int:
        return ingesting.sync_index(self._store, self._index, self._entities, on_progress)

    # -- entities -----------------------------------------------------------------------------

    def annotate(
        self,
        on_progress: ProgressFn = _ignore,
        on_wait: NoticeFn | None = None,
        *,
        workers: int | None = None,
        ray: str | None = None,
        claims: bool = True,
    ) -> int:
        """Run the entity phase for every article that lacks it (resumable).

        With claims (the default) quantity claims are stored with each batch, and articles
        annotated without them (claims=False, or a library from before claims) get theirs
        from the cached NER spans, without NER.

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
        return self._annotate(on_progress, on_wait, workers=workers, ray=ray, claims=claims)

    def _annotate(
        self,
        on_progress: ProgressFn,
        on_wait: NoticeFn | None = None,
        *,
        workers: int | None = None,
        ray: str | None = None,
        claims: bool = True,
    ) -> int:
        """Annotate in batches, each stored in its own transaction, in the order they were
        pending (so the result is the same however NER is spread out); the entity field is
        indexed, and entities resolved, as batches complete, so `entity:` finds what is done
        while the rest runs and a kill leaves little for the next open to re-index."""
        from . import annotating, claims_store

        wait_once = annotating.once(on_wait or self.on_notice)
        with self._flock(ENTITY_LOCK_FILE, "extracting entities in", wait_once):
            self._entities.claims = claims
            pending = self._entities.pending()
            if claims:
                claims_store.catch_up(
                    lambda: self._store.conn, self._store.texts, lambda: self._writing(wait_once)
                )
            done = 0
            if pending:
                done = annotating.annotate_pending(
                    self._store,
                    self._entities,
                    pending,
                    workers=workers,
                    ray=ray,
                    batch_size=ANNOTATE_BATCH,
                    publish_every=PUBLISH_EVERY,
                    writing=lambda: self._writing(wait_once),
                    sync_index=lambda: self._sync_index(_ignore),
                    on_progress=on_progress,
                )
            # Entities resolved: the articles whose entity phase is done join their stories.
            self._group_stories(wait=True)
        self._suggest_optimize()
        return done

    def entity_progress(self) -> tuple[int, int]:
        """(articles with entities extracted, articles stored): the reader's progress line."""
        return self._entities.annotated_count(), self._store.count()

    def pending_entities(self, limit: int | None = None) -> list[str]:
        """Ids of stored articles still without their entity phase, in the order they were
        added (the first `limit` of them): what `annotate` would work on next."""
        return self._entities.pending(limit=limit)

    def pending_claims(self, limit: int | None = None) -> list[str]:
        """Ids of annotated articles whose claims were never extracted (claims were off, or
        the library predates them): the next `annotate` extracts them without NER."""
        from . import claims_store

        return claims_store.pending(self._store.conn, limit)

    def facts(self, story: str | None = None) -> list[ClaimGroup]:
        """Quantity claims grouped across sources (of one story when `story` names it, else of
        the whole library), disputed groups first; each value with its article, source and
        offsets. Raises CrosswireError for an unknown story."""
        from . import facts as facts_mod

        within = None if story is None else self.story_articles(story)
        return facts_mod.facts(self._store.conn, within)

    def compare(
        self, query: str, story: str | None = None, *, time_limit: float | None = None
    ) -> Comparison:
        """What each source says about a query: its matching sentences, with the hits, numbers
        and entities marked, sources in the order they were added (within one story when
        `story` names it); sources that never match are listed as missing. Raises QueryError
        for a query that cannot be run, CrosswireError for an unknown story."""
        from . import facts as facts_mod

        within = None if story is None else self.story_articles(story)
        results = self.search(
            query, limit=facts_mod.COMPARE_LIMIT, time_limit=time_limit, story=story
        )
        return facts_mod.compare(
            self._store.conn, query, results, self._store.texts, self.mentions, within
        )

    def resolve(self, on_wait: NoticeFn | None = None) -> None:
        """Re-run cross-source resolution with the current alias file and decisions (no NER).

        Merge, split and resolve hold the writer lock (waiting, and saying so, while another
        process writes) and are each one transaction, so a kill leaves no half-made state.
        Raises ReadOnly or DiskFull when the library cannot be written.
        """
        with self._writing(on_wait):
            self._entities.resolve()

    def merge(
        self, a: str, b: str, on_wait: NoticeFn | None = None, pick: Collection[str] = ()
    ) -> str:
        """Merge entities a and b (each an id, or a name only one entity holds: pick holds ids
        that settle an ambiguous name), kept in the decision log that later resolutions
        replay; returns the merged entity's id, the older one. Raises AmbiguousName, or
        CrosswireError when either is unknown; ReadOnly or DiskFull when it cannot write."""
        with self._writing(on_wait):
            return self._entities.merge(a, b, pick)

    def split(
        self, entity: str, name: str, on_wait: NoticeFn | None = None, pick: Collection[str] = ()
    ) -> str:
        """Split `name` (any name or spelling of the entity) off `entity` into an entity of its
        own, kept in the decision log; returns the id now holding it. Raises as merge does."""
        with self._writing(on_wait):
            return self._entities.split(entity, name, pick)

    def rename(
        self, entity: str, name: str, on_wait: NoticeFn | None = None, pick: Collection[str] = ()
    ) -> str:
        """Give the entity a display name by hand (a decision, undoable); returns its id."""
        with self._writing(on_wait):
            return self._entities.rename(entity, name, pick)

    def decisions(self) -> list[Decision]:
        """The decision log (merge, split, rename, alias-file changes applied, story moves,
        splits and merges), oldest first."""
        return self._entities.decisions()

    def undo(self, seq: int | None = None, on_wait: NoticeFn | None = None) -> Decision:
        """Revert decision seq (the last active one by default): resolution forgets it."""
        with self._writing(on_wait):
            return self._flip_decision(seq, undo=True)

    def redo(self, seq: int | None = None, on_wait: NoticeFn | None = None) -> Decision:
        """Apply an undone decision again (the one undone last by default)."""
        with self._writing(on_wait):
            return self._flip_decision(seq, undo=False)

    def entity_choices(self, name_or_id: str) -> list[EntityChoice]:
        """The entities a name or id may mean, most mentioned first (one unless ambiguous)."""
        return self._entities.choices(name_or_id)

    def entity(self, name_or_id: str) -> EntityDetail | None:
        """One entity (by id, alias or unique prefix) with its aliases and its mentions in
        context per source, or None when nothing matches."""
        return self._entities.entity(name_or_id)

    def entities(
        self, kind: str | None = None, source: str | None = None, story: str | None = None
    ) -> list[EntitySummary]:
        """Every resolved entity, most mentioned first; only one kind (ENTITY_KINDS) or only
        those a source mentions when given; counted within a story's articles with `story`."""
        if story is not None:
            return self._story_entities(story, kind, source)
        return self._entities.entities(kind=kind, source=source)

    def mentions(
        self, article_id: str | None = None, story: str | None = None
    ) -> Iterator[Mention]:
        """The mentions of one article (all articles when None, a story's with `story`), in
        text order, each with the entity it was resolved to."""
        if story is not None and article_id is None:
            return self._story_mentions(story)
        return self._entities.mentions(article_id)

    # -- reading ------------------------------------------------------------------------------

    def rebuild(self, on_progress: ProgressFn = _ignore) -> int:
        """Rebuild the Whoosh index from the record (entity annotations are kept, not redone)."""
        with self._writing():
            self._store.mark_unindexed()  # first: an interruption then leaves work, not a hole
            self._index.clear()
            return self._sync_index(on_progress)

    def optimize(self, on_progress: ProgressFn = _ignore, on_wait: NoticeFn | None = None) -> int:
        """Merge the search index's small segments (up to ~10k articles a segment), a bounded
        step a commit, for faster searches after large adds (which never merge big segments
        themselves); resumable: a kill loses the step in flight, running it again finishes.
        Returns the steps taken."""
        with self._writing(on_wait):
            return self._index.optimize(
                lambda done, total: on_progress(Progress("merge", done, total))
            )

    def _suggest_optimize(self) -> None:
        if (segments := self._index.segment_count()) > SEGMENTS_NOTICE:
            self.on_notice(
                f"the search index is in {segments} segments (writes never merge large ones); "
                "`crosswire optimize` merges them for faster searches"
            )

    def index_segments(self) -> int:
        """How many segments the search index is in (`optimize` merges small ones)."""
        return self._index.segment_count()

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
        cancelled: Callable[[], bool] | None = None,
        story: str | None = None,
    ) -> SearchResults:
        """The first `limit` hits of a query (sort "relevance", "newest" or "oldest"), only
        under `source` when given, with the total, the per-source counts and entity hints;
        only within a story's articles (counts included) when `story` is given.

        The search keeps to `time_limit` seconds (the index's default when None), and stops
        as soon as `cancelled()` is true (a newer query superseded it); one cut short says so
        (`partial`, a lower-bound total). The entity hints share its deadline (none once it
        has passed). Raises QueryError for a query that cannot be run.
        """
        limit_s = self._index.time_limit if time_limit is None else time_limit
        deadline = Deadline(limit_s, cancelled)
        parsed = parse_query(query)
        results = self._index.search(
            parsed,
            fetch_text=self._store.texts,
            limit=limit,
            sort=sort,
            source=source,
            expand_entity=self._entities.expand,
            deadline=deadline,
            within=None if story is None else self.story_articles(story),
        )
        # A name is a few words: hints for the first 16 only, and only while there is time.
        words = parsed.free_words()[:16]
        hints = self._entities.hints(words) if words and not deadline.expired() else []
        return dataclasses.replace(results, entity_hints=hints) if hints else results

    def browse(
        self,
        source: str | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        sort: str = "added",
        story: str | None = None,
    ) -> SearchResults:
        """What an empty query shows: articles in `sort` order ("added", "date", "source" or
        "title"; from `offset`, at most `limit`), as hits without a score or snippet, with the
        total and per-source counts of a search. Only the page asked for is read, so it costs
        the same on any library. Within a story (`story`): its articles by date, the story's
        counts."""
        if story is not None:
            return self._browse_story(story, source, limit, offset)
        hits = [browse_hit(r) for r in self.articles(source, limit, offset, sort=sort)]
        return SearchResults(
            query="", total=self._store.count(source), hits=hits, source_counts=self.sources()
        )

    def article(self, id_or_ref: str) -> Article | None:
        """One article by its id, a unique id prefix or any ref a source gave it; None when
        nothing matches."""
        aid = self._store.resolve_id(id_or_ref)
        return self._store.article(aid) if aid else None

    def citations(self, ids: Sequence[str]) -> dict[str, Citation]:
        """Outlet, title, date and url of each of these article ids, to cite what is quoted
        from them (ids not stored are left out)."""
        return self._store.citations(list(dict.fromkeys(ids)))

    def texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored text of each of these article ids (ids not stored are left out)."""
        return self._store.texts(ids)

    def articles(
        self,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        *,
        sort: str = "added",
    ) -> list[ArticleSummary]:
        """Articles in `sort` order (the order added; "date" newest first, "source", "title"),
        `limit` of them from `offset` (all when limit is None), under any of their sources.
        Raises CrosswireError for an unknown sort."""
        try:
            return self._store.summaries(source, limit, offset, sort)
        except ValueError as exc:
            raise CrosswireError(str(exc)) from exc

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


def default_directory() -> Path:
    """Where the library lives: CROSSWIRE_LIBRARY, else the platform's user data dir."""
    env = os.environ.get("CROSSWIRE_LIBRARY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("crosswire", appauthor=False) / "library"
