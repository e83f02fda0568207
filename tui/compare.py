"""The compare view (`c`): the current search as what each source says, passages by source.

One section per source in the library's order (or one column per source, side by side, when
the terminal gives each at least COLUMN_WIDTH cells), each passage a whole sentence with the
hits, numbers and entities marked, and the sources that never match named at the top. enter
opens the passage in its article; `]`/`[` go to the next/previous source; escape closes.

The palette offers both by name through the reader's bindings (palette.ActionCommands).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from crosswire.index.facts import Comparison, Passage
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import WorkerCancelled

from .compare_text import HEADING, passage_text
from .safe import counted, one_line

COLUMN_WIDTH = 48  # cells a source needs for a column of its own
Place = tuple[str, int, int]  # article id, start, end of what to show in the article

CLOSE: list[BindingType] = [
    Binding("escape,q", "close", "Back", id="crosswire.compare.close", tooltip="Close"),
]


class SectionList(OptionList):
    """Options under disabled headings; action_section jumps to the first option of the
    next/previous heading's section (a source, a fact group): the screens bind `]`/`[` to it.
    """

    def __init__(self, options: Sequence[Option], places: dict[str, Place], **kw: Any) -> None:
        super().__init__(*options, **kw)
        self.places = places

    def section_starts(self) -> list[int]:
        """Index of the first selectable option after each heading."""
        starts, after_heading = [], True
        for i in range(self.option_count):
            option = self.get_option_at_index(i)
            if option.disabled:
                after_heading = True
            elif after_heading:
                starts.append(i)
                after_heading = False
        return starts

    def action_section(self, forward: bool) -> None:
        starts = self.section_starts()
        if not starts:
            return
        at = self.highlighted if self.highlighted is not None else -1
        if forward:
            later = [i for i in starts if i > at]
            self.highlighted = later[0] if later else starts[0]
        else:
            current = max((i for i in starts if i <= at), default=starts[0])
            earlier = [i for i in starts if i < current]
            self.highlighted = earlier[-1] if earlier else starts[-1]
        self.scroll_to_highlight(top=True)

    def to_first(self) -> None:
        """Highlight the first option of the first section."""
        starts = self.section_starts()
        if starts:
            self.highlighted = starts[0]
            self.scroll_to_highlight(top=True)

    def place(self, option: Option) -> Place | None:
        return self.places.get(option.id or "")


def passage_options(
    source: str, passages: Sequence[Passage], key: str
) -> tuple[list[Option], dict[str, Place]]:
    """A source's heading and its passages, as options and where each one leads."""
    heading = Text(f"{one_line(source)} · {counted(len(passages), 'passage')}", HEADING)
    options = [Option(heading, disabled=True)]
    places: dict[str, Place] = {}
    for n, p in enumerate(passages):
        oid = f"{key}-{n}"
        prompt = passage_text(p)
        if p.title and (n == 0 or passages[n - 1].article != p.article):
            prompt = Text.assemble((one_line(p.title), "dim italic"), "\n", prompt)
        options.append(Option(prompt, id=oid))
        places[oid] = (p.article, p.start, p.end)
    return options, places


SCREEN_CSS = """
#compare-summary, #facts-summary { height: auto; padding: 0 1; }
.compare-list { height: 1fr; }
#compare-columns { height: 1fr; }
.compare-column { width: 1fr; }
"""


class CompareScreen(Screen[Place | None]):
    """A comparison by source; dismissed with the place of the passage chosen, or None."""

    DEFAULT_CSS = SCREEN_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE,
        Binding("right_square_bracket", "column(True)", "Source", key_display="] [",
                id="crosswire.compare.next_column"),
        Binding("left_square_bracket", "column(False)", "Prev source", show=False,
                id="crosswire.compare.prev_column"),
    ]  # fmt: skip

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison
        self.columns = False

    def wants_columns(self, width: int) -> bool:
        count = len(self.comparison.sources)
        return count > 1 and width // count >= COLUMN_WIDTH

    def summary(self) -> Text:
        c = self.comparison
        text = Text.assemble(("Compare: ", HEADING), one_line(c.query))
        text.append(f" — {counted(c.articles, 'article')} in {counted(len(c.sources), 'source')}")
        if c.partial:
            text.append(" (partial)")
        if c.missing:
            text.append("\nnot mentioned in: " + ", ".join(one_line(s) for s in c.missing))
        elif not c.sources:
            text.append("\nno source mentions it")
        return text

    def compose(self) -> ComposeResult:
        self.columns = self.wants_columns(self.app.size.width)
        yield Static(self.summary(), id="compare-summary")
        sections = [
            passage_options(s.source, s.passages, f"s{i}")
            for i, s in enumerate(self.comparison.sources)
        ]
        if self.columns:
            with Horizontal(id="compare-columns"):
                for options, places in sections:
                    with Vertical(classes="compare-column"):
                        yield SectionList(options, places, classes="compare-list")
        else:
            options = [o for opts, _ in sections for o in opts]
            places = {k: v for _, pl in sections for k, v in pl.items()}
            yield SectionList(options, places, classes="compare-list")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        lists = list(self.query(SectionList))
        for options in lists:
            options.to_first()
        if lists:
            lists[0].focus()

    def on_resize(self, event: Resize) -> None:
        if self.wants_columns(event.size.width) != self.columns:
            self.refresh(recompose=True)
            self.call_after_refresh(self._focus_first)

    def action_column(self, forward: bool) -> None:
        """]/[ with columns: the next/previous source's column (sections: SectionList's own)."""
        lists = list(self.query(SectionList))
        focused = self.focused
        if not lists or not isinstance(focused, SectionList):
            return
        if len(lists) == 1:
            focused.action_section(forward)
            return
        i = lists.index(focused)
        target = lists[(i + (1 if forward else -1)) % len(lists)]
        target.focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, SectionList):
            place = event.option_list.place(event.option)
            if place is not None:
                self.dismiss(place)


class Comparer(Protocol):
    """What the palette entries call on the reader."""

    def action_compare(self) -> Any: ...

    def action_facts(self) -> Any: ...


# reader: the ReaderScreen (not imported: it imports this module)
async def show_compare(reader: Any) -> None:
    """c: compare the sources on the reader's current search; the passage chosen opens."""
    query = reader.nav.results.query
    if not query.strip():
        reader.notify("search first: c compares the sources on the current search")
        return
    story = reader.backend.story.id if reader.backend.story else None  # the reader's scope
    comparison = await reader.backend.call(lambda library: library.compare(query, story))
    reader.app.push_screen(CompareScreen(comparison), reader.open_place)


async def open_place(reader: Any, place: Place | None) -> None:
    """Open an article at a passage and mark the passage for a moment."""
    if place is None:
        return
    article_id, start, end = place
    with contextlib.suppress(WorkerCancelled):
        await reader.open_article(article_id, focus=True, at=start).wait()
    article = reader.nav.article
    if article is not None and article.id == article_id:
        reader.reading.view.scroll_to_offset(start)
        reader.reading.view.flash(start, end)
