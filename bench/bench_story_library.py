#!/usr/bin/env python3
"""Stories inside the library: what grouping, loading and reading stories cost, against
indexing the same articles in the same run.

usage: bench_story_library.py --library DIR

DIR is an annotated library (e.g. the ECB+ dev articles added with entities); it is copied to
a temporary directory and only the copy is touched. Its stories are dropped in the copy, so
the library groups every article again, as an older library does on its first open.

Prints JSON, CPU-seconds: grouping every article (reading them and their resolved entities
from the record, grouping, saving the state; per 1,000 articles), loading the saved state in
a fresh process-like reload, `stories()`, one `story()` (median over every story), and the
baseline: rebuilding the search index from the record (per 1,000), with grouping's ratio
to it. The grouper's own quality and scaling are bench_stories.py's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from crosswire.index.library import Library


def cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "library"
        shutil.copytree(args.library, copy, ignore=shutil.ignore_patterns("*.lock"))
        conn = sqlite3.connect(copy / "library.sqlite3")
        with conn:
            conn.execute("DROP TABLE IF EXISTS story_state")
            conn.execute("DROP TABLE IF EXISTS story_articles")
        conn.close()
        library = Library(copy, catch_up=False)  # opening would group: measured below instead
        n = len(library)
        book = library._stories
        group = cpu(book.group_pending)
        book._grouper, book._version = None, -1
        load = cpu(book.grouper)
        stories = library.stories()
        listing = cpu(library.stories)
        one = statistics.median(cpu(lambda s=s: library.story(s.id)) for s in stories)
        index = cpu(library.rebuild)
        library.close()
    print(
        json.dumps(
            {
                "articles": n,
                "stories": len(stories),
                "group_cpu_s": round(group, 3),
                "group_per_1000_cpu_s": round(1000 * group / n, 3),
                "load_state_cpu_s": round(load, 3),
                "stories_cpu_s": round(listing, 4),
                "story_median_cpu_s": round(one, 4),
                "baseline_index_per_1000_cpu_s": round(1000 * index / n, 3),
                "group_vs_index": round(group / index, 3) if index else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
