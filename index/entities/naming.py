"""Display names: the form most sources use, spelling variants folded, and the user's renames.

Resolution picks a provisional display name by mention counts; an outlet that repeats a name
twenty times then outvotes four outlets that write another. Here each form (the name an
article voted, before any story link renamed it) counts the sources that write it; forms
that differ only in case and punctuation ("al-Kadhimi", "Al-Kadhimi") count as one. Ties go
to the longest full form; a short form stays the name only where resolve.py would keep it
(an organisation far commoner short: FBI). Then the rename decisions are applied, in order.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence

from .decisions import Group
from .names import DOMINANT
from .resolve import Resolution, ResolvedEntity, _why

FORMS = (
    "SELECT m.name, m.kind, coalesce(s.name, m.name) AS form, a.source, count(*) "
    "FROM mentions m JOIN articles a ON a.id = m.article_id "
    "LEFT JOIN story_links s ON s.article_id = m.article_id AND s.start_char = m.start_char "
    "GROUP BY m.name, m.kind, form, a.source"
)


def variant_key(name: str) -> str:
    """Two spellings with one variant key differ only in case and punctuation."""
    return "".join(c for c in name.casefold() if c.isalnum())


def fold_variants(names: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Names grouped by variant key, in first-seen order: [(name, [its variants])]."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(variant_key(name) or name, []).append(name)
    return [(same[0], same[1:]) for same in groups.values()]


def with_variants(name: str, variants: Sequence[str]) -> str:
    """ "al-Kadhimi (also Al-Kadhimi)": one entry of a list of names."""
    return f"{name} (also {', '.join(variants)})" if variants else name


def name_entities(
    conn: sqlite3.Connection,
    resolution: Resolution,
    renames: Sequence[tuple[tuple[Group, ...], str]],
) -> Resolution:
    """The resolution with display names by sources, then the user's renames applied."""
    forms: dict[str, dict[str, tuple[set[str], int]]] = defaultdict(dict)
    entity_of = resolution.entity_of
    for name, kind, form, source, count in conn.execute(FORMS):
        eid = entity_of.get((name, kind))
        if eid is None:
            continue
        if form != name and entity_of.get((form, kind)) != eid:
            form = name  # the voted name went elsewhere (a split spelling): it is not a form
        seen = forms[eid].get(form)
        if seen is None:
            forms[eid][form] = ({source}, count)
        else:
            seen[0].add(source)
            forms[eid][form] = (seen[0], seen[1] + count)
    entities = dict(resolution.entities)
    for eid, entity in entities.items():
        found = forms.get(eid)
        if found and (len(found) > 1 or entity.name not in found):
            entities[eid] = renamed(entity, _best(found, entity.kind), "same entity")
    for groups, name in renames:
        eid = next((resolution.entity_of[g] for g in groups if g in resolution.entity_of), None)
        if eid is not None:
            entities[eid] = renamed(entities[eid], name, "user rename")
    return Resolution(entity_of=resolution.entity_of, entities=entities)


def _best(forms: dict[str, tuple[set[str], int]], kind: str) -> str:
    """The form most sources write (variants pooled), ties to the longest full form."""
    sources: dict[str, set[str]] = defaultdict(set)
    mentions: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for form, (seen, count) in forms.items():
        key = variant_key(form) or form
        sources[key] |= seen
        mentions[key] += count
        spellings[key][form] += count

    def spelled(key: str) -> str:
        return max(spellings[key], key=lambda f: (spellings[key][f], len(f), f))

    full = [k for k in sources if len(spelled(k).split()) > 1]
    rank = {k: (len(sources[k]), len(spelled(k)), mentions[k], spelled(k)) for k in sources}
    best = max(full or list(sources), key=rank.__getitem__)
    top = max(sources, key=lambda k: (mentions[k], rank[k]))
    if kind != "PERSON" and mentions[top] > DOMINANT * mentions[best]:
        best = top
    return spelled(best)


def renamed(entity: ResolvedEntity, name: str, rule: str) -> ResolvedEntity:
    """The entity under another display name: the old one becomes an alias (with why)."""
    if name == entity.name:
        return entity
    aliases = dict(entity.aliases)
    recorded = aliases.pop(name, rule)
    aliases[entity.name] = _why(entity.name, name, entity.kind, recorded)
    return dataclasses.replace(entity, name=name, aliases=sorted(aliases.items()))
