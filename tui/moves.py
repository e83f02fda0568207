"""The reader's moves that are not travel along an entity: n/N from search hit to search hit,
the history of opened articles (ctrl+o back, alt+→ forward), and widening or narrowing panes.

A mixin of ReaderScreen, kept apart so the screen stays the flows between panes; the choices
themselves are pure functions in `hits`, `history` and `layout`.
"""

from __future__ import annotations

from textual.screen import Screen

from .history import Place
from .hits import next_hit, next_result
from .layout import NARROW
from .panes import ArticlePane, EntityPane, SearchPane
from .state import Navigation


class Moves(Screen[None]):
    """Hits and history for ReaderScreen; it provides open_article, _open_and_wait, _front
    and _update_status."""

    nav: Navigation
    search: SearchPane
    reading: ArticlePane
    entity_pane: EntityPane

    def here(self) -> Place | None:
        """Where the reader is in the open article, for the history."""
        article = self.nav.article
        if article is None:
            return None
        view = self.reading.view
        cursor = view.cursor_mention
        place = view.place_of(cursor.start) if cursor else None
        top, height = int(view.scroll_y), view.scrollable_content_region.height
        on_screen = place is not None and top <= place[0] < top + height
        # A cursor scrolled out of sight is not where the reader was: the view is.
        return Place(article.id, view.top_offset(), cursor.start if cursor and on_screen else None)

    def land(self, place: Place | None, hit: int | None, flash: bool) -> None:
        """After an article is shown (and its own scroll reset): at a remembered place, or
        on a search hit (the first, unless n/N asked for one; -1 is the last)."""
        view = self.reading.view
        article = self.nav.article
        hits = self.nav.hits_for(article.id) if article else []

        def go() -> None:
            if place is not None:
                view.scroll_to_top_offset(place.top)
                if place.cursor is not None:
                    view.focus_mention_at(place.cursor)
            elif hits:
                index = (0 if hit is None else hit) % len(hits)
                self.nav.hit_index = index
                self._show_hit(index, flash)

        view.call_after_refresh(go)  # the view's queue: after its own scroll to the top

    def _show_hit(self, index: int, flash: bool) -> None:
        start, end = self.nav.hits_for(self.nav.article.id)[index] if self.nav.article else (0, 0)
        view = self.reading.view
        view.scroll_to_offset(start)
        if flash:
            view.flash(start, end)
        self._update_status()

    async def step_hit(self, forward: bool) -> None:
        """n/N with no entity pane open: the next search hit here, then the next result's."""
        nav = self.nav
        if not nav.results.query.strip():
            self.notify("n/N: search first, or open a name's entity (enter) to walk its mentions")
            return
        article = nav.article
        hits = nav.hits_for(article.id) if article else []
        index = next_hit(hits, nav.hit_index, self.reading.view.top_offset(), forward)
        if index is not None:
            nav.hit_index = index
            self._show_hit(index, flash=True)
            if self.app.size.width < NARROW:
                self._front("article")
            return
        result = next_result(nav.results.hits, article.id if article else None, forward)
        if result is None:
            self.notify(f"no {'more' if forward else 'earlier'} search hits")
            return
        await self._open_and_wait(nav.results.hits[result].id, hit=0 if forward else -1)

    def action_history(self, forward: bool) -> None:
        """ctrl+o / backspace: back to the article read before, where it was left; alt+→:
        forward again."""
        place = self.nav.history.step(self.here(), forward)
        if place is None:
            self.notify(f"nothing further {'forward' if forward else 'back'} in the history")
            return
        self.open_article(place.article_id, focus=True, place=place)
