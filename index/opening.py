"""Opening the search index of a library: as it is, or rebuilt when missing or broken.

Each way the index can fall behind the record says so in one line, since the rebuild that
follows may take a while on a large library. Articles are marked unindexed before the index
is emptied, so an interruption in between leaves work to do, never an empty index the record
believes full. Library passes in its record, its writer lock and its notice callback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from .model import CrosswireError
from .search import IndexDamaged, IndexOutdated, SearchIndex
from .store import Store

# Library._writing(on_wait=None, *, wait=True)
Writing = Callable[..., AbstractContextManager[bool]]


def open_index(
    path: Path, store: Store, writing: Writing, on_notice: Callable[[str], None]
) -> tuple[SearchIndex, bool]:
    """The index at `path`, created or rebuilt under the writer lock when missing or
    damaged (its articles marked unindexed first); with False when a notice has already
    said why it is being rebuilt, True while none has."""
    announce = True
    try:
        if path.exists():
            index = SearchIndex(path)
        else:
            with writing():
                if store.count() and not path.exists():
                    on_notice(f"search index missing in {path}; rebuilding it from the record")
                    announce = False
                    store.mark_unindexed()
                index = SearchIndex(path)
    except IndexDamaged as exc:
        why = "from another crosswire version" if isinstance(exc, IndexOutdated) else "damaged"
        on_notice(f"search index {why} ({exc}); rebuilding it from the record")
        announce = False
        with writing():
            store.mark_unindexed()
            shutil.rmtree(path, ignore_errors=True)
            index = SearchIndex(path)
    return index, announce


def reindex_lost(
    path: Path,
    index: SearchIndex,
    store: Store,
    writing: Writing,
    on_notice: Callable[[str], None],
) -> bool:
    """Files lost under a readable index: mark all for re-indexing (documents replace by
    id) unless another process is writing; True when it did (and said so)."""
    if index.doc_count() >= store.count() - store.unindexed_count():
        return False
    with writing(wait=False) as got:
        if got:
            on_notice(
                f"search index in {path} lacks articles the record holds; "
                "re-indexing them from the record"
            )
            store.mark_unindexed()
            return True
    return False


def open_read_only_index(path: Path, store: Store, on_notice: Callable[[str], None]) -> SearchIndex:
    """Open the index as it is: nothing can be repaired or rebuilt on read-only media."""
    try:
        index = SearchIndex(path)
    except (IndexDamaged, OSError) as exc:
        raise CrosswireError(
            f"the search index in {path} cannot be read ({exc}) and "
            f"the library is read-only, so it cannot be rebuilt; copy the library to a "
            f"writable place and open it there"
        ) from exc
    if unindexed := store.unindexed_count():
        on_notice(
            f"{unindexed} stored articles are not in the search index and the library is "
            "read-only; search misses them until it is opened writable"
        )
    return index
