"""Headline glue: plain words a title-cased headline capitalises next to a name.

"Considering Zenit", "Zenit Rumor", "Buys Zenit Stake": the model reads the capitalised words
around a name as part of it. A word the article itself writes in lowercase elsewhere is a plain
word, so it is cut from either end of a headline span while what is left is a name the article
establishes in its body.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .names import core_tokens

LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")


def lowercase_words(text: str) -> set[str]:
    """The words a text writes in lowercase somewhere."""
    return set(LOWERCASE_WORD.findall(text))


def trim_plain_words(
    text: str, start: int, end: int, plain: set[str], known: Collection[str]
) -> tuple[int, int] | None:
    """(start, end) of the span without the plain words at its ends, when that changed it and
    what is left keys (sorted core tokens) as a known name; None otherwise."""
    words = list(re.finditer(r"\S+", text[start:end]))
    lo, hi = 0, len(words)
    while lo < hi and words[lo].group().lower() in plain:
        lo += 1
    while hi > lo and words[hi - 1].group().lower() in plain:
        hi -= 1
    if lo == hi or (lo, hi) == (0, len(words)):
        return None
    new_start, new_end = start + words[lo].start(), start + words[hi - 1].end()
    key = " ".join(sorted(set(core_tokens(text[new_start:new_end]))))
    return (new_start, new_end) if key in known else None
