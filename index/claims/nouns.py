"""The counted noun of a quantity, lemmatised and mapped to its synonym group.

A suffix-stripping lemmatiser rather than spaCy's (no tagger run); the noun phrase is a short
run of words after the number, looked through "of" and group words ("members of …").
"""

from __future__ import annotations

from dataclasses import dataclass

from .events import EVENT_FORMS
from .lexicon import (
    DETERMINERS,
    EVENT_NOUNS,
    IRREGULAR_PLURALS,
    MEASURE_AFTER,
    NOT_COUNTED,
    PARTITIVE,
    PRONOUNS,
    STOP,
    SYNONYMS,
)
from .quantities import Quantity
from .tokens import Token, seq

_SYNONYM = {variant: name for name, variants in SYNONYMS.items() for variant in variants}


def lemma(word: str) -> str:
    """Singular of a lowercased noun by suffix stripping: drones → drone, injuries → injury."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return word[:-2]
    if word.endswith("men") and len(word) > 5:
        return word[:-3] + "man"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _chunk(toks: list[Token], i: int) -> tuple[list[int], int]:
    """Indexes of the noun phrase starting at i (up to four words) and the index after it."""
    out: list[int] = []
    j = i
    while j < len(toks) and len(out) < 4:
        t = toks[j]
        if t.kind != "word" or t.low in STOP or (out and (t.low,) in EVENT_FORMS):
            break
        if out and (t.low.endswith("ed") or t.low.endswith("ing")) and not _is_noun_like(t):
            break  # "protection force stationed outside", "drones launched"
        if t.low.endswith(("'s", "’s", "s'", "s’")):
            break
        if out and t.low.endswith("ly"):
            break  # "40 suspects reportedly", an adverb
        out.append(j)
        j += 1
        if lemma(t.low) != t.low:
            break  # a plural is the head: "40 suspects overnight", "three fire engines sent"
    return out, j


def _is_noun_like(t: Token) -> bool:
    return t.low in _SYNONYM or t.low in ("building", "dwelling", "wedding", "ceiling")


def _skip_determiners(toks: list[Token], j: int) -> int:
    while j < len(toks) and (
        toks[j].low in DETERMINERS or toks[j].low.endswith(("'s", "’s", "s'", "s’"))
    ):
        j += 1
    return j


@dataclass
class Noun:
    """A counted noun and its synonym group; family/event when the noun carries its own event."""

    noun: str  # lemma as written, "security guard"
    about: str
    end: int  # token index after the noun phrase
    family: str | None = None  # an event the noun carries ("deaths")
    event: str = ""


def _about(words: list[str]) -> str | None:
    """The synonym group of a lemmatised phrase, trying the longest tail first."""
    for n in range(min(3, len(words)), 0, -1):
        key = " ".join(words[-n:])
        if key in _SYNONYM:
            return _SYNONYM[key]
    return None


UNCOUNTED = Noun("", "", -1)


def counted_noun(toks: list[Token], q: Quantity) -> Noun | None:
    """What the quantity counts; None when the noun is elided ("12 were killed"), UNCOUNTED
    when the words after it make it something other than a count (a unit, a duration, a name).
    """
    j = q.end
    if j < len(toks) and toks[j].low == "of":
        j = _skip_determiners(toks, j + 1)
        if j < len(toks) and toks[j].low in PRONOUNS:
            return None
    idx, end = _chunk(toks, j)
    if not idx:
        return None
    head = toks[idx[-1]]
    if head.text[0].isupper() and not head.low.endswith("s"):
        return UNCOUNTED  # a name: "10 Downing Street"
    words = [t.low for t in (toks[k] for k in idx)]
    words[-1] = lemma(words[-1])
    if len(words[-1]) < 2 or any(w in NOT_COUNTED for w in words):
        return UNCOUNTED  # "20 minutes", "30 percent": a measure, and not an elided noun
    if end < len(toks) and toks[end].low in MEASURE_AFTER:
        return UNCOUNTED
    if words[-1] in EVENT_NOUNS:
        return Noun("person", "person", end, EVENT_NOUNS[words[-1]], words[-1])
    if words[-1] in PARTITIVE and seq(toks, end, ("of",)):
        inner_start = _skip_determiners(toks, end + 1)
        inner, inner_end = _chunk(toks, inner_start)
        if inner:
            inner_words = [toks[k].low for k in inner]
            inner_words[-1] = lemma(inner_words[-1])
            about = _about(inner_words)
            phrase = " ".join(inner_words)
            if about is not None:
                return Noun(phrase, about, inner_end)
            return Noun(f"{words[-1]} of {phrase}", f"{words[-1]} of {inner_words[-1]}", inner_end)
    if EVENT_FORMS.get((head.low,)) and len(idx) == 1:
        return None  # "three wounded": the word is the event, the noun is elided
    about = _about(words) or words[-1]
    return Noun(" ".join(w for w in words if not w[0].isupper()) or words[-1], about, end)
