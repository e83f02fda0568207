"""Event words: which verb a quantity's claim is about, and whether its noun is the patient.

Only verbal forms count (a base form needs "to" or a modal before it), and never across a
clause break, so "the attack" or a verb with its own count is not taken for the event.
"""

from __future__ import annotations

from .lexicon import (
    CLAUSE_PUNCT,
    CLAUSE_WORDS,
    EVENTS,
    INTRANSITIVE,
    IRREGULAR_FORMS,
    PASSIVE,
    VERB_CUES,
)
from .quantities import Quantity, quantity_at
from .tokens import Token


def _forms(verb: str) -> tuple[str, ...]:
    """Inflected forms of a lexicon lemma that read as a verb without any context."""
    if verb in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[verb]
    stem = verb[:-1] if verb.endswith("e") else verb
    past = verb + "d" if verb.endswith("e") else verb + "ed"
    return (past, stem + "ing")


def _event_table() -> tuple[dict[tuple[str, ...], tuple[str, str]], dict[str, tuple[str, str]]]:
    """Built once at import: forms that are always verbal, and base/3rd-person forms that
    count only after a cue word (VERB_CUES), each mapped to (lemma, family)."""
    always: dict[tuple[str, ...], tuple[str, str]] = {}
    base: dict[str, tuple[str, str]] = {}
    for family, verbs in EVENTS.items():
        for verb in verbs:
            for form in _forms(verb):
                always[tuple(form.split())] = (verb, family)
            if " " not in verb and verb != "down":
                base[verb] = (verb, family)
                base[verb + ("s" if not verb.endswith(("h", "s")) else "es")] = (verb, family)
    return always, base


EVENT_FORMS, _EVENT_BASE = _event_table()


def _event_at(toks: list[Token], i: int) -> tuple[str, str, int] | None:
    """(lemma, family, length) of an event word starting at token i."""
    for n in (2, 1):
        key = tuple(t.low for t in toks[i : i + n])
        if len(key) == n and key in EVENT_FORMS:
            verb, family = EVENT_FORMS[key]
            return verb, family, n
    t = toks[i]
    if t.low in _EVENT_BASE and i > 0 and toks[i - 1].low in VERB_CUES:
        verb, family = _EVENT_BASE[t.low]
        return verb, family, 1
    return None


def _is_break(t: Token) -> bool:
    return (t.kind == "punct" and t.text in CLAUSE_PUNCT) or t.low in CLAUSE_WORDS


def find_event(toks: list[Token], q: Quantity, noun_end: int) -> tuple[str, str] | None:
    """The event of a quantity: the verb right before it, else nearest after, else before."""
    if q.start > 0:
        for back in (1, 2):
            k = q.start - back
            if k >= 0 and (hit := _event_at(toks, k)) and k + hit[2] == q.start:
                return hit[0], hit[1]
    j = noun_end
    while j < len(toks) and j - noun_end < 15 and not _is_break(toks[j]):
        if hit := _event_at(toks, j):
            after = j + hit[2]
            if after < len(toks) and quantity_at(toks, after):
                break  # "seven villages, killing 10 people": the verb has its own count
            if _patient(toks, j, noun_end, hit[0], hit[1]):
                return hit[0], hit[1]
        j += 1
    k = q.start - 1
    while k >= 0 and q.start - k <= 8 and not _is_break(toks[k]):
        if hit := _event_at(toks, k):
            return hit[0], hit[1]
        k -= 1
    return None


def _patient(toks: list[Token], j: int, noun_end: int, verb: str, family: str) -> bool:
    """Whether the noun before an event word at j is what the event happened to.

    "Used" counts instruments, so "three drones targeted" is right either way; for killed,
    injured, arrested… "two gunmen killed" counts the killers, not the dead, unless the verb
    is passive ("were killed"), intransitive ("died") or follows the noun directly ("three
    workers dead", a headline's "five soldiers killed").
    """
    if family == "used" or verb in INTRANSITIVE or j == noun_end:
        return True
    k = j - 1
    while k > noun_end and toks[k].low.endswith("ly"):
        k -= 1  # "were critically injured"
    return toks[k].low in PASSIVE or (toks[k].low == "had" and toks[k + 1].low == "been")


def toll(toks: list[Token], q: Quantity) -> tuple[str, str] | None:
    """ "the death toll rose to 12", "corrected the toll to 12": a toll counts the dead."""
    k = q.start - 1
    while k >= 0 and q.start - k <= 6 and not _is_break(toks[k]):
        if toks[k].low == "toll":
            return "toll", "killed"
        k -= 1
    return None
