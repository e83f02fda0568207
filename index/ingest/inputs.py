"""Turn files, folders and stdin into `Incoming` articles, one input at a time.

Every reader yields either an `Incoming` or a `Skipped` with a one-line reason, so one bad file
never stops an import. Inputs are read lazily and one at a time: a folder of 100k files or a huge
JSON Lines file never sits in memory whole. This module is the plumbing (paths, folders, special
files, stdin, sizes and encodings); formats.py reads what it hands over.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from crosswire.index.model import Skipped, shown, unstorable

from . import limits
from .clean import label
from .formats import READERS, Item, guarded, not_utf8, read_jsonl
from .limits import format_of, line_limit, supported_list, too_big
from .sidecar import SIDECAR, Sidecars


def read_inputs(paths: Sequence[str | Path], stdin: TextIO | None = None) -> Iterator[Item]:
    """Yield articles and skip notices lazily, in a stable order (folders recursively, sorted).

    "-" reads stdin, its format sniffed: JSON Lines if it starts with "{", a JSON list if "[",
    a feed if it is RSS/Atom XML, HTML if it looks like HTML, else plain text.
    """
    sidecars = Sidecars()  # each folder's sources.toml, read once for this add
    for given in paths:
        if str(given) == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
        else:
            yield from _read_path(Path(given), str(given), visited={}, sidecars=sidecars)


def estimate_total(paths: Sequence[str | Path]) -> int | None:
    """How many articles read_inputs will roughly yield, for a progress bar's ETA.

    Files count 1 each (a JSON list or a feed too), JSON Lines files count their lines. Nothing
    is parsed; a JSON Lines file over 64 MB is estimated from its first 8 MB. None for stdin.
    """
    total = 0
    for given in paths:
        if str(given) == "-":
            return None
        for path in _walk_files(Path(given)):
            suffix = path.suffix.lower()
            if suffix in limits.JSONL_SUFFIXES:
                total += _count_lines(path)
            elif suffix in limits.SUPPORTED_SUFFIXES:
                total += 1
    return total


def _read_path(
    path: Path, where: str, visited: dict[Path, str], sidecars: Sidecars
) -> Iterator[Item]:
    """Read one file, or a folder recursively (sorted, hidden entries skipped)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        reason = "broken symlink" if path.is_symlink() else "no such file or directory"
        yield Skipped(where, reason)
        return
    except PermissionError:
        yield Skipped(where, "permission denied")
        return
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a symlink pointing at itself
            yield Skipped(where, "symlink loop; not followed")
        else:
            yield Skipped(where, f"cannot read: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _read_folder(path, where, visited, sidecars)
    elif stat.S_ISREG(st.st_mode):
        yield from _described(_read_file(path, where, st.st_size), path, where, sidecars)
    else:
        yield Skipped(where, _special(st.st_mode))


def _special(mode: int) -> str:
    """Why a FIFO, socket or device is skipped: opening a FIFO blocks until a writer comes,
    and a device's bytes are not an article."""
    for test, kind in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return f"{kind}, not a regular file; not read"
    return "not a regular file; not read"


def _read_folder(
    folder: Path, where: str, visited: dict[Path, str], sidecars: Sidecars
) -> Iterator[Item]:
    """Visit each real folder once: a symlink back up the tree would otherwise never end."""
    real = folder.resolve()
    if real in visited:
        first = visited[real]
        home = folder.parent.resolve()
        if real == home or real in home.parents:
            yield Skipped(where, f"symlink loop back to {first}; not followed")
        else:
            yield Skipped(where, f"same folder as {first}, already read; not read again")
        return
    visited[real] = where
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except PermissionError:
        yield Skipped(where, "permission denied")
        return
    except OSError as exc:
        yield Skipped(where, f"cannot list folder: {exc.strerror or exc}")
        return
    for name in names:
        if name.startswith(".") or name == SIDECAR:  # the sidecar describes; it is no article
            continue
        yield from _read_path(folder / name, os.path.join(where, name), visited, sidecars)


def _described(items: Iterator[Item], path: Path, where: str, sidecars: Sidecars) -> Iterator[Item]:
    """A one-article file's article as its folder's sources.toml describes it (outlet,
    title, date, url); files holding many articles (JSON, feeds) describe themselves."""
    suffix = path.suffix.lower()
    if suffix not in (*limits.TEXT_SUFFIXES, *limits.MARKDOWN_SUFFIXES, *limits.HTML_SUFFIXES):
        yield from items
        return
    for item in items:
        if isinstance(item, Skipped):
            yield item
            continue
        item, problem = sidecars.apply(path, where, item)
        if problem is not None:
            yield problem
        yield item


def _walk_files(path: Path) -> Iterator[Path]:
    """The files read_inputs would open under path, without reading any of them."""
    seen: set[Path] = set()
    stack = [path]
    while stack:
        current = stack.pop()
        try:
            if not current.is_dir():
                if current.is_file():
                    yield current
                continue
            real = current.resolve()
            if real in seen:
                continue
            seen.add(real)
            names = sorted(os.listdir(current), reverse=True)
        except OSError:
            continue
        stack.extend(current / name for name in names if not name.startswith("."))


def _count_lines(path: Path) -> int:
    """Non-empty-ish line count of a JSON Lines file: exact up to 64 MB, extrapolated above."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if size <= 64 * 1024 * 1024:
                count = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
                return count + (1 if size and not _ends_with_newline(handle, size) else 0)
            sample = handle.read(8 * 1024 * 1024)
    except OSError:
        return 0
    lines = max(sample.count(b"\n"), 1)
    return round(size * lines / len(sample))


def _ends_with_newline(handle: BinaryIO, size: int) -> bool:
    handle.seek(size - 1)
    return handle.read(1) == b"\n"


def _read_file(path: Path, where: str, size: int) -> Iterator[Item]:
    """One file, its failures its own (see guarded)."""
    yield from guarded(_read_one_file(path, where, size), where)


class _NotRegular(OSError):
    """What _open_regular raises for a FIFO, socket or device: its message is the skip."""


def _open_regular(path: Path) -> BinaryIO:
    """Open path for reading only if it is (still) a regular file; OSError otherwise.

    O_NONBLOCK: a FIFO swapped in after the stat would otherwise block open() forever, with
    the writer lock held.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(_special(mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_one_file(path: Path, where: str, size: int) -> Iterator[Item]:
    """Check a file's type, size and bytes, then hand it to the reader for its format."""
    suffix = path.suffix.lower()
    if suffix not in limits.SUPPORTED_SUFFIXES:
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)"
        yield Skipped(where, f"{kind}; crosswire reads {supported_list()}")
        return
    if suffix not in limits.JSONL_SUFFIXES and size > limits.MAX_FILE_BYTES:
        yield Skipped(where, too_big(size))
        return
    try:
        handle = _open_regular(path)  # closed below; JSON Lines keeps it open
    except PermissionError:
        yield Skipped(where, "permission denied")
        return
    except _NotRegular as exc:
        yield Skipped(where, str(exc))
        return
    except OSError as exc:
        yield Skipped(where, f"cannot read: {exc.strerror or exc}")
        return
    # A name that is not UTF-8 or holds control characters is stored and shown escaped.
    name, stem = shown(where), label(shown(path.stem))
    with handle:
        head = handle.read(limits.SNIFF_BYTES)
        if b"\x00" in head:
            yield Skipped(where, "binary file (contains NUL bytes); not text")
            return
        if len(head) < limits.SNIFF_BYTES and not head.strip():  # head is the whole file
            yield Skipped(where, "empty file" if not head else "file holds only whitespace")
            return
        if suffix in limits.JSONL_SUFFIXES:
            handle.seek(0)
            yield from read_jsonl(_byte_lines(handle), name, stem)
            return
        data = head + handle.read(limits.MAX_FILE_BYTES + 1 - len(head))
    if len(data) > limits.MAX_FILE_BYTES:  # grew since stat, or a special file that reports size 0
        yield Skipped(where, too_big(len(data)))
        return
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skipped(where, not_utf8(bom + exc.start))
        return
    if not text.strip():
        yield Skipped(where, "file holds only whitespace")
        return
    reader = READERS[format_of(suffix)]
    yield from reader(text, name, stem)


def _read_stdin(stream: TextIO) -> Iterator[Item]:
    """Sniff stdin's format from its first non-blank characters; JSON Lines is streamed.

    The bytes underneath are read when there are any, so a line that is not UTF-8 skips only
    itself, as in a file (a text stream would fail, or smuggle in surrogates, mid-stream).
    """
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        yield from guarded(_read_stdin_bytes(raw), "-")
    else:
        yield from guarded(_read_stdin_text(stream), "-")


def _read_stdin_bytes(raw: BinaryIO) -> Iterator[Item]:
    head = raw.read(limits.SNIFF_BYTES)
    while head and not head.strip() and len(head) < limits.MAX_FILE_BYTES:
        more = raw.read(limits.SNIFF_BYTES)
        if not more:
            break
        head += more
    lead = head.lstrip().removeprefix(b"\xef\xbb\xbf")
    if lead.startswith(b"{"):
        yield from read_jsonl(_byte_lines(raw, head), "-", "stdin")
        return
    data = head + raw.read(limits.MAX_FILE_BYTES + 1 - len(head))
    if len(data) > limits.MAX_FILE_BYTES:
        yield Skipped("-", too_big(len(data)))
        return
    if b"\x00" in data:
        yield Skipped("-", "binary input (contains NUL bytes); not text")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skipped("-", not_utf8(exc.start))
        return
    if not text.strip():
        yield Skipped("-", "empty input")
        return
    yield from READERS[_sniff(text.lstrip().lstrip("\ufeff"))](text.lstrip("\ufeff"), "-", "stdin")


def _read_stdin_text(stream: TextIO) -> Iterator[Item]:
    try:
        head = stream.read(limits.SNIFF_BYTES)
        lead = head.lstrip()
        while head and not lead and len(head) < limits.MAX_FILE_BYTES:
            more = stream.read(limits.SNIFF_BYTES)
            if not more:
                break
            head += more
            lead = head.lstrip()
        if lead.startswith("\ufeff"):
            lead = lead[1:]
        if lead.startswith("{"):
            yield from read_jsonl(_text_lines(head, stream), "-", "stdin")
            return
        data = head + stream.read(limits.MAX_FILE_BYTES + 1 - len(head))
    except UnicodeDecodeError as exc:
        yield Skipped("-", f"not valid UTF-8 ({exc.reason}); convert it to UTF-8")
        return
    size = len(data.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_FILE_BYTES:
        yield Skipped("-", too_big(size))
        return
    if "\x00" in data:
        yield Skipped("-", "binary input (contains NUL bytes); not text")
        return
    if not data.strip():
        yield Skipped("-", "empty input")
        return
    if (at := unstorable(data)) is not None:  # a stream decoded with surrogateescape
        yield Skipped("-", not_utf8(len(data[:at].encode("utf-8"))))
        return
    yield from READERS[_sniff(lead)](data.lstrip("\ufeff"), "-", "stdin")


def _sniff(lead: str) -> str:
    """The format of text that starts with lead (already stripped of leading blanks)."""
    if lead.startswith("["):
        return "json"
    start = lead[:4096].lower()
    if start.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)[\s>]", start):
            return "feed"
        if re.search(r"<(!doctype html|html|head|body|article|div|p)[\s>]", start):
            return "html"
    return "text"


def _text_lines(head: str, stream: TextIO) -> Iterator[str]:
    """Lines of stdin, each read with a bound so one endless line cannot exhaust memory."""
    limit = line_limit()
    pending = head
    while True:
        cut = pending.find("\n")
        while cut < 0 and len(pending) <= limit:
            more = stream.readline(limit + 1 - len(pending))
            if not more:
                break
            pending += more
            cut = pending.find("\n")
        if cut >= 0:
            yield pending[: cut + 1]
            pending = pending[cut + 1 :]
        elif len(pending) > limit:
            yield pending  # too long: reported by the JSON Lines reader, rest drained below
            pending = ""
            while True:
                more = stream.readline(1 << 20)
                if not more or more.endswith("\n"):
                    break
        else:
            if pending:
                yield pending
            return


def _byte_lines(handle: BinaryIO, head: bytes = b"") -> Iterator[bytes]:
    """Lines of a binary file (after head, bytes already read from it), each read with a
    bound (see _text_lines)."""
    limit = line_limit()
    while True:
        cut = head.find(b"\n")
        if cut >= 0:
            line, head = head[: cut + 1], head[cut + 1 :]
        else:
            line = head + handle.readline(max(1, limit - len(head)))
            head = b""
        if not line:
            return
        yield line
        if len(line) >= limit and not line.endswith(b"\n"):
            while True:  # drain the rest of an oversized line without keeping it
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
