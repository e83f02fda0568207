"""Marking names where the model missed them, and finding the names worth looking up.

A model misses many mentions of a name it found elsewhere; these functions find every
whole-word occurrence of known names in one pass over a text (never a str.find per name: a long
article has both many names and much text).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .glue import lowercase_words
from .names import COMMON_CAPS, TITLES, core_tokens, person_parts


@dataclass(frozen=True)
class ArticleMention:
    """A mention after voting: name is the article's canonical name for its entity."""

    start: int
    end: int
    text: str
    kind: str
    name: str


_WORD = re.compile(r"\w+")
_TITLE_BEFORE = re.compile(r"(?<![\w.'’-])([A-Z][a-z]*\.?) $")


def with_title(text: str, m: ArticleMention) -> ArticleMention:
    """A person's mention with the titles written just before it ("Mr. Quill's", "Prime
    Minister Quill"): the text's mention is the whole, as a reader (and a coreference gold)
    marks it, while the name stays the person's. Only capitalised titles of address or office
    on the same line; "the president, Quill" has none."""
    if m.kind != "PERSON":
        return m
    start = m.start
    while (title := _TITLE_BEFORE.search(text, max(0, start - 16), start)) and title.group(
        1
    ).rstrip(".").lower() in TITLES:
        start = title.start()
    if start == m.start:
        return m
    return ArticleMention(start, m.end, text[start : m.end], m.kind, m.name)


def whole_word_matches(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
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


POSSESSIVE_END = re.compile(r"\w['’]s$")
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
                phrase = text[run[i].start() : run[j].end()]
                out.add(phrase)
                if _capitals(phrase):
                    out.add(phrase.title())  # "RED SOX" in a headline looks up "Red Sox"
    return out


def _capitals(surface: str) -> bool:
    """True for a phrase written in capitals with at least four letters (a headline's "RED
    SOX"): shorter ones are acronyms, which are written so everywhere."""
    return surface.isupper() and sum(c.isalpha() for c in surface) >= 4


def fill_known(
    text: str, mentions: Sequence[ArticleMention], known: Mapping[str, str]
) -> list[ArticleMention]:
    """Mark names the library already knows (surface → kind) where the model missed them.

    A single word at a sentence start is only marked when the article never writes it in
    lowercase: there "People" or "Police" is far more often a plain word than the magazine,
    while a surname ("Quill said") is written capitalised everywhere. A headline in capitals
    ("QUILL JOINS RED SOX") is looked up title-cased, under the same condition: "THREE PEOPLE
    DIED" names no magazine where the article writes "people". A possessive is no part of
    the name: "Dana Quill's" is looked up as "Dana Quill".
    """
    plain: set[str] | None = None
    covered = sorted((m.start, m.end) for m in mentions)
    starts = [c[0] for c in covered]
    added: list[ArticleMention] = []
    for run in _capitalised_runs(text):
        i = 0
        while i < len(run):
            for j in range(min(i + MAX_NAME_WORDS, len(run)) - 1, i - 1, -1):
                start, end = run[i].start(), run[j].end()
                if POSSESSIVE_END.search(text, start, end) and text[start : end - 2] in known:
                    end -= 2  # "Dana Quill's": the library knows "Dana Quill"
                surface = text[start:end]
                name = surface.title() if _capitals(surface) and surface not in known else surface
                kind = known.get(name)
                if kind is None or name in COMMON_CAPS:
                    continue
                if (i == j and _sentence_start(text, start)) or name != surface:
                    plain = lowercase_words(text) if plain is None else plain
                    if name.lower() in plain:
                        continue
                k = bisect.bisect_right(starts, start)
                if (k and covered[k - 1][1] > start) or (k < len(covered) and covered[k][0] < end):
                    continue
                added.append(with_title(text, ArticleMention(start, end, surface, kind, name)))
                i = j
                break
            i += 1
    if not added:
        return list(mentions)
    return sorted([*mentions, *added], key=lambda m: m.start)


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


STORY_SHARED_NAMES = 2  # two articles sharing this many names tell one story (as stories.py)


def fill_story_surnames(
    texts: Mapping[str, str], voted: Mapping[str, Sequence[ArticleMention]]
) -> dict[str, list[ArticleMention]]:
    """Mark a bare surname the model missed ("Lyle said.") where another article of the batch
    that tells the same story (shares two names with this one) writes the full name
    ("Dana Lyle") and no other full name of the story or the article has that surname.

    An outlet names a spokesperson in full once, another only by surname; the model misses a
    bare surname far more often than a full name. Only a capitalised word standing alone (no
    capitalised neighbour) that the article never writes in lowercase, never over a mention.
    The mention gets the full name, as a surname inside its own article does. Articles of one
    batch only: a story's articles are read as they arrive together (a library's stories
    are grouped later)."""
    names = {aid: {m.name for m in ms} for aid, ms in voted.items()}
    fulls: dict[str, dict[str, set[str]]] = {}  # article → surname → full names
    for aid, ms in voted.items():
        by_surname: dict[str, set[str]] = defaultdict(set)
        for m in ms:
            parts = person_parts(m.name) if m.kind == "PERSON" else None
            if parts and " " in m.name:
                by_surname[parts[1]].add(m.name)  # "Dana Lyle Jr": Lyle
        fulls[aid] = by_surname
    out = {aid: list(ms) for aid, ms in voted.items()}
    for aid, text in texts.items():
        story: dict[str, set[str]] = defaultdict(set)
        for other, surnames in fulls.items():
            if other != aid and len(names[aid] & names[other]) >= STORY_SHARED_NAMES:
                for surname, full in surnames.items():
                    story[surname] |= full
        if not story:
            continue
        own = fulls.get(aid, {})
        other_kinds = {m.text for m in voted[aid] if m.kind != "PERSON"}
        covered = sorted((m.start, m.end) for m in voted[aid])
        starts = [c[0] for c in covered]
        plain: set[str] | None = None
        added = []
        for run in _capitalised_runs(text):
            if len(run) != 1:
                continue
            start, end = run[0].start(), run[0].end()
            if POSSESSIVE_END.search(text, start, end):
                end -= 2
            word = text[start:end]
            key = " ".join(core_tokens(word))
            full = story.get(key, set()) | own.get(key, set())
            if len(full) != 1 or word in COMMON_CAPS or word in other_kinds:
                continue
            plain = lowercase_words(text) if plain is None else plain
            if word.lower() in plain:
                continue  # "Deputy", "Women": a plain word glued into a headline's "name"
            k = bisect.bisect_right(starts, start)
            if (k and covered[k - 1][1] > start) or (k < len(covered) and covered[k][0] < end):
                continue
            added.append(ArticleMention(start, end, word, "PERSON", next(iter(full))))
        if added:
            out[aid] = sorted([*out[aid], *added], key=lambda m: m.start)
    return out
