"""Entity edits (merge, split, resolve) are atomic and take the writer lock.

Kills are deterministic: CROSSWIRE_CRASH_AT makes the command SIGKILL itself at a named point
inside its write (index/store.py crash_point). One bounded loop also kills at random delays.
"""

import fcntl
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from crosswire.index.entities.names import name_key
from crosswire.index.library import LOCK_FILE, Library
from crosswire.index.model import article_id
from crosswire.index.store import CRASH_ENV, RECORD_FILE

POINTS = ("decided", "resolve-unlinked", "resolve-linking", "resolve-cleared", "commit")
EDITS = {
    "merge": ("merge", "Ivo Peric", "Ella Stone"),
    "split": ("split", "Marta Kovac", "Kovac"),
    "resolve": ("resolve",),
}
SKI = [("Marta Kovac", "PERSON"), ("Alpine Union", "ORG"), ("Ivo Peric", "PERSON")]
COUNCIL = [("Tomas Kovac", "PERSON"), ("Riverside Council", "ORG"), ("Ella Stone", "PERSON")]


@pytest.fixture(scope="module")
def stories_master(tmp_path_factory) -> Path:
    """Two invented stories whose people share a surname, one article of each writing it bare,
    so resolution keeps story links (the table a killed split used to leave empty). Mentions
    go straight into the record: no spaCy, so each killed command starts fast."""
    articles = {f"ski{i}": SKI for i in range(3)} | {f"council{i}": COUNCIL for i in range(3)}
    articles["ski-bare"] = [("Kovac", "PERSON"), *SKI[1:]]
    articles["council-bare"] = [("Kovac", "PERSON"), *COUNCIL[1:]]
    root = tmp_path_factory.mktemp("stories")
    feed = root / "stories.jsonl"
    texts = {
        r: " and ".join(n for n, _ in names) + f" met in {r}." for r, names in articles.items()
    }
    feed.write_text(
        "".join(
            json.dumps({"id": r, "source": r, "title": r, "text": t}) + "\n"
            for r, t in texts.items()
        ),
        encoding="utf-8",
    )
    directory = root / "library"
    with Library(directory) as library:
        library.add([feed], entities=False)
    # Mentions written straight into the record file, as the entity phase would have.
    conn = sqlite3.connect(directory / RECORD_FILE)
    with conn:
        for ref, names in articles.items():
            aid, text = article_id(texts[ref]), texts[ref]
            conn.execute("INSERT INTO annotated VALUES(?, 'test')", (aid,))
            for name, kind in names:
                start = text.index(name)
                conn.execute(
                    "INSERT INTO mentions VALUES(?, ?, ?, ?, ?, ?, ?)",
                    (aid, start, start + len(name), name, kind, name, name_key(name, kind)),
                )
    conn.close()
    with Library(directory) as library:
        library.resolve()
    return directory


@pytest.fixture
def seeded(stories_master, tmp_path) -> Path:
    """A private copy of the story library (named like conftest's seeded, which it shadows)."""
    directory = tmp_path / "library"
    shutil.copytree(stories_master, directory)
    return directory


def command(directory: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crosswire.tui.cli", "--library", str(directory), *args]


def run_killed_at(directory: Path, point: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, CRASH_ENV: point}
    return subprocess.run(command(directory, *args), env=env, capture_output=True, timeout=120)


def state(directory: Path) -> tuple[dict, Counter, int]:
    """Straight from the record, without opening a Library (which would repair): each
    mention's entity, mentions per entity name, and how many story links there are."""
    conn = sqlite3.connect(directory / RECORD_FILE)
    rows = conn.execute(
        "SELECT m.article_id, m.start_char, coalesce(e.name, '') FROM mentions m "
        "LEFT JOIN entity_names n ON n.name = m.name AND n.kind = m.kind "
        "LEFT JOIN entities e ON e.id = n.entity_id"
    ).fetchall()
    links = conn.execute("SELECT count(*) FROM story_links").fetchone()[0]
    conn.close()
    entity_of = {(a, s): e for a, s, e in rows}
    return entity_of, Counter(entity_of.values()), links


def edit_in_process(directory: Path, args: tuple[str, ...]) -> None:
    with Library(directory) as library:
        getattr(library, args[0])(*args[1:])


@pytest.fixture
def uninterrupted(seeded, tmp_path) -> dict[str, tuple[dict, Counter, int]]:
    """What each edit leaves when nothing interrupts it."""
    out = {}
    for name, args in EDITS.items():
        copy = tmp_path / f"ref-{name}"
        shutil.copytree(seeded, copy)
        edit_in_process(copy, args)
        out[name] = state(copy)
    return out


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_killed_at_any_point_leaves_the_record_whole(edit, seeded, tmp_path, uninterrupted):
    before = state(seeded)
    assert "" not in before[1], "the seeded library starts fully resolved"
    assert before[2] > 0, "the seeds have story links, so their loss would show"
    args = EDITS[edit]
    for point in POINTS:
        if edit == "resolve" and point == "decided":
            continue  # resolve records no decision
        copy = tmp_path / f"{edit}-{point}"
        shutil.copytree(seeded, copy)
        done = run_killed_at(copy, point, *args)
        assert done.returncode == -signal.SIGKILL, (point, done.stderr.decode())
        after = state(copy)
        assert "" not in after[1], f"{edit} killed at {point}: a mention lost its entity"
        assert after == before, f"{edit} killed at {point} left a half-made edit"
        edit_in_process(copy, args)  # the same command again finishes the job
        assert state(copy) == uninterrupted[edit], point


def test_an_undo_killed_at_any_point_keeps_the_decision_and_the_record(seeded, tmp_path):
    """Undo flips a log entry and resolves in one transaction: killed anywhere, the merge is
    still active and still applied; run again, it is undone as if never interrupted."""
    edit_in_process(seeded, EDITS["merge"])
    before = state(seeded)
    reference = tmp_path / "ref-undo"
    shutil.copytree(seeded, reference)
    edit_in_process(reference, ("undo",))
    undone = state(reference)
    assert undone != before
    for point in POINTS[1:]:  # undo records no new decision
        copy = tmp_path / f"undo-{point}"
        shutil.copytree(seeded, copy)
        done = run_killed_at(copy, point, "undo")
        assert done.returncode == -signal.SIGKILL, (point, done.stderr.decode())
        assert state(copy) == before, f"undo killed at {point} left a half-made undo"
        with Library(copy) as library:
            assert [d.state for d in library.decisions()] == ["active"], point
            library.undo()
        assert state(copy) == undone, point


def test_random_kills_of_a_merge_never_leave_mentions_without_entity(seeded, tmp_path):
    """The plain way a tester found it: kill -9 at random moments, a bounded number of times."""
    args = EDITS["merge"]
    shutil.copytree(seeded, tmp_path / "timing")
    started = time.monotonic()
    subprocess.run(command(tmp_path / "timing", *args), capture_output=True, timeout=120)
    took = time.monotonic() - started  # kills fall from start-up to just past the end
    rng = random.Random(8)
    for n in range(5):
        copy = tmp_path / f"kill-{n}"
        shutil.copytree(seeded, copy)
        proc = subprocess.Popen(
            command(copy, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3 * took, 1.5 * took))
        proc.kill()
        proc.wait(60)
        _, counts, links = state(copy)
        assert "" not in counts and links > 0, f"kill {n}"


def test_a_killed_resolve_in_annotate_is_repaired_on_open(seeded, tmp_path):
    """Mentions an interrupted `annotate` stored but never resolved are resolved on the next
    open, in one line, so no mention stays without an entity."""
    extra = tmp_path / "extra.md"
    extra.write_text(
        "# Talks in Baghdad\n\nMustafa al-Kadhimi met Joe Biden in Baghdad on Monday. "
        "Kadhimi said Iraq would stay calm.\n",
        encoding="utf-8",
    )
    assert subprocess.run(command(seeded, "add", "--no-entities", str(extra))).returncode == 0
    done = run_killed_at(seeded, "resolve-cleared", "annotate", "--quiet")
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert "" in state(seeded)[1], "the new article's mentions were stored, not resolved"
    notices: list[str] = []
    with Library(seeded, on_notice=notices.append) as library:
        assert library.entity("Kadhimi") is not None
    assert any("unresolved" in n for n in notices), notices
    assert "" not in state(seeded)[1]
    notices.clear()
    Library(seeded, on_notice=notices.append).close()
    assert notices == [], "a resolved library opens without repair"


@pytest.mark.parametrize("edit", ["merge", "split", "resolve"])
def test_an_edit_waits_for_the_writer_lock_and_says_so(edit, seeded):
    with open(seeded / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            command(seeded, *EDITS[edit]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            ready, _, _ = select.select([proc.stderr], [], [], 60)
            assert ready, "the edit said nothing while it waited"
            line = proc.stderr.readline().decode()
            assert "another crosswire process is writing" in line and "waiting" in line
            assert proc.poll() is None, "it waits, it does not give up"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, rest.decode()
    assert "" not in state(seeded)[1]
