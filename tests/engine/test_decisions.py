"""Decisions on entities (issue 13): they act on entities, not names; the log, undo and redo;
stable ids with redirects; display names by sources, with spelling variants folded."""

import json
import sqlite3
from pathlib import Path

import pytest
from crosswire.index import schema
from crosswire.index.entities.naming import fold_variants, with_variants
from crosswire.index.library import Library
from crosswire.index.model import AmbiguousName, CrosswireError

from ..invented import LATER, build, insert, reannotate


@pytest.fixture(scope="module")
def invented_master(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("invented") / "library")


@pytest.fixture
def lib(invented_master, tmp_path):
    import shutil

    directory = tmp_path / "library"
    shutil.copytree(invented_master, directory)
    with Library(directory) as library:
        yield library


def ids_by_name(library: Library) -> dict[str, str]:
    return {e.name: e.id for e in library.entities()}


def test_a_name_two_entities_hold_is_an_error_listing_both_and_pick_settles_it(lib):
    before = ids_by_name(lib)
    with pytest.raises(AmbiguousName) as caught:
        lib.merge("Corvin Dale", "HT")
    message = str(caught.value)
    assert before["Harbor Trust"] in message and before["Hightower Tech"] in message
    assert "3 mentions" in message
    assert lib.decisions() == []  # refused: nothing recorded
    merged = lib.merge("Corvin Dale", "HT", pick=[before["Hightower Tech"]])
    after = ids_by_name(lib)
    assert lib.entity("Hightower Tech").id == merged == lib.entity("Corvin Dale").id
    assert after["Harbor Trust"] == before["Harbor Trust"]  # the other holder stays out
    assert lib.entity("Harbor Trust").id != merged


def test_a_spelling_that_keys_like_the_display_name_can_be_split_off(lib):
    neo = lib.entity("N.E.O.")
    assert "Neo" in {a.name for a in neo.aliases}
    part = lib.split(neo.id, "Neo")
    assert part != neo.id
    assert lib.entity(neo.id).name == "N.E.O."  # the part keeping the name keeps the id
    assert "Neo" not in {a.name for a in lib.entity(neo.id).aliases}
    assert lib.entity(part).name == "Neo" and lib.entity(part).mention_count == 1
    lib.resolve()
    assert lib.entity(part).name == "Neo"  # kept across a resolve


def test_the_display_name_itself_can_be_split_off(lib):
    velmar = lib.entity("Kataib Velmar")
    part = lib.split(velmar.id, "Velmar Brigades")
    assert lib.entity(velmar.id).name == "Kataib Velmar"
    assert lib.entity(part).name == "Velmar Brigades"
    with pytest.raises(CrosswireError, match="not a name of"):
        lib.split(velmar.id, "Nobody Here")


def test_undoing_a_merge_removes_it_and_gives_both_ids_back(lib):
    before = ids_by_name(lib)
    merged = lib.merge("Corvin Dale", "Rafiq al-Zarqa")
    assert merged in (before["Corvin Dale"], before["Rafiq al-Zarqa"])
    [entry] = lib.decisions()
    assert entry.action == "merge" and entry.state == "active"
    assert "Corvin Dale" in entry.summary and "Rafiq al-Zarqa" in entry.summary
    undone = lib.undo()
    assert undone.seq == entry.seq and undone.state == "undone"
    assert ids_by_name(lib) == before
    assert [d.action for d in lib.decisions()] == ["merge"]  # no split was added
    lib.redo()
    assert lib.entity("Corvin Dale").id == lib.entity("Rafiq al-Zarqa").id == merged
    with pytest.raises(CrosswireError, match="no decision to redo"):
        lib.redo()


def test_undo_by_number_and_bad_numbers(lib):
    lib.merge("Corvin Dale", "Rafiq al-Zarqa")
    lib.rename("Kataib Velmar", "Velmar Front")
    first, _ = lib.decisions()
    lib.undo(first.seq)
    assert lib.entity("Velmar Front").name == "Velmar Front"
    assert lib.entity("Corvin Dale").id != lib.entity("Rafiq al-Zarqa").id
    with pytest.raises(CrosswireError, match="is undone"):
        lib.undo(first.seq)
    with pytest.raises(CrosswireError, match="no decision 99"):
        lib.undo(99)


def test_a_merge_replaces_the_split_that_kept_the_two_apart(lib):
    neo = lib.entity("N.E.O.").id
    part = lib.split(neo, "Neo")
    assert lib.merge(neo, part) == neo
    states = [d.state for d in lib.decisions()]
    assert states == ["superseded", "active"]
    assert lib.entity("Neo").id == neo


def test_decisions_survive_reopening_reannotation_and_new_articles(lib):
    merged = lib.merge("Corvin Dale", "Rafiq al-Zarqa")
    part = lib.split(lib.entity("N.E.O.").id, "Neo")
    lib.rename("Harbor Trust", "The Harbor Trust")
    reannotate(lib)
    insert(lib, *LATER)
    lib.resolve()
    with Library(lib.directory) as again:
        assert again.entity("Rafiq al-Zarqa").id == merged == again.entity("Corvin Dale").id
        assert again.entity(part).name == "Neo"
        assert again.entity("Harbor Trust").name == "The Harbor Trust"
        assert [d.state for d in again.decisions()] == ["active"] * 3


def test_ids_survive_re_resolution_new_articles_and_rebuilds(lib):
    before = ids_by_name(lib)
    lib.resolve()
    insert(lib, *LATER)
    lib.resolve()
    lib.rebuild()
    after = ids_by_name(lib)
    assert {n: after[n] for n in before} == before
    assert after["Mira Solberg"] not in before.values()


def test_a_saved_id_resolves_after_a_merge_and_after_a_split(lib):
    insert(lib, *LATER)
    lib.resolve()
    older, newer = lib.entity("Corvin Dale").id, lib.entity("Mira Solberg").id
    # The newer entity named first: the older id still survives, the other redirects.
    assert lib.merge(newer, older) == older
    moved = lib.entity(newer)
    assert moved.id == older and moved.redirected_from == newer
    assert lib.entity(older).redirected_from is None
    # Split apart again, each saved id names its own entity again: a part made only of an
    # entity merged in earlier gets that entity's id back, whichever holds the display name.
    apart = lib.split(older, "Mira Solberg")
    assert apart == newer and lib.entity(newer).redirected_from is None
    assert lib.entity(older).name == "Corvin Dale"
    lib.undo()  # the split: merged again, under the older id
    assert lib.entity(newer).id == older
    lib.undo()  # the merge
    assert lib.entity("Mira Solberg").id == newer and lib.entity("Corvin Dale").id == older


def test_the_display_name_is_the_form_most_sources_write(lib):
    # "Velmar Brigades" 4 mentions in one source; "Kataib Velmar" 3 in three sources.
    velmar = lib.entity("Velmar Brigades")
    assert velmar.name == "Kataib Velmar"
    assert [a.name for a in velmar.aliases] == ["Velmar Brigades"]


def test_spelling_variants_fold_into_one_entry_of_the_names():
    folded = fold_variants(["Rafiq al-Zarqa", "Rafiq Al-Zarqa", "Zarqa", "U.S.", "US"])
    assert folded == [
        ("Rafiq al-Zarqa", ["Rafiq Al-Zarqa"]),
        ("Zarqa", []),
        ("U.S.", ["US"]),
    ]
    assert with_variants(*folded[0]) == "Rafiq al-Zarqa (also Rafiq Al-Zarqa)"


def test_rename_is_a_decision_and_the_new_name_finds_the_entity(lib):
    eid = lib.entity("Hightower Tech").id
    assert lib.rename(eid, "  Hightower Technologies ") == eid
    renamed = lib.entity("Hightower Technologies")
    assert renamed.id == eid and renamed.name == "Hightower Technologies"
    assert "Hightower Tech" in {a.name for a in renamed.aliases}
    lib.undo()
    assert lib.entity(eid).name == "Hightower Tech"
    with pytest.raises(CrosswireError, match="cannot be empty"):
        lib.rename(eid, "   ")


def test_an_applied_alias_file_change_is_logged_and_undo_restores_the_file(lib):
    text = '[[never]]\nnames = ["Corvin Dale", "Rafiq al-Zarqa"]\n'
    lib.alias_file.write_text(text, encoding="utf-8")
    lib.resolve()
    [entry] = lib.decisions()
    assert entry.action == "aliases" and "+2 lines" in entry.summary
    lib.resolve()
    assert len(lib.decisions()) == 1  # the same file is not a new change
    lib.undo()
    assert not lib.alias_file.exists()
    lib.redo()
    assert lib.alias_file.read_text(encoding="utf-8") == text


def test_a_format_1_library_keeps_its_decisions_and_is_restamped(lib):
    directory = lib.directory
    conn = sqlite3.connect(directory / "library.sqlite3")
    with conn:
        conn.execute("DROP TABLE decisions")
        conn.execute("DROP TABLE entity_ids")
        conn.execute(
            "INSERT INTO entity_decisions(action, a, b, made_at) "
            "VALUES('merge', 'Corvin Dale', 'Hightower Tech', '2025-01-01T00:00:00+00:00')"
        )
    conn.close()
    (directory / schema.FORMAT_FILE).write_text('{"format": 1}\n', encoding="utf-8")
    with Library(directory) as old:
        [entry] = old.decisions()
        assert entry.action == "merge" and entry.made_at.startswith("2025-01-01")
        assert "Corvin Dale" in entry.summary
        old.resolve()
        assert old.entity("Corvin Dale").id == old.entity("Hightower Tech").id
        old.undo()
        assert old.entity("Corvin Dale").id != old.entity("Hightower Tech").id
    stamp = json.loads((directory / schema.FORMAT_FILE).read_text(encoding="utf-8"))
    assert stamp == {"format": schema.FORMAT_VERSION} and schema.FORMAT_VERSION == 2


def test_a_merge_a_never_rule_forbids_is_refused_and_leaves_no_entry(lib):
    lib.alias_file.write_text(
        '[[never]]\nnames = ["Corvin Dale", "Rafiq al-Zarqa"]\n', encoding="utf-8"
    )
    lib.resolve()
    logged = lib.decisions()
    with pytest.raises(CrosswireError, match="stay apart"):
        lib.merge("Corvin Dale", "Rafiq al-Zarqa")
    assert lib.decisions() == logged  # the alias-file entry only
    assert lib.entity("Corvin Dale").id != lib.entity("Rafiq al-Zarqa").id
