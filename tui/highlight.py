"""Pure functions that turn article data into styled rich Text, by offset, never by markup.

Article text is data: news prose contains `[` and `]`, and a hostile source may send `[bold]`,
`[@click=app.quit]` or escape sequences. Everything here builds `Text` objects from plain
strings (after `printable_keep_offsets`, so offsets still point at the same words) and styles
character ranges; nothing is ever parsed as markup. Styles are passed in, so the widgets can
take them from component classes and follow the theme, and tests need no app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from crosswire.index.model import Mention
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from .safe import one_line, printable_keep_offsets

# Entity kinds as the engine labels them, with the words the legend shows.
KIND_LABELS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "country/city",
    "NORP": "group",
    "LOC": "place",
    "FAC": "building",
}

Span = tuple[int, int]


@dataclass(frozen=True)
class ArticleStyles:
    """The styles the article view paints with, one per entity kind plus marks."""

    kinds: Mapping[str, Style]
    hit: Style
    cursor: Style
    flash: Style


def kind_class(kind: str) -> str:
    """The component class that colours one entity kind (theme-driven, see crosswire.tcss)."""
    return f"entity--{kind.lower()}"


def clip(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans cut to [0, length), empty or inverted ones dropped: offsets come from another
    process and must never make the renderer raise."""
    out = []
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if start < end:
            out.append((start, end))
    return out


StyledSpan = tuple[int, int, Style]


def article_spans(
    length: int,
    mentions: Sequence[Mention],
    hits: Sequence[Span],
    styles: ArticleStyles,
    *,
    cursor: Span | None = None,
    flash: Span | None = None,
) -> list[StyledSpan]:
    """Styled ranges for an article body, later ones on top: entities coloured by kind, query
    hits, the focused mention (cursor), then a briefly flashed mention."""
    out: list[StyledSpan] = []
    for mention in mentions:
        style = styles.kinds.get(mention.kind)
        if style is not None:
            out += [(a, b, style) for a, b in clip([(mention.start, mention.end)], length)]
    out += [(a, b, styles.hit) for a, b in clip(hits, length)]
    if cursor is not None:
        out += [(a, b, styles.cursor) for a, b in clip([cursor], length)]
    if flash is not None:
        out += [(a, b, styles.flash) for a, b in clip([flash], length)]
    return out


def article_text(
    text: str,
    mentions: Sequence[Mention],
    hits: Sequence[Span],
    styles: ArticleStyles,
    *,
    cursor: Span | None = None,
    flash: Span | None = None,
) -> Text:
    """The whole article body as one styled Text (see article_spans)."""
    body = Text(printable_keep_offsets(text))
    for start, end, style in article_spans(
        len(body), mentions, hits, styles, cursor=cursor, flash=flash
    ):
        body.stylize(style, start, end)
    return body


def spans_by_line(lines: Sequence[Span], spans: Sequence[StyledSpan]) -> list[list[StyledSpan]]:
    """Each wrapped line's share of the styled ranges, in line-relative offsets and in the same
    order, so one screen line renders without touching the rest of a long article."""
    per_line: list[list[StyledSpan]] = [[] for _ in lines]
    if not lines:
        return per_line
    for start, end, style in spans:
        for i in range(line_of(lines, start), line_of(lines, end - 1) + 1):
            a, b = lines[i]
            lo, hi = max(start, a), min(end, b)
            if lo < hi:
                per_line[i].append((lo - a, hi - a, style))
    return per_line


def line_text(plain: str, line: Span, spans: Sequence[StyledSpan]) -> Text:
    """One wrapped line as styled Text (its trailing newline dropped)."""
    start, end = line
    if end > start and plain[end - 1] == "\n":
        end -= 1
    text = Text(plain[start:end], end="")
    for a, b, style in spans:
        text.stylize(style, a, min(b, end - start))
    return text


def marked(text: str, spans: Sequence[Span], style: Style) -> Text:
    """One-line text (a snippet) with spans marked. Newlines fold to spaces one for one so the
    offsets still hold."""
    flat = printable_keep_offsets(text).replace("\n", " ").replace("\t", " ")
    out = Text(flat)
    for start, end in clip(spans, len(flat)):
        out.stylize(style, start, end)
    return out


def in_context(before: str, mention: str, after: str, style: Style) -> Text:
    """A mention with its context on one line, the mention itself marked."""
    out = Text("…")
    out.append(one_line(before))
    if before and before[-1].isspace():
        out.append(" ")
    out.append(one_line(mention), style=style)
    if after and after[0].isspace():
        out.append(" ")
    out.append(one_line(after))
    out.append("…")
    return out


_WORD = re.compile(r"\S+\s*|\s+")


def wrap_lines(text: str, width: int, gap: bool = False) -> list[Span]:
    """Greedy word wrap that keeps offsets: [start, end) ranges of `text`, one per screen line.

    Each paragraph ("\\n") starts a new line; a word longer than the width is folded. The range
    of a line includes its trailing spaces (they render as blank cells and are cropped), so
    every character of the text belongs to exactly one line and an offset maps to one line.
    With gap=True an empty line follows each paragraph, for reading (it holds no character),
    unless the text already leaves a blank line there.
    """
    width = max(1, width)
    lines: list[Span] = []
    pos = 0
    paragraphs = text.split("\n")
    for number, paragraph in enumerate(paragraphs):
        paragraph_end = pos + len(paragraph)
        line_start, used = pos, 0
        for match in _WORD.finditer(paragraph):
            start, end = pos + match.start(), pos + match.end()
            word_end = start + len(match.group(0).rstrip())
            if used and used + cell_len(text[start:word_end]) > width:
                lines.append((line_start, start))
                line_start = start
            while cell_len(text[line_start:word_end]) > width:
                cut = _fold_at(text, line_start, width)
                lines.append((line_start, cut))
                line_start = cut
            used = cell_len(text[line_start:end])
        has_newline = paragraph_end < len(text)
        lines.append((line_start, paragraph_end + 1 if has_newline else paragraph_end))
        pos = paragraph_end + 1
        blank_next = has_newline and not paragraphs[number + 1].strip()
        if gap and has_newline and paragraph.strip() and not blank_next:
            lines.append((pos, pos))
    return lines


def _fold_at(text: str, start: int, width: int) -> int:
    """The offset after the last character of text[start:] that fits in width cells."""
    used = 0
    i = start
    while i < len(text):
        w = cell_len(text[i])
        if used + w > width and i > start:
            break
        used += w
        i += 1
    return i


def line_of(lines: Sequence[Span], offset: int) -> int:
    """Index of the wrapped line that holds offset (the last line for offsets past the end)."""
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return max(0, lo)


def offset_at(text: str, line: Span, column: int) -> int:
    """The character offset under a screen column of a wrapped line (for mouse clicks)."""
    used = 0
    for i in range(line[0], line[1]):
        used += cell_len(text[i])
        if used > column:
            return i
    return max(line[0], line[1] - 1)


def mention_at(mentions: Sequence[Mention], offset: int) -> int | None:
    """Index of the mention covering offset, if any."""
    for i, mention in enumerate(mentions):
        if mention.start <= offset < mention.end:
            return i
    return None


def legend(styles: Mapping[str, Style], hit: Style) -> Text:
    """Which colour is which: one swatch per entity kind, then the query-hit mark."""
    out = Text()
    for kind, label in KIND_LABELS.items():
        style = styles.get(kind)
        if style is None:
            continue
        out.append(label, style=style)
        out.append("  ")
    out.append("hit", style=hit)
    return out
