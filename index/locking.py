"""The library's lock files and path checks: who may write, and whether a path can hold a library.

Writers (add, annotate, rebuild, merge) take an exclusive flock on a file in the library so two
processes never interleave; one entity phase at a time holds a lock of its own. Kept apart from
Library so the facade says what each operation locks, and this module how.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from .model import CrosswireError
from .store import disk_full


@contextlib.contextmanager
def flock(
    directory: Path, name: str, on_wait: Callable[[], None], *, wait: bool = True
) -> Iterator[bool]:
    """Hold the lock file `name` in `directory` (yields False when wait=False and another
    process holds it); calls on_wait once before waiting for it.

    The write boundary too: a full disk inside is one line, not a traceback; the
    transaction in flight has rolled back and everything before it is kept.
    """
    try:
        lock = open(directory / name, "a+")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise disk_full(directory, exc) or CrosswireError(
            f"cannot write to the library {directory}: {exc}"
        ) from exc
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            on_wait()
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield True
        except (OSError, sqlite3.OperationalError) as exc:
            full = disk_full(directory, exc)
            if full is None:
                raise
            raise full from exc
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Reentrant:
    """Makes a lock re-entrant within a thread: flock locks of two open files conflict even
    within one process, so a nested hold (opening a new library, then creating its index)
    must not lock again. Another thread waits on the lock like another process."""

    def __init__(self) -> None:
        self._held = threading.local()  # lock depth, per thread

    @contextlib.contextmanager
    def hold(self, acquire: Callable[[], AbstractContextManager[bool]]) -> Iterator[bool]:
        """Yield True at once when this thread already holds the lock, else what acquire()
        yields (False: not taken); only the outermost hold releases it."""
        depth = getattr(self._held, "depth", 0)
        if depth:
            self._held.depth = depth + 1
            try:
                yield True
            finally:
                self._held.depth = depth
            return
        with acquire() as got:
            if not got:
                yield False
                return
            self._held.depth = 1
            try:
                yield True
            finally:
                self._held.depth = 0


def check_directory(directory: Path) -> None:
    """Say what is wrong with a library path that is not a usable directory, instead of the
    "[Errno 17] File exists" mkdir would give for a file, a device or a dangling symlink."""
    if directory.is_symlink() and not directory.exists():
        raise CrosswireError(
            f"library directory {directory} is a symlink to {os.readlink(directory)}, which "
            f"does not exist"
        )
    try:
        mode = directory.stat().st_mode
    except FileNotFoundError:
        return  # a new library: created next
    except OSError as exc:
        raise CrosswireError(f"cannot reach library directory {directory}: {exc}") from exc
    if stat.S_ISDIR(mode):
        if not os.access(directory, os.R_OK | os.X_OK):
            raise CrosswireError(f"cannot read library directory {directory}: permission denied")
        return
    what = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a file"
    )
    raise CrosswireError(
        f"library path {directory} is {what}, not a directory: name a directory (a new one "
        f"is created)"
    )
