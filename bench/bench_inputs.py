#!/usr/bin/env python3
"""Time and peak memory per reader and for the entity phase at 0.1, 1 and 2 MB of text.

usage: bench_inputs.py [--sizes 0.1,1,2] [--rows txt,md,...]

Each cell (one row at one size) runs in a fresh subprocess, so its peak RSS is its own; the
input file is written before the clock starts. Text is the ECB+ development articles
(tests/data/ecbplus-dev, CC BY 3.0) concatenated, each copy's lines marked so that repeats are
not dropped as duplicate lines; "MB" is 1,000,000 characters of article text. Rows:

- txt, md, html, json, jsonl, feed: `read_inputs` on one file holding that much text (feed: one
  entry an ECB+ article; feed-small: 130-character entries, the shape of a 100k-entry feed);
- md-emph, md-brackets: the pathological Markdown shapes ("**a " repeated, "[" repeated);
- entities: NER (`ner.extract`, chunked) plus `vote` on one article of that size;
- vote: `vote` alone on the model's mentions (computed before the clock): what crosswire adds.

Prints a table of CPU seconds (readers: the median of at least 3 runs and 2 s of work, since
a 40 ms cell is mostly noise; entity rows: one run) and peak RSS (MB) per cell and the 2MB/1MB
ratio of each (goal: every ratio ≤ 2.2, every peak ≤ 1 GB), then the same figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "data" / "ecbplus-dev" / "articles.jsonl"
ROWS = (
    "txt",
    "md",
    "md-emph",
    "md-brackets",
    "html",
    "json",
    "jsonl",
    "feed",
    "feed-small",
    "entities",
    "vote",
)
MB = 1_000_000


def articles(chars: int) -> list[str]:
    """ECB+ article texts, repeated with each copy's lines marked, up to chars in total."""
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    out: list[str] = []
    total, copy = 0, 0
    while total < chars:
        for text in texts:
            if copy:
                text = "\n".join(f"{line} ({copy})" if line else line for line in text.split("\n"))
            text = text[: chars - total]
            if not text.strip():
                break
            out.append(text)
            total += len(text) + 2
            if total >= chars:
                break
        copy += 1
    return out


def write_input(row: str, chars: int, folder: Path) -> Path:
    """The input file of one cell."""
    if row == "md-emph":
        path = folder / "emph.md"
        path.write_text("**a " * (chars // 4), encoding="utf-8")
        return path
    if row == "md-brackets":
        path = folder / "brackets.md"
        path.write_text("story " + "[" * (chars - 6), encoding="utf-8")
        return path
    texts = articles(chars)
    body = "\n\n".join(texts)
    if row == "txt":
        path = folder / "story.txt"
        path.write_text(body, encoding="utf-8")
    elif row == "md":
        path = folder / "story.md"
        md = "\n\n".join(f"## Part {k}\n\n**{t[:40]}** {t[40:]}" for k, t in enumerate(texts))
        path.write_text("# A long story\n\n" + md, encoding="utf-8")
    elif row == "html":
        path = folder / "story.html"
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
        path.write_text(
            "<!doctype html><html><head><title>A long story</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>A long story</h1>{paragraphs}"
            "</article><footer>Contact</footer></body></html>",
            encoding="utf-8",
        )
    elif row == "json":
        path = folder / "story.json"
        items = [{"id": str(k), "text": t} for k, t in enumerate(texts)]
        path.write_text(json.dumps(items), encoding="utf-8")
    elif row == "jsonl":
        path = folder / "story.jsonl"
        path.write_text(
            "".join(json.dumps({"id": str(k), "text": t}) + "\n" for k, t in enumerate(texts)),
            encoding="utf-8",
        )
    elif row in ("feed", "feed-small"):
        path = folder / "story.rss"
        if row == "feed-small":
            texts = [p[:130] for p in body.split("\n") if len(p) > 40]
            texts = texts[: chars // 130]
        entries = "".join(
            f"<item><title>Story {k}</title><guid>s{k}</guid>"
            f"<description>{escape(t)}</description></item>"
            for k, t in enumerate(texts)
        )
        path.write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}'
            "</channel></rss>",
            encoding="utf-8",
        )
    else:
        raise SystemExit(f"unknown row {row}")
    return path


def cell(row: str, size: float) -> dict[str, float]:
    """Run one cell in this process: build its input, then time only the work."""
    chars = int(size * MB)
    with tempfile.TemporaryDirectory() as tmp:
        if row in ("entities", "vote"):
            from crosswire.index.entities import ner
            from crosswire.index.entities.vote import vote

            text = "\n\n".join(articles(chars))
            list(ner.extract(["Warm up the model, Mr Smith."]))
            raw = next(ner.extract([text])) if row == "vote" else None
            start = time.process_time()
            if raw is None:
                raw = next(ner.extract([text]))
            voted = vote(text, raw)
            seconds = time.process_time() - start
            out_chars, items = len(text), len(voted)
        else:
            from crosswire.index.ingest.inputs import read_inputs

            path = write_input(row, chars, Path(tmp))
            runs: list[float] = []
            while len(runs) < 3 or (sum(runs) < 2.0 and len(runs) < 25):
                start = time.process_time()
                got = list(read_inputs([path]))
                runs.append(time.process_time() - start)
            seconds = statistics.median(runs)
            out_chars = sum(len(getattr(i, "text", "")) for i in got)
            items = len(got)
            skipped = [str(i) for i in got if not hasattr(i, "text")]
            if skipped and row not in ("md-brackets",):
                print(f"{row} {size}: {skipped[:2]}", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "chars": out_chars, "items": items}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,1,2", help="MB of text, comma-separated")
    ap.add_argument("--rows", default=",".join(ROWS))
    ap.add_argument("--cell", nargs=2, metavar=("ROW", "SIZE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.cell:
        print(json.dumps(cell(a.cell[0], float(a.cell[1]))))
        return 0
    sizes = [float(s) for s in a.sizes.split(",")]
    rows = a.rows.split(",")
    results: dict[str, dict[str, dict[str, float]]] = {}
    head = "".join(f"{f'{s:g} MB s':>10}{'RSS':>7}" for s in sizes)
    print(f"{'row':<12}{head}{'2MB/1MB':>9}{'ok':>4}", flush=True)
    worst = 0.0
    ok_all = True
    for row in rows:
        results[row] = {}
        line = f"{row:<12}"
        for size in sizes:
            done = subprocess.run(
                [sys.executable, __file__, "--cell", row, str(size)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(f"{row} at {size} MB failed:\n{done.stderr}")
            if done.stderr.strip():
                print(done.stderr.strip(), file=sys.stderr)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            results[row][f"{size:g}"] = figures
            line += f"{figures['seconds']:>10.2f}{figures['peak_mb']:>7.0f}"
        one, two = results[row].get("1"), results[row].get("2")
        ratio = two["seconds"] / max(one["seconds"], 1e-3) if one and two else float("nan")
        peak = max(f["peak_mb"] for f in results[row].values())
        ok = not ratio > 2.2 and peak <= 1024
        ok_all &= ok
        worst = max(worst, ratio) if ratio == ratio else worst
        print(f"{line}{ratio:>9.2f}{'yes' if ok else 'NO':>4}", flush=True)
    print(json.dumps({"cells": results, "worst_ratio": worst, "all_ok": ok_all}))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
