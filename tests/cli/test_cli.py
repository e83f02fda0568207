"""The command line as a user and a script meet it."""

import io
import json
import subprocess
import sys

import pytest
from crosswire.tui.cli import main
from crosswire.tui.cli.commands import BY_NAME
from crosswire.tui.cli.parser import split_reader_args

from ..conftest import ECB


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_search_json_on_a_new_library_lists_seeds_with_exact_hit_offsets(capsys, tmp_path):
    lib = str(tmp_path / "new")
    code, out, _ = run(capsys, "--library", lib, "search", "drone", "--json")
    assert code == 0
    found = json.loads(out)
    results = found["hits"]
    assert results, "the seeds mention drones"
    assert found["total"] == len(results) and found["query"] == "drone"
    for result in results:
        assert set(result) == {
            "id",
            "ref",
            "source",
            "title",
            "url",
            "published",
            "score",
            "snippet",
            "hits",
        }
        code, shown, _ = run(capsys, "--library", lib, "show", result["id"], "--json")
        text = json.loads(shown)["text"]
        assert result["hits"]
        for start, end in result["hits"]:
            assert text[start:end].lower() in {"drone", "drones"}


def test_list_and_show_and_sources(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    code, out, _ = run(capsys, "--library", str(seeded), "show", rows[0]["ref"])
    assert code == 0 and rows[0]["title"].split()[0] in out
    code, out, _ = run(capsys, "--library", str(seeded), "sources", "--json")
    assert sum(json.loads(out).values()) == 5


@pytest.mark.parametrize("query", ['"unbalanced', "date:notadate", "   ", "(iraq"])
def test_a_bad_query_is_one_line_and_exit_2(capsys, seeded, query):
    code, out, err = run(capsys, "--library", str(seeded), "search", query)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_article_and_entity_are_clear_errors(capsys, seeded):
    code, _, err = run(capsys, "--library", str(seeded), "show", "no-such-thing")
    assert code == 1 and "no-such-thing" in err
    code, _, err = run(capsys, "--library", str(seeded), "entity", "Nobody Atall")
    assert code == 1 and "Nobody Atall" in err


def test_add_reports_each_skip_and_exits_1(capsys, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A headline about drones\n\nDrones struck the city on Sunday night.\n")
    missing = tmp_path / "missing.txt"
    code, _, err = run(
        capsys, "--library", str(tmp_path / "lib"), "add", "--no-entities", str(good), str(missing)
    )
    assert code == 1
    assert str(missing) in err
    assert "added 1, already present 0, skipped 1" in err


def test_add_from_stdin(capsys, tmp_path, monkeypatch):
    line = json.dumps({"id": "x1", "source": "wire", "title": "T", "text": "Stdin story."})
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "add", "--no-entities", "-")
    assert code == 0 and "added 1" in err
    code, out, _ = run(capsys, "--library", str(tmp_path / "lib"), "show", "x1", "--json")
    assert json.loads(out)["text"] == "Stdin story."


@pytest.mark.slow
def test_ecb_corpus_add_readd_search_and_verbatim_show(capsys, tmp_path, ecb_articles):
    lib = str(tmp_path / "ecb")
    code, out, _ = run(
        capsys, "--library", lib, "add", "--no-entities", "--json", str(ECB / "articles.jsonl")
    )
    assert code == 0 and json.loads(out)["added"] == 772
    code, out, _ = run(
        capsys, "--library", lib, "add", "--no-entities", "--json", str(ECB / "articles.jsonl")
    )
    summary = json.loads(out)
    assert summary["added"] == 0 and summary["present"] == 772
    code, out, _ = run(
        capsys, "--library", lib, "search", '"Lindsay Lohan"', "--json", "--limit", "50"
    )
    refs = [r["ref"] for r in json.loads(out)["hits"]]
    assert refs and all(ref.startswith("1_") for ref in refs)
    for ref in ("1_10ecb", "12_3ecbplus"):
        code, out, _ = run(capsys, "--library", lib, "show", ref, "--json")
        assert json.loads(out)["text"] == ecb_articles[ref]["text"]


def test_reader_args_are_told_apart_from_commands():
    assert split_reader_args([], BY_NAME) == ([], [])
    assert split_reader_args(["--library", "L", "a.txt"], BY_NAME) == (
        ["--library", "L"],
        ["a.txt"],
    )
    assert split_reader_args(["--library", "L", "search", "x"], BY_NAME) is None
    assert split_reader_args(["--help"], BY_NAME) is None


@pytest.mark.slow
def test_installed_console_script_runs_without_a_traceback(tmp_path):
    exe = sys.executable.rsplit("/", 1)[0] + "/crosswire"
    result = subprocess.run(
        [exe, "--library", str(tmp_path / "l"), "search", '"open'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_hostile_text_prints_literally_and_never_reaches_the_terminal(capsys, tmp_path):
    """Markup stays literal, escape sequences and control characters never reach the terminal."""
    article = {
        "id": "h1",
        "source": "evil[bold]wire\x1b[2J",
        "title": "Leak [bold]x[/] [@click=app.quit]q[/] \x1b]0;pwned\x07",
        "text": "Officials in Baghdad said [bold]x[/] and [@click=app.quit]click[/].\n"
        "\x1b[31mred\x1b[0m drone strike \x07bell [/] unbalanced [.",
    }
    feed = tmp_path / "hostile.jsonl"
    feed.write_text(json.dumps(article) + "\n", encoding="utf-8")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", "--no-entities", str(feed))[0] == 0
    for command in (["show", "h1"], ["search", "drone"], ["list"], ["sources"]):
        code, out, err = run(capsys, "--library", lib, *command)
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err, command
        assert "evil[bold]wire" in out, command
    _, out, _ = run(capsys, "--library", lib, "show", "h1")
    assert "[@click=app.quit]click[/]" in out and "[/] unbalanced [." in out
    assert "Leak [bold]x[/] [@click=app.quit]q[/]" in out
    _, out, _ = run(capsys, "--library", lib, "search", "drone")
    assert "1 article matches" in out


def test_entity_context_keeps_the_spaces_around_the_mention(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "entity", "Kazemi")
    assert code == 0
    assert "Prime Minister Mustafa al-Kadhimi and the circumstances" in out
    assert "MinisterMustafa" not in out


def test_search_says_how_many_of_the_matches_it_shows(capsys, seeded):
    _, out, _ = run(capsys, "--library", str(seeded), "search", "drone", "--limit", "2")
    assert "articles match, first 2 shown" in out


def test_search_words_may_start_with_a_dash(capsys, seeded):
    """A leading - means NOT in the query syntax, so `-Baghdad` is a query word, not an option."""
    code, out, err = run(capsys, "--library", str(seeded), "search", "drone", "-Baghdad", "--json")
    assert code == 0, err
    without = {r["id"] for r in json.loads(out)["hits"]}
    _, out, _ = run(capsys, "--library", str(seeded), "search", "drone", "--json")
    _, baghdad, _ = run(capsys, "--library", str(seeded), "search", "drone", "Baghdad", "--json")
    in_baghdad = {r["id"] for r in json.loads(baghdad)["hits"]}
    assert in_baghdad and without == {r["id"] for r in json.loads(out)["hits"]} - in_baghdad
    code, out, err = run(capsys, "--library", str(seeded), "search", "-Baghdad", "--sort", "date")
    assert code == 0, err
    assert "1 article matches" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["search"],
        ["search", "--limit", "many", "drone"],
        ["search", "drone", "--sort", "sideways"],
        ["search", "drone", "--no-such-option"],
        ["show"],
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(capsys, seeded, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["--library", str(seeded), *argv])
    captured = capsys.readouterr()
    assert exit_.value.code == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1, captured.err


@pytest.mark.parametrize("argv", [["timeline", "--json"], ["timeline"], ["serch", "drone"]])
def test_a_word_that_is_no_command_and_no_file_is_an_error_naming_both(capsys, tmp_path, argv):
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"no command or file named {argv[0]!r}" in err
    assert not (tmp_path / "lib").exists(), "nothing was opened, let alone added"


def test_the_reader_refuses_to_start_without_a_terminal(capsys, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# A title\n\nSome text about Basra.\n", encoding="utf-8")
    for argv in ([], [str(article)]):
        code, out, err = run(capsys, "--library", str(tmp_path / "lib"), *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "needs a terminal" in err


@pytest.mark.slow
def test_a_piped_reader_exits_at_once_instead_of_writing_escape_codes(tmp_path):
    """A script that runs `crosswire timeline --json | …` or plain `crosswire | …` never hangs."""
    for argv in (["timeline", "--json"], []):
        done = subprocess.run(
            [sys.executable, "-m", "crosswire.tui.cli", "--library", str(tmp_path), *argv],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 2 and done.stdout == b"", argv
        assert b"\x1b" not in done.stderr


def test_names_that_look_like_markup_are_printed_literally(capsys, seeded):
    """`merge '[/]Kazemi' Iraqi` recorded the merge, then crashed in Rich's markup parser."""
    assert run(capsys, "--library", str(seeded), "merge", "Kazemi", "[/]Kazemi")[0] in (0, 1)
    code, _, err = run(capsys, "--library", str(seeded), "merge", "[/]Kazemi", "Iraqi")
    assert code == 0, err
    assert "merged '[/]Kazemi' and 'Iraqi'" in err
    code, _, err = run(capsys, "--library", str(seeded), "split", "[/]Kazemi", "Iraqi")
    assert code == 0 and "split 'Iraqi' off '[/]Kazemi'" in err


def _hostile_library(capsys, tmp_path, **article: str) -> str:
    feed = tmp_path / "hostile.jsonl"
    feed.write_text(json.dumps({"id": "h1", **article}) + "\n", encoding="utf-8")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", "--no-entities", str(feed))[0] == 0
    return lib


def test_bidi_controls_in_names_and_titles_are_not_shown(capsys, tmp_path):
    lib = _hostile_library(
        capsys,
        tmp_path,
        source="Wire\u202e moc.evil",
        title="Title\u202e txt.exe \u2066x\u2069",
        text="A drone strike\u200f near\u061c Baghdad.",
        published="2021\u202e-11-07",
    )
    for command in (["sources"], ["list"], ["search", "drone"], ["show", "h1"]):
        code, out, err = run(capsys, "--library", lib, *command)
        assert code == 0, err
        shown = out + err
        assert not any(char in shown for char in "\u202e\u2066\u2069\u200f\u061c"), command
    assert "Wire moc.evil" in run(capsys, "--library", lib, "sources")[1]
    assert "Title txt.exe x" in run(capsys, "--library", lib, "search", "drone")[1]
    # What is stored stays verbatim: scripts get the exact text.
    _, out, _ = run(capsys, "--library", lib, "show", "h1", "--json")
    assert json.loads(out)["title"] == "Title\u202e txt.exe \u2066x\u2069"


def test_markup_and_emoji_codes_in_a_title_print_literally(capsys, tmp_path):
    title = "[/]Kazemi [red]wins[/red] :smile: [link=https://x.test]here[/link]"
    lib = _hostile_library(capsys, tmp_path, source="[/]wire", title=title, text="drone strike")
    for command in (["search", "drone"], ["list"], ["show", "h1"], ["sources"]):
        code, out, err = run(capsys, "--library", lib, *command)
        assert code == 0, err
    _, out, _ = run(capsys, "--library", lib, "search", "drone")
    assert "[/]Kazemi [red]wins[/red] :smile:" in out and "[/]wire" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "drone", "--limit", "0"],
        ["search", "drone", "--limit", "-5"],
        ["search", "--limit=-1", "drone"],
        ["entities", "--limit", "-3"],
        ["entities", "--limit", "0"],
    ],
)
def test_a_limit_below_one_is_an_argument_error(capsys, seeded, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["--library", str(seeded), *argv])
    captured = capsys.readouterr()
    assert exit_.value.code == 2 and captured.out == ""
    assert "1 or more" in captured.err and len(captured.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "query",
    ["(" * 400 + "drone" + ")" * 400, "NOT " * 10_000 + "drone", "a" * 1_000_000, '"' * 5000],
    ids=["parens", "nots", "long-word", "quotes"],
)
def test_any_query_gets_one_line_and_exit_2(capsys, seeded, query):
    code, out, err = run(capsys, "--library", str(seeded), "search", query)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_search_cut_short_never_says_no_articles_match(capsys, seeded, monkeypatch):
    from crosswire.index import search

    monkeypatch.setattr(search.Deadline, "expired", lambda self: True)
    code, _, err = run(capsys, "--library", str(seeded), "search", "drone")
    assert code == 0
    assert "no articles match" not in err and "cut short" in err and "partial" in err
