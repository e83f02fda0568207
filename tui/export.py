"""Getting things out of the reader: `y` copies the passage under the cursor with its
citation, `o` opens the article's URL in a browser, `e` exports the results, the entity's
mentions or the article to a file the user names.

The rows and formats are the engine's (crosswire.index.export), as the CLI's `--format`
prints them; this module only decides what is "under the cursor" and asks for a file name.
`ExportActions` is mixed into the reader's screen, which has the panes and the navigation.
"""

from __future__ import annotations

import webbrowser
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from crosswire.index import export
from crosswire.index.model import Citation
from crosswire.index.search.snippets import passage_around
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, RadioButton, RadioSet, Static

from .article_view import ArticleView
from .backend import Backend
from .panes import ArticlePane
from .safe import counted, one_line
from .state import Navigation
from .widgets import MentionList, ResultsList

WHAT = {
    "results": "the results listed",
    "mentions": "the entity's mentions",
    "article": "this article",
}
NOUNS = {"results": "result", "mentions": "mention", "article": "article"}
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines", "md": "Markdown"}


@dataclass(frozen=True)
class ExportRequest:
    what: str  # a key of WHAT
    path: Path
    fmt: str  # one of export.FORMATS


class ExportScreen(ModalScreen[ExportRequest | None]):
    """What to export, in which format, to which file; enter exports, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-box {
        width: 72; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    #export-box RadioSet { width: 100%; border: none; padding: 0; margin-top: 1; }
    #export-box Input { margin-top: 1; }
    """

    def __init__(self, choices: list[str], chosen: str) -> None:
        super().__init__()
        self.choices = choices
        self.chosen = chosen
        self.fmt = "csv"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Text("Export: what, as what, to which file", style="bold"))
            with RadioSet(id="export-what"):
                for key in self.choices:
                    yield RadioButton(WHAT[key], value=key == self.chosen, name=key)
            with RadioSet(id="export-format"):
                for key, name in FORMAT_NAMES.items():
                    yield RadioButton(name, value=key == self.fmt, name=key)
            yield Input(value=self._default_name(), id="export-path")
            yield Static(
                Text("⏎ export · esc cancel · the suffix picks the format", style="dim"),
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _default_name(self) -> str:
        return f"crosswire-{self.chosen}-{date.today().isoformat()}{export.SUFFIXES[self.fmt]}"

    @on(RadioSet.Changed, "#export-what")
    def what_changed(self, event: RadioSet.Changed) -> None:
        old = self._default_name()
        self.chosen = event.pressed.name or self.chosen
        box = self.query_one("#export-path", Input)
        if box.value == old:  # the user kept the proposed name: it follows the choice
            box.value = self._default_name()

    @on(RadioSet.Changed, "#export-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        self.fmt = event.pressed.name or self.fmt
        box = self.query_one("#export-path", Input)
        path = Path(box.value.strip() or self._default_name())
        box.value = str(path.with_suffix(export.SUFFIXES[self.fmt]))

    @on(Input.Submitted, "#export-path")
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify("name a file to export to", severity="warning")
            return
        path = Path(event.value.strip()).expanduser()
        self.dismiss(ExportRequest(self.chosen, path, export.format_of_path(path, self.fmt)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportActions(Screen[None]):
    """y, o and e on the reader's screen (see bindings.py), which this is the base of."""

    nav: Navigation
    backend: Backend
    reading: ArticlePane

    def _choices(self) -> tuple[list[str], str]:
        """What there is to export, and the one the focused pane shows."""
        choices = []
        if self.nav.results.hits:
            choices.append("results")
        if self.nav.entity is not None:
            choices.append("mentions")
        if self.nav.article is not None:
            choices.append("article")
        focused = self.focused
        if isinstance(focused, MentionList) and "mentions" in choices:
            return choices, "mentions"
        if isinstance(focused, ArticleView) and "article" in choices:
            return choices, "article"
        return choices, choices[0] if choices else ""

    def action_export(self) -> None:
        """e: ask what, how and where (a dialog), then write it and say where it went."""
        choices, chosen = self._choices()
        if not choices:
            self.notify("nothing to export yet: search, or open an article")
            return
        self.app.push_screen(ExportScreen(choices, chosen), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.run_export(request)

    @work(exclusive=True, exit_on_error=False, group="export")
    async def run_export(self, request: ExportRequest) -> None:
        rows, heading = await self._rows(request.what)
        try:
            written = export.write(request.path, export.render(rows, request.fmt, heading))
        except OSError as exc:
            why = exc.strerror or str(exc)
            self.notify(
                f"cannot write {one_line(str(request.path))}: {why}",
                severity="error",
                markup=False,
            )
            return
        what = counted(len(rows), NOUNS[request.what])
        self.notify(
            f"exported {what} as {FORMAT_NAMES[request.fmt]} to {one_line(str(written))}",
            title="Export",
            markup=False,
        )

    async def _rows(self, what: str) -> tuple[list[export.Row], str]:
        nav = self.nav
        if what == "results":
            cited = await self._citations([h.id for h in nav.results.hits])
            query = nav.results.query or "every article"
            return export.result_rows(nav.results, cited), f"crosswire: {query}"
        if what == "mentions" and nav.entity is not None:
            mentions = nav.entity.mentions_by_source.values()
            ids = list(dict.fromkeys(m.article_id for ms in mentions for m in ms))
            cited = await self._citations(ids)
            texts = await self.backend.texts(ids)
            heading = f"crosswire: every mention of {nav.entity.name}"
            return export.mention_rows(nav.entity, cited, texts), heading
        if nav.article is not None:
            return export.article_rows(nav.article), f"crosswire: {nav.article.title}"
        return [], "crosswire"

    async def _citations(self, ids: list[str]) -> dict[str, Citation]:
        return await self.backend.citations(ids)

    @work(exclusive=True, exit_on_error=False, group="export")
    async def action_copy_passage(self) -> None:
        """y: the mention or passage under the cursor, quoted, with outlet, title, date, URL."""
        copied = await self._passage()
        if copied is None:
            self.notify("nothing to copy here: put the cursor on a name, mention or result")
            return
        text, where = copied
        self.app.copy_to_clipboard(text)
        self.notify(f"copied {where} with its citation", markup=False)

    async def _passage(self) -> tuple[str, str] | None:
        """The quote under the cursor of the focused pane and what it is, or None."""
        focused = self.focused
        if isinstance(focused, MentionList):
            option = focused.highlighted_option
            m = focused.by_id.get(option.id or "") if option is not None else None
            if m is not None:
                c = (await self._citations([m.article_id])).get(m.article_id)
                text = (await self.backend.texts([m.article_id])).get(m.article_id, "")
                passage = (
                    passage_around(text, m.start, m.end)
                    if text[m.start : m.end] == m.text
                    else f"{m.before}{m.text}{m.after}"
                )
                return _quote(passage, c, m.source, m.title), "the mention"
        if isinstance(focused, ResultsList):
            option = focused.highlighted_option
            hit = next(
                (h for h in focused.listed.hits if option and option.id == f"article:{h.id}"), None
            )
            if hit is not None:
                c = (await self._citations([hit.id])).get(hit.id)
                return _quote(hit.snippet, c, hit.source, hit.title), "the result's passage"
        article = self.nav.article
        if article is None:
            return None
        view = self.reading.view
        cursor = view.cursor_mention
        at = cursor.start if cursor else view.top_offset()
        end = cursor.end if cursor else at
        passage = passage_around(article.text, at, end)
        cite = Citation(
            article.id, article.ref, article.source, article.title, article.published, article.url
        )
        what = "the sentence around the name" if cursor else "the passage at the top"
        return _quote(passage, cite, article.source, article.title), what

    def action_open_url(self) -> None:
        """o: the open article's URL (or the highlighted result's) in the browser."""
        article = self.nav.article
        url = article.url.strip() if article is not None else ""
        if article is None:
            self.notify("open an article first")
            return
        if not url:
            self.notify("this article has no URL: its source did not give one", markup=False)
            return
        if webbrowser.open(url):
            self.notify(f"opened {one_line(url)} in the browser", markup=False)
        else:
            self.notify(f"no browser to open {one_line(url)}", severity="warning", markup=False)


def _quote(passage: str, cited: Citation | None, source: str, title: str) -> str:
    if cited is None:
        return export.quote(passage, source, title, None, "")
    return export.quote(passage, cited.source, cited.title, cited.published, cited.url)
