#!/usr/bin/env python3
"""What each resolution rule gains: ECB+ dev scores with every rule on, then with each off.

usage: bench_rules.py [--library LIB] [--without RULE ...] [--across-topics]

Resolution is a list of named rules (crosswire.index.entities.rules.RULES). This re-resolves
one library (no NER: the stored mentions are re-used) once with every rule on and once per rule
switched off (or only the rules given with --without), scores each resolution against the
gold of tests/data/ecbplus-dev with bench/score_entities.py, and prints JSON: the scores with
all rules on, and per rule the scores without it and the change (negative: the rule helps).
The library never runs rules.STORY_RULES across stories, so those show no change here.

--library names a library already holding the ECB+ dev articles (`crosswire --library LIB add
tests/data/ecbplus-dev/articles.jsonl`); it is copied first and never changed. Without it, one
is built in a temporary directory (NER included: a few minutes of CPU).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from crosswire.index.entities.record import Entities
from crosswire.index.entities.rules import RULE_NAMES
from crosswire.index.library import Library

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data" / "ecbplus-dev"
FIGURES = ("conll_f1", "b3_f1", "cross_source_precision", "cross_source_recall", "cross_source_f1")


def load_scorer() -> tuple[Callable[..., dict[str, Any]], Callable[[str], list[dict[str, Any]]]]:
    """score() and load() of the shared scorer, a script kept verbatim (not a module)."""
    spec = importlib.util.spec_from_file_location("score_entities", HERE / "score_entities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score, module.load


def predicted(path: Path, disabled: Collection[str]) -> list[dict[str, Any]]:
    """The library's mentions as the scorer reads them, resolved without the disabled rules."""
    conn = sqlite3.connect(path / "library.sqlite3")
    try:
        Entities(conn, path / "no-aliases.toml").resolve(disabled)
    finally:
        conn.close()
    out = []
    with Library(path) as library:
        refs: dict[str, str] = {}
        for m in library.mentions():
            if m.article_id not in refs:
                article = library.article(m.article_id)
                refs[m.article_id] = article.ref if article else m.article_id
            out.append(
                {
                    "article": refs[m.article_id],
                    "start": m.start,
                    "end": m.end,
                    "entity": m.entity_id,
                }
            )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, help="a library holding the ECB+ dev articles")
    ap.add_argument(
        "--without",
        action="append",
        choices=RULE_NAMES,
        metavar="RULE",
        help=f"only this rule off (repeatable); rules: {', '.join(RULE_NAMES)}",
    )
    ap.add_argument("--across-topics", action="store_true", help="score links across topics")
    a = ap.parse_args()
    score, load = load_scorer()
    gold = load(str(DATA / "gold.jsonl"))
    types = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "lib"
        if a.library:
            shutil.copytree(a.library, lib)
            with Library(lib, catch_up=False):
                pass  # an older library gets today's tables (the record's format) on open
        else:
            with Library(lib) as library:
                library.add([DATA / "articles.jsonl"])

        def figures(disabled: Collection[str]) -> dict[str, float]:
            result = score(gold, predicted(lib, disabled), types, a.across_topics)
            return {k: result[k] for k in FIGURES}

        everything = figures(())
        without = {}
        for rule in a.without or RULE_NAMES:
            off = figures({rule})
            without[rule] = {**off, "change": {k: round(off[k] - everything[k], 4) for k in off}}
    print(json.dumps({"all_rules": everything, "without": without}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
