"""Getting things out of the reader: y copies with a citation, o opens the URL, e exports
the results, an entity's mentions or an article to a file the user names."""

from __future__ import annotations

import csv
import json
import webbrowser
from pathlib import Path

from crosswire.index.library import Library
from crosswire.tui.article_view import ArticleView
from crosswire.tui.export import ExportScreen
from crosswire.tui.widgets import MentionList, ResultsList
from textual.widgets import Input

from .conftest import nav, open_first_result, open_kazemi, reader, search, settle

URL = "https://example.org/drone-story"


def library_with_urls(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": "w1",
            "source": "Wire One",
            "title": "Drone strikes residence",
            "url": URL,
            "published": "2021-11-07",
            "text": "A drone struck the residence at dawn. Seven guards were wounded by it.",
        },
        {
            "id": "w2",
            "source": "Wire Two",
            "title": "Guards hurt",
            "text": "Officials said two drones were shot down. Three guards were hurt.",
        },
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([feed], entities=False)
    return directory


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_o_opens_the_article_url_in_the_browser(tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "residence")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [URL]
        assert any("opened" in t and URL in t for t in toasts(app))


async def test_o_says_so_when_there_is_no_url_or_no_browser(tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or False)
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "shot")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [] and any("no URL" in t for t in toasts(app))
        await search(app, pilot, "residence")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [URL] and any("no browser" in t for t in toasts(app))


async def test_y_copies_the_passage_with_its_citation(tmp_path):
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "wounded")
        results = app.query_one(ResultsList)
        results.focus()
        await pilot.press("y")
        await settle(app, pilot)
        copied = app.clipboard
        assert "Seven guards were wounded" in copied
        assert copied.endswith("Wire One, “Drone strikes residence”, 2021-11-07, " + URL)
        assert any("copied" in t and "citation" in t for t in toasts(app))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard.startswith("“A drone struck the residence at dawn.”")


async def test_y_on_a_mention_copies_it_in_context_with_its_source(seeded):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        assert isinstance(app.focused, MentionList)
        mention = app.focused.by_id[app.focused.highlighted_option.id]
        await pilot.press("y")
        await settle(app, pilot)
        assert mention.text in app.clipboard and "“" in app.clipboard
        assert f"— {mention.source}" in app.clipboard
        assert "date unknown" in app.clipboard or "2021-11-08" in app.clipboard


async def export_to(app, pilot, path: Path, choose: str | None = None) -> None:
    if isinstance(app.focused, Input):  # keys typed in the search box are the query
        app.query_one(ResultsList).focus()
        await settle(app, pilot)
    await pilot.press("e")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    if choose is not None:
        button = next(b for b in screen.query("#export-what RadioButton") if b.name == choose)
        button.value = True
        await settle(app, pilot)
    box = screen.query_one("#export-path", Input)
    box.value = str(path)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_export_writes_the_results_as_csv_and_says_where(tmp_path):
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "guards")
        target = tmp_path / "out" / "guards.csv"
        target.parent.mkdir()
        await export_to(app, pilot, target)
        with open(target, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert [r["article"] for r in rows] == [h.id for h in nav(app).results.hits]
        assert {r["source"] for r in rows} == {"Wire One", "Wire Two"}
        assert next(r["url"] for r in rows if r["source"] == "Wire One") == URL
        assert any(str(target) in t and "exported 2 results" in t for t in toasts(app))


async def test_export_an_entity_s_mentions_as_markdown(seeded, tmp_path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        target = tmp_path / "kazemi.md"
        await export_to(app, pilot, target)
        text = target.read_text(encoding="utf-8")
        entity = nav(app).entity
        assert text.startswith(f"# crosswire: every mention of {entity.name}")
        assert text.count("\n> — ") == entity.mention_count


async def test_export_the_article_as_jsonl_chosen_in_the_dialog(tmp_path):
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "residence")
        await open_first_result(app, pilot)
        target = tmp_path / "article.jsonl"
        await export_to(app, pilot, target, choose="article")
        (line,) = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
        assert line["kind"] == "article" and line["url"] == URL
        assert line["passage"] == nav(app).article.text


async def test_an_export_that_cannot_be_written_says_why_and_writes_nothing(tmp_path):
    async with reader(library_with_urls(tmp_path)) as (app, pilot):
        await search(app, pilot, "guards")
        await export_to(app, pilot, tmp_path / "missing" / "out.csv")
        assert any("cannot write" in t for t in toasts(app))
        assert not (tmp_path / "missing").exists()
