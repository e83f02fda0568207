"""Article text is data: make it safe to put on a terminal, whatever bytes a source sent."""

from __future__ import annotations

import re

# CSI / OSC / other escape sequences, then any remaining C0/C1 control character but \n and \t.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
# Bidirectional controls (embeddings, overrides, isolates, marks): they reorder what follows
# on the terminal, so "Title\u202e txt.exe" would show as "Title exe.txt". Shown text never
# carries them; the stored text keeps them verbatim.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")


def printable(text: str) -> str:
    """Drop escape sequences, control characters and bidi controls, keeping offsets' meaning
    for plain text.

    Used on every string crosswire prints or shows that came from an article; markup such as
    `[bold]` is not touched here because it is always rendered as literal Text, never parsed.
    """
    if "\x1b" in text:
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def printable_keep_offsets(text: str) -> str:
    """Like printable, but each removed character becomes a space so character offsets into
    the stored text still point at the same words (the reader highlights by offset)."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    if "\x1b" in text:
        text = _ESCAPES.sub(blank, text)
    return _CONTROLS.sub(blank, text)


def one_line(text: str) -> str:
    """A title, name or message on one line: printable, and every newline, tab or other
    whitespace run (a line separator, a newline in a file name) folded to one space."""
    return " ".join(printable(text).split())


PARTIAL = "partial: the search stopped at its time limit or a term matched too many words"


def counted(n: int, noun: str) -> str:
    """ "1 match", "2 matches", "1 article", "5 articles": counts users read in sentences."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun}es" if noun.endswith(("ch", "s")) else f"{n} {noun}s"
