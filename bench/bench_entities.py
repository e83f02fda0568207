#!/usr/bin/env python3
"""Entity phase throughput against spaCy NER alone, on the same articles in the same run.

usage: bench_entities.py [ARTICLES.jsonl] [--limit N] [--repeat 3]

Default articles: the ECB+ development set in tests/data. Prints JSON: words/s of spaCy NER-only
(`nlp.pipe` over the texts with the pipeline crosswire loads), words/s of crosswire's whole entity
phase (`Library.annotate`: NER, per-article voting, storing mentions, cross-source resolution,
re-indexing the entity field), and their ratio (goal ≥ 0.8). The pipeline is loaded and warmed
before either is timed; each side runs --repeat times and the medians are compared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from crosswire.index.entities.ner import extract, load_pipeline
from crosswire.index.library import Library

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "tests" / "data" / "ecbplus-dev" / "articles.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="use the first N articles (0: all)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    lines = a.articles.read_text(encoding="utf-8").splitlines()
    if a.limit:
        lines = lines[: a.limit]
    texts = [json.loads(line)["text"] for line in lines]
    words = sum(len(t.split()) for t in texts)

    nlp = load_pipeline()
    list(nlp.pipe(texts[:20]))  # warm up
    ner_times, phase_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for run in range(a.repeat):
            started = time.perf_counter()
            for doc in nlp.pipe(texts, batch_size=32):
                _ = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            ner_times.append(time.perf_counter() - started)

            with Library(Path(tmp) / f"lib{run}") as library:
                library.add([source], entities=False)
                started = time.perf_counter()
                library.annotate()
                phase_times.append(time.perf_counter() - started)
    # extract() is what the entity phase calls; keep it honest that it is the same pipeline.
    assert next(iter(extract(texts[:1]))) is not None
    ner_s, phase_s = statistics.median(ner_times), statistics.median(phase_times)
    print(
        json.dumps(
            {
                "articles": len(texts),
                "words": words,
                "ner_only_words_per_s": round(words / ner_s),
                "entity_phase_words_per_s": round(words / phase_s),
                "ratio": round(ner_s / phase_s, 3),
                "goal": ">= 0.8",
                "runs": a.repeat,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
