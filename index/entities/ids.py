"""Stable entity ids: an id names the same entity across re-resolution, new articles and
decisions that do not dissolve it.

Resolution (resolve.py) clusters names afresh each time; this module then matches the new
clusters to the ids of the last resolution by the name groups they share (entity_names holds
that last assignment), weighted by mentions: one pass over the groups, so a library's
resolve stays linear. An old id goes to the cluster that holds its display name (a split
leaves the id with the part keeping the name), else the one with most of its mentions; a
part made only of an entity merged into it earlier is that entity coming back (the merge
was undone, or split again) and gets its own id back instead. A
cluster that gets several old ids keeps the oldest (entity_ids.seq) and the others redirect
to it. A cluster that gets none revives an id that used to name most of its groups (undoing
a merge gives the other entity its id back), or gets a fresh one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from .decisions import Group
from .names import display_form, drop_titles

if TYPE_CHECKING:
    from .resolve import Resolution
    from .rules import NameGroup

MAX_HOPS = 32  # a redirect chain longer than this is broken, not followed forever


def follow(conn: sqlite3.Connection, eid: str) -> str | None:
    """The entity an id names now: itself, or the survivor it was merged into; None when the
    id names nothing (never given, or its names left the library)."""
    for _ in range(MAX_HOPS):
        if conn.execute("SELECT 1 FROM entities WHERE id = ?", (eid,)).fetchone():
            return eid
        try:
            row = conn.execute("SELECT redirect FROM entity_ids WHERE id = ?", (eid,)).fetchone()
        except sqlite3.OperationalError:  # a format-1 record opened read-only
            return None
        if row is None or row[0] is None:
            return None
        eid = row[0]
    return None


def assign(conn: sqlite3.Connection, resolution: Resolution, groups: list[NameGroup]) -> Resolution:
    """The resolution with stable ids in place of its fresh ones; records births, redirects
    and the members of ids that stop naming an entity. Call before entity_names is replaced."""
    from .resolve import Resolution

    members: dict[str, list[Group]] = defaultdict(list)
    for group, tmp in resolution.entity_of.items():
        members[tmp].append(group)
    count = {(g.name, g.kind): g.count for g in groups}
    forms = {g: {g[0]} for g in count}
    for g in groups:
        forms[(g.name, g.kind)].update(display_form(drop_titles(s, g.kind)) for s in g.surfaces)
    old_of: dict[Group, str] = {
        (n, k): e for n, k, e in conn.execute("SELECT name, kind, entity_id FROM entity_names")
    }
    old_display = dict(conn.execute("SELECT id, name FROM entities"))
    known = _known(conn)
    unborn = sorted(set(old_display) - set(known))  # ids of a format-1 record: born now
    if unborn:
        conn.executemany("INSERT INTO entity_ids(id) VALUES(?)", [(e,) for e in unborn])
        known = _known(conn)
    final, redirects = _match_old(members, count, forms, old_of, old_display, known)
    matched = set(final.values()) | set(redirects)
    revived = _revive_or_fresh(members, final, known, set(redirects))
    redirects.update(_orphans(final, members, forms, count, old_display, matched))
    _persist(conn, final, redirects, revived, old_of, known)
    entity_of = {g: final[t] for g, t in resolution.entity_of.items()}
    entities = {
        final[t]: dataclasses.replace(e, id=final[t]) for t, e in resolution.entities.items()
    }
    return Resolution(entity_of=entity_of, entities=entities)


def _known(conn: sqlite3.Connection) -> dict[str, tuple[int, str | None, str]]:
    """Every id given: (birth order, the id it redirects to, its members when it died)."""
    rows = conn.execute("SELECT id, seq, redirect, members FROM entity_ids")
    return {eid: (seq, redirect, members) for eid, seq, redirect, members in rows}


def _match_old(
    members: dict[str, list[Group]],
    count: dict[Group, int],
    forms: dict[Group, set[str]],
    old_of: dict[Group, str],
    old_display: dict[str, str],
    known: dict[str, tuple[int, str | None, str]],
) -> tuple[dict[str, str], dict[str, str]]:
    """(cluster → surviving old id, merged old id → survivor)."""
    overlap: dict[str, Counter[str]] = defaultdict(Counter)
    for tmp, groups in members.items():
        for g in groups:
            old = old_of.get(g)
            if old is not None:
                overlap[old][tmp] += count.get(g, 1)
    claims: dict[str, list[str]] = defaultdict(list)
    for old, per in overlap.items():
        name = old_display.get(old)
        options = _not_returning(old, per, members, known) if len(per) > 1 else list(per)
        holding = [t for t in options if any(name in forms[g] for g in members[t])]
        claims[max(holding or options, key=lambda t: (per[t], t))].append(old)
    final: dict[str, str] = {}
    redirects: dict[str, str] = {}
    for tmp, olds in claims.items():
        olds.sort(key=lambda e: (known[e][0] if e in known else 1 << 62, e))
        final[tmp] = olds[0]
        redirects.update((o, olds[0]) for o in olds[1:])
    return final, redirects


def _not_returning(
    old: str,
    per: Counter[str],
    members: dict[str, list[Group]],
    known: dict[str, tuple[int, str | None, str]],
) -> list[str]:
    """The clusters an old id split into, less those that are an id merged into it coming
    back (made only of that id's names: an undone merge), which revive that id instead."""
    merged_in = [{(n, k) for n, k in json.loads(m)} for _, (_, to, m) in known.items() if to == old]
    if not merged_in:
        return list(per)
    staying = [t for t in per if not any(set(members[t]) <= names for names in merged_in)]
    return staying or list(per)


def _orphans(
    final: dict[str, str],
    members: dict[str, list[Group]],
    forms: dict[Group, set[str]],
    count: dict[Group, int],
    old_display: dict[str, str],
    matched: set[str],
) -> dict[str, str]:
    """Old ids none of whose name groups is left (their mentions were renamed into another
    group: a split spelling merged back) → the id of the cluster now writing their name."""
    out = {}
    for old in sorted(set(old_display) - matched):
        name = old_display[old]
        holders = [t for t, groups in members.items() if any(name in forms[g] for g in groups)]
        if holders:
            best = max(holders, key=lambda t: (sum(count.get(g, 0) for g in members[t]), t))
            out[old] = final[best]
    return out


def _revive_or_fresh(
    members: dict[str, list[Group]],
    final: dict[str, str],
    known: dict[str, tuple[int, str | None, str]],
    merged_now: set[str],
) -> set[str]:
    """Give each cluster without an old id one (in final); returns the ids revived."""
    used = set(final.values())
    stored: dict[str, set[Group]] = {}
    where: dict[Group, list[str]] = defaultdict(list)
    for eid, (_, _, members_json) in known.items():
        if eid in used or eid in merged_now or members_json == "[]":
            continue
        stored[eid] = {(n, k) for n, k in json.loads(members_json)}
        for g in stored[eid]:
            where[g].append(eid)
    revived: set[str] = set()
    for tmp in sorted(t for t in members if t not in final):
        votes = Counter(e for g in members[tmp] for e in where.get(g, ()) if e not in used)
        fits = [e for e, n in votes.items() if 2 * n >= len(stored[e])]
        if fits:
            eid = max(fits, key=lambda e: (votes[e], -known[e][0]))
            revived.add(eid)
        else:
            eid, n = tmp, 0
            while eid in known or eid in used:
                n += 1
                eid = "e" + hashlib.sha1(f"{tmp}#{n}".encode()).hexdigest()[:11]
        final[tmp] = eid
        used.add(eid)
    return revived


def _persist(
    conn: sqlite3.Connection,
    final: dict[str, str],
    redirects: dict[str, str],
    revived: set[str],
    old_of: dict[Group, str],
    known: dict[str, tuple[int, str | None, str]],
) -> None:
    """Births in order, revivals, redirects (chains collapsed), and the members of ids that
    stop naming an entity, so a later undo can give them back."""
    alive = set(final.values())
    conn.executemany(
        "INSERT OR IGNORE INTO entity_ids(id) VALUES(?)",
        [(e,) for e in sorted(alive - set(known))],
    )
    conn.executemany(
        "UPDATE entity_ids SET redirect = NULL WHERE id = ?",
        [(e,) for e in revived | {e for e in alive if e in known and known[e][1]}],
    )
    old_members: dict[str, list[Group]] = defaultdict(list)
    for g, eid in old_of.items():
        old_members[eid].append(g)
    gone = {eid for eid in old_members if eid not in alive}
    conn.executemany(
        "UPDATE entity_ids SET redirect = ?, members = ? WHERE id = ?",
        [(redirects.get(eid), json.dumps(sorted(old_members[eid])), eid) for eid in sorted(gone)],
    )
    conn.executemany(
        "UPDATE entity_ids SET redirect = ? WHERE redirect = ?",
        [(new, old) for old, new in redirects.items()],
    )
