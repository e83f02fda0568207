"""Article text is data: make it safe to put on a terminal, whatever bytes a source sent."""

from __future__ import annotations

from crosswire.index.text import displayable


def printable(text: str) -> str:
    """Drop escape sequences, control characters and bidi controls (index/text.py's policy).

    Used on every string crosswire prints or shows that came from an article; markup such as
    `[bold]` is not touched here because it is always rendered as literal Text, never parsed.
    """
    return displayable(text)


def printable_keep_offsets(text: str) -> str:
    """Like printable, but each removed character becomes a space so character offsets into
    the stored text still point at the same words (the reader highlights by offset)."""
    return displayable(text, keep_offsets=True)


def one_line(text: str) -> str:
    """A title, name or message on one line: printable, and every newline, tab or other
    whitespace run (a line separator, a newline in a file name) folded to one space."""
    return " ".join(printable(text).split())


PARTIAL = "partial: the search stopped at its time limit or a term matched too many words"


def counted(n: int, noun: str) -> str:
    """ "1 match", "2 matches", "1 article", "5 articles": counts users read in sentences."""
    if n == 1:
        return f"1 {noun}"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return f"{n} {noun[:-1]}ies"  # "2 entities"
    return f"{n} {noun}es" if noun.endswith(("ch", "s")) else f"{n} {noun}s"
