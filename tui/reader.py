"""The reader's one screen: the search, article and entity panes side by side (or one at a
time when narrow), and the flows between them — search, open, follow an entity, travel from
source to source, merge and split.

The panes render and post typed messages; this screen decides what they mean, asks the
Backend (never the Library directly) and keeps where the reader is in one `Navigation`.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from crosswire.index.model import Article, CrosswireError, EntityDetail, Mention
from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import WorkerCancelled

from . import compare, facts, stories, story_edits, travel
from .article_view import ArticleView
from .backend import Backend
from .bindings import READER_BINDINGS
from .edits import ask_merge, ask_split, undo_decision
from .export import ExportActions
from .finder import EntityFinder
from .history import Place
from .layout import MEDIUM, NARROW, Shares, pane_widths
from .messages import report_failures
from .moves import Moves
from .palette import binding_commands
from .panes import ArticlePane, EntityPane, SearchPane
from .safe import one_line
from .state import Navigation
from .widgets import MentionList, QueryInput, ResultsList, StatusLine

PANES = ("search", "article", "entity")
# The reader's keys that letters typed into the search box would be: not offered there.
NOT_IN_THE_BOX = frozenset(
    {
        *("focus_search", "mention", "source", "entity", "merge", "split", "history"),
        *("resize_pane", "compare", "facts", "stories", "widen", "export", "copy_passage"),
        *("open_url", "move_to_story"),
    }
)


class ReaderScreen(ExportActions, Moves):
    """Search across sources, read an article, follow an entity from outlet to outlet."""

    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS

    pane: reactive[str] = reactive("search", bindings=True)  # in front when narrow
    entity_open: reactive[bool] = reactive(False)  # the entity pane shows until escape

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.nav = Navigation()
        self._finder: EntityFinder | None = None
        self._shown_before: list[str] = []  # the entity open before each edit: undo shows it
        self.search = SearchPane(backend, id="search-pane")
        self.reading = ArticlePane(id="article-pane")
        self.entity_pane = EntityPane(id="entity-pane")
        self.status = StatusLine(id="status")
        self.scope = ""  # the story the reader keeps to, for the status line (stories.py)
        self.shares = Shares()  # the pane widths; the app sets the user's saved ones

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes", classes="-pane-search"):
            yield self.search
            yield self.reading
            yield self.entity_pane
        yield self.status
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.search.box.focus()
        self.search.search_now()

    on_worker_state_changed = report_failures

    # -- layout ---------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        """Which panes show (CSS classes) and how wide the side panes are (layout.py)."""
        panes = self.query_one("#panes")
        panes.set_class(width < NARROW, "-narrow")
        panes.set_class(NARROW <= width < MEDIUM, "-medium")
        widths = pane_widths(width, self.shares, self.entity_open)
        self.search.styles.width = widths.get("search", "1fr")
        self.entity_pane.styles.width = widths.get("entity", "1fr")

    def action_resize_pane(self, steps: int) -> None:
        """>/<: widen or narrow the pane in focus; the app saves the widths in config.toml."""
        width = self.app.size.width
        if width < NARROW:
            self.notify("one pane at a time at this width: nothing to widen")
            return
        chain = self.focused.ancestors_with_self if self.focused else []
        pane = next((p for p, w in self._pane_widgets().items() if w in chain), "article")
        self.shares.widen(pane, steps, entity_beside_search=width >= MEDIUM or not self.entity_open)
        self._layout(width)
        save = getattr(self.app, "save_settings", None)
        if save is not None:
            save()

    def _pane_widgets(self) -> dict[str, Widget]:
        return {"search": self.search, "article": self.reading, "entity": self.entity_pane}

    def watch_pane(self, pane: str) -> None:
        panes = self.query_one("#panes")
        for name in PANES:
            panes.set_class(name == pane, f"-pane-{name}")

    def watch_entity_open(self, entity_open: bool) -> None:
        self.query_one("#panes").set_class(entity_open, "-entity-open")
        self._layout(self.app.size.width)

    def show_pane(self, pane: str) -> None:
        """Which pane is in front: all of them side by side when wide, one at a time when
        narrow. The entity pane, once opened, stays until escape closes it."""
        self.pane = pane
        if pane == "entity":
            self.entity_open = True

    def _front(self, pane: str) -> None:
        """Bring a pane to the front and focus what one reads or moves through in it."""
        self.show_pane(pane)
        widget = {
            "search": self.search.results,
            "article": self.reading.view,
            "entity": self.entity_pane.mentions,
        }[pane]
        self.call_after_refresh(widget.focus)

    def restyle(self) -> None:
        """The theme changed: re-style what is on screen."""
        self.reading.restyle()
        self.search.results.show(self.nav.results, keep_place=True)
        if self.nav.entity is not None:
            self.entity_pane.mentions.show(self.nav.entity)

    # -- search ---------------------------------------------------------------------------------

    @on(SearchPane.ResultsShown)
    def results_shown(self, event: SearchPane.ResultsShown) -> None:
        if event.results.query.strip() != self.nav.results.query.strip():
            # A new search: n/N mean its hits now, not an entity followed before it.
            self.nav.forget_entity()
            self.nav.hit_index = None
            self.entity_open = False
        self.nav.results = event.results
        self._update_status()

    def set_source(self, source: str | None) -> None:
        """Filter results to one source (from the palette's "Go to source…")."""
        self.search.set_source(source)

    @on(ResultsList.SuggestionChosen)
    def suggestion_chosen(self, event: ResultsList.SuggestionChosen) -> None:
        self.search.box.value = event.suggestion
        self.search.box.focus()

    @on(ResultsList.HintChosen)
    def hint_chosen(self, event: ResultsList.HintChosen) -> None:
        self.open_entity(event.hint.entity_id)

    @on(ResultsList.ArticleChosen)
    def result_chosen(self, event: ResultsList.ArticleChosen) -> None:
        self.open_article(event.article_id, focus=True)

    @on(ResultsList.ArticleHighlighted)
    def result_highlighted(self, event: ResultsList.ArticleHighlighted) -> None:
        """Moving through the results previews each article when there is room for both."""
        article = self.nav.article
        if self.app.size.width >= NARROW and (article is None or article.id != event.article_id):
            self.open_article(event.article_id, record=False)

    # -- article and entity -----------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="article")
    async def open_article(
        self,
        article_id: str,
        *,
        focus: bool = False,
        at: int | None = None,
        hit: int | None = None,
        place: Place | None = None,
        record: bool = True,
    ) -> None:
        """Load an article (and its mentions) and show it: at a mention if `at` is given, at
        a remembered `place` (the history), else at a search hit (the first unless `hit`
        says which). Opening records it in the history, a preview (`record` off) does not."""
        article, mentions = await self.backend.article(article_id)
        if article is None:
            self.nav.history.forget(article_id)
            self.notify(f"article {article_id} is gone from the library", severity="warning")
            return
        if place is None:
            if record:
                self.nav.history.visit(self.here(), article.id)
            else:
                self.nav.history.remember(self.here())
        if self.nav.article is None or self.nav.article.id != article.id:
            self.nav.hit_index = None
        self._show_article(article, mentions)
        if at is not None:
            view = self.reading.view
            view.call_after_refresh(view.focus_mention_at, at, True)  # after its scroll reset
        else:
            self.land(place, hit, flash=hit is not None)
        if focus or self.app.size.width < NARROW:
            self._front("article")
        self._update_status()

    def _show_article(self, article: Article, mentions: list[Mention]) -> None:
        self.nav.article = article
        self.reading.show(article, mentions, self.nav.hits_for(article.id))
        self.search.results.select_article(article.id)

    @on(ArticleView.MentionChosen)
    def mention_chosen(self, event: ArticleView.MentionChosen) -> None:
        if event.mention.entity_id:
            self.open_entity(event.mention.entity_id, at=event.mention)
        else:
            self.notify("this name is not linked to an entity yet", markup=False)

    @on(ArticleView.CursorMoved)
    def cursor_moved(self) -> None:
        self._update_status()

    @work(exclusive=True, exit_on_error=False, group="entity")
    async def open_entity(self, name_or_id: str, at: Mention | None = None) -> None:
        """Show one entity in the entity pane; `at` is the mention the reader came from."""
        detail = await self.backend.entity(name_or_id)
        if detail is None:
            self.notify(f"no entity {one_line(name_or_id)!r}", severity="warning", markup=False)
            return
        self._set_entity(detail)
        if at is not None:
            self.nav.stop_index = self.nav.stop_at(None, at.article_id, at.start)
            self.entity_pane.mentions.highlight_mention(at.article_id, at.start)
        self._front("entity")
        self._update_status()

    def _set_entity(self, detail: EntityDetail) -> None:
        self.nav.show_entity(detail)
        self.entity_pane.show(detail)

    @on(MentionList.MentionChosen)
    def mention_picked(self, event: MentionList.MentionChosen) -> None:
        mention = event.mention
        self.nav.stop_index = self.nav.stop_at(mention.source, mention.article_id, mention.start)
        self.open_article(mention.article_id, at=mention.start)

    def action_entity(self) -> None:
        """Open the entity of the mention under the article cursor."""
        mention = self.reading.view.cursor_mention
        if mention is not None and mention.entity_id:
            self.open_entity(mention.entity_id, at=mention)
        elif self.nav.entity is not None:
            self._front("entity")

    def _update_status(self) -> None:
        where = self.nav.position(tour=self.entity_open)
        self.status.set(position=" · ".join(p for p in (self.scope, where) if p))

    # -- travel ---------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="travel")
    async def action_mention(self, forward: bool) -> None:
        """n/N: with the entity pane open, the next mention of its entity, into the next
        source's article when this one has no more; otherwise the next search hit."""
        view = self.reading.view
        if not self.entity_open or self.nav.entity is None:
            await self.step_hit(forward)
            return
        cursor = view.cursor_mention
        article_id = self.nav.article.id if self.nav.article else None
        offset = cursor.start if cursor else (-1 if forward else 1 << 62)
        index = travel.step(self.nav.stops, article_id, offset, forward, self.nav.stop_index)
        if index is not None:
            await self._go_to_stop(index)

    async def _go_to_stop(self, index: int) -> None:
        stop = self.nav.stops[index]
        self.nav.stop_index = index
        self.entity_pane.mentions.highlight_mention(stop.article_id, stop.start)
        if self.nav.article is not None and self.nav.article.id == stop.article_id:
            self.reading.view.focus_mention_at(stop.start, flash=True)
            if self.app.size.width < NARROW:
                self._front("article")
            self._update_status()
        else:
            await self._open_and_wait(stop.article_id, at=stop.start)

    @work(exclusive=True, exit_on_error=False, group="travel")
    async def action_source(self, forward: bool) -> None:
        """]/[: an article from another source — among the entity's sources when its pane is
        open, else among the current results."""
        nav = self.nav
        if self.entity_open and nav.stops:
            sources = travel.sources_of(nav.stops)
            i = travel.next_source(sources, nav.tour_source(), forward)
            if i is None:
                self.notify("the entity is mentioned in this source only")
                return
            index = travel.first_stop_in(nav.stops, sources[i])
            if index is not None:
                await self._go_to_stop(index)
            return
        article_id = nav.article.id if nav.article else None
        i = travel.next_result_from_other_source(nav.results.hits, article_id, forward)
        if i is None:
            self.notify("no result from another source")
            return
        await self._open_and_wait(nav.results.hits[i].id)

    async def go_to_stop(self, index: int) -> None:
        """Land on one stop of the entity's tour (a coverage cell's first mention)."""
        await self._go_to_stop(index)

    async def _open_and_wait(
        self, article_id: str, at: int | None = None, hit: int | None = None
    ) -> None:
        """Open an article and wait for it; a newer open (j in the results) replacing this one
        is the user moving on, not a failed trip."""
        with contextlib.suppress(WorkerCancelled):
            await self.open_article(article_id, at=at, hit=hit).wait()

    # -- compare the sources (tui/compare.py, tui/facts.py) ---------------------------------------

    @work(exclusive=True, exit_on_error=False, group="compare")
    async def action_compare(self) -> None:
        """c: the current search as what each source says, passages by source."""
        await compare.show_compare(self)

    @work(exclusive=True, exit_on_error=False, group="compare")
    async def action_facts(self) -> None:
        """f: claims with numbers grouped across sources, disputed first."""
        await facts.show_facts(self)

    @work(exclusive=True, exit_on_error=False, group="compare")
    async def open_place(self, place: compare.Place | None) -> None:
        """The passage or claim chosen in the compare view or the facts panel, in its article."""
        await compare.open_place(self, place)

    # -- merge and split --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NOT_IN_THE_BOX and isinstance(self.focused, QueryInput):
            return False  # letters are the query there; the footer offers the box's own keys
        return self.can_run(action, parameters)

    def palette_actions(self) -> list[SystemCommand]:
        """The screen's keys as palette commands (palette.py), run where the reader is."""
        keymap = getattr(self.app, "keymap", {})
        return binding_commands(self, self.BINDINGS, keymap, self.can_run)

    def can_run(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Whether an action makes sense now, whatever has focus (the palette asks too)."""
        if action in ("merge", "split"):
            return self.nav.entity is not None and self.pane == "entity"
        if action == "move_to_story":
            return self.nav.article is not None
        return True

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_merge(self) -> None:
        """Merge the open entity with another one the user picks, after a confirmation."""
        entity = self.nav.entity
        if entity is None:
            return
        other = await ask_merge(self.app, entity, await self.entity_finder())
        if other is None:
            return
        try:
            merged = await self.backend.merge(entity.id, other.id)
            self._shown_before.append(entity.id)
        except CrosswireError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.notify(f"merged {one_line(other.name)} into {one_line(entity.name)}", markup=False)
        await self._entities_changed(merged)

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_split(self) -> None:
        """Split one of the open entity's other names off it, after a confirmation."""
        entity = self.nav.entity
        if entity is None:
            return
        name = await ask_split(self.app, entity)
        if name is None:
            return
        try:
            await self.backend.split(entity.id, name)
            self._shown_before.append(entity.id)
        except CrosswireError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.notify(f"{one_line(name)} is now an entity of its own", markup=False)
        await self._entities_changed(entity.id, fallback=entity.name)

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_undo(self) -> None:
        """Undo the last decision (merge, split, rename, alias-file change)."""
        done = await undo_decision(self.app, self.backend, redo=False)
        if stories.is_story_decision(done):  # the entities stand; the open story may not
            await stories.refresh_scope(self)
            return
        shown_before = self._shown_before.pop() if self._shown_before else ""
        await self._decision_flipped(done is not None, shown_before)

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_redo(self) -> None:
        """Apply the decision undone last again."""
        entity = self.nav.entity
        done = await undo_decision(self.app, self.backend, redo=True)
        if stories.is_story_decision(done):
            await stories.refresh_scope(self)
        elif done is not None:
            if entity is not None:
                self._shown_before.append(entity.id)
            await self._decision_flipped(True)

    async def _decision_flipped(self, done: bool, shown_before: str = "") -> None:
        entity = self.nav.entity
        if not done:
            return
        if entity is not None:  # its id may now redirect (a merge redone): the survivor shows
            await self._entities_changed(shown_before or entity.id, fallback=entity.name)
        else:
            self._finder = None
            await self._reload_article()
            self._update_status()

    async def _entities_changed(self, entity_id: str, fallback: str = "") -> None:
        """After a merge or split: re-read the entity, the article's mentions and the results."""
        self._finder = None
        detail = await self.backend.entity(entity_id)
        if detail is None and fallback:
            detail = await self.backend.entity(fallback)
        if detail is not None:
            self._set_entity(detail)
        await self._reload_article()
        self._update_status()

    async def _reload_article(self) -> None:
        if self.nav.article is None:
            return
        view = self.reading.view
        cursor = view.cursor_mention
        article, mentions = await self.backend.article(self.nav.article.id)
        if article is not None:
            self._show_article(article, mentions)
            if cursor is not None:
                view.focus_mention_at(cursor.start)

    async def entity_finder(self) -> EntityFinder:
        """Every entity, ready to rank by name; kept until the entities change."""
        if self._finder is None:
            self._finder = await self.backend.entity_finder()
        return self._finder

    async def library_changed(self) -> None:
        """Another process added articles or entities: re-read what is on screen."""
        self._finder = None
        self.search.search_again()
        await self._reload_article()
        entity = self.nav.entity
        if entity is not None:
            detail = await self.backend.entity(entity.id)
            if detail is not None:
                index = self.nav.stop_index
                self._set_entity(detail)
                if index is not None and index < len(self.nav.stops):
                    self.nav.stop_index = index
        self._update_status()

    # -- stories (tui/stories.py, tui/coverage.py) --------------------------------------------

    async def action_stories(self) -> None:
        """s: the open story's overview, else the story list."""
        await stories.open_stories(self)

    async def action_widen(self) -> None:
        """w: read the whole library again, not only the open story."""
        if self.backend.story is not None:
            await stories.scope_reader(self, None)

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_move_to_story(self) -> None:
        """M: move the open article to another story the user picks (undoable)."""
        article = self.nav.article
        if article is None:
            return
        title = article.title or article.ref
        if await story_edits.move_article(self.app, self.backend, article.id, title):
            await stories.refresh_scope(self)

    def scope_changed(self, scope: str) -> None:
        """The reader now keeps to another story (or none): list and count within it."""
        self.scope = scope
        self._finder = None
        self.search.set_source(None)
        self._update_status()

    # -- keys -----------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """/: to the search box with its text selected, so typing replaces the query."""
        if self.app.size.width < MEDIUM:
            self.entity_open = False
        self.show_pane("search")
        box = self.search.box

        def focus() -> None:
            box.focus()
            box.select_all()

        self.call_after_refresh(focus)

    def action_step_back(self) -> None:
        """escape: entity pane → article → results → search box."""
        focused = self.focused
        in_entity = focused is not None and self.entity_pane in focused.ancestors
        if in_entity or self.pane == "entity":
            self.entity_open = False
            if self.nav.article is not None:
                self._front("article")
            else:
                self.action_focus_search()
                self.call_after_refresh(self.search.results.focus)
        elif isinstance(focused, ArticleView) or self.pane == "article":
            self._front("search")
        elif isinstance(focused, ResultsList):
            self.search.box.focus()
