"""The decision commands as a user meets them: ambiguous names, --id, the log, undo, redo,
rename, and an old id after a merge (invented names: tests/invented.py)."""

import json
import shutil
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.tui.cli import main

from ..invented import build


@pytest.fixture(scope="module")
def invented_master(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("invented-cli") / "library")


@pytest.fixture
def lib(invented_master, tmp_path) -> str:
    directory = tmp_path / "library"
    shutil.copytree(invented_master, directory)
    return str(directory)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ids(lib: str) -> dict[str, str]:
    with Library(lib) as library:
        return {e.name: e.id for e in library.entities()}


def test_a_name_of_several_entities_is_an_error_listing_them_and_id_picks(capsys, lib):
    before = ids(lib)
    trust, tech = before["Harbor Trust"], before["Hightower Tech"]
    for argv in (("entity", "HT"), ("merge", "Corvin Dale", "HT"), ("split", "HT", "HT")):
        code, out, err = run(capsys, "--library", lib, *argv)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and trust in err and tech in err and "--id" in err
    code, out, _ = run(capsys, "--library", lib, "entity", "HT", "--id", tech, "--json")
    assert code == 0 and json.loads(out)["name"] == "Hightower Tech"
    code, _, said = run(capsys, "--library", lib, "merge", "Corvin Dale", "HT", "--id", tech)
    assert code == 0 and f"({tech})" in said
    assert ids(lib)["Harbor Trust"] == trust
    assert run(capsys, "--library", lib, "decisions", "--json")[1].count('"merge"') == 1


def test_decisions_undo_redo_and_an_old_id_after_a_merge(capsys, lib):
    before = ids(lib)
    corvin, rafiq = before["Corvin Dale"], before["Rafiq al-Zarqa"]
    assert run(capsys, "--library", lib, "merge", corvin, rafiq)[0] == 0
    survivor = ids(lib)["Rafiq al-Zarqa"]
    old = rafiq if survivor == corvin else corvin
    code, out, _ = run(capsys, "--library", lib, "entity", old, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["id"] == survivor and shown["redirected_from"] == old
    code, out, _ = run(capsys, "--library", lib, "entity", old)
    assert f"{old} was merged into {survivor}" in out
    code, out, _ = run(capsys, "--library", lib, "decisions", "--json")
    [entry] = json.loads(out)
    assert set(entry) == {"seq", "action", "summary", "made_at", "state"}
    assert entry["action"] == "merge" and entry["state"] == "active"
    code, _, said = run(capsys, "--library", lib, "undo")
    assert code == 0 and said.startswith(f"undid {entry['seq']}: merged")
    assert ids(lib) == before
    code, out, _ = run(capsys, "--library", lib, "decisions")
    assert "[undone]" in out and "merged" in out
    assert run(capsys, "--library", lib, "redo")[0] == 0
    again = ids(lib)
    assert again["Rafiq al-Zarqa"] == survivor and "Corvin Dale" not in again
    code, _, err = run(capsys, "--library", lib, "undo", "7")
    assert code == 1 and "no decision 7" in err


def test_rename_split_of_a_spelling_and_folded_variants(capsys, lib):
    code, out, _ = run(capsys, "--library", lib, "rename", "Kataib Velmar", "Velmar Front")
    assert code == 0
    code, out, _ = run(capsys, "--library", lib, "entity", "Velmar Brigades", "--json")
    assert json.loads(out)["name"] == "Velmar Front"
    code, out, _ = run(capsys, "--library", lib, "split", "N.E.O.", "Neo")
    assert code == 0
    # "HT" names two entities, but only one of them is also written "Harbor Trust": that
    # one is meant (and its only name group cannot leave it).
    code, _, said = run(capsys, "--library", lib, "split", "HT", "Harbor Trust")
    assert code == 1 and "is all of 'Harbor Trust'" in said and "2 entities" not in said
    code, out, _ = run(capsys, "--library", lib, "entity", "Rafiq al-Zarqa")
    assert "Rafiq al-Zarqa (also Rafiq Al-Zarqa)" in out
    code, out, _ = run(capsys, "--library", lib, "decisions")
    lines = out.splitlines()
    assert len(lines) == 2 and "renamed Kataib Velmar" in lines[0] and "split Neo" in lines[1]
