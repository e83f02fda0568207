"""Searching: as you type, stale answers dropped, bad queries, did-you-mean, hints, the source
filter and the empty box."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.tui.backend import RESULT_LIMIT
from crosswire.tui.widgets import ResultsList
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Select, Static

from .conftest import (
    library_thread_held,
    nav,
    reader,
    search,
    settle,
)


async def test_empty_query_lists_every_article(seeded: Path):
    async with reader(seeded) as (app, _):
        assert len(nav(app).results.hits) == 5
        assert "5 articles" in str(app.query_one("#count", Static).content)


async def test_search_as_you_type_marks_the_hit(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Kazemi")
        assert nav(app).results.query == "Kazemi"
        assert nav(app).results.hits, "the seed that writes Kazemi is found"
        results = app.query_one(ResultsList)
        hit = nav(app).results.hits[0]
        prompt = results.get_option(f"article:{hit.id}").prompt
        marked = {prompt.plain[s.start : s.end] for s in prompt.spans if s.start > 0}
        assert "Kazemi" in marked
        assert "match" in str(app.query_one("#count", Static).content)


async def test_stale_answers_are_dropped(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await pilot.press("slash", *"Iran")
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"drone")
        await settle(app, pilot)
        assert nav(app).results.query == "drone"


async def test_bad_query_is_a_message_not_a_crash(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, '"unbalanced')
        count = app.query_one("#count", Static)
        assert count.has_class("-error")
        assert str(count.content)
        await search(app, pilot, "Iran")
        assert not count.has_class("-error")
        assert nav(app).results.hits


def generated_queries(count: int) -> list[str]:
    """Arbitrary strings from hypothesis, plus the shapes that broke query parsers before.

    The reader is started once and fed them all: one app per example would take minutes.
    """
    found = [
        '"',
        "(",
        ")",
        "-",
        "*",
        "~",
        "date:",
        "date:[2021 TO",
        "entity:",
        'entity:"',
        "source:",
        "a OR",
        "NOT",
        "kazmi~9",
        "[bold]x[/]",
        "[@click=app.quit]q",
        "\x1b[2J",
    ]

    @settings(max_examples=count, database=None, derandomize=True)
    @given(st.text(max_size=40))
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return found


@pytest.mark.slow
async def test_any_text_in_the_search_box_gives_results_or_a_message(seeded: Path):
    async with reader(seeded) as (app, pilot):
        count = app.query_one("#count", Static)
        box = app.query_one("#query", Input)
        for text in generated_queries(80):
            box.value = text  # what typing it does, without a key press per character
            await settle(app, pilot)
            assert app.is_running
            if count.has_class("-error"):
                message = str(count.content)
                assert message and "\n" not in message, repr(text)
            else:
                # A blank box lists every article rather than searching.
                assert nav(app).results.query == (text if text.strip() else ""), repr(text)
        await search(app, pilot, "drone")
        assert nav(app).results.hits, "the box still searches after all that"


async def test_source_filter(seeded: Path):
    async with reader(seeded) as (app, pilot):
        source = nav(app).results.hits[0].source
        app.set_source(source)
        await settle(app, pilot)
        assert nav(app).results.hits and {h.source for h in nav(app).results.hits} == {source}
        app.set_source(None)
        await settle(app, pilot)
        assert len(nav(app).results.hits) == 5


async def test_did_you_mean_is_selectable(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Bagdad")
        assert nav(app).results.suggestion == "baghdad" and not nav(app).results.hits
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.query_one("#query", Input).value == "baghdad"
        assert nav(app).results.hits


async def test_also_written_hint_opens_the_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Kazemi")
        results = app.query_one(ResultsList)
        hint = results.get_option("hint:0")
        assert "also written" in hint.prompt.plain and "Kadhimi" in hint.prompt.plain
        await pilot.press("down")
        results.highlighted = results.get_option_index("hint:0")
        await pilot.press("enter")
        await settle(app, pilot)
        assert nav(app).entity is not None and len(nav(app).entity.mentions_by_source) == 5


async def test_enter_right_after_typing_opens_the_new_top_result(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await pilot.press(*"Kazemi", "enter")
        await settle(app, pilot)
        assert nav(app).article is not None and "Kazemi" in nav(app).article.text


async def test_palette_goes_to_a_source(seeded: Path):
    async with reader(seeded) as (app, pilot):
        source = nav(app).results.hits[-1].source
        app.action_go_to_source()
        await settle(app, pilot)
        await pilot.press(*source)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.reader.search.source == source
        assert {h.source for h in nav(app).results.hits} == {source}


async def test_moving_through_results_previews_articles_when_wide(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await pilot.press("down")
        await settle(app, pilot)
        assert isinstance(app.focused, ResultsList)
        await pilot.press("j")
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.id == nav(app).results.hits[1].id
        assert isinstance(app.focused, ResultsList), "a preview leaves the focus in the list"


async def test_source_filter_stays_shown_when_the_query_misses_it(seeded: Path):
    """The dropdown and the filter agree, even when the query has no match in the source."""
    async with reader(seeded) as (app, pilot):
        kazemi = await app.backend.call(lambda library: library.search("Kazemi"))
        found_in = {h.source for h in kazemi.hits}
        other = next(s for s in sorted(app.reader.search.source_counts) if s not in found_in)
        select = app.query_one("#source", Select)
        select.value = other
        await settle(app, pilot)
        await search(app, pilot, "Kazemi")
        assert app.reader.search.source == other and not nav(app).results.hits
        assert select.value == other, "the dropdown shows the source the results are filtered by"
        assert "0 matches" in str(app.query_one("#count", Static).content)


async def test_empty_box_reads_only_the_articles_it_lists(tmp_path: Path, monkeypatch):
    feed = tmp_path / "many.jsonl"
    rows = [
        {"id": f"a{i}", "source": f"wire{i % 3}", "title": f"Story {i}", "text": f"Text {i}."}
        for i in range(RESULT_LIMIT + 20)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([feed], entities=False)
    read: list[int] = []
    articles = Library.articles

    def counting(
        self: Library,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        **options: str,
    ) -> list:
        listed = articles(self, source, limit, offset, **options)
        read.append(len(listed))
        return listed

    monkeypatch.setattr(Library, "articles", counting)
    async with reader(directory) as (app, _):
        titles = [h.title for h in nav(app).results.hits]
        assert titles == [f"Story {i}" for i in range(RESULT_LIMIT)]
        count = str(app.query_one("#count", Static).content)
        assert f"{RESULT_LIMIT + 20} articles, first {RESULT_LIMIT} shown" in count
        assert read and max(read) <= RESULT_LIMIT, "never the whole table for one page"
        assert sum(app.reader.search.source_counts.values()) == RESULT_LIMIT + 20


async def test_enter_then_more_typing_opens_nothing(seeded: Path):
    """enter opens the top result of the search it was pressed for, not of a later one."""
    async with reader(seeded) as (app, pilot):
        with library_thread_held(app):
            await pilot.press(*"Kazem", "enter", "i")
        await settle(app, pilot)
        assert nav(app).results.query == "Kazemi" and nav(app).results.hits
        assert nav(app).article is None
        app.poll()
        await settle(app, pilot)
        assert nav(app).article is None
