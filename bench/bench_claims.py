#!/usr/bin/env python3
"""Cost of quantity claims against spaCy NER alone, and group precision on a hand-written story.

usage: bench_claims.py [ARTICLES.jsonl] [--limit N] [--repeat 3] [--no-parser]
                       [--phase-limit 200] [--no-phase]

Default articles: the ECB+ development set in tests/data. Prints JSON:
- words/s of spaCy NER-only (`nlp.pipe` with the pipeline crosswire loads, reading every
  `doc.ents` span) and of NER + `claims.extract_claims` fed those spans, in CPU-seconds
  (medians of --repeat runs, both sides in the same run), and their ratio (goal >= 0.6);
- the same for the road not taken: the full en_core_web_sm pipeline (tok2vec, tagger, parser,
  lemmatizer: what noun chunks and real lemmas would need), so the cost of that choice is shown;
- the whole entity phase as a user runs it (Library.annotate, in-process: NER, voting, the
  record's writes, resolution, the index's entity field) with claims and without, on fresh
  copies of one text-only library of the first --phase-limit articles (CPU-seconds, medians,
  alternated), and their ratio (goal >= 0.6);
- the claim groups on tests/engine/test_claims.py's STORY against its hand-written EXPECTED
  groups: a group is right when its (article, value) set and its disputed flag equal an
  expected group's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crosswire.index.claims import extract_claims
from crosswire.index.entities import ner
from crosswire.index.entities.ner import RawMention, load_pipeline

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/engine/test_claims.py holds the story

from tests.engine.test_claims import EXPECTED, score, story_groups  # noqa: E402

DEFAULT = HERE.parent / "tests" / "data" / "ecbplus-dev" / "articles.jsonl"


def cpu_median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def entity_phase(lines: list[str], repeat: int) -> dict[str, object]:
    """Library.annotate words/s with and without claims, on fresh copies of one library."""
    from crosswire.index import Library

    words = sum(len(json.loads(line)["text"].split()) for line in lines)
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        root = Path(tmp)
        (root / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        with Library(root / "master") as library:
            library.add([root / "in.jsonl"], entities=False)

        def run(claims: bool, n: int) -> float:
            copy = root / f"{claims}-{n}"
            shutil.copytree(root / "master", copy)
            with Library(copy) as library:
                started = time.process_time()
                library.annotate(workers=1, claims=claims)
                return time.process_time() - started

        run(True, -1)  # warm up: the model loads once per process
        pairs = [(run(False, n), run(True, n)) for n in range(repeat)]
    without = statistics.median(p[0] for p in pairs)
    with_claims = statistics.median(p[1] for p in pairs)
    return {
        "articles": len(lines),
        "words": words,
        "without_claims_words_per_s": round(words / without),
        "with_claims_words_per_s": round(words / with_claims),
        "ratio": round(without / with_claims, 3),
        "goal": ">= 0.6",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="use the first N articles (0: all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-parser", action="store_true", help="skip the full-pipeline figure")
    ap.add_argument("--phase-limit", type=int, default=200, help="articles for the phase figure")
    ap.add_argument("--no-phase", action="store_true", help="skip the Library.annotate figure")
    a = ap.parse_args()
    lines = a.articles.read_text(encoding="utf-8").splitlines()
    if a.limit:
        lines = lines[: a.limit]
    texts = [json.loads(line)["text"] for line in lines]
    words = sum(len(t.split()) for t in texts)

    nlp = load_pipeline()
    list(nlp.pipe(texts[:20]))  # warm up
    counts: list[int] = []

    def ner_only() -> None:
        for doc in nlp.pipe(texts, batch_size=32):
            _ = [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    def ner_and_claims() -> None:
        counts.clear()
        for text, doc in zip(texts, nlp.pipe(texts, batch_size=32), strict=True):
            spans = [RawMention(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
            counts.append(len(extract_claims(text, entities=spans)))

    # Alternate the two sides so that drift on a shared machine hits both alike.
    pairs = [(cpu_median(ner_only, 1), cpu_median(ner_and_claims, 1)) for _ in range(a.repeat)]
    ner_s = statistics.median(p[0] for p in pairs)
    claims_s = statistics.median(p[1] for p in pairs)
    result: dict[str, object] = {
        "articles": len(texts),
        "words": words,
        "ner_only_words_per_s": round(words / ner_s),
        "ner_with_claims_words_per_s": round(words / claims_s),
        "ratio": round(ner_s / claims_s, 3),
        "goal": ">= 0.6",
        "claims": sum(counts),
        "articles_with_claims": sum(1 for c in counts if c),
    }
    if not a.no_parser:
        import spacy

        full = spacy.load(ner._model_name())  # the same model, every component
        full.max_length = nlp.max_length
        list(full.pipe(texts[:20]))

        def full_pipeline() -> None:
            for doc in full.pipe(texts, batch_size=32):
                _ = list(doc.noun_chunks)

        full_s = cpu_median(full_pipeline, a.repeat)
        result["full_pipeline_noun_chunks_words_per_s"] = round(words / full_s)
        result["full_pipeline_ratio"] = round(ner_s / full_s, 3)
    if not a.no_phase:
        result["entity_phase"] = entity_phase(lines[: a.phase_limit], a.repeat)
    story = score(story_groups())
    result["story"] = {
        **story,
        "precision": round(story["right"] / story["groups"], 3),
        "recall": round(story["right"] / len(EXPECTED), 3),
    }
    result["runs"] = a.repeat
    result["clock"] = "CPU seconds of this process, medians"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
