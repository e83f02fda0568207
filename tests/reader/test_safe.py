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


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_controls_never_reach_the_terminal():
    """An RTL override would show "Title\u202e txt.exe" as "Title exe.txt"."""
    for char in BIDI:
        assert printable(f"Title{char} txt.exe") == "Title txt.exe", hex(ord(char))
        assert one_line(f"a{char}\nb") == "a b"
        kept = printable_keep_offsets(f"Kazemi{char}Iraq")
        assert kept == "Kazemi Iraq" and len(kept) == len(f"Kazemi{char}Iraq")
    # Letters from right-to-left scripts are text, not controls: they stay.
    assert printable("بغداد עברית") == "بغداد עברית"


def test_one_line_folds_every_line_break_and_control():
    assert one_line("skipped new\nline.txt:\r\n bad\x0b\x0c\u2028x\x85y") == (
        "skipped new line.txt: bad xy"
    )
