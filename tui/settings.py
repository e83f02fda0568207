"""What the reader remembers across runs: the theme and the pane widths, in the `[reader]`
table of config.toml (the file that holds the user's `[keymap]`).

The file is the user's: saving rewrites only the lines of our own keys in `[reader]` (adding
the table when missing), keeps every other line and comment as it was, checks the result
parses to what was meant, and replaces the file atomically. A config that is not valid TOML
is never overwritten: the problem is reported instead.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

from .layout import HIGHEST, LOWEST, Shares

TABLE = "reader"
Value = str | int


def load_settings(path: Path) -> tuple[dict[str, Value], list[str]]:
    """The `[reader]` table's known keys, and one line per bad entry (which is ignored)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(TABLE, {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}, []  # load_keymap already reports an unreadable or broken file
    if not isinstance(table, dict):
        return {}, [f"{path}: [{TABLE}] must be a table; ignored"]
    found: dict[str, Value] = {}
    problems: list[str] = []
    for key, value in table.items():
        if key == "theme" and isinstance(value, str):
            found[key] = value
        elif key in ("search_pane", "entity_pane") and type(value) is int:
            if LOWEST <= value <= HIGHEST:
                found[key] = value
            else:
                problems.append(
                    f"{path}: [{TABLE}] {key} = {value}: not between {LOWEST} and {HIGHEST} "
                    "(percent of the width); ignored"
                )
        else:
            problems.append(f"{path}: [{TABLE}] {key} = {value!r}: unknown or wrong type; ignored")
    return found, problems


def shares_of(settings: Mapping[str, Value]) -> Shares:
    default = Shares()
    search, entity = settings.get("search_pane"), settings.get("entity_pane")
    return Shares(
        search=search if isinstance(search, int) else default.search,
        entity=entity if isinstance(entity, int) else default.entity,
    )


def updated(raw: str, values: Mapping[str, Value]) -> str:
    """The config text with our keys set in `[reader]`, every other line untouched."""
    lines = raw.splitlines()
    rendered = {key: f"{key} = {json.dumps(value)}" for key, value in values.items()}
    start = next((i for i, line in enumerate(lines) if line.strip() == f"[{TABLE}]"), None)
    if start is None:
        gap = [""] if lines and lines[-1].strip() else []
        return "\n".join([*lines, *gap, f"[{TABLE}]", *rendered.values()]) + "\n"
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")),
        len(lines),
    )
    body = lines[start + 1 : end]
    for key, line in rendered.items():
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        at = next((i for i, old in enumerate(body) if pattern.match(old)), None)
        if at is not None:
            body[at] = line
        else:
            filled = max((i + 1 for i, old in enumerate(body) if old.strip()), default=0)
            body.insert(filled, line)
    return "\n".join([*lines[: start + 1], *body, *lines[end:]]) + "\n"


def save_settings(path: Path, values: Mapping[str, Value]) -> str | None:
    """Write our keys into the config; None when saved, else the one-line reason it was not."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raw = ""
    except OSError as exc:
        return f"{path}: cannot read the config ({exc.strerror or exc}); settings not saved"
    try:
        tomllib.loads(raw)
        text = updated(raw, values)
        table = tomllib.loads(text).get(TABLE, {})
    except tomllib.TOMLDecodeError as exc:
        return f"{path}: not valid TOML ({exc}); settings not saved"
    if any(table.get(key) != value for key, value in values.items()):
        return f"{path}: [{TABLE}] is written in a form crosswire cannot edit; settings not saved"
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config.", suffix=".toml")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        return f"{path}: cannot write the config ({exc.strerror or exc}); settings not saved"
    return None
