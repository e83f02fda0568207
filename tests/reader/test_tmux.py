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


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: this end-to-end test needs it (apt-get install tmux)")
    if not CROSSWIRE.exists():
        pytest.fail(f"the crosswire console script is not installed at {CROSSWIRE}")
    term = Terminal(f"crosswire-test-{uuid.uuid4().hex[:8]}")
    library = tmp_path / "library"
    command = f"{CROSSWIRE} --library {library}"
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
    assert "Mustafa Kazemi's home" in terminal.screen(), "the snippet shows the hit in context"
    terminal.wait_for(
        "entities from the extraction subprocess",
        lambda: "also written" in terminal.screen(),
        timeout=90,
    )
    terminal.keys("Enter")
    terminal.wait_for("the article", lambda: "words" in terminal.screen())
    assert "U.S. military officials stated on Saturday" in terminal.screen()
    terminal.keys("q", literal=True)
    terminal.wait_for("the reader to quit", lambda: not terminal.alive())
