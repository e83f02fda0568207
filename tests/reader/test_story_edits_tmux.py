"""A story edit end to end in a real terminal: on the story list of two stories, m picks the
other story by typing words of its label, y confirms, the list shows one story; u undoes it
and the two stories are back (the decision kept in the record: `crosswire decisions`)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from crosswire.index import Library

from .test_stories import two_stories, two_stories_master  # noqa: F401 (fixtures)
from .test_tmux import reader_on


@pytest.mark.slow
def test_merge_and_undo_two_stories_in_a_real_terminal(
    two_stories: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    with reader_on(two_stories, tmp_path / "config.toml", "crosswire-story-edit") as term:
        term.wait_for("the story list", lambda: "2 stories" in term.screen(), timeout=40)
        time.sleep(1)  # the list is painted a beat before its table takes the focus
        term.keys("m", literal=True)
        term.wait_for("the story picker", lambda: "Merge story" in term.screen())
        term.keys("danube vukovar", literal=True)
        term.wait_for("the flood among the stories", lambda: "2019-03" in term.screen())
        term.keys("Enter")
        term.wait_for("the confirmation", lambda: "into one story?" in term.screen())
        term.keys("y", literal=True)
        term.wait_for("one story", lambda: "1 story" in term.screen(), timeout=30)
        term.wait_for("the toast", lambda: "merged story" in term.screen())
        time.sleep(1)
        term.keys("u", literal=True)
        term.wait_for("two stories again", lambda: "2 stories" in term.screen(), timeout=30)
        term.wait_for("the toast", lambda: "undid: merged story" in term.screen())
        term.keys("C-q")  # quit (q would be typed into the search box)
        term.wait_for("the reader to quit", lambda: not term.alive())
    with Library(two_stories) as library:
        assert len(library.stories()) == 2
        assert [d.state for d in library.decisions() if d.action == "story-merge"] == ["undone"]
