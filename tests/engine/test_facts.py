"""Claims stored by the entity phase and read back: Library.facts, Library.compare (issue 14).

tests/engine/test_claims.py covers extraction and grouping as pure functions; these go through
a real library (spaCy NER, the record, the search index), on the seeds and on invented stories.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crosswire.index import CrosswireError, Library
from crosswire.index.entities import ner
from crosswire.index.schema import FORMAT_FILE, FORMAT_VERSION
from crosswire.index.store import CRASH_ENV, RECORD_FILE

# An invented story in four outlets: every number form, vague words, a range, a revision.
STORY = {
    "north-wire": "Flooding hit the valley town of Carrow on Friday. Officials initially said "
    "nine people had been killed, but the mayor later confirmed that seven people were killed. "
    "More than 100 homes were destroyed in 2023's worst storm.",
    "valley-post": "Seven residents were killed in Carrow. Between 40 and 50 homes were "
    "destroyed, and a dozen boats were damaged. The dam, built in 1968, held.",
    "river-times": "The floods killed 7 people in Carrow, and several boats were damaged. "
    "At least 120 homes were destroyed, officials said.",
    "hill-radio": "Rescuers evacuated about 300 residents from Carrow overnight.",
}
# A story whose sources agree: no group may be disputed.
CALM = {
    "east-news": "Two climbers were rescued from Mount Orla on Sunday. Several hikers were "
    "injured in the fall.",
    "west-news": "Rescue teams rescued two climbers on Mount Orla; four hikers were hurt.",
}


def feed(path: Path, story: dict[str, str], prefix: str) -> Path:
    lines = [
        json.dumps({"id": f"{prefix}-{n}", "source": s, "title": f"{s} report", "text": t})
        for n, (s, t) in enumerate(story.items())
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def story_master(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("flood")
    with Library(root / "library") as library:
        library.add([feed(root / "flood.jsonl", STORY, "flood")])
    return root / "library"


@pytest.fixture
def flood(story_master, tmp_path) -> Library:
    import shutil

    shutil.copytree(story_master, tmp_path / "library")
    with Library(tmp_path / "library") as library:
        yield library


def keyed(library: Library, story=None) -> dict[tuple[str, str], dict]:
    from crosswire.index.facts import group_json

    return {(g.about, g.event): group_json(g) for g in library.facts(story)}


def values(group: dict) -> list[tuple[str, object]]:
    return [(v["source"], v["value"]) for v in group["values"]]


# --- the seeds (acceptance) ---------------------------------------------------------------------


def test_seed_facts_through_the_library(seeded):
    with Library(seeded) as library:
        groups = keyed(library)
        texts = {a.id: library.article(a.id).text for a in library.articles()}
    drones = groups[("drone", "used")]
    assert drones["disputed"] is True
    got = sorted((v["source"][:3], v["value"]) for v in drones["values"])
    assert got == [("002", 3), ("003", 2), ("003", 3), ("004", 3)]
    assert "initially 3, later 2" in drones["change"] and drones["change"].startswith("003")
    guards = groups[("guard", "injured")]
    assert guards["disputed"] is False
    assert sorted((v["source"][:3], v["value"]) for v in guards["values"]) == [
        ("001", "several"),
        ("002", "multiple"),
        ("003", 7),
    ]
    # Only real counts: no dates, ages, years, "Resolution 2521" (test_claims.py says why each).
    assert set(groups) == {
        ("drone", "used"),
        ("guard", "injured"),
        ("drone", "intercepted"),
        ("protester", "killed"),
        ("protester", "injured"),
    }
    shown = " ".join(v["text"] for g in groups.values() for v in g["values"])
    assert not any(word in shown for word in ("2021", "2521", "2018", "Resolution"))
    for group in groups.values():
        for v in group["values"]:
            assert texts[v["article"]][v["start"] : v["end"]] == v["text"]
    # Disputed first.
    assert next(iter(groups)) == ("drone", "used")


# --- invented stories through the library ------------------------------------------------------


def test_every_form_through_the_library(flood):
    groups = keyed(flood)
    killed = groups[("resident", "killed")]  # "people" join the one specific group
    assert killed["disputed"] is True  # nine, then seven: a revision
    assert ("north-wire", 9) in values(killed) and ("north-wire", 7) in values(killed)
    assert ("valley-post", 7) in values(killed) and ("river-times", 7) in values(killed)
    assert "north-wire: initially 9, later 7" in killed["change"]
    homes = groups[("home", "damaged")]
    assert sorted(map(str, (v for _, v in values(homes)))) == ["40-50", ">100", ">=120"]
    assert homes["disputed"] is True  # 40-50 cannot be more than 100
    boats = groups[("boat", "damaged")]
    assert values(boats) == [("valley-post", 12), ("river-times", "several")]
    assert boats["disputed"] is False
    assert values(groups[("resident", "evacuated")]) == [("hill-radio", "~300")]
    # No year, no "built in 1968".
    shown = {str(v) for g in groups.values() for _, v in values(g)}
    assert not shown & {"2023", "1968"}


def test_a_story_without_disputes(tmp_path):
    with Library(tmp_path / "calm") as library:
        library.add([feed(tmp_path / "calm.jsonl", CALM, "calm")])
        groups = library.facts()
    assert groups and not any(g.disputed for g in groups)
    rescued = next(g for g in groups if g.event == "rescued")
    assert [v.claim.display for v in rescued.values] == [2, 2]


def test_facts_and_compare_keep_to_the_story_asked_for(flood):
    """A story split off by hand has only its own articles' claims and passages; the rest of
    the library's stay with the story they came from, and an unknown story is an error."""
    (story,) = flood.stories()
    picked = [a.id for a in flood.articles() if a.source in ("valley-post", "hill-radio")]
    part = flood.split_story(story.id, picked)
    groups = keyed(flood, story=part)
    assert {v["source"] for g in groups.values() for v in g["values"]} == {
        "valley-post",
        "hill-radio",
    }
    rest = {v["source"] for g in keyed(flood, story=story.id).values() for v in g["values"]}
    assert rest and not rest & {"valley-post", "hill-radio"}
    comparison = flood.compare("Carrow", story=part)
    assert [s.source for s in comparison.sources] == ["valley-post", "hill-radio"]
    with pytest.raises(CrosswireError, match="no story"):
        flood.facts(story="s-nope")


# --- storage: with the mentions, switchable, caught up without NER -------------------------------


def claim_rows(directory: Path) -> int:
    with sqlite3.connect(directory / RECORD_FILE) as conn:
        return int(conn.execute("SELECT count(*) FROM claims").fetchone()[0])


def test_no_claims_then_caught_up_from_the_cache_without_ner(tmp_path, monkeypatch):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add([feed(tmp_path / "f.jsonl", STORY, "flood")], claims=False)
        assert library.facts() == [] and claim_rows(directory) == 0
        assert len(library.pending_claims()) == len(STORY)

    def no_ner(texts):
        raise AssertionError("NER must not run again")

    monkeypatch.setattr(ner, "extract", no_ner)
    with Library(directory) as library:
        assert library.annotate() == 0  # nothing left for NER
        assert library.pending_claims() == []
        assert ("resident", "killed") in keyed(library)


def test_a_format_1_library_is_upgraded_and_marked_as_needing_claims(flood, monkeypatch):
    directory = flood.directory
    before = keyed(flood)
    flood.close()
    with sqlite3.connect(directory / RECORD_FILE) as conn:  # as a format-1 library was
        conn.execute("DROP TABLE claims")
        conn.execute("DROP TABLE claimed")
    (directory / FORMAT_FILE).write_text(json.dumps({"format": 1}))
    monkeypatch.setattr(ner, "extract", lambda texts: pytest.fail("NER ran again"))
    with Library(directory) as library:
        assert json.loads((directory / FORMAT_FILE).read_text())["format"] == FORMAT_VERSION
        assert len(library.pending_claims()) == len(STORY)
        library.annotate()
        assert keyed(library) == before


def test_a_kill_while_storing_claims_loses_the_batch_mentions_too(tmp_path):
    directory = tmp_path / "library"
    source = feed(tmp_path / "f.jsonl", STORY, "flood")
    with Library(directory) as library:
        library.add([source], entities=False)
    env = {**os.environ, CRASH_ENV: "claims-written"}
    command = [sys.executable, "-m", "crosswire.tui.cli", "--library", str(directory)]
    killed = subprocess.run([*command, "annotate", "--quiet", "--workers", "1"], env=env)
    assert killed.returncode == -9
    with sqlite3.connect(directory / RECORD_FILE) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                  ("annotated", "mentions", "claims", "claimed")]  # fmt: skip
    assert counts == [0, 0, 0, 0]
    done = subprocess.run([*command, "annotate", "--quiet", "--workers", "1"])
    assert done.returncode == 0
    with Library(directory) as library:
        assert ("resident", "killed") in keyed(library)
        assert library.pending_claims() == [] and library.pending_entities() == []


# --- compare ------------------------------------------------------------------------------------


def test_compare_gives_whole_sentences_by_source_in_order(flood):
    comparison = flood.compare("killed")
    assert [s.source for s in comparison.sources] == ["north-wire", "valley-post", "river-times"]
    assert comparison.missing == ("hill-radio",)
    texts = {a.id: flood.article(a.id).text for a in flood.articles()}
    first = comparison.sources[0].passages
    assert len(first) == 1  # one sentence holds both "killed"
    p = first[0]
    assert p.text.startswith("Officials initially said") and p.text.endswith("were killed.")
    assert texts[p.article][p.start : p.end] == p.text
    assert [texts[p.article][a:b] for a, b in p.hits] == ["killed", "killed"]
    numbers = [texts[p.article][a:b] for a, b in p.numbers]
    assert "nine" in numbers and "seven" in numbers
    valley = comparison.sources[1].passages[0]
    assert ("Carrow", "GPE") in {(texts[valley.article][a:b], k) for a, b, k in valley.entities}


def test_compare_with_no_match_lists_every_source(flood):
    comparison = flood.compare("volcano")
    assert comparison.sources == ()
    assert comparison.missing == tuple(STORY)


def test_compare_the_seeds_on_the_issue_query(seeded):
    """Each word of a phrase is a hit of its own: "two days" must not pass for "two drones"."""
    with Library(seeded) as library:
        comparison = library.compare('"three drones" OR "two drones"')
        texts = {a.id: library.article(a.id).text for a in library.articles()}
    got = [(s.source[:3], [p.text.split(" ")[-1] for p in s.passages]) for s in comparison.sources]
    assert [source for source, _ in got] == ["002", "003", "004"]
    assert [len(s.passages) for s in comparison.sources] == [1, 2, 1]
    assert [m[:3] for m in comparison.missing] == ["000", "001"]
    for section in comparison.sources:
        for p in section.passages:
            marked = " ".join(texts[p.article][a:b] for a, b in p.hits).lower()
            assert marked in ("three drones", "two drones")
