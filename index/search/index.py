"""The full-text search index: a Whoosh index derived from SQLite, searched with crosswire's
query language (query.py).

SQLite is the record; this index can always be rebuilt from it, so anything that looks wrong on
open is reported as IndexDamaged and the Library rebuilds.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.index.model import CrosswireError, QueryError, SearchHit, SearchResults
from whoosh import collectors, index, query
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import ReaderClosed
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.writing import CLEAR, LockError

from .builder import (
    CountingCollector,
    DeadlineCollector,
    QueryBuilder,
    RankingCollector,
    date_facet,
    date_filter,
    matching_docs,
    split_filters,
)
from .postings import Unsupported, top_scored
from .query import Deadline, OutOfTime, ParsedQuery, leaves, parse_query
from .schema import (
    MARKER,
    SCHEMA_VERSION,
    IndexDoc,
    document_fields,
    make_schema,
    schema_signature,
    source_term,
)
from .segments import merge_tiny, optimize
from .snippets import hit_spans, make_snippet
from .whoosh_fixes import column_bytes


def _storage(directory: Path) -> FileStorage:
    """The index's files, read without mmap: Whoosh copies each part of an mmapped compound
    segment into a BytesIO of its own (whoosh/filedb/compound.py), so opening a searcher held
    every segment's postings twice, once in anonymous memory (118 MB of a 20k library's
    195 MB). Without mmap the parts are read in place, on demand."""
    return FileStorage(str(directory), supports_mmap=False)


FACET_CAP = 50  # sources listed in source_counts


@dataclass(frozen=True)
class _Request:
    """One search's inputs, as the stages of SearchIndex._search read them."""

    query: ParsedQuery
    fetch_text: Callable[[list[str]], dict[str, str]]
    limit: int
    sort: str
    source: str | None
    expand_entity: Callable[[str], list[str] | None] | None
    deadline: Deadline
    within: Collection[str] | None = None  # only these article ids (a story), counts included


class IndexDamaged(CrosswireError):
    """The index files exist but cannot be read; the Library rebuilds the index from SQLite."""


class IndexOutdated(IndexDamaged):
    """The index was written with another schema version; rebuilt from SQLite like damage,
    but the notice says why, so an upgrade is not reported as damage."""


class SearchIndex:
    """The derived Whoosh index: write, delete, and search with crosswire's query language.

    One searcher is shared and refreshed when another process commits; a lock makes it safe for
    the reader's worker thread and UI thread to search at the same time.
    """

    def __init__(self, directory: Path, *, time_limit: float = 3.0) -> None:
        self.directory = Path(directory)
        self.time_limit = time_limit
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._columns: dict[str, tuple[int, array[int]]] = {}
        self._names_of_code: dict[int, list[str]] = {}
        self._display_of_term: dict[str, str] = {}
        self._ix = self._open()
        if self._searcher is None:  # a new index: nothing to check
            self._open_searcher()

    def _open(self) -> index.Index:
        marker = self.directory / MARKER
        has_toc = self.directory.is_dir() and any(self.directory.glob("_MAIN_*.toc"))
        if not marker.exists():
            if has_toc:
                # Opening unpickles the schema: never open an index directory we did not write.
                raise IndexDamaged(f"{self.directory} holds an index crosswire did not write")
            self.directory.mkdir(parents=True, exist_ok=True)
            ix = _storage(self.directory).create_index(make_schema())
            marker.write_text(json.dumps({"version": SCHEMA_VERSION}))
            return ix
        try:
            version = json.loads(marker.read_text()).get("version")
        except (OSError, ValueError, AttributeError) as err:
            raise IndexDamaged(f"unreadable index marker {marker}: {err}") from err
        if version != SCHEMA_VERSION:
            raise IndexOutdated(
                f"index at {self.directory} has schema version {version}, this crosswire "
                f"writes {SCHEMA_VERSION}"
            )
        if not has_toc:
            raise IndexDamaged(f"index files missing in {self.directory}")
        for attempt in (1, 2):
            try:
                ix = _storage(self.directory).open_index()
                if schema_signature(ix.schema) != schema_signature(make_schema()):
                    raise IndexDamaged(f"index at {self.directory} has a different schema")
                # The searcher checked is the one kept: opening a second one read every
                # segment's files twice (0.2 s of a CLI search on 50 segments).
                searcher = ix.searcher()
                try:
                    _check_readable(searcher)
                except BaseException:
                    searcher.close()
                    raise
                self._searcher = searcher
                return ix
            except IndexDamaged:
                raise
            except Exception as err:  # any failure to read the files means: rebuild from SQLite
                if attempt == 2:
                    raise IndexDamaged(f"index at {self.directory} cannot be read: {err}") from err
                # Another process's commit may have just merged segments away: look once more
                # before calling a good index damaged (a rebuild costs the whole library).
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def _reopen(self) -> None:
        try:
            self._ix = _storage(self.directory).open_index()
        except Exception as err:  # whatever the files hold, the answer is a rebuild
            raise IndexDamaged(f"index at {self.directory} cannot be read: {err}") from err
        self._open_searcher()

    def _open_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._ix.searcher()
        self._columns = {}  # per searcher: a new one may reuse an old one's id()

    # writing

    def _writer(self, timeout: float = 60.0) -> Any:
        try:
            return self._ix.writer(timeout=timeout)
        except LockError as err:
            raise CrosswireError(
                f"the search index in {self.directory} is busy: another crosswire is writing"
            ) from err

    def write(
        self,
        docs: Iterable[IndexDoc],
        *,
        batch_size: int = 500,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Add or replace docs by id, committing each batch so an interruption loses one batch."""
        done = 0
        pending = 0
        writer: Any = None
        from .fast_add import FastAdder  # the write path only: 10 ms of every search's start

        adder: FastAdder | None = None
        try:
            for doc in docs:
                if writer is None:
                    writer = self._writer()
                    adder = FastAdder(writer)
                assert adder is not None
                adder.update(document_fields(doc))
                pending += 1
                if pending >= batch_size:
                    adder.finish()
                    writer.commit(mergetype=merge_tiny)
                    writer, done, pending = None, done + pending, 0
                    if on_batch:
                        on_batch(done)
        except BaseException:
            # Whatever failed (a document, the reader feeding docs, an interrupt), let go of
            # Whoosh's write lock now: a traceback kept alive would hold it and make the next
            # write report a busy index that nobody is writing.
            if writer is not None:
                assert adder is not None
                adder.close()
                writer.cancel()
            raise
        if writer is not None:
            assert adder is not None
            adder.finish()
            writer.commit(mergetype=merge_tiny)
            done += pending
            if on_batch:
                on_batch(done)
        self.refresh()
        return done

    def delete(self, ids: Iterable[str]) -> None:
        """Remove the articles with these ids and commit; CrosswireError when the index is
        locked by another writer past the timeout."""
        writer = self._writer()
        for doc_id in ids:
            writer.delete_by_term("id", doc_id)
        writer.commit(mergetype=merge_tiny)
        self.refresh()

    def clear(self) -> None:
        """Empty the index (before a rebuild from the record); CrosswireError when locked."""
        writer = self._writer()
        writer.commit(mergetype=CLEAR)
        self.refresh()

    def segment_count(self) -> int:
        """How many segments the latest commit left (optimize merges them into one)."""
        return len(self._ix._segments())

    def optimize(self, on_step: Callable[[int, int], None] | None = None) -> int:
        """Merge small segments into ones of up to segments.STEP_DOCS documents, a bounded step
        a commit, so a kill loses only the step in flight; returns the steps taken.
        CrosswireError when another process holds the index's write lock."""
        steps = optimize(self._writer, self.segment_count, on_step or (lambda done, total: None))
        self.refresh()
        return steps

    # reading

    def doc_count(self) -> int:
        """How many articles the index holds, as of the latest commit."""
        with self._lock:
            self._refresh_if_stale()
            return int(self._searcher.doc_count())

    def refresh(self) -> None:
        """Pick up commits made since the searcher opened (by this or another process)."""
        with self._lock:
            if self._searcher.up_to_date():
                return
            # Not Searcher.refresh(): it reuses segment readers whose deletions are stale (an
            # updated document would show twice) and fails on an empty index.
            self._open_searcher()

    def _refresh_if_stale(self) -> None:
        if not self._searcher.up_to_date():
            self.refresh()

    def close(self) -> None:
        """Close the searcher and the index files; the object is unusable after."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix.close()

    def search(
        self,
        query: str | ParsedQuery,
        *,
        fetch_text: Callable[[list[str]], dict[str, str]],
        limit: int = 20,
        sort: str = "relevance",
        source: str | None = None,
        expand_entity: Callable[[str], list[str] | None] | None = None,
        deadline: Deadline | None = None,
        within: Collection[str] | None = None,
    ) -> SearchResults:
        """Run a query (text, or already parsed by parse_query); hits carry snippets and every
        hit's offsets in the article text.

        The whole search keeps to `deadline` (time_limit from now by default): one that runs
        out returns what it found so far, marked partial, its counts a lower bound. Raises
        QueryError for a malformed query, a bad sort or limit; IndexDamaged when the files
        cannot be read even after reopening them once."""
        deadline = deadline or Deadline(self.time_limit)
        if sort not in ("relevance", "date"):
            raise QueryError(f"unknown sort '{sort}' — use relevance or date")
        if limit < 1:
            raise QueryError(f"the limit must be 1 or more, not {limit}")
        parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
        request = _Request(parsed, fetch_text, limit, sort, source, expand_entity, deadline, within)
        with self._lock:
            for attempt in (1, 2):
                try:
                    self._refresh_if_stale()
                    return self._search(request)
                except (OSError, EOFError, ValueError, ReaderClosed) as err:
                    if isinstance(err, ValueError) and "closed file" not in str(err):
                        raise
                    # Another process merged segments away under an old searcher: reopen once.
                    if attempt == 2:
                        raise IndexDamaged(f"the search index cannot be read: {err}") from err
                    self._reopen()
        raise AssertionError("unreachable")

    def _search(self, request: _Request) -> SearchResults:
        searcher = self._searcher
        text, tree = request.query.text, request.query.tree
        build = QueryBuilder(searcher, request.expand_entity, request.deadline)
        tree, dates = split_filters(tree)
        try:
            whoosh_query = build.query(tree)
            allow = date_filter(searcher, dates, lambda: self._column(searcher, "published"))
        except OutOfTime:
            return SearchResults(query=text, total=0, hits=[], partial=True)
        if not any(positive for _, positive in leaves(tree)):
            whoosh_query = query.And([query.Every(), whoosh_query])
        if request.within is not None:
            # A story is a set of article ids: a filter on the unique id field, so moving an
            # article between stories never needs the index rewritten.
            # Scored 0, so ranking within a story is the ranking of the query alone.
            ids = [query.Term("id", aid) for aid in sorted(request.within)]
            scope = query.ConstantScoreQuery(query.Or(ids), 0.0) if ids else query.NullQuery
            whoosh_query = query.And([whoosh_query, scope])
        filtered = whoosh_query
        if request.source:
            filtered = query.And([whoosh_query, query.Term("source", source_term(request.source))])

        # Ranked by relevance, every query shape the block scorer knows (terms, phrases,
        # prefixes, fuzzy words, their AND/OR/NOT, a story scope) is scored on whole posting
        # blocks with Whoosh's own scores (index/search/postings.py): at 100k that measured
        # 1.5-2.3x less CPU than Whoosh's block-skipping top N plus a counting pass, and 4x
        # less for phrases. The date sort and the rest (a date inside an OR, a query of NOTs
        # alone) go through Whoosh's collectors (_collect).
        partial = build.partial
        ranked: list[tuple[float, dict[str, Any]]] | None = None
        if request.sort == "relevance":
            try:
                best, docset, ran_out = top_scored(
                    searcher, filtered, request.limit, allow, request.deadline
                )
            except Unsupported:
                pass
            else:
                partial = partial or ran_out
                ranked = [(score, searcher.stored_fields(n)) for score, n in best]
        if ranked is None:
            ranked, docset, ran_out = _collect(searcher, filtered, request, build, allow)
            partial = partial or ran_out
        # With a source filter the per-source counts are over the unfiltered query; a search that
        # ran out of time counts what it collected, which is a lower bound either way.
        faceted = docset
        if request.source and not partial:
            faceted, _ = matching_docs(searcher, whoosh_query, request.deadline, allow)
        counts = self._source_counts(searcher, faceted)
        marks = frozenset(build.highlight_terms), frozenset(build.highlight_phrases)
        hits = _hits(ranked, request, *marks)
        total = len(docset)
        suggestion = None
        if total == 0 and not partial:
            suggestion = self._suggest(request.query, request.deadline)
        return SearchResults(
            query=text,
            total=total,
            hits=hits,
            suggestion=suggestion,
            source_counts=counts,
            partial=partial,
        )

    def _source_counts(self, searcher: Any, docset: set[int]) -> dict[str, int]:
        """Matches per source of these documents; an article counts under every outlet that
        carried it."""
        codes = self._column(searcher, "source_code")
        tally = Counter(map(codes.__getitem__, docset))  # counted in C: 48k matches, 5 ms
        unnamed = {code for code in tally if code not in self._names_of_code}
        for docnum in docset if unnamed else ():  # one document of each new code, once
            if codes[docnum] in unnamed:
                unnamed.discard(codes[docnum])
                self._code_names(searcher, codes[docnum], docnum)
                if not unnamed:
                    break
        counts: Counter[str] = Counter()
        for code, count in tally.items():
            for name in self._names_of_code[code]:
                counts[name] += count
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return dict(ranked[:FACET_CAP])

    def _column(self, searcher: Any, name: str) -> array[int]:
        """docnum -> a numeric ("q") column's value, read once per searcher, each segment's
        column in one piece: the source codes of a facet, the dates of a date filter."""
        cached = self._columns.get(name)
        if cached is not None and cached[0] == id(searcher):
            return cached[1]
        values: array[int] = array("q")
        for reader, _ in searcher.reader().leaf_readers():
            if reader.doc_count_all() == 0:  # an empty index's reader has no columns
                continue
            column = reader.column_reader(name, translate=False)
            raw = column_bytes(column, "q")
            if raw is not None:
                part = array("q", raw)
                if sys.byteorder == "little":
                    part.byteswap()  # Whoosh packs numbers big-endian ("!q")
                values.extend(part)
                values.extend([column._default] * (reader.doc_count_all() - column._count))
            else:  # another column layout: Whoosh's own, one value at a time
                values.extend(column[n] for n in range(reader.doc_count_all()))
        self._columns[name] = (id(searcher), values)
        return values

    def _code_names(self, searcher: Any, code: int, docnum: int) -> list[str]:
        """The outlet names of a source code, as one of its documents stores them; one name
        for each outlet term, the first display form met (codes are hashes of the terms, so
        what is learned holds for every searcher)."""
        names = self._names_of_code.get(code)
        if names is None:
            stored = searcher.reader().stored_fields(docnum)
            listed = stored.get("source_names") or [stored.get("source_name") or ""]
            names = []
            for name in listed:
                term = source_term(name)
                display = self._display_of_term.setdefault(term, name)
                if display not in names:
                    names.append(display)
            self._names_of_code[code] = names
        return names

    def _suggest(self, parsed: ParsedQuery, deadline: Deadline) -> str | None:
        """The query with unknown words replaced by the closest indexed word, or None; words
        left when the deadline passes stay as typed."""
        reader = self._searcher.reader()
        corrector = self._searcher.corrector("body")
        query_text = changed = parsed.text
        for leaf, positive in sorted(leaves(parsed.tree), key=lambda item: -item[0].start):
            if not positive or leaf.kind != "word" or leaf.field not in (None, "text", "title"):
                continue
            word = leaf.text.lower()
            if deadline.expired():
                break
            if not word.isalpha() or _known(reader, word):
                continue
            fix = _best_fix(reader, word, corrector.suggest(word, limit=10, maxdist=2, prefix=1))
            if fix:
                prefix = query_text[leaf.start : leaf.end][: -len(leaf.text)]
                changed = changed[: leaf.start] + prefix + fix + changed[leaf.end :]
        return changed if changed != query_text else None


def _best_fix(reader: Any, word: str, fixes: list[str]) -> str | None:
    """The correction a user most likely meant: a word the typed one starts with (a stray
    key at the end: "dronej" is "drone", not "done"), the longest such; else the nearest by
    edit distance, the most frequent among equals."""
    if not fixes:
        return None
    prefixes = [fix for fix in fixes if word.startswith(fix)]
    if prefixes:
        return max(prefixes, key=len)

    def rank(fix: str) -> tuple[int, int]:
        return damerau_levenshtein(fix, word), -reader.frequency("spell_body", fix)

    return min(fixes, key=rank)


def _collect(
    searcher: Any, filtered: Any, request: _Request, build: QueryBuilder, allow: set[int] | None
) -> tuple[list[tuple[float, dict[str, Any]]], set[int], bool]:
    """The search through Whoosh's collectors, for the date sort and the shapes the block
    scorer does not know: the top N (score, stored fields), every match's number, and whether
    the deadline cut it short. In two passes where Whoosh can skip blocks (terms and their
    AND/OR): the top N, then every match's number unscored; else one pass that sees every
    match."""
    two_pass = not (build.highlight_phrases or build.expanded or request.sort == "date")
    collector: Any = (
        RankingCollector(limit=request.limit)
        if two_pass
        else CountingCollector(limit=request.limit)
    )
    if request.sort == "date":
        collector = collectors.SortingCollector([date_facet()], limit=request.limit)
    partial = False
    try:
        searcher.search_with_collector(
            filtered, DeadlineCollector(collector, request.deadline, allow)
        )
        docset = set(collector.docset)
        if two_pass:
            docset, partial = matching_docs(searcher, filtered, request.deadline, allow)
            if partial:  # a lower bound: what either pass saw
                docset |= collector.docset
    except collectors.TimeLimit:
        partial = True
        docset = set(collector.docset)  # what was scored before the deadline
    found = collector.results()[: request.limit]
    return [(hit.score, hit.fields()) for hit in found], docset, partial


def _hits(
    ranked: list[tuple[float, dict[str, Any]]],
    request: _Request,
    terms: frozenset[str],
    phrases: frozenset[tuple[str, ...]] = frozenset(),
) -> list[SearchHit]:
    """The first `limit` results, (score, stored fields) best first, as SearchHits: the
    snippet and hit offsets found in each article's text (fetched from the record in one
    call)."""
    texts = request.fetch_text([fields["id"] for _, fields in ranked]) if ranked else {}
    hits = []
    for score, fields in ranked:
        text = texts.get(fields["id"], "")
        spans = hit_spans(text, terms, phrases)
        snippet, snippet_hits = make_snippet(text, spans, title=fields.get("title", ""))
        hits.append(
            SearchHit(
                id=fields["id"],
                ref=fields.get("ref", ""),
                source=fields.get("source_name", ""),
                title=fields.get("title", ""),
                published=fields.get("published_text"),
                score=float(score) if request.sort == "relevance" else 0.0,
                snippet=snippet,
                hits=spans,
                snippet_hits=snippet_hits,
            )
        )
    return hits


def _known(reader: Any, word: str) -> bool:
    return any(reader.frequency(field, word) > 0 for field in ("spell_body", "spell_title"))


def _check_readable(searcher: Any) -> None:
    """Touch every segment's postings, lexicon, columns and stored fields so damage shows now."""
    reader = searcher.reader()
    count = reader.doc_count_all()
    if count:
        reader.stored_fields(count - 1)
        reader.stored_fields(0)
    for fieldname in ("id", "body", "spell_body"):
        for number, term in enumerate(reader.lexicon(fieldname)):
            list(reader.postings(fieldname, term).all_ids())
            if number > 2:
                break
    if count and reader.has_column("published"):
        reader.column_reader("published")[count - 1]
