"""The Library's story methods, kept in their own module so library.py stays the door it is.

Library inherits StoryMethods; these use its record (`_store`), its StoryBook (`_stories`)
and its writer lock (`_writing`), so a story decision waits for another writer like a merge
does, and each one is a single transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from . import story_queries
from .entities import decisions
from .model import CrosswireError, Decision, EntitySummary, Mention, SearchResults, browse_hit
from .story_log import STORY_ACTIONS
from .story_model import StoryDetail, StorySummary
from .storybook import StoryBook

if TYPE_CHECKING:
    from .entities.record import Entities
    from .store import Store

NoticeFn = Callable[[str], None]


class StoryMethods:
    """Stories: list, read, scope, and the user's move/split/merge decisions."""

    _store: Store
    _stories: StoryBook
    _entities: Entities
    read_only: bool

    if TYPE_CHECKING:  # Library's own, declared here for the type checker only

        def _writing(
            self, on_wait: NoticeFn | None = None, *, wait: bool = True
        ) -> AbstractContextManager[bool]: ...

        def _entity_phase_running(self) -> bool: ...

    # -- grouping ---------------------------------------------------------------------------

    def _group_stories(self, *, wait: bool = True) -> int:
        """Group the articles whose entity phase is done and that are in no story yet (an
        interrupted run's, an older crosswire's); with wait=False only when no other process
        writes or extracts entities (it groups its own when done)."""
        if self.read_only or not self._stories.ungrouped_count():
            return 0
        if not self._entities.resolved():  # group on resolved ids only: wait for resolve
            return 0
        with self._writing(wait=wait) as got:
            if got and (wait or not self._entity_phase_running()):
                return self._stories.group_pending()
        return 0

    # -- reading ----------------------------------------------------------------------------

    def stories(self) -> list[StorySummary]:
        """Every story, the most recent first, with its label, counts and date range."""
        return story_queries.summaries(self._stories.grouper())

    def story(self, story_id: str) -> StoryDetail | None:
        """One story (a merged-away id finds the story it went into) with its articles,
        sources with dates and coverage matrix; None when there is no such story."""
        from .stories import GroupingError

        try:
            story = self._stories.grouper().story(story_id.strip())
        except GroupingError:
            return None
        return story_queries.detail(self._store.conn, story)

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article is in; None while it is in none (its entity phase
        is not done yet) or when the article is unknown."""
        return self._stories.grouper().story_of(article_id)

    def story_articles(self, story_id: str) -> list[str]:
        """The ids of a story's articles. Raises CrosswireError for an unknown story."""
        from .stories import GroupingError

        try:
            return list(self._stories.grouper().story(story_id.strip()).articles)
        except GroupingError:
            raise CrosswireError(f"no story {story_id!r}; `crosswire stories` lists them") from None

    def story_sources(self, story_id: str) -> dict[str, int]:
        """Articles per source within a story, most first (as Library.sources does)."""
        outlets = story_queries.sources_of(self._store.conn, self.story_articles(story_id))
        counts = Counter(name for names in outlets.values() for name in names)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _browse_story(
        self, story_id: str, source: str | None, limit: int, offset: int
    ) -> SearchResults:
        """Library.browse within a story: its articles oldest first (undated last), a page of
        them, the story's total and per-source counts."""
        detail = self.story(story_id)
        if detail is None:
            raise CrosswireError(f"no story {story_id!r}; `crosswire stories` lists them")
        outlets = story_queries.sources_of(self._store.conn, detail.article_ids)
        rows = [a for a in detail.articles if source is None or source in outlets.get(a.id, ())]
        hits = [browse_hit(a) for a in rows[max(0, offset) : max(0, offset) + limit]]
        counts = {s.name: s.articles for s in detail.sources}
        return SearchResults(query="", total=len(rows), hits=hits, source_counts=counts)

    def _story_entities(
        self, story_id: str, kind: str | None, source: str | None
    ) -> list[EntitySummary]:
        ids = self.story_articles(story_id)
        return story_queries.entities(self._store.conn, ids, kind, source)

    def _story_mentions(self, story_id: str) -> Iterator[Mention]:
        return story_queries.mentions(self._store.conn, self.story_articles(story_id))

    # -- the user's decisions -----------------------------------------------------------------

    def move_article(self, article: str, story_id: str, on_wait: NoticeFn | None = None) -> str:
        """Move an article (id, id prefix or ref) into another story, kept as a decision no
        later grouping undoes; returns the story's id. Raises CrosswireError when either is
        unknown, ReadOnly or DiskFull when the library cannot be written."""
        aid = self._article_in_story(article)
        with self._writing(on_wait):
            return self._stories.move(aid, story_id.strip())

    def split_story(
        self, story_id: str, articles: Sequence[str], on_wait: NoticeFn | None = None
    ) -> str:
        """Take these articles out of a story into a new one (the old id stays with the rest);
        returns the new story's id. Raises CrosswireError for an unknown story or article,
        one not in the story, or a split that would leave the story empty."""
        ids = [self._article_in_story(a) for a in articles]
        with self._writing(on_wait):
            return self._stories.split(story_id.strip(), ids)

    def merge_stories(self, a: str, b: str, on_wait: NoticeFn | None = None) -> str:
        """Make two stories one: the older id stays and the other finds it. Returns the id."""
        with self._writing(on_wait):
            return self._stories.merge(a.strip(), b.strip())

    def _flip_decision(self, seq: int | None, *, undo: bool) -> Decision:
        """Undo (or redo) decision seq, the last by default, whichever log it acts on: a
        story decision here, an entity decision through the entity record. The caller holds
        the writer lock."""
        conn = self._store.conn
        found, action, args = decisions.find(conn, seq, "active" if undo else "undone")
        if action not in STORY_ACTIONS:
            return self._entities.undo(found) if undo else self._entities.redo(found)
        try:
            decisions.set_state(conn, [found], "undone" if undo else "active")
            self._stories.flip(action, args, undo)  # commits the state change with it
        except BaseException:
            conn.rollback()
            raise
        return decisions.get(conn, found)

    def _article_in_story(self, article: str) -> str:
        aid = self._store.resolve_id(article.strip())
        if aid is None:
            raise CrosswireError(f"no article with id or ref {article!r}")
        if self._stories.grouper().story_of(aid) is None:
            raise CrosswireError(
                f"article {article!r} is in no story yet: its entity phase is not done "
                "(`crosswire annotate`)"
            )
        return aid
