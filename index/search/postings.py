"""Matching and scoring by set algebra on whole posting blocks, for the queries Whoosh's own
matchers make slow: the unscored pass that counts every match, and phrases.

Whoosh walks a tree of matchers one document at a time in Python, and a phrase makes a
Span object for every position of every word in every document holding all of them: at
100k articles `search police` spent 0.8 s of 1 s counting, and a two-word phrase of common
words 0.5-1.7 s. Here a posting block's ids, weights and positions are taken whole, documents
are combined as sets, and a phrase is checked with set arithmetic on positions. The answers
are Whoosh's: the same documents (tests/engine/test_docsets.py compares every query shape),
and for ranking the same BM25F scores from Whoosh's own scorer objects, where a phrase scores
the sum of its words' scores and an AND or OR the sum of its matching parts, as its
IntersectionMatcher and UnionMatcher do.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, islice, repeat
from operator import add, sub
from pickle import loads
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from .query import Deadline
from .whoosh_fixes import segment_lengths

_INT_SIZE = 4  # a Positions value: the count (an unsigned int), then the pickled deltas
Block = tuple[Sequence[int], Sequence[float] | None, Sequence[bytes] | None]


class Unsupported(Exception):
    """A query shape scored here only by Whoosh (a date range, a numeric filter)."""


def _blocks(reader: Any, field: str, text: Any, values: bool) -> Iterator[Block]:
    """A term's postings in one segment, a block at a time: ids, and with values=True the
    weights and encoded values too (one unpickling a block either way), deleted documents
    included (callers drop them)."""
    if (field, text) not in reader:
        return
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):  # the segment has deleted documents
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            # The block's tuple unpickled once; ids delta-decoded in C (Whoosh's _read_ids
            # runs a Python generator over every id).
            if matcher._data is None:
                matcher._read_data()
            raw = matcher._data[0]
            ids = raw if matcher._byteids else tuple(accumulate(raw))
            start = matcher._i
            weights = values_of = None
            if values:
                matcher._read_weights()
                matcher._read_values()
                weights, values_of = matcher._weights[start:], matcher._values[start:]
            yield ids[start:], weights, values_of
            matcher._next_block()
    elif hasattr(matcher, "_ids"):  # inlined postings (a rare term): one short list
        listed = list(matcher._ids)
        weights = list(matcher._weights) if matcher._weights else [1.0] * len(listed)
        yield listed, weights, list(matcher._values) if matcher._values else None
    else:  # another codec: Whoosh's matcher, one posting at a time
        id_list: list[int] = []
        weight_list: list[float] = []
        value_list: list[Any] = []
        while matcher.is_active():
            id_list.append(matcher.id())
            weight_list.append(matcher.weight())
            value_list.append(matcher.value() if values else None)
            matcher.next()
        yield id_list, weight_list, value_list if values else None


def term_docs(reader: Any, field: str, text: str) -> set[int]:
    """A term's live documents in one segment."""
    ids: set[int] = set()
    for block_ids, _, _ in _blocks(reader, field, text, values=False):
        ids.update(block_ids)
    if ids and reader.has_deletions():
        ids -= reader.deleted_docs_set
    return ids


def segment_docs(searcher: Any, q: Any, deadline: Deadline) -> set[int]:
    """The document numbers of one segment that `q` matches: terms, phrases and their
    AND/OR/NOT here; any other query (a date range) by Whoosh's own docs(). A deadline that
    passes leaves a subset."""
    reader = searcher.reader()
    if isinstance(q, query.Term):
        return term_docs(reader, q.fieldname, q.text)
    if isinstance(q, query.Phrase) and q.slop == 1:
        return set(_phrase_weights(searcher, q.fieldname, q.words, deadline))
    if isinstance(q, query.Or):
        union: set[int] = set()
        for sub in q.subqueries:
            union |= segment_docs(searcher, sub, deadline)
        return union
    if isinstance(q, query.And):
        wanted = [s for s in q.subqueries if not isinstance(s, query.Not)]
        unwanted = [s.query for s in q.subqueries if isinstance(s, query.Not)]
        if not wanted:
            return set()
        sets = sorted((segment_docs(searcher, s, deadline) for s in wanted), key=len)
        both = sets[0].intersection(*sets[1:])
        for sub in unwanted:
            if not both:
                break
            both -= segment_docs(searcher, sub, deadline)
        return both
    if isinstance(q, query.ConstantScoreQuery):
        return segment_docs(searcher, q.child, deadline)
    if q is query.NullQuery:
        return set()
    found: set[int] = set()
    ids = q.docs(searcher)
    while chunk := list(islice(ids, 1024)):
        found.update(chunk)
        if deadline.expired():
            break
    return found


def _phrase_weights(
    searcher: Any, field: str, words: Sequence[str], deadline: Deadline
) -> dict[int, list[float]]:
    """docnum -> each word's weight, for the live documents of one segment where the words
    stand one after another in `field` (Whoosh's Phrase with slop 1: consecutive positions)."""
    reader = searcher.reader()
    if field not in searcher.schema or not words:
        return {}
    fieldobj = searcher.schema[field]
    texts = [fieldobj.to_bytes(word) for word in words]
    if any((field, text) not in reader for text in texts):
        return {}
    # Each distinct word's postings in one pass: docnum -> (weight, encoded positions).
    postings: dict[bytes, dict[int, tuple[float, bytes]]] = {}
    for text in sorted(set(texts), key=lambda text: reader.doc_frequency(field, text)):
        found: dict[int, tuple[float, bytes]] = {}
        rarest = next(iter(postings.values()), None)
        for ids, weights, values in _blocks(reader, field, text, values=True):
            assert weights is not None and values is not None
            if deadline.expired():  # what was read so far: a subset
                break
            if rarest is None:
                found.update(zip(ids, zip(weights, values, strict=True), strict=True))
            else:  # only the documents the rarest word is in can hold the phrase
                for docnum in rarest.keys() & ids:  # found in C; ids are sorted
                    i = bisect_left(ids, docnum)
                    found[docnum] = (weights[i], values[i])
        postings[text] = found
    candidates = set.intersection(*(set(found) for found in postings.values()))
    if reader.has_deletions():
        candidates -= reader.deleted_docs_set
    matched: dict[int, list[float]] = {}
    for docnum in candidates:
        # Where the phrase could start: each word's positions less its offset in the phrase,
        # the word written least often first (its weight is its count), the last word only
        # looked through until one start fits.
        here = [(postings[text][docnum], offset) for offset, text in enumerate(texts)]
        here.sort(key=lambda item: item[0][0])
        starts: set[int] = set()
        for number, ((_, value), offset) in enumerate(here):
            positions = accumulate(loads(value[_INT_SIZE:]))
            shifted = map(sub, positions, repeat(offset)) if offset else positions
            if not number:
                starts = set(shifted)
            elif number < len(here) - 1:
                starts.intersection_update(shifted)
            elif starts.isdisjoint(shifted):
                starts = set()
            if not starts:
                break
        if starts:
            matched[docnum] = [postings[text][docnum][0] for text in texts]
    return matched


@lru_cache(maxsize=64)
def _length_norms(k1: float, b: float, avgfl: float) -> tuple[float, ...]:
    """bm25()'s length part for each length byte: the same for every term of a field (a
    prefix's 512 terms in 10 segments would otherwise build it 5,120 times a search)."""
    return tuple(k1 * ((1 - b) + b * byte_to_length(n) / avgfl) for n in range(256))


def _scoring(searcher: Any, field: str, text: Any) -> Callable[[float, int], float]:
    """(weight, docnum) -> the score Whoosh's own scorer gives one term in one segment: BM25F
    from the weight and the field length (global statistics from the parent searcher), or
    the weight alone on a field without lengths (`source`)."""
    scorer = searcher.weighting.scorer(searcher, field, text)
    lengths = segment_lengths(searcher.reader(), field)
    if type(scorer) is BM25FScorer and lengths is not None:
        # Whoosh's bm25() inlined, the same operations in the same order (the same floats),
        # its length part looked up by length byte: 3x faster than through the scorer.
        idf, k1 = scorer.idf, scorer.K1
        k1_plus_1 = k1 + 1
        norm = _length_norms(k1, scorer.B, scorer.avgfl)
        return lambda w, d: float(idf * ((w * k1_plus_1) / (w + norm[lengths[d]])))
    if isinstance(scorer, WeightLengthScorer):
        score, length = scorer._score, scorer.dfl
        return lambda weight, docnum: float(score(weight, length(docnum)))
    if isinstance(scorer, WeightScorer):
        return lambda weight, docnum: float(weight)
    raise Unsupported


def segment_scores(searcher: Any, q: Any, deadline: Deadline) -> dict[int, float]:
    """docnum -> the score Whoosh gives `q` in one segment, for every live document it
    matches; once the deadline passes, of those found so far. Raises Unsupported for a
    query shape only Whoosh scores."""
    reader = searcher.reader()
    if getattr(q, "boost", 1.0) != 1.0:  # a ConstantScoreQuery has none
        raise Unsupported
    if isinstance(q, query.Term):
        if (q.fieldname, q.text) not in reader:
            return {}
        text = searcher.schema[q.fieldname].to_bytes(q.text)
        out: dict[int, float] = {}
        score = _scoring(searcher, q.fieldname, text)
        for ids, weights, _ in _blocks(reader, q.fieldname, text, values=True):
            assert weights is not None
            if deadline.expired():
                break
            out.update(zip(ids, map(score, weights, ids), strict=True))
        if out and reader.has_deletions():
            for docnum in reader.deleted_docs_set.intersection(out):
                del out[docnum]
        return out
    if isinstance(q, query.Phrase) and q.slop == 1:
        found = _phrase_weights(searcher, q.fieldname, q.words, deadline)
        if not found:
            return {}
        fieldobj = searcher.schema[q.fieldname]
        scores = [_scoring(searcher, q.fieldname, fieldobj.to_bytes(w)) for w in q.words]
        return {
            docnum: sum(score(w, docnum) for score, w in zip(scores, weights, strict=True))
            for docnum, weights in found.items()
        }
    if isinstance(q, query.Or) and q.scale is None and not q.minmatch:
        total: dict[int, float] = {}
        for sub in q.subqueries:
            for docnum, part in segment_scores(searcher, sub, deadline).items():
                total[docnum] = total.get(docnum, 0.0) + part
        return total
    if isinstance(q, query.And):
        wanted = [s for s in q.subqueries if not isinstance(s, query.Not)]
        unwanted = [s.query for s in q.subqueries if isinstance(s, query.Not)]
        if not wanted:
            return {}
        parts = sorted((segment_scores(searcher, s, deadline) for s in wanted), key=len)
        both = set(parts[0]).intersection(*parts[1:])
        for sub in unwanted:
            both -= segment_docs(searcher, sub, deadline)
        # Whoosh matches a NOT inside an AND with an InverseMatcher, which scores 1.0.
        inverse = float(len(unwanted))
        return {docnum: sum(part[docnum] for part in parts) + inverse for docnum in both}
    if isinstance(q, query.ConstantScoreQuery):
        return dict.fromkeys(segment_docs(searcher, q.child, deadline), q.score)
    if q is query.NullQuery:
        return {}
    raise Unsupported


def top_scored(
    searcher: Any, q: Any, limit: int, allow: set[int] | None, deadline: Deadline
) -> tuple[list[tuple[float, int]], set[int], bool]:
    """The `limit` best (score, global docnum) pairs of `q`, best first (ties: the lower
    docnum first, as Whoosh's collector orders them), every matching global docnum, within
    `allow`, and whether the deadline cut it short (what the segments done so far matched).
    Raises Unsupported for a query shape only Whoosh scores."""
    best: list[tuple[float, int]] = []
    matched: set[int] = set()
    for segment, offset in searcher.subsearchers or [(searcher, 0)]:
        if deadline.expired():
            break
        found = segment_scores(segment, q, deadline)
        if allow is not None:
            found = {d: s for d, s in found.items() if d + offset in allow}
        matched.update(map(add, found, repeat(offset)) if offset else found)
        # The segment's best, highest score first and the lower docnum among equals.
        top = heapq.nsmallest(limit, found.items(), key=lambda item: (-item[1], item[0]))
        best.extend((score, offset + docnum) for docnum, score in top)
    best = heapq.nsmallest(limit, best, key=lambda pair: (-pair[0], pair[1]))
    return best, matched, deadline.expired()
