#!/usr/bin/env python3
"""Run crosswire's entity pipeline straight over an articles.jsonl; print predicted mentions.

usage: ecb_dev.py ARTICLES.jsonl [--ner-cache FILE] > pred.jsonl

One mention a line: {"article","start","end","text","kind","entity"}, the format
/work/shared/bench/score_entities.py reads. The same functions the library uses (extract, vote,
resolve) run here without SQLite, so rules can be iterated on quickly; --ner-cache keeps spaCy's
output in a JSON file between runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from crosswire.index.entities import KNOWN_IN_ARTICLES
from crosswire.index.ner import RawMention, extract
from crosswire.index.resolve import NameGroup, UserRules, fill_known, resolve, vote

BATCH = 64  # as Library.annotate


def raw_mentions(texts: dict[str, str], cache: Path | None) -> dict[str, list[RawMention]]:
    if cache and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return {aid: [RawMention(*m) for m in stored[aid]] for aid in texts}
    found = dict(zip(texts, extract(texts.values()), strict=True))
    if cache:
        plain = {aid: [[m.start, m.end, m.text, m.label] for m in ms] for aid, ms in found.items()}
        cache.write_text(json.dumps(plain), encoding="utf-8")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path)
    ap.add_argument("--ner-cache", type=Path)
    ap.add_argument("--entities", type=Path, help="also write the resolved entities (JSON)")
    a = ap.parse_args()
    with open(a.articles, encoding="utf-8") as f:
        texts = {art["id"]: art["text"] for art in map(json.loads, f)}
    raw = raw_mentions(texts, a.ner_cache)
    # As the library does: batches in order; names known from earlier batches and this one
    # are marked where the model missed them.
    voted: dict[str, list] = {}
    seen_in: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    ids = list(texts)
    for b in range(0, len(ids), BATCH):
        batch = ids[b : b + BATCH]
        for aid in batch:
            voted[aid] = vote(texts[aid], raw[aid])
            for m in voted[aid]:
                seen_in[m.text].add(aid)
                kinds[m.text][m.kind] += 1
        known = {
            t: kinds[t].most_common(1)[0][0]
            for t, arts in seen_in.items()
            if len(arts) >= KNOWN_IN_ARTICLES
        }
        for aid in batch:
            voted[aid] = fill_known(texts[aid], voted[aid], known)
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for mentions in voted.values():
        for m in mentions:
            surfaces[(m.name, m.kind)].add(m.text)
            counts[(m.name, m.kind)] += 1
    groups = [NameGroup(n, k, tuple(sorted(surfaces[(n, k)])), counts[(n, k)]) for n, k in counts]
    resolution = resolve(groups, UserRules())
    if a.entities:
        dump = {
            e.id: {"name": e.name, "kind": e.kind, "aliases": e.aliases}
            for e in resolution.entities.values()
        }
        dump["_groups"] = [
            [g.name, g.kind, g.count, resolution.entity_of[(g.name, g.kind)]] for g in groups
        ]
        a.entities.write_text(json.dumps(dump, indent=1), encoding="utf-8")
    out = sys.stdout
    for aid, mentions in voted.items():
        for m in mentions:
            row = {
                "article": aid,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "kind": m.kind,
                "entity": resolution.entity_of[(m.name, m.kind)],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
