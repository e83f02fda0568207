"""The entity phase's NER on a Ray cluster: actors that hold the spaCy model, one load each.

Only NER leaves the machine. The driver reads each batch from the record, sends its texts to an
actor and writes what comes back, batch by batch and in order, exactly as with local workers:
the record (SQLite) and the Whoosh index stay on the driver's machine, so the one-writer rule
and resumability are unchanged, and a lost node costs at most the batches in flight.

Ray is an optional extra (`pip install 'crosswire[cluster]'`) and imported only here, only when
asked for: the reader and every other command never load it. Every node needs crosswire and a
spaCy model installed, the same versions as the driver's (the NER cache is keyed by model id).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from ..model import CrosswireError
from .ner import RawMention
from .workers import IN_FLIGHT_PER_WORKER, NerMap, Results, cpu_count

T = TypeVar("T")

LOCAL = "local"  # start a private Ray on this machine instead of joining a cluster
INSTALL_HINT = "annotate --ray needs Ray: pip install 'crosswire[cluster]'"


def require_ray() -> Any:
    """The ray module, or a one-line error saying how to install it."""
    # Before the import: never report usage, and a private local Ray binds 127.0.0.1 only.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
    except ImportError as exc:
        raise CrosswireError(INSTALL_HINT) from exc
    return ray


class _Extractor:
    """Actor body: load the model once, then run the driver's batches through ner.extract."""

    def __init__(self) -> None:
        from . import ner

        ner.load_pipeline()

    def extract(self, texts: Sequence[str]) -> list[list[RawMention]]:
        from . import workers

        return workers.extract_batch(texts)


def ray_map(address: str = LOCAL, workers: int | None = None) -> NerMap:
    """A NerMap over Ray actors: joins the cluster at `address` (or the Ray this process has
    already started), or starts a private local one on 127.0.0.1 for address "local"."""
    ray = require_ray()

    def run(
        items: Iterable[tuple[T, Sequence[str]]],
    ) -> Results[T]:
        started = not ray.is_initialized()
        if started:
            try:
                if address == LOCAL:
                    ray.init(
                        num_cpus=workers or cpu_count(),
                        include_dashboard=False,
                        _node_ip_address="127.0.0.1",
                        log_to_driver=False,
                    )
                else:
                    ray.init(address=address, log_to_driver=False)
            except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError…
                raise CrosswireError(f"cannot start or join Ray at {address}: {exc}") from exc
        actors: list[Any] = []
        try:
            count = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            remote = ray.remote(num_cpus=1)(_Extractor)
            actors = [remote.remote() for _ in range(count)]
            queued: deque[tuple[T, Any]] = deque()
            source = iter(items)
            sent = 0

            def submit() -> bool:
                nonlocal sent
                for tag, texts in source:
                    actor = actors[sent % len(actors)]
                    queued.append((tag, actor.extract.remote(list(texts))))
                    sent += 1
                    return True
                return False

            while len(queued) < count * IN_FLIGHT_PER_WORKER and submit():
                pass
            while queued:
                tag, ref = queued.popleft()
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    first = (str(exc).strip().splitlines() or [""])[0]
                    raise CrosswireError(
                        f"a Ray worker failed ({type(exc).__name__}: {first}); what was "
                        "annotated is stored, run annotate again to finish"
                    ) from exc
                submit()
                yield tag, result
        finally:
            for actor in actors:
                ray.kill(actor)
            if started:
                ray.shutdown()

    return run
