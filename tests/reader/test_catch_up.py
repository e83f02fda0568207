"""A library an interrupted run left half done opens for reading at once: the first results
are shown from the record, and the index catches up on the library thread after them."""

import json
import os
import signal
import subprocess
import sys

from crosswire.index import Library
from crosswire.index.store import CRASH_ENV
from crosswire.tui.backend import Backend

CLI = [sys.executable, "-m", "crosswire.tui.cli"]


def half_done_library(tmp_path):
    """One article added and annotated, then an add killed after its record commit and
    before the index's: three articles stored, unindexed, without entities."""
    directory = tmp_path / "lib"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"id": "f1", "source": "wire", "title": "Old", "text": "Old."}))
    second.write_text(
        "".join(
            json.dumps({"id": f"s{i}", "source": "post", "title": f"Late {i}", "text": f"Dam {i}."})
            + "\n"
            for i in range(3)
        )
    )
    with Library(directory) as library:
        library.add([first], entities=False)
    add = [*CLI, "--library", str(directory), "add", "--quiet", str(second)]
    killed = subprocess.run(add, env={**os.environ, CRASH_ENV: "stored"}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    return directory


async def test_a_half_done_library_paints_before_its_index_catches_up(tmp_path):
    backend = Backend(half_done_library(tmp_path))
    try:
        status = backend.run(Library.index_status)
        assert (status.articles, status.unindexed) == (4, 3), "opening did not catch up"
        assert backend.entities_pending()
        first = await backend.find("", None)
        assert [h.title for h in first.hits] == ["Old", "Late 0", "Late 1", "Late 2"]
        assert first.total == 4 and first.source_counts == {"post": 3, "wire": 1}
        # Queued behind the first results on the library thread: done by the next call.
        assert backend.run(Library.index_status).unindexed == 0
        assert await backend.refresh() is True, "the reader is told the index grew"
        assert await backend.refresh() is False
        assert (await backend.find("dam", None)).total == 3
        assert backend.notices == [
            "an interrupted run left stored articles unindexed (3); indexing them now"
        ]
    finally:
        backend.close()


async def test_a_library_with_nothing_to_catch_up_says_nothing(tmp_path):
    directory = tmp_path / "lib"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "source": "wire", "title": "T", "text": "Dam."}))
    with Library(directory) as library:
        library.add([feed], entities=False)
    backend = Backend(directory)
    try:
        assert (await backend.find("dam", None)).total == 1
        assert await backend.refresh() is True  # the first look always answers True
        assert await backend.refresh() is False
        assert backend.notices == []
    finally:
        backend.close()
