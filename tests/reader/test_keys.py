"""The keymap file: `[keymap]` in config.toml, bad entries reported and skipped."""

from __future__ import annotations

from pathlib import Path

from crosswire.tui.keys import load_keymap


def test_keymap_from_config(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[keymap]\n"crosswire.search" = "ctrl+f"\n"nope" = "x"\n"crosswire.help" = 3\n',
        encoding="utf-8",
    )
    keymap, problems = load_keymap(config, ["crosswire.search", "crosswire.help"])
    assert keymap == {"crosswire.search": "ctrl+f"}
    assert len(problems) == 2
    assert "nope" in problems[0]


def test_keymap_missing_or_broken_file(tmp_path: Path):
    assert load_keymap(tmp_path / "none.toml", []) == ({}, [])
    bad = tmp_path / "bad.toml"
    bad.write_text("[keymap\n", encoding="utf-8")
    keymap, problems = load_keymap(bad, [])
    assert keymap == {}
    assert "not valid TOML" in problems[0]
