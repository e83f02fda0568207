"""Analysis, highlighting and snippets, pure functions of text: what the index stores for some
words, where the hits are in an article, and the windows of text a result shows."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .schema import BODY_ANALYZER, analyzer_parts

SNIPPET_WIDTH = 200


@lru_cache(maxsize=65536)
def index_forms(text: str) -> tuple[str, ...]:
    """The indexed forms (lowercased, stemmed) of some text, as the body field stores them."""
    return tuple(token.text for token in BODY_ANALYZER(text))


_PARTS = analyzer_parts(BODY_ANALYZER)
_STEMS: dict[str, str] = {}  # word -> its stem, for the highlighter (bounded below)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(indexed form, start, end) of every token of text, as BODY_ANALYZER gives them: by its
    own regex and stemmer without Whoosh's Token objects, 10x faster on a 450-word article
    (a search highlights 20 whole articles); through the analyzer for any other chain."""
    if _PARTS is None:
        return [(t.text, t.startchar, t.endchar) for t in BODY_ANALYZER(text, chars=True)]
    finditer, stem = _PARTS
    if len(_STEMS) > 100_000:
        _STEMS.clear()
    tokens = []
    for match in finditer(text):
        word = match.group(0).lower()
        form = _STEMS.get(word)
        if form is None:
            form = _STEMS[word] = stem(word)
        tokens.append((form, match.start(), match.end()))
    return tokens


def hit_spans(
    text: str, terms: frozenset[str], phrases: frozenset[tuple[str, ...]] = frozenset()
) -> list[tuple[int, int]]:
    """[start, end) of every token of text whose indexed form is one of terms, and of every
    run of tokens that spells one of phrases (one span from its first word to its last), in
    text order. A phrase query marks the phrase where it occurs, not each of its words
    wherever they stand."""
    if not terms and not phrases:
        return []
    tokens = _tokens(text)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):  # the longest phrase first
        by_first.setdefault(phrase[0], []).append(phrase)
    spans: list[tuple[int, int]] = []
    skip_to = 0
    for number, (form, start, end) in enumerate(tokens):
        if number < skip_to:
            continue
        run = next(
            (
                p
                for p in by_first.get(form, ())
                if tuple(t[0] for t in tokens[number : number + len(p)]) == p
            ),
            None,
        )
        if run is not None:
            spans.append((start, tokens[number + len(run) - 1][2]))
            skip_to = number + len(run)
        elif form in terms:
            spans.append((start, end))
    return spans


def make_snippet(
    text: str,
    spans: list[tuple[int, int]],
    width: int = SNIPPET_WIDTH,
    fragments: int = 2,
    title: str = "",
) -> tuple[str, list[tuple[int, int]]]:
    """Up to `fragments` passages holding the most hits, as plain text: each the sentence a
    hit is in (or, in a sentence longer than `width`, the clause around it), so the numbers
    and names that make a fact comparable ("seven members of … were wounded") stay with it.

    A text that opens with its title (a plain-text article's first line) never gives a
    snippet that only repeats it: hits there are left out, and a result whose only hits are
    in the title shows the opening of the text after it.

    Returns the snippet and the [start, end) of the hits within it, so a UI can mark them
    without any markup in the text.
    """
    body = _body_start(text, title)
    spans_left = [span for span in spans if span[0] >= body]
    if not spans_left:
        return _render(text, [_opening(text, body, width)], [], body)
    ends = [end for _, end in spans_left]
    taken: list[tuple[int, int]] = []
    for _ in range(fragments):
        # The densest stretch is found on plain windows (cheap: a bisect a hit); only the
        # chosen hit's sentence is looked for.
        best: tuple[int, int] | None = None
        for number, (start, _) in enumerate(spans_left):
            low = max(0, start - width // 4)
            high = low + width
            if any(low < t_high and t_low < high for t_low, t_high in taken):
                continue
            count = bisect.bisect_right(ends, high) - number
            if best is None or count > best[0]:
                best = (count, number)
        if best is None:
            break
        start, end = spans_left[best[1]]
        low, high = _context(text, start, end, width)
        taken.append((max(low, _word_after(text, body) if low < body else low), high))
    windows: list[tuple[int, int]] = []
    for low, high in sorted(taken):
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
        else:
            windows.append((low, high))
    return _render(text, windows, spans_left, body)


# A sentence ends at . ! or ? with its closing quotes, or at a line break; not after an
# initial ("U.S.") nor an abbreviation news writes before a name or a number ("Gen.", "Nov.").
ABBREVIATIONS = [
    "Mr",
    "Ms",
    "Mrs",
    "Dr",
    "St",
    "Gen",
    "Col",
    "Lt",
    "Gov",
    "Sen",
    "Rep",
    "No",
    "vs",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]
_SENTENCE_END = re.compile(
    "(?<![A-Z])" + "".join(rf"(?<!\b{word})" for word in ABBREVIATIONS) + r"[.!?][\"”’')\]]*\s+|\n"
)
_CLAUSE_MARK = re.compile(r"[,;:(—–]\s*")
_SPACE = re.compile(r"\s")


def passage_around(text: str, start: int, end: int, width: int = SNIPPET_WIDTH) -> str:
    """The sentence (or clause) holding [start, end), on one line: a mention as it is quoted."""
    low, high = _context(text, start, end, width)
    return " ".join(text[low:high].split())


def _body_start(text: str, title: str) -> int:
    """Where the text starts after its title: after its first line when that is the title,
    after the words a title cut from the first sentence ("…") took; else 0."""
    wanted = " ".join(title.split())
    if not wanted:
        return 0
    lead = len(text) - len(text.lstrip())
    line_end = text.find("\n", lead)
    line_end = len(text) if line_end < 0 else line_end
    if " ".join(text[lead:line_end].split()) == wanted:
        return line_end
    cut = wanted.removesuffix("…").rstrip()
    if wanted.endswith("…") and cut and text.startswith(cut, lead):
        return lead + len(cut)
    return 0


def _context(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """The sentence holding the hit [start, end), or in a sentence longer than width, the
    clause it is in (or a window a third before it), cut at word boundaries."""
    floor = max(0, start - width)
    low = floor
    for mark in _SENTENCE_END.finditer(text, floor, start):
        low = mark.end()
    stop = _SENTENCE_END.search(text, end, min(len(text), end + width))
    high = stop.end() if stop else min(len(text), end + width)
    if high - low > width:
        clause = low
        for mark in _CLAUSE_MARK.finditer(text, low, start):
            clause = mark.end()
        low = clause if start - clause <= width * 2 // 3 else _word_after(text, start - width // 3)
        if high - low > width:
            high = _word_before(text, low + width, end)
    return _trim(text, low, high)


def _opening(text: str, body: int, width: int) -> tuple[int, int]:
    """The first `width` characters of the text after its title, cut at a word."""
    low = body
    while low < len(text) and text[low].isspace():
        low += 1
    high = low + width
    return _trim(text, low, _word_before(text, high, low) if high < len(text) else len(text))


def _word_after(text: str, at: int) -> int:
    """at moved forward past the next whitespace (within 30 characters), not mid-word."""
    at = max(0, at)
    space = _SPACE.search(text, at, at + 30) if at > 0 and not text[at - 1].isspace() else None
    return space.end() if space else at


def _word_before(text: str, at: int, floor: int) -> int:
    """at moved back to the last whitespace before it (within 30 characters, not below
    floor), so a window does not end mid-word."""
    at = min(at, len(text))
    if at >= len(text) or text[at].isspace():
        return at
    cut = max(text.rfind(" ", floor, at), text.rfind("\n", floor, at))
    return cut if cut > floor and at - cut < 30 else at


def _trim(text: str, low: int, high: int) -> tuple[int, int]:
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
    text: str, windows: list[tuple[int, int]], spans: list[tuple[int, int]], body: int = 0
) -> tuple[str, list[tuple[int, int]]]:
    """Join windows with ellipses (none before a window that starts the text after its
    title) and map the hits inside them to offsets in the snippet."""
    snippet = ""
    inside: list[tuple[int, int]] = []
    for low, high in windows:
        if text[body:low].strip() or snippet:
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
