"""crosswire's engine: ingest, the SQLite record, the Whoosh index, entities. No Textual.

`Library` is the one door: the CLI, the reader and the benchmarks use it, the records below
(plain dataclasses that outlive any cursor) and the errors — nothing else in this package is
public.

Names are loaded on first use (PEP 562): a CLI search must not pay for importing claims,
stories and the entity phase it never runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
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


def lazy_names(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` (PEP 562) that imports each name of `where` (name -> module,
    relative to `package`) on first use: what a module re-exports need not load with it."""

    def load(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(where[name], package), name)

    return load


__getattr__ = lazy_names(__name__, _WHERE)


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
