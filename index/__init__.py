"""crosswire's engine: ingest, the SQLite record, the Whoosh index, entities. No Textual.

`Library` is the one door: the CLI, the reader and the benchmarks use it, the records below
(plain dataclasses that outlive any cursor) and the errors — nothing else in this package is
public.
"""

from .claims import Claim, ClaimGroup, ClaimValue
from .facts import Comparison, Passage, SourcePassages
from .library import Library, default_directory
from .model import (
    ENTITY_KINDS,
    AddReport,
    Alias,
    AmbiguousName,
    Article,
    ArticleSummary,
    Citation,
    CrosswireError,
    Decision,
    EntityChoice,
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
from .story_model import Coverage, CoverageRow, StoryDetail, StorySource, StorySummary

__all__ = [
    "ENTITY_KINDS",
    "AddReport",
    "Alias",
    "AmbiguousName",
    "Article",
    "ArticleSummary",
    "Citation",
    "Claim",
    "ClaimGroup",
    "ClaimValue",
    "Comparison",
    "Coverage",
    "CoverageRow",
    "CrosswireError",
    "Decision",
    "DiskFull",
    "EntityChoice",
    "EntityDetail",
    "EntityHint",
    "EntitySummary",
    "Incoming",
    "IndexStatus",
    "Library",
    "Mention",
    "MentionInContext",
    "Passage",
    "Progress",
    "QueryError",
    "ReadOnly",
    "SearchHit",
    "SearchResults",
    "Skipped",
    "SourcePassages",
    "StoryDetail",
    "StorySource",
    "StorySummary",
    "default_directory",
]
