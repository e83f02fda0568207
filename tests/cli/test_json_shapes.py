"""The JSON scripts read: one key means one thing in every command's output."""

import json

import pytest
from crosswire.index.model import ENTITY_KINDS
from crosswire.index.shapes import mention_json
from crosswire.tui.cli import main

ARTICLE_KEYS = ("id", "ref", "source", "title", "url", "published")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys, lib, *argv: str):
    code, out, err = run(capsys, "--library", str(lib), *argv)
    assert code == 0, err
    return json.loads(out)


def test_an_article_has_the_same_keys_and_values_in_list_show_and_search(capsys, seeded):
    listed = {row["id"]: row for row in as_json(capsys, seeded, "list", "--json")}
    hits = as_json(capsys, seeded, "search", "drone", "--json")["hits"]
    assert hits
    for hit in hits:
        shown = as_json(capsys, seeded, "show", hit["id"], "--json")
        row = listed[hit["id"]]
        for key in ARTICLE_KEYS:
            assert hit[key] == row[key] == shown[key], key
        assert "url" in shown and "text" in shown


def test_mentions_name_their_article_by_ref_and_their_entity_by_id_and_name(capsys, seeded):
    _, out, _ = run(capsys, "--library", str(seeded), "mentions", "--jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines
    refs = {row["ref"]: row["id"] for row in as_json(capsys, seeded, "list", "--json")}
    names = {e["id"]: e["name"] for e in as_json(capsys, seeded, "entities", "--json")}
    texts: dict[str, str] = {}
    for line in lines:
        assert set(line) >= {"article", "ref", "start", "end", "text", "kind", "entity"}
        # `article` stays the source's ref: the shared scorer matches it against corpus ids.
        assert line["article"] == line["ref"] and line["ref"] in refs
        assert line["kind"] in ENTITY_KINDS
        assert line["entity_name"] == names[line["entity"]]
        if line["ref"] not in texts:
            texts[line["ref"]] = as_json(capsys, seeded, "show", line["ref"], "--json")["text"]
        assert texts[line["ref"]][line["start"] : line["end"]] == line["text"]


def test_an_entity_s_mentions_carry_the_article_id_and_ref_that_show_prints(capsys, seeded):
    detail = as_json(capsys, seeded, "entity", "Kazemi", "--json")
    summary = {e["id"]: e for e in as_json(capsys, seeded, "entities", "--json")}[detail["id"]]
    assert detail["name"] == summary["name"] and detail["kind"] == summary["kind"]
    assert detail["mentions"] == summary["mentions"]
    seen = 0
    for source, mentions in detail["mentions_by_source"].items():
        for m in mentions:
            shown = as_json(capsys, seeded, "show", m["article"], "--json")
            assert shown["id"] == m["article"] and shown["ref"] == m["ref"]
            assert m["source"] == source and source in shown["sources"]
            assert shown["text"][m["start"] : m["end"]] == m["text"]
            seen += 1
    assert seen == detail["mentions"]


def test_a_mention_not_resolved_yet_has_an_empty_entity_name():
    from crosswire.index.model import Mention

    line = mention_json(Mention("a1", 3, 7, "Iraq", "GPE"), "ref-1", "")
    assert line["entity"] == "" and line["entity_name"] == ""
    assert line["article"] == line["ref"] == "ref-1"
    json.dumps(line)  # plain values only


@pytest.mark.parametrize("kind", ENTITY_KINDS)
def test_every_entity_kind_the_engine_knows_is_a_kind_option(capsys, seeded, kind):
    rows = as_json(capsys, seeded, "entities", "--kind", kind, "--json")
    assert all(row["kind"] == kind for row in rows)


def test_a_kind_the_engine_does_not_know_is_an_argument_error(capsys, seeded):
    with pytest.raises(SystemExit) as exit_:
        main(["--library", str(seeded), "entities", "--kind", "PLANET"])
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_search_json_carries_the_total_and_the_also_written_hint(capsys, seeded):
    found = as_json(capsys, seeded, "search", "Kazemi", "--json", "--limit", "1")
    assert found["total"] >= 1 and len(found["hits"]) == 1
    assert found["partial"] is False and found["suggestion"] is None
    hint = found["also_written"][0]
    assert hint["word"] == "Kazemi" and "Kadhimi" in " ".join(hint["other_names"])
    entity = as_json(capsys, seeded, "entity", hint["entity"], "--json")
    assert entity["name"] == hint["entity_name"]
    assert sum(found["source_counts"].values()) == found["total"]


def test_a_search_that_finds_nothing_carries_its_suggestion(capsys, seeded):
    found = as_json(capsys, seeded, "search", "dronej", "--json")
    assert found["total"] == 0 and found["hits"] == []
    assert found["suggestion"] == "drone", "the word typed starts with it: one stray key"


def test_entity_mentions_carry_date_url_and_the_entity(capsys, seeded):
    detail = as_json(capsys, seeded, "entity", "Kazemi", "--json")
    listed = {row["id"]: row for row in as_json(capsys, seeded, "list", "--json")}
    for mentions in detail["mentions_by_source"].values():
        for m in mentions:
            row = listed[m["article"]]
            assert m["published"] == row["published"] and m["url"] == row["url"]
            assert m["entity"] == detail["id"] and m["entity_name"] == detail["name"]


def test_mention_lines_carry_their_article_s_source_and_url(capsys, seeded):
    _, out, _ = run(capsys, "--library", str(seeded), "mentions")
    by_ref = {row["ref"]: row for row in as_json(capsys, seeded, "list", "--json")}
    for line in map(json.loads, out.splitlines()):
        assert line["source"] == by_ref[line["ref"]]["source"]
        assert line["url"] == by_ref[line["ref"]]["url"]
