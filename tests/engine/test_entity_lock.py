"""The entity phase holds the writer lock per batch: an edit made while `annotate` runs (the
reader's merge beside its background extraction) waits for one batch, not for the whole run."""

import fcntl
import sqlite3
import subprocess
import sys

import pytest
from crosswire.index import Library
from crosswire.index.library import LOCK_FILE
from crosswire.index.store import RECORD_FILE

from .test_robustness import stderr_line_with, write_corpus

CLI = [sys.executable, "-m", "crosswire.tui.cli"]


def annotated(directory) -> int:
    conn = sqlite3.connect(f"file:{directory / RECORD_FILE}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM annotated").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_a_merge_during_annotate_waits_for_one_batch_not_the_run(seeded, tmp_path):
    corpus = tmp_path / "more.jsonl"
    write_corpus(corpus, 320)
    add = subprocess.run(
        [*CLI, "--library", str(seeded), "add", "--quiet", "--no-entities", str(corpus)],
        capture_output=True,
        text=True,
    )
    assert add.returncode == 0, add.stderr
    with Library(seeded) as library:
        total = len(library)
        a, b = (e.name for e in library.entities()[:2])
    # The test holds the writer lock, so both the annotate (after its first batch's NER) and
    # the merge are waiting for it when it is released: from then on, what order they run in
    # is the library's, not the machine's speed.
    with open(seeded / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        annotate = subprocess.Popen(
            [*CLI, "--library", str(seeded), "annotate", "--quiet", "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "writing" in stderr_line_with(annotate, "waiting", timeout=300)
        merge = subprocess.Popen(
            [*CLI, "--library", str(seeded), "merge", a, b],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "writing" in stderr_line_with(merge, "waiting")
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, merge_err = merge.communicate(timeout=300)
    assert merge.returncode == 0, merge_err
    assert annotate.poll() is None, "the merge waited for the whole entity phase"
    assert annotated(seeded) < total
    _, annotate_err = annotate.communicate(timeout=600)
    assert annotate.returncode == 0, annotate_err
    with Library(seeded) as library:
        assert library.pending_entities() == [] and library.index_status().unindexed == 0
        merged = library.entity(a)
        assert merged is not None and b in {alias.name for alias in merged.aliases}, (
            "the annotate's resolutions after the merge keep it"
        )


def test_two_entity_phases_do_not_run_at_once(seeded, tmp_path):
    """The entity phase's own lock: a second annotate waits, saying so, and then finds the
    articles done instead of extracting them again."""
    from crosswire.index.library import ENTITY_LOCK_FILE

    with open(seeded / ENTITY_LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [*CLI, "--library", str(seeded), "annotate", "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "extracting entities" in stderr_line_with(proc, "waiting")
        assert proc.poll() is None
        fcntl.flock(lock, fcntl.LOCK_UN)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "entities extracted for 0 articles" in err
