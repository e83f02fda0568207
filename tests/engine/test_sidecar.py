"""`sources.toml`: a folder's own account of its files' outlet, title, date and url."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from crosswire.index.export import (
    article_rows,
    citation,
    mention_rows,
    quote,
    render,
    result_rows,
    write,
)
from crosswire.index.ingest.sidecar import SIDECAR
from crosswire.index.library import Library
from crosswire.index.model import Citation, EntityDetail, MentionInContext, SearchHit, SearchResults
from crosswire.seeds import seed_paths

STORY = "A drone struck the residence at dawn on Sunday, and seven guards were wounded.\n"


def folder_with(tmp_path: Path, sidecar: str | None, files: dict[str, str]) -> Path:
    folder = tmp_path / "clips"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if sidecar is not None:
        (folder / SIDECAR).write_text(sidecar, encoding="utf-8")
    return folder


def stored(library: Library) -> dict[str, object]:
    return {a.ref: library.article(a.id) for a in library.articles()}


def test_a_user_folder_s_sidecar_gives_outlet_title_date_and_url(tmp_path):
    folder = folder_with(
        tmp_path,
        """
[files."one.txt"]
outlet = "Rudaw"
title = "Drone hits PM's house"
date = "2021-11-07"
url = "https://example.org/one"

[files."two.md"]
outlet = "unknown"
title = "unknown"
date = "unknown"
url = "https://example.org/two"
""",
        {"one.txt": STORY, "two.md": "# Guards hurt\n\nTwo guards were hurt in the attack.\n"},
    )
    with Library(tmp_path / "lib") as library:
        report = library.add([folder], entities=False)
        assert report.added == 2 and not report.skipped, "the sidecar is no article"
        by_name = {Path(ref).name: a for ref, a in stored(library).items()}
    one, two = by_name["one.txt"], by_name["two.md"]
    assert (one.source, one.title, one.published, one.url) == (
        "Rudaw",
        "Drone hits PM's house",
        "2021-11-07",
        "https://example.org/one",
    )
    # unknown stays unknown: the reader's own reading of the file is kept, nothing invented
    assert (two.source, two.title, two.published) == ("two", "Guards hurt", None)
    assert two.url == "https://example.org/two"


def test_a_bad_sidecar_is_one_skip_and_the_files_are_still_added(tmp_path):
    for bad, says in (
        ('[files."one.txt"]\ndate = "last Sunday"\n', "is not a date"),
        ('[files."one.txt"]\nauthor = "X"\n', "unknown field 'author'"),
        ("[files\nbroken", "not valid TOML"),
        ('refs = "everything"\n', "refs is"),
    ):
        root = tmp_path / str(abs(hash(bad)))
        root.mkdir()
        folder = folder_with(root, bad, {"one.txt": STORY, "two.txt": "Another story here.\n"})
        with Library(root / "lib") as library:
            report = library.add([folder], entities=False)
            assert report.added == 2
            assert len(report.skipped) == 1, "reported once, not once a file"
            skip = report.skipped[0]
            assert skip.where.endswith(SIDECAR) and says in skip.reason
            assert "\n" not in str(skip)


def test_a_file_named_directly_is_described_by_its_folder_s_sidecar(tmp_path):
    folder = folder_with(
        tmp_path,
        'refs = "name"\n[files."one.txt"]\noutlet = "Rudaw"\n',
        {"one.txt": STORY},
    )
    with Library(tmp_path / "lib") as library:
        library.add([folder / "one.txt"], entities=False)
        (article,) = stored(library).values()
    assert article.ref == "one.txt" and article.source == "Rudaw"


def test_the_seeds_sidecar_names_each_seed_and_invents_nothing():
    import tomllib

    sidecar = tomllib.loads((seed_paths()[0].parent / SIDECAR).read_text(encoding="utf-8"))
    assert sidecar["refs"] == "name"
    assert sorted(sidecar["files"]) == sorted(p.name for p in seed_paths())
    texts = {p.name: p.read_text(encoding="utf-8") for p in seed_paths()}
    for name, entry in sidecar["files"].items():
        for field in ("title", "outlet", "url"):
            value = entry.get(field, "unknown")
            assert value == "unknown" or value in texts[name], (name, field)


def test_seeds_are_stored_under_their_file_names(tmp_path):
    with Library(tmp_path / "lib") as library:
        library.add(seed_paths(), entities=False)
        refs = {a.ref for a in library.articles()}
        assert refs == {p.name for p in seed_paths()}
        dated = library.article("003_044957427767eb41")
        assert dated is not None and dated.published == "2021-11-08"


# -- export: rows, citations, formats ------------------------------------------------------------


CITED = Citation("a1", "one.txt", "Rudaw", "Drone hits", "2021-11-07", "https://x.org/1")


def test_a_citation_names_what_is_known_and_says_when_the_date_is_not():
    assert citation("Rudaw", "Drone hits", "2021-11-07T10:00", "https://x.org/1") == (
        "Rudaw, “Drone hits”, 2021-11-07, https://x.org/1"
    )
    assert citation("Rudaw", "", None, "") == "Rudaw, date unknown"
    assert quote("seven\n guards  were wounded", "Rudaw", "T", None, "") == (
        "“seven guards were wounded” — Rudaw, “T”, date unknown"
    )


def mention_detail() -> EntityDetail:
    m = MentionInContext("a1", "one.txt", "Rudaw", "Drone hits", 5, 12, "Kazemi", "PM ", " said")
    return EntityDetail("e1", "Mustafa al-Kadhimi", "PERSON", [], {"Rudaw": [m, m]})


def test_an_export_as_csv_reads_back_with_the_right_rows(tmp_path):
    rows = mention_rows(mention_detail(), {"a1": CITED})
    path = write(tmp_path / "kazemi.csv", render(rows, "csv"))
    with open(path, newline="", encoding="utf-8") as f:
        back = list(csv.DictReader(f))
    assert len(back) == 2
    assert back[0]["passage"] == "PM Kazemi said" and back[0]["text"] == "Kazemi"
    assert back[0]["url"] == "https://x.org/1" and back[0]["published"] == "2021-11-07"
    assert back[0]["entity_name"] == "Mustafa al-Kadhimi" and back[0]["start"] == "5"


def test_jsonl_and_markdown_carry_the_same_rows():
    hit = SearchHit("a1", "one.txt", "Rudaw", "Drone hits", None, 1.0, "a [drone] *struck*")
    results = SearchResults(query="drone", total=1, hits=[hit])
    rows = result_rows(results, {"a1": CITED})
    (line,) = [json.loads(x) for x in render(rows, "jsonl").splitlines()]
    assert line["passage"] == "a [drone] *struck*" and line["url"] == "https://x.org/1"
    md = render(rows, "md", "search: drone")
    assert md.startswith("# search: drone")
    assert "> a \\[drone\\] \\*struck\\*" in md, "article text never becomes Markdown markup"
    assert "> — Rudaw, “Drone hits”, date unknown, https://x.org/1" in md


def test_an_article_exports_whole(tmp_path):
    from crosswire.index.model import Article

    article = Article("a1", "one.txt", "Rudaw", "Drone hits", "", None, "Line one.\nLine two.")
    rows = article_rows(article)
    back = list(csv.DictReader(io.StringIO(render(rows, "csv"))))
    assert back[0]["passage"] == "Line one.\nLine two." and back[0]["kind"] == "article"
    assert "Line one.\n\nLine two." in render(rows, "md")
    hostile = Article("a2", "r", "W", "# not a heading", "", None, "# Not a heading\n*x*")
    md = render(article_rows(hostile), "md")
    assert "\\# Not a heading" in md and "\\*x\\*" in md


def test_writing_an_export_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    write(target, "new,content\n")
    assert target.read_text(encoding="utf-8") == "new,content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"], "no temporary file left"
