"""Nothing lost: interrupted adds, two writers, a reader beside a writer, a damaged index."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crosswire.index.library import INDEX_DIR, Library
from crosswire.index.model import QueryError, SearchResults
from crosswire.index.store import RECORD_FILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ECB

CLI = [sys.executable, "-m", "crosswire.tui.cli"]


def write_corpus(path: Path, n: int, offset: int = 0, words: int = 60) -> list[dict]:
    """n distinct short articles stitched from real ECB+ sentences (names recur, as in news)."""
    sentences = []
    with open(ECB / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            sentences.extend(s for s in json.loads(line)["text"].split("\n") if len(s) > 40)
    articles = []
    for i in range(offset, offset + n):
        picked, count, k = [], 0, i * 7
        while count < words:
            s = sentences[k % len(sentences)]
            picked.append(s)
            count += len(s.split())
            k += 13
        articles.append(
            {
                "id": f"a{i}",
                "source": f"outlet{i % 7}",
                "title": f"Story {i}",
                "published": f"2021-11-{1 + i % 28:02d}",
                "text": f"Story number {i}.\n" + "\n".join(picked),
            }
        )
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return articles


def stored_count(library: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{library / RECORD_FILE}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def start_add(library: Path, *paths: Path, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "--library", str(library), "add", "--quiet", *extra, *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready() and proc.poll() is None:
        assert time.monotonic() < deadline, "the add never reached the kill point"
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def check_complete(directory: Path, articles: list[dict], with_entities: bool) -> None:
    with Library(directory) as library:
        assert len(library) == len(articles)
        refs = {}
        for a in articles:
            stored = library.article(a["id"])
            assert stored is not None, a["id"]
            assert stored.text == a["text"]
            refs[stored.id] = a["id"]
        assert len(refs) == len(articles), "an article was stored twice or merged"
        assert library.index.doc_count() == len(articles)
        for a in (articles[0], articles[-1]):
            number = a["id"][1:]
            assert library.search(f'"Story number {number}"').total >= 1
        if with_entities:
            assert library.entities_db.pending() == []
            assert any(True for _ in library.mentions())


def test_kill_9_at_any_moment_loses_nothing_and_doubles_nothing(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    articles = write_corpus(corpus, 2000)
    library = tmp_path / "library"

    def entity_phase_started() -> bool:
        """Some articles already have their mentions stored: NER is under way."""
        if stored_count(library) < 2000:
            return False
        conn = sqlite3.connect(f"file:{library / RECORD_FILE}?mode=ro", uri=True, timeout=5)
        try:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%mention%'"
                )
            ]
            return any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tables)
        except sqlite3.Error:
            return False
        finally:
            conn.close()

    kill_points = [
        lambda: stored_count(library) > 0,  # early in the text phase
        lambda: stored_count(library) >= 1100,  # the middle of the text phase
        entity_phase_started,  # text stored, entities under way
    ]
    for ready in kill_points:
        proc = start_add(library, corpus)
        kill_when(proc, ready)
        # The next command opens the library and finds no duplicates, whatever state it is in.
        with Library(library) as lib:
            assert len(lib) <= 2000
    proc = start_add(library, corpus)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    check_complete(library, articles, with_entities=True)


def test_two_adds_at_once_wait_for_each_other(tmp_path):
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    articles = write_corpus(first, 1200) + write_corpus(second, 300, offset=5000)
    library = tmp_path / "library"
    Library(library).close()
    a = start_add(library, first, extra=("--no-entities",))
    while stored_count(library) == 0 and a.poll() is None:
        time.sleep(0.02)
    b = start_add(library, second, extra=("--no-entities",))
    _, err_b = b.communicate(timeout=300)
    _, err_a = a.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, (err_a, err_b)
    assert "waiting" in err_b or "waiting" in err_a
    assert "LockError" not in err_a + err_b and "Traceback" not in err_a + err_b
    check_complete(library, articles, with_entities=False)


def test_an_open_library_sees_another_process_add(tmp_path):
    library = tmp_path / "library"
    corpus = tmp_path / "more.jsonl"
    write_corpus(corpus, 50)
    with Library(library) as reader:
        assert reader.search("Story").total == 0
        reader.refresh()
        assert reader.refresh() is False, "nothing changed since the last look"
        proc = start_add(library, corpus, extra=("--no-entities",))
        assert proc.wait(timeout=120) == 0
        assert reader.refresh() is True
        assert reader.refresh() is False
        assert reader.search('"Story number 7"').total >= 1
        assert len(reader) == 50


@pytest.mark.parametrize(
    "damage", ["delete_dir", "delete_segments", "truncate_segments", "garbage_toc"]
)
def test_a_damaged_index_is_noticed_in_one_line_and_rebuilt(seeded, damage):
    index_dir = seeded / INDEX_DIR
    files = sorted(p for p in index_dir.iterdir() if p.is_file())
    if damage == "delete_dir":
        for p in files:
            p.unlink()
        index_dir.rmdir()
    elif damage == "delete_segments":
        for p in files:
            if p.suffix == ".seg" or p.suffix in {".trm", ".pst", ".fln"}:
                p.unlink()
    elif damage == "truncate_segments":
        for p in files:
            if not p.name.endswith(".toc") and "LOCK" not in p.name:
                p.write_bytes(p.read_bytes()[:10])
    else:
        for p in files:
            if p.name.endswith(".toc"):
                p.write_bytes(b"\x00garbage")
    notices: list[str] = []
    with Library(seeded, on_notice=notices.append) as library:
        results = library.search("drone")
        assert results.total >= 3
        assert library.index.doc_count() == 5
    if damage != "delete_dir":
        assert len(notices) == 1 and "rebuild" in notices[0] and "\n" not in notices[0]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_any_query_gives_results_or_a_clear_message(seeded_master, query):
    with Library(seeded_master) as library:
        try:
            results = library.search(query)
        except QueryError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert isinstance(results, SearchResults)
