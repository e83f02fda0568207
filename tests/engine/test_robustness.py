"""Nothing lost: interrupted adds, two writers, a reader beside a writer, a damaged index."""

import fcntl
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crosswire.index.library import INDEX_DIR, LOCK_FILE, Library
from crosswire.index.model import QueryError, SearchResults
from crosswire.index.search import SearchIndex
from crosswire.index.store import CRASH_ENV, RECORD_FILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import ECB

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
        assert library.index_status().documents == len(articles)
        for a in (articles[0], articles[-1]):
            number = a["id"][1:]
            assert library.search(f'"Story number {number}"').total >= 1
        if with_entities:
            assert library.pending_entities() == []
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


def stderr_line_with(proc: subprocess.Popen, word: str, timeout: float = 120) -> str:
    """The first line proc writes to stderr that holds word; fails on exit or timeout first.

    The timeout only bounds a hang: nothing here waits for the process to be slow or fast."""
    assert proc.stderr is not None
    while True:
        ready, _, _ = select.select([proc.stderr], [], [], timeout)
        assert ready, f"no {word!r} line within {timeout}s"
        line = proc.stderr.readline()
        assert line, f"the process ended (status {proc.wait()}) without a {word!r} line"
        if word in line:
            return line


def test_two_adds_at_once_wait_for_each_other(tmp_path):
    """The test holds the writer lock itself: both adds say they wait and store nothing until
    it is released, then each finishes, nothing lost or doubled."""
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    articles = write_corpus(first, 300) + write_corpus(second, 300, offset=5000)
    library = tmp_path / "library"
    Library(library).close()
    with open(library / LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        adds = [start_add(library, path, extra=("--no-entities",)) for path in (first, second)]
        for proc in adds:
            assert "another crosswire process is writing" in stderr_line_with(proc, "waiting")
        assert stored_count(library) == 0 and all(p.poll() is None for p in adds)
        fcntl.flock(lock, fcntl.LOCK_UN)
    for proc in adds:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "LockError" not in err and "Traceback" not in err
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
        assert library.index_status().documents == 5
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


GOOD_HTML = (
    "<html><head><title>Bridge reopens</title></head><body><nav>Home | World</nav><article>"
    "<h1>Bridge reopens</h1><p>The old bridge over the river reopened on Friday after two years"
    " of repairs, city officials said.</p><p>Traffic was light in the morning but grew in the"
    " afternoon as commuters returned.</p></article></body></html>"
)


@pytest.fixture
def bad_inputs(tmp_path: Path) -> tuple[Path, dict[str, str], set[str]]:
    """A messy folder: good files of each format beside every kind of bad input.

    Returns the folder, {bad input as named in messages: a word its reason must hold}, and the
    titles of the articles that must be stored.
    """
    folder = tmp_path / "bad-inputs"
    (folder / "loop" / "inner").mkdir(parents=True)
    write = {
        "good.txt": b"Storm hits the coast\n\nA storm hit Valencia on Tuesday, flooding streets.\n",
        "good.md": b"# Markets calm\n\nMarkets in **Frankfurt** were calm on Monday.\n",
        "good.html": GOOD_HTML.encode(),
        "good.rss": (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
            b"<guid>w1</guid><title>Dam holds</title><description>The dam held overnight."
            b"</description></item></channel></rss>"
        ),
        "mixed.jsonl": (
            b'{"id":"j1","source":"wire","title":"Rail strike","text":"Rail workers struck."}\n'
            b'{"id":"j2", broken\n'
            b'{"id":"j3","source":"wire","title":"No text"}\n'
            b'{"id":"j4","source":"wire","title":"Port","text":"The port reopened."}\n'
        ),
        "notext.json": b'{"id": "x", "title": "no text here"}',
        "broken.rss": b'<?xml version="1.0"?><rss><channel><title>F</title><item><title>Cut',
        "menu.html": b"<html><body><nav>Home | About</nav><footer>(c) 2024</footer></body></html>",
        "empty.txt": b"",
        "blank.md": b"  \n\t\n",
        "image.txt": b"GIF89a\x00\x01\x02\x03",
        "latin1.txt": "Café owners protest in the square.\n".encode("latin-1"),
        "paper.pdf": b"%PDF-1.4 whatever",
        "locked.txt": b"A locked story about the harbour.\n",
    }
    for name, data in write.items():
        (folder / name).write_bytes(data)
    with (folder / "huge.txt").open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # 50 MB by stat; sparse, so it costs no disk
    (folder / "loop" / "inner" / "back").symlink_to("..", target_is_directory=True)
    bad = {
        str(folder / "mixed.jsonl") + ":2": "not valid JSON",
        str(folder / "mixed.jsonl") + ":3": 'no "text" field',
        str(folder / "notext.json"): 'no "text" field',
        str(folder / "broken.rss"): "not a valid RSS/Atom feed",
        str(folder / "menu.html"): "no main text",
        str(folder / "empty.txt"): "empty file",
        str(folder / "blank.md"): "only whitespace",
        str(folder / "image.txt"): "binary file",
        str(folder / "latin1.txt"): "not valid UTF-8",
        str(folder / "paper.pdf"): "unsupported file type",
        str(folder / "locked.txt"): "permission denied",
        str(folder / "huge.txt"): "over the 20 MB limit",
        str(folder / "loop" / "inner" / "back"): "symlink loop",
        str(tmp_path / "missing.txt"): "no such file",
    }
    titles = {"Storm hits the coast", "Markets calm", "Bridge reopens", "Dam holds"}
    return folder, bad, titles | {"Rail strike", "Port"}


def test_one_add_over_a_messy_folder_adds_the_good_and_names_each_bad(
    bad_inputs, tmp_path, capsys, monkeypatch
):
    from crosswire.index.ingest import inputs as readers
    from crosswire.tui.cli import main

    folder, bad, titles = bad_inputs
    locked = folder / "locked.txt"
    locked.chmod(0o000)
    if os.geteuid() == 0:  # root reads mode-000 files anyway: fail open() as for anyone else
        real_open = os.open

        def denying_open(file, *args, **kwargs):
            if Path(file) == locked:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(readers.os, "open", denying_open)
    library = str(tmp_path / "library")
    argv = [
        "--library",
        library,
        "add",
        "--no-entities",
        str(folder),
        str(tmp_path / "missing.txt"),
    ]
    for attempt in ("first", "again"):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 1, "add exits non-zero when it skipped anything"
        lines = [line for line in err.splitlines() if line.startswith("skipped ")]
        assert len(lines) == len(bad), "\n".join(lines)
        for where, reason in bad.items():
            [line] = [line for line in lines if line.startswith(f"skipped {where}: ")]
            assert reason in line, line
        added = len(titles) if attempt == "first" else 0
        assert f"added {added}, already present {len(titles) - added}, skipped {len(bad)}" in err
        assert "Traceback" not in err
    with Library(library) as lib:
        assert {a.title for a in lib.articles()} == titles
        assert lib.index_status().documents == len(titles)


def test_stored_but_unindexed_articles_are_indexed_on_open_with_one_line(tmp_path):
    """A kill between the record's commit and the index's leaves this state."""
    feed = tmp_path / "wire.jsonl"
    article = {"id": "r1", "source": "wire", "title": "T", "text": "Lone dispatch."}
    feed.write_text(json.dumps(article) + "\n")
    add = [*CLI, "--library", str(tmp_path / "lib"), "add", "--quiet", str(feed)]
    killed = subprocess.run(add, env={**os.environ, CRASH_ENV: "stored"}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    notices: list[str] = []
    with Library(tmp_path / "lib", on_notice=notices.append) as library:
        assert library.search("dispatch").total == 1
    assert notices == ["an interrupted run left stored articles unindexed (1); indexing them now"]
    with Library(tmp_path / "lib", on_notice=notices.append):
        assert len(notices) == 1, "nothing to say once the index has caught up"


def test_an_article_two_outlets_carried_is_found_under_each(tmp_path):
    feed = tmp_path / "wire.jsonl"
    story = "A drone struck the residence in Baghdad overnight."
    feed.write_text(
        json.dumps({"id": "a1", "source": "Alpha", "title": "Strike", "text": story})
        + "\n"
        + json.dumps({"id": "b7", "source": "Beta, Inc", "title": "Strike", "text": story})
        + "\n",
        encoding="utf-8",
    )
    with Library(tmp_path / "lib") as library:
        report = library.add([feed], entities=False)
        assert (report.added, report.present) == (1, 1)
        assert library.sources() == {"Alpha": 1, "Beta, Inc": 1}
        for source in ("Alpha", "Beta, Inc"):
            assert library.search("drone", source=source).total == 1, source
            assert len(library.articles(source)) == 1 and library.article_count(source) == 1
        assert library.search('source:"beta, inc" drone').total == 1
        assert library.search("drone").source_counts == {"Alpha": 1, "Beta, Inc": 1}
        assert library.article("b7").sources == ("Alpha", "Beta, Inc")


def test_an_emptied_index_the_record_thinks_full_is_refilled(tmp_path):
    """Files lost under a readable index, or an interrupted rebuild of an older crosswire."""
    directory = tmp_path / "lib"
    write_corpus(tmp_path / "few.jsonl", 3)
    with Library(directory) as library:
        library.add([tmp_path / "few.jsonl"], entities=False)
    shutil.rmtree(directory / INDEX_DIR)
    SearchIndex(directory / INDEX_DIR).close()  # a valid, empty index
    notices: list[str] = []
    with Library(directory, on_notice=notices.append) as library:
        assert library.search('"Story number 1"').total == 1
        assert library.index_status().documents == 3
    assert len(notices) == 1 and "re-indexing" in notices[0]


def test_a_rebuild_cut_short_leaves_work_not_an_empty_index(tmp_path, monkeypatch):
    directory = tmp_path / "lib"
    write_corpus(tmp_path / "few.jsonl", 3)
    with Library(directory) as library:
        library.add([tmp_path / "few.jsonl"], entities=False)
        monkeypatch.setattr(
            SearchIndex, "write", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt())
        )
        with pytest.raises(KeyboardInterrupt):
            library.rebuild()
    monkeypatch.undo()
    with Library(directory) as library:
        assert library.index_status().documents == 3
        assert library.search('"Story number 2"').total == 1


def test_two_processes_opening_one_new_library_both_succeed(tmp_path):
    script = (
        "import sys; from crosswire.index.library import Library; "
        "Library(sys.argv[1]).close(); print('ok')"
    )
    for round_number in range(4):
        directory = tmp_path / f"new{round_number}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(directory)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0 and out.strip() == "ok", err
        with Library(directory) as library:
            assert library.index_status().documents == 0 and len(library) == 0


def test_a_library_answers_from_any_thread(seeded):
    import concurrent.futures

    with Library(seeded) as library, concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda q: library.search(q).total, ["drone", "Kazemi"]))
        entity = pool.submit(library.entity, "Kazemi").result()
    assert results[0] >= 3 and results[1] >= 1 and entity is not None


def test_entity_hints_come_from_words_searched_for_not_negated_ones(seeded):
    with Library(seeded) as library:
        assert [h.word for h in library.search("Kazemi").entity_hints] == ["Kazemi"]
        assert library.search("drone NOT Kazemi").entity_hints == []
        assert library.search("drone -Kazemi").entity_hints == []
        assert [h.word for h in library.search('"Mustafa Kazemi"').entity_hints] == [
            "Mustafa Kazemi"
        ]


def test_the_writer_lock_holds_between_threads_of_one_process(tmp_path):
    import threading

    with Library(tmp_path / "lib") as library, library._writing():
        got: list[bool] = []

        def other_thread() -> None:
            with library._writing(wait=False) as acquired:
                got.append(acquired)

        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert got == [False], "another thread must wait, as another process does"
