"""Story links: a bare short name takes the full name its article's story uses.

resolve() works on distinct names library-wide; a surname is a footballer in one story and a
politician in another, so before resolving, each article's one-word names are linked through
the articles nearest to it (see story_links).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .names import (
    DOMINANT,
    PLACE_KINDS,
    fold,
    is_acronym,
    name_key,
    org_short_forms,
    particle_surname,
    person_parts,
    tokens,
)

STORY_COMMON = 50  # a name in more articles than this says little about which story one is in
STORY_SHARED = 2  # an article sharing this many other names with another is its neighbour
STORY_SIZE = 10  # an article's story: its nearest neighbours
STORY_SEEN = 2  # a full name one article wrote may be headline glue ("Says Kovac")
SHORT_KINDS = frozenset({"PERSON", "ORG", "NORP"})
# The model labels a team or a company ORG in one sentence and FAC in the next ("the
# Jacksonville Jaguars" play at a stadium): as full names a short one stands for, they are one.
ORG_LIKE = frozenset({"ORG", "FAC"})


def _short_keys(name: str, kind: str) -> list[tuple[str, str]]:
    """Index keys a one-word name may be short for: a folded surname, a first name (spelled
    exactly, as in resolve()), a short org name. Places are never shortened."""
    words = tokens(name)
    if _initial(name, kind):  # "M. Quell": a surname with an initial the candidate must share
        return [("last", fold(words[1]))]
    surname = particle_surname(name) if kind == "PERSON" else None
    if surname:  # "Lo Presti": a surname with its particle
        return [("last", fold(surname))]
    if kind not in SHORT_KINDS or len(words) != 1:
        return []
    if is_acronym(name):  # an acronym is never a surname or a first name
        return [("org", name_key(name, kind))]
    out = [("last", fold(words[0]))]
    if kind == "PERSON":
        out.append(("first", words[0]))
        out.append(("org last", name_key(name, kind)))
    elif kind == "ORG":
        out.append(("org", name_key(name, kind)))
    return out


def _initial(name: str, kind: str) -> str | None:
    """The initial of a person written as an initial and a surname ("M. Quell", "M Quell"),
    lowercase; None for any other name (an acronym "U. S." is no initial)."""
    words = name.split()
    if kind != "PERSON" or len(words) != 2 or is_acronym(name) or is_acronym(words[1]):
        return None
    first = words[0].rstrip(".")
    return first.lower() if len(first) == 1 and first.isupper() and words[1][:1].isupper() else None


def _full_keys(name: str, kind: str) -> list[tuple[str, str]]:
    """The keys under which _short_keys finds a full name (as resolve() blocks them)."""
    if kind == "PERSON":
        parts = person_parts(name)
        return [("last", fold(parts[1])), ("first", parts[0])] if parts else []
    if kind in ORG_LIKE:
        return [("org", k) for k in org_short_forms(name, first=True)] + [
            ("org last", k) for k in org_short_forms(name, first=False)
        ]
    return []


def _identity(name: str, kind: str) -> tuple[str, ...]:
    """Who a full name is, as resolution will see it: Jane Doe and Jane Q. Doe are one, so
    they do not split their story's vote."""
    parts = person_parts(name) if kind == "PERSON" else None
    if parts:
        return (kind, fold(parts[0]), fold(parts[1]))
    return ("ORG" if kind in ORG_LIKE else kind, name_key(name, kind))


def _first_initial(full: tuple[str, str]) -> str | None:
    parts = person_parts(full[0]) if full[1] == "PERSON" else None
    return parts[0][0] if parts else None


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
    story writes mostly as a place is never linked, nor across a user's never/split row (apart).
    """
    counts = {aid: Counter(names) for aid, names in articles.items()}
    names_of = {aid: set(names) for aid, names in counts.items()}
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

    links: dict[tuple[str, str, str], tuple[str, str]] = {}
    for aid, names in names_of.items():
        shorts: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
        for n in names:
            cands: dict[tuple[str, str], str] = {}
            for how, word in _short_keys(*n):
                for c in fulls.get((how, word), ()):
                    cands.setdefault(c, how)  # a surname before a first name
            initial = _initial(*n)
            if initial:  # "J. Kovac" is Jan, not Marta; "M. Kovac" with no M is a middle name
                cands = {c: h for c, h in cands.items() if _first_initial(c) == initial} or cands
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
        if not neighbours:
            neighbours = _short_piece_neighbours(shorts.values(), shared, postings)
        story = [(aid, 0), *neighbours]
        for short, cands in shorts.items():
            if short[0] in places and _mostly_a_place(short[0], story, counts):
                continue
            target = _story_choice(short[0], cands, story, counts)
            if target is None or _apart(short[0], target[0], apart):
                continue
            # Either side labelled a person makes it one: the model often calls a person an
            # organisation, and resolve() joins spellings of persons only.
            kind = "PERSON" if "PERSON" in (short[1], target[1]) else target[1]
            links[(aid, *short)] = (target[0], kind)
    return links


def _short_piece_neighbours(
    candidates: Iterable[Mapping[tuple[str, str], str]],
    shared: Counter[str],
    postings: Mapping[tuple[str, str], list[str]],
) -> list[tuple[str, int]]:
    """Neighbours of an article too short to share STORY_SHARED names with any other ("Dr
    Quill" and one outlet's name): the articles sharing a name with it count one more for
    each full name its bare names may stand for that they write. Only for an article with no
    neighbour otherwise, so a story's own articles are never outvoted by another story's."""
    boosted = Counter(shared)
    for cands in candidates:
        near = {b for c in cands if len(postings[c]) <= STORY_COMMON for b in postings[c]}
        boosted.update(near & shared.keys())
    nearest = sorted(boosted.items(), key=lambda bw: (-bw[1], bw[0]))[:STORY_SIZE]
    return [(b, w) for b, w in nearest if w >= STORY_SHARED]


def _mostly_a_place(
    name: str, story: Sequence[tuple[str, int]], counts: Mapping[str, Counter[tuple[str, str]]]
) -> bool:
    """True when the story writes name as a place at least as often as otherwise: Lake
    Brenn's "Brenn" is not short for a "Brenn Ridge" club. Counted in the story only, so a
    place of that name in another story changes nothing here."""
    place = other = 0
    for b, _ in story:
        for (n, kind), c in counts[b].items():
            if n == name:
                place, other = (place + c, other) if kind in PLACE_KINDS else (place, other + c)
    return place >= other


def _story_choice(
    short: str,
    cands: Mapping[tuple[str, str], str],
    story: Sequence[tuple[str, int]],
    counts: Mapping[str, Counter[tuple[str, str]]],
) -> tuple[str, str] | None:
    """The candidate the story names far more than any other person or org, if any.

    story is the article itself (weight 0) and its neighbours (weighted by the names they
    share). First the neighbours' weighted vote; where it is not clear, the mentions the
    story writes of each candidate ("Gray" in a story of Kimani Gray, written ten times, and
    his mother, written once, is Kimani Gray), as resolution weighs a bare surname but within
    the story only, so other stories never change the choice.
    """
    by_identity: Counter[tuple[str, ...]] = Counter()
    by_name: Counter[tuple[str, str]] = Counter()
    written: Counter[tuple[str, ...]] = Counter()
    alone = 0
    for b, w in story:
        found = cands.keys() & counts[b].keys()
        by_name.update({c: w or 1 for c in found})
        for c in found:
            written[_identity(*c)] += counts[b][c]
        by_identity.update(dict.fromkeys({_identity(*c) for c in found}, w))
        alone += sum(n for (name, _), n in counts[b].items() if name == short)
    ranked = [r for r in by_identity.most_common(2) if r[1]]
    if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANT * ranked[1][1]):
        ranked = written.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] < DOMINANT * ranked[1][1]):
            return None
    identity = ranked[0][0]
    target = max((c for c in by_name if _identity(*c) == identity), key=lambda c: (by_name[c], c))
    # A first name or an org's first word the story writes alone far more often than the
    # full name is a name of its own ("Acme" is not a headline's "Considering Acme"); a
    # surname alone is how news writes a person, and a last word how it writes a team
    # ("Colts" is the Indianapolis Colts).
    how = cands[target]
    last_word = name_key(target[0].split()[-1], target[1]) == name_key(short, target[1])
    if how != "last" and not last_word and alone > DOMINANT * written[identity]:
        return None
    return target
