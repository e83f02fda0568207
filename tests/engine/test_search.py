"""The search layer as users rely on it: syntax, dates, fuzzy, snippets, offsets, damage."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from crosswire.index import search
from crosswire.index.model import QueryError
from crosswire.index.search import IndexDamaged, IndexDoc, SearchIndex, builder
from crosswire.index.search.dates import date_bounds
from crosswire.index.search.query import parse
from crosswire.index.search.snippets import hit_spans, index_forms, make_snippet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
SEED_SOURCES = ["Asharq Al-Awsat", "NBC", "ZeroHedge", "Reuters", "Reuters"]
SEED_DATES = ["2021-11-07", "2021-11-10", None, "2021-11-08", "2021-11-13T10:00:00Z"]

HAND = [
    IndexDoc(
        "h1",
        "a.txt",
        "Reuters",
        "Drones over Baghdad",
        "Drones flew low. Nobody saw the drone's operator.",
        "2020-05-01",
        ("kadhimi",),
    ),
    IndexDoc(
        "h2",
        "b.txt",
        "AP",
        "Markets",
        "Oil prices rose on Monday; traders were calm.",
        "2020-05-02",
        (),
    ),
    IndexDoc(
        "h3",
        "c.txt",
        "reuters",
        "Elections",
        "Voters in Iraq went to the polls. Kazemi’s bloc won.",
        "2021-03-15T08:00:00+02:00",
        ("kazemi",),
    ),
    IndexDoc(
        "h4", "d.txt", "Blog", "Undated note", "A café in Zürich serves naïve coffee.", None, ()
    ),
]


def seed_docs() -> tuple[list[IndexDoc], dict[str, str]]:
    docs, texts = [], {}
    for number, path in enumerate(SEEDS):
        text = path.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0][:80]
        texts[path.stem] = text
        docs.append(
            IndexDoc(
                path.stem, str(path), SEED_SOURCES[number], title, text, SEED_DATES[number], ()
            )
        )
    return docs, texts


@pytest.fixture
def hand(tmp_path):
    index = SearchIndex(tmp_path / "hand")
    index.write(HAND)
    texts = {doc.id: doc.text for doc in HAND}
    yield index, texts
    index.close()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    docs, texts = seed_docs()
    index = SearchIndex(tmp_path_factory.mktemp("seeds") / "ix")
    index.write(docs, batch_size=2)
    yield index, texts
    index.close()


def run(fixture, text: str, **kwargs):
    index, texts = fixture
    return index.search(text, fetch_text=lambda ids: {i: texts[i] for i in ids}, **kwargs)


def ids(results) -> set[str]:
    return {hit.id for hit in results.hits}


# --- syntax ------------------------------------------------------------------------------------


def test_words_are_anded_and_stemmed(hand):
    assert ids(run(hand, "drone")) == {"h1"}
    assert ids(run(hand, "drones operator")) == {"h1"}
    assert ids(run(hand, "drones oil")) == set()


def test_or_not_minus_and_parentheses(hand):
    assert ids(run(hand, "drone OR oil")) == {"h1", "h2"}
    assert ids(run(hand, "(drone OR oil) -monday")) == {"h1"}
    assert ids(run(hand, "(drone OR oil) NOT monday")) == {"h1"}
    assert ids(run(hand, "oil AND monday")) == {"h2"}
    assert ids(run(hand, "-drone")) == {"h2", "h3", "h4"}


def test_phrase_needs_adjacent_words(hand):
    assert ids(run(hand, '"went to the polls"')) == {"h3"}
    assert ids(run(hand, '"polls went"')) == set()


def test_prefix_expands_unstemmed_words(hand):
    assert ids(run(hand, "trade*")) == {"h2"}
    assert ids(run(hand, "elect*")) == {"h3"}  # only in the title


def test_fielded_title_and_text(hand):
    assert ids(run(hand, "title:markets")) == {"h2"}
    assert ids(run(hand, "text:markets")) == set()
    assert ids(run(hand, 'title:"drones over"')) == {"h1"}


def test_source_field_is_case_insensitive_and_counts_group(hand):
    result = run(hand, "source:REUTERS")
    assert ids(result) == {"h1", "h3"}
    assert sum(result.source_counts.values()) == 2
    assert ids(run(hand, "source:reut*")) == {"h1", "h3"}


def test_source_argument_filters_but_counts_cover_all_sources(seeds):
    result = run(seeds, "drone", source="reuters")
    assert len(result.hits) == 2 and {h.source for h in result.hits} == {"Reuters"}
    assert result.total == 2
    assert result.source_counts == {"Reuters": 2, "Asharq Al-Awsat": 1, "NBC": 1, "ZeroHedge": 1}


def test_unicode_words_are_found_and_marked(hand):
    result = run(hand, "zürich naïve")
    text = HAND[3].text
    assert ids(result) == {"h4"}
    assert [text[s:e] for s, e in result.hits[0].hits] == ["Zürich", "naïve"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"drone', "unbalanced quotes"),
        ("(drone OR oil", "unbalanced parentheses"),
        ("drone)", "unbalanced parentheses"),
        ("", "empty query"),
        ("   \t", "empty query"),
        ("-", "lone '-'"),
        ("drone - oil", "lone '-'"),
        ("OR", "OR needs"),
        ("drone OR", "OR needs"),
        ("NOT", "NOT needs"),
        ("()", "empty parentheses"),
        ("colour:red", "unknown field 'colour:'"),
        ("date:xyz", "bad date 'xyz' in date:xyz — use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date:2021-13", "bad date '2021-13'"),
        ("date:2021-02-30", "bad date"),
        ("date:>yesterday", "bad date 'yesterday'"),
        ("date:[2020 TO soon]", "bad date 'soon'"),
        ("date:[2020 TO 2021", "unbalanced brackets"),
        ("date:", "needs"),
        ('""', "empty phrase"),
        ('drone "  "', "empty phrase"),
        ('title:"!!"', "empty phrase"),
    ],
)
def test_bad_queries_raise_one_line_errors(hand, query, message):
    with pytest.raises(QueryError) as caught:
        run(hand, query)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- dates -------------------------------------------------------------------------------------


def test_date_periods_and_ranges(hand):
    assert ids(run(hand, "date:2020")) == {"h1", "h2"}
    assert ids(run(hand, "date:2020-05")) == {"h1", "h2"}
    assert ids(run(hand, "date:2020-05-02")) == {"h2"}
    assert ids(run(hand, "date:[2020-01-01 TO 2020-12-31]")) == {"h1", "h2"}
    assert ids(run(hand, "date:[2020-05-02 TO]")) == {"h2", "h3"}
    assert ids(run(hand, "date:[TO 2020-05-01]")) == {"h1"}
    assert ids(run(hand, "date:{2020-05-01 TO 2021}")) == {"h2"}
    assert ids(run(hand, "date:{2020-05-01 TO 2021]")) == {"h2", "h3"}


def test_greater_than_is_exclusive(hand):
    assert ids(run(hand, "date:>2020-05-01")) == {"h2", "h3"}
    assert ids(run(hand, "date:>=2020-05-01")) == {"h1", "h2", "h3"}
    assert ids(run(hand, "date:<2020-05-02")) == {"h1"}
    assert ids(run(hand, "date:<=2020-05-02")) == {"h1", "h2"}
    assert ids(run(hand, "date:>2020")) == {"h3"}


def test_timezones_fold_to_utc(hand):
    # 2021-03-15T08:00+02:00 is 06:00 UTC on the same day.
    assert ids(run(hand, "date:2021-03-15")) == {"h3"}


def test_date_bounds_pure():
    start, end = date_bounds(">2020-12-31")
    assert (start.year, start.month, start.day, end) == (2021, 1, 1, None)


def test_sort_by_date_newest_first_undated_last(hand):
    result = run(hand, "the OR oil OR a", sort="date")
    assert [hit.id for hit in result.hits] == ["h3", "h2", "h1", "h4"]
    assert result.hits[-1].published is None
    assert result.hits[0].published == "2021-03-15T08:00:00+02:00"


def test_relevance_sort_and_limit(seeds):
    result = run(seeds, "Kadhimi", limit=2)
    assert len(result.hits) == 2 and result.total == 4
    assert result.hits[0].score >= result.hits[1].score
    with pytest.raises(QueryError):
        run(seeds, "Kadhimi", sort="alphabet")


# --- fuzzy, did-you-mean, entities -------------------------------------------------------------


@pytest.mark.parametrize("query", ["dron~", "dornes~", "drnoe~2"])
def test_fuzzy_finds_drone_articles(seeds, query):
    result = run(seeds, query)
    assert result.total == 5
    texts = seeds[1]
    marked = {texts[h.id][s:e].lower() for h in result.hits for s, e in h.hits}
    assert {"drone", "drones"} <= marked


def test_fuzzy_finds_transliterated_name(seeds):
    result = run(seeds, "Kazmi~")
    assert ids(result) == {"004_fc0311b61068404b"}


def test_did_you_mean(seeds):
    result = run(seeds, "dorne")
    assert result.total == 0 and result.suggestion == "drone"
    assert run(seeds, "drone assassination").suggestion is None
    assert run(seeds, "title:asassination").suggestion == "title:assassination"


def test_entity_expands_to_every_name(hand):
    names = {"kadhimi": ["kadhimi", "kazemi"], "kazemi": ["kadhimi", "kazemi"]}
    asked: list[str] = []

    def expand(name: str) -> list[str] | None:
        asked.append(name)
        return names.get(name.lower())

    assert ids(run(hand, "entity:Kazemi", expand_entity=expand)) == {"h1", "h3"}
    assert ids(run(hand, 'entity:"Mustafa Kazemi"', expand_entity=expand)) == set()
    assert asked == ["Kazemi", "Mustafa Kazemi"]
    assert ids(run(hand, "entity:nobody drone", expand_entity=lambda n: None)) == set()


# --- snippets and offsets ----------------------------------------------------------------------


def test_every_offset_is_a_form_of_the_query_word(seeds):
    texts = seeds[1]
    for hit in run(seeds, "drone").hits:
        marked = [texts[hit.id][s:e] for s, e in hit.hits]
        assert marked and set(marked) <= {"drone", "drones", "Drone", "Drones"}
        expected = len(re.findall(r"\bdrones?\b", texts[hit.id], re.IGNORECASE))
        assert len(marked) == expected


def test_snippet_is_plain_and_marks_hits(seeds):
    for hit in run(seeds, "Kadhimi drone").hits:
        assert 0 < len(hit.snippet) <= 2 * 200 + 60
        assert "\n" not in hit.snippet
        marked = {hit.snippet[s:e].lower() for s, e in hit.snippet_hits}
        assert marked and marked <= {"kadhimi", "drone", "drones"}


def test_snippet_without_hits_is_the_opening(hand):
    hit = run(hand, "date:2020-05-02").hits[0]
    assert hit.snippet.startswith("Oil prices rose") and hit.snippet_hits == []


def test_offsets_with_punctuation_and_apostrophes():
    text = "“Drone’s” flew—drones, (DRONE) and drone's-eye views."
    spans = hit_spans(text, frozenset(index_forms("drone")))
    assert [text[s:e] for s, e in spans] == ["Drone", "drones", "DRONE", "drone"]


def test_make_snippet_maps_offsets_through_squashed_whitespace():
    text = "intro  \n\n words " * 30 + "the   target\tword here " + "filler text " * 40
    start = text.index("target")
    snippet, marks = make_snippet(text, [(start, start + 6)])
    assert [snippet[s:e] for s, e in marks] == ["target"]
    assert "  " not in snippet.replace(" … ", " ")
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_make_snippet_takes_two_fragments_for_distant_hits():
    text = "alpha " + "x " * 400 + "omega " + "y " * 400
    spans = [(0, 5), (text.index("omega"), text.index("omega") + 5)]
    snippet, marks = make_snippet(text, spans)
    assert [snippet[s:e] for s, e in marks] == ["alpha", "omega"]
    assert " … " in snippet


# --- writing, refresh, damage ------------------------------------------------------------------


def test_update_delete_clear(tmp_path):
    index = SearchIndex(tmp_path / "ix")
    seen: list[int] = []
    assert index.write(HAND, batch_size=3, on_batch=seen.append) == 4
    assert seen == [3, 4]
    index.write([IndexDoc("h2", "b.txt", "AP", "Markets", "Gold fell.", None)])
    assert index.doc_count() == 4
    texts = {"h2": "Gold fell."}
    search = index.search
    assert [h.id for h in search("gold", fetch_text=lambda i: texts).hits] == ["h2"]
    assert search("oil", fetch_text=lambda i: texts).total == 0
    index.delete(["h1", "h3"])
    assert index.doc_count() == 2
    index.clear()
    assert index.doc_count() == 0
    index.close()


def _second_writer(directory: str) -> None:
    other = SearchIndex(Path(directory))
    other.write([IndexDoc("p2", "p", "Wire", "Second", "Zeppelins returned today.", None)])
    other.close()


def test_refresh_sees_another_process_commit(tmp_path):
    reader = SearchIndex(tmp_path / "ix")
    reader.write(HAND[:1])
    assert reader.doc_count() == 1
    process = multiprocessing.get_context("spawn").Process(
        target=_second_writer, args=(str(tmp_path / "ix"),)
    )
    process.start()
    process.join(60)
    assert process.exitcode == 0
    reader.refresh()
    assert reader.doc_count() == 2
    texts = {"p2": "Zeppelins returned today."}
    assert ids(reader.search("zeppelin", fetch_text=lambda i: texts)) == {"p2"}
    reader.close()


def _damage(directory: Path, how: str) -> None:
    files = [p for p in directory.iterdir() if p.suffix in (".seg", ".toc")]
    target = next(p for p in files if p.suffix == (".toc" if how == "toc" else ".seg"))
    if how == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])


@pytest.mark.parametrize("how", ["delete", "truncate", "toc"])
def test_damaged_files_raise_index_damaged(tmp_path, how):
    directory = tmp_path / "ix"
    index = SearchIndex(directory)
    index.write(HAND)
    index.close()
    _damage(directory, how)
    with pytest.raises(IndexDamaged):
        SearchIndex(directory)


def test_foreign_index_is_not_opened(tmp_path):
    from whoosh import fields, index

    directory = tmp_path / "foreign"
    directory.mkdir()
    index.create_in(str(directory), fields.Schema(x=fields.TEXT))
    with pytest.raises(IndexDamaged):
        SearchIndex(directory)


def test_empty_directory_is_created(tmp_path):
    directory = tmp_path / "new"
    directory.mkdir()
    index = SearchIndex(directory)
    assert index.doc_count() == 0
    index.close()
    assert SearchIndex(directory).doc_count() == 0


def test_parse_tree_marks_negated_words():
    tree = parse("drone -missile")
    assert tree.op == "and" and tree.children[1].op == "not"


# --- fuzzing -----------------------------------------------------------------------------------


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab drone"()-*~:[]{}<>=ORNTADsourcetitledate2021é’\t'))
        | st.characters(),
        max_size=40,
    )
)
def test_any_text_gives_results_or_a_query_error(seeds, text):
    try:
        result = run(seeds, text)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert result.total >= len(result.hits)


def test_a_write_that_fails_midway_lets_go_of_the_write_lock(tmp_path):
    index = SearchIndex(tmp_path / "ix")

    def docs():
        yield IndexDoc(id="a", ref="a", source="s", title="t", text="first", published=None)
        raise OSError("the input went away")

    with pytest.raises(OSError) as failure:
        index.write(docs())
    assert failure.value is not None  # the traceback is alive, as in a worker's error
    doc = IndexDoc(id="b", ref="b", source="s", title="t", text="second", published=None)
    assert index.write([doc]) == 1
    assert index.doc_count() == 1
    index.close()


# --- unreasonable queries: an answer or one line, in bounded time ------------------------------

HUGE = [
    ("(" * 400 + "drone" + ")" * 400, "nests parentheses or NOTs more than 50 deep"),
    ("(" * 51 + "drone" + ")" * 51, "more than 50 deep"),
    ("NOT " * 10_000 + "drone", "more than"),
    ("-" * 60 + "drone", "more than 50 deep"),
    ("drone " + "NOT (" * 51 + "oil" + ")" * 51, "more than 50 deep"),
    (" OR ".join(f"w{n}" for n in range(10_000)), "more than 1,000 terms"),
    (" ".join(["drone"] * 1001), "more than 1,000 terms"),
    ('"' + "drone " * 1001 + '"', "more than 1,000 terms"),
    ("a" * 1_000_000, "a word of 1,000,000 characters"),
    ("drone " + "x" * 201, "at most 200 a word"),
    ('"prime ' + "m" * 5000 + '"', "at most 200 a word"),
    ("entity:" + "k" * 1_000_000, "at most 200 a word"),
    ("source:" + "s" * 300, "at most 200 a word"),
    ("OR " * 5000, "more than 4,000 words and operators"),
    (")" * 5000, "more than 4,000 words and operators"),
    (")" * 50, "parentheses"),
    ('"' * 5000, "empty phrase"),
    ('"' * 5001, "unbalanced quotes"),
]


@pytest.mark.parametrize(("query", "message"), HUGE, ids=lambda v: str(v)[:20])
def test_unreasonable_queries_are_one_line_errors(hand, query, message):
    with pytest.raises(QueryError) as caught:
        run(hand, query)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


def test_queries_at_the_limits_still_search(hand):
    assert ids(run(hand, "(" * 50 + "drone" + ")" * 50)) == {"h1"}
    assert ids(run(hand, "NOT " * 50 + "drone")) == {"h1"}  # an even number of NOTs
    assert run(hand, " OR ".join(["oil"] * 999 + ["drone"])).total == 2
    assert run(hand, "drone " + "x" * 200).total == 0


def test_a_repeated_wildcard_is_expanded_once(seeds):
    once = run(seeds, "a*")
    assert run(seeds, " ".join(["a*"] * 500)).total == once.total > 0


def test_many_wildcards_share_one_expansion_budget(seeds, monkeypatch):
    """Distinct prefixes each keep their commonest forms, but the query as a whole at most
    MAX_EXPANDED, so it is marked partial rather than running away."""
    monkeypatch.setattr(builder, "MAX_EXPANDED", 10)
    results = run(seeds, "d* OR m* OR s* OR b*")
    assert results.partial and results.total > 0


def test_the_deadline_holds_for_building_and_says_partial(seeds, monkeypatch):
    """Expansion that outlives the deadline stops there: partial, no suggestion, no error."""
    index, _ = seeds
    monkeypatch.setattr(index, "time_limit", 0.0)
    for query in ("drone", "d* OR m*", "dornes~ kazmi~2", "zzqx"):
        results = run(seeds, query)
        assert results.partial and results.total == 0 and not results.suggestion, query


def test_a_deadline_passed_in_is_kept(seeds):
    passed = search.Deadline(0.0)
    assert run(seeds, "drone", deadline=passed).partial
    assert not run(seeds, "drone", deadline=search.Deadline(60.0)).partial


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_a_query_error(hand, limit):
    with pytest.raises(QueryError, match="limit must be 1 or more"):
        run(hand, "drone", limit=limit)


def test_a_library_search_parses_its_query_once(seeded, monkeypatch):
    """The index, the spelling suggestion and the entity hints all read one syntax tree."""
    from crosswire.index.library import Library
    from crosswire.index.search import query

    calls: list[str] = []
    real = query.parse
    monkeypatch.setattr(query, "parse", lambda text: calls.append(text) or real(text))
    with Library(seeded) as library:
        found = library.search("Kazemi drone")
        missed = library.search("Kazemi dronse")
    assert [hint.word for hint in found.entity_hints] == ["Kazemi"]
    assert missed.total == 0 and missed.suggestion == "Kazemi drone"
    assert calls == ["Kazemi drone", "Kazemi dronse"]
