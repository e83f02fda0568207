"""The entity phase's loop: NER in batches, each stored and published as it completes.

Kept apart from Library so the order that makes a kill safe (mark stale, store, publish) reads
in one place; Library passes in the record, the entity record and how to lock and index.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from .entities import workers as workers_mod
from .entities.record import Entities
from .model import Progress
from .store import Store

RESOLVE_SHARE = 10  # resolve again after 10× the last resolution's time: ≤ ~10% of the run


def once(notice: Callable[[str], None]) -> Callable[[str], None]:
    """notice, but only its first call: an entity phase waits per batch and says so once."""
    said = False

    def say(message: str) -> None:
        nonlocal said
        if not said:
            said = True
            notice(message)

    return say


class Publisher:
    """Makes a running entity phase visible: indexes the articles annotated so far (their
    entity field) and re-resolves entities, on a clock rather than every batch, so neither
    Whoosh commits nor resolution take more than a small share of the run."""

    def __init__(self, entities: Entities, sync_index: Callable[[], object], every: float) -> None:
        self.entities = entities
        self.sync_index = sync_index
        self.every = every  # seconds between index commits
        self.indexed_at = self.resolved_at = time.monotonic()
        self.resolve_cost = 0.0

    def maybe(self) -> None:
        now = time.monotonic()
        if now - self.resolved_at >= max(self.every, RESOLVE_SHARE * self.resolve_cost):
            self.entities.resolve()
            self.resolved_at = time.monotonic()
            self.resolve_cost = self.resolved_at - now
        if now - self.indexed_at >= self.every:
            self.sync_index()
            self.indexed_at = time.monotonic()


def annotate_pending(
    store: Store,
    entities: Entities,
    pending: list[str],
    *,
    workers: int | None,
    ray: str | None,
    batch_size: int,
    publish_every: float,
    writing: Callable[[], AbstractContextManager[object]],
    sync_index: Callable[[], object],
    on_progress: Callable[[Progress], None],
) -> int:
    """Annotate `pending` in batches of batch_size, in order, each stored under writing()
    and published every publish_every seconds; then resolve and index the rest. Returns
    how many articles were annotated."""
    batches = [pending[i : i + batch_size] for i in range(0, len(pending), batch_size)]
    prepared = (entities.prepare(ids) for ids in batches)
    jobs = ((batch, [batch.texts[aid] for aid in batch.missing]) for batch in prepared)
    done = 0
    on_progress(Progress("entities", 0, len(pending)))
    publish = Publisher(entities, sync_index, publish_every)
    with contextlib.closing(ner_map(len(pending), workers, ray)(jobs)) as results:
        for batch, fresh in results:
            with writing():
                # Stale first: a kill between the two leaves a re-index to do, never an
                # index entry without the entities the record holds.
                store.mark_unindexed(batch.texts)
                entities.store(batch, fresh)
                publish.maybe()
            done += len(batch.texts)
            on_progress(Progress("entities", done, len(pending)))
    with writing():
        entities.resolve()
        sync_index()
    return done


def ner_map(pending: int, workers: int | None, ray: str | None) -> workers_mod.NerMap:
    """How to run NER over `pending` articles: on Ray when `ray` is given, else in `workers`
    local processes (default: as many as the articles are worth), in-process for one."""
    if ray is not None:
        # Ray only when asked for: it is an optional extra.
        from .entities.cluster import ray_map

        return ray_map(ray, workers)
    count = workers_mod.default_workers(pending) if workers is None else max(1, workers)
    return workers_mod.pool(count) if count > 1 else workers_mod.in_process
