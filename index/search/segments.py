"""How the index's segments are merged: never a big merge inside an ordinary write, and an
explicit, resumable merge (`crosswire optimize`) in bounded steps, into segments of at most
STEP_DOCS documents.

Whoosh's default policy (MERGE_SMALL) merges inside `commit`, and at 100k articles it merged
~38k documents at a time near 40k and 80k: ~240 CPU-s each with nothing stored, no progress and
2.5 GB of temporary files. Measured on the same corpus, writing with no big merge costs about
as much CPU as indexing the documents once, while a merge costs nearly as much again per
document merged, so writes here merge only tiny segments (the entity phase's frequent small
commits), and the rest waits for `optimize`, which merges the smallest segments a step at a time,
each step its own commit: a kill loses only the step in flight and the index stays whole. It
stops at segments of about STEP_DOCS documents rather than one: a last merge of everything would
need the whole index twice on disk and minutes of CPU, for searches measured about as fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crosswire.index.store import crash_point
from whoosh.reading import SegmentReader

SMALL_SEGMENT = 1000  # documents: segments smaller than this are merged by any write
SMALL_COUNT = 4  # ... once there are this many of them
# Documents one optimize step merges at most. Whoosh re-sorts a merge's postings through
# temporary runs on disk: measured ~60 KB an article (4,000 merged: 255 MB of runs beside a
# 51 MB library), ~5x the article's share of the final index. 10k keeps that under half of a
# 100k library (peak disk <= 1.5x final) and a kill's loss to one step.
STEP_DOCS = 10_000


def _absorb(writer: Any, segments: list[Any]) -> None:
    """Copy segments into the writer's new segment (their deleted documents dropped)."""
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()


def merge_tiny(writer: Any, segments: list[Any]) -> list[Any]:
    """The merge policy of every write: drop segments with no live document, and fold those
    under SMALL_SEGMENT live documents into the new one once there are SMALL_COUNT of them;
    never copy a larger segment. Live, not written, documents count: the entity phase
    replaces every article's document, which leaves old segments mostly deleted, and those
    cost little to copy (only their live documents are written)."""
    kept = [s for s in segments if s.doc_count() > 0]
    small = [s for s in kept if s.doc_count() < SMALL_SEGMENT]
    if len(small) < SMALL_COUNT:
        return kept
    _absorb(writer, small)
    return [s for s in kept if s not in small]


def step_plan(segments: list[Any], step_docs: int | None = None) -> list[Any]:
    """The segments one optimize step merges: the smallest, as many as fit in step_docs
    documents, at least two; none when even the two smallest do not fit (or one is left).

    So no step writes more than step_docs documents: the disk a step needs on top of the
    index (the merged copy and Whoosh's sort runs) stays bounded, and so does the time a
    kill can cost. A library of N articles ends in about N / step_docs segments."""
    if len(segments) < 2:
        return []
    step_docs = STEP_DOCS if step_docs is None else step_docs
    ordered = sorted(segments, key=lambda s: s.doc_count_all())
    chosen = ordered[:2]
    total = sum(s.doc_count_all() for s in chosen)
    if total > step_docs:
        return []
    for segment in ordered[2:]:
        total += segment.doc_count_all()
        if total > step_docs:
            break
        chosen.append(segment)
    return chosen


def merge_step(writer: Any, step_docs: int | None = None) -> int:
    """Merge one step's segments in this writer and commit; returns how many documents the
    step merged (0: nothing left to merge, the writer is cancelled)."""
    chosen = step_plan(list(writer.segments), step_docs)
    if not chosen:
        writer.cancel()
        return 0
    merged = int(sum(s.doc_count() for s in chosen))

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        _absorb(writer, chosen)
        crash_point("merge")  # merged in the writer, not yet committed
        return [s for s in segments if s not in chosen]

    writer.commit(mergetype=policy)
    return merged


def optimize(
    new_writer: Callable[[], Any],
    segment_count: Callable[[], int],
    on_step: Callable[[int, int], None],
    step_docs: int | None = None,
) -> int:
    """Merge step by step, a commit a step, until no step fits (see step_plan); on_step(done,
    total) after each counts the segments merged away against the most there were to merge
    away when this run began. Returns the number of steps taken (0: nothing to merge)."""
    first = segment_count()
    steps = 0
    while segment_count() > 1:
        if not merge_step(new_writer(), step_docs):
            break
        steps += 1
        on_step(first - segment_count(), first - 1)
    return steps
