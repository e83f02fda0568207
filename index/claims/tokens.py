"""Sentences and a regex tokenisation of an article's text.

A few percent of spaCy's NER cost (bench/bench_claims.py), which is why claims do not use the
tagger or parser: tokens carry their character offsets so claims point back into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS

_TOKEN = re.compile(
    r"(?P<compound>\d+(?:[.,:]\d+)*(?:-[A-Za-z]+)+)"  # 45-year-old, 10-day
    r"|(?P<num>\d+(?:,\d{3})*(?:\.\d+)?(?:-\d+(?:,\d{3})*)?)"  # 2, 1,200, 2.5, 10-12
    r"|(?P<word>[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*['’]?)"
    r"|(?P<punct>\S)"
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s)|\n")


@dataclass
class Token:
    """A token with its character offsets, so a claim can point back into the text."""

    kind: str  # num, word, compound, punct
    text: str
    low: str
    start: int
    end: int


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: breaks at line ends and at . ! ? before a capital."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group() != "\n":
            word = re.search(r"([A-Za-z]+)\.+$", text[max(start, m.start() - 12) : m.end()])
            if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
            following = text[m.end() : m.end() + 3].lstrip()
            if following and following[0].islower():
                continue
        end = m.end() if m.group() != "\n" else m.start()
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokenize(text: str, start: int, end: int) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text, start, end):
        kind = m.lastgroup or "punct"
        out.append(Token(kind, m.group(), m.group().lower(), m.start(), m.end()))
        if kind == "num" and len(out) >= 3 and _split_thousands(out[-3], out[-2], out[-1]):
            first = out[-3]
            joined = text[first.start : m.end()]
            del out[-3:]
            out.append(Token("num", joined, joined, first.start, m.end()))
    return out


def _split_thousands(a: Token, comma: Token, b: Token) -> bool:
    """ "31, 000": a number written with a space after its thousands comma (tokenised text)."""
    return (
        a.kind == "num"
        and a.text.isdigit()
        and len(a.text) <= 3
        and comma.text == ","
        and comma.start == a.end
        and b.text.isdigit()
        and len(b.text) == 3
        and b.start == comma.end + 1
    )


def seq(toks: list[Token], i: int, words: tuple[str, ...]) -> bool:
    return i + len(words) <= len(toks) and all(toks[i + k].low == w for k, w in enumerate(words))
