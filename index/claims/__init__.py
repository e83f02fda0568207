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
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

# --- lexicon -----------------------------------------------------------------------------------

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

# Vague quantities, kept as words, with the loose (low, high) bounds they imply. Only these
# bounds decide whether a vague word contradicts a number: "several" (more than two) allows
# "seven" but not "one"; "dozens" does not allow "five". "many" allows anything.
VAGUE: dict[tuple[str, ...], tuple[int | None, int | None]] = {
    ("several",): (3, None),
    ("multiple",): (2, None),
    ("numerous",): (3, None),
    ("many",): (None, None),
    ("a", "few"): (2, 6),
    ("a", "handful"): (2, 6),
    ("a", "couple"): (2, 3),
    ("a", "number"): (2, None),
    ("dozens",): (24, None),
    ("scores",): (40, None),
    ("hundreds",): (200, None),
    ("thousands",): (2000, None),
    ("millions",): (2_000_000, None),
    ("tens", "of", "thousands"): (20_000, None),
    ("hundreds", "of", "thousands"): (200_000, None),
}
# Bare plurals that are quantities only before "of" ("scores of people", not "test scores").
VAGUE_NEEDS_OF = {("scores",), ("a", "number")}

# Modifiers before a number, longest first when matched: kind of bound they make.
MODIFIERS: dict[tuple[str, ...], str] = {
    ("more", "than"): "more_than", ("over",): "more_than", ("upwards", "of"): "more_than",
    ("in", "excess", "of"): "more_than", ("above",): "more_than",
    ("at", "least"): "at_least", ("no", "fewer", "than"): "at_least",
    ("no", "less", "than"): "at_least", ("a", "minimum", "of"): "at_least",
    ("fewer", "than"): "less_than", ("less", "than"): "less_than", ("under",): "less_than",
    ("at", "most"): "at_most", ("no", "more", "than"): "at_most", ("up", "to"): "at_most",
    ("as", "many", "as"): "at_most", ("a", "maximum", "of"): "at_most",
    ("about",): "approx", ("around",): "approx", ("roughly",): "approx",
    ("approximately",): "approx", ("some",): "approx", ("an", "estimated",): "approx",
    ("estimated",): "approx", ("nearly",): "nearly", ("almost",): "nearly",
    ("close", "to"): "nearly",
    ("only",): "exact", ("just",): "exact", ("exactly",): "exact", ("precisely",): "exact",
    ("a", "total", "of"): "exact",
}  # fmt: skip
_MAX_MODIFIER = max(len(k) for k in MODIFIERS)

# Event families: the group's "event"; each lemma's inflected forms are generated by _forms().
EVENTS: dict[str, tuple[str, ...]] = {
    "used": ("use", "launch", "fire", "target", "deploy", "employ", "involve", "send", "fly",
             "strike", "hit", "attack", "aim"),
    "intercepted": ("intercept", "shoot down", "down", "neutralise", "neutralize"),
    "injured": ("injure", "wound", "hurt", "hospitalise", "hospitalize", "maim"),
    "killed": ("kill", "die", "slay", "murder", "perish", "shoot dead"),
    "arrested": ("arrest", "detain", "capture", "apprehend"),
    "kidnapped": ("kidnap", "abduct"),
    "evacuated": ("evacuate", "displace"),
    "rescued": ("rescue",),
    "damaged": ("damage", "destroy"),
    "seized": ("seize", "confiscate"),
    "charged": ("charge", "indict", "convict"),
}  # fmt: skip
# Families whose patient is always a person: an elided noun is "person" ("12 were killed").
HUMAN_FAMILIES = {"injured", "killed", "arrested", "kidnapped", "evacuated", "rescued", "charged"}
IRREGULAR_FORMS = {
    "hit": ("hit", "hitting"),
    "strike": ("struck", "striking", "stricken"),
    "send": ("sent", "sending"),
    "fly": ("flew", "flown", "flying"),
    "hurt": ("hurt", "hurting"),
    "die": ("died", "dying", "dead"),
    "slay": ("slain", "slew", "slaying"),
    "shoot down": ("shot down", "shoots down", "shooting down"),
    "shoot dead": ("shot dead", "shoots dead", "shooting dead"),
    "down": ("downed", "downing"),  # the bare word "down" is a particle, never the event
    "kidnap": ("kidnapped", "kidnapping", "kidnaped", "kidnaping"),
}
# Forms that are events even without an auxiliary: participles/past tense, -ing and adjectives.
# Base and 3rd-person forms ("attack", "fires") are nouns as often as verbs, so they only count
# after "to" or a modal ("managed to intercept two").
_VERB_CUES = {"to", "will", "would", "could", "can", "may", "might", "must", "should", "did",
              "do", "does", "not"}  # fmt: skip

# Counted nouns that carry their own event ("five deaths" = five people killed).
EVENT_NOUNS = {
    "death": "killed", "fatality": "killed", "dead": "killed", "injury": "injured",
    "arrest": "arrested", "casualty": "casualties",
}  # fmt: skip

# Near-synonymous counted nouns (lemmas, one or two words) → the name the group is about.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "guard": ("guard", "bodyguard", "body guard", "security guard", "protection force",
              "protective force", "protection detail", "security detail", "protective detail",
              "protection team", "protection unit", "close protection"),
    "drone": ("drone", "uav", "unmanned aerial vehicle", "aerial vehicle", "unmanned aircraft",
              "quadcopter"),
    "person": ("person", "people", "individual"),
    "protester": ("protester", "protestor", "demonstrator"),
    "soldier": ("soldier", "troop", "serviceman", "servicemember", "service member"),
    "police officer": ("police officer", "policeman", "policewoman", "cop", "police"),
    "militant": ("militant", "fighter", "insurgent"),
    "child": ("child", "kid"),
    "home": ("home", "house"),
}  # fmt: skip
_SYNONYM = {variant: name for name, variants in SYNONYMS.items() for variant in variants}

# Group words looked through to their "of" phrase: "seven members of his protection force".
PARTITIVE = {"member", "part", "rest", "majority", "remainder", "element", "piece", "dozen"}
# Counted nouns that make a duration, unit or price rather than a count of things.
NOT_COUNTED = {
    "year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "night",
    "time", "percent", "cent", "point", "dollar", "euro", "pound", "dinar", "rial", "riyal",
    "rupee", "yuan", "yen", "am", "pm", "gmt", "utc", "o'clock", "st", "nd", "rd", "th",
    "mile", "metre", "meter", "kilometre", "kilometer", "km", "foot", "ft", "yard", "inch",
    "kilogram", "kg", "gram", "tonne", "ton", "litre", "liter", "gallon", "acre", "hectare",
    "degree", "mph", "knot", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "game", "season", "inning", "quarter", "lap",
}  # fmt: skip
# A word right after the counted noun that makes it a measure: "three blocks away", "two days
# later", "ten years old", "20 metres long".
MEASURE_AFTER = {"away", "ago", "old", "long", "later", "earlier", "apart", "deep", "high",
                 "tall", "wide", "late", "early", "younger", "older"}  # fmt: skip
# An elided quantity after these is an age, a score or a family size, never a count of the
# story's events: "dead at 95", "a mother of 12", "aged 45".
NOT_AFTER = {"at", "of", "aged", "age"}
IRREGULAR_PLURALS = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "policemen":
    "policeman", "policewomen": "policewoman", "servicemen": "serviceman", "gunmen": "gunman",
    "firemen": "fireman", "lives": "life", "wives": "wife", "knives": "knife", "thieves":
    "thief", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "police":
    "police", "series": "series", "species": "species", "news": "news", "buses": "bus",
    "crises": "crisis", "analyses": "analysis", "dead": "dead", "staff": "staff",
}  # fmt: skip

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
# Words that end a noun phrase (and so cannot be part of the counted noun).
STOP = {
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "who",
    "which", "that", "this", "these", "those", "their", "his", "her", "its", "our", "your",
    "my", "they", "them", "he", "she", "it", "we", "you", "i", "as", "than", "into", "onto",
    "over", "under", "after", "before", "during", "since", "while", "when", "where", "near",
    "toward", "towards", "against", "outside", "inside", "around", "about", "between",
    "through", "across", "per", "not", "no", "also", "will", "would", "could", "can", "may",
    "might", "must", "should", "did", "do", "does", "said", "says", "say", "each", "all",
    "more", "most", "such", "only", "just", "there", "here", "then", "so", "if",
    "because", "though", "although", "whereas", "up", "down", "out", "off", "among",
    "including", "like", "via", "whom", "whose", "what", "how", "why", "both", "either",
    "neither", "reportedly", "allegedly", "initially", "later", "now", "still", "yet",
    "according", "overnight", "today", "yesterday", "tonight", "ago", "again", "already",
    "alone", "too", "instead", "others", "some", "any", "every", "many", "several", "earlier",
}  # fmt: skip
DETERMINERS = {"the", "his", "her", "its", "their", "our", "your", "my", "these", "those",
               "this", "that", "all"}  # fmt: skip
PRONOUNS = {"them", "us", "which", "whom", "these", "those"}
CLAUSE_WORDS = {"but", "while", "whereas", "although", "though", "however", "because", "yet",
                "when", "after", "before", "until", "unless", "if", "whether"}  # fmt: skip
# Before an event word after its noun, these make the noun its patient: "were killed".
PASSIVE = {"was", "were", "been", "be", "being", "is", "are", "get", "got", "left", "remain",
           "remained", "reported", "reportedly"}  # fmt: skip
# Events whose subject is the patient even in the active voice: "three people died".
INTRANSITIVE = {"die", "perish"}
CLAUSE_PUNCT = set(",;:()[]—–")
NAME_AFTER = {"no", "any", "every", "each", "the", "this", "that", "which", "anyone", "someone"}

# "initially said three … later clarified two": cue words before a claim in its sentence.
INITIAL_CUES = {"initially", "originally", "first", "preliminary", "early", "earlier"}
LATER_CUES = {"later", "subsequently", "since", "revised", "corrected", "clarified",
              "updated", "amended", "now", "lowered", "raised"}  # fmt: skip

_TOKEN = re.compile(
    r"(?P<compound>\d+(?:[.,:]\d+)*(?:-[A-Za-z]+)+)"  # 45-year-old, 10-day
    r"|(?P<num>\d+(?:,\d{3})*(?:\.\d+)?(?:-\d+(?:,\d{3})*)?)"  # 2, 1,200, 2.5, 10-12
    r"|(?P<word>[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*['’]?)"
    r"|(?P<punct>\S)"
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s)|\n")
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "cpt", "maj", "adm", "gov",
    "sen", "rep", "rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "prof", "pres", "dept", "approx", "est",
} | {m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")}  # fmt: skip


# --- records -----------------------------------------------------------------------------------


class Span(Protocol):
    """An NER span as the entity phase has it (ner.RawMention fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class Claim:
    """One quantity claim in one article; offsets are into the text extract_claims was given.

    kind is exact, approx, nearly, more_than, at_least, less_than, at_most, range or vague;
    value is the number as stated (None for vague words and ranges), low/high the inclusive
    interval it allows (None: unbounded), which is all grouping compares. text is the quantity
    through its counted noun ("several of his security guards"), quantity the number part
    alone ("several"); noun is the counted noun's lemma as written, about its synonym group;
    event is the event word's lemma ("wound"), family its event family ("injured"). change is
    "initial" or "later" when the article revises this count ("initially … later clarified").
    """

    value: float | None
    low: float | None
    high: float | None
    kind: str
    text: str
    quantity: str
    noun: str
    about: str
    event: str
    family: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    change: str | None = None

    @property
    def display(self) -> int | float | str:
        """The value as the CLI shows it: 3, ">100", ">=15", "~20", "10-12", "several"."""
        if self.kind == "exact" and self.value is not None:
            return int(self.value) if self.value.is_integer() else self.value
        if self.kind == "vague":
            return self.quantity.lower()
        if self.kind == "range":
            return f"{_number(self.low)}-{_number(self.high)}"
        prefix = {
            "more_than": ">",
            "at_least": ">=",
            "less_than": "<",
            "at_most": "<=",
            "approx": "~",
            "nearly": "~",
        }[self.kind]
        return f"{prefix}{_number(self.value)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; "value" is the display form, low/high the numbers behind it."""
        return {
            "value": self.display,
            "kind": self.kind,
            "low": _number(self.low),
            "high": _number(self.high),
            "text": self.text,
            "quantity": self.quantity,
            "noun": self.noun,
            "about": self.about,
            "event": self.event,
            "family": self.family,
            "start": self.start,
            "end": self.end,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "change": self.change,
        }


@dataclass(frozen=True)
class ClaimValue:
    """One claim of a group, with the article and source it came from."""

    claim: Claim
    article: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "value": c.display,
            "text": c.text,
            "source": self.source,
            "article": self.article,
            "start": c.start,
            "end": c.end,
            "kind": c.kind,
            "low": _number(c.low),
            "high": _number(c.high),
            "event": c.event,
            "change": c.change,
        }


@dataclass(frozen=True)
class ClaimGroup:
    """Claims about one counted thing and one event family across the sources of a story."""

    about: str
    event: str
    values: tuple[ClaimValue, ...]
    disputed: bool
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The `crosswire facts --json` object for this group."""
        return {
            "about": self.about,
            "event": self.event,
            "values": [v.to_dict() for v in self.values],
            "disputed": self.disputed,
            "why": self.why,
        }


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# --- lemmas and events -------------------------------------------------------------------------


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


def _forms(verb: str) -> tuple[str, ...]:
    """Inflected forms of a lexicon lemma that read as a verb without any context."""
    if verb in IRREGULAR_FORMS:
        return IRREGULAR_FORMS[verb]
    stem = verb[:-1] if verb.endswith("e") else verb
    past = verb + "d" if verb.endswith("e") else verb + "ed"
    return (past, stem + "ing")


def _event_table() -> tuple[dict[tuple[str, ...], tuple[str, str]], dict[str, tuple[str, str]]]:
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


_EVENT_FORMS, _EVENT_BASE = _event_table()


# --- tokens and sentences ----------------------------------------------------------------------


@dataclass
class _Token:
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


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text, start, end):
        kind = m.lastgroup or "punct"
        out.append(_Token(kind, m.group(), m.group().lower(), m.start(), m.end()))
        if kind == "num" and len(out) >= 3 and _split_thousands(out[-3], out[-2], out[-1]):
            first = out[-3]
            joined = text[first.start : m.end()]
            del out[-3:]
            out.append(_Token("num", joined, joined, first.start, m.end()))
    return out


def _split_thousands(a: _Token, comma: _Token, b: _Token) -> bool:
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


# --- quantities --------------------------------------------------------------------------------


@dataclass
class _Quantity:
    start: int  # token indexes, end exclusive
    end: int
    kind: str
    value: float | None
    low: float | None
    high: float | None


def _parse_number(toks: list[_Token], i: int) -> tuple[float, int] | None:
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
    if t.low == "half" and _seq(toks, i + 1, ("a",)) and i + 2 < len(toks):
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


def _seq(toks: list[_Token], i: int, words: tuple[str, ...]) -> bool:
    return i + len(words) <= len(toks) and all(toks[i + k].low == w for k, w in enumerate(words))


_VAGUE_LONGEST_FIRST = sorted(VAGUE.items(), key=lambda kv: -len(kv[0]))
# Words a quantity phrase can start with; any other word is rejected without further work.
_STARTS = (
    {k[0] for k in VAGUE} | {k[0] for k in MODIFIERS} | set(UNITS) | {"a", "an", "half", "between"}
)


def _quantity_at(toks: list[_Token], i: int) -> _Quantity | None:
    """The quantity phrase starting at token i, if any."""
    t = toks[i]
    if t.kind != "num" and (t.kind != "word" or t.low.split("-")[0] not in _STARTS):
        return None
    for words, bounds in _VAGUE_LONGEST_FIRST:
        if _seq(toks, i, words):
            j = i + len(words)
            if words in VAGUE_NEEDS_OF and not _seq(toks, j, ("of",)):
                continue
            if words == ("a", "number") and not _seq(toks, j, ("of",)):
                continue
            least, most = bounds
            if (j < len(toks) and toks[j].low in SCALES) or _seq(toks, j, ("dozen",)):
                scale = SCALES.get(toks[j].low, 12)  # "a few hundred", "several dozen"
                least, most = (least or 1) * scale, most * scale if most else None
                j += 1
            return _Quantity(i, j, "vague", None, least, most)
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
        return _Quantity(i, j + 1, "range", None, min(a, b), max(a, b)) if a != b else None
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
            return _Quantity(i, other[1], "range", None, value, other[0])
    low, high = _bounds(kind, value)
    return _Quantity(i, k, kind, value, low, high)


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


def _vetoed(text: str, toks: list[_Token], q: _Quantity, spans: list[tuple[int, int]]) -> bool:
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


def _sentence_initial(toks: list[_Token], i: int) -> bool:
    return all(t.kind == "punct" for t in toks[:i])


# --- counted nouns -----------------------------------------------------------------------------


def _chunk(toks: list[_Token], i: int) -> tuple[list[int], int]:
    """Indexes of the noun phrase starting at i (up to four words) and the index after it."""
    out: list[int] = []
    j = i
    while j < len(toks) and len(out) < 4:
        t = toks[j]
        if t.kind != "word" or t.low in STOP or (out and (t.low,) in _EVENT_FORMS):
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


def _is_noun_like(t: _Token) -> bool:
    return t.low in _SYNONYM or t.low in ("building", "dwelling", "wedding", "ceiling")


def _skip_determiners(toks: list[_Token], j: int) -> int:
    while j < len(toks) and (
        toks[j].low in DETERMINERS or toks[j].low.endswith(("'s", "’s", "s'", "s’"))
    ):
        j += 1
    return j


@dataclass
class _Noun:
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


UNCOUNTED = _Noun("", "", -1)


def _counted_noun(toks: list[_Token], q: _Quantity) -> _Noun | None:
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
        return _Noun("person", "person", end, EVENT_NOUNS[words[-1]], words[-1])
    if words[-1] in PARTITIVE and _seq(toks, end, ("of",)):
        inner_start = _skip_determiners(toks, end + 1)
        inner, inner_end = _chunk(toks, inner_start)
        if inner:
            inner_words = [toks[k].low for k in inner]
            inner_words[-1] = lemma(inner_words[-1])
            about = _about(inner_words)
            phrase = " ".join(inner_words)
            if about is not None:
                return _Noun(phrase, about, inner_end)
            return _Noun(f"{words[-1]} of {phrase}", f"{words[-1]} of {inner_words[-1]}", inner_end)
    if _EVENT_FORMS.get((head.low,)) and len(idx) == 1:
        return None  # "three wounded": the word is the event, the noun is elided
    about = _about(words) or words[-1]
    return _Noun(" ".join(w for w in words if not w[0].isupper()) or words[-1], about, end)


# --- events ------------------------------------------------------------------------------------


def _event_at(toks: list[_Token], i: int) -> tuple[str, str, int] | None:
    """(lemma, family, length) of an event word starting at token i."""
    for n in (2, 1):
        key = tuple(t.low for t in toks[i : i + n])
        if len(key) == n and key in _EVENT_FORMS:
            verb, family = _EVENT_FORMS[key]
            return verb, family, n
    t = toks[i]
    if t.low in _EVENT_BASE and i > 0 and toks[i - 1].low in _VERB_CUES:
        verb, family = _EVENT_BASE[t.low]
        return verb, family, 1
    return None


def _is_break(t: _Token) -> bool:
    return (t.kind == "punct" and t.text in CLAUSE_PUNCT) or t.low in CLAUSE_WORDS


def _find_event(toks: list[_Token], q: _Quantity, noun_end: int) -> tuple[str, str] | None:
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
            if after < len(toks) and _quantity_at(toks, after):
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


def _patient(toks: list[_Token], j: int, noun_end: int, verb: str, family: str) -> bool:
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


def _toll(toks: list[_Token], q: _Quantity) -> tuple[str, str] | None:
    """ "the death toll rose to 12", "corrected the toll to 12": a toll counts the dead."""
    k = q.start - 1
    while k >= 0 and q.start - k <= 6 and not _is_break(toks[k]):
        if toks[k].low == "toll":
            return "toll", "killed"
        k -= 1
    return None


# --- extraction --------------------------------------------------------------------------------

VETO_LABELS_KEEP = {"CARDINAL", "QUANTITY"}


def extract_claims(text: str, entities: Iterable[Span] | None = None) -> list[Claim]:
    """Every quantity claim in text, in text order.

    entities are the article's NER spans with every label spaCy gave (not only the kinds
    crosswire stores): numbers inside a DATE, TIME, MONEY, PERCENT, ORDINAL or name span are not
    claims. Without them the text rules alone decide (years, months, glued codes, ages).
    """
    spans = sorted((e.start, e.end) for e in (entities or ()) if e.label not in VETO_LABELS_KEEP)
    claims: list[Claim] = []
    for s_start, s_end in sentences(text):
        claims.extend(_sentence_claims(text, s_start, s_end, spans))
    return _mark_changes(claims, text)


def _sentence_claims(
    text: str, s_start: int, s_end: int, spans: list[tuple[int, int]]
) -> list[Claim]:
    local = [(s, e) for s, e in spans if s < s_end and s_start < e]
    toks = _tokens(text, s_start, s_end)
    out: list[Claim] = []
    last_noun: _Noun | None = None
    i = 0
    while i < len(toks):
        q = _quantity_at(toks, i) if toks[i].kind in ("num", "word") else None
        if q is None or _vetoed(text, toks, q, local):
            i += 1
            continue
        noun = _counted_noun(toks, q)
        if noun is UNCOUNTED or (noun is None and i > 0 and toks[i - 1].low in NOT_AFTER):
            i = q.end
            continue
        elided = noun is None
        family: str | None = None
        verb = ""
        if noun is not None and noun.family is not None:
            verb, family = noun.event, noun.family
        elif event := _find_event(toks, q, noun.end if noun else q.end) or _toll(toks, q):
            verb, family = event
        if noun is not None and noun.family is None:
            last_noun = noun
        if family is not None and noun is None:
            if last_noun is not None:
                noun = _Noun(last_noun.noun, last_noun.about, q.end)
            elif family in HUMAN_FAMILIES:
                noun = _Noun("person", "person", q.end)
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


# --- grouping ----------------------------------------------------------------------------------


def compatible(a: Claim, b: Claim) -> bool:
    """Whether both values can be true at once: their intervals overlap."""
    low = max((x for x in (a.low, b.low) if x is not None), default=None)
    high = min((x for x in (a.high, b.high) if x is not None), default=None)
    return low is None or high is None or low <= high


def group_claims(
    claims_by_article: Mapping[str, tuple[str, Sequence[Claim]]],
) -> list[ClaimGroup]:
    """Claims of a story's articles ({article id: (source, claims)}) grouped by what they count.

    Groups come most-reported first (then disputed first, then by name); values keep the order
    of the articles given and of the text.
    """
    buckets: dict[tuple[str, str], list[ClaimValue]] = {}
    for article, (source, claims) in claims_by_article.items():
        for claim in claims:
            key = (claim.about, claim.family)
            buckets.setdefault(key, []).append(ClaimValue(claim, article, source))
    _merge_people(buckets, list(claims_by_article))
    groups = []
    for (about, family), values in buckets.items():
        disputed, why = _judge(values)
        groups.append(ClaimGroup(about, family, tuple(values), disputed, why))
    groups.sort(
        key=lambda g: (-len({v.article for v in g.values}), not g.disputed, g.about, g.event)
    )
    return groups


def _merge_people(buckets: dict[tuple[str, str], list[ClaimValue]], order: list[str]) -> None:
    """Generic "people"/"deaths" claims join the story's one specific group for that event.

    Only events that happen to people (HUMAN_FAMILIES): "12 deaths" is "12 workers killed" when
    workers are the only ones the story counts as killed; with two candidates (guards and
    protesters injured) the generic count stays apart rather than be guessed into one.
    """
    for family in HUMAN_FAMILIES:
        generic = buckets.get(("person", family))
        specific = [k for k in buckets if k[1] == family and k[0] != "person"]
        if generic is None or len(specific) != 1:
            continue
        merged = buckets[specific[0]] + buckets.pop(("person", family))
        merged.sort(key=lambda v: (order.index(v.article), v.claim.start))
        buckets[specific[0]] = merged


def _judge(values: list[ClaimValue]) -> tuple[bool, str]:
    """Whether a group is disputed, and a one-line reason."""
    by_display: dict[str, list[str]] = {}
    for v in values:
        sources = by_display.setdefault(str(v.claim.display), [])
        if v.source not in sources:
            sources.append(v.source)
    listed = [f"{d} ({', '.join(s)})" for d, s in by_display.items()]
    conflicts = [
        (a, b)
        for n, a in enumerate(values)
        for b in values[n + 1 :]
        if not compatible(a.claim, b.claim)
    ]
    changes = []
    for v in values:
        if v.claim.change == "initial":
            later = next(
                (
                    w
                    for w in values
                    if w.article == v.article
                    and w.claim.change == "later"
                    and w.claim.start > v.claim.start
                ),
                None,
            )
            if later is not None:
                changes.append(
                    f"{v.source} initially {v.claim.display}, later {later.claim.display}"
                )
    if conflicts or changes:
        pairs: list[str] = []
        for x, y in conflicts:
            shown = sorted((str(x.claim.display), str(y.claim.display)), key=list(by_display).index)
            pair = " vs ".join(f"{d} ({', '.join(by_display[d])})" for d in shown)
            if pair not in pairs:
                pairs.append(pair)
        parts = ["incompatible values: " + "; ".join(pairs)] if pairs else []
        parts.extend(changes)
        return True, "; ".join(parts)
    if len(by_display) == 1:
        sources = next(iter(by_display.values()))
        if len(sources) == 1:
            return False, f"one source: {listed[0]}"
        return False, f"sources agree: {listed[0]}"
    vague = [x for x, v in zip(listed, by_display, strict=True) if not _is_exactish(values, v)]
    precise = [x for x, v in zip(listed, by_display, strict=True) if _is_exactish(values, v)]
    if vague and precise:
        return False, f"vague {', '.join(vague)} compatible with {', '.join(precise)}"
    return False, "compatible values: " + ", ".join(listed)


def _is_exactish(values: list[ClaimValue], display: str) -> bool:
    return any(str(v.claim.display) == display and v.claim.kind != "vague" for v in values)
