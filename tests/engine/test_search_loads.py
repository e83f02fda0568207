"""A search loads what it shows and no more: article text comes from the record, the index
stores no body, and stored fields are read for the hits shown (plus one per source, once per
searcher, for the source names), never for every match."""

import json

from crosswire.index.library import Library
from crosswire.index.search import make_schema
from whoosh.reading import SegmentReader


def test_the_index_stores_no_article_text_nor_character_offsets():
    schema = make_schema()
    assert not schema["body"].stored
    assert not schema["body"].format.supports("characters")
    assert schema["body"].format.supports("positions")  # phrases still work


def test_a_search_reads_stored_fields_of_the_hits_shown_only(tmp_path, monkeypatch):
    feed = tmp_path / "a.jsonl"
    rows = [
        {"id": f"a{n}", "source": f"s{n % 3}", "title": f"T{n}", "text": f"police report {n}"}
        for n in range(300)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    reads: list[int] = []
    real = SegmentReader.stored_fields

    def counted(self, docnum):
        reads.append(docnum)
        return real(self, docnum)

    with Library(tmp_path / "lib") as library:
        library.add([feed], entities=False)
        library.search("police", limit=5)  # builds the source-name table once
        monkeypatch.setattr(SegmentReader, "stored_fields", counted)
        results = library.search("police", limit=5)
        assert results.total == 300 and len(results.hits) == 5
        assert results.hits[0].snippet.startswith("police report")
        assert len(reads) <= 5, f"{len(reads)} stored-field reads for 5 hits of 300 matches"


def test_an_index_of_the_previous_schema_is_rebuilt_saying_why(tmp_path):
    feed = tmp_path / "a.jsonl"
    feed.write_text(
        "".join(json.dumps({"id": f"a{n}", "text": f"dam {n}"}) + "\n" for n in range(7))
    )
    directory = tmp_path / "lib"
    with Library(directory) as library:
        library.add([feed], entities=False)
    # What a library of the previous crosswire holds: format 1, search schema 2.
    (directory / "crosswire.json").write_text(json.dumps({"format": 1}))
    (directory / "whoosh" / "crosswire-search.json").write_text(json.dumps({"version": 2}))
    notices: list[str] = []
    with Library(directory, on_notice=notices.append) as library:
        assert library.search("dam").total == 7
    assert any("from another crosswire version" in n and "rebuilding" in n for n in notices)
    assert json.loads((directory / "crosswire.json").read_text())["format"] == 2
    notices.clear()
    with Library(directory, on_notice=notices.append) as library:
        assert library.search("dam").total == 7
    assert notices == []


def test_opening_and_searching_does_not_copy_the_postings_into_memory(tmp_path):
    """Whoosh copies each part of an mmapped compound segment into memory of its own; opened
    without mmap, a searcher reads postings in place: the Python memory a search holds stays a
    small fraction of the index files, however many segments there are."""
    import random
    import tracemalloc

    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(3000)]
    feed = tmp_path / "a.jsonl"
    rows = [
        {
            "id": f"a{n}",
            "source": "s",
            "title": f"T{n}",
            "text": " ".join(rng.sample(vocabulary, 200)),
        }
        for n in range(1000)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    directory = tmp_path / "lib"
    with Library(directory) as library:
        library.add([feed], entities=False)
    index_bytes = sum(p.stat().st_size for p in (directory / "whoosh").iterdir())
    tracemalloc.start()
    try:
        with Library(directory) as library:
            assert library.search("w7", limit=5).total > 0
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < index_bytes / 4, f"a search held {peak:,} bytes for an index of {index_bytes:,}"
