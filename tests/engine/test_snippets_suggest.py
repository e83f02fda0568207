"""Snippets a reporter compares facts by, phrase marks, and the spelling a user meant."""

from __future__ import annotations

import pytest
from crosswire.index.search import IndexDoc, SearchIndex
from crosswire.index.search.snippets import hit_spans, index_forms, make_snippet

WOUNDED = (
    "The attack came at dawn. However, it noted that seven members of Kadhimi's personal "
    "protection force stationed outside his residence were wounded. The army said it was calm."
)


def spans_of(text: str, word: str) -> list[tuple[int, int]]:
    return hit_spans(text, frozenset(index_forms(word)))


def test_a_snippet_keeps_the_numbers_and_names_of_the_sentence_around_a_hit():
    snippet, marks = make_snippet(WOUNDED, spans_of(WOUNDED, "wounded"))
    assert "seven members of Kadhimi's personal protection force" in snippet
    assert snippet.rstrip(" …").endswith("were wounded.")
    assert [snippet[s:e] for s, e in marks] == ["wounded"]
    assert "The army said" not in snippet, "one sentence, not a window cut anywhere"


def test_in_a_long_sentence_the_snippet_starts_at_the_clause_of_the_hit():
    sentence = (
        "Officials said on Monday, after a long meeting that went on for hours and hours in "
        "the capital with every faction present and many more waiting outside the hall, that "
        "twelve guards were hurt and " + "nothing else happened at all " * 8 + "."
    )
    snippet, marks = make_snippet(sentence, spans_of(sentence, "hurt"), width=200)
    assert "twelve guards were hurt" in snippet
    assert len(snippet) <= 200 + 10
    assert [snippet[s:e] for s, e in marks] == ["hurt"]


def test_a_snippet_never_just_repeats_the_title():
    title = "Drone hits the prime minister's house"
    text = f"{title}\nA drone struck the house at 2 a.m., and two guards were hurt."
    snippet, marks = make_snippet(text, spans_of(text, "drone"), title=title)
    assert not snippet.startswith(title)
    assert snippet.startswith("A drone struck") and [snippet[s:e] for s, e in marks] == ["drone"]
    only_title = f"{title}\nThe house was hit at 2 a.m.; two guards were hurt."
    snippet, marks = make_snippet(only_title, spans_of(only_title, "drone"), title=title)
    assert snippet.startswith("The house was hit") and marks == []


def test_a_phrase_is_marked_where_it_stands_not_each_of_its_words():
    text = "The prime minister spoke. A minister, not prime, then left. Prime Minister Kazemi."
    spans = hit_spans(text, frozenset(), frozenset({tuple(index_forms("prime minister"))}))
    assert [text[s:e] for s, e in spans] == ["prime minister", "Prime Minister"]


@pytest.fixture
def index(tmp_path):
    texts = {
        "a": "The drone flew over the Green Zone. Then the prime minister spoke of the drone.",
        "b": "Work was done. The minister said the prime task was done; prime minister later.",
        "c": "Done and done: the job is done, done again.",
    }
    ix = SearchIndex(tmp_path / "ix")
    ix.write([IndexDoc(k, f"{k}.txt", "wire", f"Title {k}", t, None, ()) for k, t in texts.items()])
    yield ix, texts
    ix.close()


def run(fixture, query: str):
    ix, texts = fixture
    return ix.search(query, fetch_text=lambda ids: {i: texts[i] for i in ids})


def test_a_phrase_query_marks_the_phrase_in_the_hits_and_the_snippet(index):
    results = run(index, '"prime minister"')
    texts = index[1]
    for hit in results.hits:
        assert {texts[hit.id][s:e].lower() for s, e in hit.hits} == {"prime minister"}
        assert {hit.snippet[s:e].lower() for s, e in hit.snippet_hits} == {"prime minister"}


def test_did_you_mean_dronej_is_drone_not_done(index):
    assert run(index, "dronej").suggestion == "drone"


def test_did_you_mean_takes_the_nearest_word_then_the_most_frequent(tmp_path):
    texts = {
        "a": "A boat, a boat, boat after boat, boats and boats. One bolt. A cake, cake; one cane.",
        "b": "The boat left. Another boat came, with cake.",
    }
    ix = SearchIndex(tmp_path / "ix")
    ix.write([IndexDoc(k, f"{k}.txt", "w", k, t, None, ()) for k, t in texts.items()])
    try:
        fetch = lambda ids: {i: texts[i] for i in ids}  # noqa: E731
        assert ix.search("bolq", fetch_text=fetch).suggestion == "bolt", "one edit beats two"
        assert ix.search("cate", fetch_text=fetch).suggestion == "cake", "the more frequent"
    finally:
        ix.close()


def test_initials_and_abbreviations_do_not_end_a_sentence():
    text = "Gen. Frank McKenzie said on Nov. 8 that U.S. forces saw seven drones. Then more."
    snippet, _ = make_snippet(text, spans_of(text, "seven"))
    assert snippet.startswith("Gen. Frank McKenzie said on Nov. 8 that U.S. forces")


def test_a_title_cut_from_the_first_sentence_is_not_repeated_by_the_snippet():
    text = "Officials said on Saturday that the drone strike hit the house of Kazemi at dawn."
    title = "Officials said on Saturday that the drone strike…"
    snippet, marks = make_snippet(text, spans_of(text, "Kazemi"), title=title)
    assert not snippet.startswith("Officials said")
    assert "house of Kazemi at dawn." in snippet and [snippet[s:e] for s, e in marks] == ["Kazemi"]
