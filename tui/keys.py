"""The user's keymap: `[keymap]` in config.toml maps binding ids to keys (`App.set_keymap`).

The config lives at platformdirs' user config dir, or wherever CROSSWIRE_CONFIG points (tests
and people with dotfile repos use that). A bad entry is reported in one line and skipped; it
never stops the reader from opening.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding


def config_path() -> Path:
    env = os.environ.get("CROSSWIRE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("crosswire", appauthor=False) / "config.toml"


def load_keymap(path: Path, known_ids: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """The keymap from a config file and one line per problem. No file: no keymap, no problem."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{path}: cannot read the config ({exc.strerror or exc})"]
    try:
        config = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{path}: not valid TOML ({exc}); using the default keys"]
    table = config.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f'{path}: [keymap] must be a table of binding-id = "key"']
    known = set(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, key in table.items():
        if binding_id not in known:
            problems.append(f"{path}: unknown binding id {binding_id!r} in [keymap]; skipped")
        elif not isinstance(key, str) or not key.strip():
            problems.append(f"{path}: key for {binding_id!r} must be a non-empty string; skipped")
        else:
            keymap[binding_id] = key.strip()
    return keymap, problems


def binding_ids(classes: Iterable[type]) -> dict[str, Binding]:
    """Every binding with an id declared by these classes (and their bases), by id."""
    found: dict[str, Binding] = {}
    for cls in classes:
        for klass in reversed(cls.__mro__):
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    found[binding.id] = binding
    return found
