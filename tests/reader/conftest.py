"""Pilot helpers the reader's tests share: start a reader on a library, wait for it, and the
few journeys many tests begin with."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from crosswire.tui.app import CrosswireApp
from crosswire.tui.article_view import ArticleView
from crosswire.tui.backend import Backend
from crosswire.tui.state import Navigation
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

WIDE = (160, 48)
NARROW = (80, 24)


@contextlib.asynccontextmanager
async def reader(
    directory: Path, size: tuple[int, int] = WIDE, **options: object
) -> AsyncIterator[tuple[CrosswireApp, Pilot]]:
    backend = Backend(directory)
    app = CrosswireApp(backend, **options)  # type: ignore[arg-type]
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            yield app, pilot
            assert not app.worker_errors, f"a worker failed: {app.worker_errors}"
    finally:
        backend.close()


@pytest.fixture
def app(seeded: Path) -> Iterator[CrosswireApp]:
    """A reader on a copy of the seeded library, not started: for snap_compare."""
    backend = Backend(seeded)
    yield CrosswireApp(backend)
    backend.close()


def nav(app: CrosswireApp) -> Navigation:
    """Where the reader is: what is listed, what is open, where on the entity's tour."""
    return app.reader.nav


async def settle(app: CrosswireApp, pilot: Pilot) -> None:
    """Let workers (searches, loads on the library thread) finish and the screen catch up.

    A merge or split worker waits on its modal screens, so it is left running here."""
    for _ in range(3):
        for worker in [w for w in app.workers if w.group != "edit" and not w.is_finished]:
            with contextlib.suppress(WorkerCancelled):  # superseded by a newer one: fine
                await worker.wait()
        await pilot.pause()


async def search(app: CrosswireApp, pilot: Pilot, query: str) -> None:
    await pilot.press("slash")
    app.query_one("#query", Input).value = ""
    await pilot.press(*query)
    await settle(app, pilot)


async def open_first_result(app: CrosswireApp, pilot: Pilot) -> None:
    await pilot.press("slash", "enter")
    await settle(app, pilot)


async def tab_to(app: CrosswireApp, pilot: Pilot, name: str) -> None:
    view = app.query_one(ArticleView)
    assert app.focused is view
    for _ in range(len(view.mentions) + 1):
        await pilot.press("w")
        if view.cursor_mention is not None and view.cursor_mention.text == name:
            return
    raise AssertionError(f"no mention {name!r} in {[m.text for m in view.mentions]}")


async def open_kazemi(app: CrosswireApp, pilot: Pilot) -> None:
    """Find the seed that writes Kazemi, open it, and open the entity of that name."""
    await search(app, pilot, "Kazemi")
    await pilot.press("enter")
    await settle(app, pilot)
    await tab_to(app, pilot, "Kazemi")
    await pilot.press("enter")
    await settle(app, pilot)


async def palette_to_entity(app: CrosswireApp, pilot: Pilot, name: str) -> None:
    """ctrl+p's Go to entity…, type a name, take the first match."""
    app.action_go_to_entity()
    await settle(app, pilot)
    await pilot.press(*name)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


def visible(app: CrosswireApp, selector: str) -> bool:
    return app.query_one(selector).display and app.query_one(selector).region.area > 0


def article_lines(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


@contextlib.contextmanager
def library_thread_held(app: CrosswireApp) -> Iterator[None]:
    """Keep the library thread busy so calls queue behind it: a race made deterministic."""
    gate = threading.Event()
    app.backend.submit(lambda _library: gate.wait())
    try:
        yield
    finally:
        gate.set()
