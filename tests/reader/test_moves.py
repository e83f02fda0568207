"""The pure rules behind the reader's moves: the history of opened articles, n/N from search
hit to search hit, the pane widths at every terminal width, and saving settings into the
user's config file without touching the rest of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from crosswire.index.model import SearchHit
from crosswire.tui.history import LIMIT, History, Place
from crosswire.tui.hits import next_hit, next_result
from crosswire.tui.layout import (
    MEDIUM,
    MIN_ARTICLE,
    MIN_ENTITY,
    MIN_SEARCH,
    NARROW,
    Shares,
    pane_widths,
)
from crosswire.tui.settings import load_settings, save_settings, updated


def test_history_goes_back_and_forward_to_the_places_left():
    history = History()
    history.visit(None, "a")
    history.visit(Place("a", top=120, cursor=130), "b")
    history.visit(Place("b", top=40), "c")
    assert history.step(Place("c", top=7), forward=False) == Place("b", top=40)
    assert history.step(Place("b", top=41), forward=False) == Place("a", top=120, cursor=130)
    assert history.step(None, forward=False) is None, "nothing before the first article"
    assert history.step(None, forward=True) == Place("b", top=41), "the place left on the way"
    assert history.step(None, forward=True) == Place("c", top=7)
    assert history.step(None, forward=True) is None


def test_opening_after_going_back_drops_what_was_ahead():
    history = History()
    for article in "abc":
        history.visit(None, article)
    history.step(None, forward=False)
    history.visit(None, "d")
    assert [p.article_id for p in history.places] == ["a", "b", "d"]
    history.visit(Place("d", top=5), "d")  # the same article again: not a new place
    assert [p.article_id for p in history.places] == ["a", "b", "d"]
    assert history.current == Place("d", top=5)


def test_history_is_bounded_and_forgets_deleted_articles():
    history = History()
    for n in range(LIMIT + 30):
        history.visit(None, f"article-{n}")
    assert len(history.places) == LIMIT and history.current == Place(f"article-{LIMIT + 29}")
    history.forget(f"article-{LIMIT + 28}")
    assert history.step(None, forward=False) == Place(f"article-{LIMIT + 27}")


HITS = [(10, 15), (40, 45), (300, 305)]


def test_next_hit_steps_from_the_current_hit_or_from_the_top_of_the_view():
    assert next_hit(HITS, 0, top=0, forward=True) == 1
    assert next_hit(HITS, 2, top=0, forward=True) is None
    assert next_hit(HITS, 0, top=0, forward=False) is None
    assert next_hit(HITS, None, top=100, forward=True) == 2, "the first hit below the top"
    assert next_hit(HITS, None, top=100, forward=False) == 1, "the last one above it"
    assert next_hit([], None, top=0, forward=True) is None


def result(article_id: str, hits: list[tuple[int, int]]) -> SearchHit:
    return SearchHit(article_id, article_id, "src", article_id, None, 1.0, "", hits)


def test_next_result_skips_results_without_a_hit_in_their_text():
    results = [result("a", [(1, 2)]), result("b", []), result("c", [(3, 4)])]
    assert next_result(results, "a", forward=True) == 2
    assert next_result(results, "c", forward=False) == 0
    assert next_result(results, "c", forward=True) is None
    assert next_result(results, "elsewhere", forward=True) == 0
    assert next_result(results, "elsewhere", forward=False) == 2


@pytest.mark.parametrize("entity_open", [False, True])
@pytest.mark.parametrize("shares", [Shares(), Shares(15, 15), Shares(60, 60)])
def test_every_width_keeps_the_panes_shown_readable(entity_open: bool, shares: Shares):
    for width in range(60, 251):
        widths = pane_widths(width, shares, entity_open)
        if width < NARROW:
            assert widths == {}, "one pane at a time, the full width"
            continue
        article = width - sum(widths.values())
        assert article >= MIN_ARTICLE, (width, widths)
        assert widths.get("search", MIN_SEARCH) >= MIN_SEARCH
        assert widths.get("entity", MIN_ENTITY) >= MIN_ENTITY
        assert ("entity" in widths) == entity_open
        assert ("search" in widths) == (not entity_open or width >= MEDIUM)


def test_the_results_pane_grows_with_the_terminal_and_with_the_users_choice():
    assert pane_widths(250, Shares(), False)["search"] > pane_widths(160, Shares(), False)["search"]
    assert pane_widths(160, Shares(), False)["search"] > 42
    wider = Shares()
    wider.widen("search", 2, entity_beside_search=True)
    assert pane_widths(160, wider, False)["search"] > pane_widths(160, Shares(), False)["search"]
    article = Shares()
    article.widen("article", 1, entity_beside_search=True)  # the article widens, search yields
    assert article.search < Shares().search
    for _ in range(50):
        wider.widen("search", 1, entity_beside_search=True)
    assert wider.search == 60, "bounded"


def test_settings_are_written_into_the_users_file_keeping_everything_else(tmp_path: Path):
    config = tmp_path / "config.toml"
    original = '# my keys\n[keymap]\n"crosswire.search" = "ctrl+f"  # muscle memory\n'
    config.write_text(original, encoding="utf-8")
    assert save_settings(config, {"theme": "nord", "search_pane": 36}) is None
    text = config.read_text(encoding="utf-8")
    assert text.startswith(original), "the user's lines and comments stay as they were"
    assert load_settings(config) == ({"theme": "nord", "search_pane": 36}, [])
    assert save_settings(config, {"theme": "gruvbox", "search_pane": 33}) is None
    again = config.read_text(encoding="utf-8")
    assert again.count("[reader]") == 1 and again.count("theme") == 1
    assert tomllib.loads(again)["keymap"] == {"crosswire.search": "ctrl+f"}


def test_settings_edit_only_their_own_lines_inside_the_reader_table():
    raw = '[reader]\ntheme = "nord"  # old\n# a note\n\n[keymap]\n"crosswire.help" = "f2"\n'
    text = updated(raw, {"theme": 'say "hi"', "entity_pane": 20})
    assert tomllib.loads(text) == {
        "reader": {"theme": 'say "hi"', "entity_pane": 20},
        "keymap": {"crosswire.help": "f2"},
    }
    assert "# a note" in text


def test_a_broken_config_is_never_overwritten(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[keymap\n", encoding="utf-8")
    problem = save_settings(config, {"theme": "nord"})
    assert problem is not None and "not valid TOML" in problem and str(config) in problem
    assert config.read_text(encoding="utf-8") == "[keymap\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"], "no temporary file left"


def test_bad_settings_are_reported_and_ignored(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[reader]\nsearch_pane = 90\ntheme = 3\nentity_pane = 20\n", "utf-8")
    settings, problems = load_settings(config)
    assert settings == {"entity_pane": 20}
    assert len(problems) == 2 and all(str(config) in p for p in problems)
