"""Everything the command line takes from the engine, imported in this one place.

The engine's modules move as it grows (search/, ingest/, entities/); the CLI's other modules
import from here, so a move is one edit.
"""

from crosswire.index import export, shapes
from crosswire.index.library import Library, default_directory
from crosswire.index.model import (
    ENTITY_KINDS,
    AddReport,
    Article,
    ArticleSummary,
    CrosswireError,
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
    "Article",
    "ArticleSummary",
    "CrosswireError",
    "EntityDetail",
    "EntitySummary",
    "Library",
    "Progress",
    "QueryError",
    "SearchResults",
    "Skipped",
    "default_directory",
    "disk_full",
    "export",
    "seed_paths",
    "shapes",
]
