"""The fast writer path (index/search/fast_add.py) writes the index Whoosh's own
update_document writes: the same terms, postings, positions, weights, lengths, stored fields,
sort column and spelling frequencies, and the same search results."""

from __future__ import annotations

import random

import pytest
from crosswire.index.search.fast_add import FastAdder, fast_analysis
from crosswire.index.search.index import SearchIndex
from crosswire.index.search.schema import BODY_ANALYZER, IndexDoc, document_fields, make_schema
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer

WORDS = [
    "the",
    "police",
    "said",
    "running",
    "runs",
    "ran",
    "runner",
    "U.S.",
    "U.S.A.",
    "3.5",
    "1,200",
    "Zürich",
    "straße",
    "naïve",
    "Øresund",
    "İstanbul",
    "don't",
    "O'Neill",
    "well-known",
    "e-mail",
    "co-op",
    "2021-11-08",
    "Quellmoor",
    "Brantis",
    "Quellmoor's",
    "MÜLLER",
    "muller",
    "élan",
    "ÉLAN",
    "nations",
    "national",
    "nationally",
    "caféine",
    "x",
    "y",
    "I",
    "a",
]


def invented_docs(count: int, seed: int = 7) -> list[IndexDoc]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 80)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
        published = rng.choice([None, "2021-11-08", "2019-03-01T10:00:00Z", "not a date"])
        docs.append(
            IndexDoc(
                id=f"d{i:04d}",
                ref=f"r{i}",
                source=rng.choice(["Outlet One", "Second, Outlet", "third"]),
                title=title,
                text=body,
                published=published,
                entities=tuple(rng.sample(["person:ana", "org:acme", "gpe:brantis"], 2)),
            )
        )
    return docs


def new_index(path):
    path.mkdir()
    return whoosh_index.create_in(str(path), make_schema())


def whoosh_written(path, docs, batch):
    ix = new_index(path)
    for start in range(0, len(docs), batch):
        writer = ix.writer()
        for doc in docs[start : start + batch]:
            writer.update_document(**document_fields(doc))
        writer.commit(merge=False)
    return ix


def fast_written(path, docs, batch):
    ix = new_index(path)
    for start in range(0, len(docs), batch):
        writer = ix.writer()
        adder = FastAdder(writer)
        for doc in docs[start : start + batch]:
            adder.update(document_fields(doc))
        adder.finish()
        writer.commit(merge=False)
    return ix


def contents(ix):
    """Everything a search can see, with spelling fields by frequency only (their postings
    are merged by design) and deleted documents left out."""
    with ix.reader() as reader:
        live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
        order = {d: reader.stored_fields(d)["id"] for d in live}
        terms = {}
        for field, term in reader.all_terms():
            if field.startswith("spell_"):
                terms[(field, term)] = reader.frequency(field, term)
                continue
            postings = reader.postings(field, term)
            items = []
            while postings.is_active():
                if postings.id() in order:
                    items.append((order[postings.id()], postings.weight(), postings.value()))
                postings.next()
            if items:
                terms[(field, term)] = sorted(items)
        lengths = {
            (order[d], f): reader.doc_field_length(d, f) for d in live for f in ("title", "body")
        }
        stored = {order[d]: reader.stored_fields(d) for d in live}
        column = reader.column_reader("published")
        dates = {order[d]: column[d] for d in live}
    return terms, lengths, stored, dates


@pytest.mark.parametrize("batch", [7, 300])
def test_fast_writer_writes_what_whoosh_writes(tmp_path, batch):
    docs = invented_docs(300)
    # Replacements: the second write of an id must replace the first in both.
    docs += [
        IndexDoc(
            id=d.id,
            ref=d.ref,
            source=d.source,
            title="replaced " + d.title,
            text=d.text,
            published=None,
        )
        for d in docs[::17]
    ]
    # A long text: positions past the precomputed single-position encodings.
    long_text = " ".join(WORDS[n % len(WORDS)] for n in range(6000)) + " Quellmoorian"
    docs.append(IndexDoc(id="long", ref="l", source="s", title="", text=long_text, published=None))
    slow = whoosh_written(tmp_path / "slow", docs, batch)
    fast = fast_written(tmp_path / "fast", docs, batch)
    assert contents(fast) == contents(slow)


def test_fast_analysis_matches_the_analyzer_token_for_token():
    analyse = fast_analysis(BODY_ANALYZER)
    assert analyse is not None
    rng = random.Random(3)
    for _ in range(200):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
        terms, words = analyse(text)
        expected: dict[str, list[int]] = {}
        for token in BODY_ANALYZER(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        assert dict(terms) == expected
        unstemmed = {token.text for token in BODY_ANALYZER(text, no_morph=True)}
        assert set(words) == unstemmed


def test_another_analyzer_takes_whooshs_own_path():
    # A stop list is not in the fast chain: the fast path must refuse rather than guess.
    assert fast_analysis(StandardAnalyzer()) is None


def test_searches_and_suggestions_are_the_same_through_the_library_index(tmp_path):
    docs = invented_docs(400, seed=11)
    SearchIndex(tmp_path / "fast").write(docs, batch_size=90)
    slow = whoosh_written(tmp_path / "slow", docs, 90)
    with slow.searcher() as searcher:
        expected_spell = {w: searcher.reader().frequency("spell_body", w) for w in (b"police",)}
    with whoosh_index.open_dir(str(tmp_path / "fast")).searcher() as searcher:
        got = {w: searcher.reader().frequency("spell_body", w) for w in (b"police",)}
        corrected = searcher.corrector("body").suggest("polica", limit=3)
    assert got == expected_spell and expected_spell[b"police"] > 1
    assert "police" in corrected


def test_the_highlighter_tokenizes_as_the_analyzer_does():
    """snippets._tokens (hit offsets for 20 whole articles a search) gives the analyzer's
    forms and character offsets, token for token, on text with punctuation, digits, accents
    and case."""
    from crosswire.index.search.snippets import _tokens

    rng = random.Random(5)
    for _ in range(200):
        text = " ".join(
            rng.choice(WORDS) + rng.choice(["", ",", ".", "—", "'s", "\n"])
            for _ in range(rng.randint(0, 40))
        )
        expected = [(t.text, t.startchar, t.endchar) for t in BODY_ANALYZER(text, chars=True)]
        assert _tokens(text) == expected
