"""Name keys: how crosswire decides two spellings may name one thing.

Word lists, tokens, the normalised key, transliteration folding, person parts, initials and
the short forms of organisation names. Pure functions on strings (cached: a library calls them
for every mention), shared by voting, story links and resolution so all three agree on what a
surname or a short org name is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii


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
# Titles of address and office written before a name ("Mr. Quill", "President Quill"): a
# mention's span keeps them as the text writes them (the name and its key drop them); job
# words among HONORIFICS ("Singer", "Coach") describe rather than address, and stay out.
TITLES = _words(
    """    adm ambassador ayatollah capt captain chancellor col dr gen general gov governor imam
    judge justice king lady lord lt maj mayor minister miss mr mrs ms pm pope premier president
    prime prince princess prof queen rev sen senator sergeant sgt sheikh sir"""
)


def drop_titles(surface: str, kind: str) -> str:
    """A person's surface without the titles a mention's span keeps ("Mr. Quill" → "Quill"):
    lists of names and the library check compare names, not how a sentence addressed them.
    Other kinds keep every word ("King County")."""
    if kind != "PERSON":
        return surface
    words = surface.split()
    while len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        words = words[1:]
    return " ".join(words) if len(words) < len(surface.split()) else surface


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
# Words the model labels as names that never are alone: time zones ("14:39 GMT" is no
# organisation) and abbreviated military or police ranks ("Sgt" is no person).
NOT_NAMES = _words(
    """    gmt utc bst cet cest eet eest wet ist jst aest aedt est edt cst cdt mst mdt pst pdt akst
    akdt hst sgt cpl pvt lt capt maj col gen adm brig cmdr insp supt"""
)
DOMINANT = 3  # a surname joins the commonest full name when it has 3x the next
SHORT_RATIO = 5  # a short org name joins a longer one mentioned at least a fifth as often
PLACE_KINDS = frozenset({"GPE", "LOC", "FAC"})
ACRONYM_SURFACE = re.compile(r"^(?:[A-Z]\.\s?)+[A-Z]\.?$|^[A-Z]{2,6}$|^[A-Z]&[A-Z]$")
# Initials written with spaces ("U. S.", "K. C."): the spaces go, so "U. S." keys as "U.S.".
SPACED_INITIALS = re.compile(r"(?<![\w.])([A-Z])\.\s+(?=[A-Z]\.?(?:\s|$|[^\w]))")
# A capitalised two-letter word ("Us", the magazine; "It") is a word, not the acronym "US".
TWO_LETTER_WORD = re.compile(r"^[A-Z][a-z]$")


def tokens(name: str) -> list[str]:
    """Lowercase ASCII word tokens: apostrophes and periods vanish (Kata'ib, U.S.); hyphens
    split words."""
    return list(_tokens(name))


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    name = SPACED_INITIALS.sub(r"\1.", name.strip())
    ascii_name = anyascii(re.sub(r"['’]s$", "", name)).lower()
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
    if TWO_LETTER_WORD.match(name.strip()):
        return "~" + toks[0]  # never the key of the acronym written in capitals
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
    """(first, last) name tokens of a multi-token person name, honorifics dropped; None when
    the name ends in an acronym ("Benjamin U. S." is glue, U.S. is no one's surname)."""
    words = name.split()
    if len(words) > 1 and is_acronym(SPACED_INITIALS.sub(r"\1.", name).split()[-1]):
        return None
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
    # "U.S. Senate" is not spelled "US": an acronym that is one of the words is that word.
    return {a for a in (full, short) if len(a) >= 2 and a not in words}


def is_acronym(surface: str) -> bool:
    return bool(ACRONYM_SURFACE.match(surface.strip()))


def has_org_word(name: str) -> bool:
    return any(t in ORG_WORDS for t in core_tokens(name))


def display_form(surface: str) -> str:
    """A surface as a display name: brackets dropped, whitespace folded."""
    return " ".join(re.sub(r"[\[\]{}()]", "", surface).split())


def org_short_forms(name: str, first: bool) -> list[str]:
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


def org_tails(name: str) -> list[str]:
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


def particle_surname(name: str) -> str | None:
    """The surname token of a surname written with its particle alone ("Lo Presti", "De
    Vell" → "presti", "vell"), as person_parts gives it for the full name; None otherwise."""
    toks = core_tokens(name)
    return toks[1] if len(toks) == 2 and toks[0] in SURNAME_PARTICLES else None


def first_names_agree(a: str, b: str) -> bool:
    """True when two person names' first names may be one person's: equal once folded, one
    the start of the other (Fred, Frederick) or a diminutive of it (Katie, Kathryn). A name
    without a first name (a surname alone) agrees with any."""
    pa, pb = person_parts(a), person_parts(b)
    if not pa or not pb:
        return True
    x, y = sorted((fold(pa[0]), fold(pb[0])), key=len)
    if x == y or (len(x) >= 3 and y.startswith(x)):
        return True
    stem = x[:-1]  # a diminutive, folded: a stem and a final i (Katie → kati)
    return x.endswith("i") and len(stem) >= 3 and y.startswith(stem) and y[len(stem)] not in "aeiu"


_ABBREVIATED = {"mt": "mount", "ft": "fort"}
_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")


def spelled_letters(name: str) -> str:
    """A name's core tokens run together, -ise/-isation written -ize/-ization, Mt and Ft
    written out: "Nova Tech", "NovaTech" and "Nova-Tech" give one string (rule "spelling
    variant")."""
    words = [_ABBREVIATED.get(t, t) for t in core_tokens(name)]
    return "".join(_ISE.sub(r"iz\1", t) for t in words)
