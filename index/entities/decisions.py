"""The decision log: every merge, split, rename and applied alias-file change, in order.

Each entry keeps what resolution needs to replay it (the name groups of the entities it acted
on, not a name: a name may belong to several entities) and a readable summary written when it
was made. Undo and redo only flip an entry's state; resolution replays the active entries,
so undoing a merge removes it (the rules' own clustering comes back), it never adds a split.
Entries made by format 1 (name pairs) are replayed by name, as format 1 did.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..model import CrosswireError, Decision
from ..store import crash_point

Group = tuple[str, str]  # (name, kind): one name group of the record (mentions.name, .kind)
# Story moves, splits and merges share the log (index/story_log.py); resolution skips them.
ACTIONS = ("merge", "split", "rename", "aliases", "story-move", "story-split", "story-merge")


@dataclass
class Replay:
    """The active decisions, as resolution consumes them (see rules.user_alias/user_never).

    joined: each merge's two sides, the name groups each entity had; parted: each split's part
    and the rest of the entity it left; unlink: (surface, groups) — mentions written so but
    named as one of the groups get the surface as their name, so a spelling that keys like
    the display name ("Us" beside "U.S.") can leave; renames: (groups, name) in order.
    """

    merged: list[tuple[str, ...]] = field(default_factory=list)
    split: list[tuple[str, ...]] = field(default_factory=list)
    joined: list[tuple[tuple[Group, ...], tuple[Group, ...]]] = field(default_factory=list)
    parted: list[tuple[tuple[Group, ...], tuple[Group, ...]]] = field(default_factory=list)
    unlink: list[tuple[str, tuple[Group, ...]]] = field(default_factory=list)
    renames: list[tuple[tuple[Group, ...], str]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _groups(rows: list[list[str]]) -> tuple[Group, ...]:
    return tuple((str(n), str(k)) for n, k in rows)


def record(conn: sqlite3.Connection, action: str, args: dict[str, Any], summary: str) -> int:
    """Append an active entry; the caller's transaction resolves with it. Returns its seq."""
    assert action in ACTIONS, action
    cursor = conn.execute(
        "INSERT INTO decisions(action, args, summary, made_at) VALUES(?, ?, ?, ?)",
        (action, json.dumps(args), summary, _now()[:19] + "Z"),
    )
    crash_point("decided")
    return int(cursor.lastrowid or 0)


def entries(conn: sqlite3.Connection) -> list[Decision]:
    """Every entry, oldest first (a format-1 record opened read-only has none to show)."""
    try:
        rows = conn.execute(
            "SELECT seq, action, summary, made_at, state FROM decisions ORDER BY seq"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [Decision(*row) for row in rows]


def active(conn: sqlite3.Connection) -> list[tuple[int, str, dict[str, Any]]]:
    """(seq, action, args) of the active entries, in the order they were made."""
    rows = conn.execute(
        "SELECT seq, action, args FROM decisions WHERE state = 'active' ORDER BY seq"
    )
    return [(seq, action, json.loads(args)) for seq, action, args in rows]


def replay(conn: sqlite3.Connection) -> Replay:
    """What resolution applies: the active entries, sorted by kind, in order."""
    out = Replay()
    for _, action, args in active(conn):
        legacy = args.get("legacy")
        if legacy:
            (out.merged if action == "merge" else out.split).append(tuple(legacy))
        elif action == "merge":
            out.joined.append((_groups(args["a"]), _groups(args["b"])))
        elif action == "split":
            rest = _groups(args["rest"])
            out.parted.append((_groups(args["part"]), rest))
            if args.get("unlink"):
                out.unlink.append((str(args["name"]), rest))
        elif action == "rename":
            out.renames.append((_groups(args["groups"]), str(args["name"])))
    return out


def find(conn: sqlite3.Connection, seq: int | None, state: str) -> tuple[int, str, dict[str, Any]]:
    """The entry to undo (seq, or the last active one) or redo (state 'undone': seq, or the
    one undone last); a clear error when there is none."""
    if seq is not None:
        row = conn.execute(
            "SELECT seq, action, args, state FROM decisions WHERE seq = ?", (seq,)
        ).fetchone()
        if row is None:
            raise CrosswireError(f"no decision {seq}; `crosswire decisions` lists them")
        if row[3] != state:
            verb = "undo" if state == "active" else "redo"
            raise CrosswireError(f"decision {seq} is {row[3]}: nothing to {verb}")
        return row[0], row[1], json.loads(row[2])
    order = "seq DESC" if state == "active" else "changed_at DESC, seq DESC"
    row = conn.execute(
        f"SELECT seq, action, args FROM decisions WHERE state = ? ORDER BY {order} LIMIT 1",
        (state,),
    ).fetchone()
    if row is None:
        raise CrosswireError("no decision to " + ("undo" if state == "active" else "redo"))
    return row[0], row[1], json.loads(row[2])


def set_state(conn: sqlite3.Connection, seqs: list[int], state: str) -> None:
    """Flip entries to active, undone or superseded, noting when (redo takes the latest)."""
    now = _now()
    conn.executemany(
        "UPDATE decisions SET state = ?, changed_at = ? WHERE seq = ?",
        [(state, now, seq) for seq in seqs],
    )


def get(conn: sqlite3.Connection, seq: int) -> Decision:
    row = conn.execute(
        "SELECT seq, action, summary, made_at, state FROM decisions WHERE seq = ?", (seq,)
    ).fetchone()
    return Decision(*row)


def splits_between(conn: sqlite3.Connection, a: set[Group], b: set[Group]) -> list[int]:
    """Active splits that keep some of a apart from some of b: a merge of a and b replaces
    them (they would refuse it), so it marks them superseded."""
    out = []
    for seq, action, args in active(conn):
        if action != "split" or args.get("legacy"):
            continue
        part, rest = set(_groups(args["part"])), set(_groups(args["rest"]))
        if (part & a and rest & b) or (part & b and rest & a):
            out.append(seq)
    return out
