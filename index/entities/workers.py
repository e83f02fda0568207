"""The entity phase's NER on every local core: worker processes that load spaCy once each.

NER is nearly all of the entity phase's cost and each article's is independent of the others,
so it parallelises; voting, the library's known names and every write stay in the driver, in
batch order, so the record ends up exactly as the in-process path leaves it. A worker gets one
driver batch at a time and runs the very `ner.extract` call the in-process path runs on it: the
output does not depend on how many workers there are.

Workers are spawned, not forked: a forked copy of a process that already holds SQLite
connections, Whoosh files or BLAS threads is not safe, and spawn costs only the model load,
which every worker pays once. A worker never touches the library; it exits when the driver
does, even after a kill -9 (it watches its parent), so an interrupted run leaves no orphans.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from ..model import CrosswireError
from . import ner
from .ner import RawMention

T = TypeVar("T")
# (tag, texts) in, (tag, each text's mentions) out, in order: the tag carries the driver's batch.
Results = Generator[tuple[T, list[list[RawMention]]], None, None]


class NerMap(Protocol):
    """How NER runs: in this process, in worker processes or on Ray, one signature for all."""

    def __call__(self, items: Iterable[tuple[T, Sequence[str]]], /) -> Results[T]: ...


# Starting a worker costs about a second of CPU (interpreter, spaCy, the model); below this many
# articles a worker, another worker would not earn that back.
ARTICLES_PER_WORKER = 100
IN_FLIGHT_PER_WORKER = 2  # batches queued a worker: it never waits for the driver's writes


def cpu_count() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(pending: int) -> int:
    """Every local core when the pending articles are worth it, else one (in-process)."""
    return max(1, min(cpu_count(), pending // ARTICLES_PER_WORKER))


def in_process(
    items: Iterable[tuple[T, Sequence[str]]],
) -> Results[T]:
    """The one-worker path: NER in this process, batch by batch."""
    for tag, texts in items:
        yield tag, list(ner.extract(texts))


def extract_batch(texts: Sequence[str]) -> list[list[RawMention]]:
    """A worker's task: one driver batch through the same call the in-process path makes."""
    return list(ner.extract(texts))


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(1)  # the driver is gone: nobody will read this worker's results


def _start_worker() -> None:
    # Ctrl-C is the driver's to handle (it stops handing out batches and waits for these).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    ner.load_pipeline()


def pool(workers: int) -> NerMap:
    """A NerMap over `workers` spawned processes, results in submission order."""

    def run(
        items: Iterable[tuple[T, Sequence[str]]],
    ) -> Results[T]:
        context = multiprocessing.get_context("spawn")
        executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
        queued: deque[tuple[T, Future[list[list[RawMention]]]]] = deque()
        source = iter(items)
        try:
            for tag, texts in source:
                queued.append((tag, executor.submit(extract_batch, list(texts))))
                if len(queued) >= workers * IN_FLIGHT_PER_WORKER:
                    break
            while queued:
                tag, future = queued.popleft()
                try:
                    result = future.result()
                except BrokenProcessPool as exc:  # killed under it (out of memory, a signal)
                    raise CrosswireError(
                        f"an NER worker process died ({exc}); what was annotated is stored, "
                        "run annotate again to finish (--workers 1 runs it in this process)"
                    ) from exc
                for tag_next, texts in source:
                    queued.append((tag_next, executor.submit(extract_batch, list(texts))))
                    break
                yield tag, result
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    return run
