"""The record: ids, dedupe, refs, format stamp, damage — what must never lose or double."""

import json
import sqlite3

import pytest
from crosswire.index.model import CrosswireError, Incoming, article_id, normalise_text
from crosswire.index.schema import FORMAT_FILE, check_format
from crosswire.index.store import RECORD_FILE, Store


def incoming(text: str, ref: str = "r1", source: str = "A") -> Incoming:
    return Incoming(ref=ref, source=source, title="t", text=text)


def test_id_ignores_whitespace_layout_but_not_words():
    assert article_id("Iraq  is\non edge.\n") == article_id("Iraq is on edge.")
    assert article_id("Iraq is on edge.") != article_id("Iran is on edge.")
    assert normalise_text(" a\t\nb ") == "a b"


def test_insert_dedupes_and_records_every_source(tmp_path):
    store = Store(tmp_path)
    added, present = store.insert([incoming("same story", "a/1", "Reuters")])
    assert [r.id for r in added] == [article_id("same story")] and present == 0
    added, present = store.insert(
        [incoming("same  story\n", "b/9", "AP"), incoming("same story", "a/1", "Reuters")]
    )
    assert added == [] and present == 2
    assert store.count() == 1
    article = store.article(article_id("same story"))
    assert article.sources == ("Reuters", "AP")
    assert article.refs == ("a/1", "b/9")
    assert article.text == "same story"  # the first text is kept verbatim


def test_resolve_id_by_id_ref_and_prefix(tmp_path):
    store = Store(tmp_path)
    store.insert([incoming("one", "feed:1"), incoming("two", "feed:2")])
    aid = article_id("two")
    assert store.resolve_id(aid) == aid
    assert store.resolve_id("feed:2") == aid
    assert store.resolve_id(aid[:6]) == aid
    assert store.resolve_id("nothing") is None


def test_unindexed_batches_follow_marks(tmp_path):
    store = Store(tmp_path)
    store.insert([incoming(f"text {i}", f"r{i}") for i in range(5)])
    batches = list(store.unindexed(batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    store.mark_indexed((r.seq, len(r.sources)) for r in batches[0])
    assert store.unindexed_count() == 3
    store.mark_unindexed()
    assert store.unindexed_count() == 5


def test_newer_format_is_refused(tmp_path):
    (tmp_path / FORMAT_FILE).write_text(json.dumps({"format": 99}))
    with pytest.raises(CrosswireError, match="newer crosswire"):
        check_format(tmp_path)


def test_damaged_record_names_the_file_and_the_way_back(tmp_path):
    (tmp_path / RECORD_FILE).write_bytes(b"this is not an sqlite database" * 100)
    with pytest.raises(CrosswireError) as exc:
        Store(tmp_path)
    message = str(exc.value)
    assert str(tmp_path / RECORD_FILE) in message and "crosswire add" in message
    assert "\n" not in message


def test_a_second_connection_sees_committed_batches(tmp_path):
    store = Store(tmp_path)
    store.insert([incoming("kept")])
    other = sqlite3.connect(tmp_path / RECORD_FILE)
    assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_new_outlet_for_a_stored_article_is_indexed_again_with_both(tmp_path):
    store = Store(tmp_path)
    [row], _ = store.insert([incoming("same wire story", "a1", source="Alpha")])
    assert row.sources == ("Alpha",)
    store.mark_indexed([(row.seq, 1)])
    added, present = store.insert([incoming("same  wire story", "b1", source="Beta")])
    assert (added, present) == ([], 1)
    [[again]] = list(store.unindexed())
    assert again.sources == ("Alpha", "Beta")
    assert store.source_counts() == {"Alpha": 1, "Beta": 1}
    assert [a.id for a in store.summaries("Beta")] == [row.id]
    assert store.count("Beta") == 1 and store.count() == 1


def test_an_outlet_added_while_indexing_keeps_the_article_unindexed(tmp_path):
    """The document was built with one source; a second arrives before its marks land."""
    store = Store(tmp_path)
    [row], _ = store.insert([incoming("same wire story", "a1", source="Alpha")])
    store.insert([incoming("same wire story", "b1", source="Beta")])
    store.mark_indexed([(row.seq, len(row.sources))])
    assert store.unindexed_count() == 1, "indexed with Alpha only: must be indexed again"
    store.mark_indexed([(row.seq, 2)])
    assert store.unindexed_count() == 0


def test_both_outlets_in_one_batch_are_in_the_added_row(tmp_path):
    store = Store(tmp_path)
    added, present = store.insert(
        [incoming("twin", "a1", source="Alpha"), incoming("twin", "b1", source="Beta")]
    )
    assert present == 1 and [r.sources for r in added] == [("Alpha", "Beta")]


def test_the_format_stamp_is_never_seen_half_written(tmp_path):
    """A second process opening a library while the first stamps it reads a whole stamp."""
    import threading

    from crosswire.index.schema import stamp_format

    stamp_format(tmp_path)
    done = threading.Event()
    errors: list[Exception] = []

    def read() -> None:
        while not done.is_set():
            try:
                check_format(tmp_path)
            except Exception as exc:  # an empty or torn stamp reads as unreadable
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(2000):
        stamp_format(tmp_path)
    done.set()
    reader.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["crosswire.json"]
