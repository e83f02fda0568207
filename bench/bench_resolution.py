#!/usr/bin/env python3
"""Resolution quality on ECB+ dev, per topic and across topics, odd and even topics apart, and
a library-level check of the seeds plus ECB+ dev in one library.

usage: bench_resolution.py [--library LIB] [--revote] [--no-check] [--json]

--library names a library holding the ECB+ dev articles (`crosswire --library LIB add
tests/data/ecbplus-dev/articles.jsonl`); it is copied first and never changed. Without it, one
is built in a temporary directory (NER included: several CPU-minutes).

--revote re-runs per-article voting and name filling from the stored NER cache (no model run),
so changes to vote.py/fill.py are measured without re-annotating; the default only
re-resolves the stored mentions.

Scores: bench/score_entities.py against tests/data/ecbplus-dev/gold.jsonl (gold version 2),
once over all topics, once over the odd and once over the even topics (a rule is kept only if
it lowers neither), each per topic and with --across-topics.

The library-level check (skipped with --no-check) adds the five seeds (NER on them only) and
lists (1) names split across entities: one exact surface of one kind, two or more words or a
place, whose mentions fall in several entities; (2) PERSON entities holding two full names
whose first names are different and not variants of each other (Fred ~ Frederick, Katie ~
Kathryn and transliterations are variants; a name that ends with another of the entity's
two-word names is that name with a description before it; a first name the text quotes inside
another of its names, Luis "Jerry" Ortiz, is his nickname).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import re
import shutil
import sqlite3
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crosswire.index.entities.names import (
    PLACE_KINDS,
    core_tokens,
    drop_titles,
    first_names_agree,
    person_parts,
)
from crosswire.index.entities.record import Entities
from crosswire.index.library import Library

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data" / "ecbplus-dev"
SEEDS = HERE.parent / "seeds"
TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
FIGURES = (
    "mention_recall",
    "conll_f1",
    "b3_f1",
    "cross_source_precision",
    "cross_source_recall",
    "cross_source_f1",
)
BATCH = 64  # the entity phase's batch: re-voting in the same batches gives the same library


def load_scorer() -> tuple[Callable[..., dict[str, Any]], Callable[[str], list[dict[str, Any]]]]:
    """score() and load() of the shared scorer, a script kept verbatim (not a module)."""
    spec = importlib.util.spec_from_file_location("score_entities", HERE / "score_entities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score, module.load


def revote(path: Path) -> None:
    """Vote and fill every article again from the NER cache (the model never runs)."""
    conn = sqlite3.connect(path / "library.sqlite3")
    try:
        entities = Entities(conn, path / "no-aliases.toml")
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY seq")]
        with conn:
            conn.execute("DELETE FROM story_links")
            conn.execute("DELETE FROM mentions")
        for k in range(0, len(ids), BATCH):
            batch = entities.prepare(ids[k : k + BATCH])
            if batch.missing:
                raise SystemExit(f"{len(batch.missing)} articles lack cached NER; re-annotate")
            entities.store(batch, [])
        entities.resolve()
    finally:
        conn.close()


def predicted(path: Path) -> list[dict[str, Any]]:
    """The library's mentions as the scorer reads them (article = the article's ref)."""
    conn = sqlite3.connect(path / "library.sqlite3")
    try:
        rows = conn.execute(
            "SELECT a.ref, m.start_char, m.end_char, e.entity_id FROM mentions m "
            "JOIN entity_names e ON e.name = m.name AND e.kind = m.kind "
            "JOIN articles a ON a.id = m.article_id"
        ).fetchall()
    finally:
        conn.close()
    return [{"article": a, "start": s, "end": e, "entity": eid} for a, s, e, eid in rows]


def parity(article: str) -> str:
    topic = article.split("_")[0]
    return "odd" if topic.isdigit() and int(topic) % 2 else "even"


def scores(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-topic and across-topics figures on all, odd and even topics."""
    score, _ = load_scorer()
    out: dict[str, Any] = {}
    for part in ("all", "odd", "even"):
        g = [x for x in gold if part == "all" or parity(x["article"]) == part]
        p = [x for x in pred if part == "all" or parity(x["article"]) == part]
        for across in (False, True):
            result = score(g, p, TYPES, across)
            out[f"{part} {'across topics' if across else 'per topic'}"] = {
                k: result[k] for k in FIGURES
            }
    return out


def quoted_words(names: set[str]) -> set[str]:
    """Words quoted inside an entity's names (Luis "Jerry" Ortiz): nicknames its text gives."""
    return {t for n in names for q in re.findall(r"[\"“]([^\"”]+)[\"”]", n) for t in core_tokens(q)}


def library_check(path: Path) -> dict[str, Any]:
    """The two lists of the library-level check (see the module docstring)."""
    conn = sqlite3.connect(path / "library.sqlite3")
    try:
        rows = conn.execute(
            "SELECT m.text, m.kind, e.entity_id, count(*) FROM mentions m "
            "JOIN entity_names e ON e.name = m.name AND e.kind = m.kind "
            "GROUP BY m.text, m.kind, e.entity_id"
        ).fetchall()
        names = dict(conn.execute("SELECT id, name FROM entities").fetchall())
    finally:
        conn.close()
    split: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    persons: dict[str, set[str]] = defaultdict(set)
    for written, kind, eid, count in rows:
        # A mention keeps the title it is written with ("Mr. Quill"); the check compares names.
        text = drop_titles(written, kind)
        if len(text.split()) >= 2 or kind in PLACE_KINDS:
            split[(text, kind)][eid] = split[(text, kind)].get(eid, 0) + count
        if kind == "PERSON" and person_parts(text):
            persons[eid].add(" ".join(text.split()))
    split_names = [
        {"name": text, "kind": kind, "entities": {names.get(e, e): c for e, c in ents.items()}}
        for (text, kind), ents in sorted(split.items())
        if len(ents) > 1
    ]
    two_people = []
    for eid, written in sorted(persons.items()):
        # A description glued before another of its names ("Coroner Dana Quill") is that
        # name (rule "description"), not a second first name.
        full = {n for n in written if " ".join(n.split()[-2:]) not in written - {n}}
        # A nickname the text writes inside a full name (Luis "Jerry" Ortiz) is his first name.
        nicknames = quoted_words(written)
        clash = [
            (a, b)
            for a, b in itertools.combinations(sorted(full), 2)
            if not first_names_agree(a, b)
            and not {core_tokens(a)[0], core_tokens(b)[0]} & nicknames
        ]
        if clash:
            two_people.append({"entity": names.get(eid, eid), "names": sorted(set(sum(clash, ())))})
    return {
        "split_names": len(split_names),
        "persons_with_two_first_names": len(two_people),
        "split_name_list": split_names,
        "two_first_names_list": two_people,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, help="a library holding the ECB+ dev articles")
    ap.add_argument("--revote", action="store_true", help="re-vote from the NER cache first")
    ap.add_argument("--no-check", action="store_true", help="skip the library-level check")
    a = ap.parse_args()
    _, load = load_scorer()
    gold = load(str(DATA / "gold.jsonl"))
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "lib"
        if a.library:
            shutil.copytree(a.library, lib)
            with Library(lib, catch_up=False):
                pass  # an older library gets today's tables (the record's format) on open
        else:
            with Library(lib) as library:
                library.add([DATA / "articles.jsonl"])
        if a.revote:
            revote(lib)
        else:
            conn = sqlite3.connect(lib / "library.sqlite3")
            try:
                Entities(conn, lib / "no-aliases.toml").resolve()
            finally:
                conn.close()
        report: dict[str, Any] = {"scores": scores(gold, predicted(lib))}
        if not a.no_check:
            with Library(lib) as library:
                library.add(sorted(SEEDS.glob("*.txt")))
            report["library_check"] = library_check(lib)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
