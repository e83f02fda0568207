"""The text phase: store incoming articles in batches and follow the record with the index.

Functions over the parts they need (the record, the index, the entity record) rather than a
Library, so the order that makes an interruption safe (store, then index, then mark indexed)
reads in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import partial

from .entities.record import Entities
from .model import AddReport, Incoming, Progress, Skipped, unstorable
from .search import IndexDoc, SearchIndex
from .store import Store, StoredRow, crash_point

ProgressFn = Callable[[Progress], None]
SkipFn = Callable[[Skipped], None]

STORE_BATCH = 200
INDEX_COMMIT_EVERY = 2000
PROGRESS_DOCS = 200  # documents between progress reports of an indexing pass
_FIELDS = ("text", "ref", "source", "title", "url", "published")


def _unstorable_field(value: object) -> bool:
    return isinstance(value, str) and unstorable(value) is not None


def store_and_index(
    store: Store,
    index: SearchIndex,
    entities: Entities,
    items: Iterator[Incoming | Skipped],
    report: AddReport,
    total: int | None,
    on_progress: ProgressFn,
    on_skip: SkipFn,
) -> None:
    """Store items in batches of STORE_BATCH (each its own transaction) and index each
    batch as it is stored, then whatever an earlier interrupted run left unindexed."""
    seen = 0

    def stored_rows() -> Iterator[list[StoredRow]]:
        nonlocal seen
        batch: list[Incoming] = []
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                on_skip(item)
                continue
            batch.append(item)
            seen += 1
            if len(batch) >= STORE_BATCH:
                yield insert(store, batch, report, on_skip)
                on_progress(Progress("text", seen, total))
                batch = []
        if batch:
            yield insert(store, batch, report, on_skip)
        on_progress(Progress("text", seen, total))

    index_rows(store, index, entities, (row for rows in stored_rows() for row in rows))
    # Anything left unindexed by an earlier interrupted run is picked up here too.
    sync_index(store, index, entities, lambda _: None)


def insert(
    store: Store, batch: list[Incoming], report: AddReport, on_skip: SkipFn
) -> list[StoredRow]:
    """Store a batch; an article that cannot be stored is skipped alone, never the batch.

    Text with a lone surrogate is refused before the transaction. Any other error one
    article raises (a failed batch is rolled back whole) is found by storing that batch one
    article at a time. sqlite3.OperationalError (disk full, I/O) is the record's, not an
    article's, and stops the add.
    """

    def skip(item: Incoming, reason: str) -> None:
        skipped = Skipped(item.ref, reason)
        report.skipped.append(skipped)
        on_skip(skipped)

    good = []
    for item in batch:
        bad = next((f for f in _FIELDS if _unstorable_field(getattr(item, f))), "")
        if bad:
            skip(item, f"{bad} holds a lone surrogate, which is not valid Unicode; not stored")
        else:
            good.append(item)
    try:
        added, present = store.insert(good)
    except sqlite3.OperationalError:
        raise
    except Exception:  # narrowed to the one article below, then reported
        added, present = [], 0
        for item in good:
            try:
                rows, was = store.insert([item])
            except sqlite3.OperationalError:
                raise
            except Exception as exc:  # this article's skip
                skip(item, f"cannot be stored: {type(exc).__name__}: {exc}")
                continue
            added += rows
            present += was
    report.added += len(added)
    report.present += present
    crash_point("stored")  # committed to the record, not yet to the index
    return added


def index_rows(
    store: Store,
    index: SearchIndex,
    entities: Entities,
    rows: Iterator[StoredRow],
    on_doc: Callable[[int], None] | None = None,
) -> int:
    """Write rows to the index, marking each batch indexed only after Whoosh committed it;
    on_doc(n) is told every PROGRESS_DOCS documents handed to the writer."""
    pending: list[tuple[int, int]] = []

    def docs() -> Iterator[IndexDoc]:
        for row in rows:
            if on_doc is not None and len(pending) % PROGRESS_DOCS == 0:
                on_doc(len(pending))
            sources = row.sources or (row.source,)
            pending.append((row.seq, len(sources)))
            yield IndexDoc(
                id=row.id,
                ref=row.ref,
                source=row.source,
                title=row.title,
                text=row.text,
                published=row.published,
                entities=entities.keys_for_article(row.id),
                sources=sources,
            )

    committed = 0

    def on_batch(done: int) -> None:
        nonlocal committed
        store.mark_indexed(pending[committed:done])
        committed = done

    return index.write(docs(), batch_size=INDEX_COMMIT_EVERY, on_batch=on_batch)


def _step(on_progress: ProgressFn, base: int, total: int, done: int) -> None:
    on_progress(Progress("index", base + done, total))


def sync_index(
    store: Store, index: SearchIndex, entities: Entities, on_progress: ProgressFn
) -> int:
    """Index every article the record holds as unindexed; returns how many."""
    total = store.unindexed_count()
    done = 0
    for rows in store.unindexed(batch_size=INDEX_COMMIT_EVERY):
        done += index_rows(
            store, index, entities, iter(rows), partial(_step, on_progress, done, total)
        )
        on_progress(Progress("index", done, total))
    return done
