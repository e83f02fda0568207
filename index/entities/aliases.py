"""The user's say over resolution: the alias file and the merges and splits made in the reader."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from ..model import CrosswireError
from .names import name_key


@dataclass(frozen=True)
class UserRules:
    """The user's alias file plus the merge/split decisions made in the reader."""

    same: tuple[tuple[str, ...], ...] = ()
    never: tuple[tuple[str, ...], ...] = ()
    merged: tuple[tuple[str, ...], ...] = ()
    split: tuple[tuple[str, ...], ...] = ()
    # Decisions on entities (decisions.py): name groups, (name, kind), not names.
    joined: tuple[tuple[tuple[tuple[str, str], ...], ...], ...] = ()  # each merge's two sides
    parted: tuple[tuple[tuple[tuple[str, str], ...], ...], ...] = ()  # each split: part, rest

    @property
    def apart(self) -> tuple[tuple[str, ...], ...]:
        """Every set of names that must stay apart, from the file or from splits."""
        return self.never + self.split


def ignore_warning(_: str) -> None:
    """Default warning sink: callers that show warnings pass their own."""


def _key(name: str) -> str:
    return name_key(name, "")


def read_alias_file(path: Path, on_warning: Callable[[str], None] = ignore_warning) -> UserRules:
    """Parse the user's alias file; a bad file is an error naming the file and the line.

    An entry that contradicts itself or another (a name kept apart from itself, one pair in
    both [[same]] and [[never]]) is not an error: it gets one warning naming the file and the
    entry, [[never]] wins (a wrong merge is worse than a missed one), and the rest applies.
    """
    if not path.exists():
        return UserRules()
    import tomllib  # only with an alias file: 10 ms of every command's start otherwise

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CrosswireError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CrosswireError(f"{path}: cannot read alias file ({exc})") from exc
    rules, where_of = _entries(path, data, _header_lines(text), on_warning)
    _warn_clashes(rules, where_of, on_warning)
    return UserRules(same=tuple(rules["same"]), never=tuple(rules["never"]))


Rows = dict[str, list[tuple[str, ...]]]


def _header_lines(text: str) -> dict[str, list[int]]:
    """Section name → the line numbers of its headers, for errors that name the line (tomllib
    keeps no positions)."""
    headers: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\[?\s*(\w+)\s*\]\]?", line)
        if header:
            headers[header.group(1)].append(number)
    return headers


def _entries(
    path: Path,
    data: dict[str, Any],
    headers: dict[str, list[int]],
    on_warning: Callable[[str], None],
) -> tuple[Rows, dict[str, list[str]]]:
    """The [[same]] and [[never]] rows, and where each was written (path:line); a malformed
    entry is an error, a [[never]] that keeps a name apart from itself a warning."""
    unknown = sorted(set(data) - {"same", "never"})
    if unknown:
        lines = headers.get(unknown[0]) or [0]
        raise CrosswireError(
            f"{path}:{lines[0]}: unknown section {unknown[0]!r} (use [[same]] or [[never]])"
        )
    rules: Rows = {"same": [], "never": []}
    where_of: dict[str, list[str]] = {"same": [], "never": []}
    for section in rules:
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise CrosswireError(f"{path}: {section} must be written [[{section}]]")
        for index, entry in enumerate(entries):
            lines = headers.get(section, [])
            where = f"{path}:{lines[index]}" if index < len(lines) else str(path)
            names = entry.get("names") if isinstance(entry, dict) else None
            if (
                not isinstance(names, list)
                or len(names) < 2
                or not all(isinstance(n, str) and n.strip() for n in names)
            ):
                raise CrosswireError(
                    f"{where}: [[{section}]] needs names = [two or more names in quotes]"
                )
            names = [n.strip() for n in names]
            if section == "never" and len({_key(n) for n in names}) < len(names):
                on_warning(
                    f"{where}: [[never]] {names} keeps a name apart from itself (the same "
                    f"name written twice, or two spellings of one name); entry ignored"
                )
                continue
            rules[section].append(tuple(names))
            where_of[section].append(where)
    return rules, where_of


def _warn_clashes(
    rules: Rows, where_of: dict[str, list[str]], on_warning: Callable[[str], None]
) -> None:
    """One warning per [[same]] entry that joins a pair a [[never]] entry keeps apart."""
    never_pairs = [
        (where, {frozenset(map(_key, pair)) for pair in combinations(names, 2)})
        for names, where in zip(rules["never"], where_of["never"], strict=True)
    ]
    for names, where in zip(rules["same"], where_of["same"], strict=True):
        for never_where, forbidden in never_pairs:
            clash = [p for p in combinations(names, 2) if frozenset(map(_key, p)) in forbidden]
            if clash:  # one line an entry pair, however many of their names overlap
                a, b = clash[0]
                on_warning(
                    f"{where}: [[same]] joins {a!r} and {b!r}, which [[never]] at {never_where} "
                    f"keeps apart; they stay apart"
                )
