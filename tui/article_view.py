"""The article body as a line-based view: wrapped once per width, styled by offset, with a
cursor that steps through entity mentions. It renders what it is given; what the user does
reaches the screen as the typed messages it posts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from crosswire.index.model import Article, Mention
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .highlight import (
    KIND_LABELS,
    ArticleStyles,
    Span,
    StyledSpan,
    article_spans,
    kind_class,
    legend,
    line_of,
    line_text,
    mention_at,
    offset_at,
    spans_by_line,
    wrap_lines,
)
from .safe import counted, one_line, printable_keep_offsets


class ArticleView(ScrollView, can_focus=True):
    """The article body through the Line API: wrapped once per width, lines rendered lazily
    and cached, so a long article with many highlights scrolls without re-rendering it all.

    w/W step the cursor through entity mentions; enter or a click opens one. Tab is not
    taken: it moves focus to the next pane, as everywhere else.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "w",
            "next_mention",
            "Next name",
            key_display="w W",
            id="article.next_mention",
            tooltip="Next name in the article (focus shown reversed)",
        ),
        Binding(
            "W",
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
    FLASH_SECONDS: ClassVar[float] = 0.8  # long enough for the eye to find it, then gone

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
        """The mention cursor moved (w, W, n/N)."""

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
        self.wrap_width = 0
        self._rewrap_queued = False
        self._strips: dict[int, Strip] = {}

    # -- content ------------------------------------------------------------------------------

    def show(self, article: Article, mentions: Sequence[Mention], hits: Sequence[Span]) -> None:
        same = self.article is not None and self.article.id == article.id
        place = self.scroll_y
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
        self.rebuild()
        # The same article re-read (entities arrived) keeps the reader's place; another starts
        # at the top.
        self.call_after_refresh(self.scroll_to, y=place if same else 0, animate=False)

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

    def rebuild(self) -> None:
        """Re-style (content, cursor, flash or theme changed); re-wrap if the width changed.

        Each call walks every span of the article, so a change is one call, never one per
        line drawn."""
        self._rewrap_queued = False
        if not self._lines or self.wrap_width != self.text_width():
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

    def text_width(self) -> int:
        """The width to wrap at now (`wrap_width` is the width the text was wrapped at)."""
        return max(10, self.scrollable_content_region.width - 1)

    def _rewrap(self) -> None:
        self.wrap_width = self.text_width()
        self._lines = wrap_lines(self._plain, self.wrap_width, gap=True) if self._plain else []
        self.virtual_size = Size(self.wrap_width, len(self._lines))
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        if self.wrap_width != self.text_width():
            top = min(int(self.scroll_y), len(self._lines) - 1)
            anchor = self._lines[top][0] if self._lines else 0
            self.rebuild()
            if self._lines:
                self.scroll_to(y=line_of(self._lines, anchor), animate=False)

    def restyle(self) -> None:
        """The theme changed: entity colours come from component classes, so re-style."""
        if self._styled is not None:
            self.rebuild()

    def on_focus(self) -> None:
        if self.cursor is None and self.mentions:
            self._set_cursor(self._first_visible_mention())

    # -- rendering ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.wrap_width != self.text_width() and not self._rewrap_queued:
            # The width changed under us: re-wrap next frame, once for all the lines drawn.
            self._rewrap_queued = True
            self.call_later(self.rebuild)
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

    def top_offset(self) -> int:
        """The text offset at the top of the view: a place that survives re-wrapping."""
        if not self._lines:
            return 0
        return self._lines[min(int(self.scroll_y), len(self._lines) - 1)][0]

    def scroll_to_top_offset(self, offset: int) -> None:
        """Scroll so the line holding `offset` is at the top (back to a remembered place)."""
        if self._lines:
            self.scroll_to(y=line_of(self._lines, offset), animate=False)

    def place_of(self, offset: int) -> tuple[int, int] | None:
        """Where an offset is drawn: (wrapped line, column in it); None with no text shown."""
        if not self._lines:
            return None
        line = line_of(self._lines, offset)
        return line, offset - self._lines[line][0]

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
        self.rebuild()
        self.set_timer(self.FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self.flashing = None
        self.rebuild()

    def _first_visible_mention(self) -> int:
        if not self._lines:
            return 0
        top = self._lines[min(int(self.scroll_y), len(self._lines) - 1)][0]
        return next((i for i, m in enumerate(self.mentions) if m.start >= top), 0)

    def _set_cursor(self, index: int | None) -> None:
        self.cursor = index
        self.rebuild()
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


def title_line_end(text: str, title: str) -> int:
    """Where a text continues after its first line when that line is its title (plain-text
    articles open with their headline), else 0."""
    wanted = " ".join(title.split())
    lead = len(text) - len(text.lstrip())
    end = text.find("\n", lead)
    if not wanted or end < 0 or " ".join(text[lead:end].split()) != wanted:
        return 0
    return end + 1


def opens_with_title(text: str, title: str) -> bool:
    """The text's first line is its title, or the title is that line cut short ("…", as a
    title taken from a first sentence is)."""
    if title_line_end(text, title):
        return True
    short = " ".join(title.split())
    first = " ".join(text.lstrip().split("\n", 1)[0].split())
    return short.endswith("…") and len(short) > 1 and first.startswith(short[:-1].rstrip())


def article_head(article: Article) -> Text:
    """The article's provenance above its text: the title (unless the text opens with it:
    it is printed once, and the names in it stay where the cursor and n/N reach them); the
    outlets that carried it, the date and the length; the URL and the ref it can be looked
    up by (`crosswire show REF`). An unknown date or URL says so."""
    head = Text()
    if not opens_with_title(article.text, article.title):
        head.append(one_line(article.title) or "(untitled)", style="bold")
        head.append("\n")
    sources = article.sources or (article.source,)
    head.append(one_line(" · ".join(sources)), style="italic")
    head.append(f" · {article.published[:10]}" if article.published else " · date unknown")
    head.append(f" · {counted(len(article.text.split()), 'word')}", style="dim")
    head.append("\n")
    if article.url:
        head.append(one_line(article.url), style="underline")
    else:
        head.append("no URL", style="dim")
    head.append(f" · ref {one_line(article.ref)}", style="dim")
    return head
