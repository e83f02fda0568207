"""A story's readable label, e.g. "Kadhimi · drone attack · Baghdad".

Built from what the articles keep for it (title phrases and entity surfaces), weighted by the
story's own vector, so a label names what makes this story distinct, not what every story
in the library mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from .clusters import Cluster, Member
from .records import EntityRef

_WHO = ("PERSON", "ORG", "NORP", "FAC")
_WHERE = ("GPE", "LOC")


def entity_names(entities: Sequence[EntityRef]) -> list[list[str]]:
    """One [id, kind, surface] per distinct entity and surface of an article."""
    seen: dict[tuple[str, str], list[str]] = {}
    for e in entities:
        if e.id and (e.id, e.text) not in seen:
            seen[(e.id, e.text)] = [e.id, e.kind, e.text]
    return list(seen.values())


def story_label(story: Cluster, members: Mapping[str, Member]) -> str:
    """Key entities and title terms: the most weighty person or organisation, the most
    repeated title phrase (a pair of words beats a single one when as many headlines use
    it), and the most weighty place.
    """
    surfaces: dict[str, Counter[str]] = {}
    kinds: dict[str, str] = {}
    grams: Counter[str] = Counter()
    for article in story.members:
        member = members[article]
        grams.update(member.grams)
        for eid, kind, surface in member.names:
            surfaces.setdefault(eid, Counter())[surface] += 1
            kinds[eid] = kind
    weight = {eid: story.vec.get("e:" + eid, 0.0) for eid in surfaces}

    def best(wanted: tuple[str, ...]) -> str | None:
        pool = [e for e in weight if kinds[e] in wanted]
        if not pool:
            return None
        eid = max(pool, key=lambda e: (weight[e], e))
        return min(surfaces[eid].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]

    who = best(_WHO)
    where = best(_WHERE)
    taken = {w for name in (who, where) if name for w in name.lower().split()}
    ranked = sorted(
        (g for g in grams if not taken & set(g.split())),
        key=lambda g: (-(grams[g] + (0.5 if " " in g else 0.0)), g),
    )
    phrase = ranked[0] if ranked else None
    parts = [p for p in (who, phrase, where) if p]
    if len(parts) < 2:
        parts += [g for g in ranked[1:3] if g not in parts and not set(g.split()) & taken]
    return " · ".join(parts[:3]) if parts else "(untitled)"
