"""Cross-source resolution: cluster the library's distinct names into entities.

Union-find over the names, blocked by keys (never all pairs), through the named rules of
rules.py: same key; persons whose first and last names agree after transliteration folding
(and diminutives: Katie ~ Kathryn); a bare surname, first name or short org name joins the one
(or a far commoner) full name; acronyms. Places and nationalities are never fuzzy-matched.
User rules come first and a "never" refuses every later union. No SQLite and no spaCy here,
so every rule is unit-tested on plain strings.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .aliases import UserRules
from .names import (
    DOMINANT,
    display_form,
    drop_titles,
    fold,
    initials,
    is_acronym,
    name_key,
    person_parts,
)
from .rules import RULE_NAMES, RULES, Context, NameGroup, Sets, kind_class, person_rule

NO_USER_RULES = UserRules()  # frozen: safe as a shared default


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


def resolve(
    groups: Iterable[NameGroup],
    user: UserRules = NO_USER_RULES,
    disabled: Collection[str] = (),
) -> Resolution:
    """Cluster the library's names into entities; each merge records the rule behind it.

    disabled names rules (rules.RULE_NAMES) to skip, for measuring what each one gains; an
    unknown name is a ValueError, so a typo never measures the full resolution by mistake.
    """
    unknown = set(disabled) - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown resolution rule(s) {sorted(unknown)}; rules: {RULE_NAMES}")
    ctx = Context(list(groups), user)
    for rule in RULES:
        if rule.name not in disabled:
            rule.apply(ctx)
    return _collect(ctx.items, ctx.keys, ctx.sets, ctx.joined_by)


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
        return person_rule(alias, display)
    return recorded


def _collect(
    items: list[NameGroup], keys: list[str], sets: Sets, joined_by: dict[int, str]
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
        eid = entity_id(anchor, kind_class(kind))
        while eid in entities:
            eid = entity_id(anchor + "#" + eid, kind_class(kind))
        aliases: dict[str, str] = {}
        for i in sorted(group, key=lambda i: -items[i].count):
            rule = _why(items[i].name, display, kind, joined_by.get(i, "same name"))
            if items[i].name != display:
                aliases.setdefault(items[i].name, rule)
            story = {display_form(s) for s in items[i].story}
            for s in {display_form(drop_titles(s, kind)) for s in items[i].surfaces}:
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
