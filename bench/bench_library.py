#!/usr/bin/env python3
"""Scale benchmark: crosswire against plain Whoosh on the same documents, in the same run.

usage: bench_library.py [--n 10000] [--words 450] [--queries 30] [--out DIR] [--corpus FILE]

Writes a synthetic corpus with ../shared/bench/make_corpus.py (or takes --corpus), then prints
one JSON object with:
- add: articles/s for `Library.add(entities=False)` (read JSONL, store in SQLite, index) and for
  plain Whoosh writing the same documents with crosswire's schema (one writer, one commit), and
  their ratio (goal ≥ 0.8);
- search: per query class (term, two terms, phrase, prefix, fuzzy, source:+term), p50/p95 in ms
  through Library.search and through a raw Whoosh searcher on the same index (top 20 with
  hit.highlights snippets), and the ratio of medians (goal ≤ 1.3).
Machines here are shared and noisy: read medians and ratios, not single timings.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crosswire.index.library import INDEX_DIR, Library
from crosswire.index.search import IndexDoc, document_fields, make_schema
from whoosh import index as whoosh_index
from whoosh.highlight import ContextFragmenter, Highlighter, UppercaseFormatter
from whoosh.qparser import AndGroup, FuzzyTermPlugin, MultifieldParser

HERE = Path(__file__).resolve().parent
MAKE_CORPUS = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def make_corpus(n: int, words: int, out: Path) -> Path:
    path = out / f"corpus-{n}-{words}.jsonl"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(MAKE_CORPUS),
                "--n",
                str(n),
                "--words",
                str(words),
                "--out",
                str(path),
            ],
            check=True,
        )
    return path


def bench_add(corpus: Path, work: Path) -> dict[str, float]:
    articles = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    lib_dir = work / "library"
    started = time.perf_counter()
    with Library(lib_dir) as library:
        report = library.add([corpus], entities=False)
    library_seconds = time.perf_counter() - started
    assert report.added == len(articles), report

    plain_dir = work / "plain"
    plain_dir.mkdir()
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(plain_dir), make_schema())
    writer = ix.writer()
    for a in articles:
        doc = IndexDoc(
            id=a["id"],
            ref=a["id"],
            source=a["source"],
            title=a["title"],
            text=a["text"],
            published=a.get("published"),
        )
        writer.add_document(**document_fields(doc))
    writer.commit()
    plain_seconds = time.perf_counter() - started
    return {
        "articles": len(articles),
        "library_articles_per_s": round(len(articles) / library_seconds, 1),
        "plain_whoosh_articles_per_s": round(len(articles) / plain_seconds, 1),
        "ratio": round(plain_seconds / library_seconds, 3),
        "goal": ">= 0.8",
    }


def query_classes(corpus: Path, count: int, seed: int = 11) -> dict[str, list[str]]:
    """Queries drawn from the corpus itself, so every class hits real postings."""
    rng = random.Random(seed)
    words: list[str] = []
    sources: list[str] = []
    pairs: list[str] = []
    for line in corpus.open(encoding="utf-8"):
        a = json.loads(line)
        raw = [t.strip(".,\"'()").lower() for t in a["text"].split()]
        tokens = [t for t in raw if t.isalpha() and len(t) > 4]
        words.extend(tokens[:20])
        # Phrases are words adjacent in the text, so each one matches at least its article.
        pairs.extend(
            f"{x} {y}"
            for x, y in itertools.pairwise(raw[:40])
            if x.isalpha() and y.isalpha() and len(x) + len(y) > 7
        )
        sources.append(a["source"])
        if len(words) > 20000:
            break
    pick = lambda pool: [rng.choice(pool) for _ in range(count)]  # noqa: E731
    return {
        "term": pick(words),
        "two_terms": [f"{a} {b}" for a, b in zip(pick(words), pick(words), strict=True)],
        "phrase": [f'"{p}"' for p in pick(pairs)],
        "prefix": [f"{w[:4]}*" for w in pick(words)],
        "fuzzy": [f"{w[:-1]}x~" for w in pick(words)],
        "source_term": [f"source:{s} {w}" for s, w in zip(pick(sources), pick(words), strict=True)],
    }


def bench_search(work: Path, classes: dict[str, list[str]], limit: int = 20) -> dict[str, object]:
    library = Library(work / "library")
    raw_ix = whoosh_index.open_dir(str(work / "library" / INDEX_DIR))
    raw = raw_ix.searcher()
    # Plain Whoosh as its docs use it: the default parser over title and body, AND between
    # words, fuzzy terms enabled. (Its fuzzy terms walk the stemmed body's whole lexicon with
    # no first-letter prefix, so they are slow, and miss words whose stem differs.)
    parser = MultifieldParser(["title", "body"], raw_ix.schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    highlighter = Highlighter(
        fragmenter=ContextFragmenter(maxchars=200, surround=60), formatter=UppercaseFormatter()
    )
    out: dict[str, object] = {}
    for name, queries in classes.items():
        lib_times: list[float] = []
        raw_times: list[float] = []
        for q in queries:
            # Alternate the order so neither side always runs with the warmer cache.
            for side in ("lib", "raw") if len(lib_times) % 2 == 0 else ("raw", "lib"):
                started = time.perf_counter()
                if side == "lib":
                    library.search(q, limit=limit)
                    lib_times.append(time.perf_counter() - started)
                else:
                    query = parser.parse(q)
                    hits = raw.search(query, limit=limit)
                    texts = library.texts([h["id"] for h in hits])
                    for h in hits:
                        highlighter.highlight_hit(h, "body", text=texts[h["id"]])
                    raw_times.append(time.perf_counter() - started)
        lib_p50, raw_p50 = statistics.median(lib_times), statistics.median(raw_times)
        out[name] = {
            "library_p50_ms": round(lib_p50 * 1000, 2),
            "library_p95_ms": round(percentile(lib_times, 0.95) * 1000, 2),
            "raw_p50_ms": round(raw_p50 * 1000, 2),
            "raw_p95_ms": round(percentile(raw_times, 0.95) * 1000, 2),
            "ratio_p50": round(lib_p50 / raw_p50, 3) if raw_p50 else None,
        }
    out["goal"] = "ratio_p50 <= 1.3 in every class"
    library.close()
    raw.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--words", type=int, default=450)
    ap.add_argument("--queries", type=int, default=30, help="queries per class")
    ap.add_argument("--corpus", type=Path, help="use this JSONL corpus instead of generating")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where corpora are cached")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    corpus = a.corpus or make_corpus(a.n, a.words, a.out)
    work = Path(tempfile.mkdtemp(prefix="crosswire-bench-"))
    try:
        figures = {"corpus": str(corpus), "add": bench_add(corpus, work)}
        figures["search"] = bench_search(work, query_classes(corpus, a.queries))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
