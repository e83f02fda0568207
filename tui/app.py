"""The reader: search across sources, read an article, follow an entity from outlet to outlet.

The app is a thin client of Library. Every Library call runs on one dedicated thread (the
Backend): SQLite connections and the Whoosh searcher stay with the thread that opened them, calls
never interleave, and the UI thread never waits. Entity extraction runs in a subprocess, so the
reader never imports spaCy; a timer picks up what that process commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from crosswire.index.library import Library
from crosswire.index.model import (
    Article,
    CrosswireError,
    EntityDetail,
    Mention,
    QueryError,
    SearchHit,
    SearchResults,
)
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.worker import Worker, WorkerCancelled, WorkerState

from . import travel
from .highlight import Span
from .keys import binding_ids, config_path, load_keymap
from .safe import PARTIAL, counted, one_line
from .screens import (
    ConfirmScreen,
    EntityCommands,
    EntityFinder,
    EntityPicker,
    HelpScreen,
    NamePicker,
    SourceCommands,
)
from .widgets import (
    ArticleView,
    KeyedOptionList,
    Legend,
    MentionList,
    QueryInput,
    ResultsList,
    StatusLine,
)

T = TypeVar("T")

SEARCH_DELAY = 0.2
MAX_NAMES = 12  # other names shown in the entity pane's head
POLL_EVERY = 2.0
RESULT_LIMIT = 50
NARROW = 100  # below this, one pane at a time
MEDIUM = 150  # below this, the entity pane takes the search pane's place


class Backend:
    """One thread owns the Library: every call is submitted to it and awaited."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.notices: list[str] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crosswire-lib")
        self._library: Library | None = None
        self._opening = self._executor.submit(self._open)

    def _open(self) -> Library:
        self._library = Library(self.directory, on_notice=self.notices.append)
        return self._library

    def wait_open(self) -> Library:
        """The Library once open; raises what opening it raised (a CrosswireError)."""
        return self._opening.result()

    def _with_library(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self.wait_open(), *args)

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(library, *args) on the backend thread, waited for (start-up, before drawing)."""
        return self._executor.submit(self._with_library, fn, *args).result()

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(library, *args) on the backend thread, without blocking the event loop."""
        return await asyncio.wrap_future(self._executor.submit(self._with_library, fn, *args))

    def close(self) -> None:
        if self._library is not None:
            self._executor.submit(self._library.close).result()
        self._executor.shutdown(wait=True)


class Extraction:
    """The `crosswire … annotate` or `add` subprocess; its stderr goes to a temp file so a
    failure can be reported in one line."""

    def __init__(self, command: Sequence[str], label: str) -> None:
        self.label = label
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            list(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def returncode(self) -> int | None:
        return self.process.poll()

    def last_line(self) -> str:
        self.log.seek(0)
        lines = [line for line in self.log.read().decode("utf-8", "replace").splitlines() if line]
        return one_line(lines[-1]) if lines else ""

    def stop(self) -> None:
        """Leave the library consistent: the subprocess stores in batches and resumes later."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def cli_command(directory: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crosswire.tui.cli", "--library", str(directory), *args]


# -- calls that run on the backend thread -------------------------------------------------------


def find(library: Library, query: str, source: str | None) -> SearchResults:
    """A search, or with no query the first articles in the order they were added (oldest
    first); only the page shown is read, so an empty box costs the same on any library."""
    if query.strip():
        return library.search(query, limit=RESULT_LIMIT, source=source)
    rows = library.articles(source, limit=RESULT_LIMIT)
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
        for r in rows
    ]
    return SearchResults(
        query="", total=library.article_count(source), hits=hits, source_counts=library.sources()
    )


def load_article(library: Library, article_id: str) -> tuple[Article | None, list[Mention]]:
    article = library.article(article_id)
    if article is None:
        return None, []
    return article, list(library.mentions(article.id))


class CrosswireApp(App[int]):
    """crosswire's reader."""

    CSS_PATH = "crosswire.tcss"
    TITLE = "crosswire"
    COMMANDS: ClassVar[set[Any]] = {*App.COMMANDS, EntityCommands, SourceCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_search", "Search", id="crosswire.search", tooltip="Go to the search box"
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="crosswire.back",
            tooltip="Step back: entity pane → article → results → search box",
        ),
        Binding(
            "n",
            "mention(True)",
            "Mention",
            key_display="n N",
            id="crosswire.next_mention",
            tooltip="Next mention of the current entity, into the next source's article",
        ),
        Binding(
            "N",
            "mention(False)",
            "Prev mention",
            show=False,
            id="crosswire.prev_mention",
            tooltip="Previous mention of the current entity",
        ),
        Binding(
            "right_square_bracket",
            "source(True)",
            "Source",
            key_display="] [",
            id="crosswire.next_source",
            tooltip="Article from the next source: among the entity's sources, else the results",
        ),
        Binding(
            "left_square_bracket",
            "source(False)",
            "Prev source",
            show=False,
            id="crosswire.prev_source",
            tooltip="Article from the previous source",
        ),
        Binding(
            "e",
            "entity",
            "Entity",
            show=False,
            id="crosswire.entity",
            tooltip="Open the entity of the name under the cursor",
        ),
        Binding(
            "m",
            "merge",
            "Merge",
            id="crosswire.merge",
            tooltip="Merge the open entity with another (asks first)",
        ),
        Binding(
            "s",
            "split",
            "Split",
            id="crosswire.split",
            tooltip="Split one name off the open entity (asks first)",
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            key_display="?",
            id="crosswire.help",
            tooltip="This list of keys",
        ),
        Binding(
            "q,ctrl+q", "quit", "Quit", show=False, id="crosswire.quit", tooltip="Quit crosswire"
        ),
    ]
    HELP_TOPICS: ClassVar[list[tuple[str, type]]] = [
        ("Article", ArticleView),
        ("Lists (results, mentions)", KeyedOptionList),
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        extract: Sequence[str] | None = None,
        extract_label: str = "extracting entities…",
    ) -> None:
        super().__init__()
        self.backend = backend
        self.extract_command = list(extract) if extract else None
        self.extract_label = extract_label
        self.extraction: Extraction | None = None
        self.results = SearchResults(query="", total=0, hits=[])
        self.source: str | None = None
        self.article: Article | None = None
        self.entity: EntityDetail | None = None
        self.stops: list[travel.Stop] = []
        self.stop_index: int | None = None
        self.pane = "search"
        self._entity_finder: EntityFinder | None = None
        self._sources: dict[str, int] = {}
        self._polling = False
        self._open_when_found = False
        self.interrupted = ""
        self.worker_errors: list[BaseException | None] = []
        ids = binding_ids(
            [
                CrosswireApp,
                ArticleView,
                KeyedOptionList,
                QueryInput,
                HelpScreen,
                ConfirmScreen,
                EntityPicker,
                NamePicker,
            ]
        )
        self.keymap, self.keymap_problems = load_keymap(config_path(), ids)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes", classes="-pane-search"):
            with Vertical(id="search-pane"):
                yield QueryInput(placeholder="search…  (/ comes back here)", id="query")
                yield Select[str](
                    [], prompt="all sources", allow_blank=True, id="source", compact=True
                )
                yield Static(id="count")
                yield ResultsList(id="results")
            with Vertical(id="article-pane"):
                yield Static(Text("no article open", style="dim"), id="article-head")
                yield ArticleView(id="article")
                yield Legend(id="legend")
            with Vertical(id="entity-pane"):
                yield Static(id="entity-head")
                yield MentionList(id="mentions")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        for problem in self.keymap_problems:
            self.notify(problem, severity="warning", markup=False)
        self.show_notices()
        self.query_one(Legend).update(self.query_one(ArticleView).legend())
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._layout(self.size.width)
        self.query_one("#query", Input).focus()
        self.search_now()
        if self.extract_command:
            try:
                self.extraction = Extraction(self.extract_command, self.extract_label)
            except OSError as exc:
                self.notify(
                    f"cannot start entity extraction: {exc}", severity="error", markup=False
                )
            else:
                self.query_one(StatusLine).set(activity=self.extract_label)
        self.set_interval(POLL_EVERY, self.poll)

    def on_unmount(self) -> None:
        if self.extraction is not None:
            if self.extraction.returncode() is None:
                self.interrupted = self.extraction.label
            self.extraction.stop()

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A failing library call is one line on screen, never a crash of the reader."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.worker_errors.append(error)
            self.notify(
                f"{event.worker.group}: {one_line(str(error))}", severity="error", markup=False
            )

    def show_notices(self) -> None:
        """What the library reported (e.g. a damaged index being rebuilt), on screen."""
        while self.backend.notices:
            self.notify(one_line(self.backend.notices.pop(0)), severity="warning", markup=False)

    def on_resize(self) -> None:
        self._layout(self.size.width)

    def _layout(self, width: int) -> None:
        panes = self.query_one("#panes")
        panes.set_class(width < NARROW, "-narrow")
        panes.set_class(NARROW <= width < MEDIUM, "-medium")

    def _show_pane(self, pane: str) -> None:
        """Which pane is in front: all of them side by side when wide, one at a time when
        narrow. The entity pane, once opened, stays until escape closes it."""
        self.pane = pane
        panes = self.query_one("#panes")
        for name in ("search", "article", "entity"):
            panes.set_class(name == pane, f"-pane-{name}")
        if pane == "entity":
            panes.add_class("-entity-open")

    def _theme_changed(self, _theme: object) -> None:
        """Entity and hit colours are theme variables: re-style what is on screen."""
        self.query_one(ArticleView).restyle()
        self.query_one(Legend).update(self.query_one(ArticleView).legend())
        self.query_one(ResultsList).show(self.results, keep_place=True)
        if self.entity is not None:
            self.query_one(MentionList).show(self.entity)

    # -- search ---------------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def query_changed(self) -> None:
        self.search_now()

    @on(Select.Changed, "#source")
    def source_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value != self.source:
            self.source = value
            self.search_now()

    @on(QueryInput.ToResults)
    def to_results(self) -> None:
        results = self.query_one(ResultsList)
        if results.option_count:
            results.focus()

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        """enter in the search box opens the highlighted result, once the search is in."""
        if self.results.query.strip() != event.value.strip():
            self._open_when_found = True
            self.run_search(event.value, self.source, delay=0)
            return
        results = self.query_one(ResultsList)
        if results.highlighted is not None:
            results.action_select()

    def set_source(self, source: str | None) -> None:
        """Filter results to one source (from the palette's "Go to source…")."""
        self.source = source
        select = self.query_one("#source", Select)
        if source is None:
            select.clear()
        elif source in self._sources:
            select.value = source
        self.search_now()

    def search_now(self) -> None:
        """Search for what the user typed or chose; enter pressed for an earlier query (whose
        search this one replaces) no longer opens anything."""
        self._open_when_found = False
        self.run_search(self.query_one("#query", Input).value, self.source)

    @work(exclusive=True, exit_on_error=False, group="search")
    async def run_search(self, query: str, source: str | None, delay: float = SEARCH_DELAY) -> None:
        """Wait a beat, search on the backend thread, and drop the answer if the query moved
        on meanwhile (exclusive: a newer keystroke cancels this worker)."""
        if query.strip():
            await asyncio.sleep(delay)
        try:
            results = await self.backend.call(find, query, source)
        except QueryError as exc:
            if self._current(query, source):
                self._open_when_found = False
                self._show_error(str(exc))
            return
        if self._current(query, source):
            self._show_results(results)

    def _current(self, query: str, source: str | None) -> bool:
        return self.query_one("#query", Input).value == query and self.source == source

    def _show_error(self, message: str) -> None:
        count = self.query_one("#count", Static)
        count.set_class(True, "-error")
        count.update(Text(one_line(message)))

    def _show_results(self, results: SearchResults) -> None:
        same_query = results.query == self.results.query
        self.results = results
        count = self.query_one("#count", Static)
        count.set_class(False, "-error")
        shown = len(results.hits)
        what = "article" if not results.query else "match"
        line = ("at least " if results.partial else "") + counted(results.total, what)
        if shown < results.total:
            line += f", first {shown} shown"
        if results.partial:
            line += f" ({PARTIAL})"
        count.update(Text(line))
        self.query_one(ResultsList).show(results, keep_place=same_query)
        self._update_sources(results.source_counts)
        self._update_status()
        if self._open_when_found:
            self._open_when_found = False
            listed = self.query_one(ResultsList)
            if listed.highlighted is not None:
                listed.action_select()

    def _update_sources(self, counts: dict[str, int]) -> None:
        """Refill the source filter with counts (only when they changed: refilling resets it).

        The chosen source stays listed, at 0 when the query has no match there or it falls
        outside the facet cap: set_options would otherwise blank the dropdown ("all sources")
        while the results stay filtered by it."""
        counts = dict(counts)
        if self.source is not None:
            counts.setdefault(self.source, 0)
        if counts == self._sources:
            return
        self._sources = counts
        select = self.query_one("#source", Select)
        options = [(Text(f"{one_line(s)} ({n})"), s) for s, n in sorted(counts.items())]
        with select.prevent(Select.Changed):
            select.set_options(options)
            if self.source in counts:
                select.value = self.source

    @on(OptionList.OptionSelected, "#results")
    def result_chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id == "suggest" and self.results.suggestion:
            self.query_one("#query", Input).value = self.results.suggestion
            self.query_one("#query", Input).focus()
        elif option_id.startswith("hint:"):
            hint = self.results.entity_hints[int(option_id.split(":", 1)[1])]
            self.open_entity(hint.entity_id)
        elif option_id.startswith("article:"):
            self.open_article(option_id.split(":", 1)[1], focus=True)

    @on(OptionList.OptionHighlighted, "#results")
    def result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the results previews each article when there is room for both."""
        option_id = event.option.id or ""
        listed = self.focused is event.option_list and option_id.startswith("article:")
        if listed and self.size.width >= NARROW:
            article_id = option_id.split(":", 1)[1]
            if self.article is None or self.article.id != article_id:
                self.open_article(article_id)

    def _hits_for(self, article_id: str) -> list[Span]:
        for hit in self.results.hits:
            if hit.id == article_id:
                return list(hit.hits)
        return []

    # -- article --------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="article")
    async def open_article(
        self, article_id: str, *, focus: bool = False, at: int | None = None
    ) -> None:
        """Load an article (and its mentions) and show it, at a mention if `at` is given."""
        article, mentions = await self.backend.call(load_article, article_id)
        if article is None:
            self.notify(f"article {article_id} is gone from the library", severity="warning")
            return
        self._show_article(article, mentions)
        view = self.query_one(ArticleView)
        if at is not None:
            view.focus_mention_at(at, flash=True)
        if focus or self.size.width < NARROW:
            self._show_pane("article")
            self.call_after_refresh(view.focus)
        self._update_status()

    def _show_article(self, article: Article, mentions: list[Mention]) -> None:
        self.article = article
        head = Text(one_line(article.title) or "(untitled)", style="bold")
        head.append("\n")
        sources = article.sources or (article.source,)
        head.append(one_line(" · ".join(sources)), style="italic")
        if article.published:
            head.append(f" · {article.published[:10]}")
        head.append(f" · {len(article.text.split())} words", style="dim")
        self.query_one("#article-head", Static).update(head)
        self.query_one(ArticleView).show(article, mentions, self._hits_for(article.id))
        self._select_result(article.id)

    def _select_result(self, article_id: str) -> None:
        results = self.query_one(ResultsList)
        try:
            results.highlighted = results.get_option_index(f"article:{article_id}")
        except OptionDoesNotExist:  # opened from the entity pane, not among the results
            return

    @on(ArticleView.MentionChosen)
    def mention_chosen(self, event: ArticleView.MentionChosen) -> None:
        if event.mention.entity_id:
            self.open_entity(event.mention.entity_id, at=event.mention)
        else:
            self.notify("this name is not linked to an entity yet", markup=False)

    @on(ArticleView.CursorMoved)
    def cursor_moved(self) -> None:
        self._update_status()

    # -- entity ---------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="entity")
    async def open_entity(self, name_or_id: str, at: Mention | None = None) -> None:
        """Show one entity in the entity pane; `at` is the mention the reader came from."""
        detail = await self.backend.call(Library.entity, name_or_id)
        if detail is None:
            self.notify(f"no entity {one_line(name_or_id)!r}", severity="warning", markup=False)
            return
        self._set_entity(detail)
        if at is not None:
            self.stop_index = next(
                (
                    i
                    for i, s in enumerate(self.stops)
                    if s.article_id == at.article_id and s.start == at.start
                ),
                None,
            )
            self.query_one(MentionList).highlight_mention(at.article_id, at.start)
        self._show_pane("entity")
        self.call_after_refresh(self.query_one(MentionList).focus)
        self._update_status()

    def _set_entity(self, detail: EntityDetail) -> None:
        self.entity = detail
        self.stops = travel.tour(detail)
        self.stop_index = None
        head = Text(one_line(detail.name), style="bold")
        head.append(f"  {detail.kind}", style="italic")
        others = [a for a in detail.aliases if a.name != detail.name]
        if others:
            head.append("\nalso: ")
            head.append(one_line(", ".join(a.name for a in others[:MAX_NAMES])), style="bold")
            if len(others) > MAX_NAMES:
                head.append(f" and {len(others) - MAX_NAMES} more")
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
        self.query_one("#entity-head", Static).update(head)
        self.query_one(MentionList).show(detail)

    @on(OptionList.OptionSelected, "#mentions")
    def mention_picked(self, event: OptionList.OptionSelected) -> None:
        mention = self.query_one(MentionList).by_id.get(event.option.id or "")
        if mention is None:
            return
        self.stop_index = next(
            (
                i
                for i, s in enumerate(self.stops)
                if (s.source, s.article_id, s.start)
                == (mention.source, mention.article_id, mention.start)
            ),
            None,
        )
        self.open_article(mention.article_id, at=mention.start)

    def action_entity(self) -> None:
        """Open the entity of the mention under the article cursor."""
        mention = self.query_one(ArticleView).cursor_mention
        if mention is not None and mention.entity_id:
            self.open_entity(mention.entity_id, at=mention)
        elif self.entity is not None:
            self._show_pane("entity")
            self.call_after_refresh(self.query_one(MentionList).focus)

    # -- travel ---------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="travel")
    async def action_mention(self, forward: bool) -> None:
        """n/N: the next mention of the current entity, into the next source's article when
        this one has no more."""
        view = self.query_one(ArticleView)
        if self.entity is None:
            mention = view.cursor_mention
            if mention is None or not mention.entity_id:
                self.notify("choose an entity first: tab to a name and press enter")
                return
            detail = await self.backend.call(Library.entity, mention.entity_id)
            if detail is None:
                return
            self._set_entity(detail)
        cursor = view.cursor_mention
        article_id = self.article.id if self.article else None
        offset = cursor.start if cursor else (-1 if forward else 1 << 62)
        index = travel.step(self.stops, article_id, offset, forward, self.stop_index)
        if index is not None:
            await self._go_to_stop(index)

    async def _go_to_stop(self, index: int) -> None:
        stop = self.stops[index]
        self.stop_index = index
        self.query_one(MentionList).highlight_mention(stop.article_id, stop.start)
        view = self.query_one(ArticleView)
        if self.article is not None and self.article.id == stop.article_id:
            view.focus_mention_at(stop.start, flash=True)
            if self.size.width < NARROW:
                self._show_pane("article")
                self.call_after_refresh(view.focus)
            self._update_status()
        else:
            await self._open_and_wait(stop.article_id, at=stop.start)

    @work(exclusive=True, exit_on_error=False, group="travel")
    async def action_source(self, forward: bool) -> None:
        """]/[: an article from another source — among the entity's sources when its pane is
        open, else among the current results."""
        entity_open = self.query_one("#panes").has_class("-entity-open")
        if entity_open and self.stops:
            sources = travel.sources_of(self.stops)
            here = None
            if self.stop_index is not None and self.article is not None:
                stop = self.stops[self.stop_index]
                here = stop.source if stop.article_id == self.article.id else None
            if here is None and self.article is not None:
                here = self.article.source
            i = travel.next_source(sources, here, forward)
            if i is None:
                self.notify("the entity is mentioned in this source only")
                return
            index = travel.first_stop_in(self.stops, sources[i])
            if index is not None:
                await self._go_to_stop(index)
            return
        article_id = self.article.id if self.article else None
        i = travel.next_result_from_other_source(self.results.hits, article_id, forward)
        if i is None:
            self.notify("no result from another source")
            return
        await self._open_and_wait(self.results.hits[i].id)

    async def _open_and_wait(self, article_id: str, at: int | None = None) -> None:
        """Open an article and wait for it; a newer open (j in the results) replacing this one
        is the user moving on, not a failed trip."""
        with contextlib.suppress(WorkerCancelled):
            await self.open_article(article_id, at=at).wait()

    def _update_status(self) -> None:
        status = self.query_one(StatusLine)
        article_id = self.article.id if self.article else None
        if self.entity is not None and self.stops:
            source = self.article.source if self.article else None
            index = self.stop_index
            if index is not None and self.stops[index].article_id != article_id:
                index = None
            position = f"{one_line(self.entity.name)} · {travel.where(self.stops, index, source)}"
        else:
            position = travel.results_where(self.results.hits, article_id)
        status.set(position=position)

    # -- merge and split --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("merge", "split"):
            return self.entity is not None and self.pane == "entity"
        return True

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_merge(self) -> None:
        """Merge the open entity with another one the user picks, after a confirmation."""
        entity = self.entity
        if entity is None:
            return
        title = Text("Merge ")
        title.append(one_line(entity.name), style="bold")
        title.append(" with…")
        other = await self.push_screen_wait(
            EntityPicker(title, await self.entity_finder(), exclude=entity.id)
        )
        if other is None:
            return
        question = Text("Merge ")
        question.append(one_line(entity.name), style="bold")
        question.append(" and ")
        question.append(one_line(other.name), style="bold")
        question.append(" into one entity?")
        if not await self.push_screen_wait(ConfirmScreen(question)):
            return
        try:
            merged = await self.backend.call(Library.merge, entity.id, other.id)
        except CrosswireError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.notify(f"merged {one_line(other.name)} into {one_line(entity.name)}", markup=False)
        await self._entities_changed(merged)

    @work(exclusive=True, exit_on_error=False, group="edit")
    async def action_split(self) -> None:
        """Split one of the open entity's other names off it, after a confirmation."""
        entity = self.entity
        if entity is None:
            return
        names = [(a.name, a.rule) for a in entity.aliases if a.name != entity.name]
        if not names:
            self.notify("this entity has no other name to split off")
            return
        title = Text("Split which name off ")
        title.append(one_line(entity.name), style="bold")
        title.append("?")
        name = await self.push_screen_wait(NamePicker(title, names))
        if name is None:
            return
        question = Text("Split ")
        question.append(one_line(name), style="bold")
        question.append(" off ")
        question.append(one_line(entity.name), style="bold")
        question.append(" into an entity of its own?")
        if not await self.push_screen_wait(ConfirmScreen(question)):
            return
        try:
            await self.backend.call(Library.split, entity.id, name)
        except CrosswireError as exc:
            self.notify(one_line(str(exc)), severity="error", markup=False)
            return
        self.notify(f"{one_line(name)} is now an entity of its own", markup=False)
        await self._entities_changed(entity.id, fallback=entity.name)

    async def _entities_changed(self, entity_id: str, fallback: str = "") -> None:
        """After a merge or split: re-read the entity, the article's mentions and the results."""
        self._entity_finder = None
        detail = await self.backend.call(Library.entity, entity_id)
        if detail is None and fallback:
            detail = await self.backend.call(Library.entity, fallback)
        if detail is not None:
            self._set_entity(detail)
        if self.article is not None:
            await self._reload_article()
        self._update_status()

    async def _reload_article(self) -> None:
        if self.article is None:
            return
        view = self.query_one(ArticleView)
        cursor = view.cursor_mention
        article, mentions = await self.backend.call(load_article, self.article.id)
        if article is not None:
            self._show_article(article, mentions)
            if cursor is not None:
                view.focus_mention_at(cursor.start)

    # -- data for the palette and pickers ---------------------------------------------------------

    async def entity_finder(self) -> EntityFinder:
        """Every entity, ready to rank by name; labelled on the library thread, kept until the
        entities change."""
        if self._entity_finder is None:
            self._entity_finder = await self.backend.call(
                lambda library: EntityFinder(library.entities())
            )
        return self._entity_finder

    async def source_counts(self) -> dict[str, int]:
        return await self.backend.call(Library.sources)

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Go to entity…", "Open an entity by any of its names", self.action_go_to_entity
        )
        yield SystemCommand("Go to source…", "Show one source's articles", self.action_go_to_source)
        yield SystemCommand("All sources", "Clear the source filter", lambda: self.set_source(None))
        yield SystemCommand("Keys", "Every key and what it does", self.action_help)

    def action_go_to_entity(self) -> None:
        self.push_screen(CommandPalette(providers=[EntityCommands], placeholder="Go to entity…"))

    def action_go_to_source(self) -> None:
        self.push_screen(CommandPalette(providers=[SourceCommands], placeholder="Go to source…"))

    # -- keys -----------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """/: to the search box with its text selected, so typing replaces the query."""
        if self.size.width < MEDIUM:
            self.query_one("#panes").remove_class("-entity-open")
        self._show_pane("search")
        query = self.query_one("#query", Input)

        def focus() -> None:
            query.focus()
            query.select_all()

        self.call_after_refresh(focus)

    def action_back(self) -> None:
        """escape: entity pane → article → results → search box."""
        focused = self.focused
        panes = self.query_one("#panes")
        in_entity = focused is not None and self.query_one("#entity-pane") in focused.ancestors
        if in_entity or self.pane == "entity":
            panes.remove_class("-entity-open")
            if self.article is not None:
                self._show_pane("article")
                self.call_after_refresh(self.query_one(ArticleView).focus)
            else:
                self.action_focus_search()
                self.call_after_refresh(self.query_one(ResultsList).focus)
        elif isinstance(focused, ArticleView) or self.pane == "article":
            self._show_pane("search")
            self.call_after_refresh(self.query_one(ResultsList).focus)
        elif isinstance(focused, ResultsList):
            self.query_one("#query", Input).focus()

    def help_sections(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Every key, as remapped by the user's keymap, for the help screen."""
        sections = []
        for title, cls in [("Everywhere", CrosswireApp), *self.HELP_TOPICS]:
            rows = []
            for binding in cls.__dict__.get("BINDINGS", []):
                if not isinstance(binding, Binding):
                    continue
                keys = self.keymap.get(binding.id or "", binding.key).split(",")
                shown = ", ".join(
                    self.get_key_display(replace(binding, key=k.strip(), key_display=None))
                    for k in keys
                )
                rows.append((shown, binding.tooltip or binding.description, binding.id or ""))
            sections.append((title, rows))
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette")
        sections[0][1].append(
            (self.get_key_display(palette), "Command palette: go to entity…, source…, theme", "")
        )
        sections[0][1].append(("tab, shift+tab", "Next / previous pane (outside the article)", ""))
        return sections

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_sections()))

    # -- background: another process adding articles and entities ---------------------------------

    def poll(self) -> None:
        if not self._polling:
            self._polling = True
            self.run_poll()

    @work(exit_on_error=False, group="poll")
    async def run_poll(self) -> None:
        try:
            changed = await self.backend.call(Library.refresh)
            self.show_notices()
            extraction = self.extraction
            finished = extraction is not None and extraction.returncode() is not None
            if extraction is not None and not finished:
                annotated, stored = await self.backend.call(Library.entity_progress)
                self.query_one(StatusLine).set(
                    activity=f"{extraction.label} {annotated:,} of {stored:,} articles"
                )
            if finished and extraction is not None:
                self._extraction_finished(extraction)
            if changed or finished:
                await self._library_changed()
        finally:
            self._polling = False

    def _extraction_finished(self, extraction: Extraction) -> None:
        code = extraction.returncode()
        if code == 0:
            self.notify("entities are ready", markup=False)
        else:
            reason = extraction.last_line() or "no message"
            self.notify(
                f"background work ended with status {code}: {reason}",
                severity="error",
                markup=False,
            )
        extraction.stop()
        self.extraction = None
        self.query_one(StatusLine).set(activity="")

    async def _library_changed(self) -> None:
        self._entity_finder = None
        self.run_search(self.query_one("#query", Input).value, self.source, delay=0)
        if self.article is not None:
            await self._reload_article()
        if self.entity is not None:
            detail = await self.backend.call(Library.entity, self.entity.id)
            if detail is not None:
                index = self.stop_index
                self._set_entity(detail)
                self.stop_index = index if index is not None and index < len(self.stops) else None
        self._update_status()


def run_reader(library_dir: Path, paths: list[str]) -> int:
    """Open the library (filling it with the seeds when new), start entity extraction in a
    subprocess, and run the reader until the user quits."""
    from crosswire.seeds import seed_paths

    backend = Backend(Path(library_dir))
    try:
        library = backend.wait_open()
        extract: list[str] | None = None
        label = "extracting entities…"
        if paths:
            extract = cli_command(library.directory, "add", "--quiet", *paths)
            label = "adding articles and extracting entities…"
        else:
            if backend.run(Library.is_new):
                backend.run(lambda lib: lib.add(seed_paths(), entities=False))
            # Also resumes an extraction the user cut short by quitting the reader.
            if backend.run(lambda lib: lib.entities_db.pending(limit=1)):
                extract = cli_command(library.directory, "annotate", "--quiet")
        app = CrosswireApp(backend, extract=extract, extract_label=label)
        app.run()
        if app.interrupted:
            again = "`crosswire PATH…` again" if paths else "the reader again"
            print(
                f"crosswire: stopped {app.interrupted.rstrip('…')} at quit; what was stored is "
                f"kept — run {again} to finish",
                file=sys.stderr,
            )
        return app.return_code or 0
    finally:
        backend.close()
