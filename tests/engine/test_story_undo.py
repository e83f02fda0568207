"""Story moves, splits and merges are entries of the one decision log: listed with a readable
summary, undone and redone (the last one, or any by its number) with the story ids they had."""

from __future__ import annotations

from pathlib import Path

import pytest
from crosswire.index import CrosswireError, Library

from .test_stories import FLOOD, seed_story, write_jsonl


def two_stories(library: Library, tmp_path: Path) -> tuple[str, frozenset[str], str]:
    library.add([write_jsonl(tmp_path / "flood.jsonl", FLOOD)])
    seeds, ids = seed_story(library)
    flood = next(s.id for s in library.stories() if s.id != seeds)
    return seeds, ids, flood


def test_a_story_move_is_logged_undone_and_redone(seeded: Path, tmp_path: Path) -> None:
    with Library(seeded) as library:
        seeds, ids, flood = two_stories(library, tmp_path)
        moved = sorted(ids)[0]
        library.move_article(moved, flood)
        last = library.decisions()[-1]
        assert last.action == "story-move" and last.state == "active"
        assert f"from story {seeds}" in last.summary and f"to {flood}" in last.summary
        done = library.undo()
        assert done.seq == last.seq and done.state == "undone"
        assert library.story_of(moved) == seeds
        assert set(library.story_articles(seeds)) == ids
        library.redo()
        assert library.story_of(moved) == flood
    with Library(seeded) as library:  # kept in the record
        assert library.story_of(moved) == flood
        assert library.decisions()[-1].state == "active"


def test_undoing_a_split_puts_the_articles_back_and_redo_keeps_the_new_id(
    seeded: Path, tmp_path: Path
) -> None:
    with Library(seeded) as library:
        seeds, ids, _ = two_stories(library, tmp_path)
        leaving = sorted(ids)[:2]
        new = library.split_story(seeds, leaving)
        assert library.decisions()[-1].action == "story-split"
        library.undo()
        assert set(library.story_articles(seeds)) == ids
        assert library.story(new).id == seeds  # type: ignore[union-attr]
        library.redo()
        assert set(library.story_articles(new)) == set(leaving)
        assert set(library.story_articles(seeds)) == ids - set(leaving)


def test_undoing_a_merge_brings_the_merged_away_story_back_under_its_id(
    seeded: Path, tmp_path: Path
) -> None:
    with Library(seeded) as library:
        seeds, ids, flood = two_stories(library, tmp_path)
        flood_ids = set(library.story_articles(flood))
        kept = library.merge_stories(flood, seeds)
        gone = flood if kept == seeds else seeds
        assert library.decisions()[-1].action == "story-merge"
        assert len(library.stories()) == 1
        library.undo()
        assert len(library.stories()) == 2
        assert set(library.story_articles(seeds)) == ids
        assert set(library.story_articles(flood)) == flood_ids
        assert library.story(gone).id == gone  # type: ignore[union-attr]
        library.redo()
        assert library.story(gone).id == kept  # type: ignore[union-attr]
        assert len(library.stories()) == 1


def test_undo_takes_back_the_last_decision_whether_story_or_entity(
    seeded: Path, tmp_path: Path
) -> None:
    with Library(seeded) as library:
        seeds, ids, flood = two_stories(library, tmp_path)
        moved = sorted(ids)[-1]
        library.move_article(moved, flood)
        library.merge("Tehran", "Baghdad")
        assert [d.action for d in library.decisions()[-2:]] == ["story-move", "merge"]
        assert library.undo().action == "merge"
        assert library.story_of(moved) == flood  # the story move stays
        assert library.undo().action == "story-move"
        assert library.story_of(moved) == seeds
        move = library.decisions()[-2]
        with pytest.raises(CrosswireError, match="nothing to undo"):
            library.undo(move.seq)
        assert library.redo(move.seq).action == "story-move"
        assert library.story_of(moved) == flood
