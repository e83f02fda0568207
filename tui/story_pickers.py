"""Pickers for story edits: another story (to merge with, or to move an article into), and the
articles that leave a story when it is split.

Labels, titles and source names are article data: every row is rich Text built from plain
strings, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from crosswire.index import StoryDetail, StorySummary
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from .coverage import date_range
from .picker import FilterPicker, Row, marked
from .safe import counted, one_line


def story_text(story: StorySummary) -> str:
    """What a story row says and what typing filters on: label, articles, dates."""
    label = one_line(story.label) or "(no label)"
    return (
        f"{label}  · {counted(story.articles, 'article')} · {date_range(story.first, story.last)}"
    )


def matches(text: str, query: str) -> list[tuple[int, int]] | None:
    """The spans of text each word of the query is found at (in any order, case ignored),
    a word start preferred; None when a word is missing. "harry winston" is two words."""
    folded = text.casefold()
    spans = []
    for word in query.casefold().split():
        if folded.startswith(word):
            at = 0
        elif (start := folded.find(" " + word)) >= 0:
            at = start + 1
        else:
            at = folded.find(word)
        if at < 0:
            return None
        spans.append((at, at + len(word)))
    return spans


class StoryPicker(FilterPicker[StorySummary]):
    """Pick a story by its label, article count or dates, the most recent first."""

    placeholder = "type words of its label or a date…"

    def __init__(self, title: Text, stories: Sequence[StorySummary], exclude: str = "") -> None:
        super().__init__(title)
        self.stories = [s for s in stories if s.id != exclude]

    def rows(self, query: str) -> list[Row[StorySummary]]:
        out: list[Row[StorySummary]] = []
        for story in self.stories:
            text = story_text(story)
            spans = matches(text, query)
            if spans is not None:
                label, _, rest = text.partition("  · ")
                prompt = marked(label, [s for s in spans if s[0] < len(label)])
                prompt.append(f"  · {rest}", style="dim")
                out.append((story.id, prompt, story))
        return out


def article_line(source: str, published: str | None, title: str) -> Text:
    line = Text(one_line(source), style="bold")
    line.append(f" · {(published or 'undated')[:10]} · ", style="dim")
    line.append(one_line(title) or "(untitled)")
    return line


class SplitScreen(ModalScreen[list[str] | None]):
    """The story's articles as a checklist: space ticks the ones that leave, ⏎ splits them
    off into a new story, escape leaves the story as it is."""

    DEFAULT_CSS = """
    SplitScreen #picker-box { width: 120; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="split.cancel"),
        Binding("enter", "split", "Split off", key_display="⏎", id="split.confirm", priority=True),
    ]

    def __init__(self, story: StoryDetail) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        title = Text("Split ", style="")
        title.append(one_line(self.story.label) or "(no label)", style="bold")
        title.append(": tick the articles that leave (space), ⏎ makes them a new story")
        items = [
            (article_line(a.source, date, a.title), a.id)
            for a, date in zip(self.story.articles, self.story.dates, strict=True)
        ]
        with Vertical(id="picker-box"):
            yield Static(title)
            yield SelectionList[str](*items, id="split-list")
            yield Static(Text("space tick · ⏎ split off · esc cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @property
    def chosen(self) -> list[str]:
        """The ticked articles, in the story's order."""
        ticked = set(self.query_one(SelectionList).selected)
        return [a.id for a in self.story.articles if a.id in ticked]

    def action_split(self) -> None:
        chosen = self.chosen
        if not chosen:
            self.notify("tick the articles that leave with space first", severity="warning")
        elif len(chosen) == len(self.story.articles):
            self.notify("at least one article must stay in the story", severity="warning")
        else:
            self.dismiss(chosen)
