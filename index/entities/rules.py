"""Resolution rules: each a small named function that proposes unions of the library's names.

resolve() runs RULES in order over one Context: the distinct names (NameGroup), their keys, a
union-find whose roots carry the user's "never" tags, and one indexing helper (keys → group
ids) every rule builds its blocks with, so no rule compares all pairs. A rule only proposes:
a union that a "never" forbids is refused, and the first rule that joins a name is recorded as
why it belongs to its entity. Rules are named so one can be switched off (resolve(disabled=…))
and its gain measured alone (bench/bench_rules.py --without RULE).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from .aliases import UserRules
from .names import (
    DOMINANT,
    SHORT_RATIO,
    fold,
    initials,
    is_acronym,
    name_key,
    org_short_forms,
    org_tails,
    person_parts,
    spelled_letters,
    tokens,
)

K = TypeVar("K", bound=Hashable)


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


class Sets:
    """Union-find whose roots carry "never" tags, so a forbidden merge is refused, not undone."""

    def __init__(self, sizes: Sequence[int]) -> None:
        self.parent = list(range(len(sizes)))
        self.size = list(sizes)
        self.never: list[dict[int, int]] = [{} for _ in sizes]

    def find(self, x: int) -> int:
        """The root of x's set (halving the path on the way)."""
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        """Join a's and b's sets; False when they were one already or a "never" tag forbids it."""
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


def kind_class(kind: str) -> str:
    """Nationalities resolve apart from everything else: "American" is not America."""
    return "NORP" if kind == "NORP" else "X"


@dataclass
class Context:
    """What the rules share: the names, their keys, the sets, and why each name was joined.

    taken holds one-word names a surname or first-name rule claimed, so a later rule does not
    read them as a short org name too.
    """

    items: list[NameGroup]
    user: UserRules = field(default_factory=UserRules)
    joined_by: dict[int, str] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sets = Sets([g.count for g in self.items])
        self.keys = [name_key(g.name, g.kind) for g in self.items]

    def join(self, a: int, b: int, rule: str) -> None:
        """Union a and b; when it happens, both record the rule (whichever becomes the
        display name, the other shows it)."""
        if self.sets.union(a, b):
            self.joined_by.setdefault(b, rule)
            self.joined_by.setdefault(a, rule)

    def index(self, keys_of: Callable[[int, NameGroup], Iterable[K]]) -> dict[K, list[int]]:
        """The one blocking helper: key → ids of the groups keys_of(i, group) gives it, in
        group order (the order rules join in, which decides which rule a name records)."""
        out: dict[K, list[int]] = defaultdict(list)
        for i, g in enumerate(self.items):
            for key in keys_of(i, g):
                out[key].append(i)
        return out

    def groups_of(self, groups: Iterable[tuple[str, str]]) -> list[int]:
        """Ids of these (name, kind) groups, where the library still has them."""
        where = self.by_group
        return [where[g] for g in groups if g in where]

    @cached_property
    def by_group(self) -> dict[tuple[str, str], int]:
        """(name, kind) → its group: what a decision on entities names."""
        return {(g.name, g.kind): i for i, g in enumerate(self.items)}

    @cached_property
    def by_key(self) -> dict[tuple[str, str], list[int]]:
        """(kind class, key) → groups: one name in any spelling that keys alike."""
        return self.index(lambda i, g: [(kind_class(g.kind), self.keys[i])])

    @cached_property
    def by_surface(self) -> dict[str, list[int]]:
        """Key of any surface → groups written that way: where a user's name is looked up."""
        return self.index(lambda i, g: [name_key(s, g.kind) for s in {g.name, *g.surfaces}])

    @cached_property
    def by_surname(self) -> dict[str, dict[str, list[int]]]:
        """Folded surname → folded first name → multi-word person groups."""
        flat = self.index(lambda i, g: _folded_parts(g))
        out: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for (last, first), members in flat.items():
            out[last][first] = members
        return out


def _folded_parts(g: NameGroup) -> list[tuple[str, str]]:
    """[(folded surname, folded first name)] of a person with both; [] otherwise."""
    parts = person_parts(g.name) if g.kind == "PERSON" else None
    return [(fold(parts[1]), fold(parts[0]))] if parts else []


def person_rule(a: str, b: str) -> str:
    """Why two person names whose first and last names agree once folded are one: the same
    names with a middle name or initial more, or a transliteration (Kadhimi ~ Kazemi)."""
    parts_a, parts_b = person_parts(a), person_parts(b)
    return "same first and last name" if parts_a == parts_b else "transliteration"


def user_never(ctx: Context) -> None:
    """Tag the names of each [[never]] row and split: the tags refuse every later union,
    whatever rule proposes it, so this rule runs first."""
    for tag, names in enumerate(ctx.user.apart):
        for side, name in enumerate(names):
            key = name_key(name, "")
            named = ctx.by_key.get(("X", key), []) + ctx.by_key.get(("NORP", key), [])
            for i in named or ctx.by_surface.get(key, []):
                ctx.sets.never[i].setdefault(tag, side)
    for tag, sides in enumerate(ctx.user.parted, len(ctx.user.apart)):
        for side, groups in enumerate(sides):
            for i in ctx.groups_of(groups):
                ctx.sets.never[i].setdefault(tag, side)


def user_alias(ctx: Context) -> None:
    """The alias file's [[same]] rows, then the reader's merges."""
    for rule, rows in (("user alias", ctx.user.same), ("user merge", ctx.user.merged)):
        for names in rows:
            members = [i for name in names for i in ctx.by_surface.get(name_key(name, ""), [])]
            for i in members[1:]:
                ctx.join(members[0], i, rule)
    for sides in ctx.user.joined:
        members = ctx.groups_of(g for side in sides for g in side)
        for i in members[1:]:
            ctx.join(members[0], i, "user merge")


def same_name(ctx: Context) -> None:
    """Names with one key are one name ("U.S." and "US")."""
    for members in ctx.by_key.values():
        for i in members[1:]:
            ctx.join(members[0], i, "same name")


def spelling_variant(ctx: Context) -> None:
    """Organisations and places written with other spacing or hyphens ("Nova Tech",
    "NovaTech", "Nova-Tech") or British and American endings ("Recognised", "Recognized"):
    the same letters in the same order are one name. Persons are left to the person rules
    (transliteration) and nationalities apart."""
    by_letters = ctx.index(
        lambda i, g: (
            [(kind_class(g.kind), letters)]
            if g.kind not in ("PERSON", "NORP") and len(letters := spelled_letters(g.name)) >= 6
            else []
        )
    )
    for members in by_letters.values():
        for i in members[1:]:
            ctx.join(members[0], i, "spelling variant")


QUOTED_NICKNAME = re.compile(r"[\"“]([A-Z][a-z]+)[\"”]")


def _written_prefix(ctx: Context, short: list[int], long: list[int]) -> bool:
    """True when a first name as written starts the other as written (Fred, Frederick):
    folding vowels makes "Jerry" (giri) the start of "Jeremy" (girimi), two names."""

    def firsts(members: list[int]) -> set[str]:
        parts = (person_parts(ctx.items[i].name) for i in members)
        return {p[0] for p in parts if p}

    return any(b.startswith(a) for a in firsts(short) for b in firsts(long))


def person_name(ctx: Context) -> None:
    """Persons whose first and last names agree after transliteration folding; a first name
    that starts another (Fred, Frederick) or is its diminutive, with the same surname."""
    for firsts in ctx.by_surname.values():
        for members in firsts.values():
            for i in members[1:]:
                first, other = ctx.items[members[0]].name, ctx.items[i].name
                same = ctx.keys[i] == ctx.keys[members[0]]
                ctx.join(members[0], i, "same name" if same else person_rule(first, other))
        # A nickname written inside a full name (Luis "Jerry" Ortiz) is a first name of his:
        # "Jerry Ortiz" elsewhere is the same man.
        for members in list(firsts.values()):
            for i in members:
                for nick in QUOTED_NICKNAME.findall(ctx.items[i].name):
                    known = firsts.get(fold(nick.lower()))
                    if known and known[0] != i:
                        ctx.join(i, known[0], "nickname in name")
        names = sorted(firsts)
        for a, b in itertools.pairwise(names):
            if len(a) >= 3 and b.startswith(a) and _written_prefix(ctx, firsts[a], firsts[b]):
                ctx.join(firsts[a][0], firsts[b][0], "first-name variant")
        # A diminutive is a stem plus -ie/-y (folded to a final i) where the full name goes on
        # with a consonant: Katie ~ Kathryn, but Jamie is not James (the i is the name's own).
        for a in names:
            stem = a[:-1]
            if a.endswith("i") and len(stem) >= 3:
                for b in names:
                    if len(b) > len(a) and b.startswith(stem) and b[len(stem)] not in "aeiou":
                        ctx.join(firsts[b][0], firsts[a][0], "first-name variant")


def longer_form(ctx: Context) -> None:
    """A headline-glued "Lindsay Lohan Checks Into Rehab" starts with a known two-word name."""
    two_word = ctx.index(
        lambda i, g: [ctx.keys[i]] if g.kind == "PERSON" and len(g.name.split()) == 2 else []
    )
    for i, g in enumerate(ctx.items):
        words = g.name.split()
        if g.kind == "PERSON" and len(words) > 2:
            root = ctx.sets.dominant(two_word.get(name_key(" ".join(words[:2]), "PERSON"), ()))
            if root is not None:
                ctx.join(root, i, "longer form")


def description(ctx: Context) -> None:
    """A description glued before a full name ("Coroner Dana Quill", "Visiting QB Dana Quill",
    an ORG-typed "Harbour Board Dana Quill") is that person, when the words before the name
    are no one's first name: "Mary Ann Quill" is not Ann Quill."""
    two_word = ctx.index(
        lambda i, g: [ctx.keys[i]] if len(g.name.split()) == 2 and _person_parts_of(g) else []
    )
    glued = {
        i: block
        for i, g in enumerate(ctx.items)
        if g.kind in ("PERSON", "ORG")
        and len(words := g.name.split()) >= 3
        and (block := two_word.get(name_key(" ".join(words[-2:]), "PERSON")))
    }
    # First names are counted on the other names: "Coroner Dana Quill" makes no one "Coroner".
    firsts = {
        p[0] for i, g in enumerate(ctx.items) if i not in glued and (p := _person_parts_of(g))
    }
    for i, block in glued.items():
        before = ctx.items[i].name.split()[:-2]
        if not any(t in firsts for w in before for t in tokens(w)):
            root = ctx.sets.dominant(block)
            if root is not None:
                ctx.join(root, i, "description")


def surname(ctx: Context) -> None:
    """A surname alone (or a same-named NORP the model mislabelled) joins the full name it can
    belong to: the only one, or one mentioned far more often than any other."""
    for i, g in enumerate(ctx.items):
        if g.kind in ("PERSON", "NORP") and person_parts(g.name) is None:
            words = tokens(g.name)
            firsts = ctx.by_surname.get(fold(words[-1])) if words else None
            if firsts:
                ctx.taken.add(i)
                root = ctx.sets.dominant(j for ms in firsts.values() for j in ms)
                if root is not None:
                    ctx.join(root, i, "surname")


def first_name(ctx: Context) -> None:
    """A first name alone ("Lindsay") that is no one's surname joins the one full name with
    that first name; a common first name has many and stays alone. Exact spelling: folding is
    for transliterated surnames, and Marvin is not Marfin."""
    by_first = ctx.index(lambda i, g: [p[0]] if (p := _person_parts_of(g)) else [])
    for i, g in enumerate(ctx.items):
        words = tokens(g.name)
        if g.kind == "PERSON" and len(words) == 1 and i not in ctx.taken:
            root = ctx.sets.dominant(by_first.get(words[0], ()))
            # "Oscar" written far more often alone than one "Oscar Maximillian" is a name of
            # its own.
            if root is not None and g.count <= DOMINANT * ctx.sets.size[root]:
                ctx.taken.add(i)
                ctx.join(root, i, "first name")


def _person_parts_of(g: NameGroup) -> tuple[str, str] | None:
    return person_parts(g.name) if g.kind == "PERSON" else None


def acronym(ctx: Context) -> None:
    """US ~ United States, when exactly one spelled-out name has those initials."""
    spelled = ctx.index(
        lambda i, g: sorted(initials(g.name)) if g.kind not in ("PERSON", "NORP") else []
    )
    for i, g in enumerate(ctx.items):
        if g.kind in ("PERSON", "NORP") or not is_acronym(g.name):
            continue
        block = spelled.get(ctx.keys[i], [])
        # An article that spells it out ("the Associated Press (AP)") is evidence that
        # decides among candidates: other stories' names with those initials change nothing.
        evidence = [
            j
            for j in block
            if ctx.keys[i] in {name_key(s, ctx.items[j].kind) for s in ctx.items[j].surfaces}
        ]
        root = ctx.sets.dominant(evidence)
        if root is not None:
            ctx.join(root, i, "acronym")
            continue
        root = ctx.sets.dominant(block)
        # Without that, an acronym far commoner than its one candidate is more likely another
        # name (BBC is not "Banstead Baptist Church").
        if root is not None and not evidence and g.count <= ctx.sets.size[root]:
            ctx.join(root, i, "acronym")


def short_name(ctx: Context) -> None:
    """Short organisation names: Colts ~ Indianapolis Colts, Red Sox ~ Boston Red Sox, when
    only one organisation fits. Places are never shortened: Philadelphia is not "NBC
    Philadelphia"."""

    def orgs(forms: Callable[[str], list[str]]) -> dict[str, list[int]]:
        return ctx.index(lambda i, g: forms(g.name) if g.kind == "ORG" else [])

    first = orgs(lambda n: org_short_forms(n, first=True))
    last = orgs(lambda n: org_short_forms(n, first=False))
    tails = orgs(org_tails)
    for i, g in enumerate(ctx.items):
        if i in ctx.taken or g.kind not in ("ORG", "PERSON"):
            continue
        if " " in ctx.keys[i]:
            block = tails if g.kind == "ORG" else {}
        else:
            block = first if g.kind == "ORG" else last
        root = ctx.sets.dominant(block.get(ctx.keys[i], ()))
        # A word written far more often than the longer name is a name of its own.
        if root is not None and g.count <= SHORT_RATIO * ctx.sets.size[root]:
            ctx.join(root, i, "short name")


def nickname(ctx: Context) -> None:
    """A nickname an article established ("Mara Quell, known as 'the Heron Queen'", see
    nicknames.py) is a surface of that person's name; where another article writes the
    nickname alone, it is the same entity. Only a nickname of two or more words travels
    across articles: a one-word one ("Chin") stays in its article."""
    for i, g in enumerate(ctx.items):
        own = set(tokens(g.name))
        for s in g.surfaces:
            words = tokens(s)
            if len(words) < 2 or own & set(words) or is_acronym(s):
                continue
            for j in ctx.by_key.get((kind_class(g.kind), name_key(s, g.kind)), ()):
                ctx.join(i, j, "nickname in text")


@dataclass(frozen=True)
class Rule:
    """A named resolution rule; apply proposes unions on the shared Context."""

    name: str
    apply: Callable[[Context], None]


RULES: tuple[Rule, ...] = (
    Rule("user never", user_never),
    Rule("user alias", user_alias),
    Rule("same name", same_name),
    Rule("spelling variant", spelling_variant),
    Rule("person name", person_name),
    Rule("longer form", longer_form),
    Rule("description", description),
    Rule("surname", surname),
    Rule("first name", first_name),
    Rule("acronym", acronym),
    Rule("nickname", nickname),
    Rule("short name", short_name),
)
RULE_NAMES = tuple(r.name for r in RULES)
STORY_RULES = frozenset({"surname", "first name", "short name"})
"""Rules that join a bare word (a surname, a first name, a short org name) to a full name.

Inside one story that is how news writes a person or a team; across stories it is a guess that
other stories can overturn (one more "Nichols" or "NBC Philadelphia" elsewhere changes which
full name dominates). resolve() applies them to the groups it is given, as one story; the
library resolves across stories without them (Entities.resolve), after story links
(stories.story_links) gave each bare name the full name its own story uses.
"""
