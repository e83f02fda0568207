"""Configuration says what it rejects: the keymap and the alias file, one warning an entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from crosswire.index.entities.aliases import read_alias_file
from crosswire.tui.app import reader_binding_ids
from crosswire.tui.article_view import ArticleView
from crosswire.tui.cli import main
from crosswire.tui.keys import key_problem, load_keymap

from .conftest import open_first_result, reader, settle

IDS = reader_binding_ids()


def keymap(tmp_path: Path, body: str) -> tuple[dict[str, str], list[str], Path]:
    path = tmp_path / "config.toml"
    path.write_text("[keymap]\n" + body, encoding="utf-8")
    return (*load_keymap(path, IDS), path)


# -- keymap -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["ctrl+alt+shift+bogus+++,,,", "ctrl+", "bogus", "ctrl+ctrl+f", "f1,", "hyperr+f"]
)
def test_an_unparsable_key_is_one_warning_and_the_default_stays(tmp_path, key):
    toml_key = key.replace("\\", "\\\\")
    got, problems, path = keymap(
        tmp_path, f'"crosswire.search" = "{toml_key}"\n"crosswire.help" = "f2"\n'
    )
    assert got == {"crosswire.help": "f2"}, "the rest of the file still applies"
    assert len(problems) == 1
    assert str(path) in problems[0] and "'crosswire.search'" in problems[0]
    assert "'slash' is kept" in problems[0]


@pytest.mark.parametrize("key", ["ctrl+f", "f5", "a", "/", "ctrl+shift+up", "j,down", "plus"])
def test_real_keys_are_accepted(key):
    assert key_problem(key) is None


def test_two_actions_on_one_key_keep_the_first_and_warn_about_the_second(tmp_path):
    got, problems, path = keymap(
        tmp_path, '"crosswire.help" = "ctrl+f"\n"crosswire.merge" = "ctrl+f"\n'
    )
    assert got == {"crosswire.help": "ctrl+f"}
    [line] = problems
    assert str(path) in line and "'crosswire.merge'" in line and "'crosswire.help'" in line


def test_a_key_taken_from_an_unmapped_action_is_refused(tmp_path):
    """Binding help to / would silently remove the search key."""
    got, problems, _ = keymap(tmp_path, '"crosswire.help" = "slash"\n')
    assert got == {}
    [line] = problems
    assert "'crosswire.search'" in line


def test_swapping_two_keys_is_no_clash_and_scopes_are_apart(tmp_path):
    got, problems, _ = keymap(
        tmp_path,
        '"crosswire.merge" = "s"\n"crosswire.split" = "m"\n"article.top" = "slash"\n',
    )
    assert problems == []
    assert got == {"crosswire.merge": "s", "crosswire.split": "m", "article.top": "slash"}


def test_an_unknown_action_id_is_named_and_skipped(tmp_path):
    got, problems, path = keymap(tmp_path, '"crosswire.serch" = "ctrl+f"\n"crosswire.help" = "f2"')
    assert got == {"crosswire.help": "f2"}
    [line] = problems
    assert str(path) in line and "'crosswire.serch'" in line


async def test_the_reader_warns_and_keeps_the_search_key(seeded: Path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        '[keymap]\n"crosswire.search" = "ctrl+alt+shift+bogus+++,,,"\n'
        '"crosswire.merge" = "slash"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CROSSWIRE_CONFIG", str(config))
    async with reader(seeded) as (app, pilot):
        warnings = [n.message for n in app._notifications if str(config) in n.message]
        assert len(warnings) == 2, warnings
        await open_first_result(app, pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("slash")
        await settle(app, pilot)
        assert app.focused is app.query_one("#query"), "/ still goes to the search box"


# -- alias file ---------------------------------------------------------------------------------


def aliases(tmp_path: Path, text: str) -> tuple[list[str], object, Path]:
    path = tmp_path / "aliases.toml"
    path.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    rules = read_alias_file(path, warnings.append)
    return warnings, rules, path


def test_a_pair_in_both_same_and_never_is_one_warning_naming_both_entries(tmp_path):
    warnings, rules, path = aliases(
        tmp_path,
        '[[same]]\nnames = ["Qassem Soleimani", "Ali Shamkhani"]\n\n'
        '[[same]]\nnames = ["Hezbollah", "Kataib Hezbollah", "Hezbollah Brigades"]\n\n'
        '[[never]]\nnames = ["Kata\'ib Hezbollah", "hezbollah"]\n',
    )
    [line] = warnings
    assert f"{path}:4" in line and f"{path}:7" in line
    assert "'Hezbollah'" in line and "'Kataib Hezbollah'" in line
    assert rules.same[0] == ("Qassem Soleimani", "Ali Shamkhani"), "the rest still applies"
    assert len(rules.never) == 1


def test_a_name_kept_apart_from_itself_is_one_warning_and_ignored(tmp_path):
    warnings, rules, path = aliases(
        tmp_path,
        '[[never]]\nnames = ["Iran", "Iraq"]\n\n[[never]]\nnames = ["Kadhimi", "Kadhimi"]\n',
    )
    [line] = warnings
    assert f"{path}:4" in line and "Kadhimi" in line
    assert rules.never == (("Iran", "Iraq"),)


def test_alias_warnings_reach_stderr_and_the_rest_applies(capsys, seeded):
    (seeded / "aliases.toml").write_text(
        '[[same]]\nnames = ["Qassem Soleimani", "Ali Shamkhani"]\n\n'
        '[[same]]\nnames = ["United States", "US"]\n\n'
        '[[never]]\nnames = ["US", "United States"]\n',
        encoding="utf-8",
    )
    code = main(["--library", str(seeded), "resolve"])
    err = capsys.readouterr().err
    assert code == 0
    warning = [line for line in err.splitlines() if "aliases.toml" in line]
    assert len(warning) == 1 and "[[never]]" in warning[0]
    main(["--library", str(seeded), "entity", "Shamkhani", "--json"])
    assert "Soleimani" in capsys.readouterr().out
