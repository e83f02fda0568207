"""The record's errors, each with the one message a user sees: disk full, read-only, busy,
damaged.

Split from store.py so the Store keeps to connections and rows; the Library and the CLI import
these through store.py as before. Each helper tells one cause from the others because the
advice differs: moving a busy or full record aside as "damaged" would be the way to lose it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from .model import CrosswireError

LOW_SPACE = 1 << 20  # bytes free under which an I/O error on open means a full disk


class DiskFull(CrosswireError):
    """A write failed for want of space; what was committed before it is kept."""


class ReadOnly(CrosswireError):
    """A write was asked of a library on read-only media or without write permission."""


def read_only_error(directory: Path) -> ReadOnly:
    return ReadOnly(
        f"the library {directory} is read-only (read-only media or no write permission): "
        f"it cannot be changed here; list, search, show and the reader still work"
    )


def low_on_space(directory: Path) -> bool:
    try:
        st = os.statvfs(directory)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < LOW_SPACE


def disk_full(directory: Path, exc: BaseException) -> DiskFull | None:
    """The one message for a write the disk had no room for, or None for any other error.

    SQLite says "database or disk is full" when a write finds no room, but only "disk I/O
    error" when it cannot even make its shared-memory file on open: with the disk (almost)
    full, that is the same thing.
    """
    text = str(exc)
    full = (
        (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))
        or (isinstance(exc, sqlite3.OperationalError) and "full" in text)
        or ("disk I/O error" in text and low_on_space(directory))
    )
    if not full:
        return None
    return DiskFull(
        f"disk full: cannot write to {directory} ({exc}); everything stored before is kept — "
        f"free some space and run the same command again"
    )


def damaged(path: Path, exc: Exception) -> CrosswireError:
    """The one message for a record SQLite cannot read: name the file and the way back.

    A record another process holds locked is busy, not damaged: telling the user to move a
    healthy database aside would be the one way to lose it. The same goes for a record on a
    full disk, on read-only media or without permission: each is named for what it is.
    """
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return CrosswireError(
            f"the library record {path} is busy ({exc}): another crosswire process holds it; "
            f"try again when it is done"
        )
    if full := disk_full(path.parent, exc):
        return full
    if "readonly" in text or "read-only" in text:
        return read_only_error(path.parent)
    if path.exists() and not os.access(path, os.R_OK):
        return CrosswireError(f"cannot read the library record {path}: permission denied")
    return CrosswireError(
        f"the library record {path} is damaged ({exc}); move it aside and re-add your "
        f"inputs with `crosswire add`, or restore it from a backup"
    )
