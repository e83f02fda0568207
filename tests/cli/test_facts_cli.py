"""`crosswire facts` and `crosswire compare` as a user and a script meet them (issue 14)."""

from __future__ import annotations

import json

from crosswire.tui.cli import main

from ..engine.test_facts import STORY, feed

KEYS = {"value", "text", "source", "article", "start", "end"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_facts_json_on_the_seeds(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "facts", "--json")
    assert code == 0
    groups = json.loads(out)
    assert (groups[0]["about"], groups[0]["event"]) == ("drone", "used")  # disputed first
    drones = groups[0]
    guards = next(g for g in groups if (g["about"], g["event"]) == ("guard", "injured"))
    assert {"about", "event", "values", "disputed", "change"} <= set(drones)
    assert all(set(v) >= KEYS for v in drones["values"])
    assert drones["disputed"] is True and drones["change"].startswith("003")
    assert drones["change"].endswith(": initially 3, later 2")
    assert sorted((v["source"][:3], v["value"]) for v in drones["values"]) == [
        ("002", 3),
        ("003", 2),
        ("003", 3),
        ("004", 3),
    ]
    assert guards["disputed"] is False and guards["change"] is None
    assert [(v["source"][:3], v["value"]) for v in guards["values"]] == [
        ("001", "several"),
        ("002", "multiple"),
        ("003", 7),
    ]
    # Offsets point into the stored text `show --json` prints.
    for v in drones["values"] + guards["values"]:
        _, shown, _ = run(capsys, "--library", str(seeded), "show", v["article"], "--json")
        assert json.loads(shown)["text"][v["start"] : v["end"]] == v["text"]


def test_facts_for_people(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "facts")
    assert code == 0
    first, *rest = out.splitlines()
    assert first.startswith("DISPUTED drone used")
    assert any("several" in line and "001" in line for line in rest)


def test_compare_json_md_and_text(capsys, tmp_path):
    lib = str(tmp_path / "lib")
    code, _, _ = run(capsys, "--library", lib, "add", str(feed(tmp_path / "f.jsonl", STORY, "f")))
    assert code == 0
    code, out, _ = run(capsys, "--library", lib, "compare", "destroyed", "--json")
    assert code == 0
    data = json.loads(out)
    assert [s["source"] for s in data["sources"]] == ["north-wire", "valley-post", "river-times"]
    assert data["missing"] == ["hill-radio"] and data["partial"] is False
    passage = data["sources"][1]["passages"][0]
    assert passage["text"].startswith("Between 40 and 50 homes were destroyed")
    start = passage["start"]
    assert [passage["text"][a - start : b - start] for a, b in passage["hits"]] == ["destroyed"]
    numbers = [passage["text"][a - start : b - start] for a, b in passage["numbers"]]
    assert numbers == ["Between 40 and 50", "a dozen"]  # a claim's quantity is one number
    code, md, _ = run(capsys, "--library", lib, "compare", "destroyed", "--format", "md")
    assert code == 0
    assert "## valley-post" in md and "**destroyed**" in md
    assert md.rstrip().endswith("Not mentioned in: hill-radio")
    code, text, _ = run(capsys, "--library", lib, "compare", "destroyed")
    assert code == 0 and "not mentioned in: hill-radio" in text


def test_compare_bad_query_is_one_line_and_exit_2(capsys, seeded):
    code, out, err = run(capsys, "--library", str(seeded), "compare", "date:2021-13")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1


def test_annotate_no_claims_then_annotate(capsys, tmp_path):
    lib = str(tmp_path / "lib")
    source = str(feed(tmp_path / "f.jsonl", STORY, "f"))
    assert run(capsys, "--library", lib, "add", "--no-claims", source)[0] == 0
    assert json.loads(run(capsys, "--library", lib, "facts", "--json")[1]) == []
    assert run(capsys, "--library", lib, "annotate", "--no-claims")[0] == 0
    assert json.loads(run(capsys, "--library", lib, "facts", "--json")[1]) == []
    assert run(capsys, "--library", lib, "annotate")[0] == 0
    assert json.loads(run(capsys, "--library", lib, "facts", "--json")[1])


def test_facts_and_compare_take_the_seed_story(capsys, seeded):
    """--story keeps facts and compare to one story's articles; an unknown one is an error."""
    code, out, _ = run(capsys, "--library", str(seeded), "stories", "--json")
    (story,) = json.loads(out)
    _, whole, _ = run(capsys, "--library", str(seeded), "facts", "--json")
    code, scoped, _ = run(
        capsys, "--library", str(seeded), "facts", "--story", story["id"], "--json"
    )
    assert code == 0 and json.loads(scoped) == json.loads(whole)
    argv = ["compare", "drones", "--story", story["id"], "--json"]
    code, out, _ = run(capsys, "--library", str(seeded), *argv)
    assert code == 0 and {s["source"][:3] for s in json.loads(out)["sources"]} >= {"002", "003"}
    for command in (["facts"], ["compare", "drones"]):
        code, out, err = run(capsys, "--library", str(seeded), *command, "--story", "s-nope")
        assert code == 1 and out == "" and "no story" in err
