"""Travel across sources as pure functions: the order of a tour, where n/N and ]/[ go next,
and the status line's position."""

from __future__ import annotations

from crosswire.index.model import EntityDetail, MentionInContext, SearchHit
from crosswire.tui import travel


def detail() -> EntityDetail:
    def m(article: str, start: int) -> MentionInContext:
        return MentionInContext(article, article, "", "", start, start + 3, "Kad", "", "")

    return EntityDetail(
        id="e1",
        name="Mustafa al-Kadhimi",
        kind="PERSON",
        aliases=[],
        mentions_by_source={
            "A": [m("a1", 50), m("a1", 10), m("a2", 5)],
            "B": [m("b1", 7)],
            "C": [m("c1", 1), m("c1", 90)],
        },
    )


def test_tour_orders_by_source_then_article_then_offset():
    stops = travel.tour(detail())
    assert [(s.article_id, s.start) for s in stops] == [
        ("a1", 10),
        ("a1", 50),
        ("a2", 5),
        ("b1", 7),
        ("c1", 1),
        ("c1", 90),
    ]


def test_next_mention_crosses_into_the_next_source_and_wraps():
    stops = travel.tour(detail())
    assert travel.step(stops, "a1", 10, True) == 1
    assert travel.step(stops, "a2", 5, True) == 3  # a2 has no more: next source's article
    assert travel.step(stops, "c1", 90, True) == 0  # wraps round
    assert travel.step(stops, "b1", 7, False) == 2
    assert travel.step(stops, "zz", 0, True) == 0
    assert travel.step(stops, "zz", 0, False) == 5
    assert travel.step(stops, "a1", -1, True) == 0  # no cursor yet: first in the article
    assert travel.where(stops, 3) == "source 2 of 3 · mention 4 of 6"


def test_next_source():
    sources = ["A", "B", "C"]
    assert travel.next_source(sources, "A", True) == 1
    assert travel.next_source(sources, "A", False) == 2
    assert travel.next_source(sources, None, True) == 0
    assert travel.next_source(["A"], "A", True) is None


def hit(article: str, source: str) -> SearchHit:
    return SearchHit(article, article, source, article, None, 1.0, "")


def test_next_result_skips_the_same_source():
    hits = [hit("1", "A"), hit("2", "A"), hit("3", "B"), hit("4", "C")]
    assert travel.next_result_from_other_source(hits, "1", True) == 2
    assert travel.next_result_from_other_source(hits, "3", False) == 1
    assert travel.next_result_from_other_source(hits, "4", True) == 0
    assert travel.next_result_from_other_source(hits, None, True) == 0
    assert travel.next_result_from_other_source([hit("1", "A")], "1", True) is None
    assert travel.results_where(hits, "3") == "source 2 of 3 · result 3 of 4"
