"""Issue 8: one bad input never costs another article, names print safely, work stays linear.

Each test builds the bad input the way a user (or an attacker naming files) would, and checks
both that the bad one is one clear skip and that everything around it is still added.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from crosswire.index.entities import ner
from crosswire.index.entities.fill import candidate_names, whole_word_matches
from crosswire.index.ingest import inputs as readers
from crosswire.index.ingest import limits
from crosswire.index.ingest.clean import markdown_to_text
from crosswire.index.ingest.inputs import read_inputs
from crosswire.index.library import Library
from crosswire.index.model import Incoming, Skipped, shown

from ..conftest import ECB

GOOD = "Drone strike hits the capital.\n\nOfficials said on Sunday that nobody was hurt.\n"


def run(paths, stdin=None) -> tuple[list[Incoming], list[Skipped]]:
    items = list(read_inputs(paths, stdin))
    return [i for i in items if isinstance(i, Incoming)], [
        i for i in items if isinstance(i, Skipped)
    ]


def story(n: int) -> str:
    return f"Story number {n} from the wire.\n\nIt says something new about event {n}.\n"


# ---------------------------------------------------------------------------------------------
# Strings that cannot be stored


@pytest.mark.parametrize("field", ["text", "id", "title", "source", "url", "published"])
def test_a_lone_surrogate_in_any_json_field_skips_that_line_only(tmp_path, field):
    path = tmp_path / "feed.jsonl"
    bad = {"id": "bad", "text": "A story.", field: "caf\ud800e"}
    lines = [
        json.dumps({"id": "a", "text": story(1)}),
        json.dumps(bad),  # json.dumps writes the surrogate as the escape \ud800
        json.dumps({"id": "c", "text": story(3)}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, skipped = run([path])
    assert [a.ref for a in articles] == ["a", "c"]
    [skip] = skipped
    assert skip.where == f"{path}:2" and f'"{field}"' in skip.reason and "surrogate" in skip.reason


def test_surrogates_in_a_json_list_and_the_library_keeps_the_rest(tmp_path):
    path = tmp_path / "list.json"
    items = [{"text": story(k)} for k in range(250)]  # more than one store batch
    items[120] = {"text": "bad \udcff text"}
    path.write_text(json.dumps(items), encoding="utf-8")
    with Library(tmp_path / "lib") as library:
        report = library.add([path], entities=False)
        again = library.add([path], entities=False)
        assert report.added == 249 and [s.where for s in report.skipped] == [f"{path}#121"]
        assert again.added == 0 and again.present == 249 and len(again.skipped) == 1
        assert len(library) == 249


def test_an_unstorable_article_from_any_reader_costs_only_itself(tmp_path, monkeypatch):
    """The library's own guard, for whatever a reader lets through: a surrogate in a field, or a
    value SQLite cannot bind (the whole batch fails, so it is retried one by one)."""
    good = [Incoming(ref=f"r{k}", source="wire", title="T", text=story(k)) for k in range(5)]
    items = [
        good[0],
        Incoming(ref="sur", source="wi\udcffre", title="T", text=story(90)),
        good[1],
        Incoming(ref="obj", source="wire", title="T", text=story(91), published=object()),  # type: ignore[arg-type]
        *good[2:],
    ]
    monkeypatch.setattr(readers, "read_inputs", lambda paths, stdin=None: iter(items))
    skips: list[Skipped] = []
    with Library(tmp_path / "lib") as library:
        report = library.add(["x"], entities=False, on_skip=skips.append)
        assert report.added == 5
        assert [s.where for s in report.skipped] == ["sur", "obj"] == [s.where for s in skips]
        assert "surrogate" in report.skipped[0].reason
        assert "cannot be stored" in report.skipped[1].reason
        assert {a.ref for a in library.articles()} == {g.ref for g in good}
        assert library.search("wire").total == 5


def test_file_and_folder_names_that_are_not_utf8_are_stored_with_a_safe_name(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    root = os.fsencode(inputs)
    os.mkdir(os.path.join(root, b"dir\xff"))
    with open(os.path.join(root, b"dir\xff", b"caf\xe9.txt"), "wb") as f:
        f.write(GOOD.encode())
    with open(os.path.join(root, b"bad\xfe.pdf"), "wb") as f:
        f.write(b"%PDF")
    with Library(tmp_path / "lib") as library:
        report = library.add([inputs], entities=False)
        [article] = library.articles()
    assert report.added == 1
    assert article.ref == f"{inputs}/dir\\xff/caf\\xe9.txt" and article.source == "caf\\xe9"
    [skip] = report.skipped
    assert skip.where == f"{inputs}/bad\\xfe.pdf"
    str(skip).encode("utf-8")  # printable anywhere


def test_stdin_lines_that_are_not_utf8_skip_themselves(tmp_path):
    data = (
        b'{"id": "a", "text": "One."}\n{"id": "b", "text": "caf\xe9"}\n'
        b'{"id": "c", "text": "Two."}\n'
    )
    for errors in ("strict", "surrogateescape"):  # how Python opens stdin in each locale
        stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors)
        articles, skipped = run(["-"], stdin)
        assert [a.ref for a in articles] == ["a", "c"]
        assert [(s.where, "not valid UTF-8" in s.reason) for s in skipped] == [("-:2", True)]
    # A text stream that already holds surrogates (no bytes underneath).
    text = data.decode("utf-8", "surrogateescape")
    articles, skipped = run(["-"], io.StringIO(text))
    assert [a.ref for a in articles] == ["a", "c"] and [s.where for s in skipped] == ["-:2"]
    plain = io.TextIOWrapper(io.BytesIO(b"Headline\n\nBody \xff text.\n"), encoding="utf-8")
    assert [s.where for s in run(["-"], plain)[1]] == ["-"]


# ---------------------------------------------------------------------------------------------
# Deep nesting


def test_deeply_nested_json_skips_only_itself(tmp_path):
    deep_line = "[" * 100_000 + "]" * 100_000
    deep_object = '{"a": ' * 100_000 + "1" + "}" * 100_000
    (tmp_path / "a.jsonl").write_text(
        "\n".join([json.dumps({"id": "x", "text": story(1)}), deep_line, deep_object, ""])
        + json.dumps({"id": "y", "text": story(2)})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.json").write_text('{"text": ' * 3000 + '"x"' + "}" * 3000, encoding="utf-8")
    (tmp_path / "c.txt").write_text(GOOD, encoding="utf-8")
    articles, skipped = run([tmp_path])
    assert [a.ref for a in articles] == ["x", "y", f"{tmp_path}/c.txt"]
    assert [s.where for s in skipped] == [
        f"{tmp_path}/a.jsonl:2",
        f"{tmp_path}/a.jsonl:3",
        f"{tmp_path}/b.json",
    ]
    assert all("nested too deeply" in s.reason for s in skipped)


def test_a_library_failing_on_one_input_costs_that_input_only(tmp_path, monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise RuntimeError("lxml gave up\nfake line")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    (tmp_path / "a.html").write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    articles, skipped = run([tmp_path])
    assert [a.ref for a in articles] == [f"{tmp_path}/b.txt"]
    [skip] = skipped
    assert (
        skip.where == f"{tmp_path}/a.html" and "RuntimeError: lxml gave up fake line" in skip.reason
    )


# ---------------------------------------------------------------------------------------------
# Special files


def test_fifos_sockets_and_devices_are_skipped_by_kind_never_opened(tmp_path):
    os.mkfifo(tmp_path / "a_pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "b_sock.txt"))
    (tmp_path / "c_null.txt").symlink_to("/dev/null")
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(run([tmp_path])), daemon=True)
    worker.start()
    worker.join(timeout=60)
    server.close()
    assert result, "reading the folder blocked (a FIFO was opened)"
    articles, skipped = result[0]
    assert [a.ref for a in articles] == [f"{tmp_path}/d.txt"]
    assert [(Path(s.where).name, s.reason.split(",")[0]) for s in skipped] == [
        ("a_pipe.txt", "a named pipe (FIFO)"),
        ("b_sock.txt", "a socket"),
        ("c_null.txt", "a character device"),
    ]


def test_a_fifo_swapped_in_after_the_stat_is_not_opened_blocking(tmp_path):
    fifo = tmp_path / "late.txt"
    os.mkfifo(fifo)
    result: list = []
    worker = threading.Thread(
        target=lambda: result.append(list(readers._read_file(fifo, str(fifo), 10))), daemon=True
    )
    worker.start()
    worker.join(timeout=60)
    assert result and [s.reason.split(",")[0] for s in result[0]] == ["a named pipe (FIFO)"]


# ---------------------------------------------------------------------------------------------
# One size limit, on the article text, for every reader


def _big_inputs(folder: Path, n: int) -> dict[str, str]:
    """One file per format whose article text is n characters of words; name → reason word."""
    words = ("word " * (n // 5 + 1))[:n].strip() + "."
    (folder / "big.txt").write_text(f"Headline\n\n{words}\n", encoding="utf-8")
    (folder / "big.md").write_text(f"# Headline\n\n**{words}**\n", encoding="utf-8")
    (folder / "big.html").write_text(
        f"<html><head><title>T</title></head><body><article><p>{words}</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "big.json").write_text(json.dumps({"text": words}), encoding="utf-8")
    (folder / "big.jsonl").write_text(
        json.dumps({"id": "j", "text": words}) + "\n", encoding="utf-8"
    )
    (folder / "big.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
        f"<item><guid>e1</guid><title>E</title><description>{words}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return {
        "big.txt": "",
        "big.md": "",
        "big.html": "",
        "big.json": "",
        "big.jsonl:1": "",
        "big.rss#1": "",
    }


def test_the_article_limit_applies_to_the_text_of_every_format(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ARTICLE_CHARS", 3000)
    over, under = tmp_path / "over", tmp_path / "under"
    over.mkdir()
    under.mkdir()
    names = _big_inputs(over, 3500)
    _big_inputs(under, 2500)
    articles, skipped = run([over])
    assert articles == []
    assert sorted(Path(s.where).name for s in skipped) == sorted(names)
    assert all("over the 3,000 limit" in s.reason for s in skipped), skipped
    articles, skipped = run([under])
    assert skipped == [] and len(articles) == 6
    assert all(2000 < len(a.text) <= 3000 for a in articles)


def test_html_and_feeds_too_big_for_their_library_are_skipped_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_CHARS", 1000)
    monkeypatch.setattr(limits, "MAX_FEED_CHARS", 1000)
    _big_inputs(tmp_path, 1200)
    _, skipped = run([tmp_path / "big.html", tmp_path / "big.rss"])
    assert [s.reason.split(" that ")[-1].split(" is ")[0] for s in skipped] == [
        "trafilatura",
        "feedparser",
    ]


# ---------------------------------------------------------------------------------------------
# Names are shown on one line, safely


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fake\nskipped 999.pdf", "fake\\nskipped 999.pdf"),
        ("a\r\tb\x1b[2J.pdf", "a\\r\\tb\\x1b[2J.pdf"),
        ("\u202eevil\u2066.pdf", "\\u202eevil\\u2066.pdf"),
        ("line\u2028sep\x85.pdf", "line\\u2028sep\\x85.pdf"),
        ("caf\udce9.pdf", "caf\\xe9.pdf"),
        ("Kadhimi \u0627\u0644\u0643\u0627\u0638\u0645\u064a.pdf", "Kadhimi الكاظمي.pdf"),
    ],
)
def test_skip_lines_show_names_on_one_line_with_controls_visible(tmp_path, name, expected):
    path = os.path.join(os.fsencode(tmp_path), os.fsencode(name))
    with open(path, "wb") as f:
        f.write(b"x")
    [skip] = run([tmp_path])[1]
    assert skip.where == f"{tmp_path}/{expected}"
    line = str(skip)
    assert "\n" not in line and line.encode("utf-8") and shown(line) == line


# ---------------------------------------------------------------------------------------------
# Linear work: the rewritten pieces still do what they did


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (
            "**bold** and *it* and __b__ and _i_ and ~~s~~ and `c`",
            "bold and it and b and i and s and c",
        ),
        ("**bold with *it* inside**", "bold with it inside"),
        ("[a link](http://x.y/z) and ![img](i.png) and [ref][1]", "a link and  and ref"),
        ("## Heading ##\ntext", "Heading\ntext"),
        ("# Heading with # inside\n", "Heading with # inside\n"),
        ("a <!-- hidden --> b <!-- open", "a  b <!-- open"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("**a " * 5, "**a " * 5),
        ("[" * 10 + "x", "[" * 10 + "x"),
        ("[a](" * 5, "[a](" * 5),
    ],
)
def test_markdown_cleaning_results(markdown, text):
    assert markdown_to_text(markdown) == text


def test_pathological_markdown_shapes_are_read_whole(tmp_path):
    """The shapes that took minutes; the benchmark times them, this checks what comes out."""
    for name, body in (
        ("emph.md", "**a " * 50_000),
        ("brackets.md", "story " + "[" * 200_000),
        ("nested.md", "*" * 20_000 + "deep" + "*" * 20_000),
        ("links.md", "[a](" * 50_000),
        ("heading.md", "# " + "# " * 50_000 + "x"),
    ):
        (tmp_path / name).write_text(body, encoding="utf-8")
    articles, skipped = run([tmp_path])
    assert skipped == [] and len(articles) == 5
    assert all(len(a.text) > 1000 for a in articles)


def _whole_word_matches_by_find(text, terms):
    """The earlier implementation (str.find per term), the reference for the one-pass one."""
    found = []
    for term in terms:
        pos = text.find(term)
        while pos >= 0:
            end = pos + len(term)
            before = text[pos - 1] if pos else " "
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before in "_'’-") and not (
                after.isalnum() or after in "_-"
            ):
                found.append((pos, end))
            pos = text.find(term, pos + 1)
    found.sort(key=lambda m: (m[0], -m[1]))
    return found


def test_one_pass_whole_word_matching_finds_what_find_per_term_found(ecb_articles):
    texts = [a["text"] for a in list(ecb_articles.values())[:60]]
    texts.append("al-Kadhimi's Kadhimi, U.S. US USA _US US_ 'Kadhimi O'Brien -Kadhimi Kadhimi.")
    for text in texts:
        terms = [*sorted(candidate_names(text))[:80], "U.S.", "al-Kadhimi", "O'Brien", "'Kadhimi"]
        assert whole_word_matches(text, terms) == _whole_word_matches_by_find(text, terms)


def test_chunks_cut_at_breaks_and_cover_the_text_exactly():
    text = "\n\n".join(f"Paragraph {k} " + "word " * (k * 7 % 50) for k in range(300))
    pieces = list(ner.chunks(text, 500))
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p and len(p) <= 500 for o, p in pieces)
    assert all(p.endswith("\n\n") for _, p in pieces[:-1])
    solid = "x" * 1200
    assert [len(p) for _, p in ner.chunks(solid, 500)] == [500, 500, 200]


@pytest.mark.slow
def test_long_texts_go_to_the_model_in_chunks_with_exact_offsets(monkeypatch):
    lines = (ECB / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    paragraphs = [json.loads(line) for line in lines]
    text = "\n\n".join(p["text"] for p in paragraphs)
    [whole] = list(ner.extract([text]))
    monkeypatch.setattr(ner, "CHUNK_CHARS", 1500)
    monkeypatch.setattr(ner, "BATCH_CHARS", 4000)
    assert len(list(ner.chunks(text, 1500))) > 5
    [short, chunked, again] = list(ner.extract(["Barack Obama spoke.", text, "Paris, France."]))
    assert all(text[m.start : m.end] == m.text for m in chunked)
    assert [m.text for m in short] == ["Barack Obama"]
    assert {m.text for m in again} >= {"Paris", "France"}
    # Cuts fall at paragraph breaks, so nearly every mention is the same as unchunked.
    same = {(m.start, m.end, m.label) for m in whole} & {(m.start, m.end, m.label) for m in chunked}
    assert len(same) >= 0.95 * len(whole)


# ---------------------------------------------------------------------------------------------
# Everything at once, through the real command


@pytest.mark.slow
def test_one_add_over_a_folder_of_every_bad_kind_adds_exactly_the_good(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder)
    good_refs = {
        f"{folder}/good.txt",
        f"{folder}/good.md",
        f"{folder}/good.html",
        "ok1",
        "ok2",
        f"{folder}/list.json#1",
        f"{folder}/caf\\xe9.txt",
        f"{folder}/new\\nline.txt",
    }
    (folder / "good.txt").write_text(story(1), encoding="utf-8")
    (folder / "good.md").write_text("# Title\n\n" + story(2), encoding="utf-8")
    (folder / "good.html").write_text(
        "<html><head><title>Page</title></head><body><article><p>"
        + story(3).replace("\n", " ") * 3
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    with open(os.path.join(raw, b"caf\xe9.txt"), "wb") as f:
        f.write(story(4).encode())
    (folder / "new\nline.txt").write_text(story(5), encoding="utf-8")
    lines = [json.dumps({"id": "ok1", "text": story(6)})]
    bad = {}
    for k, field in enumerate(("text", "id", "title", "source", "url"), start=2):
        lines.append(json.dumps({"id": f"s{k}", "text": story(10 + k), field: "x\ud800"}))
        bad[f"{folder}/feed.jsonl:{k}"] = "surrogate"
    lines.append("[" * 100_000 + "]" * 100_000)
    bad[f"{folder}/feed.jsonl:7"] = "nested too deeply"
    lines.append(json.dumps({"id": "ok2", "text": story(7)}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "list.json").write_text(
        json.dumps([{"text": story(8)}, {"text": "z", "source": "\udcff"}]), encoding="utf-8"
    )
    bad[f"{folder}/list.json#2"] = "surrogate"
    (folder / "deep.json").write_text('{"a": ' * 3000 + "1" + "}" * 3000, encoding="utf-8")
    bad[f"{folder}/deep.json"] = "nested too deeply"
    os.mkfifo(folder / "fifo.txt")
    bad[f"{folder}/fifo.txt"] = "named pipe"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    bad[f"{folder}/sock.txt"] = "socket"
    (folder / "null.txt").symlink_to("/dev/null")
    bad[f"{folder}/null.txt"] = "character device"
    words = "Many words in a row. " * 100_000  # 2.1M characters of article text
    (folder / "over.txt").write_text(words, encoding="utf-8")
    (folder / "over.md").write_text("# Long\n\n" + words, encoding="utf-8")
    (folder / "over.json").write_text(json.dumps({"text": words}), encoding="utf-8")
    (folder / "over.html").write_text(
        "<html><body><article><p>" + words * 4 + "</p></article></body></html>", encoding="utf-8"
    )  # a 8.4 MB page: bounded before trafilatura
    for name in ("over.txt", "over.md", "over.json"):
        bad[f"{folder}/{name}"] = "over the 2,000,000 limit"
    bad[f"{folder}/over.html"] = "trafilatura"
    (folder / "\u202eevil\nskipped fake.pdf").write_bytes(b"%PDF")
    bad[f"{folder}/\\u202eevil\\nskipped fake.pdf"] = "unsupported file type"

    exe = str(Path(sys.executable).parent / "crosswire")
    library = str(tmp_path / "lib")
    for attempt in ("first", "again"):
        done = subprocess.run(
            [exe, "--library", library, "add", "--no-entities", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        skips = [line for line in done.stderr.splitlines() if line.startswith("skipped ")]
        assert len(skips) == len(bad), "\n".join(skips)
        for where, reason in bad.items():
            [line] = [line for line in skips if line.startswith(f"skipped {where}: ")]
            assert reason in line, line
        added = len(good_refs) if attempt == "first" else 0
        summary = f"added {added}, already present {len(good_refs) - added}, skipped {len(bad)}"
        assert summary in done.stderr
    server.close()
    listed = subprocess.run(
        [exe, "--library", library, "list", "--json"], capture_output=True, text=True, timeout=120
    )
    assert {row["ref"] for row in json.loads(listed.stdout)} == good_refs
