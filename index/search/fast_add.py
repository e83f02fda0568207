"""Adding documents to a Whoosh writer at a fraction of Whoosh's own cost, with the same result.

Measured on the 100k benchmark corpus, three things in Whoosh's `update_document` were most of
a text-only add's CPU, and none of them is needed to write the same index:
- Whoosh tokenizes the body twice, once stemmed for the index and once unstemmed for the
  spelling field, through a generator of Token objects per filter. For crosswire's analyzer
  (a regex tokenizer, lowercase, a cached stemmer) the same terms and positions come from one
  `finditer` and a dictionary.
- Every document adds one spelling posting per distinct word (about as many as its body
  postings), all on document 0: half the postings sorted and written, to say that a word
  occurs. Here a writer counts the words and adds one posting per word at commit, weighted by
  that count, so the words and their frequencies (did-you-mean ranks by them) are unchanged.
- Every `update_document` opens a searcher over all committed segments to find the document it
  replaces. Here a writer opens it once.

`fast_analysis` checks the analyzer is exactly that chain and answers None otherwise, in which
case Whoosh's own path runs. tests/engine/test_fast_add.py writes the same documents both ways
and compares every posting, length, stored field and spelling frequency.
"""

from __future__ import annotations

import pickle
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from whoosh.formats import Positions
from whoosh.system import pack_uint

from .schema import analyzer_parts

Analysis = Callable[[str], tuple[list[tuple[str, list[int]]], list[str]]]


def fast_analysis(analyzer: Any) -> Analysis | None:
    """A function giving (term, positions) pairs and the unstemmed words of a text, exactly as
    `analyzer` would; None when the analyzer is not a tokenizer, lowercase and stemmer."""
    parts = analyzer_parts(analyzer)
    if parts is None:
        return None
    finditer, stem = parts
    stems: dict[str, str] = {}  # a plain dict beats the stemmer's LRU wrapper; bounded below

    def analyse(text: str) -> tuple[list[tuple[str, list[int]]], list[str]]:
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for pos, match in enumerate(finditer(text)):
            positions[match.group(0).lower()].append(pos)
        if len(stems) > 200_000:
            stems.clear()
        by_term: dict[str, list[int]] = {}
        merged = []
        for word, poses in positions.items():
            term = stems.get(word)
            if term is None:
                term = stems[word] = stem(word)
            if term in by_term:
                by_term[term] = by_term[term] + poses
                merged.append(term)
            else:
                by_term[term] = poses
        for term in merged:  # two words of one stem ("runs", "running"): positions in order
            by_term[term].sort()
        return list(by_term.items()), list(positions)

    return analyse


def _encode_positions(poses: list[int]) -> bytes:
    """Positions.encode: the count, then the pickled deltas."""
    deltas = [poses[0]] + [b - a for a, b in pairwise(poses)]
    count: bytes = pack_uint(len(deltas))
    return count + pickle.dumps(deltas, 2)


# Most postings are one occurrence early in a text: their encodings, made once.
_SINGLE_POSITION = [_encode_positions([pos]) for pos in range(4096)]


class FastAdder:
    """Adds documents to one Whoosh writer; call `finish` before the writer commits."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.schema = writer.schema
        self.spelling: dict[str, Counter[str]] = {}
        self._analyses: dict[str, Analysis | None] = {}
        self._searcher: Any = None

    def _analysis(self, name: str, field: Any) -> Analysis | None:
        if name not in self._analyses:
            fast = None
            if type(field.format) is Positions and field.vector is None:
                fast = fast_analysis(field.analyzer)
            self._analyses[name] = fast
        return self._analyses[name]

    def update(self, fields: dict[str, Any]) -> None:
        """Replace the committed document with the same unique fields (if any), then add."""
        unique = [(name, value) for name, value in fields.items() if self.schema[name].unique]
        if unique:
            if self._searcher is None:
                self._searcher = self.writer.searcher()
            for docnum in self._searcher._find_unique(unique):
                self.writer.delete_document(docnum)
        self.add(fields)

    def add(self, fields: dict[str, Any]) -> None:
        """Whoosh's SegmentWriter.add_document for crosswire's fields (no vectors, no
        per-field boosts), with the fast analysis where it applies."""
        writer = self.writer
        perdoc = writer.perdocwriter
        add_post = writer.pool.add
        docnum = writer.docnum
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = self.schema[name]
                length = 0
                if field.indexed:
                    fast = self._analysis(name, field) if isinstance(value, str) else None
                    if fast is None:
                        for tbytes, freq, weight, vbytes in field.index(value):
                            length += freq if field.scorable else 0
                            add_post((name, tbytes, docnum, weight, vbytes))
                        if field.separate_spelling():
                            spelling = field.spelling_fieldname(name)
                            self.spelling.setdefault(spelling, Counter()).update(
                                field.spellable_words(value)
                            )
                    else:
                        length = self._add_fast(name, field, fast, value, docnum)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type and value is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        writer._added = True
        writer.docnum += 1

    def _add_fast(self, name: str, field: Any, fast: Analysis, text: str, docnum: int) -> int:
        terms, words = fast(text)
        boost = field.format.field_boost
        single = _SINGLE_POSITION
        length = 0
        postings = []
        for term, poses in terms:
            freq = len(poses)
            length += freq
            if freq == 1 and poses[0] < len(single):
                value = single[poses[0]]
            else:
                value = _encode_positions(poses)
            postings.append((name, term.encode("utf-8"), docnum, freq * boost, value))
        self._post(name, postings)
        if field.separate_spelling():
            self.spelling.setdefault(field.spelling_fieldname(name), Counter()).update(words)
        return length if field.scorable else 0

    def _post(self, name: str, postings: list[tuple[str, bytes, int, float, bytes]]) -> None:
        """PostingPool.add for a document's postings of one field at once: the same size
        estimate (Whoosh's, per posting) and a run saved when the pool's limit is reached."""
        pool = self.writer.pool
        size = sum(150 + len(name) + 2 * len(p[1]) + len(p[4]) for p in postings)
        if postings:
            pool.fieldnames.add(name)
        if pool.currentsize + size > pool.limit:
            pool.save()
        pool.currentsize += size
        pool.current.extend(postings)

    def finish(self) -> None:
        """Add the spelling words counted so far (one posting each, weighted by how many
        documents had it, as Whoosh's one posting per document would sum to) and let go of the
        searcher; the writer can then commit or cancel."""
        add_post = self.writer.pool.add
        for spellfield, counts in self.spelling.items():
            for word, count in counts.items():
                # The value a Frequency posting of `count` holds (its weight is what counts).
                add_post((spellfield, word.encode("utf-8"), 0, count, pack_uint(count)))
        self.spelling = {}
        self.close()

    def close(self) -> None:
        """Let go of the searcher (a writer that is cancelled needs only this)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
