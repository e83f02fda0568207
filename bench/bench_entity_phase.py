"""The entity phase's throughput: words per second with 1 and 2 local workers and on local Ray.

    python bench/bench_entity_phase.py [--runs 3] [--articles N] [--no-ray]

Each run copies one text-only library of the ECB+ articles and runs the whole entity phase on
it (`Library.annotate`: NER, voting, storing, indexing, resolving), so the figures are what a
user waits for, worker start-up included. Medians over the runs, wall time and CPU-seconds
(this process and its reaped children: the workers, and Ray's processes once it shuts down).
The baseline is the one-process path, measured in the same run. Ray is started once before its
runs, as a cluster would already be running; its start-up is printed on its own line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crosswire.index.library import Library

HERE = Path(__file__).resolve().parent
CORPORA = (
    HERE.parent.parent.parent / "shared" / "corpora" / "ecbplus-dev",
    HERE.parent / "tests" / "data" / "ecbplus-dev",
)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def corpus(limit: int | None) -> Path:
    for directory in CORPORA:
        if (directory / "articles.jsonl").exists():
            source = directory / "articles.jsonl"
            break
    else:
        raise SystemExit("ECB+ corpus not found (../shared/corpora/ecbplus-dev)")
    if limit is None:
        return source
    out = Path(tempfile.mkdtemp()) / "articles.jsonl"
    with open(source, encoding="utf-8") as f:
        out.write_text("".join(f.readline() for _ in range(limit)), encoding="utf-8")
    return out


def measure(base: Path, work: Path, runs: int, annotate: Callable[[Library], int]) -> dict:
    walls, cpus = [], []
    for run in range(runs):
        directory = work / f"run{run}"
        shutil.copytree(base, directory)
        with Library(directory) as library:
            cpu, wall = cpu_seconds(), time.perf_counter()
            annotate(library)
            walls.append(time.perf_counter() - wall)
            cpus.append(cpu_seconds() - cpu)
        shutil.rmtree(directory)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "walls": walls}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, help="the first N ECB+ articles (default: all)")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()

    source = corpus(args.articles)
    with open(source, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    words = sum(len(t.split()) for t in texts)
    work = Path(tempfile.mkdtemp(prefix="bench-entity-"))
    base = work / "base"
    with Library(base) as library:
        library.add([source], entities=False)
    print(f"{len(texts)} articles, {words:,} words; {os.cpu_count()} cores; {args.runs} runs")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    rows: list[tuple[str, dict]] = []
    rows.append(
        (
            "1 worker (in-process)",
            measure(base, work, args.runs, lambda lib: lib.annotate(workers=1)),
        )
    )
    rows.append(("2 workers", measure(base, work, args.runs, lambda lib: lib.annotate(workers=2))))
    if not args.no_ray:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        try:
            import ray
        except ImportError:
            print("Ray not installed (pip install 'crosswire[cluster]'): no Ray row")
        else:
            start = time.perf_counter()
            ray.init(
                num_cpus=2,
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                log_to_driver=False,
            )
            print(f"local Ray start-up: {time.perf_counter() - start:.1f} s (not in the Ray row)")
            try:
                rows.append(
                    (
                        "local Ray, 2 actors",
                        measure(
                            base, work, args.runs, lambda lib: lib.annotate(ray="auto", workers=2)
                        ),
                    )
                )
            finally:
                ray.shutdown()
    shutil.rmtree(work, ignore_errors=True)

    baseline = rows[0][1]
    print(
        f"{'':24} {'wall s':>8} {'words/s':>9} {'×1 worker':>10} {'CPU s':>8} {'words/CPU-s':>12}"
    )
    for name, r in rows:
        print(
            f"{name:24} {r['wall']:8.1f} {words / r['wall']:9,.0f} "
            f"{baseline['wall'] / r['wall']:9.2f}× {r['cpu']:8.1f} {words / r['cpu']:12,.0f}"
        )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
