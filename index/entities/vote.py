"""Per-article voting: cleaned spans, one kind and one canonical name per name in an article.

Spans are cleaned (quotes, "the", honorifics, possessives, trailing lowercase words, headline
glue); within one article a name keeps one kind (weighted vote; an org word makes a name an
ORG); a surname, first name, short org name or acronym joins the one full name the article
uses; names the article established are marked where the model missed them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import ENTITY_KINDS
from .fill import ArticleMention, whole_word_matches, with_title
from .glue import lowercase_words, trim_plain_words
from .lists import ROMAN, SHORT_ACRONYM, TRAILING_ACRONYM, in_list, split_commas
from .names import (
    ARABIC_ARTICLE,
    ARTICLES,
    COMMON_CAPS,
    GLOSSARY,
    HONORIFICS,
    NOT_NAMES,
    PLACE_KINDS,
    core_tokens,
    display_form,
    has_org_word,
    initials,
    is_acronym,
    name_key,
    org_short_forms,
    particle_surname,
    person_parts,
    tokens,
)
from .ner import RawMention
from .nicknames import nickname_pairs

# Marks at a name's edges that are no part of it (a trademark sign too: "Acme Awards®").
TRIM = " \t\r\n\"'`“”‘’«»()[]{}<>,.;:!?*|/\\—–-•·®™©"
# A quotation mark: TeX-style `` and '', straight and curly double quotes, and a single quote
# that opens a word ("his 'Murder' charge"; O'Brien's apostrophe is inside a word).
QUOTE = re.compile(r"``|''|[\"“”]|(?:(?<=^)|(?<=[\s,(]))['‘]")
POSSESSIVE = re.compile(r"(?:['’]s|s['’]|['’])$")


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
        while start < end and text[start] in TRIM:
            start += 1  # the "Commission
    # Names do not end in a lowercase word: "Thompson in", "Ross doesn".
    while (tail := re.search(r"\s+(\S+)$", text[start:end])) and ARABIC_ARTICLE.sub(
        "", tail.group(1)
    )[:1].islower():
        end -= len(tail.group())
    poss = POSSESSIVE.search(text[start:end])
    if poss and end - start - len(poss.group()) > 1:
        end -= len(poss.group())
        while end > start and text[end - 1].isspace():
            end -= 1  # a tokenised "Fry ’ s"
    if m.label == "PERSON":
        # "Regina Benjamin U. S. Surgeon General" cut to a name: no surname is an acronym.
        tail = TRAILING_ACRONYM.search(text[start:end])
        head = text[start : start + tail.start()] if tail else ""
        if tail and tail.group(1) not in ROMAN and any(c.islower() for c in head):
            end = start + tail.start()
        while True:
            first = re.match(r"[\w]+\.?\s+", text[start:end])
            if not first or first.group().strip(" .").lower() not in HONORIFICS:
                break
            start += len(first.group())
    surface = text[start:end]
    if end - start < 2 or not any(c.isupper() for c in surface) or "\n" in surface:
        return None
    if tokens(surface) and len(tokens(surface)) == 1 and tokens(surface)[0] in NOT_NAMES:
        return None  # a time zone or a rank alone
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


def _split_quotes(m: RawMention) -> list[RawMention]:
    """A span with an unbalanced quotation mark inside ("Focus Group ``Open Day Conference",
    "Mark ``") runs into or out of a quotation: the model glued a name to a quoted title.
    Each side of the marks is a name of its own (or debris _clean drops); a quoted nickname
    between balanced marks (Vincent "The Chin" Gigante) stays whole."""
    # Marks at the span's edges are trimmed by _clean: "Guild ``Open Day''" has one inside.
    edge = " \"'`“”‘’"
    first, last = len(m.text) - len(m.text.lstrip(edge)), len(m.text.rstrip(edge))
    marks = [q for q in QUOTE.finditer(m.text) if q.start() >= first and q.end() <= last]
    if len(marks) % 2 == 0:
        return [m]
    out, pos = [], 0
    for q in [*marks, None]:
        end = q.start() if q else len(m.text)
        piece = m.text[pos:end]
        if piece.strip():
            out.append(RawMention(m.start + pos, m.start + end, piece, m.label))
        pos = q.end() if q else end
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
    plain = lowercase_words(text) if any(headline) else set()
    for s, h in zip(spans, headline, strict=True):
        toks = core_tokens(s.name)
        trimmed = trim_plain_words(text, s.start, s.end, plain, established_keys) if h else None
        if trimmed:
            s.start, s.end = trimmed
            s.name = display_form(text[s.start : s.end])
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


def _drop_org_lead(text: str, spans: list[_Span]) -> None:
    """ "Considering Acme recently …": a sentence-initial word glued before an organisation
    the article writes alone at least twice. The lead goes when the article never writes that
    word capitalised inside a sentence, so it is a plain word that opened the sentence; a
    "Brennport Rovers" whose city the article names elsewhere stays whole."""
    alone = Counter(name_key(s.name, "") for s in spans)
    for s in spans:
        lead = re.match(r"(\w+) (?=\w)", text[s.start : s.end])
        if s.label != "ORG" or not lead or not _opens_sentence(text, s.start):
            continue
        rest = name_key(text[s.start + lead.end() : s.end], "")
        word = re.compile(rf"(?<![\w'’-]){re.escape(lead.group(1))}(?![\w'’-])")
        inside = any(not _opens_sentence(text, m.start()) for m in word.finditer(text))
        if alone[rest] >= 2 and not inside:
            s.start += lead.end()
            s.name = display_form(text[s.start : s.end])


def _opens_sentence(text: str, start: int) -> bool:
    """True when start opens a sentence or a line (after quotes and brackets)."""
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


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
    """ "Wasilla, Alaska" is one place: the region only says which Wasilla. Not in a list:
    "India, Egypt and Brazil" are three places."""
    out: list[_Span] = []
    for k, span in enumerate(spans):
        if (
            out
            and out[-1].label in PLACE_KINDS
            and span.label == "GPE"
            and text[out[-1].end : span.start] == ", "
            and out[-1].region_of is None
            and not in_list(text, spans, k)
        ):
            out[-1].end = span.end
            out[-1].region_of = out[-1].name
            continue
        out.append(span)
    return out


# Labels the model gives names it took for a title or a thing ("Jermayne" as a PRODUCT,
# "The Quill Tigers" as a WORK_OF_ART): kept only when the article names the same as an entity.
MISTAKEN_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT"})


def _relabel_named(raw: Sequence[RawMention]) -> list[RawMention]:
    """The entity mentions of raw, with a name the model labelled a product, a work or an
    event taken as the entity the article names with it elsewhere: the same name (key) under
    an entity's label, or one word that is the first name or surname of a full person name
    the article writes. The model labels one span at a time and often reads a bare first name
    or a team as a product; the article's other mentions say what it is."""
    kept = [m for m in raw if m.label in ENTITY_KINDS]
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for m in kept:
        labels[name_key(m.text, "")][m.label] += 1
    person_words: set[str] = set()
    for m in kept:
        words = tokens(m.text)
        if m.label == "PERSON" and len(words) > 1 and " and " not in m.text:
            person_words.update((words[0], words[-1]))
    out = list(kept)
    for m in raw:
        if m.label not in MISTAKEN_LABELS:
            continue
        key = name_key(m.text, "")
        if key in labels:
            out.append(RawMention(m.start, m.end, m.text, labels[key].most_common(1)[0][0]))
        elif key in person_words and " " not in key:
            out.append(RawMention(m.start, m.end, m.text, "PERSON"))
    return out


# A capitalised name followed by one of these words is a place or a news outlet the model
# often misses ("Quarry Glacier", "Tolland Street", "The Harlow Courier", where it marks
# Harlow as a city): natural features are LOC, built ones FAC, newspapers ORG.
PLACE_HEADS = {
    **dict.fromkeys(("Glacier", "River", "Lake", "Creek", "Canyon"), "LOC"),
    **dict.fromkeys(
        ("Street", "Road", "Avenue", "Lane", "Boulevard", "Highway", "Bridge", "Square"), "FAC"
    ),
    **dict.fromkeys(
        (
            "Reporter",
            "Herald",
            "Times",
            "Post",
            "Journal",
            "Tribune",
            "Gazette",
            "Chronicle",
            "Courier",
            "Examiner",
            "Inquirer",
            "Observer",
            "Telegraph",
        ),
        "ORG",
    ),
}
_PLACE_RUN = re.compile(
    r"(?<![\w'’.-])((?:[A-Z][\w&.-]*\w |[A-Z] )+)(" + "|".join(PLACE_HEADS) + r")(?![\w'’-]| [A-Z])"
)


def _named_places(text: str, spans: list[_Span]) -> list[_Span]:
    """Mark "Quarry Glacier", "Tolland Street" or "Harlow Courier" where the model marked
    nothing or only a part ("Tolland" as a person): capitalised words before a place or
    newspaper word that ends them name that place or paper ("California Highway Patrol" is
    no highway; "Albany's First Street" is two). Leading words the article writes in
    lowercase ("Near", "The") opened the sentence; a title-cased headline, where every word
    is capitalised, is left alone."""
    plain: set[str] | None = None
    memo: dict[int, bool] = {}
    for m in _PLACE_RUN.finditer(text):
        if _in_headline(text, m.start(), memo):
            continue
        plain = lowercase_words(text) if plain is None else plain
        words = list(re.finditer(r"\S+", m.group(1)))
        while len(words) > 1 and words[0].group().lower() in plain | {"the", "a"}:
            words.pop(0)
        start, end = m.start() + words[0].start(), m.end()
        inside = [s for s in spans if start <= s.start and s.end <= end]
        crossing = [s for s in spans if s.start < end and start < s.end and s not in inside]
        if crossing or any((s.start, s.end) == (start, end) for s in inside):
            continue
        place = _Span(start, end, PLACE_HEADS[m.group(2)], name=display_form(text[start:end]))
        spans = sorted([*(s for s in spans if s not in inside), place], key=lambda s: s.start)
    return spans


def vote(text: str, raw: Sequence[RawMention]) -> list[ArticleMention]:
    """Give each name in one article one kind and one canonical name; mark missed mentions.

    raw may hold every label the model gave (the cache keeps DATE, LAW… for claims): only
    ENTITY_KINDS become mentions."""
    raw = _relabel_named(raw)
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
        for line in _split_lines(text, m)
        for u in split_commas(line)
        for p in _split_quotes(u)
        for q in _split_conjoined(p, persons)
        for r in _split_hyphen_pair(q, known)
    ]
    spans = [s for s in (_clean(text, m) for m in pieces) if s]
    spans = _join_glossary_neighbours(text, spans)
    for s in spans:
        s.name = display_form(text[s.start : s.end])
    spans = _drop_headline_glue(text, spans)
    _drop_common_lead(text, spans)
    _drop_org_lead(text, spans)
    spans = _named_places(text, spans)
    spans = _join_place_region(text, spans)
    for s in spans:
        surface = s.region_of or display_form(text[s.start : s.end])
        words = tokens(surface)
        if (s.label in ("PERSON", "NORP", "GPE") and has_org_word(surface) and len(words) > 1) or (
            len(words) == 1 and words[0] in GLOSSARY
        ):
            s.label = "ORG"
        if s.label == "PERSON" and SHORT_ACRONYM.match(surface):
            s.label = "ORG"  # a single all-caps token or initials is an acronym, not a person
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
    for a, b in nickname_pairs(text, spans):
        key_a, key_b = name_key(spans[a].name, ""), name_key(spans[b].name, "")
        if key_a != key_b:
            canonical[key_b] = canonical[key_a]  # "Mara Quell, known as 'the Heron'"
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
        last = org_short_forms(display[k], first=False)
        for short in org_short_forms(display[k], first=True):
            # "Microsoft" written 12 times is not short for one "Microsoft Fix it".
            if short in last or len(by_key.get(short, ())) <= len(by_key[k]):
                short_index[short].add(k)

    canonical: dict[str, tuple[str, str]] = {}
    for key in by_key:
        kind = kind_of[key]
        canonical[key] = (display[key], kind)
        surname = particle_surname(display[key]) if kind == "PERSON" else None
        if surname:  # "Lo Presti" is the article's one Gaetano Lo Presti
            people = {k for k in part_index.get(surname, set()) if k != key}
            if len(people) == 1:
                canonical[key] = (display[next(iter(people))], "PERSON")
            continue
        if " " in key:
            continue
        people, shorts = part_index.get(key, set()), short_index.get(key, set())
        if kind == "PERSON" and not people:
            people = _blended(display[key], persons, display)
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


BLEND = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]+)")


def _blended(word: str, persons: Sequence[str], display: dict[str, str]) -> set[str]:
    """The article's full names a blended nickname is made of: "LiLo" or "KaPo" takes the
    first letters of a first name and a surname ("Kara Polk"), each part two letters or
    more, written as one word with a capital inside. News coins these for the person it has
    just named; a plain word ("Lilo") has no capital inside and is never read so."""
    blend = BLEND.fullmatch(word)
    if not blend:
        return set()
    head, tail = blend.group(1).lower(), blend.group(2).lower()
    out = set()
    for k in persons:
        parts = person_parts(display[k])
        # The surname is the last word, or the second of a headline's glued "Kara Polk Wins".
        words = tokens(display[k])
        lasts = {parts[1], words[words.index(parts[0]) + 1]} if parts else set()
        if parts and parts[0].startswith(head) and any(w.startswith(tail) for w in lasts):
            out.add(k)
    return out


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
            if org_short_forms(target[0], first=False):
                add_term(words[-1], target)

    out: list[ArticleMention] = []
    for s in spans:
        name, kind = canonical[name_key(s.name, "")]
        out.append(
            with_title(text, ArticleMention(s.start, s.end, text[s.start : s.end], kind, name))
        )
    usable = {t: v for t, v in terms.items() if v is not None}
    covered = sorted((s.start, s.end) for s in spans)
    starts = [c[0] for c in covered]
    last_end = 0
    for start, end in whole_word_matches(text, usable):
        i = bisect.bisect_right(starts, start)
        if start < last_end or (i and covered[i - 1][1] > start):
            continue
        if i < len(covered) and covered[i][0] < end:
            continue
        name, kind = usable[text[start:end]]
        out.append(with_title(text, ArticleMention(start, end, text[start:end], kind, name)))
        last_end = end
    out.sort(key=lambda m: m.start)
    return out
