"""Hostile text: nothing from an article may act on the terminal."""

from crosswire.tui.safe import one_line, printable, printable_keep_offsets


def test_escape_sequences_and_controls_are_removed():
    hostile = "a\x1b[31mred\x1b[0m \x1b]0;title\x07b\x07\x00c\x9bd"
    assert printable(hostile) == "ared bcd"


def test_markup_is_left_alone_because_it_is_never_parsed():
    assert printable("[bold]x[/] [@click=app.quit]") == "[bold]x[/] [@click=app.quit]"


def test_offsets_survive_when_keeping_offsets():
    text = "x\x1b[31my Kazemi"
    kept = printable_keep_offsets(text)
    assert len(kept) == len(text)
    assert kept[text.index("Kazemi") :].startswith("Kazemi")
    assert "\x1b" not in kept


def test_one_line_folds_newlines_and_tabs():
    assert one_line("Title\n\twith  breaks\r\n") == "Title with breaks"
