"""What people see: names and text from articles print literally, never as markup or escapes."""

from crosswire.index.model import Alias, EntityDetail, EntitySummary, MentionInContext
from crosswire.tui.cli import render

NAME = "[bold]Kazemi[/] :smile: \x1b[2J"
SOURCE = "[link=https://x.test]wire[/link]\u202e"


def mention(text: str) -> MentionInContext:
    return MentionInContext(
        article_id="a1",
        ref="r1",
        source=SOURCE,
        title="[red]T[/red]",
        start=10,
        end=10 + len(text),
        text=text,
        before="said [/] ",
        after=" [@click=app.quit]q[/]\x07",
    )


def test_an_entity_with_hostile_names_prints_them_literally(capsys):
    detail = EntityDetail(
        id="e1",
        name=NAME,
        kind="PERSON",
        aliases=[Alias("[i]Kadhimi[/i]", "same surname")],
        mentions_by_source={SOURCE: [mention("[bold]Kazemi[/]")]},
    )
    render.entity(detail)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[bold]Kazemi[/] :smile:" in out and "[i]Kadhimi[/i]" in out
    assert "[link=https://x.test]wire[/link] (1)" in out
    assert "said [/] [bold]Kazemi[/] [@click=app.quit]q[/]" in out


def test_the_entity_table_prints_hostile_names_literally(capsys):
    row = EntitySummary("e1", NAME, "PERSON", ("[/]other",), 3, (SOURCE,), 1)
    render.entity_list([row])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "[bold]Kazemi[/] :smile:" in out and "[/]other" in out


def test_a_notice_is_one_line_whatever_it_quotes(capsys):
    render.warn("skipped [bold]x.txt\n\x1b[31mred: no text")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "[bold]x.txt" in err
