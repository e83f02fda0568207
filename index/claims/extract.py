"""extract_claims: a sentence at a time, quantity → counted noun → event word → Claim.

Also marks revisions within one article ("initially 15 … later corrected to 12"), which needs
the claims of the whole text, so it runs after every sentence is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .events import find_event, toll
from .lexicon import HUMAN_FAMILIES, INITIAL_CUES, LATER_CUES, MONTHS, NOT_AFTER
from .nouns import UNCOUNTED, Noun, counted_noun
from .quantities import quantity_at, vetoed
from .records import Claim, Span, compatible
from .tokens import sentences, tokenize

VETO_LABELS_KEEP = {"CARDINAL", "QUANTITY"}


def extract_claims(text: str, entities: Iterable[Span] | None = None) -> list[Claim]:
    """Every quantity claim in text, in text order.

    entities are the article's NER spans with every label spaCy gave (not only the kinds
    crosswire stores): numbers inside a DATE, TIME, MONEY, PERCENT, ORDINAL or name span are not
    claims. Without them the text rules alone decide (years, months, glued codes, ages).
    """
    spans = sorted(
        (e.start, e.end)
        for e in (entities or ())
        if e.label not in VETO_LABELS_KEEP
        and (e.label != "DATE" or _date_like(text[e.start : e.end]))
    )
    claims: list[Claim] = []
    for s_start, s_end in sentences(text):
        claims.extend(_sentence_claims(text, s_start, s_end, spans))
    return _mark_changes(claims, text)


_DATE_WORDS = re.compile(
    r"\d{4}|\d+s\b|['’]s\b|\b(?:"
    + "|".join(sorted(MONTHS))
    + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow"
    r"|tonight|night|morning|evening|afternoon|dawn|day|days|week|weeks|month|months|year"
    r"|years|decade|decades|century|centuries|ago|season|annual|old|age|aged|weekend|hours?)\b",
    re.IGNORECASE,
)


def _date_like(span: str) -> bool:
    """Whether an NER DATE span says a date: spaCy's sm model also labels bare counts DATE
    ("Between 40 and 50" homes), which must not veto them; the text rules still catch years."""
    return _DATE_WORDS.search(span) is not None


def _sentence_claims(
    text: str, s_start: int, s_end: int, spans: list[tuple[int, int]]
) -> list[Claim]:
    local = [(s, e) for s, e in spans if s < s_end and s_start < e]
    toks = tokenize(text, s_start, s_end)
    out: list[Claim] = []
    last_noun: Noun | None = None
    i = 0
    while i < len(toks):
        q = quantity_at(toks, i) if toks[i].kind in ("num", "word") else None
        if q is None or vetoed(text, toks, q, local):
            i += 1
            continue
        noun = counted_noun(toks, q)
        if noun is UNCOUNTED or (noun is None and i > 0 and toks[i - 1].low in NOT_AFTER):
            i = q.end
            continue
        elided = noun is None
        family: str | None = None
        verb = ""
        if noun is not None and noun.family is not None:
            verb, family = noun.event, noun.family
        elif event := find_event(toks, q, noun.end if noun else q.end) or toll(toks, q):
            verb, family = event
        if noun is not None and noun.family is None:
            last_noun = noun
        if family is not None and noun is None:
            if last_noun is not None:
                noun = Noun(last_noun.noun, last_noun.about, q.end)
            elif family in HUMAN_FAMILIES:
                noun = Noun("person", "person", q.end)
        if noun is not None and family is not None:
            end_tok = toks[q.end - 1] if elided else toks[noun.end - 1]
            begin = toks[q.start].start
            out.append(
                Claim(
                    value=q.value,
                    low=q.low,
                    high=q.high,
                    kind=q.kind,
                    text=text[begin : end_tok.end],
                    quantity=text[begin : toks[q.end - 1].end],
                    noun=noun.noun,
                    about=noun.about,
                    event=verb,
                    family=family,
                    start=begin,
                    end=end_tok.end,
                    sentence_start=s_start,
                    sentence_end=s_end,
                )
            )
        i = max(q.end, i + 1)
    return out


def _cues(text: str, claim: Claim, words: set[str]) -> bool:
    """Whether a cue word comes before the claim in its sentence."""
    before = text[claim.sentence_start : claim.start].lower()
    return any(w in words for w in re.findall(r"[a-z]+", before))


def _mark_changes(claims: list[Claim], text: str) -> list[Claim]:
    """Pair "initially N" with a later "later/clarified M" about the same thing, M ≠ N, and
    mark "from N to M" (a toll that rose, a count revised) the same way."""
    out = list(claims)
    for a in range(len(out) - 1):
        first, second = out[a], out[a + 1]
        if (
            re.search(r"\bfrom\s*$", text[first.sentence_start : first.start])
            and re.fullmatch(r"\s*to\s*", text[first.end : second.start])
            and (first.about, first.family) == (second.about, second.family)
        ):
            out[a], out[a + 1] = _replace(first, "initial"), _replace(second, "later")
    for a, first in enumerate(out):
        if first.change or not _cues(text, first, INITIAL_CUES):
            continue
        for b in range(a + 1, len(out)):
            second = out[b]
            same = (second.about, second.family) == (first.about, first.family)
            if (
                same
                and second.change is None
                and not compatible(first, second)
                and _cues(text, second, LATER_CUES)
            ):
                out[a] = _replace(first, "initial")
                out[b] = _replace(second, "later")
                break
    return out


def _replace(claim: Claim, change: str) -> Claim:
    return replace(claim, change=change)
