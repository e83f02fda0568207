"""`--format csv|jsonl|md` on search, entity and mentions, and `list --sort`: what a
reporter hands over, read back as a spreadsheet or a script would read it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys, lib: Path) -> dict[str, dict]:
    _, out, _ = run(capsys, "--library", str(lib), "list", "--json")
    return {row["id"]: row for row in json.loads(out)}


def test_search_as_csv_has_a_row_a_result_with_its_citation(capsys, seeded):
    code, out, err = run(capsys, "--library", str(seeded), "search", "drone", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, js, _ = run(capsys, "--library", str(seeded), "search", "drone", "--json")
    hits = json.loads(js)["hits"]
    assert [r["article"] for r in rows] == [h["id"] for h in hits]
    articles = listed(capsys, seeded)
    for row, hit in zip(rows, hits, strict=True):
        assert row["kind"] == "result" and row["passage"] == hit["snippet"]
        assert row["source"] == hit["source"] and row["title"] == hit["title"]
        assert row["published"] == (articles[hit["id"]]["published"] or "")


def test_entity_as_jsonl_is_every_mention_with_its_sentence(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "entity", "Kazemi", "--format", "jsonl")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    _, js, _ = run(capsys, "--library", str(seeded), "entity", "Kazemi", "--json")
    detail = json.loads(js)
    assert len(lines) == detail["mentions"]
    with Library(seeded) as library:
        texts = library.texts([line["article"] for line in lines])
    for line in lines:
        assert line["entity"] == detail["id"] and line["entity_name"] == detail["name"]
        assert line["text"] in line["passage"] and len(line["passage"]) > len(line["text"])
        text = " ".join(texts[line["article"]].split())
        at = text.find(line["passage"])
        assert at >= 0 and (at == 0 or not text[at - 1].isalnum()), "never cut mid-word"


def test_entity_as_markdown_quotes_each_mention_and_cites_it(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "entity", "Kazemi", "--format", "md")
    assert code == 0
    assert out.startswith("# crosswire: every mention of ")
    quotes = [line for line in out.splitlines() if line.startswith("> **")]
    cites = [line for line in out.splitlines() if line.startswith("> — ")]
    assert quotes and len(quotes) == len(cites)
    assert all("date unknown" in c or "2021-11-08" in c for c in cites)


def test_mentions_as_csv_reads_back_with_offsets_into_the_text(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "mentions", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jsonl, _ = run(capsys, "--library", str(seeded), "mentions")
    assert len(rows) == len(jsonl.splitlines())
    with Library(seeded) as library:
        texts = library.texts(list({r["article"] for r in rows}))
    for row in rows:
        assert texts[row["article"]][int(row["start"]) : int(row["end"])] == row["text"]


def test_a_format_the_cli_does_not_know_is_an_argument_error(capsys, seeded):
    with pytest.raises(SystemExit) as exit_:
        main(["--library", str(seeded), "search", "drone", "--format", "xlsx"])
    assert exit_.value.code == 2


def write_feed(path: Path) -> None:
    rows = [
        {"id": "c", "source": "Mid Post", "title": "gamma story"},
        {"id": "a", "source": "alpha news", "title": "Alpha story", "published": "2020-01-02"},
        {"id": "b", "source": "Zeta Wire", "title": "beta story", "published": "2021-11-09"},
    ]
    path.write_text(
        "".join(json.dumps({**r, "text": f"Text of {r['id']}."}) + "\n" for r in rows),
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("sort", "refs"),
    [
        ("added", ["c", "a", "b"]),
        ("date", ["b", "a", "c"]),  # newest first, undated last
        ("source", ["a", "c", "b"]),  # case folded: alpha, Mid, Zeta
        ("title", ["a", "b", "c"]),
    ],
)
def test_list_sorts_by_date_source_and_title(capsys, tmp_path, sort, refs):
    feed = tmp_path / "feed.jsonl"
    write_feed(feed)
    lib = str(tmp_path / "lib")
    run(capsys, "--library", lib, "add", "--no-entities", str(feed))
    code, out, _ = run(capsys, "--library", lib, "list", "--sort", sort, "--json")
    assert code == 0 and [r["ref"] for r in json.loads(out)] == refs


def test_seeds_are_found_by_the_name_the_reader_shows(capsys, seeded):
    for row in listed(capsys, seeded).values():
        name = row["ref"]
        assert "/" not in name and name.endswith(".txt"), "a bundled seed's ref is its file name"
        for typed in (name, name.removesuffix(".txt")):
            code, out, _ = run(capsys, "--library", str(seeded), "show", typed, "--json")
            assert code == 0 and json.loads(out)["id"] == row["id"]
