"""The user's keymap: `[keymap]` in config.toml maps binding ids to keys (`App.set_keymap`).

The config lives at platformdirs' user config dir, or wherever CROSSWIRE_CONFIG points (tests
and people with dotfile repos use that). A bad entry is reported in one line and skipped; it
never stops the reader from opening.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from textual.binding import Binding
from textual.keys import Keys, _character_to_key, _normalize_key_list

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta", "hyper"})


def config_path() -> Path:
    env = os.environ.get("CROSSWIRE_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("crosswire", appauthor=False) / "config.toml"


@cache
def key_names() -> frozenset[str]:
    """Every key name Textual can report without modifiers: named keys and printable ASCII."""
    names = {k.value.rsplit("+", 1)[-1] for k in Keys if not k.value.startswith("<")}
    names |= {_character_to_key(chr(c)) for c in range(33, 127)}
    return frozenset(names)


def key_problem(keys: str) -> str | None:
    """Why a comma-separated key string could never fire, or None when every key is real.

    Textual accepts any string and just never matches a bogus one, so without this a typo
    silently unbinds an action."""
    for key in keys.split(","):
        key = key.strip()
        if not key:
            return "an empty key (stray comma)"
        *mods, base = key.split("+")
        bad = [m for m in mods if m not in MODIFIERS]
        if bad or len(set(mods)) != len(mods):
            return (
                f"{key!r}: {bad[0]!r} is not a modifier" if bad else f"{key!r}: repeated modifier"
            )
        single = len(base) == 1 and base.isprintable() and not base.isspace()
        if not single and base not in key_names():
            return f"{key!r}: {base or '+'!r} is not a key name"
    return None


def _keys_of(key_string: str) -> set[str]:
    return set(_normalize_key_list(key_string).split(","))


def _scope(binding_id: str) -> str:
    """Bindings whose ids share a prefix ("article.", "crosswire.") act in one place, so a key
    may serve one of them only; a key shared across scopes is the widget's by design."""
    return binding_id.split(".", 1)[0]


def load_keymap(
    path: Path, known_ids: Mapping[str, Binding] | Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """The keymap from a config file and one line per problem. No file: no keymap, no problem.

    An entry is dropped, with its line, when its id is unknown, its key is not a key, or its key
    is already another action's in the same place (Textual would silently take it from that
    action: binding help to / removes the search key); the action then keeps its default key.
    """
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
    bindings = dict(known_ids) if isinstance(known_ids, Mapping) else dict.fromkeys(known_ids)
    keymap: dict[str, str] = {}
    problems: list[str] = []

    def default(binding_id: str) -> str:
        binding = bindings.get(binding_id)
        return f"; {binding.key!r} is kept" if isinstance(binding, Binding) else ""

    for binding_id, key in table.items():
        if binding_id not in bindings:
            problems.append(f"{path}: unknown binding id {binding_id!r} in [keymap]; skipped")
        elif not isinstance(key, str) or not key.strip():
            problems.append(f"{path}: key for {binding_id!r} must be a non-empty string; skipped")
        elif why := key_problem(key):
            problems.append(
                f"{path}: [keymap] {binding_id!r} = {key!r}: {why}; skipped{default(binding_id)}"
            )
        else:
            keymap[binding_id] = ",".join(k.strip() for k in key.split(","))
    changed = True
    while changed:  # dropping one entry gives its action its default back, which may clash
        changed = False
        for binding_id, key in reversed(list(keymap.items())):  # the later entry yields
            clash = _clash(binding_id, key, keymap, bindings)
            if clash:
                taken, other = clash
                del keymap[binding_id]
                changed = True
                problems.append(
                    f"{path}: [keymap] {binding_id!r} = {key!r}: {taken!r} is already the key of "
                    f"{other!r}; skipped{default(binding_id)}"
                )
    return keymap, problems


def _clash(
    binding_id: str, key: str, keymap: Mapping[str, str], bindings: Mapping[str, Binding | None]
) -> tuple[str, str] | None:
    """(key, other binding id) when another action of the same scope ends up on this key."""
    mine = _keys_of(key)
    for other, binding in bindings.items():
        if other == binding_id or _scope(other) != _scope(binding_id):
            continue
        theirs = keymap.get(other) or (binding.key if isinstance(binding, Binding) else "")
        shared = mine & _keys_of(theirs) if theirs else set()
        if shared:
            return sorted(shared)[0], other
    return None


def binding_ids(classes: Iterable[type]) -> dict[str, Binding]:
    """Every binding with an id declared by these classes (and their bases), by id."""
    found: dict[str, Binding] = {}
    for cls in classes:
        for klass in reversed(cls.__mro__):
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    found[binding.id] = binding
    return found
