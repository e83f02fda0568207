"""crosswire's engine: ingest, the SQLite record, the Whoosh index, entities. No Textual.

`Library` is the one door: the CLI, the reader and the benchmarks use it, the records below
(plain dataclasses that outlive any cursor) and the errors — nothing else in this package is
public.

Names are loaded on first use (PEP 562): a CLI search must not pay for importing claims,
stories and the entity phase it never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "AddReport": ".model",
    "Alias": ".model",
    "AmbiguousName": ".model",
    "Article": ".model",
    "ArticleSummary": ".model",
    "Citation": ".model",
    "Claim": ".claims",
    "ClaimGroup": ".claims",
    "ClaimValue": ".claims",
    "Comparison": ".facts",
    "Coverage": ".story_model",
    "CoverageRow": ".story_model",
    "CrosswireError": ".model",
    "Decision": ".model",
    "DiskFull": ".store",
    "ENTITY_KINDS": ".model",
    "EntityChoice": ".model",
    "EntityDetail": ".model",
    "EntityHint": ".model",
    "EntitySummary": ".model",
    "Incoming": ".model",
    "IndexStatus": ".model",
    "Library": ".library",
    "Mention": ".model",
    "MentionInContext": ".model",
    "Passage": ".facts",
    "Progress": ".model",
    "QueryError": ".model",
    "ReadOnly": ".store",
    "SearchHit": ".model",
    "SearchResults": ".model",
    "Skipped": ".model",
    "SourcePassages": ".facts",
    "StoryDetail": ".story_model",
    "StorySource": ".story_model",
    "StorySummary": ".story_model",
    "default_directory": ".library",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


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
