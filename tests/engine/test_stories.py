"""Stories in the library: grouped as articles get their entities, kept in the record with the
user's decisions, scoping search, entities and mentions, and the seeds one story of their own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crosswire.index import CrosswireError, Library
from crosswire.index.store import CRASH_ENV
from crosswire.seeds import seed_paths

from tests.conftest import ECB

# Two invented events far from the seeds' drone attack, two outlets each.
FLOOD = [
    {
        "id": f"flood-{i}",
        "source": source,
        "title": title,
        "published": "2019-03-1" + str(i),
        "text": text,
    }
    for i, (source, title, text) in enumerate(
        [
            (
                "Danube Post",
                "Floods cut off Vukovar as the Danube bursts its banks",
                "The Danube burst its banks at Vukovar on Monday. Mayor Ivana Kovacic said "
                "the river rose two metres overnight and three villages near Vukovar were "
                "cut off by the flood. Croatian soldiers carried sandbags along the levee, "
                "and Prime Minister Andrej Plenkovic flew to Osijek.",
            ),
            (
                "Zagreb Daily",
                "Vukovar flood: Danube levee breaks, villages evacuated",
                "Floodwater from the Danube broke a levee north of Vukovar, Mayor Ivana "
                "Kovacic said, and soldiers evacuated three villages. The flood is the worst "
                "at Vukovar in forty years; the Danube is still rising.",
            ),
        ]
    )
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def seed_story(library: Library) -> tuple[str, frozenset[str]]:
    ids = {library.article(p.name).id for p in seed_paths()}  # type: ignore[union-attr]
    story_ids = {library.story_of(aid) for aid in ids}
    assert len(story_ids) == 1, f"the seeds are in {len(story_ids)} stories"
    (sid,) = story_ids
    assert sid is not None
    return sid, frozenset(library.story_articles(sid))


def test_the_seeds_are_one_story_with_their_five_sources(seeded: Path) -> None:
    with Library(seeded) as library:
        (story,) = library.stories()
        assert story.articles == 5 and story.sources == 5
        detail = library.story(story.id)
        assert detail is not None and len(detail.articles) == 5
        assert len(detail.coverage.sources) == 5
        rows = {r.name: r for r in detail.coverage.rows}
        kadhimi = next(r for name, r in rows.items() if "Kadhimi" in name)
        assert kadhimi.kind == "PERSON" and kadhimi.total >= 10
        # The cells add up to the story's mentions of that entity, source by source.
        entities = {e.id: e for e in library.entities(story=story.id)}
        assert sum(kadhimi.counts) == entities[kadhimi.entity_id].mentions


def test_new_articles_never_reshuffle_the_stories_they_do_not_touch(
    seeded: Path, tmp_path: Path
) -> None:
    with Library(seeded) as library:
        before = seed_story(library)
        report = library.add([write_jsonl(tmp_path / "flood.jsonl", FLOOD)])
        assert report.added == 2
        assert seed_story(library) == before
        flood = {library.story_of(a.id) for a in library.articles() if a.ref.startswith("flood")}
        assert len(flood) == 1 and before[0] not in flood
        assert len(library.stories()) == 2


def test_story_scopes_search_entities_and_mentions(seeded: Path, tmp_path: Path) -> None:
    with Library(seeded) as library:
        library.add([write_jsonl(tmp_path / "flood.jsonl", FLOOD)])
        seeds, seed_ids = seed_story(library)
        flood = next(s.id for s in library.stories() if s.id != seeds)
        assert library.search("said").total > library.search("said", story=flood).total
        scoped = library.search("said", story=flood)
        assert {h.id for h in scoped.hits} <= set(library.story_articles(flood))
        assert set(scoped.source_counts) == {"Danube Post", "Zagreb Daily"}
        assert library.search("Kadhimi", story=flood).total == 0
        names = {e.name for e in library.entities(story=flood)}
        assert any("Kovacic" in n for n in names) and not any("Kadhimi" in n for n in names)
        assert {m.article_id for m in library.mentions(story=seeds)} <= seed_ids
        browse = library.browse(story=flood)
        assert browse.total == 2 and [h.published for h in browse.hits] == sorted(
            h.published or "" for h in browse.hits
        )
        with pytest.raises(CrosswireError, match="no story"):
            library.search("said", story="s999999")


def test_decisions_survive_reopening_rebuild_and_new_articles(seeded: Path, tmp_path: Path) -> None:
    with Library(seeded) as library:
        library.add([write_jsonl(tmp_path / "flood.jsonl", FLOOD[:1])])
        seeds, seed_ids = seed_story(library)
        flood = next(s.id for s in library.stories() if s.id != seeds)
        moved = sorted(seed_ids)[0]
        assert library.move_article(moved, flood) == flood
        rest = sorted(seed_ids - {moved})
        new = library.split_story(seeds, rest[:2])
        library.rebuild()
    with Library(seeded) as library:
        assert library.story_of(moved) == flood
        assert set(library.story_articles(new)) == set(rest[:2])
        library.add([write_jsonl(tmp_path / "flood2.jsonl", FLOOD[1:])])
        assert library.story_of(moved) == flood
        kept = library.merge_stories(new, seeds)
        assert kept == seeds  # the older id stays
        assert library.story(new).id == seeds  # type: ignore[union-attr]
    with Library(seeded) as library:
        assert set(library.story_articles(seeds)) == set(rest)
        with pytest.raises(CrosswireError, match="empty"):
            library.split_story(seeds, rest)


def test_an_older_library_gets_its_stories_on_open(seeded: Path) -> None:
    """A library whose articles were grouped by nobody (an older crosswire, or a kill before
    grouping): opening it groups them, once."""
    conn = sqlite3.connect(seeded / "library.sqlite3")
    with conn:
        conn.execute("DROP TABLE story_state")
        conn.execute("DROP TABLE story_articles")
    conn.close()
    with Library(seeded) as library:
        (story,) = library.stories()
        assert story.articles == 5
        state = library._stories.grouper().to_dict()
    with Library(seeded) as library:
        assert library._stories.grouper().to_dict() == state


def test_a_damaged_story_state_is_one_clear_error(seeded: Path) -> None:
    conn = sqlite3.connect(seeded / "library.sqlite3")
    with conn:
        conn.execute("UPDATE story_state SET state = '{\"version\": 1'")
    conn.close()
    with Library(seeded) as library:
        assert len(library) == 5  # articles are readable
        with pytest.raises(CrosswireError, match=r"stories kept in .* are damaged"):
            library.stories()


def copy_ner_cache(directory: Path, source: Path, tmp: Path) -> None:
    """The NER cache of another library (a copy of its record), so annotate runs no spaCy
    for the articles it holds (the cache is keyed by article hash and model)."""
    cache = tmp / "cache.sqlite3"
    shutil.copy(source / "library.sqlite3", cache)  # never open another library in place
    conn = sqlite3.connect(directory / "library.sqlite3")
    with conn:
        conn.execute("ATTACH ? AS other", (str(cache),))
        conn.execute("INSERT OR IGNORE INTO ner_cache SELECT * FROM other.ner_cache")
    conn.close()


@pytest.mark.slow
def test_the_seeds_stay_one_story_of_their_own_beside_ecb(
    seeded_master: Path, seeds_and_ecb: Path, tmp_path: Path
) -> None:
    with Library(seeded_master) as library:
        before = seed_story(library)
    directory = tmp_path / "library"
    shutil.copytree(seeds_and_ecb, directory)
    with Library(directory) as library:
        assert len(library) == 777
        assert seed_story(library) == before  # same id, the same five articles, no more
        assert len(library.stories()) > 20


def _killed_at(directory: Path, point: str, *args: str) -> int:
    env = {**os.environ, CRASH_ENV: point}
    command = [sys.executable, "-m", "crosswire.tui.cli", "--library", str(directory), *args]
    return subprocess.run(command, env=env, capture_output=True, timeout=300).returncode


@pytest.mark.slow
def test_a_kill_while_grouping_loses_only_that_batch(seeded: Path, tmp_path: Path) -> None:
    """Killed with the batch's state written but not committed: the record keeps the stories
    as they were, and the next open groups the batch, once."""
    with Library(seeded) as library:
        before = seed_story(library)
    feed = write_jsonl(tmp_path / "flood.jsonl", FLOOD)
    assert _killed_at(seeded, "grouping", "add", str(feed)) == -signal.SIGKILL
    conn = sqlite3.connect(seeded / "library.sqlite3")
    grouped = conn.execute("SELECT count(*) FROM story_articles").fetchone()[0]
    conn.close()
    assert grouped == 5  # the seeds only: the killed batch left nothing half-written
    with Library(seeded) as library:
        assert seed_story(library) == before
        assert sorted(s.articles for s in library.stories()) == [2, 5]


@pytest.mark.slow
def test_a_kill_during_a_story_decision_leaves_it_unmade(seeded: Path) -> None:
    with Library(seeded) as library:
        sid, ids = seed_story(library)
        article = library.article(sorted(ids)[0])
        assert article is not None
        new = library.split_story(sid, [article.id])
        state = library._stories.grouper().to_dict()
    assert _killed_at(seeded, "story-decision", "story-move", article.id, sid) == -signal.SIGKILL
    with Library(seeded) as library:
        assert library._stories.grouper().to_dict() == state
        assert library.story_of(article.id) == new


@pytest.mark.slow
def test_the_seeds_added_after_ecb_are_one_story_and_leave_ecb_as_it_was(
    seeds_and_ecb: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([ECB / "articles.jsonl"], entities=False)
    copy_ner_cache(directory, seeds_and_ecb, tmp_path)  # NER of ECB+ and the seeds, no spaCy
    with Library(directory) as library:
        library.annotate(workers=1)
        before = {s.id: library.story_articles(s.id) for s in library.stories()}
        library.add(seed_paths(), entities=False)
    with Library(directory) as library:
        library.annotate(workers=1)
        sid, ids = seed_story(library)
        assert len(ids) == 5 and sid not in before
        assert {s: library.story_articles(s) for s in before} == before
