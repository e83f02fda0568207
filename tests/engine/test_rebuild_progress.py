"""A rebuild on open says how far it is: a large library's index rebuilt after an upgrade
or a lost index runs for minutes before a command can answer, and must not look hung."""

import json
import shutil

from crosswire.index import ingesting
from crosswire.index import library as library_mod
from crosswire.index.library import Library


def test_an_index_rebuilt_on_open_reports_progress_to_the_end(tmp_path, monkeypatch):
    feed = tmp_path / "a.jsonl"
    rows = [
        {"id": f"a{n}", "source": "s", "title": f"T{n}", "text": f"flood {n}"} for n in range(450)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with Library(tmp_path / "lib", on_notice=lambda _: None) as library:
        library.add([feed], entities=False)
    shutil.rmtree(tmp_path / "lib" / "whoosh")
    monkeypatch.setattr(library_mod, "PROGRESS_NOTICE_EVERY", 0.0)
    monkeypatch.setattr(ingesting, "PROGRESS_DOCS", 100)
    notices: list[str] = []
    with Library(tmp_path / "lib", on_notice=notices.append) as library:
        assert library.search("flood").total == 450
    progress = [n for n in notices if n.startswith("indexing ")]
    assert len(progress) >= 4, notices  # every 100 documents, not only per 2,000-article commit
    assert progress[-1] == "indexing 450 of 450 articles"


def test_progress_notices_are_spaced_in_time(monkeypatch):
    said: list[str] = []
    clock = iter([0.0, 1.0, 2.0, 6.0, 7.0, 12.0])
    monkeypatch.setattr(library_mod.time, "monotonic", lambda: next(clock))
    report = library_mod._every(5.0, said.append)
    for done in (100, 200, 300, 400, 500):
        report(library_mod.Progress("index", done, 1000))
    assert said == ["indexing 300 of 1,000 articles", "indexing 500 of 1,000 articles"]
