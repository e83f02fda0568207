#!/usr/bin/env python3
"""What stable ids and display naming cost a resolve, and what a decision costs.

usage: bench_decisions.py --library LIB [--runs 5]

LIB holds the ECB+ dev articles with entities (`crosswire --library LIB add
tests/data/ecbplus-dev/articles.jsonl`); it is copied first and never changed. In one run, on
the copy, it measures CPU-seconds (medians of --runs) of:

- a resolve without the two steps issue 13 added (ids.assign and naming.name_entities
  replaced by the identity): the baseline;
- a full resolve (clusters, then display names by sources, then stable ids);
- a merge and its undo (each a decision plus the resolve it causes);

and prints JSON with the figures and the ratio full/baseline. It also checks that the two
resolutions cluster the mentions alike (ids and names may differ; clusters may not).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crosswire.index.entities import ids, naming, record
from crosswire.index.library import Library


def cpu(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return round(statistics.median(times), 3)


def clusters(library: Library) -> set[frozenset[tuple[str, int]]]:
    by: dict[str, set[tuple[str, int]]] = {}
    for m in library.mentions():
        by.setdefault(m.entity_id, set()).add((m.article_id, m.start))
    return {frozenset(v) for v in by.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "library"
        shutil.copytree(args.library, copy)
        with Library(copy) as library:
            library.resolve()
            full = cpu(library.resolve, args.runs)
            with_steps = clusters(library)
            assign, name = ids.assign, naming.name_entities
            record.ids.assign = lambda conn, resolution, groups: resolution  # type: ignore[assignment]
            record.name_entities = lambda conn, resolution, renames: resolution  # type: ignore[assignment]
            try:
                baseline = cpu(library.resolve, args.runs)
                without = clusters(library)
            finally:
                record.ids.assign, record.name_entities = assign, name  # type: ignore[assignment]
            library.resolve()
            top = library.entities()[:2]
            merge = cpu(lambda: (library.merge(top[0].id, top[1].id), library.undo()), 1)
            figures = {
                "articles": len(library),
                "entities": len(library.entities()),
                "resolve_baseline_cpu_s": baseline,
                "resolve_full_cpu_s": full,
                "ratio_full_to_baseline": round(full / baseline, 2) if baseline else None,
                "merge_and_undo_cpu_s": merge,
                "same_clusters": with_steps == without,
            }
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
