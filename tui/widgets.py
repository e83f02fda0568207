"""The reader's widgets. They render what Library returns and post messages up; they never call
the Library themselves (the app does, off the UI thread)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from crosswire.index.model import Article, EntityDetail, Mention, MentionInContext, SearchResults
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .highlight import (
    KIND_LABELS,
    ArticleStyles,
    Span,
    StyledSpan,
    article_spans,
    in_context,
    kind_class,
    legend,
    line_of,
    line_text,
    marked,
    mention_at,
    offset_at,
    spans_by_line,
    wrap_lines,
)
from .safe import one_line, printable_keep_offsets

MAX_RESULT_SNIPPET = 240
CONTEXT = 50
MAX_MENTIONS_LISTED = 100  # per source; n/N still walk every mention


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
    """The search box: down moves into the results, enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", show=False, id="search.to_results"),
    ]

    class ToResults(Message):
        """The user wants to move through the results."""

    def action_to_results(self) -> None:
        self.post_message(self.ToResults())

    async def _on_key(self, event: events.Key) -> None:
        """A "/" typed into an empty box is the search key pressed out of habit, not a query."""
        if event.character == "/" and not self.value:
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


class ResultsList(KeyedOptionList):
    """Search results, one option per article, plus did-you-mean and entity hints on top."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results--hit", "results--meta", "results--hint"}

    def show(self, results: SearchResults, keep_place: bool = False) -> None:
        """Fill the list; keep_place (a refresh of the same query) keeps the highlighted article,
        otherwise the first article is highlighted."""
        hit_style = self.get_component_rich_style("results--hit", partial=True)
        meta_style = self.get_component_rich_style("results--meta", partial=True)
        hint_style = self.get_component_rich_style("results--hint", partial=True)
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
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        self.set_options(options)
        ids = [option.id or "" for option in self.options]
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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.by_id: dict[str, MentionInContext] = {}

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


class ArticleView(ScrollView, can_focus=True):
    """The article body through the Line API: wrapped once per width, lines rendered lazily
    and cached, so a long article with many highlights scrolls without re-rendering it all.

    tab/shift+tab step the cursor through entity mentions; enter or a click opens one.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "next_mention",
            "Next name",
            id="article.next_mention",
            tooltip="Next name in the article (focus shown reversed)",
        ),
        Binding(
            "shift+tab",
            "prev_mention",
            "Prev name",
            show=False,
            id="article.prev_mention",
            tooltip="Previous name in the article",
        ),
        Binding(
            "enter",
            "open_mention",
            "Entity",
            id="article.open_mention",
            tooltip="Open the entity of the name under the cursor",
        ),
        Binding("j,down", "line_down", "Down", show=False, id="article.down"),
        Binding("k,up", "line_up", "Up", show=False, id="article.up"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="article.bottom"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="article.page_up"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(kind_class(k) for k in KIND_LABELS),
        "article--hit",
        "article--cursor",
        "article--flash",
    }

    class MentionChosen(Message):
        """The user opened a mention (enter or click): show its entity."""

        def __init__(self, mention: Mention) -> None:
            super().__init__()
            self.mention = mention

    class CursorMoved(Message):
        """The mention cursor moved (tab, shift+tab, n/N)."""

        def __init__(self, mention: Mention | None) -> None:
            super().__init__()
            self.mention = mention

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.mentions: list[Mention] = []
        self.hits: list[Span] = []
        self.cursor: int | None = None
        self.flashing: Span | None = None
        self._text = ""
        self._plain = ""
        self._styled: list[list[StyledSpan]] | None = None
        self._lines: list[Span] = []
        self._wrap_width = 0
        self._rewrap_queued = False
        self._strips: dict[int, Strip] = {}

    # -- content ------------------------------------------------------------------------------

    def show(self, article: Article, mentions: Sequence[Mention], hits: Sequence[Span]) -> None:
        same = self.article is not None and self.article.id == article.id
        self.article = article
        self._text = article.text
        self._plain = printable_keep_offsets(article.text)
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.hits = list(hits)
        if not same:
            self.cursor = None
            self.flashing = None
        elif self.cursor is not None and self.cursor >= len(self.mentions):
            self.cursor = None
        self._lines = []
        self._rebuild()
        if not same:
            self.scroll_to(y=0, animate=False)

    @property
    def cursor_mention(self) -> Mention | None:
        return self.mentions[self.cursor] if self.cursor is not None else None

    def styles_now(self) -> ArticleStyles:
        kinds = {k: self.get_component_rich_style(kind_class(k), partial=True) for k in KIND_LABELS}
        return ArticleStyles(
            kinds=kinds,
            hit=self.get_component_rich_style("article--hit", partial=True),
            cursor=self.get_component_rich_style("article--cursor", partial=True),
            flash=self.get_component_rich_style("article--flash", partial=True),
        )

    def legend(self) -> Text:
        styles = self.styles_now()
        return legend(styles.kinds, styles.hit)

    def _rebuild(self) -> None:
        """Re-style (content, cursor, flash or theme changed); re-wrap if the width changed."""
        self._rewrap_queued = False
        if not self._lines or self._wrap_width != self._width():
            self._rewrap()
        cursor = self.cursor_mention
        spans = article_spans(
            len(self._plain),
            self.mentions,
            self.hits,
            self.styles_now(),
            cursor=(cursor.start, cursor.end) if cursor else None,
            flash=self.flashing,
        )
        self._styled = spans_by_line(self._lines, spans)
        self._strips.clear()
        self.refresh()

    def _width(self) -> int:
        return max(10, self.scrollable_content_region.width - 1)

    def _rewrap(self) -> None:
        self._wrap_width = self._width()
        self._lines = wrap_lines(self._plain, self._wrap_width, gap=True) if self._plain else []
        self.virtual_size = Size(self._wrap_width, len(self._lines))
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        if self._wrap_width != self._width():
            top = min(int(self.scroll_y), len(self._lines) - 1)
            anchor = self._lines[top][0] if self._lines else 0
            self._rebuild()
            if self._lines:
                self.scroll_to(y=line_of(self._lines, anchor), animate=False)

    def restyle(self) -> None:
        """The theme changed: entity colours come from component classes, so re-style."""
        if self._styled is not None:
            self._rebuild()

    def on_focus(self) -> None:
        if self.cursor is None and self.mentions:
            self._set_cursor(self._first_visible_mention())

    # -- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._wrap_width != self._width() and not self._rewrap_queued:
            # The width changed under us: re-wrap next frame, once for all the lines drawn.
            self._rewrap_queued = True
            self.call_later(self._rebuild)
        if self._styled is None or index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            line = line_text(self._plain, self._lines[index], self._styled[index])
            strip = Strip(list(line.render(self.app.console))).apply_style(base)
            self._strips[index] = strip
        return strip.crop_extend(0, width, base).apply_offsets(0, index)

    # -- moving -------------------------------------------------------------------------------

    def scroll_to_offset(self, offset: int) -> None:
        """Bring an offset into view, a third of the way down the pane."""
        if not self._lines:
            return
        line = line_of(self._lines, offset)
        top, height = int(self.scroll_y), self.scrollable_content_region.height
        if not top <= line < top + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False)

    def focus_mention_at(self, start: int, flash: bool = False) -> Mention | None:
        """Put the cursor on the mention starting at `start` and scroll to it."""
        index = next((i for i, m in enumerate(self.mentions) if m.start == start), None)
        if index is None:
            self.scroll_to_offset(start)
            return None
        self._set_cursor(index)
        if flash:
            self.flash(self.mentions[index].start, self.mentions[index].end)
        return self.mentions[index]

    def flash(self, start: int, end: int) -> None:
        """Mark a span for a moment so the eye finds where it landed."""
        self.flashing = (start, end)
        self._rebuild()
        self.set_timer(0.8, self._end_flash)

    def _end_flash(self) -> None:
        self.flashing = None
        self._rebuild()

    def _first_visible_mention(self) -> int:
        if not self._lines:
            return 0
        top = self._lines[min(int(self.scroll_y), len(self._lines) - 1)][0]
        return next((i for i, m in enumerate(self.mentions) if m.start >= top), 0)

    def _set_cursor(self, index: int | None) -> None:
        self.cursor = index
        self._rebuild()
        mention = self.cursor_mention
        if mention is not None:
            self.scroll_to_offset(mention.start)
        self.post_message(self.CursorMoved(mention))

    def action_next_mention(self) -> None:
        if not self.mentions:
            return
        self._set_cursor(0 if self.cursor is None else (self.cursor + 1) % len(self.mentions))

    def action_prev_mention(self) -> None:
        if not self.mentions:
            return
        n = len(self.mentions)
        self._set_cursor(n - 1 if self.cursor is None else (self.cursor - 1) % n)

    def action_open_mention(self) -> None:
        mention = self.cursor_mention
        if mention is not None:
            self.post_message(self.MentionChosen(mention))

    def action_line_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_line_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_page_down(self) -> None:
        self.scroll_relative(y=self.scrollable_content_region.height, animate=False)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-self.scrollable_content_region.height, animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._lines:
            return
        index = int(self.scroll_y) + offset.y
        if index >= len(self._lines):
            return
        at = offset_at(self._text, self._lines[index], offset.x)
        hit = mention_at(self.mentions, at)
        if hit is not None:
            self.focus()
            self._set_cursor(hit)
            self.post_message(self.MentionChosen(self.mentions[hit]))


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
