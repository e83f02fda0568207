"""The reader's widgets. They render what Library returns and post messages up; they never call
the Library themselves (the screen does, through the Backend)."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from crosswire.index.model import EntityDetail, EntityHint, MentionInContext, SearchResults
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from .highlight import in_context, marked
from .safe import one_line
from .state import no_results

MAX_RESULT_SNIPPET = 240
CONTEXT = 50
MAX_MENTIONS_LISTED = 100  # per source; n/N still walk every mention
PAGE = 50  # results listed at a time (the backend's RESULT_LIMIT)


class KeyedOptionList(OptionList):
    """An OptionList that also moves with j/k and jumps with g/G, as readers expect."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g", "first", "Top", show=False, id="list.top"),
        Binding("G", "last", "Bottom", show=False, id="list.bottom"),
    ]


def shorten(text: str, limit: int = MAX_RESULT_SNIPPET) -> str:
    """A snippet cut at a word boundary (offsets before the cut still hold)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"


class QueryInput(Input):
    """The search box: down moves into the results, enter opens the highlighted one, escape
    leaves the box (keeping the query) so the reader's keys work again. The footer says so:
    in the box, letters are the query, so the reader's other keys are not offered there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", key_display="↓", id="search.to_results"),
        Binding("enter", "submit", "Open", key_display="⏎", id="search.open"),
        Binding("escape", "leave", "Leave", key_display="esc", id="search.leave"),
        Binding("f1", "app.help", "Help", show=False, id="search.help"),
    ]

    @dataclass
    class ResultsRequested(Message):
        """The user pressed down (or escape: `leave`): to the results, with the query kept."""

        leave: bool = False

    def action_to_results(self) -> None:
        self.post_message(self.ResultsRequested())

    def action_leave(self) -> None:
        self.post_message(self.ResultsRequested(leave=True))

    async def _on_key(self, event: events.Key) -> None:
        """A "/" typed into an empty box is the search key pressed out of habit, not a query."""
        if event.character == "/" and not self.value:
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


BROWSE_SORTS = ("added", "date", "source", "title")  # S cycles these with an empty box
SEARCH_SORTS = ("added", "date")  # and these in a search: relevance, newest first
SORT_NAMES = {"date": "newest first", "source": "by source", "title": "by title"}


def sort_label(sort: str, searching: bool) -> str:
    """What the count line says of the order, when it is not the default."""
    if searching:
        return " · newest first" if sort == "date" else ""
    return f" · {SORT_NAMES[sort]}" if sort in SORT_NAMES else ""


def more_of(shown: SearchResults, page: SearchResults) -> SearchResults:
    """The results listed with the next page below them (an article listed once)."""
    listed = {hit.id for hit in shown.hits}
    hits = shown.hits + [hit for hit in page.hits if hit.id not in listed]
    return dataclasses.replace(page, hits=hits)


class ResultsList(KeyedOptionList):
    """Search results, one option per article, plus did-you-mean and entity hints on top,
    and below them a line that loads the next page when the cursor reaches it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results--hit", "results--meta", "results--hint"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "S",
            "sort",
            "Sort",
            id="results.sort",
            tooltip="Order: as added, newest first, by source, by title (a search: relevance, "
            "newest)",
        ),
    ]

    @dataclass
    class SortWanted(Message):
        """S: list in this order instead."""

        sort: str

    class MoreWanted(Message):
        """The cursor reached the last line: list the next page below."""

    @dataclass
    class ArticleChosen(Message):
        """enter or a click on a result: open that article."""

        article_id: str

    @dataclass
    class ArticleHighlighted(Message):
        """The cursor moved onto a result while the list has focus (a preview, when wide)."""

        article_id: str

    @dataclass
    class SuggestionChosen(Message):
        """The did-you-mean line was chosen: search for this instead."""

        suggestion: str

    @dataclass
    class HintChosen(Message):
        """An "is also written" line was chosen: open that entity."""

        hint: EntityHint

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.listed = no_results()  # what the list shows
        self.listed_before = 0  # how many results the list showed before this fill
        self.sort = "added"

    def action_sort(self) -> None:
        orders = SEARCH_SORTS if self.listed.query.strip() else BROWSE_SORTS
        at = orders.index(self.sort) if self.sort in orders else -1
        self.sort = orders[(at + 1) % len(orders)]
        self.post_message(self.SortWanted(self.sort))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, rest = (event.option.id or "").partition(":")
        if kind == "more":
            self.post_message(self.MoreWanted())
        elif kind == "suggest" and self.listed.suggestion:
            self.post_message(self.SuggestionChosen(self.listed.suggestion))
        elif kind == "hint":
            self.post_message(self.HintChosen(self.listed.entity_hints[int(rest)]))
        elif kind == "article":
            self.post_message(self.ArticleChosen(rest))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        kind, _, rest = (event.option.id or "").partition(":")
        if kind == "article" and self.has_focus:
            self.post_message(self.ArticleHighlighted(rest))
        elif kind == "more" and self.has_focus:
            self.post_message(self.MoreWanted())

    def open_highlighted(self) -> None:
        """enter from the search box: choose the highlighted line, as enter here would."""
        if self.highlighted is not None:
            self.action_select()

    def select_article(self, article_id: str) -> None:
        """Put the cursor on an article's result, when it is among them."""
        with contextlib.suppress(OptionDoesNotExist):  # opened from elsewhere: not listed
            self.highlighted = self.get_option_index(f"article:{article_id}")

    def show(self, results: SearchResults, keep_place: bool = False) -> None:
        """Fill the list; keep_place (a refresh of the same query) keeps the highlighted article,
        otherwise the first article is highlighted."""
        hit_style = self.get_component_rich_style("results--hit", partial=True)
        meta_style = self.get_component_rich_style("results--meta", partial=True)
        hint_style = self.get_component_rich_style("results--hint", partial=True)
        self.listed = results
        options: list[Option | None] = []
        if results.suggestion:
            prompt = Text("did you mean: ", style=hint_style)
            prompt.append(one_line(results.suggestion), style="bold underline")
            options.append(Option(prompt, id="suggest"))
        for n, hint in enumerate(results.entity_hints):
            prompt = Text(f"{one_line(hint.word)} is also written ", style=hint_style)
            prompt.append(one_line(", ".join(hint.other_names)), style="bold")
            prompt.append(" — open the entity", style=hint_style)
            options.append(Option(prompt, id=f"hint:{n}"))
        for hit in results.hits:
            prompt = Text(one_line(hit.source), style=meta_style)
            if hit.published:
                prompt.append(f" · {hit.published[:10]}", style=meta_style)
            prompt.append("\n")
            prompt.append(one_line(hit.title) or "(untitled)", style="bold")
            if hit.snippet:
                prompt.append("\n")
                snippet = marked(shorten(hit.snippet), hit.snippet_hits, hit_style)
                prompt.append_text(snippet)
            if options:
                options.append(None)
            options.append(Option(prompt, id=f"article:{hit.id}"))
        more = results.total - len(results.hits)
        if more > 0 and not results.partial:
            line = f"… {more:,} more — ↓ here lists the next {min(more, PAGE):,}"
            options += [None, Option(Text(line, style=hint_style), id="more")]
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        before = self.listed_before
        self.listed_before = len(results.hits)
        self.set_options(options)
        ids = [option.id or "" for option in self.options]
        if keep_place and kept == "more" and before < len(results.hits):
            self.highlighted = ids.index(f"article:{results.hits[before].id}")  # the next page
            return
        if keep_place and kept in ids and kept.startswith("article:"):
            self.highlighted = ids.index(kept)  # a refresh keeps the reader's place
            return
        first_article = next((i for i, o in enumerate(ids) if o.startswith("article:")), None)
        self.highlighted = first_article if first_article is not None else (0 if ids else None)


def trim_left(text: str, keep: int = CONTEXT) -> str:
    """The end of a context string, cut at a word boundary."""
    if len(text) <= keep:
        return text
    cut = text[-keep:]
    return cut[cut.find(" ") + 1 :] if " " in cut else cut


def trim_right(text: str, keep: int = CONTEXT) -> str:
    """The start of a context string, cut at a word boundary."""
    if len(text) <= keep:
        return text
    cut = text[:keep]
    return cut[: cut.rfind(" ")] if " " in cut else cut


class MentionList(KeyedOptionList):
    """An entity's mentions grouped by source; a source heading is a disabled option."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"mentions--mark", "mentions--source"}

    @dataclass
    class MentionChosen(Message):
        """enter or a click on a mention: open its article there."""

        mention: MentionInContext

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.by_id: dict[str, MentionInContext] = {}

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        mention = self.by_id.get(event.option.id or "")
        if mention is not None:
            self.post_message(self.MentionChosen(mention))

    def show(self, detail: EntityDetail) -> None:
        mark = self.get_component_rich_style("mentions--mark", partial=True)
        heading = self.get_component_rich_style("mentions--source", partial=True)
        options: list[Option] = []
        self.by_id = {}
        for s, (source, mentions) in enumerate(detail.mentions_by_source.items()):
            options.append(
                Option(Text(f"{one_line(source)} ({len(mentions)})", style=heading), disabled=True)
            )
            for i, m in enumerate(mentions[:MAX_MENTIONS_LISTED]):
                option_id = f"m:{s}:{i}"
                self.by_id[option_id] = m
                line = in_context(trim_left(m.before), m.text, trim_right(m.after), mark)
                options.append(Option(line, id=option_id))
            if len(mentions) > MAX_MENTIONS_LISTED:
                more = len(mentions) - MAX_MENTIONS_LISTED
                options.append(Option(Text(f"… {more} more (n walks them all)"), disabled=True))
        self.set_options(options)
        self.highlighted = 1 if len(options) > 1 else None

    def highlight_mention(self, article_id: str, start: int) -> None:
        """Put the list's cursor on one mention (the one the reader is at)."""
        for option_id, m in self.by_id.items():
            if m.article_id == article_id and m.start == start:
                self.highlighted = self.get_option_index(option_id)
                return


class Legend(Static):
    """Which colour is which entity kind; rebuilt from the article view's styles on theme
    change so it always matches."""


class StatusLine(Static):
    """Where the reader is ("source 2 of 5 · mention 3 of 12") and what runs in the background."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.position = ""
        self.activity = ""

    def set(self, position: str | None = None, activity: str | None = None) -> None:
        if position is not None:
            self.position = position
        if activity is not None:
            self.activity = activity
        text = Text(self.position)
        if self.activity:
            if self.position:
                text.append("   ")
            text.append(self.activity, style="italic")
        self.update(text)
