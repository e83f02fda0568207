"""The story commands as a user and a script meet them: stories, story ID (JSON, CSV), --story
on search/entities/mentions, and the decisions story-move, story-split, story-merge."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from crosswire.tui.cli import main

from ..engine.test_stories import FLOOD, write_jsonl


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def two_stories(capsys, seeded: Path, tmp_path: Path) -> tuple[str, dict, dict]:
    lib = str(seeded)
    code, _, _ = run(capsys, "--library", lib, "add", str(write_jsonl(tmp_path / "f.jsonl", FLOOD)))
    assert code == 0
    code, out, _ = run(capsys, "--library", lib, "stories", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 2
    assert set(rows[0]) == {"id", "label", "articles", "sources", "first", "last"}
    # The most recent first: the seeds (2021) before the invented flood (2019).
    seeds, flood = rows
    assert seeds["articles"] == 5 and flood["articles"] == 2
    assert flood["first"] == "2019-03-10" and flood["last"] == "2019-03-11"
    return lib, seeds, flood


def test_stories_and_one_story_as_json_and_csv(capsys, seeded, tmp_path):
    lib, _seeds, flood = two_stories(capsys, seeded, tmp_path)
    code, out, _ = run(capsys, "--library", lib, "story", flood["id"], "--json")
    story = json.loads(out)
    assert code == 0 and story["id"] == flood["id"]
    assert [a["date"] for a in story["articles"]] == ["2019-03-10", "2019-03-11"]
    assert {s["name"] for s in story["sources"]} == {"Danube Post", "Zagreb Daily"}
    matrix = story["coverage"]
    assert sorted(matrix["sources"]) == ["Danube Post", "Zagreb Daily"]
    names = [r["name"] for r in matrix["rows"]]
    assert any("Vukovar" in n for n in names)
    code, out, _ = run(capsys, "--library", lib, "story", flood["id"], "--format", "csv")
    table = list(csv.reader(io.StringIO(out)))
    assert code == 0 and table[0][:3] == ["entity", "id", "kind"]
    assert table[0][3:] == matrix["sources"]
    assert [row[0] for row in table[1:]] == names
    assert [[int(c) for c in row[3:]] for row in table[1:]] == [r["counts"] for r in matrix["rows"]]
    code, out, _ = run(capsys, "--library", lib, "story", flood["id"])
    assert code == 0 and "Danube Post" in out and "coverage" in out
    code, out, err = run(capsys, "--library", lib, "story", "s424242")
    assert code == 1 and out == "" and "no story 's424242'" in err


def test_story_option_scopes_search_entities_and_mentions(capsys, seeded, tmp_path):
    lib, seeds, flood = two_stories(capsys, seeded, tmp_path)
    code, out, _ = run(capsys, "--library", lib, "search", "said", "--story", flood["id"], "--json")
    sources = {h["source"] for h in json.loads(out)["hits"]}
    assert code == 0 and sources <= {"Danube Post", "Zagreb Daily"}
    code, out, _ = run(capsys, "--library", lib, "entities", "--story", seeds["id"], "--json")
    assert code == 0 and not any("Kovacic" in e["name"] for e in json.loads(out))
    code, out, _ = run(capsys, "--library", lib, "mentions", "--story", flood["id"])
    refs = {json.loads(line)["ref"] for line in out.splitlines()}
    assert code == 0 and refs == {"flood-0", "flood-1"}
    code, out, err = run(capsys, "--library", lib, "entities", "--story", "nope")
    assert code != 0 and "no story 'nope'" in err


def test_story_decisions_from_the_command_line(capsys, seeded, tmp_path):
    lib, seeds, flood = two_stories(capsys, seeded, tmp_path)
    code, _, err = run(capsys, "--library", lib, "story-move", "flood-1", seeds["id"])
    assert code == 0 and seeds["id"] in err
    code, out, _ = run(capsys, "--library", lib, "story", seeds["id"], "--json")
    assert len(json.loads(out)["articles"]) == 6
    code, _, err = run(capsys, "--library", lib, "story-split", seeds["id"], "flood-1")
    assert code == 0
    new = err.split("story ")[-1].strip()
    code, _, err = run(capsys, "--library", lib, "story-merge", flood["id"], new)
    assert code == 0 and flood["id"] in err
    code, out, _ = run(capsys, "--library", lib, "stories", "--json")
    assert sorted(s["articles"] for s in json.loads(out)) == [2, 5]
    code, _, err = run(capsys, "--library", lib, "story-move", "no-such-ref", seeds["id"])
    assert code != 0 and "no article" in err
