"""The reader, driven through Textual's pilot on real libraries built in tmp dirs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.index.model import CrosswireError, EntitySummary
from crosswire.seeds import seed_paths
from crosswire.tui.app import CrosswireApp
from crosswire.tui.article_view import ArticleView
from crosswire.tui.backend import RESULT_LIMIT
from crosswire.tui.extraction import cli_command
from crosswire.tui.keys import binding_ids
from crosswire.tui.reader import ReaderScreen
from crosswire.tui.screens import ConfirmScreen, EntityPicker, HelpScreen, NamePicker
from crosswire.tui.widgets import KeyedOptionList, MentionList, ResultsList, StatusLine
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.fuzzy import FuzzySearch
from textual.widgets import Input, Select, Static

from .conftest import (
    NARROW,
    WIDE,
    article_lines,
    nav,
    open_first_result,
    open_kazemi,
    palette_to_entity,
    reader,
    search,
    settle,
    tab_to,
    visible,
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


async def test_open_result_shows_title_text_and_hits(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        assert nav(app).article is not None and "Kazemi" in nav(app).article.text
        assert app.focused is view
        assert view.hits and all(nav(app).article.text[a:b] == "Kazemi" for a, b in view.hits)
        assert view.mentions, "entities are coloured"
        assert any(line.strip() for line in article_lines(view))
        head = str(app.query_one("#article-head", Static).content)
        assert nav(app).article.source in head


async def test_tab_to_mention_then_entity_panel(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        assert nav(app).entity is not None
        names = {nav(app).entity.name, *(a.name for a in nav(app).entity.aliases)}
        assert any("Kadhimi" in n for n in names) and any("Kazemi" in n for n in names)
        assert len(nav(app).entity.mentions_by_source) == 5
        assert visible(app, "#entity-pane")
        head = str(app.query_one("#entity-head", Static).content)
        assert "also:" in head
        assert isinstance(app.focused, MentionList)


async def test_choosing_a_mention_opens_its_article_there(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        await tab_to(app, pilot, "Kazemi")
        await pilot.press("enter", "j", "j", "enter")
        await settle(app, pilot)
        mentions = app.query_one(MentionList)
        chosen = mentions.by_id[mentions.highlighted_option.id]
        view = app.query_one(ArticleView)
        assert nav(app).article is not None and nav(app).article.id == chosen.article_id
        assert view.cursor_mention is not None and view.cursor_mention.start == chosen.start
        assert view.flashing == (chosen.start, chosen.end)


async def test_n_walks_mentions_across_every_source(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        stops = nav(app).stops
        visited = []
        for _ in range(len(stops)):
            await pilot.press("n")
            await settle(app, pilot)
            view = app.query_one(ArticleView)
            assert view.cursor_mention is not None
            visited.append((nav(app).article.id, view.cursor_mention.start))
        assert set(visited) == {(s.article_id, s.start) for s in stops}
        assert len({nav(app).stops[i].source for i in range(len(stops))}) == 5
        status = str(app.query_one(StatusLine).content)
        assert "source" in status and f"of {len(stops)}" in status
        before = nav(app).stop_index
        await pilot.press("N")
        await settle(app, pilot)
        assert nav(app).stop_index == (before - 1) % len(stops)


async def test_brackets_step_through_sources(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        seen = []
        for _ in range(5):
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
            seen.append(nav(app).stops[nav(app).stop_index].source)
        assert len(set(seen)) == 5
        assert "source" in str(app.query_one(StatusLine).content)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert nav(app).stops[nav(app).stop_index].source == seen[-2]


async def test_brackets_in_results_change_source(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        first = nav(app).article
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.source != first.source
        assert "result" in str(app.query_one(StatusLine).content)


async def test_split_a_name_off(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        assert "Kazemi" in {a.name for a in nav(app).entity.aliases}
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, NamePicker)
        names = [name for name, _ in app.screen.names]
        for _ in range(names.index("Kazemi")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Kazemi" not in {a.name for a in nav(app).entity.aliases}
        alone = await app.backend.call(Library.entity, "Kazemi")
        assert alone is not None and alone.id != nav(app).entity.id


async def test_merge_two_entities(seeded: Path):
    async with reader(seeded) as (app, pilot):
        app.open_entity("Tehran")
        await settle(app, pilot)
        assert nav(app).entity is not None and nav(app).entity.name == "Tehran"
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, EntityPicker)
        await pilot.press(*"Khatibzadeh")
        await settle(app, pilot)
        assert app.screen.shown and "Khatibzadeh" in app.screen.shown[0].name
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        names = {nav(app).entity.name, *(a.name for a in nav(app).entity.aliases)}
        assert {"Tehran"} < names and any("Khatibzadeh" in n for n in names)
        stored = await app.backend.call(Library.entity, "Tehran")
        assert any("Khatibzadeh" in a.name for a in stored.aliases)


async def test_confirmation_no_changes_nothing(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        aliases = {a.name for a in nav(app).entity.aliases}
        await pilot.press("s", "enter")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert {a.name for a in nav(app).entity.aliases} == aliases


HOSTILE_TITLE = "Leak [bold]x[/] [@click=app.quit]quit[/]"
HOSTILE_TEXT = (
    "Officials said [bold]x[/] and [@click=app.quit]click me[/] in Baghdad.\n"
    "A \x1b[31mred\x1b[0m line and [link=https://evil]link[/link] [/] unbalanced [."
)


async def test_hostile_article_text_shows_literally(tmp_path: Path):
    source = tmp_path / "hostile.md"
    source.write_text(f"# {HOSTILE_TITLE}\n\n{HOSTILE_TEXT}\n", encoding="utf-8")
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([source], entities=False)
    async with reader(directory) as (app, pilot):
        await open_first_result(app, pilot)
        assert app.is_running
        view = app.query_one(ArticleView)
        shown = "\n".join(article_lines(view))
        assert "[bold]x[/]" in shown
        assert "[@click=app.quit]click me[/]" in shown
        assert "\x1b" not in shown and "red" in shown
        head = str(app.query_one("#article-head", Static).content)
        assert "[bold]x[/]" in head and "[@click=app.quit]" in head
        await pilot.click(ArticleView, offset=(5, 0))
        await search(app, pilot, "click")
        await settle(app, pilot)
        assert app.is_running
        prompt = app.query_one(ResultsList).options[0].prompt
        assert "[bold]x[/]" in prompt.plain


async def test_narrow_terminal_one_pane_at_a_time(seeded: Path):
    async with reader(seeded, size=NARROW) as (app, pilot):
        assert visible(app, "#search-pane") and not visible(app, "#article-pane")
        await search(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible(app, "#article-pane") and not visible(app, "#search-pane")
        await tab_to(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible(app, "#entity-pane") and not visible(app, "#article-pane")
        assert len(nav(app).entity.mentions_by_source) == 5
        await pilot.press("n")
        await settle(app, pilot)
        assert visible(app, "#article-pane")
        await pilot.press("escape")
        await settle(app, pilot)
        assert visible(app, "#search-pane")


async def test_escape_steps_back(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ArticleView) and not visible(app, "#entity-pane")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.focused, ResultsList)
        await pilot.press("escape")
        assert app.focused is app.query_one("#query")


async def test_help_lists_every_key(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.plain
        for binding_id in binding_ids([ReaderScreen, CrosswireApp, ArticleView, KeyedOptionList]):
            assert binding_id in text
        for key in ("/ |", "n |", "N |", "] |", "[ |", "?, f1", "q, ^q", "^p", "tab", "j, ↓"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_from_config_remaps_a_key(seeded: Path, tmp_path: Path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"crosswire.search" = "ctrl+f"\n', encoding="utf-8")
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert app.focused is app.query_one("#query")
        help_rows = {keys: what for keys, what, _ in app.help_sections()[0][1]}
        assert "^f" in help_rows


async def test_palette_goes_to_an_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await palette_to_entity(app, pilot, "Kazemi")
        assert nav(app).entity is not None
        assert "Kazemi" in {nav(app).entity.name, *(a.name for a in nav(app).entity.aliases)}


async def test_source_filter(seeded: Path):
    async with reader(seeded) as (app, pilot):
        source = nav(app).results.hits[0].source
        app.set_source(source)
        await settle(app, pilot)
        assert nav(app).results.hits and {h.source for h in nav(app).results.hits} == {source}
        app.set_source(None)
        await settle(app, pilot)
        assert len(nav(app).results.hits) == 5


@pytest.mark.slow
async def test_new_articles_from_another_process_appear(seeded: Path, tmp_path: Path):
    extra = tmp_path / "extra.md"
    extra.write_text("# Late news\n\nA late report from Basra about the drones.\n", "utf-8")
    async with reader(seeded) as (app, pilot):
        assert len(nav(app).results.hits) == 5
        done = subprocess.run(
            cli_command(seeded, "add", "--no-entities", "--quiet", str(extra)),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        app.poll()
        await settle(app, pilot)
        assert len(nav(app).results.hits) == 6


@pytest.mark.slow
async def test_entities_arrive_from_the_extraction_subprocess(tmp_path: Path):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add(seed_paths(), entities=False)
    command = cli_command(directory, "annotate", "--quiet")
    async with reader(directory, extract=command) as (app, pilot):
        await open_first_result(app, pilot)
        assert app.query_one(ArticleView).mentions == []
        assert "extracting" in str(app.query_one(StatusLine).content)
        process = app.extraction.process
        await asyncio.to_thread(process.wait, 120)
        app.poll()
        await settle(app, pilot)
        assert app.extraction is None
        assert app.query_one(ArticleView).mentions, "mentions appear once extraction is done"


@pytest.mark.slow
def test_reader_never_imports_spacy(seeded: Path):
    """A fresh interpreter: the test process itself has spaCy loaded by the seeded fixture.

    How fast the first paint is lives in bench/bench_startup.py, not here.
    """
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from crosswire.tui.app import CrosswireApp
        from crosswire.tui.backend import Backend

        async def main():
            backend = Backend(Path({str(seeded)!r}))
            app = CrosswireApp(backend)
            async with app.run_test(size=(160, 48)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert len(app.reader.nav.results.hits) == 5
            backend.close()
            print("spacy" in sys.modules)

        asyncio.run(main())
        """
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


@pytest.mark.parametrize("size", [WIDE, NARROW, (200, 50)])
async def test_layout_at_sizes(seeded: Path, size: tuple[int, int]):
    async with reader(seeded, size=size) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        width = view.scrollable_content_region.width
        assert all(len(line.rstrip()) <= width for line in article_lines(view))
        assert any(line.strip() for line in article_lines(view))


async def test_medium_terminal_entity_pane_takes_the_search_panes_place(seeded: Path):
    async with reader(seeded, size=(120, 40)) as (app, pilot):
        await open_kazemi(app, pilot)
        assert visible(app, "#entity-pane") and visible(app, "#article-pane")
        assert not visible(app, "#search-pane")
        assert app.query_one(ArticleView).scrollable_content_region.width >= 50
        await pilot.press("slash")
        await settle(app, pilot)
        assert visible(app, "#search-pane") and not visible(app, "#entity-pane")
        assert app.focused is app.query_one("#query")


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


async def test_clicking_a_mention_opens_its_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await search(app, pilot, "Kazemi")
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        target = next(m for m in view.mentions if m.text == "Tehran")
        view.scroll_to_offset(target.start)
        await pilot.pause()
        place = view.place_of(target.start)
        assert place is not None
        line, column = place
        y = line - int(view.scroll_y)
        await pilot.click(ArticleView, offset=(1 + column + 1, y))
        await settle(app, pilot)
        assert nav(app).entity is not None and nav(app).entity.name == "Tehran"


async def test_entity_colours_follow_the_theme(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        before = view.styles_now().kinds["GPE"].color
        app.theme = "nord"
        await settle(app, pilot)
        after = view.styles_now().kinds["GPE"].color
        assert before != after
        strips = [view.render_line(y) for y in range(view.scrollable_content_region.height)]
        colours = {seg.style.color for strip in strips for seg in strip if seg.style}
        assert after in colours and before not in colours, "the body was re-styled"


async def test_a_failing_library_call_is_a_message_not_a_crash(seeded: Path, monkeypatch):
    def broken(self: Library, id_or_ref: str) -> None:
        raise CrosswireError("the library record is damaged")

    monkeypatch.setattr(Library, "article", broken)
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        assert app.is_running and nav(app).article is None
        assert [str(e) for e in app.worker_errors] == ["the library record is damaged"]
        assert any("damaged" in n.message for n in app._notifications)
        app.worker_errors.clear()


async def test_enter_right_after_typing_opens_the_new_top_result(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await pilot.press(*"Kazemi", "enter")
        await settle(app, pilot)
        assert nav(app).article is not None and "Kazemi" in nav(app).article.text


async def test_mention_list_is_capped_per_source():
    from crosswire.index.model import EntityDetail, MentionInContext
    from crosswire.tui.widgets import MAX_MENTIONS_LISTED
    from textual.app import App

    many = [
        MentionInContext("a", "a", "S", "t", i * 10, i * 10 + 3, "Kad", "before ", " after")
        for i in range(MAX_MENTIONS_LISTED + 30)
    ]
    detail = EntityDetail("e", "Kad", "PERSON", [], {"S": many, "T": many[:2]})

    class Host(App[None]):
        def compose(self):
            yield MentionList()

    async with Host().run_test() as pilot:
        listed = pilot.app.query_one(MentionList)
        listed.show(detail)
        assert len(listed.by_id) == MAX_MENTIONS_LISTED + 2
        texts = [o.prompt.plain for o in listed.options]
        assert "… 30 more (n walks them all)" in texts
        assert texts[0] == "S (130)"


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


async def test_j_k_g_G_move_in_lists_and_the_article(seeded: Path):
    async with reader(seeded, size=(160, 20)) as (app, pilot):
        await pilot.press("down")
        results = app.query_one(ResultsList)
        await pilot.press("G")
        assert results.highlighted == results.option_count - 1
        await pilot.press("g")
        assert results.highlighted == 0
        await pilot.press("j")
        assert results.highlighted == 1
        await pilot.press("k", "enter")
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        assert view.max_scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("k")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y - 1
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0


@contextlib.contextmanager
def library_thread_held(app: CrosswireApp) -> Iterator[None]:
    """Keep the library thread busy so calls queue behind it: a race made deterministic."""
    gate = threading.Event()
    app.backend.submit(lambda _library: gate.wait())
    try:
        yield
    finally:
        gate.set()


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


@pytest.mark.parametrize("among", ["entity sources", "results"])
async def test_travel_superseded_by_a_newer_open_is_no_error(seeded: Path, among: str):
    """] waits for the article it opens; a newer open (j in the results) replacing it is
    normal, not a failed worker."""
    async with reader(seeded) as (app, pilot):
        if among == "entity sources":
            await open_kazemi(app, pilot)
        else:
            await open_first_result(app, pilot)
        newer = nav(app).results.hits[-1].id
        with library_thread_held(app):
            await pilot.press("right_square_bracket")
            for _ in range(20):  # until the travel worker waits on the article it opens
                if any(w.group == "article" and not w.is_finished for w in app.workers):
                    break
                await pilot.pause()
            app.reader.open_article(newer)
            await pilot.pause()
        await settle(app, pilot)
        assert nav(app).article is not None and nav(app).article.id == newer
        assert not any("travel" in n.message for n in app._notifications)


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

    def counting(self: Library, source: str | None = None, limit: int | None = None) -> list:
        listed = articles(self, source, limit)
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


def synthetic_entities(count: int) -> list[EntitySummary]:
    """Made-up people, none named like a seed entity, most mentioned more than any seed one."""
    rng = random.Random(7)

    def word() -> str:
        return rng.choice("BCDFGHJLMNPRSTVW") + "".join(rng.choices("aeiouyrlnst", k=6))

    return [
        EntitySummary(
            f"synthetic-{i}",
            f"{word()} {word()}",
            "PERSON",
            tuple(word() for _ in range(i % 3)),
            1000 + i % 500,
            ("wire",),
        )
        for i in range(count)
    ]


async def test_pickers_find_an_entity_among_many_without_ranking_them_all(
    seeded: Path, monkeypatch
):
    """Typing in "Go to entity…" or the merge picker fuzzy-ranks a few candidates, not all
    20,000 entities, and still finds the one meant by any of its names."""
    many = synthetic_entities(20_000)
    entities = Library.entities
    monkeypatch.setattr(Library, "entities", lambda self, **kw: [*many, *entities(self, **kw)])
    matched = 0
    match = FuzzySearch.match

    def counting(self: FuzzySearch, query: str, candidate: str) -> tuple[float, Sequence[int]]:
        nonlocal matched
        matched += 1
        return match(self, query, candidate)

    monkeypatch.setattr(FuzzySearch, "match", counting)
    async with reader(seeded) as (app, pilot):
        await palette_to_entity(app, pilot, "Kazemi")
        assert nav(app).entity is not None and "Kazemi" in {a.name for a in nav(app).entity.aliases}
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, EntityPicker)
        await pilot.press(*"Tehran")
        await settle(app, pilot)
        assert app.screen.shown[0].name == "Tehran"
        await pilot.press("escape")
        await settle(app, pilot)
        assert matched < len(many), f"{matched} fuzzy matches for 12 keystrokes"


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


async def test_status_shows_how_far_extraction_has_got(tmp_path: Path):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add(seed_paths(), entities=False)
    # A stand-in for `crosswire annotate` that runs until the reader stops it.
    command = [sys.executable, "-c", "import signal; signal.pause()"]
    async with reader(directory, extract=command) as (app, pilot):
        app.poll()
        await settle(app, pilot)
        assert "extracting entities… 0 of 5 articles" in str(app.query_one(StatusLine).content)


async def test_a_width_change_queues_one_rewrap(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        rebuilds = 0
        rebuild = view.rebuild

        def counting() -> None:
            nonlocal rebuilds
            rebuilds += 1
            rebuild()

        view.rebuild = counting  # type: ignore[method-assign]
        view.wrap_width -= 7  # as if the pane had changed width since the last wrap
        lines = article_lines(view)
        await pilot.pause()
        assert len(lines) > 1 and rebuilds == 1
        assert view.wrap_width == view.text_width()
