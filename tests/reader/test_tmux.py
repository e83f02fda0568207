"""End to end in a real terminal: tmux runs the installed `crosswire` console script.

This is the path a user takes on day one: a new library fills with the seeds, `/Kazemi` finds
the seed that spells the name that way, enter opens it, `q` quits.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CROSSWIRE = Path(sys.executable).parent / "crosswire"


class Terminal:
    """One tmux server on its own socket, one session running one command."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "reader").stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "reader", *(["-l"] if literal else []), *keys)

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", "reader").returncode == 0

    def wait_for(self, what: str, done: Callable[[], bool], timeout: float = 20) -> None:
        """Poll the real terminal (a real process has no pilot to wait on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")


@contextmanager
def reader_on(
    library: Path, config: Path, name: str, size: tuple[int, int] = (120, 40)
) -> Iterator[Terminal]:
    """The installed reader on `library` in a new tmux server (killed after); fails the test
    when tmux is missing rather than skipping it."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: this end-to-end test needs it (apt-get install tmux)")
    term = Terminal(f"{name}-{uuid.uuid4().hex[:8]}")
    started = term.tmux(
        *("new-session", "-d", "-s", "reader", "-x", str(size[0]), "-y", str(size[1])),
        *("-e", f"CROSSWIRE_CONFIG={config}"),
        f"{CROSSWIRE} --library {library}",
    )
    assert started.returncode == 0, started.stderr
    try:
        yield term
    finally:
        term.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: this end-to-end test needs it (apt-get install tmux)")
    if not CROSSWIRE.exists():
        pytest.fail(f"the crosswire console script is not installed at {CROSSWIRE}")
    term = Terminal(f"crosswire-test-{uuid.uuid4().hex[:8]}")
    library = tmp_path / "library"
    # COLUMNS/LINES from the test run would pin the reader's size (Textual asks shutil, which
    # prefers them to the terminal): the reader must see the pane's real size and its resizes.
    command = f"env -u COLUMNS -u LINES {CROSSWIRE} --library {library}"
    started = term.tmux(
        "new-session",
        "-d",
        "-s",
        "reader",
        "-x",
        "160",
        "-y",
        "48",
        "-e",
        f"CROSSWIRE_CONFIG={tmp_path / 'config.toml'}",
        "-e",
        f"XDG_DATA_HOME={tmp_path / 'data'}",
        command,
    )
    assert started.returncode == 0, started.stderr
    try:
        yield term
    finally:
        term.tmux("kill-server")


@pytest.mark.slow
def test_search_open_and_quit_in_a_real_terminal(terminal: Terminal):
    terminal.wait_for("the seeds listed", lambda: "5 articles" in terminal.screen())
    terminal.keys("/Kazemi", literal=True)
    terminal.wait_for("the Kazemi result", lambda: "1 match" in terminal.screen())
    # The snippet shows the hit in context (its sentence, wrapped in the results pane).
    assert "Kazemi's home last week" in terminal.screen(), "the snippet shows the hit in context"
    terminal.wait_for(
        "entities from the extraction subprocess",
        lambda: "also written" in terminal.screen(),
        timeout=90,
    )
    terminal.keys("Enter")
    terminal.wait_for("the article", lambda: "words" in terminal.screen())
    assert "U.S. military officials stated on Saturday" in terminal.screen()
    # The article is drawn a moment before focus moves into it (then q is a key, not a letter).
    terminal.wait_for("the article focused", lambda: "Next name" in terminal.screen())
    terminal.keys("q", literal=True)
    terminal.wait_for("the reader to quit", lambda: not terminal.alive())


def status(terminal: Terminal) -> str:
    """The status line: the second line from the bottom."""
    return terminal.screen().rstrip("\n").splitlines()[-2]


def pane_corners(terminal: Terminal) -> int:
    return terminal.screen().splitlines()[0].count("╭")


@pytest.mark.slow
def test_keys_history_and_resize_in_a_real_terminal(terminal: Terminal):
    """Esc then ? is help; n after a new search is its next hit; ctrl+o returns; 160→80→160
    with all panes open stays readable."""
    terminal.wait_for("the seeds listed", lambda: "5 articles" in terminal.screen())
    terminal.wait_for("entities", lambda: "extracting" not in status(terminal), timeout=90)
    terminal.keys("drone", literal=True)
    terminal.wait_for("the drone results", lambda: "5 matches" in terminal.screen())
    assert "esc Leave" in terminal.screen(), "the footer in the box says how to leave it"
    terminal.keys("Escape")
    terminal.wait_for("focus in the results", lambda: "? Help" in terminal.screen())
    terminal.keys("?", literal=True)
    terminal.wait_for("the help", lambda: "crosswire — keys" in terminal.screen())
    terminal.keys("Escape")
    terminal.wait_for("the help closed", lambda: "crosswire — keys" not in terminal.screen())
    terminal.keys("Enter")
    terminal.wait_for("the first hit", lambda: "hit 1 of" in status(terminal))
    terminal.keys("n", literal=True)
    terminal.wait_for("the next hit", lambda: "hit 2 of" in status(terminal))
    assert "result 1 of 5" in status(terminal)
    terminal.keys("]", literal=True)
    terminal.wait_for("another source", lambda: "result 1 of 5" not in status(terminal))
    terminal.keys("C-o")
    terminal.wait_for("back where we were", lambda: "result 1 of 5" in status(terminal))
    terminal.wait_for("the article focused", lambda: "Next name" in terminal.screen())
    for _ in range(5):  # w onto a name, enter opens its entity: all three panes shown
        terminal.keys("w", literal=True)
        time.sleep(1)
        terminal.keys("Enter")
        time.sleep(1)
        if pane_corners(terminal) == 3:
            break
    terminal.wait_for("the entity pane", lambda: pane_corners(terminal) == 3)
    terminal.tmux("resize-window", "-t", "reader", "-x", "80", "-y", "24")
    terminal.wait_for("one pane at 80", lambda: pane_corners(terminal) == 1)
    lines = terminal.screen().splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("╭") and lines[0].rstrip().endswith("╮"), "both borders shown"
    shown = terminal.screen()
    assert "mentions in" in shown or "words" in shown, "the pane in front, with its head"
    terminal.tmux("resize-window", "-t", "reader", "-x", "160", "-y", "48")
    terminal.wait_for("all panes again at 160", lambda: pane_corners(terminal) == 3)
    top = terminal.screen().splitlines()[0]
    assert len(top.rstrip()) == 160 and top.rstrip().endswith("╮")
    terminal.keys("q", literal=True)
    terminal.wait_for("the reader to quit", lambda: not terminal.alive())
