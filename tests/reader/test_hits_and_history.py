"""n/N without an entity pane: from search hit to search hit, then into the next result; a
new search forgets the entity followed before; articles open at their first hit; ctrl+o,
backspace and alt+→ walk the history of opened articles, back to the place each was left."""

from __future__ import annotations

import re
from pathlib import Path

from crosswire.tui.article_view import ArticleView

from .conftest import nav, open_first_result, open_kazemi, reader, search, settle, visible


def hit_on_screen(view: ArticleView, offset: int) -> bool:
    place = view.place_of(offset)
    assert place is not None
    top, height = int(view.scroll_y), view.scrollable_content_region.height
    return top <= place[0] < top + height


async def test_n_after_a_new_search_walks_its_hits_not_the_old_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        assert nav(app).entity is not None and visible(app, "#entity-pane")
        await search(app, pilot, "drone")
        assert nav(app).entity is None, "a new search forgets the entity"
        assert not visible(app, "#entity-pane")
        await pilot.press("enter")
        await settle(app, pilot)
        first = nav(app).article
        hits = nav(app).hits_for(first.id)
        assert len(hits) >= 2 and nav(app).hit_index == 0
        landed = []
        for _ in range(len(hits) - 1):
            await pilot.press("n")
            await settle(app, pilot)
            assert nav(app).article.id == first.id
            landed.append(nav(app).hit_index)
            assert hit_on_screen(app.query_one(ArticleView), hits[nav(app).hit_index][0])
        assert landed == list(range(1, len(hits)))
        assert f"hit {len(hits)} of {len(hits)}" in str(app.reader.status.content)
        await pilot.press("n")  # past the last hit: into the next result, at its first hit
        await settle(app, pilot)
        second = nav(app).article
        assert second.id != first.id and second.id == nav(app).results.hits[1].id
        assert nav(app).hit_index == 0
        await pilot.press("N")  # back before the first hit: the previous result's last one
        await settle(app, pilot)
        assert nav(app).article.id == first.id and nav(app).hit_index == len(hits) - 1


async def test_n_with_the_entity_pane_open_still_follows_the_entity(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert nav(app).stop_index is not None
        assert nav(app).hit_index is None or nav(app).entity is not None


async def test_n_with_no_search_says_what_to_do(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert any("search first" in n.message for n in app._notifications)


async def test_an_article_opens_scrolled_to_its_first_hit(seeded: Path):
    """A word that first occurs far down one article: opened, the hit is on screen."""
    async with reader(seeded, size=(160, 20)) as (app, pilot):
        articles = [await app.backend.article(h.id) for h in nav(app).results.hits]
        texts = {a.id: a.text for a, _ in articles if a is not None}
        word, article_id = deep_word(texts)
        await search(app, pilot, word)
        app.reader.open_article(article_id, focus=True)
        await settle(app, pilot)
        view = app.query_one(ArticleView)
        [first, *_] = nav(app).hits_for(article_id)
        assert view.scroll_y > 0, "the first hit is below the first screen"
        assert hit_on_screen(view, first[0])


def deep_word(texts: dict[str, str]) -> tuple[str, str]:
    """A long word found in one article only, first at least 3,000 characters in."""
    counts: dict[str, set[str]] = {}
    for article_id, text in texts.items():
        for word in set(re.findall(r"[a-z]{8,}", text.lower())):
            counts.setdefault(word, set()).add(article_id)
    for word, where in sorted(counts.items()):
        if len(where) == 1:
            [article_id] = where
            if texts[article_id].lower().find(word) > 3000:
                return word, article_id
    raise AssertionError("no deep word in the seeds")


async def test_ctrl_o_returns_after_n_took_the_reader_to_other_sources(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_kazemi(app, pilot)
        start = nav(app).article.id
        seen = [start]
        for _ in range(40):  # n until three other articles were visited
            await pilot.press("n")
            await settle(app, pilot)
            if nav(app).article.id != seen[-1]:
                seen.append(nav(app).article.id)
            if len(seen) == 4:
                break
        assert len(seen) == 4
        for expected in reversed(seen[:-1]):
            await pilot.press("ctrl+o")
            await settle(app, pilot)
            assert nav(app).article.id == expected
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert nav(app).article.id == seen[1]


async def test_back_returns_to_the_place_in_the_article(seeded: Path):
    async with reader(seeded, size=(160, 20)) as (app, pilot):
        await open_first_result(app, pilot)
        first = nav(app).article.id
        view = app.query_one(ArticleView)
        for _ in range(3):
            await pilot.press("space")
        await pilot.pause()
        top = view.top_offset()
        assert top > 0
        await pilot.press("right_square_bracket")  # another source's article
        await settle(app, pilot)
        assert nav(app).article.id != first
        second = nav(app).article.id
        await pilot.press("backspace")
        await settle(app, pilot)
        assert nav(app).article.id == first and view.top_offset() == top
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert nav(app).article.id == second
        await pilot.press("alt+right")
        await settle(app, pilot)
        assert any("nothing further forward" in n.message for n in app._notifications)


async def test_previews_while_moving_through_results_are_not_history(seeded: Path):
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        first = nav(app).article.id
        await pilot.press("escape")  # to the results
        await settle(app, pilot)
        await pilot.press("j", "j", "j")  # previews
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        opened = nav(app).article.id
        assert opened != first
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert nav(app).article.id == first, "back skips the articles only glanced at"
