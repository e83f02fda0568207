"""The unscored pass that counts every match (builder.segment_docs) finds exactly the documents
Whoosh's own matchers find, for every query shape, across segments, deleted documents and
terms rare enough that Whoosh inlines their postings."""

from __future__ import annotations

import pytest
from crosswire.index.search import segments
from crosswire.index.search.builder import QueryBuilder, matching_docs
from crosswire.index.search.index import SearchIndex
from crosswire.index.search.postings import top_scored
from crosswire.index.search.query import Deadline, parse_query
from crosswire.index.search.snippets import index_forms

from .test_fast_add import invented_docs

QUERIES = [
    "police",
    "Quellmoor",  # rare: inlined postings in small segments
    "police said",
    "police OR runner",
    "police NOT said",
    "-police",
    "run*",
    "nation*",
    "naive~",
    "title:police",
    "text:Brantis police",
    '"police said"',
    '"police said" OR Zürich',
    "(police OR Brantis) (said OR ran) -runner",
    "source:third police",
    "date:2021-11 police",
    "nosuchword",
    "police nosuchword",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    """Several segments (one a batch of 150, none merged away), then a third of the documents
    rewritten and some deleted, so segments hold deleted documents."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segments, "SMALL_SEGMENT", 10)
        return _index(tmp_path_factory)


def _index(tmp_path_factory) -> SearchIndex:
    docs = invented_docs(900)
    ix = SearchIndex(tmp_path_factory.mktemp("docsets") / "index")
    ix.write(docs, batch_size=150)
    ix.write(invented_docs(300, seed=9)[:300], batch_size=100)  # same ids d0000…: replaced
    ix.delete(f"d{i:04d}" for i in range(400, 900, 7))
    return ix


@pytest.mark.parametrize("text", QUERIES)
def test_the_counting_pass_finds_what_whoosh_finds(index, text):
    searcher = index._searcher
    assert len(searcher.subsearchers) > 3 and searcher.reader().has_deletions()
    whoosh_query = QueryBuilder(searcher, None).query(parse_query(text).tree)
    theirs = set(searcher.docs_for_query(whoosh_query))
    ours, ran_out = matching_docs(searcher, whoosh_query, Deadline(60.0), None)
    assert not ran_out
    assert ours == theirs, text
    allow = set(list(theirs)[::2]) | {0, 1}
    assert matching_docs(searcher, whoosh_query, Deadline(60.0), allow)[0] == theirs & allow


RANKED = [
    '"police said"',
    '"the police"',
    '"said said"',  # a word twice: consecutive occurrences only
    '"police said the"',  # in no document: nothing, as Whoosh finds
    "THREE",  # three words that stand together in a document (below)
    '"police said" OR Zürich',
    '"police said" -runner',
    '"police said" source:third',
    "run*",
    "nation* police",
    "naive~ OR Brantis",
    "title:police*",
]


@pytest.mark.parametrize("text", RANKED)
def test_scoring_on_blocks_gives_whoosh_s_scores_and_order(index, text):
    """Phrases and expansions are ranked from whole posting blocks: the same documents, the
    same BM25F scores and the same order (ties by document number) as Whoosh's collector."""
    searcher = index._searcher
    if text == "THREE":
        words = [w for w in invented_docs(900)[650].text.split() if index_forms(w)]
        text = '"' + " ".join(words[3:6]) + '"'
    whoosh_query = QueryBuilder(searcher, None).query(parse_query(text).tree)
    theirs = searcher.search(whoosh_query, limit=None)
    expected = [(hit.score, hit.docnum) for hit in theirs]
    assert expected or text == '"police said the"', text
    best, matched, partial = top_scored(searcher, whoosh_query, 40, None, Deadline(60.0))
    assert not partial
    assert matched == {n for _, n in expected}
    expected.sort(key=lambda pair: (-round(pair[0], 9), pair[1]))
    assert [n for _, n in best] == [n for _, n in expected[:40]], text
    for (ours, _), (whoosh, _) in zip(best, expected, strict=False):
        assert ours == pytest.approx(whoosh, rel=1e-9)
    allow = set(list(matched)[::3])
    _, within, _ = top_scored(searcher, whoosh_query, 5, allow, Deadline(60.0))
    assert within == matched & allow


def test_a_phrase_scored_on_blocks_stops_at_the_deadline(index):
    searcher = index._searcher
    whoosh_query = QueryBuilder(searcher, None).query(parse_query('"police said"').tree)
    best, matched, partial = top_scored(searcher, whoosh_query, 10, None, Deadline(-1.0))
    assert partial and matched == set() and best == []


def test_a_story_scope_scores_as_whoosh_scores_it(index):
    """A story is a constant-score filter on article ids: ranked on blocks as Whoosh ranks
    it (the scope adds 0 to every score)."""
    from whoosh import query

    searcher = index._searcher
    inner = QueryBuilder(searcher, None).query(parse_query('"police said" OR run*').tree)
    ids = [query.Term("id", f"d{i:04d}") for i in range(0, 900, 3)]
    scoped = query.And([inner, query.ConstantScoreQuery(query.Or(ids), 0.0)])
    theirs = sorted(
        ((hit.score, hit.docnum) for hit in searcher.search(scoped, limit=None)),
        key=lambda pair: (-round(pair[0], 9), pair[1]),
    )
    best, matched, _ = top_scored(searcher, scoped, 25, None, Deadline(60.0))
    assert theirs and matched == {n for _, n in theirs}
    assert [n for _, n in best] == [n for _, n in theirs[:25]]
