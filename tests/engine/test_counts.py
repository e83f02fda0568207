"""Match counts are exact: the total and every per-source count equal the number of matching
articles, whatever the limit, on a library large enough to span many Whoosh posting blocks."""

import json
import random
import time
from pathlib import Path

import pytest
from crosswire.index.library import Library
from crosswire.index.search.snippets import index_forms

# A library of thousands of articles, built once for the module: slow.
pytestmark = pytest.mark.slow

SOURCES = ("Reuters", "AP", "BBC", "Al Jazeera", "Le Monde", "NHK")
# Skewed frequencies so common words fill many blocks and rare ones few, with scores that
# differ a lot between documents (Whoosh's shortcuts drop low-scoring ones).
WORDS = {
    "police": 0.6,
    "harbor": 0.3,
    "river": 0.25,
    "prime": 0.2,
    "minister": 0.2,
    "storm": 0.08,
    "earthquake": 0.02,
}
FILLER = [
    "the",
    "a",
    "of",
    "in",
    "on",
    "said",
    "report",
    "city",
    "people",
    "day",
    "after",
    "before",
]
ARTICLES = 3000


def _article(rng: random.Random, number: int) -> dict[str, object]:
    words = [rng.choice(FILLER) for _ in range(rng.randint(4, 30))]
    for word, share in WORDS.items():
        if rng.random() < share:
            for _ in range(rng.randint(1, 4)):
                words.insert(rng.randrange(len(words) + 1), word)
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words) + 1), "prime minister")
    title_words = [rng.choice([*WORDS, *FILLER]) for _ in range(3)]
    return {
        "id": f"doc-{number}",
        "source": rng.choice(SOURCES),
        "title": " ".join(title_words),
        "text": f"{number} " + " ".join(words),
        # Dates spread over 2021 (one article in 50 undated), for the date filters.
        "published": None if number % 50 == 0 else _day(number),
    }


def _day(number: int) -> str:
    return f"2021-{number % 12 + 1:02d}-{number % 28 + 1:02d}"


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, list[dict[str, object]]]:
    """3,000 synthetic articles (text only, a few seconds), some carried by two sources."""
    rng = random.Random(8)
    articles = [_article(rng, n) for n in range(ARTICLES)]
    # The same text from a second outlet is stored once, under both sources.
    again = [dict(a, id=f"{a['id']}-again", source="AP") for a in articles[:300]]
    articles_file = tmp_path_factory.mktemp("big") / "articles.jsonl"
    with articles_file.open("w", encoding="utf-8") as f:
        for article in articles + again:
            f.write(json.dumps(article) + "\n")
    directory = articles_file.parent / "library"
    with Library(directory) as library:
        report = library.add([articles_file], entities=False)
    assert report.added == ARTICLES and not report.skipped
    for article in articles[:300]:
        if article["source"] != "AP":
            article["sources"] = (article["source"], "AP")
    return directory, articles


def _forms(text: str) -> list[str]:
    return list(index_forms(text))


def _has(forms: list[str], phrase: str) -> bool:
    wanted = _forms(phrase)
    width = len(wanted)
    return any(forms[i : i + width] == wanted for i in range(len(forms) - width + 1))


# Each query with the brute-force test of one article (its title's and text's indexed forms).
CASES = {
    "police": lambda t, b: _has(t, "police") or _has(b, "police"),
    "earthquake": lambda t, b: _has(t, "earthquake") or _has(b, "earthquake"),
    "police harbor": lambda t, b: (
        (_has(t, "police") or _has(b, "police")) and (_has(t, "harbor") or _has(b, "harbor"))
    ),
    "river OR storm": lambda t, b: any(_has(x, w) for x in (t, b) for w in ("river", "storm")),
    '"prime minister"': lambda t, b: _has(t, "prime minister") or _has(b, "prime minister"),
    "police NOT river": lambda t, b: (
        (_has(t, "police") or _has(b, "police")) and not (_has(t, "river") or _has(b, "river"))
    ),
    "text:harbor": lambda t, b: _has(b, "harbor"),
    # A prefix expands to every form beginning so (police, prime, people): one array union.
    "p*": lambda t, b: any(form.startswith("p") for form in t + b),
    "p* -harbor": lambda t, b: (
        any(form.startswith("p") for form in t + b) and not (_has(t, "harbor") or _has(b, "harbor"))
    ),
}


# Date terms filter the query they stand beside: each with the days it keeps.
DATED = {
    "police date:2021-03": ("police", lambda day: day.startswith("2021-03")),
    "text:harbor date:[2021-02-01 TO 2021-04-30]": (
        "text:harbor",
        lambda day: "2021-02-01" <= day <= "2021-04-30",
    ),
    "date:>2021-06-15 (river OR storm)": (
        "river OR storm",
        lambda day: day > "2021-06-15",
    ),
}


def _truth(articles, query: str, source: str | None = None) -> tuple[int, dict[str, int]]:
    """The number of matching articles and the matches per source, by scanning every text."""
    query, keep = DATED.get(query, (query, None))
    test = CASES[query]
    total = 0
    per_source: dict[str, int] = {}
    for article in articles:
        sources = article.get("sources", (article["source"],))
        if keep is not None and not (article["published"] and keep(article["published"])):
            continue
        if not test(_forms(article["title"]), _forms(article["text"])):
            continue
        for name in sources:
            per_source[name] = per_source.get(name, 0) + 1
        if source is None or source in sources:
            total += 1
    return total, per_source


@pytest.mark.parametrize("query", [*CASES, *DATED])
def test_totals_and_source_counts_are_exact_for_any_limit(big, query):
    directory, articles = big
    true_total, true_sources = _truth(articles, query)
    assert true_total > 20  # the cases are chosen so the limit would matter
    with Library(directory) as library:
        for limit in (1, 10, 50, 1000):
            results = library.search(query, limit=limit)
            assert not results.partial
            assert results.total == true_total, (query, limit)
            assert results.source_counts == true_sources, (query, limit)
            assert len(results.hits) == min(limit, true_total)
            dated = library.search(query, limit=limit, sort="date")
            assert (dated.total, dated.source_counts) == (true_total, true_sources)


@pytest.mark.parametrize(
    "query", ["police", "river OR storm", "police NOT river", "police date:2021-03"]
)
def test_a_source_filter_counts_exactly_that_source(big, query):
    directory, articles = big
    with Library(directory) as library:
        for source in ("AP", "Le Monde"):
            true_total, true_sources = _truth(articles, query, source)
            for limit in (1, 50):
                results = library.search(query, limit=limit, source=source)
                assert results.total == true_total, (query, source, limit)
                # The facet stays over every source, so the user sees what the filter hides.
                assert results.source_counts == true_sources


def test_a_search_cut_short_is_partial_and_its_count_a_lower_bound(big, monkeypatch):
    directory, articles = big
    true_total, _ = _truth(articles, "police")
    with Library(directory) as library:
        # Each look at the clock is a second later: the deadline passes during collection,
        # after the first few hundred matches and long before the nearly 2,000 that exist.
        clock = iter(range(10**9))
        monkeypatch.setattr(time, "monotonic", lambda: float(next(clock)))
        results = library.search("police", limit=10, time_limit=4.0)
        monkeypatch.undo()
    assert results.partial
    assert 0 < results.total < true_total
    assert 0 < sum(results.source_counts.values()) < true_total
