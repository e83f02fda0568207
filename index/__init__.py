"""crosswire's engine: ingest, the SQLite record, the Whoosh index, entities. No Textual.

`Library` is the one door: the CLI, the reader and the benchmarks use it, the records below
(plain dataclasses that outlive any cursor) and the errors — nothing else in this package is
public.
"""

from .library import Library, default_directory
from .model import (
    ENTITY_KINDS,
    AddReport,
    Alias,
    Article,
    ArticleSummary,
    Citation,
    CrosswireError,
    EntityDetail,
    EntityHint,
    EntitySummary,
    Incoming,
    IndexStatus,
    Mention,
    MentionInContext,
    Progress,
    QueryError,
    SearchHit,
    SearchResults,
    Skipped,
)
from .store import DiskFull, ReadOnly

__all__ = [
    "ENTITY_KINDS",
    "AddReport",
    "Alias",
    "Article",
    "ArticleSummary",
    "Citation",
    "CrosswireError",
    "DiskFull",
    "EntityDetail",
    "EntityHint",
    "EntitySummary",
    "Incoming",
    "IndexStatus",
    "Library",
    "Mention",
    "MentionInContext",
    "Progress",
    "QueryError",
    "ReadOnly",
    "SearchHit",
    "SearchResults",
    "Skipped",
    "default_directory",
]
