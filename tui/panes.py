"""The reader's three panes. Each owns its widgets and its head (the lines above its list or
text) and renders what it is given; what the user does in it reaches the screen as the typed
messages its lists post. Only the search pane asks the Backend anything: it runs its own
searches as the user types.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.index.entities.naming import fold_variants, with_variants
from crosswire.index.model import Article, EntityDetail, Mention, QueryError, SearchResults
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Select, Static

from .article_view import ArticleView, article_head
from .backend import RESULT_LIMIT, Backend
from .highlight import Span
from .messages import report_failures
from .safe import PARTIAL, counted, one_line
from .state import no_results
from .widgets import Legend, MentionList, QueryInput, ResultsList, more_of, sort_label

SEARCH_DELAY = 0.2
MAX_NAMES = 12  # other names shown in the entity pane's head


class SearchPane(Vertical):
    """The search box, the source filter, the count line and the results.

    It runs its own searches (as you type, on the backend thread, stale answers dropped) and
    tells the screen what it shows with ResultsShown; choosing a result is ResultsList's
    messages.
    """

    @dataclass
    class ResultsShown(Message):
        """New results are listed (a search came in, or the library changed)."""

        results: SearchResults

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.source: str | None = None  # the source filter; None is all sources
        self.sort = "added"  # browse order ("added", "date", "source", "title"); see S
        self.limit = RESULT_LIMIT  # results asked for; grows as the user reads past the end
        self.shown = no_results()
        self._source_counts: dict[str, int] = {}
        self._open_when_found = False  # enter was pressed before its search came in
        self.box = QueryInput(placeholder="search…  (/ comes back here)", id="query")
        self.results = ResultsList(id="results")

    def compose(self) -> ComposeResult:
        yield self.box
        yield Select[str]([], prompt="all sources", allow_blank=True, id="source", compact=True)
        yield Static(id="count")
        yield self.results

    on_worker_state_changed = report_failures

    @property
    def source_counts(self) -> dict[str, int]:
        """Articles per source as the filter lists them."""
        return dict(self._source_counts)

    def on_query_input_results_requested(self, event: QueryInput.ResultsRequested) -> None:
        """down or escape in the box; escape leaves it even for an empty list, so `?`, `n`
        and the rest are keys again rather than letters of the query."""
        if self.results.option_count or event.leave:
            self.results.focus()

    @on(Input.Changed, "#query")
    def query_changed(self) -> None:
        self.search_now()

    @on(Select.Changed, "#source")
    def source_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value != self.source:
            self.source = value
            self.search_now()
        # A source picked: the next keys (↓, ⏎) are for its results, not the dropdown.
        self.call_after_refresh(self.results.focus)

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        """enter in the search box opens the highlighted result, once the search is in."""
        if self.shown.query.strip() != event.value.strip():
            self._open_when_found = True
            self.run_search(event.value, self.source, delay=0)
            return
        self.results.open_highlighted()

    def set_source(self, source: str | None) -> None:
        """Filter results to one source chosen elsewhere (the palette's "Go to source…")."""
        self.source = source
        select = self.query_one("#source", Select)
        if source is None:
            select.clear()
        elif source in self._source_counts:
            select.value = source
        self.search_now()

    def search_now(self) -> None:
        """Search for what the user typed or chose; enter pressed for an earlier query (whose
        search this one replaces) no longer opens anything."""
        self._open_when_found = False
        self.limit = RESULT_LIMIT
        self.run_search(self.box.value, self.source)

    def on_results_list_sort_wanted(self, event: ResultsList.SortWanted) -> None:
        """S in the results: the next order, from the top again."""
        self.sort, self.limit = event.sort, RESULT_LIMIT
        self.run_search(self.box.value, self.source, delay=0)

    @work(exclusive=True, exit_on_error=False, group="search")
    async def on_results_list_more_wanted(self) -> None:
        """The reader went past the last result: the next page, added below (browsing reads
        only that page; a search asks for more hits, as Whoosh counts from the top)."""
        query, source, shown = self.box.value, self.source, self.shown
        if len(shown.hits) >= shown.total:
            return
        if query.strip():
            self.limit = len(shown.hits) + RESULT_LIMIT
            page = await self.backend.find(query, source, sort=self.sort, limit=self.limit)
        else:
            page = await self.backend.find(
                "", source, sort=self.sort, limit=RESULT_LIMIT, offset=len(shown.hits)
            )
            page = more_of(shown, page)
            self.limit = len(page.hits)
        if self._current(query, source) and self.shown is shown:
            self.show_results(page)

    def search_again(self) -> None:
        """The library changed: the same search, at once, keeping the reader's place."""
        self.run_search(self.box.value, self.source, delay=0)

    @work(exclusive=True, exit_on_error=False, group="search")
    async def run_search(self, query: str, source: str | None, delay: float = SEARCH_DELAY) -> None:
        """Wait a beat, search on the backend thread, and drop the answer if the query moved
        on meanwhile (exclusive: a newer keystroke cancels this worker, and the search it
        started stops on the backend thread, so a slow query never holds up the next)."""
        self.backend.supersede()
        if query.strip():
            await asyncio.sleep(delay)
        try:
            results = await self.backend.find(query, source, sort=self.sort, limit=self.limit)
        except QueryError as exc:
            if self._current(query, source):
                self._open_when_found = False
                self.show_error(str(exc))
            return
        if self._current(query, source):
            self.show_results(results)

    def _current(self, query: str, source: str | None) -> bool:
        return self.box.value == query and self.source == source

    def show_error(self, message: str) -> None:
        count = self.query_one("#count", Static)
        count.set_class(True, "-error")
        count.update(Text(one_line(message)))

    def show_results(self, results: SearchResults) -> None:
        """The count line, the list (the same query keeps the highlighted article), the
        filter; then the screen hears of it, and enter pressed meanwhile opens the top one."""
        keep_place = results.query == self.shown.query
        self.shown = results
        count = self.query_one("#count", Static)
        count.set_class(False, "-error")
        shown = len(results.hits)
        what = "article" if not results.query else "match"
        line = ("at least " if results.partial else "") + counted(results.total, what)
        if shown < results.total:
            line += f", first {shown} shown"
        line += sort_label(self.sort, bool(results.query))
        if results.partial:
            line += f" ({PARTIAL})"
        count.update(Text(line))
        self.results.show(results, keep_place=keep_place)
        self._update_sources(results.source_counts)
        self.post_message(self.ResultsShown(results))
        if self._open_when_found:
            self._open_when_found = False
            self.results.open_highlighted()

    def _update_sources(self, counts: dict[str, int]) -> None:
        """Refill the source filter with counts (only when they changed: refilling resets it).

        The chosen source stays listed, at 0 when the query has no match there or it falls
        outside the facet cap: set_options would otherwise blank the dropdown ("all sources")
        while the results stay filtered by it."""
        counts = dict(counts)
        if self.source is not None:
            counts.setdefault(self.source, 0)
        if counts == self._source_counts:
            return
        self._source_counts = counts
        select = self.query_one("#source", Select)
        options = [(Text(f"{one_line(s)} ({n})"), s) for s, n in sorted(counts.items())]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if self.source in counts:
                select.value = self.source


class ArticlePane(Vertical):
    """The open article: its head (title, sources, date, length), its text and the legend."""

    def compose(self) -> ComposeResult:
        yield Static(Text("no article open", style="dim"), id="article-head")
        yield ArticleView(id="article")
        yield Legend(id="legend")

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        self.restyle()

    def show(self, article: Article, mentions: Sequence[Mention], hits: Sequence[Span]) -> None:
        self.query_one("#article-head", Static).update(article_head(article))
        self.view.show(article, mentions, hits)

    def restyle(self) -> None:
        """Entity and hit colours are theme variables: re-style the text and the legend."""
        self.view.restyle()
        self.query_one(Legend).update(self.view.legend())


class EntityPane(Vertical):
    """One entity: its name and kind, its other names and why they were joined, and its
    mentions source by source."""

    def compose(self) -> ComposeResult:
        yield Static(id="entity-head")
        yield MentionList(id="mentions")

    @property
    def mentions(self) -> MentionList:
        return self.query_one(MentionList)

    def show(self, detail: EntityDetail) -> None:
        self.query_one("#entity-head", Static).update(entity_head(detail))
        self.mentions.show(detail)


def entity_head(detail: EntityDetail) -> Text:
    """ "Mustafa al-Kadhimi  PERSON / also: … / rule: names / 40 mentions in 5 sources"."""
    # Spellings that differ only in case and punctuation are one entry: "al-Kadhimi (also
    # Al-Kadhimi)"; the display name's own variants follow it.
    commonest = sorted(detail.aliases, key=lambda a: -a.mentions)  # the commonest spelling leads
    (name, own), *entries = fold_variants([detail.name, *(a.name for a in commonest)])
    head = Text(one_line(with_variants(name, own)), style="bold")
    head.append(f"  {detail.kind}", style="italic")
    others = [a for a in detail.aliases if a.name != detail.name]
    if entries:
        listed = [with_variants(n, v) for n, v in entries]
        head.append("\nalso: ")
        head.append(one_line(", ".join(listed[:MAX_NAMES])), style="bold")
        if len(listed) > MAX_NAMES:
            head.append(f" and {len(listed) - MAX_NAMES} more")
    if others:
        why: dict[str, list[str]] = {}
        for alias in others:
            why.setdefault(one_line(alias.rule), []).append(one_line(alias.name))
        for rule, names in why.items():
            listed = ", ".join(names[:MAX_NAMES]) + (" …" if len(names) > MAX_NAMES else "")
            head.append(f"\n  {rule}: {listed}", style="dim")
    head.append(
        f"\n{counted(detail.mention_count, 'mention')} in "
        f"{counted(len(detail.mentions_by_source), 'source')}",
        style="dim",
    )
    return head
