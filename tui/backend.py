"""The reader's one way into the Library: a dedicated thread, and the calls the reader makes.

Every Library call runs on one thread: SQLite connections and the Whoosh searcher stay with the
thread that opened them, calls never interleave, and the UI thread never waits. The reader's
reads and writes are methods here, and each is a public Library method.

The library opens without catching up its index (catch_up=False): what an interrupted run left
unindexed is indexed on this thread after the first results are shown, so a large backlog never
delays the first paint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from crosswire.index import (
    Article,
    Citation,
    Decision,
    EntityDetail,
    Library,
    Mention,
    SearchResults,
    StoryDetail,
    StorySummary,
)

from .finder import EntityFinder

T = TypeVar("T")

RESULT_LIMIT = 50


class Backend:
    """One thread owns the Library: every call is submitted to it and awaited."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.notices: list[str] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosswire-lib")
        self._library: Library | None = None
        self._catching_up: Future[None] | None = None
        self._indexed_late = False  # catch_up() indexed something the reader has not shown
        self._opening = self._executor.submit(self._open)
        self._searches = 0  # find() calls so far: a search whose number is not the last stops
        # The story the reader is scoped to (None: the whole library): searches, the source
        # filter, entity lists and an entity's mentions keep to its articles.
        self.story: StoryDetail | None = None

    def _open(self) -> Library:
        self._library = Library(self.directory, on_notice=self.notices.append, catch_up=False)
        return self._library

    def _catch_up_once(self) -> None:
        """Queue the index's catch-up behind the first results (once): they paint first."""
        if self._catching_up is None:
            self._catching_up = self.submit(self._catch_up)
            self._catching_up.add_done_callback(self._report_catch_up)

    def _catch_up(self, library: Library) -> None:
        if library.catch_up():
            self._indexed_late = True

    def _report_catch_up(self, done: Future[None]) -> None:
        """A catch-up that failed (a full disk, say) is a notice, never a lost exception."""
        if (exc := done.exception()) is not None:
            self.notices.append(f"cannot index what an interrupted run left: {exc}")

    def _refresh(self, library: Library) -> bool:
        late, self._indexed_late = self._indexed_late, False
        changed = library.refresh() or late
        if changed and self.story is not None:  # new articles may have joined the story
            self.story = library.story(self.story.id)
        return changed

    def wait_open(self) -> Library:
        """The Library once open; raises what opening it raised (a CrosswireError)."""
        return self._opening.result()

    def _with_library(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self.wait_open(), *args)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """fn(library, *args) queued on the backend thread; calls run in the order submitted."""
        return self._executor.submit(self._with_library, fn, *args)

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(library, *args) on the backend thread, waited for (start-up, before drawing)."""
        return self.submit(fn, *args).result()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(library, *args) on the backend thread, without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(fn, *args))

    def close(self) -> None:
        if self._library is not None:
            self._executor.submit(self._library.close).result()
        self._executor.shutdown(wait=True)

    # -- what the reader asks of the library ------------------------------------------------

    def supersede(self) -> None:
        """A newer search is coming (a keystroke): the one running, if any, stops now."""
        self._searches += 1

    async def find(
        self,
        query: str,
        source: str | None,
        *,
        sort: str = "added",
        limit: int = RESULT_LIMIT,
        offset: int = 0,
    ) -> SearchResults:
        """Search on the backend thread; a newer find() supersedes this one, which then stops
        at its next deadline check (partial) so the thread is free for the newer query."""
        self._searches += 1
        mine = self._searches
        story = self.story.id if self.story else None
        results = await self.call(
            find, query, source, sort, limit, offset, lambda: self._searches != mine, story
        )
        self._catch_up_once()
        return results

    async def article(self, article_id: str) -> tuple[Article | None, list[Mention]]:
        return await self.call(load_article, article_id)

    async def entity(self, name_or_id: str) -> EntityDetail | None:
        detail = await self.call(Library.entity, name_or_id)
        return detail if detail is None or self.story is None else in_story(detail, self.story)

    async def merge(self, a: str, b: str) -> str:
        return await self.call(Library.merge, a, b)

    async def split(self, entity_id: str, name: str) -> str:
        return await self.call(Library.split, entity_id, name)

    async def undo(self, redo: bool = False) -> Decision:
        """Undo the last decision (redo: apply the one undone last again)."""
        return await self.call(Library.redo if redo else Library.undo)

    async def citations(self, ids: list[str]) -> dict[str, Citation]:
        """Outlet, title, date and url of these articles, to cite a passage copied or exported."""
        return await self.call(Library.citations, ids)

    async def texts(self, ids: list[str]) -> dict[str, str]:
        """The stored text of these articles (to quote a mention in its sentence)."""
        return await self.call(Library.texts, ids)

    async def sources(self) -> dict[str, int]:
        if self.story is not None:
            return await self.call(Library.story_sources, self.story.id)
        return await self.call(Library.sources)

    async def stories(self) -> list[StorySummary]:
        return await self.call(Library.stories)

    async def story_detail(self, story_id: str) -> StoryDetail | None:
        return await self.call(Library.story, story_id)

    async def story_of(self, article_id: str) -> str | None:
        return await self.call(Library.story_of, article_id)

    async def move_article(self, article_id: str, story_id: str) -> str:
        """Move an article into another story (a decision, undoable); the story's id."""
        return await self.call(Library.move_article, article_id, story_id)

    async def split_story(self, story_id: str, articles: list[str]) -> str:
        """These articles leave the story for a new one; the new story's id."""
        return await self.call(Library.split_story, story_id, articles)

    async def merge_stories(self, a: str, b: str) -> str:
        """Two stories become one; the id kept (the older)."""
        return await self.call(Library.merge_stories, a, b)

    async def scope(self, story_id: str | None) -> StoryDetail | None:
        """Keep the reader to one story (None: widen to the whole library); returns it, or
        None when widened or the story is gone."""
        self.story = None if story_id is None else await self.story_detail(story_id)
        return self.story

    async def refresh(self) -> bool:
        """True when another process changed the library since the last look, or the
        catch-up indexed articles since."""
        return await self.call(self._refresh)

    async def entity_progress(self) -> tuple[int, int]:
        return await self.call(Library.entity_progress)

    async def entity_finder(self) -> EntityFinder:
        """Every entity, labelled for ranking on the library thread (20,000 labels take a
        while, and the UI thread must not)."""
        story = self.story.id if self.story else None
        return await self.call(lambda library: EntityFinder(library.entities(story=story)))

    def needs_seeds(self) -> bool:
        return self.run(Library.is_new)

    def add_seeds(self) -> None:
        from crosswire.seeds import seed_paths

        self.run(lambda library: library.add(seed_paths(), entities=False))

    def entities_pending(self) -> bool:
        """Articles stored without their entity phase (e.g. a run cut short by quitting), or
        annotated without claims (claims were off, or the library predates them)."""
        return bool(
            self.run(
                lambda library: library.pending_entities(limit=1) or library.pending_claims(limit=1)
            )
        )


# -- calls that run on the backend thread ---------------------------------------------------


def find(
    library: Library,
    query: str,
    source: str | None,
    sort: str = "added",
    limit: int = RESULT_LIMIT,
    offset: int = 0,
    cancelled: Callable[[], bool] | None = None,
    story: str | None = None,
) -> SearchResults:
    """A search's first `limit` hits (by relevance, or newest first when sort is "date"), or
    with no query `limit` articles from `offset` in `sort` order ("added", "date", "source",
    "title"; a story's by date); only the page asked for is read, so browsing costs the same
    on any library. A search stops early once `cancelled()` is true."""
    if query.strip():
        order = "date" if sort == "date" else "relevance"
        return library.search(
            query, limit=limit, source=source, sort=order, cancelled=cancelled, story=story
        )
    return library.browse(source, limit=limit, offset=offset, sort=sort, story=story)


def in_story(detail: EntityDetail, story: StoryDetail) -> EntityDetail:
    """An entity with only its mentions in the story's articles (n and ] travel within it)."""
    ids = set(story.article_ids)
    kept = {
        source: [m for m in mentions if m.article_id in ids]
        for source, mentions in detail.mentions_by_source.items()
    }
    return replace(detail, mentions_by_source={s: ms for s, ms in kept.items() if ms})


def load_article(library: Library, article_id: str) -> tuple[Article | None, list[Mention]]:
    article = library.article(article_id)
    if article is None:
        return None, []
    return article, list(library.mentions(article.id))
