"""Quantity phrases: digits, number words, modifiers, ranges and vague words, with the
interval each allows, and the vetoes that keep dates, times, money, names and ages out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .lexicon import (
    ABBREVIATIONS,
    MODIFIERS,
    MONTHS,
    NAME_AFTER,
    SCALES,
    UNITS,
    VAGUE,
    VAGUE_NEEDS_OF,
)
from .tokens import Token, seq

_MAX_MODIFIER = max(len(k) for k in MODIFIERS)


@dataclass
class Quantity:
    """A quantity phrase over tokens, with the interval (low, high) grouping compares."""

    start: int  # token indexes, end exclusive
    end: int
    kind: str
    value: float | None
    low: float | None
    high: float | None


def _parse_number(toks: list[Token], i: int) -> tuple[float, int] | None:
    """A number at token i (digits or words, with scale words): (value, next index)."""
    if i >= len(toks):
        return None
    t = toks[i]
    if t.kind == "num":
        if "-" in t.text:
            return None
        value = float(t.text.replace(",", "").replace(" ", ""))
        j = i + 1
        if j < len(toks) and toks[j].low in SCALES:
            value *= SCALES[toks[j].low]
            j += 1
        return value, j
    if t.kind != "word":
        return None
    words = t.low.split("-")
    if t.low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].low in SCALES:
        return float(SCALES[toks[i + 1].low]), i + 2
    if t.low == "a" and i + 1 < len(toks) and toks[i + 1].low == "dozen":
        return 12.0, i + 2
    if t.low == "half" and seq(toks, i + 1, ("a",)) and i + 2 < len(toks):
        scale = 12 if toks[i + 2].low == "dozen" else SCALES.get(toks[i + 2].low)
        return (scale / 2, i + 3) if scale else None  # half a dozen, half a million
    if not all(w in UNITS for w in words):
        return None
    total, current, j = 0.0, float(sum(UNITS[w] for w in words)), i + 1
    while j < len(toks):
        low = toks[j].low
        if low in SCALES:
            current *= SCALES[low]
            if SCALES[low] >= 1000:
                total, current = total + current, 0.0
            j += 1
        elif low == "dozen":
            current *= 12
            j += 1
        elif low == "and" and j + 1 < len(toks) and toks[j + 1].low.split("-")[0] in UNITS:
            if toks[j - 1].low not in SCALES:
                break
            j += 1
        elif all(w in UNITS for w in low.split("-")) and toks[j].kind == "word":
            add = sum(UNITS[w] for w in low.split("-"))
            tens = 20 <= current < 100 and current % 10 == 0 and add < 10  # "twenty five"
            if not (tens or toks[j - 1].low in SCALES or toks[j - 1].low == "and"):
                break  # "two three-year-olds" is two numbers, not five
            current += add
            j += 1
        else:
            break
    return total + current, j


_VAGUE_LONGEST_FIRST = sorted(VAGUE.items(), key=lambda kv: -len(kv[0]))
# Words a quantity phrase can start with; any other word is rejected without further work.
_STARTS = (
    {k[0] for k in VAGUE} | {k[0] for k in MODIFIERS} | set(UNITS) | {"a", "an", "half", "between"}
)


def quantity_at(toks: list[Token], i: int) -> Quantity | None:
    """The quantity phrase starting at token i, if any."""
    t = toks[i]
    if t.kind != "num" and (t.kind != "word" or t.low.split("-")[0] not in _STARTS):
        return None
    for words, bounds in _VAGUE_LONGEST_FIRST:
        if seq(toks, i, words):
            j = i + len(words)
            if words in VAGUE_NEEDS_OF and not seq(toks, j, ("of",)):
                continue
            if words == ("a", "number") and not seq(toks, j, ("of",)):
                continue
            least, most = bounds
            if (j < len(toks) and toks[j].low in SCALES) or seq(toks, j, ("dozen",)):
                scale = SCALES.get(toks[j].low, 12)  # "a few hundred", "several dozen"
                least, most = (least or 1) * scale, most * scale if most else None
                j += 1
            return Quantity(i, j, "vague", None, least, most)
    kind = "exact"
    j = i
    for n in range(_MAX_MODIFIER, 0, -1):
        words = tuple(t.low for t in toks[i : i + n])
        if len(words) == n and words in MODIFIERS:
            kind, j = MODIFIERS[words], i + n
            break
    if j < len(toks) and toks[j].low == "between":
        j += 1
    if j < len(toks) and toks[j].kind == "num" and "-" in toks[j].text:
        a, b = (float(x.replace(",", "")) for x in toks[j].text.split("-"))
        if a >= 1800 or b < a:
            return None  # "the 2003-04 season", "1-0": a year span or a score
        return Quantity(i, j + 1, "range", None, min(a, b), max(a, b)) if a != b else None
    parsed = _parse_number(toks, j)
    if parsed is None:
        return None
    value, k = parsed
    if not value.is_integer():
        return None  # "a 6.1 quake": a magnitude or a measure; counts are whole numbers
    rising = i > 0 and toks[i - 1].low == "from"  # "rose from 5 to 12" is a change, not a range
    if k < len(toks) - 1 and toks[k].low in ("to", "and", "or") and not rising:
        other = _parse_number(toks, k + 1)
        between = i < j and toks[j - 1].low == "between"
        if other and (toks[k].low != "and" or between) and other[0] > value:
            return Quantity(i, other[1], "range", None, value, other[0])
    low, high = _bounds(kind, value)
    return Quantity(i, k, kind, value, low, high)


def _bounds(kind: str, value: float) -> tuple[float | None, float | None]:
    """The interval a stated number allows: "more than 100" is 101 or more, "about 20" 16-24."""
    whole = value.is_integer()
    if kind == "more_than":
        return (value + 1 if whole else value), None
    if kind == "at_least":
        return value, None
    if kind == "less_than":
        return 0, (value - 1 if whole else value)
    if kind == "at_most":
        return 0, value
    if kind == "approx":
        return math.floor(value * 0.8), math.ceil(value * 1.2)
    if kind == "nearly":
        return math.floor(value * 0.8), value
    return value, value


def vetoed(text: str, toks: list[Token], q: Quantity, spans: list[tuple[int, int]]) -> bool:
    """Numbers that are dates, times, money, names, codes or ages rather than counts."""
    first, last = toks[q.start], toks[q.end - 1]
    begin, end = first.start, last.end
    if any(s < end and begin < e for s, e in spans):
        return True
    nums = [t for t in toks[q.start : q.end] if t.kind == "num"]
    for t in nums:
        before = text[t.start - 1] if t.start > 0 else " "
        after = text[t.end] if t.end < len(text) else " "
        if before.isalnum() or before in "-./#$€£¥:" or after.isalnum() or after in "%:/":
            return True
        plain = t.text.replace(".", "")
        if len(plain) == 4 and plain.isdigit() and 1800 <= int(plain) <= 2100:
            return True
    prev = toks[q.start - 1] if q.start > 0 else None
    after_tok = toks[q.end] if q.end < len(toks) else None
    behind = toks[q.start - 2] if q.start > 1 else None
    if prev is not None and prev.text == "." and behind and behind.end == prev.start:
        prev = behind if behind.low in ABBREVIATIONS else prev  # "Dec. 6"
    if prev is not None:
        if (prev.low in MONTHS and (prev.text[0].isupper())) or prev.low in ("aged", "age"):
            return True
        if prev.low in ("how", "so", "too") and first.low in ("many", "few"):
            return True  # a question or a degree, not a count
        if first.low in ("one",) and prev.low in NAME_AFTER:
            return True
        if (
            nums
            and first is nums[0]
            and prev.kind == "word"
            and prev.text[0].isupper()
            and q.start > 0
            and not prev.low.endswith(("'s", "’s"))
            and prev.low not in UNITS
            and not _sentence_initial(toks, q.start - 1)
        ):
            return True  # Resolution 2521, Flight 370, Article 5
    return after_tok is not None and after_tok.low in MONTHS and after_tok.text[0].isupper()


def _sentence_initial(toks: list[Token], i: int) -> bool:
    return all(t.kind == "punct" for t in toks[:i])
