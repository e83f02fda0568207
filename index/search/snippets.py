"""Analysis, highlighting and snippets, pure functions of text: what the index stores for some
words, where the hits are in an article, and the windows of text a result shows."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .schema import BODY_ANALYZER

SNIPPET_WIDTH = 200


@lru_cache(maxsize=65536)
def index_forms(text: str) -> tuple[str, ...]:
    """The indexed forms (lowercased, stemmed) of some text, as the body field stores them."""
    return tuple(token.text for token in BODY_ANALYZER(text))


def hit_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """[start, end) of every token of text whose indexed form is one of terms."""
    if not terms:
        return []
    return [
        (token.startchar, token.endchar)
        for token in BODY_ANALYZER(text, chars=True)
        if token.text in terms
    ]


def make_snippet(
    text: str,
    spans: list[tuple[int, int]],
    width: int = SNIPPET_WIDTH,
    fragments: int = 2,
) -> tuple[str, list[tuple[int, int]]]:
    """Up to `fragments` windows of about `width` chars holding the most hits, as plain text.

    Returns the snippet and the [start, end) of the hits within it, so a UI can mark them
    without any markup in the text.
    """
    if not spans:
        return _render(text, [_snap(text, 0, width, [])], [])
    ends = [end for _, end in spans]
    taken: list[tuple[int, int]] = []
    for _ in range(fragments):
        best: tuple[int, int, int] | None = None
        for number, (start, _) in enumerate(spans):
            low = max(0, start - width // 4)
            high = low + width
            if any(low < t_high and t_low < high for t_low, t_high in taken):
                continue
            count = bisect.bisect_right(ends, high) - number
            if best is None or count > best[0]:
                best = (count, low, high)
        if best is None:
            break
        taken.append((best[1], best[2]))
    windows: list[tuple[int, int]] = []
    for low, high in sorted(_snap(text, low, high, spans) for low, high in taken):
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
        else:
            windows.append((low, high))
    return _render(text, windows, spans)


_SPACE = re.compile(r"\s")


def _snap(text: str, low: int, high: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Move window edges to word boundaries, never cutting a hit in two."""
    high = min(high, len(text))
    if low > 0:
        space = _SPACE.search(text, low, min(low + 30, high))
        if space and not any(low <= start < space.end() for start, _ in spans):
            low = space.end()
    if high < len(text):
        cut = max(text.rfind(" ", low, high), text.rfind("\n", low, high))
        if cut > low and high - cut < 30 and not any(cut < end <= high for _, end in spans):
            high = cut
    for start, end in spans:
        if start < low < end:
            low = start
        if start < high < end:
            high = end
    while low < high and text[low].isspace():
        low += 1
    while high > low and text[high - 1].isspace():
        high -= 1
    return low, high


def _squash(fragment: str) -> tuple[str, list[int]]:
    """Whitespace runs folded to one space, and where each original offset lands."""
    out: list[str] = []
    where: list[int] = []
    for char in fragment:
        where.append(len(out))
        if not char.isspace():
            out.append(char)
        elif not out or out[-1] != " ":
            out.append(" ")
    where.append(len(out))
    return "".join(out), where


def _render(
    text: str, windows: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """Join windows with ellipses and map the hits inside them to offsets in the snippet."""
    snippet = ""
    inside: list[tuple[int, int]] = []
    for low, high in windows:
        if low > 0 or snippet:
            snippet += " … " if snippet else "… "
        piece, where = _squash(text[low:high])
        base = len(snippet)
        inside += [
            (base + where[start - low], base + where[end - low])
            for start, end in spans
            if low <= start and end <= high
        ]
        snippet += piece
    if windows and windows[-1][1] < len(text.rstrip()):
        snippet += " …"
    return snippet, inside
