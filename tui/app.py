"""The reader's app: thin. It holds the keymap, the theme, the Backend and the background work
(entity extraction in a subprocess, polling for what other processes commit); the reader itself
is `ReaderScreen`, its default screen.

Every Library call runs on the Backend's one thread, so the UI thread never waits; extraction
runs in a subprocess, so the reader never imports spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from .article_view import ArticleView
from .backend import Backend
from .bindings import APP_BINDINGS
from .coverage import StoryOverviewScreen
from .extraction import Extraction
from .finder import EntityFinder
from .keys import binding_ids, config_path, load_keymap
from .messages import WorkFailed, report_failures
from .palette import ActionCommands, EntityCommands, SourceCommands
from .picker import FilterPicker
from .reader import ReaderScreen
from .safe import one_line
from .screens import ConfirmScreen, EntityPicker, HelpScreen, NamePicker
from .settings import load_settings, save_settings, shares_of
from .stories import StoryListScreen, offer_story_list
from .story_pickers import SplitScreen, StoryPicker
from .widgets import KeyedOptionList, QueryInput, ResultsList

POLL_EVERY = 2.0

HelpSections = list[tuple[str, list[tuple[str, str, str]]]]


class CrosswireApp(App[int]):
    """crosswire's reader."""

    CSS_PATH = "crosswire.tcss"
    TITLE = "crosswire"
    # Actions by name replace Textual's system commands (which it lists, minus a second Keys).
    COMMANDS: ClassVar[set[Any]] = {ActionCommands, EntityCommands, SourceCommands}
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        backend: Backend,
        *,
        extract: Sequence[str] | None = None,
        extract_label: str = "extracting entities…",
    ) -> None:
        super().__init__()
        self.backend = backend
        self.reader = ReaderScreen(backend)
        self.extract_command = list(extract) if extract else None
        self.extract_label = extract_label
        self.extraction: Extraction | None = None
        self._polling = False
        self.interrupted = ""
        self.worker_errors: list[BaseException | None] = []
        self.keymap, self.keymap_problems = load_keymap(config_path(), reader_binding_ids())
        self.settings, self.settings_problems = load_settings(config_path())
        self.reader.shares = shares_of(self.settings)
        self._settings_problem: str | None = None
        self._restore_theme()  # before mounting: no theme change to re-style for

    def get_default_screen(self) -> Screen[Any]:
        return self.reader

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        for problem in self.keymap_problems + self.settings_problems:
            self.notify(problem, severity="warning", markup=False)
        self.show_notices()
        self.theme_changed_signal.subscribe(self, lambda _theme: self._theme_changed())
        if self.extract_command:
            try:
                self.extraction = Extraction(self.extract_command, self.extract_label)
            except OSError as exc:
                self.notify(
                    f"cannot start entity extraction: {exc}", severity="error", markup=False
                )
            else:
                self.reader.status.set(activity=self.extract_label)
        self.set_interval(POLL_EVERY, self.poll)
        # More than one story: the story list is the start screen (tui/stories.py).
        self.run_worker(offer_story_list(self.reader), group="stories", exit_on_error=False)

    def on_unmount(self) -> None:
        if self.extraction is not None:
            if self.extraction.returncode() is None:
                self.interrupted = self.extraction.label
            self.extraction.stop()

    on_worker_state_changed = report_failures

    # -- settings remembered across runs (settings.py) -------------------------------------------

    def _restore_theme(self) -> None:
        theme = self.settings.get("theme")
        if isinstance(theme, str) and theme != self.theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.settings_problems.append(
                    f"{config_path()}: [reader] theme {one_line(theme)!r} is not a theme; "
                    f"using {self.theme!r}"
                )

    def _theme_changed(self) -> None:
        self.reader.restyle()
        if self.theme != self.settings.get("theme"):  # the user chose one (palette: Theme)
            self.save_settings()

    def save_settings(self) -> None:
        """Remember the theme and the pane widths in config.toml; a failure is one line
        (once, not at every key press)."""
        shares = self.reader.shares
        values: dict[str, str | int] = {
            "theme": self.theme,
            "search_pane": shares.search,
            "entity_pane": shares.entity,
        }
        problem = save_settings(config_path(), values)
        if problem is None:
            self.settings.update(values)
        elif problem != self._settings_problem:
            self.notify(problem, severity="warning", markup=False)
        self._settings_problem = problem

    @on(WorkFailed)
    def work_failed(self, event: WorkFailed) -> None:
        """A failing library call is one line on screen, never a crash of the reader."""
        self.worker_errors.append(event.error)
        self.notify(f"{event.group}: {one_line(str(event.error))}", severity="error", markup=False)

    def show_notices(self) -> None:
        """What the library reported (e.g. a damaged index being rebuilt), on screen."""
        while self.backend.notices:
            self.notify(one_line(self.backend.notices.pop(0)), severity="warning", markup=False)

    # -- what the palette needs (palette.Navigator) ----------------------------------------------

    async def entity_finder(self) -> EntityFinder:
        return await self.reader.entity_finder()

    async def source_counts(self) -> dict[str, int]:
        return await self.backend.sources()

    def open_entity(self, name_or_id: str) -> Any:
        return self.reader.open_entity(name_or_id)

    def set_source(self, source: str | None) -> None:
        self.reader.set_source(source)

    def palette_actions(self) -> list[SystemCommand]:
        """Every action by name for the palette: the app's and the reader's keys."""
        return list(self.get_system_commands(self.reader)) + list(self.reader.palette_actions())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Minimize"):  # our Keys is the help
                yield command
        yield SystemCommand(
            "Go to entity…", "Open an entity by any of its names", self.action_go_to_entity
        )
        yield SystemCommand("Go to source…", "Show one source's articles", self.action_go_to_source)
        yield SystemCommand("All sources", "Clear the source filter", lambda: self.set_source(None))
        yield SystemCommand("Keys", "Help: every key and what it does", self.action_help)

    def action_go_to_entity(self) -> None:
        self.push_screen(CommandPalette(providers=[EntityCommands], placeholder="Go to entity…"))

    def action_go_to_source(self) -> None:
        self.push_screen(CommandPalette(providers=[SourceCommands], placeholder="Go to source…"))

    # -- help -----------------------------------------------------------------------------------

    def help_sections(self) -> HelpSections:
        """Every key, as remapped by the user's keymap, for the help screen."""
        topics: list[tuple[str, Sequence[type]]] = [
            ("Everywhere", (ReaderScreen, CrosswireApp)),
            ("Article", (ArticleView,)),
            ("Lists (results, mentions)", (KeyedOptionList, ResultsList)),
            ("Stories (the list, the overview)", (StoryListScreen, StoryOverviewScreen)),
            ("Pickers", (FilterPicker, SplitScreen)),
        ]
        sections: HelpSections = []
        for title, classes in topics:
            rows, seen = [], set()
            for cls in classes:
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id not in seen:
                        seen.add(binding.id)
                        rows.append(self._help_row(binding))
            sections.append((title, rows))
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette")
        sections[0][1].append(
            (self.get_key_display(palette), "Command palette: go to entity…, source…, theme", "")
        )
        sections[0][1].append(("tab, shift+tab", "Next / previous pane (everywhere)", ""))
        return sections

    def _help_row(self, binding: Binding) -> tuple[str, str, str]:
        keys = self.keymap.get(binding.id or "", binding.key).split(",")
        shown = ", ".join(
            self.get_key_display(replace(binding, key=k.strip(), key_display=None)) for k in keys
        )
        return shown, binding.tooltip or binding.description, binding.id or ""

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
            changed = await self.backend.refresh()
            self.show_notices()
            extraction = self.extraction
            finished = extraction is not None and extraction.returncode() is not None
            if extraction is not None and not finished:
                annotated, stored = await self.backend.entity_progress()
                self.reader.status.set(
                    activity=f"{extraction.label} {annotated:,} of {stored:,} articles"
                )
            if finished and extraction is not None:
                self._extraction_finished(extraction)
            if changed or finished:
                await self.reader.library_changed()
        finally:
            self._polling = False

    def _extraction_finished(self, extraction: Extraction) -> None:
        message, severity = extraction.outcome()
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]
        extraction.stop()
        self.extraction = None
        self.reader.status.set(activity="")


def reader_binding_ids() -> dict[str, Binding]:
    """Every binding id a user may remap: the app's, its screen's and its widgets'."""
    return binding_ids(
        [
            CrosswireApp,
            ReaderScreen,
            ArticleView,
            KeyedOptionList,
            ResultsList,
            QueryInput,
            HelpScreen,
            ConfirmScreen,
            EntityPicker,
            NamePicker,
            StoryListScreen,
            StoryOverviewScreen,
            StoryPicker,
            SplitScreen,
        ]
    )
