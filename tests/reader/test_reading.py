"""Reading: an article with its entities and hits, its mentions, and the entity pane."""

from __future__ import annotations

from pathlib import Path

from crosswire.index.library import Library
from crosswire.tui.article_view import ArticleView
from crosswire.tui.widgets import MentionList, ResultsList
from textual.widgets import Static

from .conftest import (
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


async def test_choosing_a_mention_opens_its_article_there(seeded: Path, monkeypatch):
    # The flash is what is checked, not how long it lasts: a loaded machine may take longer
    # than the flash to settle.
    monkeypatch.setattr(ArticleView, "FLASH_SECONDS", 60.0)
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
        # the text opens with its title, printed there once, literally
        assert shown.lstrip().startswith(HOSTILE_TITLE)
        head = str(app.query_one("#article-head", Static).content)
        assert "[bold]" not in head and "hostile · date unknown" in head
        await pilot.click(ArticleView, offset=(5, 0))
        await search(app, pilot, "click")
        await settle(app, pilot)
        assert app.is_running
        prompt = app.query_one(ResultsList).options[0].prompt
        assert "[bold]x[/]" in prompt.plain


async def test_palette_goes_to_an_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await palette_to_entity(app, pilot, "Kazemi")
        assert nav(app).entity is not None
        assert "Kazemi" in {nav(app).entity.name, *(a.name for a in nav(app).entity.aliases)}


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
