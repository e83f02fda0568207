"""A newer query supersedes a slow one: the search the reader started for the old query stops
on the library thread (its deadline reports it superseded), so the newer query's results come
without waiting for the old one to run out of time."""

import asyncio
import json
import threading
import time

from crosswire.index import Library
from crosswire.index.search.index import SearchIndex
from crosswire.index.search.query import Deadline
from textual.widgets import Input

from .conftest import reader, settle

SLOW_FOR = 30.0  # what the slow query would take if nothing stopped it


def small_library(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": f"a{i}", "source": "wire", "title": f"Dam {i}", "text": f"The dam {i} held."}
        for i in range(3)
    ]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with Library(tmp_path / "lib") as library:
        library.add([feed], entities=False)
    return tmp_path / "lib"


def slow_search(monkeypatch):
    """SearchIndex._search, but the query `quarry` works until its deadline says stop (as a
    Whoosh search checks it every 256 matches), for at most SLOW_FOR seconds."""
    started, outcome = threading.Event(), {}
    real = SearchIndex._search

    def search(self, request):
        if request.query.text != "quarry":
            return real(self, request)
        started.set()
        began = time.monotonic()
        while not request.deadline.expired() and time.monotonic() - began < SLOW_FOR:
            time.sleep(0.01)
        outcome["superseded"] = bool(request.deadline.cancelled and request.deadline.cancelled())
        outcome["seconds"] = time.monotonic() - began
        return real(self, request)

    monkeypatch.setattr(SearchIndex, "_search", search)
    monkeypatch.setattr(SearchIndex, "__init__", _long_limit(SearchIndex.__init__))
    return started, outcome


def _long_limit(init):
    def with_long_limit(self, directory, *, time_limit=3.0):
        init(self, directory, time_limit=SLOW_FOR * 2)

    return with_long_limit


async def test_a_newer_query_stops_the_slow_one_on_the_library_thread(tmp_path, monkeypatch):
    started, outcome = slow_search(monkeypatch)
    async with reader(small_library(tmp_path)) as (app, pilot):
        await pilot.press("slash")
        box = app.query_one("#query", Input)
        box.value = "quarry"
        for _ in range(500):  # the slow search reaches the library thread
            if started.is_set():
                break
            await asyncio.sleep(0.01)
        assert started.is_set()
        box.value = "dam"
        await settle(app, pilot)
        pane = app.reader.search
        assert pane.shown.query == "dam" and pane.shown.total == 3
        assert outcome["superseded"], "the slow search ran on instead of stopping"
        assert outcome["seconds"] < SLOW_FOR / 2


def test_a_deadline_is_expired_once_cancelled():
    flag = {"stop": False}
    deadline = Deadline(60, lambda: flag["stop"])
    assert not deadline.expired()
    flag["stop"] = True
    assert deadline.expired()
