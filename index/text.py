"""The one policy on control characters, for what crosswire stores and for what it shows.

An article is data from anywhere: it may carry terminal escape sequences, C0/C1 control
characters and bidirectional controls. Ingest drops escapes and controls (but "\\n" and "\\t")
from text it cleans; the reader and the CLI also drop bidi controls from everything they show,
since those reorder what follows on the terminal ("Title\\u202e txt.exe" shows as
"Title exe.txt"). Stored text keeps bidi controls verbatim: they are text to some scripts'
writers, and entity offsets point into exactly that string.
"""

from __future__ import annotations

import re

# CSI ("\x1b[31m"), OSC with its BEL or ST terminator ("\x1b]0;title\x07"), or any other
# two-character escape. An OSC without a terminator loses only its introducer: what follows is
# plain text once the ESC is gone, and dropping it would drop the rest of an article.
ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
# C0 but "\t" and "\n", DEL and C1: each may act on a terminal.
CONTROLS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f"
# Embeddings, overrides, isolates and marks (Unicode's Bidi_Control characters).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"

_CONTROL = re.compile(f"[{CONTROLS}]")
_SHOWN_CONTROL = re.compile(f"[{CONTROLS}{BIDI_CONTROLS}]")
# For one-line labels: "\t" and "\n" too, a run of them standing for one gap between words.
_LINE_CONTROLS = re.compile(f"[\\t\\n{CONTROLS}]+")


def without_controls(text: str) -> str:
    """text with escape sequences and control characters (but "\\n", "\\t") removed; bidi
    controls kept. What ingest stores for the formats it cleans."""
    if "\x1b" in text:
        text = ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def one_line_label(text: str) -> str:
    """text as a single-line label for the record (a title, a source): escapes dropped,
    controls and line breaks made word gaps, whitespace runs folded; bidi controls kept."""
    if "\x1b" in text:
        text = ESCAPE_SEQUENCE.sub("", text)
    return " ".join(_LINE_CONTROLS.sub(" ", text).split())


def displayable(text: str, *, keep_offsets: bool = False) -> str:
    """text safe to put on a terminal: escapes, controls (but "\\n", "\\t") and bidi controls
    removed, or with keep_offsets each replaced by as many spaces, so offsets into the stored
    text still point at the same words."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0)) if keep_offsets else ""

    if "\x1b" in text:
        text = ESCAPE_SEQUENCE.sub(blank, text)
    return _SHOWN_CONTROL.sub(blank, text)
