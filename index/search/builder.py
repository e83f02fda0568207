"""From a query's syntax tree to a Whoosh query, and the collectors a search runs with:
counting every match (exact totals, source facets) and stopping at the search's deadline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from crosswire.index.model import QueryError
from whoosh import collectors, query
from whoosh.support.levenshtein import damerau_levenshtein

from .dates import date_bounds
from .postings import segment_docs
from .query import Deadline, Leaf, Node
from .schema import source_term
from .snippets import index_forms

# whoosh.query.Query: Whoosh has no type hints, so its objects are Any to mypy.
WhooshQuery: TypeAlias = Any

MAX_EXPANSIONS = 256  # prefix/fuzzy words kept per query term, most frequent first
MAX_EXPANDED = 1024  # prefix/fuzzy forms over the whole query (each term keeps at least one)


def _shape(node: Node | Leaf) -> object:
    """What a subtree means, without where it stands in the query text (start/end)."""
    if isinstance(node, Leaf):
        return (node.kind, node.text, node.field, node.maxdist)
    return (node.op, tuple(_shape(child) for child in node.children))


class QueryBuilder:
    """Turns a syntax tree into a Whoosh query, expanding prefix/fuzzy words on the unstemmed
    spelling fields (fuzzy on stemmed terms finds nothing) and noting the terms to highlight."""

    def __init__(
        self,
        searcher: Any,
        expand_entity: Callable[[str], list[str] | None] | None,
        deadline: Deadline | None = None,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.expand_entity = expand_entity
        self.deadline = deadline or Deadline(float("inf"))
        self.highlight_terms: set[str] = set()
        self.highlight_phrases: set[tuple[str, ...]] = set()  # marked as runs, not as words
        self.partial = False
        self.expanded = 0  # prefix/fuzzy forms so far, against MAX_EXPANDED
        self._built: dict[tuple[object, bool], WhooshQuery] = {}

    def query(self, node: Node | Leaf, positive: bool = True) -> WhooshQuery:
        """The Whoosh query of a tree; a repeated subtree (`a* a* a*`) is built once and kept
        once in its AND/OR, so repetition costs neither expansion nor matching time."""
        key = (_shape(node), positive)
        built = self._built.get(key)
        if built is not None:
            return built
        self.deadline.check()
        if isinstance(node, Leaf):
            built = self.leaf(node, positive)
        elif node.op == "not":
            built = query.Not(self.query(node.children[0], False))
        else:
            parts: dict[object, WhooshQuery] = {}
            for child in node.children:
                parts.setdefault(_shape(child), self.query(child, positive))
            kept = list(parts.values())
            if len(kept) == 1:
                built = kept[0]
            else:
                built = query.And(kept) if node.op == "and" else query.Or(kept)
        self._built[key] = built
        return built

    def leaf(self, leaf: Leaf, positive: bool) -> WhooshQuery:
        """The query of one term; positive (not under a NOT) terms are highlighted."""
        fields = {None: ("title", "body"), "title": ("title",), "text": ("body",)}.get(
            leaf.field, ()
        )
        if leaf.kind == "date":
            start, end = date_bounds(leaf.text)
            return query.DateRange("published", start, end, endexcl=True)
        if leaf.kind == "entity":
            return self.entity(leaf.text)
        if leaf.kind == "source":
            return query.Term("source", source_term(leaf.text))
        if leaf.kind == "prefix" and leaf.field == "source":
            return query.Prefix("source", source_term(leaf.text))
        if leaf.kind in ("prefix", "fuzzy"):
            expanded = self.expand(leaf, fields)
            if positive:
                self.highlight_terms.update(expanded)
            return expansion([query.Term(f, form) for form in expanded for f in fields])
        forms = index_forms(leaf.text)
        if not forms:
            return query.NullQuery
        if positive and len(forms) > 1:
            self.highlight_phrases.add(tuple(forms))
        elif positive:
            self.highlight_terms.update(forms)
        if len(forms) == 1:
            return query.Or([query.Term(f, forms[0]) for f in fields])
        return query.Or([query.Phrase(f, list(forms)) for f in fields])

    def expand(self, leaf: Leaf, fields: tuple[str, ...]) -> list[str]:
        """Indexed forms of the words a prefix* or fuzzy~ term stands for, most frequent first."""
        word = leaf.text.lower()
        if not word or len(index_forms(word)) != 1:
            raise QueryError(f"{leaf.text}{'*' if leaf.kind == 'prefix' else '~'} must be one word")
        words: set[str] = set()
        for field in fields:
            spell = "spell_" + field
            if leaf.kind == "prefix":
                for number, found in enumerate(self.reader.expand_prefix(spell, word)):
                    if number % 1024 == 0:
                        self.deadline.check()
                    words.add(found)
            else:
                # Whoosh's automaton has no transpositions: search one edit wider, then keep
                # words within the Damerau distance (so dornes~ finds drones). The first letter
                # must match: without that a 35k-word vocabulary took 1.3 s, with it 80 ms.
                wider = self.reader.terms_within(spell, word, leaf.maxdist + 1, prefix=1)
                self.deadline.check()
                for candidate in wider:
                    if damerau_levenshtein(candidate, word) <= leaf.maxdist:
                        words.add(candidate)
        words_text = {w.decode("utf-8") if isinstance(w, bytes) else w for w in words}
        forms: set[str] = set()
        for number, w in enumerate(words_text):
            if number % 256 == 0:
                self.deadline.check()
            forms.update(index_forms(w))
        # Each term keeps its most frequent forms, at most MAX_EXPANSIONS, and the whole query
        # at most MAX_EXPANDED (but at least one a term), so many wildcards stay bounded too.
        keep = max(1, min(MAX_EXPANSIONS, MAX_EXPANDED - self.expanded))
        if len(forms) > keep:
            self.partial = True
            forms = set(sorted(forms, key=lambda f: -self.reader.doc_frequency("body", f))[:keep])
        self.expanded += len(forms)
        return sorted(forms)

    def entity(self, name: str) -> WhooshQuery:
        """Articles naming the entity called name under any of its names (its keys)."""
        keys = self.expand_entity(name) if self.expand_entity else [name]
        keys = [key.replace(",", " ").strip().lower() for key in keys or []]
        keys = [key for key in keys if key]
        if not keys:
            return query.NullQuery
        return query.Or([query.Term("entities", key) for key in keys])


def expansion(terms: list[WhooshQuery]) -> WhooshQuery:
    """The OR of a prefix's or fuzzy word's forms, matched by Whoosh's array union (every
    match scored into one array a segment) rather than the binary tree of unions it picks past
    5,000 documents: with every match counted anyway, that measured 2-5x faster for 15-150
    forms on 2,000 articles (the tree walks ~log2(forms) matchers per posting), same counts."""
    union = query.Or(terms)
    if len(terms) > 2:
        union.matcher_type = query.Or.ARRAY_MATCHER
    return union


def date_facet() -> Any:
    """Newest first; undated articles (0 in the column) last."""
    from whoosh.sorting import FieldFacet

    return FieldFacet("published", reverse=True)


class CountingCollector(collectors.TopCollector):  # type: ignore[misc]
    """Top N by score that also sees every match, for an exact total and the source facet.

    Seeing every match gives up Whoosh's block-skipping, which measured cheaper here than
    running the query a second time for the counts. Block quality is off, and so is the other
    shortcut: once N hits are held, Whoosh replaces the matcher with one that drops every
    sub-query (an OR's word, a whole block) that cannot beat the N-th score, and those
    documents were never counted ("police": 5,632 of 48,367). Keeping the bar at 0 keeps every
    match in the count; the replacement still prunes exhausted sub-matchers.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)

    def _collect(self, global_docnum: int, score: float) -> Any:
        self.docset.add(global_docnum)
        kept = super()._collect(global_docnum, score)
        self.minscore = 0
        return kept


class RankingCollector(collectors.TopCollector):  # type: ignore[misc]
    """The top N by score, with Whoosh's block skipping; it also keeps the numbers of the
    documents it scored, which are the count when the deadline stops the search here."""

    def _collect(self, global_docnum: int, score: float) -> Any:
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)


def matching_docs(
    searcher: Any, whoosh_query: Any, deadline: Deadline, allow: set[int] | None
) -> tuple[set[int], bool]:
    """Every (global) document number the query matches, within `allow`, read from the
    postings without scoring; and whether the deadline cut it short (the set is then a
    lower bound)."""
    found: set[int] = set()
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        if deadline.expired():
            return (found if allow is None else found & allow), True
        docs = segment_docs(sub, whoosh_query, deadline)
        found.update(docs if not offset else (offset + n for n in docs))
    return (found if allow is None else found & allow), deadline.expired()


class DeadlineCollector(collectors.WrappingCollector):  # type: ignore[misc]
    """Stops collecting at the search's deadline (TimeLimit); what was collected so far stays
    in the child. Unlike Whoosh's TimeLimitCollector its clock starts when the search starts,
    not after the query was parsed, built and expanded, and it needs no timer thread.

    `allow`, when given, is the set of (global) document numbers a match must be in: the
    query's date filters, found once unscored, so a date never goes through scoring."""

    def __init__(self, child: Any, deadline: Deadline, allow: set[int] | None = None) -> None:
        self.child = child
        self.deadline = deadline
        self.allow = allow

    def collect_matches(self) -> None:
        child = self.child
        expired = self.deadline.expired
        allow = self.allow
        if expired():
            raise collectors.TimeLimit
        offset = child.offset
        for number, sub_docnum in enumerate(child.matches(), 1):
            if allow is None or offset + sub_docnum in allow:
                child.collect(sub_docnum)
            if number % 256 == 0 and expired():
                raise collectors.TimeLimit


def split_filters(tree: Node | Leaf) -> tuple[Node | Leaf, list[Leaf]]:
    """The query without its top-level date terms, and those terms: `police date:2021` is
    `police` filtered to 2021. A date alone, or under an OR or a NOT, stays in the query."""
    if isinstance(tree, Leaf) or tree.op != "and":
        return tree, []
    dates = [c for c in tree.children if isinstance(c, Leaf) and c.kind == "date"]
    rest = [c for c in tree.children if not (isinstance(c, Leaf) and c.kind == "date")]
    if not dates or not rest:
        return tree, []
    return (rest[0] if len(rest) == 1 else Node("and", tuple(rest))), dates


def date_filter(
    searcher: Any, dates: list[Leaf], published: Callable[[], Sequence[int]]
) -> set[int] | None:
    """The documents within every date term, unscored; None when there are no date terms.

    Read from the `published` sort column (`published()`, docnum -> the value Whoosh stores,
    0 for undated): a DateRange on the indexed field expands into hundreds of trie terms a
    segment, half of a dated search's time at 20k articles. An article dated exactly at
    1970-01-01T00:00 reads as undated."""
    if not dates:
        return None
    field = searcher.schema["published"]
    values = published()
    allow: set[int] | None = None
    for leaf in dates:
        start, end = date_bounds(leaf.text)
        low = field.prepare_datetime(start) if start is not None else None
        high = field.prepare_datetime(end) if end is not None else None
        docs = {
            docnum
            for docnum, value in enumerate(values)
            if value != 0 and (low is None or value >= low) and (high is None or value < high)
        }  # deleted documents may be in it: the query they filter never matches those
        allow = docs if allow is None else allow & docs
    return allow
