"""Claims with numbers: "three drones were launched", "several guards were injured".

Pure functions over an article's text (no SQLite, no Textual, no spaCy import): the entity phase
already runs spaCy's NER, and its spans (`entities=`, any objects with start/end/label, e.g.
`ner.RawMention` built from every `doc.ents` label) are only used to veto numbers that belong to a
DATE, TIME, MONEY, PERCENT, ORDINAL or a name ("Resolution 2521" as LAW). Everything else works on
a regex tokenisation of the text, which costs a few percent of NER (see bench/bench_claims.py);
the tagger and parser would give noun chunks and lemmas but cost more than NER itself.

A claim is three things found together in one sentence:

1. a **quantity**: digits ("2", "1,200", "1.5 million"), number words ("three", "twenty-five",
   "a dozen" = 12, "half a dozen" = 6), with a modifier ("more than 100" > 100, "at least 15",
   "up to", "about", "nearly", "only"), a range ("between 10 and 12", "10 to 12", "10-12",
   "two or three"), or a vague word kept as such ("several", "multiple", "a few", "dozens",
   "hundreds"; see VAGUE for the loose bounds each implies);
2. the **counted noun** right after it ("three drones"), through a partitive "of" ("several of
   his security guards", "two of the drones") or a group word ("seven members of the personal
   protection force"); an elided noun ("one protester was killed and more than 100 were
   injured") is the previous quantity's noun in the same sentence, or "person" for events that
   only happen to people (killed, injured, arrested…);
3. an **event word** from EVENTS, a small lexicon of verbs grouped in families (used: launched,
   fired, targeted…; injured: wounded, hurt…; killed; intercepted; arrested; …), found as the
   verb right before the quantity ("intercept two of the drones", "wounded multiple"), else the
   nearest one after the noun, else before it, never across a clause break (, ; : ( ) — but,
   while, though, when, after…). Only verbal forms count: "launched", "targeting", "to
   target", never the noun "the attack". After the noun, an event that happens to people
   must read as passive ("were killed"), intransitive ("died") or follow the noun directly
   ("three workers dead"): "two gunmen killed three people" counts three dead, not two; and
   a verb with its own count ("seven villages, killing 10") is not the earlier noun's event.

What is deliberately not a claim: dates and years (any 4-digit 1800-2100 without a comma, a
number next to a month name, "2003-04"), times, money, percentages, ages ("45-year-old", "aged
45", "dead at 95", "a mother of 12"), measures and durations (counted noun in NOT_COUNTED, or
followed by "ago", "away", "old"…: "two days later", "150 metres"), numbers glued to a word
("G20", "F-16", "3rd") or after a capitalised word ("Resolution 2521", "Flight 370"), ordinals
("the third" says one drone hit, but it counts nothing), "no one", "how many", and any number
without both a counted noun and an event word ("47 in the 2018 elections", "two Iraqi security
officials ... explained"). A misspelt event ("two were shout down") is not recognised: recall
is bounded by the lexicon, on purpose.

Claims about the same thing are grouped across sources by (counted noun, event family). Counted
nouns are compared as lemmas (a suffix-stripping lemmatiser with a table of irregular plurals)
mapped through SYNONYMS (bodyguard, security guard, protection force → guard; UAV → drone;
protestor, demonstrator → protester …). Generic people ("12 deaths", "41 people were
wounded") join the story's one specific group for that event (workers killed), and stay apart
when there are several (guards and protesters injured). A group is **disputed** when two of its
values cannot both be true (their implied intervals do not overlap: "three" vs "two", "dozens"
vs "five"), or when one source reports a change ("initially … three", then "later clarified …
two"). A vague word and a number it allows ("several" and "seven") are shown side by side, not
a dispute.

For the entity phase: `ner.extract` keeps only the kinds crosswire stores, so the caller that
adds claims passes the unfiltered `doc.ents` of the same parse; switching claims off is not
calling extract_claims (nothing else depends on it).

The package follows those steps: lexicon (the word tables), tokens (sentences, tokenisation),
quantities (numbers, modifiers, vetoes), nouns (counted nouns, lemmas), events (event words),
extract (claims of one article), records (Claim and friends, interval overlap), group (across
sources, disputes). This module re-exports the public API.
"""

from __future__ import annotations

from .extract import extract_claims
from .group import group_claims
from .nouns import lemma
from .records import Claim, ClaimGroup, ClaimValue, Span, compatible
from .tokens import sentences

__all__ = [
    "Claim",
    "ClaimGroup",
    "ClaimValue",
    "Span",
    "compatible",
    "extract_claims",
    "group_claims",
    "lemma",
    "sentences",
]
