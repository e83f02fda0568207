"""The entity phase on several local processes: the same record as one, visible as it goes,
and an interrupted run that leaves neither orphans nor a re-index for the next open."""

import dataclasses
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crosswire.index import library as library_mod
from crosswire.index.entities import workers
from crosswire.index.library import Library
from crosswire.index.store import RECORD_FILE
from crosswire.tui import cli

from ..conftest import ECB

ARTICLES = 120
BATCH = 16  # small batches: many of them, so workers finish out of order and known names carry


@pytest.fixture(scope="module")
def text_only(tmp_path_factory) -> Path:
    """ECB+ articles stored and indexed, no entities yet."""
    source = tmp_path_factory.mktemp("ecb") / "articles.jsonl"
    with open(ECB / "articles.jsonl", encoding="utf-8") as f:
        source.write_text("".join(f.readline() for _ in range(ARTICLES)), encoding="utf-8")
    directory = tmp_path_factory.mktemp("text-only") / "library"
    with Library(directory) as library:
        library.add([source], entities=False)
    return directory


def copy(directory: Path, to: Path) -> Path:
    shutil.copytree(directory, to)
    return to


def outcome(library: Library) -> tuple[list, list]:
    """Mentions and entities, each entity id replaced by its order of first mention: ids are
    stable across a library's history (issue 13), so when intermediate resolves ran may
    change an id, never which mentions share one, nor any entity's name or counts."""
    mentions = list(library.mentions())
    order: dict[str, str] = {}
    for m in mentions:
        order.setdefault(m.entity_id, f"#{len(order)}")
    same = [dataclasses.replace(m, entity_id=order[m.entity_id]) for m in mentions]
    entities = [dataclasses.replace(e, id=order.get(e.id, e.id)) for e in library.entities()]
    return same, sorted(entities, key=lambda e: (e.id, e.name))


@pytest.fixture(scope="module")
def in_process(text_only, tmp_path_factory) -> tuple[list, list]:
    """What today's one-process path stores."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
        directory = copy(text_only, tmp_path_factory.mktemp("one") / "library")
        with Library(directory) as library:
            assert library.annotate(workers=1) == ARTICLES
            return outcome(library)


def test_two_workers_store_exactly_what_one_process_stores(
    text_only, in_process, tmp_path, monkeypatch
):
    monkeypatch.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
    # Publish after every batch: intermediate resolves must not change what later batches get.
    monkeypatch.setattr(library_mod, "PUBLISH_EVERY", 0.0)
    with Library(copy(text_only, tmp_path / "library")) as library:
        assert library.annotate(workers=2) == ARTICLES
        mentions, entities = outcome(library)
        assert len(mentions) > 1000
        assert mentions == in_process[0]
        assert entities == in_process[1]
        assert library.index_status().unindexed == 0


def test_default_uses_every_core_only_when_worth_it(monkeypatch):
    monkeypatch.setattr(workers, "cpu_count", lambda: 8)
    assert workers.default_workers(5) == 1, "a handful of articles: in-process"
    assert workers.default_workers(250) == 2
    assert workers.default_workers(100_000) == 8


def test_entity_search_finds_what_is_annotated_while_the_phase_runs(text_only, tmp_path):
    """The entity field is indexed, and entities resolved, batch by batch, not at the end."""
    directory = copy(text_only, tmp_path / "library")
    seen: list[int] = []

    def look(progress) -> None:
        # Another process (the reader) looking while the run holds the writer lock.
        if progress.done and progress.done < ARTICLES and not seen:
            code = (
                "import sys; from crosswire.index.library import Library\n"
                "with Library(sys.argv[1]) as lib: print(lib.search('entity:\"Tara Reid\"').total)"
            )
            out = subprocess.run(
                [sys.executable, "-c", code, str(directory)],
                capture_output=True,
                text=True,
                check=True,
            )
            seen.append(int(out.stdout))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
        mp.setattr(library_mod, "PUBLISH_EVERY", 0.0)
        with Library(directory) as library:
            library.annotate(look, workers=1)
            final = library.search('entity:"Tara Reid"').total
    # The first ECB+ topic is Tara Reid's: the first batch already holds several of them.
    assert seen and seen[0] > 0
    assert final >= seen[0]


def children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(c) for c in (task / "children").read_text().split()}
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def annotated(directory: Path) -> int:
    with sqlite3.connect(directory / "library.sqlite3") as conn:
        try:
            return conn.execute("SELECT count(*) FROM annotated").fetchone()[0]
        except sqlite3.OperationalError:  # busy between the writer's commits: ask again
            return 0


@pytest.mark.slow
def test_a_killed_run_leaves_no_workers_and_a_library_that_opens_at_once(
    text_only, in_process, tmp_path, monkeypatch
):
    monkeypatch.setattr(library_mod, "ANNOTATE_BATCH", BATCH)  # for the resumed run
    directory = copy(text_only, tmp_path / "library")
    code = (
        "import sys\n"
        "from crosswire.index import library as m\n"
        f"m.ANNOTATE_BATCH = {BATCH}\n"
        "m.PUBLISH_EVERY = 0.0\n"
        "if __name__ == '__main__':\n"
        "    with m.Library(sys.argv[1]) as lib: lib.annotate(workers=2)\n"
    )
    driver = subprocess.Popen([sys.executable, "-c", code, str(directory)])
    try:
        deadline = time.monotonic() + 240
        while annotated(directory) < 4 * BATCH:
            assert driver.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.2)
        pool = children(driver.pid)
        assert pool, "the run uses worker processes"
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait()
    finally:
        if driver.poll() is None:
            driver.kill()
    deadline = time.monotonic() + 30
    while any(alive(p) for p in pool) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in pool), "workers outlived their driver"

    done = annotated(directory)
    assert 4 * BATCH <= done < ARTICLES
    with sqlite3.connect(directory / "library.sqlite3") as conn:
        stale = conn.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]
    # What the next open re-indexes before anything else: the batch the kill interrupted (with
    # the default clock, the batches of the last 2 s), never the whole part annotated so far.
    assert stale <= BATCH
    notices: list[str] = []
    with Library(directory, on_notice=notices.append) as library:
        assert library.index_status().unindexed == 0
        assert library.search('entity:"Tara Reid"').total > 0, "the annotated part is findable"
        assert library.annotate(workers=2) == ARTICLES - done
        assert outcome(library) == in_process, "resumed: the same record as one clean run"


def test_workers_flag_is_checked_and_reaches_the_library(seeded, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--library", str(seeded), "annotate", "--workers", "0"])
    assert exit_.value.code == 2
    assert "workers" in capsys.readouterr().err
    # The record as a run that stored articles but no entity phase leaves it.
    conn = sqlite3.connect(seeded / RECORD_FILE)
    with conn:
        conn.execute("DELETE FROM annotated")
    conn.close()
    assert cli.main(["--library", str(seeded), "annotate", "--workers", "2", "--quiet"]) == 0
    assert "entities extracted for 5 articles" in capsys.readouterr().err


def test_the_library_never_loads_ray():
    code = (
        "import sys, tempfile\n"
        "from crosswire.index.library import Library\n"
        "import crosswire.tui.cli\n"
        "with Library(tempfile.mkdtemp()) as lib: lib.search('x')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'ray')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []


class Stop(Exception):
    """Stands in for a kill between two batches (the kill itself: the slow test above)."""


def interrupted(directory: Path, after: int, monkeypatch, publish_every: float) -> int:
    """Run the entity phase until `after` articles are stored, then stop it dead."""
    monkeypatch.setattr(library_mod, "PUBLISH_EVERY", publish_every)

    def stop(progress) -> None:
        if progress.done >= after:
            raise Stop

    with Library(directory) as library, pytest.raises(Stop):
        library.annotate(stop, workers=1)
    monkeypatch.setattr(library_mod, "PUBLISH_EVERY", 2.0)
    return annotated(directory)


def test_a_half_annotated_library_is_searchable_by_entity_with_little_to_reindex(
    text_only, tmp_path, monkeypatch
):
    monkeypatch.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
    directory = copy(text_only, tmp_path / "library")
    done = interrupted(directory, 3 * BATCH, monkeypatch, publish_every=0.0)
    assert done == 3 * BATCH
    with sqlite3.connect(directory / "library.sqlite3") as conn:
        stale = conn.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]
    assert stale <= BATCH, "only the batch stored after the last publish waits for the open"
    with Library(directory) as library:
        assert library.search('entity:"Tara Reid"').total > 0
        assert library.entity_progress() == (done, ARTICLES)


def test_a_reader_can_open_first_and_index_what_a_run_left_after(text_only, tmp_path, monkeypatch):
    """catch_up=False: opening does no indexing at all, whatever a previous run left (here
    every annotated article's entity field is stale), and catch_up() does it afterwards."""
    monkeypatch.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
    directory = copy(text_only, tmp_path / "library")
    done = interrupted(directory, 3 * BATCH, monkeypatch, publish_every=1e9)
    notices: list[str] = []
    with Library(directory, on_notice=notices.append, catch_up=False) as library:
        assert library.index_status().unindexed == done, "nothing re-indexed before returning"
        assert notices == []
        assert library.search("Reid").total > 0, "text search works at once"
        assert library.catch_up() == done
        assert library.index_status().unindexed == 0
        # The run never published (its clock never struck), nor resolved: catch_up() did both.
        assert library.search('entity:"Tara Reid"').total > 0
        assert notices == [
            "an interrupted run left entities unresolved; resolving them now",
            f"an interrupted run left stored articles unindexed ({done}); indexing them now",
        ]
        assert library.catch_up() == 0


def test_a_cli_read_answers_at_once_after_an_interrupted_run_and_says_what_is_left(
    text_only, tmp_path, monkeypatch, capsys
):
    """A command that only reads does no repair (at 100k, resolving and grouping take
    minutes): it answers from what is indexed, says in one line what the answer leaves out,
    and leaves the repair to a command that writes; `resolve` does it, and then reads are
    quiet."""
    monkeypatch.setattr(library_mod, "ANNOTATE_BATCH", BATCH)
    directory = copy(text_only, tmp_path / "library")
    done = interrupted(directory, 3 * BATCH, monkeypatch, publish_every=1e9)
    capsys.readouterr()
    for command in (["search", "Reid"], ["entities", "--json"], ["sources"], ["stories"]):
        assert cli.main(["--library", str(directory), *command]) == 0
        err = capsys.readouterr().err
        assert f"left {done} articles unindexed and entities unresolved" in err, command
        assert "crosswire resolve" in err and err.count("\n") == 1, err
    with Library(directory, catch_up=False) as library:
        assert library.index_status().unindexed == done, "no read repaired anything"
        assert library.pending() == [f"{done} articles unindexed", "entities unresolved"]
    assert cli.main(["--library", str(directory), "resolve"]) == 0
    capsys.readouterr()
    assert cli.main(["--library", str(directory), "search", 'entity:"Tara Reid"']) == 0
    out, err = capsys.readouterr()
    assert "unindexed" not in err and "unresolved" not in err and "Reid" in out
    with Library(directory, catch_up=False) as library:
        assert library.pending() == [] and library.index_status().unindexed == 0
