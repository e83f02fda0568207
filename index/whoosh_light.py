"""Whoosh, imported without three modules it never uses here. Import this before Whoosh.

whoosh.compat imports urllib.request for a `urlretrieve` nothing in Whoosh calls, which pulls
in http.client and the email package; whoosh.reading takes `cached_property` from the backport
package, which imports asyncio for variants Whoosh does not use; whoosh.query imports the
English morphology tables of a query type crosswire never builds. Together they were about
100 ms of a 0.3 s start-up of every CLI command that searches (the goal is 0.5 s for a whole
`crosswire search` at 100k articles). While Whoosh's modules are first imported, those
modules resolve to light stand-ins (the standard library's own functools.cached_property, and
functions that import the real module when called); the stand-ins leave sys.modules right
after, so any later import of those modules gets the real one.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """urllib.request.urlretrieve, imported when first called (Whoosh never calls it)."""
    return importlib.import_module("urllib.request").urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    """whoosh.lang.morph_en.variations, imported when first called (only Whoosh's Variations
    query, which crosswire never builds, calls it; its module compiles 16 ms of regexes)."""
    return importlib.import_module("whoosh.lang.morph_en").variations(*args, **kwargs)


def import_whoosh() -> None:
    """Import whoosh.compat, whoosh.reading and whoosh.query (what the rest of Whoosh builds
    on) with the stand-ins in place; a no-op once they are imported."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins: dict[str, types.ModuleType] = {}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "cached_property" not in sys.modules:
        backport = types.ModuleType("cached_property")
        backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
        stand_ins["cached_property"] = backport
    if "whoosh.lang.morph_en" not in sys.modules:
        morph = types.ModuleType("whoosh.lang.morph_en")
        morph.variations = _variations  # type: ignore[attr-defined]
        stand_ins["whoosh.lang.morph_en"] = morph
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("whoosh.compat")
        importlib.import_module("whoosh.reading")
        importlib.import_module("whoosh.query")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


import_whoosh()
