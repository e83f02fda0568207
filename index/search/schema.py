"""What the Whoosh index holds: its schema, the analyzer its text fields share, and the
fields one article becomes. SQLite is the record; this is derived from it and versioned
(SCHEMA_VERSION in MARKER), so a change here means a rebuild, never a misread."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import (
    COLUMN,
    DATETIME,
    ID,
    KEYWORD,
    STORED,
    TEXT,
    Schema,
)

from .dates import parse_published

SCHEMA_VERSION = 4  # 2: every outlet of an article in `source`; 3: no character offsets;
# 4: the `source_code` column
MARKER = "crosswire-search.json"
# No stop list: "the" must be searchable and phrases must keep every word. minsize=1 keeps "U"
# of "U S" and digits like "8".
BODY_ANALYZER = StemmingAnalyzer(stoplist=None, minsize=1)


def analyzer_parts(analyzer: Any) -> tuple[Callable[[str], Iterator[re.Match[str]]], Any] | None:
    """The tokenizer's finditer and the stemmer of an analyzer that is exactly a regex
    tokenizer, a lowercase filter and a stemmer (BODY_ANALYZER): its terms are then
    stem(match.lower()) for each match, which the writer and the highlighter compute without
    Whoosh's Token objects; None for any other chain, which must go through Whoosh."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
    from whoosh.analysis.analyzers import CompositeAnalyzer

    if not isinstance(analyzer, CompositeAnalyzer) or len(analyzer.items) != 3:
        return None
    tokenizer, lower, stemmer = analyzer.items
    if not (
        type(tokenizer) is RegexTokenizer
        and not tokenizer.gaps
        and type(lower) is LowercaseFilter
        and type(stemmer) is StemFilter
        and not stemmer.ignore
        and not stemmer.lang
    ):
        return None
    return tokenizer.expression.finditer, stemmer._stem  # the filter's own stemmer


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index sees it; entities are entity keys for `entity:` queries."""

    id: str
    ref: str
    source: str
    title: str
    text: str
    published: str | None
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every outlet that carried the text; () means (source,)


def make_schema() -> Schema:
    """The fields of SCHEMA_VERSION; any change to them needs a new version."""
    return Schema(
        id=ID(unique=True, stored=True),
        ref=STORED(),
        # Every outlet that carried the article, so `source:` finds it under each.
        source=KEYWORD(lowercase=True, commas=True, scorable=False),
        source_name=STORED(),
        # One number a document for its set of outlets (source_code()), so the per-source
        # counts of a search read one column instead of every source's postings: that took
        # seconds on a searcher's first search at 20k articles, and grew with the library.
        source_code=COLUMN(NumericColumn("q", default=0)),
        source_names=STORED(),
        title=TEXT(analyzer=BODY_ANALYZER, stored=True, field_boost=2.0, spelling=True),
        # Positions for phrases, no character offsets: hits are found in the record's text
        # (snippets.hit_spans), and offsets cost ~7% of indexing CPU and disk for nothing.
        body=TEXT(analyzer=BODY_ANALYZER, phrase=True, spelling=True),
        # Undated articles get 0 in the sort column (Whoosh's default is the maximum), so a
        # newest-first sort lists them last.
        published=DATETIME(stored=True, sortable=NumericColumn("q", default=0)),
        published_text=STORED(),
        entities=KEYWORD(lowercase=True, commas=True, scorable=False),
    )


def schema_signature(schema: Schema) -> list[list[str]]:
    """Field names and types, to tell an index written with another schema."""
    return sorted([name, type(schema[name]).__name__] for name in schema.names())


def source_term(name: str) -> str:
    """How a source name is indexed and queried: trimmed, lowercase, no commas (the field
    separates outlets with commas)."""
    return " ".join(name.replace(",", " ").split()).lower()


def source_code(terms: Sequence[str]) -> int:
    """The column value of a set of outlets (their source_term forms): 63 bits of a hash,
    never 0 (the column's value for documents written without one)."""
    digest = hashlib.blake2b("\x1f".join(sorted(set(terms))).encode("utf-8"), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True) or 1


def document_fields(doc: IndexDoc) -> dict[str, Any]:
    """The Whoosh fields of one article (public so the benchmark writes exactly the same)."""
    sources = doc.sources or (doc.source,)
    published = parse_published(doc.published)
    terms = [source_term(name) for name in sources]
    fields: dict[str, Any] = {
        "id": doc.id,
        "ref": doc.ref,
        "source": ",".join(terms),
        "source_code": source_code(terms),
        "source_name": doc.source,
        "source_names": list(sources),
        "title": doc.title,
        "body": doc.text,
        "published_text": doc.published,
        "entities": ",".join(key.replace(",", " ") for key in doc.entities),
    }
    if published is not None:
        fields["published"] = published
    return fields
