"""The compare view and the facts panel in a real terminal (tmux), at 160×48 then 80×24."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_tmux import CROSSWIRE, Terminal


def claims_stored(library: Path) -> bool:
    """The seeds' entity phase (a background subprocess at first start) stored their claims."""
    try:
        with sqlite3.connect(library / "library.sqlite3") as conn:
            return conn.execute("SELECT count(*) FROM claimed").fetchone()[0] == 5
    except sqlite3.Error:
        return False


def narrow_sections(screen: str) -> bool:
    """80 columns: the sources one under another, not side by side."""
    lines = screen.splitlines()
    side_by_side = any("002_" in ln and "003_" in ln for ln in lines)
    return not side_by_side and len(lines[0]) <= 80 and "002_1513c531622ec9e9 · 1 passage" in screen


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """The reader in tmux, sized by tmux alone: COLUMNS/LINES (which a test run may leave in
    the environment, and which would pin the reader at 80×24) are unset for it."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: this end-to-end test needs it (apt-get install tmux)")
    term = Terminal(f"crosswire-compare-{uuid.uuid4().hex[:8]}")
    command = f"env -u COLUMNS -u LINES {CROSSWIRE} --library {tmp_path / 'library'}"
    started = term.tmux(
        "new-session", "-d", "-s", "reader", "-x", "160", "-y", "48",
        "-e", f"CROSSWIRE_CONFIG={tmp_path / 'config.toml'}",
        "-e", f"XDG_DATA_HOME={tmp_path / 'data'}",
        command,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    term.library = tmp_path / "library"  # type: ignore[attr-defined]
    try:
        yield term
    finally:
        term.tmux("kill-server")


@pytest.mark.slow
def test_compare_and_facts_in_a_real_terminal(terminal: Terminal):
    term = terminal
    term.wait_for("the seeds listed", lambda: "5 articles" in term.screen())
    term.wait_for("160 columns", lambda: len(term.screen().splitlines()[0]) >= 150)
    library: Path = term.library  # type: ignore[attr-defined]
    term.wait_for("claims stored", lambda: claims_stored(library), timeout=120)
    term.keys("C-p")
    term.wait_for("the palette", lambda: "🔎" in term.screen())
    term.keys("Facts: numbers", literal=True)
    term.wait_for("the facts entry", lambda: "disputed first" in term.screen())
    term.keys("Enter")
    term.wait_for("the facts panel", lambda: "DISPUTED drone used" in term.screen())
    screen = term.screen()
    assert "guard injured" in screen and "several" in screen and "seven members" in screen
    assert screen.index("DISPUTED drone used") < screen.index("guard injured")
    term.keys("Escape")
    term.wait_for("the reader again", lambda: "Facts:" not in term.screen())
    term.keys("/", literal=True)
    term.keys('"three drones" OR "two drones"', literal=True)
    term.wait_for("the results", lambda: "3 matches" in term.screen())
    term.keys("Tab")
    term.keys("c", literal=True)
    term.wait_for("the compare view", lambda: "Compare:" in term.screen())
    screen = term.screen()
    assert "not mentioned in: 000_" in screen
    # 160 columns: one column per source, side by side.
    header = next(line for line in screen.splitlines() if "002_" in line)
    assert "003_" in header and "004_" in header
    assert "clarified that only" in screen
    term.tmux("resize-window", "-t", "reader", "-x", "80", "-y", "24")
    term.wait_for("sections when narrow", lambda: narrow_sections(term.screen()))
    term.keys("Enter")
    term.wait_for("the passage in its article", lambda: "487 words" in term.screen())
    term.wait_for("the passage in view", lambda: "three drones" in term.screen())
