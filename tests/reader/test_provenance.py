"""Where an article came from, shown where it is read; browsing the whole library in the
order the user picks; and a background add that says what it skipped and why."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from crosswire.index.library import Library
from crosswire.index.model import EntityDetail, MentionInContext
from crosswire.tui.article_view import ArticleView
from crosswire.tui.extraction import cli_command
from crosswire.tui.panes import entity_head
from crosswire.tui.widgets import ResultsList
from textual.widgets import Static

from .conftest import article_lines, nav, open_first_result, reader, search, settle


def head_text(app) -> str:
    return str(app.query_one("#article-head", Static).render())


async def test_the_head_shows_outlet_date_url_and_ref_and_the_title_once(tmp_path):
    feed = tmp_path / "feed.jsonl"
    row = {
        "id": "story-7",
        "source": "Wire One",
        "title": "Drone strikes residence",
        "url": "https://example.org/7",
        "published": "2021-11-07T06:00:00",
        "text": "Drone strikes residence\nA drone struck the residence at dawn.",
    }
    feed.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        library.add([feed], entities=False)
    async with reader(tmp_path / "lib") as (app, pilot):
        await open_first_result(app, pilot)
        head = head_text(app)
        assert "Wire One" in head and "2021-11-07" in head
        assert "https://example.org/7" in head and "ref story-7" in head
        body = [line.strip() for line in article_lines(app.query_one(ArticleView))]
        assert body[0] == "Drone strikes residence", "the text opens with its title"
        assert "Drone strikes residence" not in head, "so the title is printed once"
        other = "A drone struck the residence at dawn."
        assert body[1:3] == ["", other]


async def test_a_title_the_text_does_not_open_with_is_in_the_head(tmp_path):
    feed = tmp_path / "feed.jsonl"
    row = {"id": "s8", "source": "W", "title": "Guards hurt", "text": "Three guards were hurt."}
    feed.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        library.add([feed], entities=False)
    async with reader(tmp_path / "lib") as (app, pilot):
        await open_first_result(app, pilot)
        assert head_text(app).startswith("Guards hurt\nW · date unknown · 4 words")
        assert "no URL" in head_text(app)


async def test_a_seed_s_head_says_what_is_unknown_and_names_its_file(seeded):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Khatibzadeh")
        await pilot.press("enter")
        await settle(app, pilot)
        head = head_text(app)
        article = nav(app).article
        assert f"ref {article.ref}" in head and article.ref.endswith(".txt")
        assert "no URL" in head
        assert ("date unknown" in head) == (article.published is None)


def many(tmp_path: Path, n: int) -> Path:
    feed = tmp_path / "many.jsonl"
    rows = [
        {
            "id": f"a{i}",
            "source": f"wire{i % 3}",
            "title": f"Story {n - i:03}",
            "published": f"2021-01-{1 + i % 28:02}",
            "text": f"Text {i}.",
        }
        for i in range(n)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([feed], entities=False)
    return directory


async def test_the_empty_box_browses_the_whole_library_page_by_page(tmp_path):
    async with reader(many(tmp_path, 120)) as (app, pilot):
        results = app.query_one(ResultsList)
        results.focus()
        assert len(nav(app).results.hits) == 50
        for _ in range(3):
            await pilot.press("G")  # the last line: the next page comes
            await settle(app, pilot)
        listed = [h.ref for h in nav(app).results.hits]
        assert listed == [f"a{i}" for i in range(120)], "every article once, in order"
        assert "more" not in [o.id for o in results.options]


async def test_s_sorts_the_browsed_library_by_date_source_and_title(tmp_path):
    async with reader(many(tmp_path, 60)) as (app, pilot):
        app.query_one(ResultsList).focus()
        seen = {}
        for _ in range(3):
            await pilot.press("S")
            await settle(app, pilot)
            hits = nav(app).results.hits
            seen[app.query_one(ResultsList).sort] = hits
            assert len(hits) == 50
        dates = [h.published for h in seen["date"]]
        assert dates == sorted(dates, reverse=True)
        assert [h.source for h in seen["source"]] == sorted(h.source for h in seen["source"])
        assert [h.title for h in seen["title"]][:3] == ["Story 001", "Story 002", "Story 003"]
        assert "by title" in str(app.query_one("#count", Static).render())


async def test_a_background_add_names_what_it_skipped_and_why(tmp_path):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([], entities=False)
    good = tmp_path / "good.txt"
    good.write_text("A story about the drones over Baghdad.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    command = cli_command(directory, "add", "--no-entities", "--quiet", str(good), str(empty))
    async with reader(directory, extract=command) as (app, pilot):
        extraction = app.extraction  # None when a poll already saw it finish (a loaded box)
        if extraction is not None:
            await asyncio.to_thread(extraction.process.wait, 120)
        app.poll()
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("added 1" in t and "empty.txt: empty file" in t for t in said), said


def test_one_mention_in_one_source_is_said_in_the_singular():
    m = MentionInContext("a", "r", "Wire", "T", 0, 6, "Kazemi", "", "")
    head = str(entity_head(EntityDetail("e", "Kazemi", "PERSON", [], {"Wire": [m]})))
    assert "1 mention in 1 source" in head
