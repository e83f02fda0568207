#!/usr/bin/env python3
"""crosswire at scale, in one run: ingest, search by query class, the CLI, the reader, the
entity phase, and SQLite FTS5 on the same documents as the yardstick.

    python bench/bench_scale.py --n 10000 [--queries 20] [--entity-sample 200] [--no-ray]

The corpus is ../shared/bench/make_corpus.py --n N (cached in bench/out/). Printed:
- ingest: `crosswire add --no-entities` in a child process: CPU-s, wall, peak RSS, peak disk
  (the library sampled every 0.2 s) and final size; then `crosswire optimize` the same way;
- index_writer_vs_whoosh: the first 5,000 articles indexed by Whoosh's update_document and by
  crosswire's writer, CPU-s and the ratio (the same-run baseline for the indexing cost);
- search: p50/p95 ms per query class through Library.search (term, two terms, phrase, prefix,
  fuzzy, source:+term, date:month+term, date range+term), before and after optimize;
- cli: whole-process `crosswire search police` (median of 5) wall and peak RSS;
- reader: first paint with results and keystroke→results p95 (Pilot, in a child process, its
  peak RSS);
- entities: bench_entity_phase.py on the first --entity-sample ECB+ articles (1 and 2 workers,
  local Ray when installed);
- fts5: stdlib sqlite3 FTS5 indexing CPU-s and query p50/p95 on the same documents, and the
  ratios crosswire/FTS5.
Machines here are shared and noisy: read medians and ratios, and the load average printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_library  # noqa: E402
from bench_library import make_corpus, percentile, query_classes  # noqa: E402

# ../shared/bench/make_corpus.py from the checkout, wherever the checkout sits under /work.
bench_library.MAKE_CORPUS = next(
    (
        p / "shared" / "bench" / "make_corpus.py"
        for p in HERE.parents
        if (p / "shared" / "bench" / "make_corpus.py").exists()
    ),
    bench_library.MAKE_CORPUS,
)

CLI = [sys.executable, "-m", "crosswire.tui.cli"]


def disk_usage(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            # A file merged away between listing and stat no longer counts.
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


# Children run as an installed crosswire does: with Python's bytecode cache (pip compiles it
# on install). A session that sets PYTHONDONTWRITEBYTECODE would otherwise make every child
# compile crosswire's modules from source again: about 80 ms of each CLI run measured here.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# A child's ru_maxrss starts from the RSS of the process it was forked from (Linux keeps the
# high-water mark across fork and exec), so a child of this benchmark, which holds a few
# hundred MB, could never read less. GNU time forks the command from its own small process and
# reports the command's peak alone; without it, the figure is an upper bound, and says so.
GNU_TIME = Path("/usr/bin/time")


def run_child(cmd: list[str], watch: Path | None = None) -> dict[str, float | str]:
    """Run cmd; its CPU-s, wall, peak RSS (MB) and the peak size of `watch` (MB)."""
    report = Path(tempfile.mkstemp(prefix="bench-rss-")[1])
    if GNU_TIME.exists():
        cmd = [str(GNU_TIME), "-f", "%M", "-o", str(report), *cmd]
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], disk_usage(watch)) if watch else 0

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    stderr = child.stderr.read().decode() if child.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({status}): {stderr[-2000:]}")
    measured = report.read_text().strip().splitlines()[-1:] if GNU_TIME.exists() else []
    report.unlink()
    rss_kb = int(measured[0]) if measured and measured[0].isdigit() else usage.ru_maxrss
    return {
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "peak_rss_by": "GNU time" if measured else "rusage (upper bound: includes the bench's)",
        "peak_disk_mb": round(peak[0] / 2**20, 1),
    }


def date_classes(corpus: Path, words: list[str]) -> dict[str, list[str]]:
    """Date filters with a term, over the months and quarters the corpus spans."""
    months = sorted({json.loads(line)["published"][:7] for line in corpus.open(encoding="utf-8")})
    picks = [(months[i % len(months)], w) for i, w in enumerate(words)]
    ranges = []
    for month, word in picks:
        year, mon = month.split("-")
        end = f"{year}-{min(int(mon) + 2, 12):02d}-28"
        ranges.append(f"date:[{month}-01 TO {end}] {word}")
    return {"date_month_term": [f"date:{m} {w}" for m, w in picks], "date_range_term": ranges}


def bench_search(
    library_dir: Path, classes: dict[str, list[str]], repeat: int = 3
) -> dict[str, object]:
    """p50/p95 over each class's queries of each query's median time over `repeat` runs (a
    shared machine's noise moves single timings by a third), and how many were partial."""
    from crosswire.index.library import Library

    out: dict[str, object] = {}
    with Library(library_dir) as library:
        for name, queries in classes.items():
            times, partial = [], 0
            for q in queries:
                runs = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    results = library.search(q, limit=20)
                    runs.append(time.perf_counter() - started)
                times.append(statistics.median(runs))
                partial += results.partial
            out[name] = {
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(percentile(times, 0.95) * 1000, 1),
                "partial": partial,
            }
    return out


def bench_cli(library_dir: Path, runs: int = 5) -> dict[str, float | str]:
    """Whole-process `crosswire search police`, after one uncounted run that leaves the
    bytecode cache and the page cache as a user's second search finds them."""
    command = [*CLI, "--library", str(library_dir), "search", "police"]
    run_child(command)
    cells = [run_child(command) for _ in range(runs)]
    return {
        "search_police_wall_s_median": statistics.median(c["wall_s"] for c in cells),
        "search_police_cpu_s_median": statistics.median(c["cpu_s"] for c in cells),
        "search_police_peak_rss_mb": max(c["peak_rss_mb"] for c in cells),
        "goal": "wall <= 0.5 s, peak <= 300 MB at 100k",
    }


READER_SCRIPT = r"""
import asyncio, json, resource, statistics, sys, time
started = time.perf_counter()
from crosswire.tui.app import CrosswireApp
from crosswire.tui.backend import Backend
from textual.widgets import Input
queries = json.loads(sys.argv[2])
p95 = lambda xs: sorted(xs)[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]

async def main():
    backend = Backend(sys.argv[1])
    app = CrosswireApp(backend)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = app.reader.search
        while not pane.shown.hits:
            await asyncio.sleep(0.01)
        first = time.perf_counter() - started
        await pilot.press("slash")
        box = app.query_one("#query", Input)
        times = []
        for q in queries:
            t = time.perf_counter()
            box.value = q
            while pane.shown.query != q:
                await asyncio.sleep(0.005)
            times.append(time.perf_counter() - t)
    backend.close()
    times.sort()
    print(json.dumps({
        "first_paint_s": round(first, 2),
        "keystroke_to_results_p50_ms": round(statistics.median(times) * 1000, 1),
        "keystroke_to_results_p95_ms": round(p95(times) * 1000, 1),
        "includes_search_delay": True,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))

asyncio.run(main())
"""


def bench_reader(library_dir: Path, queries: list[str]) -> dict[str, object]:
    """The reader in a child (Pilot); its peak RSS by GNU time where there is one (the
    child's own getrusage would include this process's, see GNU_TIME)."""
    report = Path(tempfile.mkstemp(prefix="bench-rss-")[1])
    cmd = [sys.executable, "-c", READER_SCRIPT, str(library_dir), json.dumps(queries)]
    if GNU_TIME.exists():
        cmd = [str(GNU_TIME), "-f", "%M", "-o", str(report), *cmd]
    done = subprocess.run(
        cmd, capture_output=True, text=True, env={**CHILD_ENV, "HOME": tempfile.mkdtemp()}
    )
    measured = report.read_text().strip().splitlines()[-1:]
    report.unlink()
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    out: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    if measured and measured[0].isdigit():
        out["peak_rss_mb"] = round(int(measured[0]) / 1024, 1)
        out["peak_rss_by"] = "GNU time"
    return out


def bench_fts5(corpus: Path, classes: dict[str, list[str]]) -> dict[str, object]:
    """SQLite FTS5 (porter stemming) on the same documents: index CPU-s, query p50/p95 with an
    exact count and the top 20 by bm25, for the classes FTS5 has (term, two terms, phrase,
    prefix)."""
    work = Path(tempfile.mkdtemp(prefix="bench-fts5-"))
    conn = sqlite3.connect(work / "fts.sqlite3")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
    cpu = time.process_time()
    with conn:
        for line in corpus.open(encoding="utf-8"):
            a = json.loads(line)
            conn.execute("INSERT INTO docs(title, body) VALUES (?, ?)", (a["title"], a["text"]))
    index_cpu = time.process_time() - cpu
    out: dict[str, object] = {"index_cpu_s": round(index_cpu, 2)}
    for name in ("term", "two_terms", "phrase", "prefix"):
        times = []
        for q in classes[name]:
            match = q if name in ("phrase", "prefix") else " ".join(f'"{w}"' for w in q.split())
            started = time.perf_counter()
            conn.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
            conn.execute(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 20", (match,)
            ).fetchall()
            times.append(time.perf_counter() - started)
        out[name] = {
            "p50_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(percentile(times, 0.95) * 1000, 2),
        }
    conn.close()
    shutil.rmtree(work, ignore_errors=True)
    return out


def bench_write_paths(corpus: Path, sample: int = 5000) -> dict[str, object]:
    """The same first `sample` articles written to a fresh index by Whoosh's own
    update_document and by crosswire's writer (index/search/fast_add.py): CPU-s each, and the
    ratio, the baseline measured in this run."""
    from crosswire.index.search import IndexDoc, SearchIndex, document_fields, make_schema
    from whoosh import index as whoosh_index

    docs = []
    with corpus.open(encoding="utf-8") as f:
        for n, line in zip(range(sample), f, strict=False):
            a = json.loads(line)
            docs.append(
                IndexDoc(str(n), str(n), a["source"], a["title"], a["text"], a.get("published"))
            )
    work = Path(tempfile.mkdtemp(prefix="bench-write-"))
    try:
        (work / "whoosh").mkdir()
        ix = whoosh_index.create_in(str(work / "whoosh"), make_schema())
        cpu = time.process_time()
        for start in range(0, len(docs), 2000):
            writer = ix.writer()
            for doc in docs[start : start + 2000]:
                writer.update_document(**document_fields(doc))
            writer.commit(merge=False)
        whoosh_cpu = time.process_time() - cpu
        ix.close()
        cpu = time.process_time()
        SearchIndex(work / "crosswire").write(docs, batch_size=2000)
        ours = time.process_time() - cpu
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "articles": len(docs),
        "whoosh_update_document_cpu_s": round(whoosh_cpu, 2),
        "crosswire_writer_cpu_s": round(ours, 2),
        "ratio": round(ours / max(whoosh_cpu, 0.01), 2),
    }


def bench_entities(sample: int, no_ray: bool) -> str:
    cmd = [sys.executable, str(HERE / "bench_entity_phase.py"), "--runs", "1"]
    cmd += ["--articles", str(sample)] + (["--no-ray"] if no_ray else [])
    done = subprocess.run(cmd, capture_output=True, text=True)
    return (done.stdout + (done.stderr[-500:] if done.returncode else "")).strip()


def searches_only(library: Path, corpus: Path, queries: int, say: Any) -> int:
    """--library: the query classes, the CLI, the reader and FTS5 on an existing library."""
    classes = query_classes(corpus, queries)
    classes.update(date_classes(corpus, [w.split()[0] for w in classes["term"]]))
    say("search", bench_search(library, classes))
    say("cli", bench_cli(library))
    say("reader", bench_reader(library, classes["term"][:10] + classes["prefix"][:10]))
    say("fts5", bench_fts5(corpus, classes))
    say("load_after", os.getloadavg())
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--words", type=int, default=450)
    ap.add_argument("--queries", type=int, default=20, help="queries per class")
    ap.add_argument("--entity-sample", type=int, default=200, help="ECB+ articles for NER")
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument(
        "--library",
        type=Path,
        help="a library already holding this corpus, optimized: skip ingest and optimize and "
        "time the searches, the CLI, the reader and FTS5 on it (it is read, never changed)",
    )
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(a.n, a.words, a.out)
    say = lambda key, value: print(json.dumps({key: value}), flush=True)  # noqa: E731
    say("run", {"n": a.n, "corpus": str(corpus), "load": os.getloadavg(), "cores": os.cpu_count()})
    if a.library:
        return searches_only(a.library, corpus, a.queries, say)
    work = Path(tempfile.mkdtemp(prefix="crosswire-scale-"))
    library = work / "library"
    try:
        add = [*CLI, "--library", str(library), "add", "--no-entities", "--quiet", str(corpus)]
        ingest = run_child(add, watch=library)
        ingest["final_disk_mb"] = round(disk_usage(library) / 2**20, 1)
        ingest["peak_over_final"] = round(
            ingest["peak_disk_mb"] / max(ingest["final_disk_mb"], 0.1), 2
        )
        ingest["articles_per_cpu_s"] = round(a.n / max(ingest["cpu_s"], 0.01), 1)
        say("ingest", ingest)
        say("index_writer_vs_whoosh", bench_write_paths(corpus))
        classes = query_classes(corpus, a.queries)
        classes.update(date_classes(corpus, [w.split()[0] for w in classes["term"]]))
        say("search_before_optimize", bench_search(library, classes))
        optimize = run_child([*CLI, "--library", str(library), "optimize", "--quiet"], library)
        say("optimize", optimize)
        say("search", bench_search(library, classes))
        say("cli", bench_cli(library))
        say("reader", bench_reader(library, classes["term"][:10] + classes["prefix"][:10]))
        fts = bench_fts5(corpus, classes)
        fts["crosswire_over_fts5_index_cpu"] = round(
            ingest["cpu_s"] / max(fts["index_cpu_s"], 0.01), 1
        )
        say("fts5", fts)
        print(bench_entities(a.entity_sample, a.no_ray), flush=True)
        say("load_after", os.getloadavg())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
