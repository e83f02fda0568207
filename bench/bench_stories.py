#!/usr/bin/env python3
"""Story grouping on ECB+ dev: B³ against gold stories, a TF-IDF baseline, and time per 1,000.

usage: bench_stories.py [--library DIR] [--articles FILE] [--batch 200] [--seed 1]
                        [--repeat 3] [--scale 2000,8000] [--diagnose]

Gold: each ECB+ topic holds two stories (the `…ecb` and the `…ecbplus` articles report two
events of one kind), so an article's gold story is its topic plus that suffix. The grouper
never sees an article's ECB+ id or topic: it gets crosswire's own id (a hash of the text), the
text, title, source, URL and the resolved entities of the article, in a shuffled order (the
file is sorted by topic), in batches as the library adds them.

Entities come from a library built with the current engine: `--library DIR` reuses one (it is
only read, through `crosswire --library DIR mentions --jsonl`; the ECB+ id in a mention is used
only to join it to its article), otherwise one is built in a temporary directory with
`Library(dir).add([articles.jsonl])` (minutes: it runs spaCy).

Prints JSON: B³ precision/recall/F1 of the grouper at its one default threshold and ±10/20%
around it; the baseline (TF-IDF cosine, average-link agglomerative over all pairs, the best
threshold of a sweep chosen on the gold, i.e. an upper bound for it) in the same run; F1 on
odd and even topics apart; other arrival orders and batch sizes; the contrast test's ratio ±20%
and off; ablations (no entities, no dates); CPU-seconds per 1,000 articles (median of --repeat
runs); and, with --scale, grouping time per 1,000 on synthetic corpora of those sizes from
../shared/bench/make_corpus.py (the corpus bench_library.py indexes) to show how it scales.
--diagnose adds why F1 stops where it does (stories_diagnose.py: ceilings with a gold
cannot-link, the share of dated articles, key-person cannot-links, the first wrong merges).
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from crosswire.index import stories as grouping
from crosswire.index.model import article_id
from crosswire.index.stories import EntityRef, StoryArticle, StoryGrouper, contrast, terms

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "tests" / "data" / "ecbplus-dev" / "articles.jsonl"
MAKE_CORPUS = HERE.parent.parent.parent / "shared" / "bench" / "make_corpus.py"


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Article-level B³ precision, recall and F1 of a clustering against gold labels."""
    pred_sets: dict[str, set[str]] = defaultdict(set)
    gold_sets: dict[str, set[str]] = defaultdict(set)
    for a, c in pred.items():
        pred_sets[c].add(a)
    for a, c in gold.items():
        gold_sets[c].add(a)
    p = r = 0.0
    for a in gold:
        both = len(pred_sets[pred[a]] & gold_sets[gold[a]])
        p += both / len(pred_sets[pred[a]])
        r += both / len(gold_sets[gold[a]])
    p, r = p / len(gold), r / len(gold)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "stories": len(pred_sets)}


def by_parity(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B³ F1 on the odd and on the even topics apart: a change kept must help both halves,
    so it is not tuned to the dev set as a whole."""
    out = {}
    for name, rest in (("odd_topics", 1), ("even_topics", 0)):
        part = {a: g for a, g in gold.items() if int(g.split("/")[0] or 0) % 2 == rest}
        out[name] = b_cubed({a: pred[a] for a in part}, part)["f1"]
    return out


def crosswire_command() -> list[str]:
    script = Path(sys.executable).with_name("crosswire")
    return [str(script)] if script.exists() else ["crosswire"]


def load_mentions(library: Path) -> dict[str, list[EntityRef]]:
    """Resolved entities per article ref, read through the CLI."""
    out = subprocess.run(
        [*crosswire_command(), "--library", str(library), "mentions", "--jsonl"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    by_ref: dict[str, list[EntityRef]] = defaultdict(list)
    for line in out.splitlines():
        m = json.loads(line)
        if m.get("entity"):
            by_ref[m["article"]].append(EntityRef(m["entity"], m["kind"], m["text"]))
    return by_ref


def build_library(articles: Path, directory: Path) -> None:
    from crosswire.index.library import Library

    with Library(directory) as library:
        library.add([articles])


def load(path: Path, mentions: dict[str, list[EntityRef]]) -> tuple[list[StoryArticle], dict]:
    """StoryArticles keyed by crosswire's text hash (no ECB+ id, no topic) and the gold."""
    articles: list[StoryArticle] = []
    gold: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            aid = article_id(raw["text"])
            suffix = "ecbplus" if raw["id"].endswith("ecbplus") else "ecb"
            gold[aid] = f"{raw.get('topic', '')}/{suffix}"
            articles.append(
                StoryArticle(
                    id=aid,
                    text=raw["text"],
                    title=raw.get("title", ""),
                    source=raw.get("source", ""),
                    url=raw.get("url", ""),
                    published=raw.get("published"),
                    entities=tuple(mentions.get(raw["id"], ())),
                )
            )
    return articles, gold


def run_grouper(
    articles: Sequence[StoryArticle], threshold: float, batch: int
) -> tuple[dict[str, str], float]:
    grouper = StoryGrouper(threshold=threshold)
    start = time.process_time()
    for i in range(0, len(articles), batch):
        grouper.add(articles[i : i + batch])
    cpu = time.process_time() - start
    return {a.id: grouper.story_of(a.id) or "" for a in articles}, cpu


def baseline_dendrogram(articles: Sequence[StoryArticle]) -> tuple[list, list[str]]:
    """TF-IDF (log tf, smoothed idf, l2) cosine, average-link merges over all pairs.

    Average link is monotone, so one run gives every threshold: cut where merges drop below it.
    """
    ids = [a.id for a in articles]
    bags = [Counter(terms(a.title + "\n" + a.text)) for a in articles]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    vecs = []
    for bag in bags:
        v = {t: (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vecs.append({t: w / norm for t, w in v.items()})
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for t, w in v.items():
            postings[t].append((i, w))
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for i, v in enumerate(vecs):
        acc: dict[int, float] = defaultdict(float)
        for t, w in v.items():
            for j, wj in postings[t]:
                if j > i:
                    acc[j] += w * wj
        for j, s in acc.items():
            sums[i][j] = s
            sums[j][i] = s
    size = dict.fromkeys(range(n), 1)
    heap = [(-s, i, j) for i in range(n) for j, s in sums[i].items() if j > i]
    heapq.heapify(heap)
    merges = []
    alive = set(range(n))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in alive or j not in alive:
            continue
        avg = sums[i].get(j, 0.0) / (size[i] * size[j])
        if abs(avg - (-neg)) > 1e-12:
            continue  # stale entry
        merges.append((avg, i, j))
        alive.discard(j)
        size[i] += size[j]
        for k, s in sums.pop(j).items():
            sums[k].pop(j, None)
            if k == i:
                continue
            total = sums[i].get(k, 0.0) + s
            sums[i][k] = total
            sums[k][i] = total
        for k, s in sums[i].items():
            heapq.heappush(heap, (-(s / (size[i] * size[k])), min(i, k), max(i, k)))
    return merges, ids


def cut(merges: list, ids: list[str], threshold: float) -> dict[str, str]:
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for avg, i, j in merges:
        if avg < threshold:
            break
        parent[find(j)] = find(i)
    return {a: str(find(k)) for k, a in enumerate(ids)}


def scaled(sizes: Sequence[int], batch: int, threshold: float) -> list[dict[str, float]]:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            subprocess.run(
                [sys.executable, str(MAKE_CORPUS), "--n", str(n), "--out", str(corpus)], check=True
            )
            articles, _ = load(corpus, {})
        _, cpu = run_grouper(articles, threshold, batch)
        rows.append({"articles": n, "cpu_s_per_1000": round(1000 * cpu / n, 3)})
    return rows


def without(articles: Sequence[StoryArticle], change: Callable[[StoryArticle], dict]) -> list:
    return [StoryArticle(**{**a.__dict__, **change(a)}) for a in articles]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, help="a library built from --articles, to reuse")
    ap.add_argument("--articles", type=Path, default=DEFAULT)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1, help="the order articles arrive in")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", default="", help="comma-separated synthetic corpus sizes")
    ap.add_argument(
        "--diagnose", action="store_true", help="why F1 stops where it does (stories_diagnose)"
    )
    a = ap.parse_args()

    if a.library:
        mentions = load_mentions(a.library)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print("building a library (runs spaCy, minutes)…", file=sys.stderr)
            build_library(a.articles, Path(tmp) / "lib")
            mentions = load_mentions(Path(tmp) / "lib")
    articles, gold = load(a.articles, mentions)
    random.Random(a.seed).shuffle(articles)
    t = grouping.DEFAULT_THRESHOLD

    report: dict[str, object] = {"articles": len(articles), "gold_stories": len(set(gold.values()))}
    cpus = []
    for _ in range(a.repeat):
        pred, cpu = run_grouper(articles, t, a.batch)
        cpus.append(cpu)
    report["grouper"] = {"threshold": t, **b_cubed(pred, gold), **by_parity(pred, gold)}
    report["grouper_cpu_s_per_1000"] = round(1000 * statistics.median(cpus) / len(articles), 3)
    report["sensitivity"] = {
        f"{f:+.0%}": b_cubed(run_grouper(articles, t * (1 + f), a.batch)[0], gold)["f1"]
        for f in (-0.2, -0.1, 0.1, 0.2)
    }
    report["orders"] = {
        f"seed {s}": b_cubed(
            run_grouper(random.Random(s).sample(articles, len(articles)), t, a.batch)[0], gold
        )["f1"]
        for s in (2, 3, 4)
    }
    report["batch_50"] = b_cubed(run_grouper(articles, t, 50)[0], gold)["f1"]
    report["one_batch"] = b_cubed(run_grouper(articles, t, len(articles))[0], gold)["f1"]
    report["one_at_a_time"] = b_cubed(run_grouper(articles, t, 1)[0], gold)["f1"]
    report["ablation_no_entities"] = b_cubed(
        run_grouper(without(articles, lambda _: {"entities": ()}), t, a.batch)[0], gold
    )["f1"]
    report["contrast"] = {"ratio": contrast.CONTRAST, **_contrast_runs(articles, gold, t, a.batch)}
    report["ablation_no_dates"] = b_cubed(
        run_grouper(without(articles, lambda x: {"url": "", "text": _undate(x.text)}), t, a.batch)[
            0
        ],
        gold,
    )["f1"]

    start = time.process_time()
    merges, ids = baseline_dendrogram(articles)
    base_cpu = time.process_time() - start
    sweep = {round(x / 100, 2): b_cubed(cut(merges, ids, x / 100), gold) for x in range(2, 61)}
    best = max(sweep, key=lambda k: sweep[k]["f1"])
    report["baseline_tfidf_average_link"] = {"best_threshold": best, **sweep[best]}
    report["baseline_cpu_s_per_1000"] = round(1000 * base_cpu / len(articles), 3)
    report["f1_ratio_vs_baseline"] = round(report["grouper"]["f1"] / sweep[best]["f1"], 3)  # type: ignore[index]
    if a.diagnose:
        from stories_diagnose import diagnose

        def score(pred: dict[str, str]) -> dict[str, object]:
            return {**b_cubed(pred, gold), **by_parity(pred, gold)}

        report["diagnosis"] = diagnose(
            lambda arts, th: run_grouper(arts, th, a.batch)[0], score, articles, gold, t
        )
    if a.scale:
        report["scale"] = scaled([int(x) for x in a.scale.split(",")], a.batch, t)
    print(json.dumps(report, indent=2))
    return 0


def _contrast_runs(
    articles: Sequence[StoryArticle], gold: dict[str, str], t: float, batch: int
) -> dict[str, object]:
    """B³ F1 with the contrast ratio ±20% and without the test (ratio 0), odd and even apart."""
    kept = contrast.CONTRAST
    out: dict[str, object] = {}
    try:
        for name, ratio in (("-20%", kept * 0.8), ("+20%", kept * 1.2), ("off", 0.0)):
            contrast.CONTRAST = ratio
            pred = run_grouper(articles, t, batch)[0]
            out[name] = {"f1": b_cubed(pred, gold)["f1"], **by_parity(pred, gold)}
    finally:
        contrast.CONTRAST = kept
    return out


def _undate(text: str) -> str:
    """The text without its first lines' dates (for the no-dates ablation)."""
    head, _, rest = text.partition("\n")
    lines = rest.split("\n")
    kept = [
        ln
        for i, ln in enumerate(lines)
        if i >= 5 or grouping.article_day(StoryArticle(id="x", text=ln)) is None
    ]
    return head + "\n" + "\n".join(kept)


if __name__ == "__main__":
    raise SystemExit(main())
