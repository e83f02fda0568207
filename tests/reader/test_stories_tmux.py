"""Stories end to end in a real terminal: the installed `crosswire` on a library of two stories
starts on the story list, enter opens a story, s its overview, a widens to the library."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .test_stories import two_stories, two_stories_master  # noqa: F401 (fixtures)
from .test_tmux import reader_on


@pytest.mark.slow
def test_story_list_overview_and_widening_in_a_real_terminal(
    two_stories: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    with reader_on(two_stories, tmp_path / "config.toml", "crosswire-stories") as term:
        term.wait_for("the story list", lambda: "2 stories" in term.screen(), timeout=40)
        assert "Vukovar" in term.screen()
        time.sleep(1)  # the list is painted a beat before its table takes the focus
        term.keys("Down")
        term.keys("Enter")
        term.wait_for("the flood story", lambda: "story: " in term.screen())
        term.wait_for("its two articles", lambda: "2 articles" in term.screen())
        time.sleep(1)
        term.keys("Down")
        term.keys("s", literal=True)
        term.wait_for("the overview", lambda: "coverage: mentions by source" in term.screen())
        assert "Danube Post" in term.screen() and "timeline" in term.screen()
        term.keys("Escape")
        term.wait_for("the reader", lambda: "coverage" not in term.screen())
        term.keys("a", literal=True)
        term.wait_for("the whole library", lambda: "7 articles" in term.screen())
        term.keys("q", literal=True)
        term.wait_for("the reader to quit", lambda: not term.alive())
