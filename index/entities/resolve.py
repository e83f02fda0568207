"""Entity logic as pure functions: per-article voting, name keys, cross-source resolution.

No SQLite and no spaCy here, so every rule is unit-tested on plain strings. Two stages:

- vote(text, raw): spans are cleaned (quotes, "the", honorifics, possessives, trailing
  lowercase words, headline glue); within one article a name keeps one kind (weighted vote; an
  org word makes a name an ORG); a surname, first name, short org name or acronym joins the one
  full name the article uses; names the article established are marked where the model missed
  them. fill_known() then marks names the library already knows.
- resolve(groups, user): union-find over the library's distinct names, blocked by keys (never
  all pairs): same key; persons whose first and last names agree after transliteration
  folding (and diminutives: Katie ~ Kathryn); a bare surname, first name or short org name
  joins the one (or a far commoner) full name; acronyms. Places and nationalities are never
  fuzzy-matched. User rules come first and a "never" refuses every later union.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from .ner import RawMention


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Translated organisation words: Arabic militia names are spelled or translated per outlet.
GLOSSARY = {
    "kataib": "brigades",
    "katiba": "brigade",
    "asaib": "league",
    "saraya": "companies",
    "harakat": "movement",
    "jaish": "army",
    "jabhat": "front",
    "liwa": "brigade",
    "hizb": "party",
    "majlis": "council",
    "tanzim": "organization",
}
# British and American spellings of the words organisations are named with.
SPELLING = {
    "centre": "center",
    "theatre": "theater",
    "organisation": "organization",
    "defence": "defense",
    "programme": "program",
    "harbour": "harbor",
    "labour": "labor",
}
# Words that make a name an organisation (a PERSON label on "Kataib Hezbollah" is wrong) and
# that a short form must not drop ("Hezbollah" is not "Hezbollah Brigades").
ORG_WORDS = _words(
    """    administration agency alliance army assembly association authority bank battalion board
    brigade brigades bureau center centre church club coalition college command commission
    committee companies company corp corporation council county court department district
    federation force government
    forces foundation front fund group guard guards inc institute league llc ltd militia
    militias ministry movement network news office organisation organization parliament party
    police post press service services team times trust union university"""
)
# Words that describe rather than name: "NBC News" is NBC, "Microsoft Corp" is Microsoft.
DESCRIPTORS = _words(
    """    co company corp corporation group inc llc ltd network networks news plc"""
)
HONORIFICS = _words(
    """    actor actress adm ambassador anchor author ayatollah capt captain chancellor chief coach
    col comedian commissioner deputy detective director dr gen general gov governor host imam
    inspector judge justice king lady lieutenant lord lt maj mayor minister miss mr mrs ms
    officer pm pope premier president prime prince princess producer prof quarterback queen
    rapper rep rev saint secretary sen senator sergeant sgt sheikh sheriff singer sir
    spokesman spokesperson spokeswoman st star trooper writer"""
)
# Particles that open a surname and are not first names ("Van" and "Ben" are).
SURNAME_PARTICLES = _words("""da das de del della der di dos du la le lo""")
PLACE_DESCRIPTORS = _words(
    """sea ocean river island islands lake mountains desert valley bay peninsula strait canal"""
)
CORPORATE = frozenset({"corp", "inc", "ltd", "llc", "co", "plc", "ag", "sa", "gmbh"})
ARTICLES = frozenset({"al", "el", "the", "of", "ad", "as", "an"})
ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|an|as|ash|at|az)[-‑‐](?=\w)", re.IGNORECASE)
# Capitalised words that open sentences and are never worth marking on their own.
COMMON_CAPS = _words(
    """    The A An And But In On At Of For To By With From As It He She They We I You This That
    These Those His Her Their Its Our Will May Can Could Would Should Shall Must Is Was Are
    Were Be Has Have Had Do Does Did Not No Yes Mr Mrs Ms Dr State Police President"""
)
DOMINANT = 3  # a surname joins the commonest full name when it has 3x the next
SHORT_RATIO = 5  # a short org name joins a longer one mentioned at least a fifth as often
PLACE_KINDS = frozenset({"GPE", "LOC", "FAC"})
TRIM = " \t\r\n\"'“”‘’«»()[]{}<>,.;:!?*|/\\—–-•·"
POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")
ACRONYM_SURFACE = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,6}$|^[A-Z]&[A-Z]$")


@dataclass(frozen=True)
class ArticleMention:
    """A mention after voting: name is the article's canonical name for its entity."""

    start: int
    end: int
    text: str
    kind: str
    name: str


@dataclass(frozen=True)
class NameGroup:
    """One distinct (name, kind) of the library with the surfaces it was written as.

    Resolution works on distinct names, not on articles: no cross-source rule depends on which
    article a name came from, and the library holds far fewer names than mentions.
    """

    name: str
    kind: str
    surfaces: tuple[str, ...] = ()
    count: int = 1
    story: tuple[str, ...] = ()  # surfaces written under this name only through story links


@dataclass(frozen=True)
class UserRules:
    """The user's alias file plus the merge/split decisions made in the reader."""

    same: tuple[tuple[str, ...], ...] = ()
    never: tuple[tuple[str, ...], ...] = ()
    merged: tuple[tuple[str, ...], ...] = ()
    split: tuple[tuple[str, ...], ...] = ()

    @property
    def apart(self) -> tuple[tuple[str, ...], ...]:
        """Every set of names that must stay apart, from the file or from splits."""
        return self.never + self.split


@dataclass
class ResolvedEntity:
    id: str
    name: str
    kind: str
    aliases: list[tuple[str, str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    """entity_of maps (name, kind) of each group to its entity id."""

    entity_of: dict[tuple[str, str], str]
    entities: dict[str, ResolvedEntity]


# -- names and keys -------------------------------------------------------------------------


def tokens(name: str) -> list[str]:
    """Lowercase ASCII word tokens: apostrophes and periods vanish (Kata'ib, U.S.); hyphens
    split words."""
    return list(_tokens(name))


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    ascii_name = anyascii(re.sub(r"['’]s$", "", name.strip())).lower()
    ascii_name = re.sub(r"['`.]", "", ascii_name)
    return tuple(re.findall(r"[a-z0-9&]+", ascii_name))


def core_tokens(name: str) -> list[str]:
    """tokens() without Arabic articles, 'the'/'of' and a trailing possessive, glossary applied."""
    toks = tokens(name)
    if len(toks) > 1 and toks[-1] == "s" and re.search(r"['’]s\W*$", name):
        toks = toks[:-1]
    out = [GLOSSARY.get(t, SPELLING.get(t, t)) for t in toks if t not in ARTICLES]
    return out or toks


@lru_cache(maxsize=1 << 16)
def name_key(name: str, kind: str) -> str:
    """Normalised key of a name: ASCII, lowercase, no articles or honorifics, sorted token set.

    Two spellings with the same key are the same name ("Kata'ib Hezbollah" and "Hezbollah
    Brigades" both give "brigades hezbollah"; "U.S." and "US" give "us").
    """
    toks = core_tokens(name)
    if len(toks) > 1 and toks[-1] in CORPORATE:
        toks = toks[:-1]
    if kind == "PERSON":
        while len(toks) > 1 and toks[0] in HONORIFICS:
            toks = toks[1:]
    if kind == "LOC" and len(toks) > 1 and toks[-1] in PLACE_DESCRIPTORS:
        toks = toks[:-1]  # the Mediterranean Sea is the Mediterranean
    return " ".join(sorted(set(toks)))


_FOLDS = [
    ("dh", "z"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ph", "f"),
    ("ou", "u"),
    ("q", "k"),
    ("c", "k"),
    ("j", "g"),
    ("w", "u"),
    ("o", "u"),
    ("e", "i"),
    ("y", "i"),
    ("v", "f"),
]


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """Transliteration folding of one name token: Kadhimi and Kazemi both give "kazimi"."""
    t = ARABIC_ARTICLE.sub("", token.lower())
    t = re.sub(r"[^a-z]", "", anyascii(t).lower())
    for a, b in _FOLDS:
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)
    return t


def person_parts(name: str) -> tuple[str, str] | None:
    """(first, last) name tokens of a multi-token person name, honorifics dropped."""
    toks = [t for t in tokens(name) if t not in ARTICLES]
    while toks and toks[0] in HONORIFICS:
        toks = toks[1:]
    if toks and toks[-1] in {"jr", "sr", "ii", "iii", "iv"}:
        toks = toks[:-1]
    while len(toks) > 2 and len(toks[0]) == 1:
        toks = toks[1:]  # W. Mark Felt is Mark Felt
    if len(toks) < 2 or len(toks[0]) == 1 or (len(toks) == 2 and toks[0] in SURNAME_PARTICLES):
        return None  # "Lo Presti", "De Niro" are surnames alone, not a first and a last name
    return toks[0], toks[-1]


def initials(name: str) -> set[str]:
    """Acronyms a multi-word name may be written as: United States → us, Department of
    Defense → dd and dod."""
    words = [t for t in tokens(name) if t not in {"al", "el"}]
    if words and words[0] == "the":
        words = words[1:]
    if len(words) < 2:
        return set()
    full = "".join(w[0] for w in words)
    short = "".join(w[0] for w in words if w not in ARTICLES and w != "and")
    return {a for a in (full, short) if len(a) >= 2}


def is_acronym(surface: str) -> bool:
    return bool(ACRONYM_SURFACE.match(surface.strip()))


def has_org_word(name: str) -> bool:
    return any(t in ORG_WORDS for t in core_tokens(name))


# -- per-article voting ---------------------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    label: str
    weight: int = 1
    name: str = ""
    region_of: str | None = None


def _clean(text: str, m: RawMention) -> _Span | None:
    """Trim quotes, brackets, a leading "the", trailing lowercase words, honorifics and a
    possessive; None when nothing name-like is left."""
    start, end = m.start, m.end
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        if text[end - 1] == "." and re.search(r"(?:^|\W)\w\.$", text[start:end]):
            break  # U.S., Jr.: the period belongs to the abbreviation
        end -= 1
    surface = text[start:end]
    low = surface.lower()
    if low.startswith("the "):
        start += 4
    # Names do not end in a lowercase word: "Thompson in", "Ross doesn".
    while (tail := re.search(r"\s+(\S+)$", text[start:end])) and ARABIC_ARTICLE.sub(
        "", tail.group(1)
    )[:1].islower():
        end -= len(tail.group())
    poss = POSSESSIVE.search(text[start:end])
    if poss and end - start - len(poss.group()) > 1:
        end -= len(poss.group())
    if m.label == "PERSON":
        while True:
            first = re.match(r"[\w]+\.?\s+", text[start:end])
            if not first or first.group().strip(" .").lower() not in HONORIFICS:
                break
            start += len(first.group())
    surface = text[start:end]
    if end - start < 2 or not any(c.isupper() for c in surface) or "\n" in surface:
        return None
    return _Span(start, end, m.label)


def _split_lines(text: str, m: RawMention) -> list[RawMention]:
    """A span across a line break is two names (a headline glued to the next line)."""
    if "\n" not in m.text:
        return [m]
    out, start = [], m.start
    for piece in m.text.split("\n"):
        out.append(RawMention(start, start + len(piece), piece, m.label))
        start += len(piece) + 1
    return out


def _split_conjoined(m: RawMention, persons: set[str]) -> list[RawMention]:
    """ "Lopez and Carrasquillo" is two people when the article names a person with either
    word: the model often reads such a pair as one organisation. Other pairs ("Procter and
    Gamble", "Trinidad and Tobago") stay whole."""
    pieces = m.text.split(" and ")
    lasts = [tokens(p)[-1:] for p in pieces]
    if len(pieces) < 2 or not any(t and t[0] in persons for t in lasts):
        return [m]
    out, start = [], m.start
    for piece, last in zip(pieces, lasts, strict=True):
        label = "PERSON" if last and last[0] in persons else m.label
        out.append(RawMention(start, start + len(piece), piece, label))
        start += len(piece) + len(" and ")
    return out


def _split_hyphen_pair(m: RawMention, known: dict[str, str]) -> list[RawMention]:
    """ "Computerworld-Microsoft", "Evansville-Indiana State": two names hyphened into one
    span split apart when the article names either side on its own (known: key → label);
    "Coca-Cola", "Al-Qaeda", "WDIV-TV" and "African-American" stay whole."""
    parts = re.split(r"(?<=\w)-(?=[A-Z])", m.text)
    if (
        m.label == "NORP"  # African-American is one group
        or len(parts) != 2
        or not re.search(r"(?:^|\s)[A-Z][\w']{2,}$", parts[0])  # al-Kadhimi, WDIV-TV
        or len(parts[1]) < 3
        or parts[0].split()[-1].lower() in ARTICLES
        or not any(name_key(p, "") in known for p in parts)
    ):
        return [m]
    left, right = parts
    right_start = m.start + len(left) + 1
    return [
        RawMention(m.start, m.start + len(left), left, known.get(name_key(left, ""), m.label)),
        RawMention(right_start, m.end, right, known.get(name_key(right, ""), m.label)),
    ]


def display_form(surface: str) -> str:
    """A surface as a display name: brackets dropped, whitespace folded."""
    return " ".join(re.sub(r"[\[\]{}()]", "", surface).split())


def _join_glossary_neighbours(text: str, spans: list[_Span]) -> list[_Span]:
    """Join "Kata'ib" + "Hezbollah" when the model split a name at a translated org word."""
    out: list[_Span] = []
    for span in spans:
        if out:
            prev = out[-1]
            gap = text[prev.end : span.start]
            words = (text[prev.start : prev.end], text[span.start : span.end])
            if gap == " " and any(len(tokens(w)) == 1 and tokens(w)[0] in GLOSSARY for w in words):
                out[-1] = _Span(prev.start, span.end, "ORG")
                continue
        out.append(span)
    return out


def _in_headline(text: str, start: int, memo: dict[int, bool] | None = None) -> bool:
    """True when the line holding start is title-cased (a headline), where the model glues
    names to the capitalised words around them ("Lindsay Lohan Checks Into Rehab").

    memo (line start → answer) keeps a long line from being split once per span on it: an
    article of one 2M-character line would otherwise cost spans × length.
    """
    line_start = text.rfind("\n", 0, start) + 1
    if memo is not None and line_start in memo:
        return memo[line_start]
    line_end = text.find("\n", start)
    words = [
        w
        for w in text[line_start : line_end if line_end >= 0 else None].split()
        if len(w) > 3 and w[0].isalpha()
    ]
    answer = len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)
    if memo is not None:
        memo[line_start] = answer
    return answer


def _drop_headline_glue(text: str, spans: list[_Span]) -> list[_Span]:
    """Drop a headline span that swallowed a name the article establishes elsewhere; alias
    filling then marks the name itself."""
    memo: dict[int, bool] = {}
    headline = [_in_headline(text, s.start, memo) for s in spans]
    body = [core_tokens(s.name) for s, h in zip(spans, headline, strict=True) if not h]
    established_keys = {" ".join(sorted(set(t))) for t in body}
    multi = [set(t) for t in body if len(t) > 1]
    single = {t[0] for t in body if len(t) == 1}
    out = []
    for s, h in zip(spans, headline, strict=True):
        toks = core_tokens(s.name)
        glued = (
            h
            and len(toks) > 1
            and " ".join(sorted(set(toks))) not in established_keys
            and (toks[0] in single or any(e < set(toks) for e in multi))
        )
        if glued:
            continue
        if h and s.label == "PERSON" and len(toks) > 2:
            _trim_to_surname(text, s, single, established_keys)
        out.append(s)
    return out


def _drop_common_lead(text: str, spans: list[_Span]) -> None:
    """ "Unemployed John Jenkin", "Stunning Williams": a sentence-initial capital glues a plain
    word to a name. The lead goes when the article also writes it in lowercase and what is left
    is still a name: two words, or a surname of a full name the article uses."""
    lowercase = set(re.findall(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])", text))
    surnames: dict[str, set[str]] = defaultdict(set)
    for s in spans:
        if s.label == "PERSON" and len(t := tokens(s.name)) > 1:
            surnames[t[-1]].add(name_key(s.name, "PERSON"))
    for s in spans:
        words = list(re.finditer(r"\S+", text[s.start : s.end]))
        if s.label != "PERSON" or len(words) < 2 or words[0].group().lower() not in lowercase:
            continue
        rest = tokens(text[s.start + words[1].start() : s.end])
        others = surnames.get(rest[-1], set()) - {name_key(s.name, "PERSON")} if rest else set()
        if len(words) >= 3 or (others and len(tokens(s.name)) == 2):
            s.start += words[1].start()
            s.name = display_form(text[s.start : s.end])


def _trim_to_surname(text: str, s: _Span, surnames: set[str], names: set[str]) -> None:
    """ "Lindsay Lohan Checks Into Rehab" → "Lindsay Lohan" when the body knows Lohan."""
    words = list(re.finditer(r"\S+", text[s.start : s.end]))
    for k in range(len(words) - 2, 0, -1):
        head = [t for w in words[: k + 1] for t in core_tokens(w.group())]
        if head and (head[-1] in surnames or " ".join(sorted(set(head))) in names):
            s.end = s.start + words[k].end()
            s.name = display_form(text[s.start : s.end])
            return


def _join_place_region(text: str, spans: list[_Span]) -> list[_Span]:
    """ "Wasilla, Alaska" is one place: the region only says which Wasilla."""
    out: list[_Span] = []
    for span in spans:
        if (
            out
            and out[-1].label in PLACE_KINDS
            and span.label == "GPE"
            and text[out[-1].end : span.start] == ", "
            and out[-1].region_of is None
        ):
            out[-1].end = span.end
            out[-1].region_of = out[-1].name
            continue
        out.append(span)
    return out


def vote(text: str, raw: Sequence[RawMention]) -> list[ArticleMention]:
    """Give each name in one article one kind and one canonical name; mark missed mentions."""
    # Surnames of the article's multi-word person names, for splitting "Lopez and Carrasquillo".
    persons = {
        tokens(m.text)[-1]
        for m in raw
        if m.label == "PERSON" and " and " not in m.text and len(tokens(m.text)) > 1
    }
    known = {name_key(m.text, ""): m.label for m in raw if "-" not in m.text}
    pieces = [
        r
        for m in sorted(raw, key=lambda m: m.start)
        for p in _split_lines(text, m)
        for q in _split_conjoined(p, persons)
        for r in _split_hyphen_pair(q, known)
    ]
    spans = [s for s in (_clean(text, m) for m in pieces) if s]
    spans = _join_glossary_neighbours(text, spans)
    for s in spans:
        s.name = display_form(text[s.start : s.end])
    spans = _drop_headline_glue(text, spans)
    _drop_common_lead(text, spans)
    spans = _join_place_region(text, spans)
    for s in spans:
        surface = s.region_of or display_form(text[s.start : s.end])
        words = tokens(surface)
        if (s.label in ("PERSON", "NORP", "GPE") and has_org_word(surface) and len(words) > 1) or (
            len(words) == 1 and words[0] in GLOSSARY
        ):
            s.label = "ORG"
        s.weight = len(surface.split())
        s.name = surface

    # Kind vote per key: one name keeps one kind in one article.
    by_key: dict[str, list[_Span]] = defaultdict(list)
    for s in spans:
        by_key[name_key(s.name, "")].append(s)
    kind_of: dict[str, str] = {}
    for key, group in by_key.items():
        votes: Counter[str] = Counter()
        for s in group:
            votes[s.label] += s.weight
        kind_of[key] = max(votes, key=lambda k: (votes[k], k == "PERSON"))

    canonical = _link_in_article(by_key, kind_of)
    return _fill(text, spans, by_key, canonical)


def _surname_core(name: str) -> str:
    last = name.split()[-1]
    return ARABIC_ARTICLE.sub("", last)


def _link_in_article(
    by_key: dict[str, list[_Span]], kind_of: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """key → (canonical name, kind): surnames, first names and short org forms join the unique
    full name the article uses."""
    display: dict[str, str] = {}
    for key, group in by_key.items():
        forms = Counter(s.name for s in group)
        display[key] = max(forms, key=lambda f: (forms[f], len(f)))
    persons = [k for k in by_key if kind_of[k] == "PERSON" and len(k.split()) >= 2]
    part_index: dict[str, set[str]] = defaultdict(set)
    for k in persons:
        parts = person_parts(display[k])
        if parts:
            part_index[parts[1]].add(k)
            part_index[parts[0]].add(k)
    orgs = [k for k in by_key if kind_of[k] == "ORG" and len(display[k].split()) >= 2]
    short_index: dict[str, set[str]] = defaultdict(set)
    for k in orgs:
        last = _org_short_forms(display[k], first=False)
        for short in _org_short_forms(display[k], first=True):
            # "Microsoft" written 12 times is not short for one "Microsoft Fix it".
            if short in last or len(by_key.get(short, ())) <= len(by_key[k]):
                short_index[short].add(k)

    canonical: dict[str, tuple[str, str]] = {}
    for key in by_key:
        kind = kind_of[key]
        canonical[key] = (display[key], kind)
        if " " in key:
            continue
        people, shorts = part_index.get(key, set()), short_index.get(key, set())
        if len(people) == 1 and not shorts:
            canonical[key] = (display[next(iter(people))], "PERSON")
        elif kind == "ORG" and len(shorts) == 1 and not people:
            canonical[key] = (display[next(iter(shorts))], "ORG")
    # Acronyms the article spells out: "United States ... US".
    by_initials: dict[str, set[str]] = defaultdict(set)
    for k, (name, kind) in canonical.items():
        if kind not in ("PERSON", "NORP") and canonical[k][0] == display[k]:
            for a in initials(name):
                by_initials[a].add(k)
    for key in by_key:
        if is_acronym(display[key]) and len(by_initials.get(key, ())) == 1:
            full = next(iter(by_initials[key]))
            canonical[key] = canonical[full]
    return canonical


def _org_short_forms(name: str, first: bool) -> list[str]:
    """Keys an organisation is shortened to: its last word (Indianapolis Colts → Colts) and,
    for linking only, its first; never when the dropped words are org words (Hezbollah is not
    Hezbollah Brigades) or the short word is generic."""
    words = name.split()
    raw = [tokens(w) for w in words]
    if len(words) < 2 or any(t in (["of"], ["and"], ["&"]) for t in raw):
        return []
    plain = [t[-1] if t else "" for t in raw]
    translated = [t[-1] if t else "" for t in (core_tokens(w) for w in words)]
    out = []
    candidates = [(len(words) - 1, translated[:-1])]
    if first:
        candidates.append((0, translated[1:]))
    for index, dropped in candidates:
        word = plain[index]
        if (
            word
            and word not in ORG_WORDS
            and not any(d in ORG_WORDS and d not in DESCRIPTORS for d in dropped)
        ):
            out.append(name_key(words[index], "ORG"))
    return out


def _org_tails(name: str) -> list[str]:
    """Keys of the shorter names an organisation goes by when its place is dropped: Boston
    Red Sox → Red Sox. Not when the tail ends in an org word (a Security Council is not Iran's
    Supreme National Security Council) or the dropped words hold one."""
    words = name.split()
    if len(words) < 3 or any(tokens(w) in (["of"], ["and"], ["&"]) for w in words):
        return []
    translated = [t[-1] if t else "" for t in (core_tokens(w) for w in words)]
    if translated[-1] in ORG_WORDS:
        return []
    return [
        name_key(" ".join(words[k:]), "ORG")
        for k in range(1, len(words) - 1)
        if not any(d in ORG_WORDS for d in translated[:k])
    ]


def _fill(
    text: str,
    spans: list[_Span],
    by_key: dict[str, list[_Span]],
    canonical: dict[str, tuple[str, str]],
) -> list[ArticleMention]:
    """Emit voted mentions plus occurrences of established names the model did not mark."""
    terms: dict[str, tuple[str, str] | None] = {}

    def add_term(term: str, target: tuple[str, str]) -> None:
        head = ARABIC_ARTICLE.sub("", term)[:1]
        if len(term) < 2 or term in COMMON_CAPS or not (head.isupper() or head.isdigit()):
            return
        for variant in {term, term.upper()} if len(term) >= 4 else {term}:
            if variant in terms and terms[variant] != target:
                terms[variant] = None  # ambiguous: two entities share this word
            else:
                terms[variant] = target

    for key, group in by_key.items():
        target = canonical[key]
        multi = " " in group[0].name
        if multi or len(group) >= 2 or target[0] != group[0].name:
            for s in group:
                add_term(s.name, target)
        if target[1] == "PERSON" and target[0] == group[0].name and multi:
            last = _surname_core(target[0])
            add_term(last, target)
            if last != target[0].split()[-1]:  # al-Kadhimi: also Al-Kadhimi, el-Kadhimi
                for prefix in ("al-", "Al-", "el-", "El-"):
                    add_term(prefix + last, target)
        if target[1] == "ORG" and multi and target[0] == group[0].name:
            words = target[0].split()
            if _org_short_forms(target[0], first=False):
                add_term(words[-1], target)

    out: list[ArticleMention] = []
    for s in spans:
        name, kind = canonical[name_key(s.name, "")]
        out.append(ArticleMention(s.start, s.end, text[s.start : s.end], kind, name))
    usable = {t: v for t, v in terms.items() if v is not None}
    covered = sorted((s.start, s.end) for s in spans)
    starts = [c[0] for c in covered]
    last_end = 0
    for start, end in _whole_word_matches(text, usable):
        i = bisect.bisect_right(starts, start)
        if start < last_end or (i and covered[i - 1][1] > start):
            continue
        if i < len(covered) and covered[i][0] < end:
            continue
        name, kind = usable[text[start:end]]
        out.append(ArticleMention(start, end, text[start:end], kind, name))
        last_end = end
    out.sort(key=lambda m: m.start)
    return out


_WORD = re.compile(r"\w+")


def _whole_word_matches(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Occurrences of terms as whole words, leftmost first and the longest at one place.

    One pass over the text's words, each looked up among the terms that start with it: a
    str.find per term costs terms × length, and a long article has both many terms and much
    text (a 200k-character article took 24 s). Terms that do not start with a word character
    keep the str.find.
    """
    found: list[tuple[int, int]] = []
    by_head: dict[str, list[str]] = defaultdict(list)
    odd: list[str] = []
    for term in terms:
        head = _WORD.match(term)
        if head:
            by_head[head.group()].append(term)
        elif term:
            odd.append(term)
    if by_head:
        for word in _WORD.finditer(text):
            for term in by_head.get(word.group(), ()):
                pos = word.start()
                if text.startswith(term, pos) and _whole_word(text, pos, pos + len(term)):
                    found.append((pos, pos + len(term)))
    for term in odd:
        pos = text.find(term)
        while pos >= 0:
            if _whole_word(text, pos, pos + len(term)):
                found.append((pos, pos + len(term)))
            pos = text.find(term, pos + 1)
    found.sort(key=lambda m: (m[0], -m[1]))
    return found


def _whole_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not part of a longer word (al-Kadhimi's Kadhimi is not)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after in "_-")


CAP_WORD = re.compile(r"[A-Z][\w&’'.-]*\w|[A-Z]")
MAX_NAME_WORDS = 4


def _capitalised_runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of capitalised words separated by single spaces: where a missed name can be."""
    run: list[re.Match[str]] = []
    for m in CAP_WORD.finditer(text):
        if run and text[run[-1].end() : m.start()] == " ":
            run.append(m)
            continue
        if run:
            yield run
        run = [m] if m.start() == 0 or not (text[m.start() - 1].isalnum()) else []
    if run:
        yield run


def candidate_names(text: str) -> set[str]:
    """Every capitalised n-gram (up to four words) of a text: the names worth looking up."""
    out = set()
    for run in _capitalised_runs(text):
        for i in range(len(run)):
            for j in range(i, min(i + MAX_NAME_WORDS, len(run))):
                out.add(text[run[i].start() : run[j].end()])
    return out


def fill_known(
    text: str, mentions: Sequence[ArticleMention], known: Mapping[str, str]
) -> list[ArticleMention]:
    """Mark names the library already knows (surface → kind) where the model missed them.

    A single word is only marked inside a sentence: at a sentence start "People" or "Police"
    is far more often a plain word than the magazine.
    """
    covered = sorted((m.start, m.end) for m in mentions)
    starts = [c[0] for c in covered]
    added: list[ArticleMention] = []
    for run in _capitalised_runs(text):
        i = 0
        while i < len(run):
            for j in range(min(i + MAX_NAME_WORDS, len(run)) - 1, i - 1, -1):
                start, end = run[i].start(), run[j].end()
                surface = text[start:end]
                kind = known.get(surface)
                if kind is None or surface in COMMON_CAPS:
                    continue
                if i == j and _sentence_start(text, start):
                    continue
                k = bisect.bisect_right(starts, start)
                if (k and covered[k - 1][1] > start) or (k < len(covered) and covered[k][0] < end):
                    continue
                added.append(ArticleMention(start, end, surface, kind, surface))
                i = j
                break
            i += 1
    if not added:
        return list(mentions)
    return sorted([*mentions, *added], key=lambda m: m.start)


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


# -- story context --------------------------------------------------------------------------

STORY_COMMON = 50  # a name in more articles than this says little about which story one is in
STORY_SHARED = 2  # an article sharing this many other names with another is its neighbour
STORY_SIZE = 10  # an article's story: its nearest neighbours
STORY_SEEN = 2  # a full name one article wrote may be headline glue ("Says Kovac")
SHORT_KINDS = frozenset({"PERSON", "ORG", "NORP"})


def _short_keys(name: str, kind: str) -> list[tuple[str, str]]:
    """Index keys a one-word name may be short for: a folded surname, a first name (spelled
    exactly, as in resolve()), a short org name. Places are never shortened."""
    words = tokens(name)
    if kind not in SHORT_KINDS or len(words) != 1:
        return []
    out = [("last", fold(words[0]))]
    if kind == "PERSON":
        out.append(("first", words[0]))
        out.append(("org last", name_key(name, kind)))
    elif kind == "ORG":
        out.append(("org", name_key(name, kind)))
    return out


def _full_keys(name: str, kind: str) -> list[tuple[str, str]]:
    """The keys under which _short_keys finds a full name (as resolve() blocks them)."""
    if kind == "PERSON":
        parts = person_parts(name)
        return [("last", fold(parts[1])), ("first", parts[0])] if parts else []
    if kind == "ORG":
        return [("org", k) for k in _org_short_forms(name, first=True)] + [
            ("org last", k) for k in _org_short_forms(name, first=False)
        ]
    return []


def _identity(name: str, kind: str) -> tuple[str, ...]:
    """Who a full name is, as resolution will see it: Jane Doe and Jane Q. Doe are one, so
    they do not split their story's vote."""
    parts = person_parts(name) if kind == "PERSON" else None
    if parts:
        return (kind, fold(parts[0]), fold(parts[1]))
    return (kind, name_key(name, kind))


def _apart(a: str, b: str, apart: Sequence[tuple[str, ...]]) -> bool:
    """True when a user's never or split row puts a and b on different sides."""
    ka, kb = name_key(a, ""), name_key(b, "")
    for names in apart:
        keys = [name_key(n, "") for n in names]
        if ka in keys and kb in keys and keys.index(ka) != keys.index(kb):
            return True
    return False


def story_links(
    articles: Mapping[str, Iterable[tuple[str, str]]],
    apart: Sequence[tuple[str, ...]] = (),
) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(article, short name, kind) → the (full name, kind) the article's story uses for it.

    resolve() works on distinct names, so a bare surname is one name library-wide although it
    is a footballer in one story and a politician in another. Here a one-word person or org name
    takes the full name used by the article's story: its STORY_SIZE nearest neighbours among
    the articles sharing at least STORY_SHARED other names with it, each weighted by how many.
    Neighbours come from an inverted index of name → articles that skips names in more than
    STORY_COMMON articles, so no two articles are compared unless they share a distinctive
    name. The winner must have DOMINANT times the runner-up's weight, else the name is left to
    resolve(). Where the article itself names several full names that fit ("Marta Kovac",
    "Jan Kovac"; voting then left "Kovac" alone) the story picks among those. A name the
    library writes as a place is never linked, nor across a user's never/split row (apart).
    """
    names_of = {aid: set(names) for aid, names in articles.items()}
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for aid, names in names_of.items():
        for n in names:
            postings[n].append(aid)
    fulls: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for n, found in postings.items():
        if len(found) >= STORY_SEEN:
            for key in _full_keys(*n):
                fulls[key].add(n)
    places = {name for name, kind in postings if kind in PLACE_KINDS}
    bare_of = {aid: {name for name, _ in names} for aid, names in names_of.items()}

    links: dict[tuple[str, str, str], tuple[str, str]] = {}
    for aid, names in names_of.items():
        shorts: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
        for n in names:
            if n[0] in places:
                continue
            cands: dict[tuple[str, str], str] = {}
            for how, key in _short_keys(*n):
                for c in fulls.get((how, key), ()):
                    cands.setdefault(c, how)  # a surname before a first name
            own = {c: how for c, how in cands.items() if c in names}
            if own or cands:
                shorts[n] = own or cands
        if not shorts:
            continue
        shared: Counter[str] = Counter()
        for n in names:
            if n not in shorts and len(postings[n]) <= STORY_COMMON:
                shared.update(postings[n])
        del shared[aid]
        nearest = sorted(shared.items(), key=lambda bw: (-bw[1], bw[0]))[:STORY_SIZE]
        neighbours = [(b, w) for b, w in nearest if w >= STORY_SHARED]
        for short, cands in shorts.items():
            target = _story_choice(short[0], cands, neighbours, names_of, bare_of)
            if target is None or _apart(short[0], target[0], apart):
                continue
            # Either side labelled a person makes it one: the model often calls a person an
            # organisation, and resolve() joins spellings of persons only.
            kind = "PERSON" if "PERSON" in (short[1], target[1]) else target[1]
            links[(aid, *short)] = (target[0], kind)
    return links


def _story_choice(
    short: str,
    cands: Mapping[tuple[str, str], str],
    neighbours: Sequence[tuple[str, int]],
    names_of: Mapping[str, set[tuple[str, str]]],
    bare_of: Mapping[str, set[str]],
) -> tuple[str, str] | None:
    """The candidate the neighbours name far more than any other person or org, if any."""
    by_identity: Counter[tuple[str, ...]] = Counter()
    by_name: Counter[tuple[str, str]] = Counter()
    alone = 0
    for b, w in neighbours:
        found = cands.keys() & names_of[b]
        by_name.update(dict.fromkeys(found, w))
        by_identity.update(dict.fromkeys({_identity(*c) for c in found}, w))
        alone += w if short in bare_of[b] else 0
    ranked = by_identity.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANT * ranked[1][1]):
        return None
    identity, weight = ranked[0]
    target = max((c for c in by_name if _identity(*c) == identity), key=lambda c: (by_name[c], c))
    # A first name or short org name the story writes alone far more often than the full name
    # is a name of its own ("Acme" is not a headline's "Considering Acme"); a
    # surname alone is how news writes a person.
    if cands[target] != "last" and alone > DOMINANT * weight:
        return None
    return target


# -- cross-source resolution ----------------------------------------------------------------


class _Sets:
    """Union-find whose roots carry "never" tags, so a forbidden merge is refused, not undone."""

    def __init__(self, sizes: Sequence[int]) -> None:
        self.parent = list(range(len(sizes)))
        self.size = list(sizes)
        self.never: list[dict[int, int]] = [{} for _ in sizes]

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        na, nb = self.never[ra], self.never[rb]
        if any(tag in nb and nb[tag] != side for tag, side in na.items()):
            return False
        if len(na) < len(nb):
            ra, rb, na, nb = rb, ra, nb, na
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        na.update(nb)
        return True

    def dominant(self, members: Iterable[int]) -> int | None:
        """The one set among members' sets, or the one mentioned DOMINANT times more than any
        other: where a bare "Bush" or "Saints" most likely belongs."""
        roots = {self.find(j) for j in members}
        ranked = sorted(roots, key=lambda r: -self.size[r])
        if not ranked:
            return None
        if len(ranked) == 1 or self.size[ranked[0]] >= DOMINANT * self.size[ranked[1]]:
            return ranked[0]
        return None


def _kind_class(kind: str) -> str:
    return "NORP" if kind == "NORP" else "X"


def resolve(groups: Iterable[NameGroup], user: UserRules = UserRules()) -> Resolution:
    """Cluster the library's names into entities; each merge records the rule behind it."""
    items = list(groups)
    sets = _Sets([g.count for g in items])
    keys = [name_key(g.name, g.kind) for g in items]
    joined_by: dict[int, str] = {}

    def join(a: int, b: int, rule: str) -> None:
        if sets.union(a, b):
            # Both sides: whichever becomes the display name, the other shows the rule.
            joined_by.setdefault(b, rule)
            joined_by.setdefault(a, rule)

    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, g in enumerate(items):
        by_key[(_kind_class(g.kind), keys[i])].append(i)
    surface_key: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(items):
        for s in {g.name, *g.surfaces}:
            surface_key[name_key(s, g.kind)].append(i)

    # User "never" first: tags refuse every later union, whatever rule proposes it.
    for tag, names in enumerate(user.apart):
        for side, name in enumerate(names):
            key = name_key(name, "")
            named = by_key.get(("X", key), []) + by_key.get(("NORP", key), [])
            for i in named or surface_key.get(key, []):
                sets.never[i].setdefault(tag, side)
    for rule, rows in (("user alias", user.same), ("user merge", user.merged)):
        for names in rows:
            members = [i for name in names for i in surface_key.get(name_key(name, ""), [])]
            for i in members[1:]:
                join(members[0], i, rule)

    for members in by_key.values():
        for i in members[1:]:
            join(members[0], i, "same name")

    # Persons: first and last names agree after transliteration folding; a first name that
    # starts another (Fred, Frederick) with the same surname is the same person.
    by_surname: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, g in enumerate(items):
        parts = person_parts(g.name) if g.kind == "PERSON" else None
        if parts:
            by_surname[fold(parts[1])][fold(parts[0])].append(i)
    for firsts in by_surname.values():
        for members in firsts.values():
            for i in members[1:]:
                same = keys[i] == keys[members[0]]
                join(
                    members[0],
                    i,
                    "same name" if same else _person_rule(items[members[0]].name, items[i].name),
                )
        names = sorted(firsts)
        for a, b in itertools.pairwise(names):
            if len(a) >= 3 and b.startswith(a):
                join(firsts[a][0], firsts[b][0], "first-name variant")
        # A diminutive is a stem plus -ie/-y (folded to a final i) where the full name goes on
        # with a consonant: Katie ~ Kathryn, but Jamie is not James (the i is the name's own).
        for a in names:
            stem = a[:-1]
            if a.endswith("i") and len(stem) >= 3:
                for b in names:
                    if len(b) > len(a) and b.startswith(stem) and b[len(stem)] not in "aeiou":
                        join(firsts[b][0], firsts[a][0], "first-name variant")

    # A headline-glued "Lindsay Lohan Checks Into Rehab" starts with a known two-word name.
    two_word: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(items):
        if g.kind == "PERSON" and len(g.name.split()) == 2:
            two_word[keys[i]].append(i)
    for i, g in enumerate(items):
        words = g.name.split()
        if g.kind == "PERSON" and len(words) > 2:
            root = sets.dominant(two_word.get(name_key(" ".join(words[:2]), "PERSON"), ()))
            if root is not None:
                join(root, i, "longer form")

    # A surname alone (or a same-named NORP the model mislabelled) joins the full name it can
    # belong to: the only one, or one mentioned far more often than any other.
    surname_taken: set[int] = set()
    for i, g in enumerate(items):
        if g.kind in ("PERSON", "NORP") and person_parts(g.name) is None:
            words = tokens(g.name)
            firsts = by_surname.get(fold(words[-1])) if words else None
            if firsts:
                surname_taken.add(i)
                root = sets.dominant(j for ms in firsts.values() for j in ms)
                if root is not None:
                    join(root, i, "surname")

    # A first name alone ("Lindsay") that is no one's surname joins the one full name with that
    # first name; a common first name has many and stays alone.
    # Exact spelling: folding is for transliterated surnames, and Marvin is not Marfin.
    by_first: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(items):
        parts = person_parts(g.name) if g.kind == "PERSON" else None
        if parts:
            by_first[parts[0]].append(i)
    for i, g in enumerate(items):
        words = tokens(g.name)
        if g.kind == "PERSON" and len(words) == 1 and i not in surname_taken:
            root = sets.dominant(by_first.get(words[0], ()))
            # "Oscar" written far more often alone than one "Oscar Maximillian" is a name of
            # its own.
            if root is not None and g.count <= DOMINANT * sets.size[root]:
                surname_taken.add(i)
                join(root, i, "first name")

    # Acronyms: US ~ United States, when exactly one spelled-out name has those initials.
    acronym_block: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(items):
        if g.kind not in ("PERSON", "NORP"):
            for a in initials(g.name):
                acronym_block[a].add(i)
    for i, g in enumerate(items):
        if g.kind in ("PERSON", "NORP") or not is_acronym(g.name):
            continue
        block = acronym_block.get(keys[i], set())
        root = sets.dominant(block)
        if root is None:
            continue
        # Without an article that spells it out ("the Associated Press (AP)"), an acronym far
        # commoner than its one candidate is more likely another name (BBC is not "Banstead
        # Baptist Church").
        spelled_out = any(
            sets.find(j) == root and keys[i] in {name_key(s, g.kind) for s in items[j].surfaces}
            for j in block
        )
        if spelled_out or g.count <= sets.size[root]:
            join(root, i, "acronym")

    # Short organisation names: Colts ~ Indianapolis Colts, when only one organisation fits.
    short_block: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(items):
        if g.kind == "ORG":
            for short in _org_short_forms(g.name, first=True):
                short_block[short].add(i)
    last_block: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(items):
        if g.kind == "ORG":
            for short in _org_short_forms(g.name, first=False):
                last_block[short].add(i)
    tail_block: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(items):
        if g.kind == "ORG":
            for tail in _org_tails(g.name):
                tail_block[tail].add(i)
    for i, g in enumerate(items):
        if i in surname_taken or g.kind not in ("ORG", "PERSON"):
            continue  # places are never shortened: Philadelphia is not "NBC Philadelphia"
        if " " in keys[i]:
            block = tail_block if g.kind == "ORG" else {}
        else:
            block = short_block if g.kind == "ORG" else last_block
        root = sets.dominant(block.get(keys[i], ()))
        # A word written far more often than the longer name is a name of its own.
        if root is not None and g.count <= SHORT_RATIO * sets.size[root]:
            join(root, i, "short name")

    return _collect(items, keys, sets, joined_by)


def entity_id(anchor_key: str, kind_class: str = "X") -> str:
    """A stable id: the hash of the entity's smallest member key (and NORP apart)."""
    digest = hashlib.sha1(f"{kind_class}:{anchor_key}".encode()).hexdigest()
    return "e" + digest[:11]


def _why_in_article(surface: str, name: str, where: str = "article") -> str:
    if is_acronym(surface):
        return f"acronym in {where}"
    if len(surface.split()) == 1 and len(name.split()) > 1:
        same_last = fold(surface) == fold(name.split()[-1])
        return f"surname in {where}" if same_last else f"short name in {where}"
    return "same name"


def _why(alias: str, display: str, kind: str, recorded: str) -> str:
    """The rule that best explains an alias next to the display name: the union that attached
    a group may have joined it to another alias, not to the display name itself."""
    if recorded.startswith("user"):
        return recorded
    if name_key(alias, kind) == name_key(display, kind):
        return "same name"
    if is_acronym(alias) and name_key(alias, kind) in initials(display):
        return "acronym"
    parts, display_parts = person_parts(alias), person_parts(display)
    if parts and display_parts and [fold(p) for p in parts] == [fold(p) for p in display_parts]:
        return _person_rule(alias, display)
    return recorded


def _person_rule(a: str, b: str) -> str:
    """Why two person names whose first and last names agree once folded are one: the same
    names with a middle name or initial more, or a transliteration (Kadhimi ~ Kazemi)."""
    parts_a, parts_b = person_parts(a), person_parts(b)
    return "same first and last name" if parts_a == parts_b else "transliteration"


def _collect(
    items: list[NameGroup], keys: list[str], sets: _Sets, joined_by: dict[int, str]
) -> Resolution:
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[sets.find(i)].append(i)
    entity_of: dict[tuple[str, str], str] = {}
    entities: dict[str, ResolvedEntity] = {}
    for group in members.values():
        kinds: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for i in group:
            kinds[items[i].kind] += items[i].count
            names[items[i].name] += items[i].count
        kind = max(kinds, key=lambda k: (kinds[k], k))
        # The commonest full form, unless a short name is far commoner (FBI, Lionsgate).
        top = max(names, key=lambda s: (names[s], len(s), s))
        full = [s for s in names if len(s.split()) > 1]
        display = max(full, key=lambda s: (names[s], len(s), s)) if full else top
        # People keep their full name: "Brian Nichols", however often "Nichols" alone.
        if kind != "PERSON" and names[top] > DOMINANT * names[display]:
            display = top
        anchor = min(keys[i] for i in group)
        eid = entity_id(anchor, _kind_class(kind))
        while eid in entities:
            eid = entity_id(anchor + "#" + eid, _kind_class(kind))
        aliases: dict[str, str] = {}
        for i in sorted(group, key=lambda i: -items[i].count):
            rule = _why(items[i].name, display, kind, joined_by.get(i, "same name"))
            if items[i].name != display:
                aliases.setdefault(items[i].name, rule)
            story = {display_form(s) for s in items[i].story}
            for s in {display_form(s) for s in items[i].surfaces}:
                where = "story" if s in story else "article"
                if s != display and s not in aliases:
                    aliases[s] = (
                        _why_in_article(s, items[i].name, where) if s != items[i].name else rule
                    )
            entity_of[(items[i].name, items[i].kind)] = eid
        entities[eid] = ResolvedEntity(
            id=eid,
            name=display,
            kind=kind,
            aliases=sorted(aliases.items()),
            keys=sorted({keys[i] for i in group}),
        )
    return Resolution(entity_of=entity_of, entities=entities)
