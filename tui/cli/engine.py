"""Everything the command line takes from the engine, imported in this one place.

The engine's modules move as it grows (search/, ingest/, entities/); the CLI's other modules
import from here, so a move is one edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosswire.index import export, lazy_names, shapes
from crosswire.index.library import Library, default_directory
from crosswire.index.model import (
    ENTITY_KINDS,
    AddReport,
    AmbiguousName,
    Article,
    ArticleSummary,
    CrosswireError,
    Decision,
    EntityDetail,
    EntitySummary,
    Progress,
    QueryError,
    SearchResults,
    Skipped,
)
from crosswire.index.store import disk_full
from crosswire.seeds import seed_paths

if TYPE_CHECKING:
    from crosswire.index.claims import ClaimGroup
    from crosswire.index.entities.naming import fold_variants, with_variants
    from crosswire.index.facts import Comparison, Passage, comparison_json, group_json

# Claims and facts load on first use (PEP 562): every command imports this module, and a
# search or a listing never needs them.
_LATER = {
    "ClaimGroup": "crosswire.index.claims",
    "Comparison": "crosswire.index.facts",
    "Passage": "crosswire.index.facts",
    "comparison_json": "crosswire.index.facts",
    "group_json": "crosswire.index.facts",
    "fold_variants": "crosswire.index.entities.naming",
    "with_variants": "crosswire.index.entities.naming",
}


__getattr__ = lazy_names(__name__, _LATER)


__all__ = [
    "ENTITY_KINDS",
    "AddReport",
    "AmbiguousName",
    "Article",
    "ArticleSummary",
    "ClaimGroup",
    "Comparison",
    "CrosswireError",
    "Decision",
    "EntityDetail",
    "EntitySummary",
    "Library",
    "Passage",
    "Progress",
    "QueryError",
    "SearchResults",
    "Skipped",
    "comparison_json",
    "default_directory",
    "disk_full",
    "export",
    "fold_variants",
    "group_json",
    "seed_paths",
    "shapes",
    "with_variants",
]
