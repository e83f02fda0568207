"""Full-text search: crosswire's query language (query.py, dates.py), snippets (snippets.py),
the Whoosh schema (schema.py), the tree-to-Whoosh builder and collectors (builder.py), and the
index that ties them together (index.py)."""

from .. import whoosh_light  # noqa: F401  (first: Whoosh without what it never uses)
from . import whoosh_fixes
from .index import IndexDamaged, IndexOutdated, SearchIndex
from .query import Deadline, ParsedQuery, parse_query
from .schema import IndexDoc, document_fields, make_schema

whoosh_fixes.apply()

__all__ = [
    "Deadline",
    "IndexDamaged",
    "IndexDoc",
    "IndexOutdated",
    "ParsedQuery",
    "SearchIndex",
    "document_fields",
    "make_schema",
    "parse_query",
]
