"""The reader's shape, checked: what may import what, and the lists' typed messages.

An import circle or a second module reaching into the engine would creep back unnoticed;
these read the source, so they fail the moment one does.
"""

from __future__ import annotations

import ast
from pathlib import Path

from crosswire.index.model import EntityHint, SearchHit, SearchResults
from crosswire.tui.app import CrosswireApp
from crosswire.tui.keys import binding_ids
from crosswire.tui.reader import ReaderScreen
from crosswire.tui.widgets import ResultsList
from textual.app import App, ComposeResult
from textual.message import Message

TUI = Path(__file__).parents[2] / "tui"


def imports(path: Path) -> set[str]:
    """Modules a file imports, relative ones as crosswire.tui.NAME."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                names = [node.module] if node.module else [a.name for a in node.names]
                found.update(f"crosswire.tui.{n}" for n in names)
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {f"crosswire.tui.{p.stem}": p for p in TUI.glob("*.py")}
    return {name: imports(path) & set(modules) for name, path in modules.items()}


def test_tui_modules_import_no_circle():
    edges = graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, "import circle: " + " -> ".join([*path, name])
        if name in done:
            return
        for other in edges[name]:
            visit(other, [*path, name])
        done.add(name)

    for name in edges:
        visit(name, [])


def opens_library(path: Path) -> bool:
    """The file imports `Library`, from the engine's public face or its module."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module in ("crosswire.index", "crosswire.index.library")
        and any(a.name == "Library" for a in node.names)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_only_the_backend_opens_the_library_for_the_reader():
    reaching = {p.stem for p in TUI.glob("*.py") if opens_library(p)}
    if any(opens_library(p) for p in (TUI / "cli").glob("*.py")):  # a package
        reaching.add("cli")
    assert reaching == {"backend", "cli"}, "the CLI is the other client of the engine"


def test_only_the_launcher_and_cli_import_the_app():
    edges = graph()
    importers = {m for m, found in edges.items() if "crosswire.tui.app" in found}
    assert importers == {"crosswire.tui.launch"}


def test_escape_keeps_its_id_and_leaves_app_back_alone():
    assert CrosswireApp.action_back is App.action_back
    back = binding_ids([ReaderScreen])["crosswire.back"]
    assert (back.key, back.action) == ("escape", "step_back")


def hit(article_id: str) -> SearchHit:
    return SearchHit(article_id, article_id, "wire", f"Title {article_id}", None, 1.0, "")


async def test_results_list_says_what_was_chosen():
    hint = EntityHint("Kazemi", "e7", "Mustafa al-Kadhimi", ("Kadhimi",))
    results = SearchResults(
        query="Kazemi",
        total=2,
        hits=[hit("a1"), hit("a2")],
        suggestion="kazimi",
        entity_hints=[hint],
    )
    heard: list[Message] = []

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ResultsList(id="results")

        def on_results_list_article_chosen(self, event: ResultsList.ArticleChosen) -> None:
            heard.append(event)

        def on_results_list_suggestion_chosen(self, event: ResultsList.SuggestionChosen) -> None:
            heard.append(event)

        def on_results_list_hint_chosen(self, event: ResultsList.HintChosen) -> None:
            heard.append(event)

    async with Host().run_test() as pilot:
        listed = pilot.app.query_one(ResultsList)
        listed.show(results)
        listed.focus()
        for option_id in ("suggest", "hint:0", "article:a2"):
            listed.highlighted = listed.get_option_index(option_id)
            await pilot.press("enter")
            await pilot.pause()
    suggestion, hint_chosen, article = heard
    assert isinstance(suggestion, ResultsList.SuggestionChosen)
    assert suggestion.suggestion == "kazimi"
    assert isinstance(hint_chosen, ResultsList.HintChosen) and hint_chosen.hint == hint
    assert isinstance(article, ResultsList.ArticleChosen) and article.article_id == "a2"
