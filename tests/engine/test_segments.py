"""Adding never runs a big merge inside a commit, and `crosswire optimize` merges the index a
bounded step a commit: killed mid-merge it loses nothing, and run again it finishes."""

import json
import os
import signal
import subprocess
import sys

import pytest
from crosswire.index import ingesting
from crosswire.index import library as library_mod
from crosswire.index.library import Library
from crosswire.index.search import segments, whoosh_fixes
from crosswire.index.store import CRASH_ENV
from whoosh.codec import whoosh3
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in

CLI = [sys.executable, "-m", "crosswire.tui.cli"]
WORDS = ("harbor", "police", "storm", "river", "minister")


def corpus(path, count, start=0):
    rows = []
    for n in range(start, start + count):
        words = [WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7)]
        text = f"Report {n} on the {' '.join(words)} and the day after {n % 17}."
        rows.append({"id": f"r{n}", "source": f"outlet{n % 3}", "title": f"T{n}", "text": text})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def truth(rows, word):
    return sum(word in r["text"].split() for r in rows)


@pytest.fixture
def many_batches(tmp_path, monkeypatch):
    """400 articles indexed 40 at a time, segments of under 25 counted as tiny."""
    monkeypatch.setattr(ingesting, "INDEX_COMMIT_EVERY", 40)
    monkeypatch.setattr(segments, "SMALL_SEGMENT", 25)
    merged: list[int] = []
    absorb = segments._absorb

    def spy(writer, chosen):
        merged.extend(s.doc_count_all() for s in chosen)
        absorb(writer, chosen)

    monkeypatch.setattr(segments, "_absorb", spy)
    rows = corpus(tmp_path / "a.jsonl", 400)
    directory = tmp_path / "lib"
    with Library(directory) as library:
        library.add([tmp_path / "a.jsonl"], entities=False)
    return directory, rows, merged


def test_an_add_in_many_batches_merges_no_big_segment(many_batches):
    directory, rows, merged = many_batches
    assert merged == [], "a write merged segments of 40 documents"
    with Library(directory) as library:
        assert library._index.segment_count() == 10
        for word in WORDS:
            assert library.search(word).total == truth(rows, word)


def test_writes_fold_tiny_segments_only(tmp_path, monkeypatch):
    monkeypatch.setattr(ingesting, "INDEX_COMMIT_EVERY", 5)
    monkeypatch.setattr(segments, "SMALL_SEGMENT", 8)
    rows = corpus(tmp_path / "a.jsonl", 60)
    with Library(tmp_path / "lib") as library:
        library.add([tmp_path / "a.jsonl"], entities=False)
        counts = [s.doc_count_all() for s in library._index._ix._segments()]
        # Tiny segments are folded in as they pile up, so they never number SMALL_COUNT.
        assert sum(c < 8 for c in counts) < segments.SMALL_COUNT
        assert sum(counts) == 60
        assert library.search("harbor").total == truth(rows, "harbor")


def test_optimize_merges_in_steps_and_keeps_every_article(many_batches, monkeypatch):
    directory, rows, _ = many_batches
    monkeypatch.setattr(segments, "STEP_DOCS", 120)
    seen = []
    with Library(directory) as library:
        steps = library.optimize(on_progress=seen.append)
        sizes = sorted(s.doc_count_all() for s in library._index._ix._segments())
        # Ten of 40 merged three at a time; then no two fit in a step of 120.
        assert sizes == [40, 120, 120, 120] and steps == 3
        assert [p.phase for p in seen] == ["merge"] * steps
        assert seen[-1].done == 6 and seen[-1].total == 9
        for word in WORDS:
            assert library.search(word).total == truth(rows, word)
        assert library.optimize() == 0  # nothing left that fits a step
        assert library.index_segments() == 4


def test_an_optimize_killed_mid_merge_loses_nothing_and_finishes_when_run_again(many_batches):
    directory, rows, _ = many_batches
    before = {word: truth(rows, word) for word in WORDS}
    killed = subprocess.run(
        [*CLI, "--library", str(directory), "optimize", "--quiet"],
        env={**os.environ, CRASH_ENV: "merge"},
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with Library(directory) as library:
        assert library._index.segment_count() == 10, "the killed step was half committed"
        assert {w: library.search(w).total for w in WORDS} == before
    again = subprocess.run(
        [*CLI, "--library", str(directory), "optimize"], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "1 segment" in again.stderr
    with Library(directory) as library:
        assert library._index.segment_count() == 1
        assert {w: library.search(w).total for w in WORDS} == before
        assert len(library) == 400


@pytest.mark.parametrize("batch", [13, 500])
def test_the_length_fixes_give_whooshs_own_lengths_and_scores(tmp_path, monkeypatch, batch):
    """whoosh_fixes caches a missing length column and reads lengths in one piece; lengths,
    their per-segment bounds and scores are Whoosh's own, over short and very long texts."""
    schema = Schema(id=ID(stored=True), body=TEXT(spelling=True), tag=ID)
    texts = [
        f"the {' '.join(WORDS[: n % 5 + 1])} report {n} " + "filler " * (n * 37 % 700)
        for n in range(200)
    ]

    def write(directory):
        directory.mkdir()
        ix = create_in(str(directory), schema)
        for start in range(0, len(texts), batch):
            writer = ix.writer()
            for n in range(start, min(start + batch, len(texts))):
                writer.add_document(id=str(n), body=texts[n], tag=f"t{n % 4}")
            writer.commit(merge=False)
        with ix.searcher() as searcher:
            reader = searcher.reader()
            lengths = [reader.doc_field_length(n, "body") for n in range(len(texts))]
            bounds = (reader.min_field_length("body"), reader.max_field_length("body"))
            from whoosh.query import Term

            scores = [(h["id"], round(h.score, 6)) for h in searcher.search(Term("body", "storm"))]
        return lengths, bounds, scores

    fixed = write(tmp_path / "fixed")
    for name, method in whoosh_fixes.ORIGINALS.items():
        monkeypatch.setattr(whoosh3.W3PerDocReader, name, method)
    assert write(tmp_path / "plain") == fixed


assert library_mod.Library  # the module is the one tests patch elsewhere


def test_a_segment_whose_articles_were_all_replaced_is_dropped_by_the_next_write(many_batches):
    """The entity phase replaces every article's document: the old segments go, rather than
    staying on disk and in every search until an optimize."""
    from crosswire.index.search import IndexDoc

    directory, rows, merged = many_batches
    with Library(directory) as library:
        index = library._index
        first = index._ix._segments()[0]  # its documents come first in the searcher
        searcher = index._ix.searcher()
        stored = [searcher.stored_fields(n) for n in range(first.doc_count_all())]
        searcher.close()
        by_ref = {r["id"]: r for r in rows}
        docs = [
            IndexDoc(
                f["id"],
                f["ref"],
                by_ref[f["ref"]]["source"],
                f["title"],
                by_ref[f["ref"]]["text"],
                None,
            )
            for f in stored
        ]
        index.write(docs)
        segments_now = index._ix._segments()
        assert first.segment_id() not in {s.segment_id() for s in segments_now}
        assert len(segments_now) == 10 and merged == []
        for word in WORDS:
            assert library.search(word).total == truth(rows, word)
