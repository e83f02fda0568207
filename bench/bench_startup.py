#!/usr/bin/env python3
"""Reader start-up: first paint with results on the seeds, against a bare Textual app.

usage: bench_startup.py [--runs 7]

Each run is a fresh interpreter, timed from before its first import until the reader has drawn
the seed library's five results (crosswire: import the app, open the library on its backend
thread, list the articles, paint at 160x48 headless). The baseline, in the same run, is a fresh
interpreter that imports Textual and paints an App holding a five-row OptionList at the same
size: what any Textual reader pays before doing anything of its own. Prints JSON with the
medians, the ratio, and whether spaCy was ever imported (it must not be).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

READER = """
import time
start = time.perf_counter()
import asyncio, sys
from pathlib import Path
from crosswire.tui.app import Backend, CrosswireApp

async def main():
    backend = Backend(Path(sys.argv[1]))
    app = CrosswireApp(backend)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.reader.nav.results.hits) == 5
        painted = time.perf_counter() - start
    backend.close()
    print(painted, "spacy" in sys.modules)

asyncio.run(main())
"""

BARE = """
import time
start = time.perf_counter()
import asyncio
from textual.app import App
from textual.widgets import OptionList

class Bare(App):
    def compose(self):
        yield OptionList(*[f"article {i}" for i in range(5)])

async def main():
    app = Bare()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        painted = time.perf_counter() - start
    print(painted, False)

asyncio.run(main())
"""


def timed(script: str, *args: str) -> tuple[float, bool]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, spacy = done.stdout.split()
    return float(seconds), spacy == "True"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    from crosswire.index.library import Library
    from crosswire.seeds import seed_paths

    with tempfile.TemporaryDirectory() as tmp:
        with Library(Path(tmp)) as library:
            library.add(seed_paths())
        reader, bare, spacy = [], [], False
        timed(READER, tmp)  # warm the file cache and bytecode for both sides
        timed(BARE)
        for _ in range(a.runs):
            seconds, loaded = timed(READER, tmp)
            reader.append(seconds)
            spacy = spacy or loaded
            bare.append(timed(BARE)[0])
    reader_s, bare_s = statistics.median(reader), statistics.median(bare)
    print(
        json.dumps(
            {
                "runs": a.runs,
                "reader_first_paint_s_p50": round(reader_s, 3),
                "bare_textual_first_paint_s_p50": round(bare_s, 3),
                "ratio": round(reader_s / bare_s, 2),
                "reader_imported_spacy": spacy,
                "goal": "first paint well under 1 s; spaCy never imported",
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
