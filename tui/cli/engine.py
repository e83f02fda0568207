"""Everything the command line takes from the engine, imported in this one place.

The engine's modules move as it grows (search/, ingest/, entities/); the CLI's other modules
import from here, so a move is one edit.
"""

from crosswire.index import export, shapes
from crosswire.index.claims import ClaimGroup
from crosswire.index.entities.naming import fold_variants, with_variants
from crosswire.index.facts import Comparison, Passage, comparison_json, group_json
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
