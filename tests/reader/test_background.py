"""Work behind the reader: other processes adding articles, the extraction subprocess, failing
library calls, and never importing spaCy."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.index.model import CrosswireError
from crosswire.seeds import seed_paths
from crosswire.tui.article_view import ArticleView
from crosswire.tui.extraction import cli_command
from crosswire.tui.widgets import StatusLine

from .conftest import (
    nav,
    open_first_result,
    reader,
    settle,
)


@pytest.mark.slow
async def test_new_articles_from_another_process_appear(seeded: Path, tmp_path: Path):
    extra = tmp_path / "extra.md"
    extra.write_text("# Late news\n\nA late report from Basra about the drones.\n", "utf-8")
    async with reader(seeded) as (app, pilot):
        assert len(nav(app).results.hits) == 5
        done = subprocess.run(
            cli_command(seeded, "add", "--no-entities", "--quiet", str(extra)),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        app.poll()
        await settle(app, pilot)
        assert len(nav(app).results.hits) == 6


@pytest.mark.slow
async def test_entities_arrive_from_the_extraction_subprocess(tmp_path: Path):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add(seed_paths(), entities=False)
    command = cli_command(directory, "annotate", "--quiet")
    async with reader(directory, extract=command) as (app, pilot):
        await open_first_result(app, pilot)
        assert app.query_one(ArticleView).mentions == []
        assert "extracting" in str(app.query_one(StatusLine).content)
        process = app.extraction.process
        await asyncio.to_thread(process.wait, 120)
        app.poll()
        await settle(app, pilot)
        assert app.extraction is None
        assert app.query_one(ArticleView).mentions, "mentions appear once extraction is done"


@pytest.mark.slow
def test_reader_never_imports_spacy(seeded: Path):
    """A fresh interpreter: the test process itself has spaCy loaded by the seeded fixture.

    How fast the first paint is lives in bench/bench_startup.py, not here.
    """
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from crosswire.tui.app import CrosswireApp
        from crosswire.tui.backend import Backend

        async def main():
            backend = Backend(Path({str(seeded)!r}))
            app = CrosswireApp(backend)
            async with app.run_test(size=(160, 48)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert len(app.reader.nav.results.hits) == 5
            backend.close()
            print("spacy" in sys.modules)

        asyncio.run(main())
        """
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


async def test_a_failing_library_call_is_a_message_not_a_crash(seeded: Path, monkeypatch):
    def broken(self: Library, id_or_ref: str) -> None:
        raise CrosswireError("the library record is damaged")

    monkeypatch.setattr(Library, "article", broken)
    async with reader(seeded) as (app, pilot):
        await open_first_result(app, pilot)
        assert app.is_running and nav(app).article is None
        assert [str(e) for e in app.worker_errors] == ["the library record is damaged"]
        assert any("damaged" in n.message for n in app._notifications)
        app.worker_errors.clear()


async def test_status_shows_how_far_extraction_has_got(tmp_path: Path):
    directory = tmp_path / "library"
    with Library(directory) as library:
        library.add(seed_paths(), entities=False)
    # A stand-in for `crosswire annotate` that runs until the reader stops it.
    command = [sys.executable, "-c", "import signal; signal.pause()"]
    async with reader(directory, extract=command) as (app, pilot):
        app.poll()
        await settle(app, pilot)
        assert "extracting entities… 0 of 5 articles" in str(app.query_one(StatusLine).content)


async def test_new_entities_arriving_keep_the_readers_place(seeded: Path):
    """Another process's additions re-read the open article; the reader stays where they were."""
    async with reader(seeded, size=(160, 20)) as (app, pilot):
        await open_first_result(app, pilot)
        view = app.query_one(ArticleView)
        assert view.max_scroll_y > 0
        await pilot.press("G")
        await pilot.pause()
        place = view.scroll_y
        assert place > 0
        await app.reader.library_changed()
        await settle(app, pilot)
        assert view.scroll_y == place
