"""The user's decisions on entities: merge, split, rename, undo and redo, through the log.

A decision names entities (by id, or by a name only one entity holds) and is stored as the
name groups those entities have, so a later resolution applies it to them and to nothing
else that shares a spelling. Each decision and the resolution it causes are one transaction:
interrupted, neither happened.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import AmbiguousName, CrosswireError, Decision
from . import decisions
from .decisions import Group
from .names import display_form
from .queries import EntityQueries

ALIASES_APPLIED = "aliases_applied"  # meta key: the alias file's text the last resolve applied


class Deciding(EntityQueries):
    """Decisions on the entity record; Entities (record.py) adds annotate and resolve."""

    alias_file: Path

    if TYPE_CHECKING:

        def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

        def _resolve(self, disabled: Collection[str] = ()) -> None: ...

    def _require(self, name_or_id: str, pick: Collection[str] = ()) -> tuple[str, str]:
        """(id, display name) of the entity meant; a name several entities hold is an error
        listing them, unless pick holds the id of one of them."""
        choices = self.choices(name_or_id)
        if len(choices) > 1:
            picked = [c for c in choices if c.id in pick]
            if len(picked) != 1:
                raise AmbiguousName(name_or_id, choices)
            choices = picked
        if not choices:
            raise CrosswireError(f"no entity named {name_or_id!r}")
        return choices[0].id, choices[0].name

    def _groups(self, eid: str, display: str) -> list[tuple[Group, int]]:
        """The entity's name groups with their mentions, its display name's first."""
        rows = self.conn.execute(
            "SELECT n.name, n.kind, count(m.rowid) FROM entity_names n LEFT JOIN mentions m "
            "ON m.name = n.name AND m.kind = n.kind WHERE n.entity_id = ? GROUP BY n.name, n.kind",
            (eid,),
        ).fetchall()
        rows.sort(key=lambda r: (r[0] != display, -r[2], r[0], r[1]))
        return [((n, k), c) for n, k, c in rows]

    def merge(self, a: str, b: str, pick: Collection[str] = ()) -> str:
        """Make entities a and b one (kept across rebuilds); returns the merged entity's id
        (the older of the two). Refused by a [[never]] rule, nothing is recorded."""
        with self._transaction():
            ea, name_a = self._require(a, pick)
            eb, name_b = self._require(b, pick)
            if ea == eb:
                return ea
            side_a = [g for g, _ in self._groups(ea, name_a)]
            side_b = [g for g, _ in self._groups(eb, name_b)]
            replaced = decisions.splits_between(self.conn, set(side_a), set(side_b))
            decisions.set_state(self.conn, replaced, "superseded")
            args = {"a": side_a, "b": side_b, "ids": [ea, eb]}
            decisions.record(
                self.conn, "merge", args, f"merged {name_b} ({eb}) and {name_a} ({ea})"
            )
            self._resolve()
            held = {self._holding([g]) for g in side_a + side_b} - {None}
            merged = held.pop() if len(held) == 1 else None
            if merged is None:
                raise CrosswireError(
                    f"{name_a!r} and {name_b!r} stay apart: a [[never]] rule in "
                    f"{self.alias_file} keeps them so"
                )
            return merged

    def split(self, entity: str, name: str, pick: Collection[str] = ()) -> str:
        """Take name (any of the entity's names or spellings, its display name's too) out of
        the entity, kept across rebuilds; returns the id now holding name."""
        with self._transaction():
            eid, display = self._require(entity, pick or self._having(entity, name))
            groups = self._groups(eid, display)
            part = {g for g, _ in groups if g[0] == name}
            written = self._written(name, {g for g, _ in groups} - part)
            if not part and not written:
                raise CrosswireError(f"{name!r} is not a name of {display!r} ({eid})")
            rest = [g for g, _ in groups if g not in part]
            if not rest:
                raise CrosswireError(f"{name!r} is all of {display!r} ({eid}): nothing to split")
            parts = sorted(part | {(name, kind) for kind in written})
            args = {
                "part": parts,
                "rest": rest,
                "name": name,
                "unlink": bool(written),
                "id": eid,
            }
            decisions.record(self.conn, "split", args, f"split {name} off {display} ({eid})")
            self._resolve()
            held = self._holding(parts)
            assert held is not None, "a split part always keeps its mentions"
            return held

    def _having(self, entity: str, name: str) -> set[str]:
        """Of the entities `entity` may mean, those with `name` among their names: `split
        U.S. Us` needs no --id when only one entity called U.S. is also written Us."""
        choices = self.choices(entity) if name else []
        having = set()
        for c in choices if len(choices) > 1 else []:
            record = self._record(c.id)
            if record and name in {record[0], *(a for a, _ in record[2])}:
                having.add(c.id)
        return having

    def _written(self, surface: str, groups: set[Group]) -> set[str]:
        """Kinds of the mentions written `surface` but named as one of groups: a spelling
        that is not a name group of its own (the article voted it another name)."""
        rows = self.conn.execute(
            "SELECT DISTINCT name, kind FROM mentions WHERE text = ?", (surface,)
        )
        return {kind for name, kind in rows if (name, kind) in groups and name != surface}

    def _holding(self, groups: list[Group]) -> str | None:
        """The entity now holding the first of these name groups the library still has."""
        for name, kind in groups:
            row = self.conn.execute(
                "SELECT entity_id FROM entity_names WHERE name = ? AND kind = ?", (name, kind)
            ).fetchone()
            if row:
                return str(row[0])
        return None

    def rename(self, entity: str, name: str, pick: Collection[str] = ()) -> str:
        """Give the entity a display name by hand (a decision: undoable); returns its id."""
        name = display_form(name)
        if not name:
            raise CrosswireError("a new name cannot be empty")
        with self._transaction():
            eid, display = self._require(entity, pick)
            groups = [g for g, _ in self._groups(eid, display)]
            args = {"groups": groups, "name": name, "old": display, "id": eid}
            decisions.record(self.conn, "rename", args, f"renamed {display} ({eid}) to {name}")
            self._resolve()
            return eid

    def decisions(self) -> list[Decision]:
        """The decision log, oldest first."""
        return decisions.entries(self.conn)

    def undo(self, seq: int | None = None) -> Decision:
        """Revert one decision (the last active one by default) and resolve without it."""
        return self._flip(seq, "active", "undone")

    def redo(self, seq: int | None = None) -> Decision:
        """Apply an undone decision again (the one undone last by default)."""
        return self._flip(seq, "undone", "active")

    def _flip(self, seq: int | None, was: str, now: str) -> Decision:
        with self._transaction():
            found, action, args = decisions.find(self.conn, seq, was)
            decisions.set_state(self.conn, [found], now)
            if action == "aliases":
                self._write_aliases(args["before" if now == "undone" else "after"])
            self._resolve()
            return decisions.get(self.conn, found)

    # -- the alias file ---------------------------------------------------------------------

    def _alias_text(self) -> str:
        try:
            return self.alias_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""
        except (OSError, UnicodeDecodeError) as exc:
            raise CrosswireError(f"{self.alias_file}: cannot read alias file ({exc})") from exc

    def _log_alias_change(self) -> None:
        """Log the alias file's change since the last resolve applied it (one entry an edit,
        undoable: undo writes the file back as it was)."""
        text = self._alias_text()
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (ALIASES_APPLIED,)
        ).fetchone()
        before = row[0] if row else ""
        if text == before:
            return
        args: dict[str, Any] = {"before": before, "after": text}
        summary = f"applied the alias file {self.alias_file.name} ({_changed(before, text)})"
        decisions.record(self.conn, "aliases", args, summary)
        self._applied(text)

    def _applied(self, text: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (ALIASES_APPLIED, text),
        )

    def _write_aliases(self, text: str) -> None:
        try:
            if text:
                self.alias_file.write_text(text, encoding="utf-8")
            else:
                self.alias_file.unlink(missing_ok=True)
        except OSError as exc:
            raise CrosswireError(f"{self.alias_file}: cannot write alias file ({exc})") from exc
        self._applied(text)


def _changed(before: str, after: str) -> str:
    """ "+2 lines, -1 line": what an alias-file edit changed, for the log's summary."""
    old, new = before.splitlines(), after.splitlines()
    added = sum(1 for line in new if line not in old)
    removed = sum(1 for line in old if line not in new)
    return ", ".join(_lines(n, sign) for n, sign in ((added, "+"), (removed, "-")) if n) or "edit"


def _lines(n: int, sign: str) -> str:
    return f"{sign}{n} line" + ("" if n == 1 else "s")
