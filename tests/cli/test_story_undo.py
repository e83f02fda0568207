"""Story decisions in `crosswire decisions`, reverted by `crosswire undo` and applied again by
`crosswire redo`, like entity decisions."""

from __future__ import annotations

import json

from .test_stories import run, two_stories


def test_story_decisions_are_listed_undone_and_redone(capsys, seeded, tmp_path):
    lib, seeds, flood = two_stories(capsys, seeded, tmp_path)
    code, _, _ = run(capsys, "--library", lib, "story-merge", seeds["id"], flood["id"])
    assert code == 0
    code, out, _ = run(capsys, "--library", lib, "decisions", "--json")
    (entry,) = json.loads(out)
    assert entry["action"] == "story-merge" and entry["state"] == "active"
    assert flood["label"] in entry["summary"] and seeds["label"] in entry["summary"]
    code, out, err = run(capsys, "--library", lib, "undo")
    assert code == 0 and f"undid {entry['seq']}: merged story" in out + err
    code, out, _ = run(capsys, "--library", lib, "stories", "--json")
    assert sorted((s["id"], s["articles"]) for s in json.loads(out)) == sorted(
        [(seeds["id"], 5), (flood["id"], 2)]
    )
    code, out, err = run(capsys, "--library", lib, "redo", str(entry["seq"]))
    assert code == 0 and "redid" in out + err
    code, out, _ = run(capsys, "--library", lib, "stories", "--json")
    assert [s["articles"] for s in json.loads(out)] == [7]
