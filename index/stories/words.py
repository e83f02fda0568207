"""The words an article is compared by: stemmed content words, years, and title phrases.

One tokeniser and one stopword list for text, titles and labels, so a word that is dropped
from the vectors is also never offered as a story's label.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from whoosh.lang.porter import stem  # whoosh ships no types

YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told tell according also one two three new year years
    would could may might must us mr mrs ms dr st day days time week weeks month months last
    first next like get got make made many much well back even still way since around among
    however including yesterday today tomorrow monday tuesday wednesday thursday
    friday saturday sunday am pm et pt edt pdt est gmt updated published posted http https www
    com html htm""",
    )
)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Porter stem, cached: news repeats its words, and stemming is the costly part."""
    return str(stem(word))


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]


def terms(text: str) -> list[str]:
    """Stemmed content words of text: lowercased letters only, stopwords dropped."""
    return [_stem(w) for w in _content_words(text)]


def title_grams(title: str) -> list[str]:
    """Unstemmed title words and word pairs, the candidates for a story's label."""
    words = _content_words(title)
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return sorted(set(words) | set(pairs))
