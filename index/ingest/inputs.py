"""Turn files, folders and stdin into `Incoming` articles, one input at a time.

Every reader yields either an `Incoming` or a `Skipped` with a one-line reason, so one bad file
never stops an import. Inputs are read lazily and one at a time: a folder of 100k files or a huge
JSON Lines file never sits in memory whole.

Text policy:
- JSON and JSON Lines `text` is kept verbatim (not stripped, not normalised): entity offsets are
  offsets into exactly that string.
- For every other format (plain text, Markdown, HTML, feeds) the text is cleaned: line endings
  become "\\n", ANSI escape sequences and control characters other than "\\n" and "\\t" are
  dropped, and page chrome (share buttons, comment forms, cookie notices, "Related" lists...) is
  removed, since those files are usually copied off web pages.
- Titles and source names are single-line labels: control characters and line breaks are removed
  from them whatever the format.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO

from crosswire.index.model import Incoming, Skipped, shown, unstorable

MAX_FILE_BYTES = 20 * 1024 * 1024
# The one size limit, on the article's text after reading, whatever its format.
MAX_ARTICLE_CHARS = 2_000_000
SNIFF_BYTES = 8192
# trafilatura and feedparser cost memory and time many times their input (a 13 MB feed took
# 2.2 GB): inputs for them are bounded apart from the file limit; see bench/bench_inputs.py.
MAX_HTML_CHARS = 8_000_000
MAX_FEED_CHARS = 8_000_000

TEXT_SUFFIXES = {".txt"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSON_SUFFIXES
) | JSONL_SUFFIXES

Item = Incoming | Skipped


# ---------------------------------------------------------------------------------------------
# Public API


def read_inputs(paths: Sequence[str | Path], stdin: TextIO | None = None) -> Iterator[Item]:
    """Yield articles and skip notices lazily, in a stable order (folders recursively, sorted).

    "-" reads stdin, its format sniffed: JSON Lines if it starts with "{", a JSON list if "[",
    a feed if it is RSS/Atom XML, HTML if it looks like HTML, else plain text.
    """
    for given in paths:
        if str(given) == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
        else:
            yield from _read_path(Path(given), str(given), visited={})


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
            if suffix in JSONL_SUFFIXES:
                total += _count_lines(path)
            elif suffix in SUPPORTED_SUFFIXES:
                total += 1
    return total


# ---------------------------------------------------------------------------------------------
# Paths and folders


def _read_path(path: Path, where: str, visited: dict[Path, str]) -> Iterator[Item]:
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
        yield from _read_folder(path, where, visited)
    elif stat.S_ISREG(st.st_mode):
        yield from _read_file(path, where, st.st_size)
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


def _read_folder(folder: Path, where: str, visited: dict[Path, str]) -> Iterator[Item]:
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
        if name.startswith("."):
            continue
        yield from _read_path(folder / name, os.path.join(where, name), visited)


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


def _ends_with_newline(handle: Any, size: int) -> bool:
    handle.seek(size - 1)
    return handle.read(1) == b"\n"


# ---------------------------------------------------------------------------------------------
# One file


def _guarded(items: Iterator[Item], where: str) -> Iterator[Item]:
    """items, with any failure while reading them reported as one skip of where.

    The rule for every input: an exception raised while reading one is that input's alone. A
    library that chokes on a crafted input (deep nesting, an lxml or feedparser error) costs
    that input, never the rest of the add.
    """
    try:
        yield from items
    except RecursionError:
        yield Skipped(where, "nested too deeply to read (beyond Python's recursion limit)")
    except Exception as exc:  # reported as this input's skip, never dropped
        yield Skipped(where, f"cannot read: {type(exc).__name__}: {_label(str(exc))[:200]}")


def _read_file(path: Path, where: str, size: int) -> Iterator[Item]:
    """One file, its failures its own (see _guarded)."""
    yield from _guarded(_read_one_file(path, where, size), where)


class _NotRegular(OSError):
    """What _open_regular raises for a FIFO, socket or device: its message is the skip."""


def _open_regular(path: Path) -> Any:
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
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)"
        yield Skipped(where, f"{kind}; crosswire reads {_supported_list()}")
        return
    if suffix not in JSONL_SUFFIXES and size > MAX_FILE_BYTES:
        yield Skipped(where, _too_big(size))
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
    name, stem = shown(where), _label(shown(path.stem))
    with handle:
        head = handle.read(SNIFF_BYTES)
        if b"\x00" in head:
            yield Skipped(where, "binary file (contains NUL bytes); not text")
            return
        if len(head) < SNIFF_BYTES and not head.strip():  # head is the whole file
            yield Skipped(where, "empty file" if not head else "file holds only whitespace")
            return
        if suffix in JSONL_SUFFIXES:
            handle.seek(0)
            yield from _read_jsonl(_byte_lines(handle), name, stem)
            return
        data = head + handle.read(MAX_FILE_BYTES + 1 - len(head))
    if len(data) > MAX_FILE_BYTES:  # grew since stat, or a special file that reports size 0
        yield Skipped(where, _too_big(len(data)))
        return
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skipped(where, _not_utf8(bom + exc.start))
        return
    if not text.strip():
        yield Skipped(where, "file holds only whitespace")
        return
    reader = _READERS[_format_of(suffix)]
    yield from reader(text, name, stem)


def _supported_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def _too_big(size: int) -> str:
    return (
        f"file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES / 2**20:g} MB limit for one "
        "file; split it, or use JSON Lines (streamed)"
    )


def _not_utf8(offset: int) -> str:
    return f"not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8"


def _format_of(suffix: str) -> str:
    for name, suffixes in (
        ("text", TEXT_SUFFIXES),
        ("markdown", MARKDOWN_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("feed", FEED_SUFFIXES),
        ("json", JSON_SUFFIXES),
    ):
        if suffix in suffixes:
            return name
    raise ValueError(f"no reader for {suffix}")


# ---------------------------------------------------------------------------------------------
# stdin


def _read_stdin(stream: TextIO) -> Iterator[Item]:
    """Sniff stdin's format from its first non-blank characters; JSON Lines is streamed.

    The bytes underneath are read when there are any, so a line that is not UTF-8 skips only
    itself, as in a file (a text stream would fail, or smuggle in surrogates, mid-stream).
    """
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        yield from _guarded(_read_stdin_bytes(raw), "-")
    else:
        yield from _guarded(_read_stdin_text(stream), "-")


def _read_stdin_bytes(raw: Any) -> Iterator[Item]:
    head = raw.read(SNIFF_BYTES)
    while head and not head.strip() and len(head) < MAX_FILE_BYTES:
        more = raw.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    lead = head.lstrip().removeprefix(b"\xef\xbb\xbf")
    if lead.startswith(b"{"):
        yield from _read_jsonl(_byte_lines(raw, head), "-", "stdin")
        return
    data = head + raw.read(MAX_FILE_BYTES + 1 - len(head))
    if len(data) > MAX_FILE_BYTES:
        yield Skipped("-", _too_big(len(data)))
        return
    if b"\x00" in data:
        yield Skipped("-", "binary input (contains NUL bytes); not text")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skipped("-", _not_utf8(exc.start))
        return
    if not text.strip():
        yield Skipped("-", "empty input")
        return
    yield from _READERS[_sniff(text.lstrip().lstrip("\ufeff"))](text.lstrip("\ufeff"), "-", "stdin")


def _read_stdin_text(stream: TextIO) -> Iterator[Item]:
    try:
        head = stream.read(SNIFF_BYTES)
        lead = head.lstrip()
        while head and not lead and len(head) < MAX_FILE_BYTES:
            more = stream.read(SNIFF_BYTES)
            if not more:
                break
            head += more
            lead = head.lstrip()
        if lead.startswith("\ufeff"):
            lead = lead[1:]
        if lead.startswith("{"):
            yield from _read_jsonl(_text_lines(head, stream), "-", "stdin")
            return
        data = head + stream.read(MAX_FILE_BYTES + 1 - len(head))
    except UnicodeDecodeError as exc:
        yield Skipped("-", f"not valid UTF-8 ({exc.reason}); convert it to UTF-8")
        return
    size = len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        yield Skipped("-", _too_big(size))
        return
    if "\x00" in data:
        yield Skipped("-", "binary input (contains NUL bytes); not text")
        return
    if not data.strip():
        yield Skipped("-", "empty input")
        return
    if (at := unstorable(data)) is not None:  # a stream decoded with surrogateescape
        yield Skipped("-", _not_utf8(len(data[:at].encode("utf-8"))))
        return
    yield from _READERS[_sniff(lead)](data.lstrip("\ufeff"), "-", "stdin")


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


def _line_limit() -> int:
    """The longest JSON line read: an article at the limit with every character escaped as
    \\uXXXX (6 characters, and at most 4 bytes of UTF-8 when not escaped), plus its fields.

    A memory bound only: the article limit itself is checked on the decoded text.
    """
    return 6 * MAX_ARTICLE_CHARS + 4096


def _text_lines(head: str, stream: TextIO) -> Iterator[str]:
    """Lines of stdin, each read with a bound so one endless line cannot exhaust memory."""
    limit = _line_limit()
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


def _byte_lines(handle: Any, head: bytes = b"") -> Iterator[bytes]:
    """Lines of a binary file (after head, bytes already read from it), each read with a
    bound (see _text_lines)."""
    limit = _line_limit()
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


# ---------------------------------------------------------------------------------------------
# JSON and JSON Lines


def _read_jsonl(lines: Iterable[bytes | str], where: str, stem: str) -> Iterator[Item]:
    """One article per line; a bad line is reported with its number and the rest still read."""
    for number, raw in enumerate(lines, start=1):
        spot = f"{where}:{number}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Skipped(spot, _not_utf8(exc.start))
                continue
        else:
            line = raw
            if (at := unstorable(line)) is not None:  # stdin decoded with surrogateescape
                yield Skipped(spot, _not_utf8(len(line[:at].encode("utf-8"))))
                continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if len(line.rstrip("\r\n")) > _line_limit() - 2:
            yield Skipped(
                spot,
                f"line over {_line_limit() - 2:,} characters, longer than any article of "
                f"{MAX_ARTICLE_CHARS:,} characters can be; not read",
            )
            continue
        if not line.strip():
            continue
        # One line's failure is that line's alone, the rest of the file is still read.
        yield from _guarded(_json_line(line, spot, stem), spot)


def _json_line(line: str, spot: str, stem: str) -> Iterator[Item]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Skipped(spot, f"not valid JSON ({exc.msg} at column {exc.colno})")
        return
    except RecursionError:
        yield Skipped(spot, _TOO_DEEP)
        return
    yield _json_article(value, spot, spot, stem)


_TOO_DEEP = "JSON nested too deeply (beyond Python's recursion limit); not read"


def _read_json(text: str, where: str, stem: str) -> Iterator[Item]:
    """A .json file holds one article object or a list of them; list items are where#N."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(where, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    except RecursionError:
        yield Skipped(where, _TOO_DEEP)
        return
    if isinstance(value, list):
        if not value:
            yield Skipped(where, "empty JSON list; no articles")
        for number, item in enumerate(value, start=1):
            spot = f"{where}#{number}"
            yield _json_article(item, spot, spot, stem)
    else:
        yield _json_article(value, where, where, stem)


def _json_article(value: Any, where: str, fallback_ref: str, stem: str) -> Item:
    """An article from one JSON object: text verbatim, other fields tidied, unknown keys ignored."""
    if not isinstance(value, dict):
        return Skipped(where, f"expected a JSON object, got {type(value).__name__}")
    for key in ("text", "id", "title", "source", "url", "published"):
        field = value.get(key)
        if isinstance(field, str) and (at := unstorable(field)) is not None:
            return Skipped(
                where,
                f'"{key}" holds a lone surrogate (\\u{ord(field[at]):04x} at character {at}), '
                "which is not valid Unicode text; not stored",
            )
    text = value.get("text")
    if text is None:
        return Skipped(where, 'no "text" field')
    if not isinstance(text, str):
        return Skipped(where, f'"text" is a {type(text).__name__}, not a string')
    if not text.strip():
        return Skipped(where, 'empty "text"')
    if too_long := _over_limit(text):
        return Skipped(where, too_long)
    ref = _field(value, "id") or fallback_ref
    title = _label(_field(value, "title")) or _infer_title(text)
    return Incoming(
        ref=ref,
        source=_label(_field(value, "source")) or stem,
        title=title,
        text=text,
        url=_label(_field(value, "url")),
        published=normalise_date(_field(value, "published")),
    )


def _over_limit(text: str) -> str | None:
    """The skip reason for an article text over the one size limit, or None."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return None
    return f"article text is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit"


def _field(value: dict[str, Any], key: str) -> str:
    """A metadata field as a string ("" when missing or not a scalar)."""
    item = value.get(key)
    if isinstance(item, bool) or item is None or isinstance(item, dict | list):
        return ""
    return str(item)


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown


def _read_text(text: str, where: str, stem: str) -> Iterator[Item]:
    """A plain text file: boilerplate removed, a headline-like first line taken as the title."""
    body, published = clean_text(text)
    if not body:
        yield Skipped(where, "no article text left after removing page boilerplate")
        return
    if too_long := _over_limit(body):
        yield Skipped(where, too_long)
        return
    yield Incoming(
        ref=where, source=_label(stem), title=_infer_title(body), text=body, published=published
    )


def _read_markdown(text: str, where: str, stem: str) -> Iterator[Item]:
    """Markdown: front matter and a leading "# Heading" give metadata; syntax is removed."""
    meta, text = _front_matter(_drop_controls(text))
    heading = re.match(r"\s*#[ \t]+(.*)$", text, re.MULTILINE)
    first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
    body, published = clean_text(markdown_to_text(text))
    if not body:
        yield Skipped(where, "no article text left after removing Markdown and boilerplate")
        return
    if too_long := _over_limit(body):
        yield Skipped(where, too_long)
        return
    title = meta.get("title", "")
    if not title and heading and heading.group(0).strip() == first_line.strip():
        title = markdown_to_text(_heading_text(heading.group(1)))
    yield Incoming(
        ref=where,
        source=_label(meta.get("source", "") or meta.get("site", "")) or _label(stem),
        title=_label(title) or _infer_title(body),
        text=body,
        url=_label(meta.get("url", "") or meta.get("link", "")),
        published=normalise_date(meta.get("published") or meta.get("date")) or published,
    )


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` YAML front matter between --- lines, as static site generators write."""
    match = re.match(r"\ufeff?---[ \t]*\n(.{0,4000}?)\n---[ \t]*(\n|$)", text, re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _heading_text(line: str) -> str:
    """A heading's text without its closing #s (string methods: a regex for the optional
    closing run backtracks quadratically on a long line of #s and blanks)."""
    return line.rstrip(" \t").rstrip("#").rstrip(" \t")


# Linear by construction: no span may run past the next opening of its own kind (a "[" inside
# link text, "**" inside strong text, "(" inside a url), so each start scans only up to the next
# one. Patterns that could scan to the end of the text from every start took minutes on
# 240 KB of "[" or 80k characters of "**a ".
_MD_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"!\[[^\[\]]*\]\([^()\n]*\)"), ""),  # images
    (re.compile(r"!\[[^\[\]]*\]\[[^\[\]]*\]"), ""),
    (re.compile(r"\[([^\[\]]+)\]\([^()\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"^[ \t]{0,3}\[[^\[\]\n]+\]:[ \t]+\S+.*$", re.MULTILINE), ""),  # [ref]: url lines
    (
        re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*)$", re.MULTILINE),
        lambda m: _heading_text(m.group(1)),
    ),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # rules
    (re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),  # strong
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~))+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
]


def _drop_comments(text: str) -> str:
    """Text without <!-- … --> comments; an unclosed one is left as text (str.find, linear)."""
    if "<!--" not in text:
        return text
    parts, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        parts.append(text[pos:start])
        pos = end + 3
    parts.append(text[pos:])
    return "".join(parts)


def markdown_to_text(text: str) -> str:
    """Markdown made readable: headings, emphasis, links and quotes unwrapped, images dropped."""
    text = _drop_comments(text)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


# ---------------------------------------------------------------------------------------------
# HTML


def _read_html(text: str, where: str, stem: str) -> Iterator[Item]:
    """An HTML page: main text and metadata from trafilatura (title, site name, date, url)."""
    import trafilatura

    if len(text) > MAX_HTML_CHARS:
        yield Skipped(where, _bounded("HTML page", text, MAX_HTML_CHARS, "trafilatura"))
        return
    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError) as exc:  # lxml refuses some documents outright
        yield Skipped(where, f"cannot parse the HTML ({exc})")
        return
    body, _ = clean_text(doc.text or "") if doc is not None else ("", None)
    if doc is None or not body or _only_chrome(body, text):
        yield Skipped(where, "no main text found in the HTML")
        return
    if too_long := _over_limit(body):
        yield Skipped(where, too_long)
        return
    yield Incoming(
        ref=where,
        source=_label(doc.sitename or "") or _label(doc.hostname or "") or _label(stem),
        title=_label(doc.title or "") or _infer_title(body),
        text=body,
        url=_label(doc.url or ""),
        published=normalise_date(doc.date),
    )


_CHROME = "//nav|//aside|//footer|//menu|//header[not(ancestor::article)]|//*[@role='navigation']"


def _only_chrome(body: str, html: str) -> bool:
    """True when every extracted line sits in the page's navigation, header or footer.

    trafilatura falls back to whatever text a page has when it finds no article, so a page
    that is all menu ("Home | About") would otherwise be stored as one.
    """
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return False
    chrome: set[str] = set()
    for element in tree.xpath(_CHROME):
        for line in element.text_content().splitlines():
            chrome.add(" ".join(line.split()))
    chrome_text = " ".join(chrome)
    lines = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    return all(line in chrome or line in chrome_text for line in lines)


class _TextCollector(HTMLParser):
    """Text of an HTML fragment with a line break at each block element; scripts dropped."""

    BLOCKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
        | {"pre", "tr", "table", "section", "article", "header", "footer", "figure"}
        | {"figcaption", "hr", "dd", "dt"}
    )
    SKIP = frozenset({"script", "style", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's body), one paragraph a line."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# RSS and Atom feeds


def _read_feed(text: str, where: str, stem: str) -> Iterator[Item]:
    """Each feed entry is an article: entry id as ref, the feed's title as source."""
    import feedparser

    if len(text) > MAX_FEED_CHARS:
        yield Skipped(where, _bounded("feed", text, MAX_FEED_CHARS, "feedparser"))
        return
    # Bytes, never a str: feedparser fetches a str that looks like a URL or a file path.
    parsed = feedparser.parse(text.encode("utf-8"))
    entries = parsed.get("entries") or []
    bodies = [clean_text(_entry_html_text(entry)) for entry in entries]
    if not any(body for body, _ in bodies):
        # A broken feed whose recovered entries hold nothing is one bad file, not n bad entries.
        if parsed.get("bozo"):
            problem = str(parsed.get("bozo_exception") or "malformed XML").replace(
                "<unknown>:", "line "
            )
            yield Skipped(where, f"not a valid RSS/Atom feed ({_label(problem)})")
            return
        if not entries:
            yield Skipped(where, "no RSS/Atom entries found")
            return
    feed = parsed.get("feed") or {}
    source = _label(_detail_text(feed, "title")) or _label(stem)
    for number, (entry, (body, published)) in enumerate(zip(entries, bodies, strict=True), 1):
        spot = f"{where}#{number}"
        if not body:
            yield Skipped(spot, "feed entry has no text (no content or summary)")
            continue
        if too_long := _over_limit(body):
            yield Skipped(spot, too_long)
            continue
        link = _label(entry.get("link") or "")
        yield Incoming(
            ref=_label(entry.get("id") or "") or link or spot,
            source=source,
            title=_label(_detail_text(entry, "title")) or _infer_title(body),
            text=body,
            url=link,
            published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
            or normalise_date(entry.get("published") or entry.get("updated"))
            or published,
        )


def _bounded(kind: str, text: str, limit: int, library: str) -> str:
    return (
        f"{kind} is {len(text):,} characters, over the {limit:,} that {library} is given "
        "(it needs many times its input in memory); split it"
    )


def _detail_text(item: Any, key: str) -> str:
    """A feed title as plain text (feeds may declare titles as HTML)."""
    value = item.get(key) or ""
    detail = item.get(f"{key}_detail") or {}
    return html_fragment_to_text(value) if "html" in (detail.get("type") or "") else value


def _entry_html_text(entry: Any) -> str:
    """The fullest body an entry carries: its content if any, else its summary."""
    bodies = [part.get("value") or "" for part in entry.get("content") or []]
    bodies.append(entry.get("summary") or "")
    best = max(bodies, key=len)
    return html_fragment_to_text(best)


def _struct_date(value: time.struct_time | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime(*value[:6]).isoformat() + "+00:00"  # feedparser gives UTC
    except (TypeError, ValueError):
        return None


_READERS: dict[str, Callable[[str, str, str], Iterator[Item]]] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "feed": _read_feed,
    "json": _read_json,
}


# ---------------------------------------------------------------------------------------------
# Cleaning: control characters, labels, dates, titles


_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LABEL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _drop_controls(text: str) -> str:
    """Text with "\\r\\n" line endings unified and escape sequences/control chars removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ANSI.sub("", text))


def _label(value: str) -> str:
    """A single-line label (title, source): no control characters, whitespace runs folded."""
    return " ".join(_LABEL_CONTROLS.sub(" ", _ANSI.sub("", value)).split())


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
)


def normalise_date(value: Any) -> str | None:
    """An ISO 8601 date ("YYYY-MM-DD") or datetime for value, or None if it is not a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = " ".join(value.split())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(raw)  # RSS style: "Sun, 07 Nov 2021 ..."
        if parsed is not None:
            return parsed.isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    bare = re.sub(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+", "", raw, flags=re.IGNORECASE)
    bare = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", bare)
    bare = re.sub(r"\bsept\b", "Sep", bare, flags=re.IGNORECASE)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(bare, fmt).date().isoformat()
        except ValueError:
            continue
    return None


_DATE_LINE = re.compile(
    rf"((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(({_MONTHS})[a-z]*\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})[a-z]*\.?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})",
    re.IGNORECASE,
)


def _infer_title(body: str) -> str:
    """A headline-like first line (short, no final period), else the first sentence, shortened."""
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    rest = body.strip()[len(first) :].strip()
    words = first.split()
    if rest and 1 <= len(words) <= 25 and len(first) <= 200 and first[-1] not in ".,;:":
        return _label(first)
    end = re.search(r"[.!?][\"”’']?(?=\s+[\"“‘']?[A-Z0-9])", first)
    sentence = first[: end.end()] if end else first
    return _label(_shorten(sentence, 100))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


# ---------------------------------------------------------------------------------------------
# Page boilerplate in text copied off the web


_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_KEY_MAX = 120  # longer than any phrase below; keeps long paragraphs off the regex path


def _key(line: str) -> str:
    """A short line reduced to its words: bullets, arrows, punctuation and case removed."""
    if len(line) > _KEY_MAX:
        return ""
    return " ".join(_EDGES.sub("", line.strip()).lower().split())


def _phrases(block: str) -> frozenset[str]:
    """A set of phrases written as "|"-separated runs over several lines."""
    return frozenset(p.strip() for p in block.replace("\n", "|").split("|") if p.strip())


# Whole lines that are page chrome, compared after _key().
_CHROME_LINES = _phrases(
    """
    share|share this|share this article|share this story|share this post|share on facebook
    share on twitter|share on whatsapp|share via email|share via|tweet|facebook|twitter|x
    whatsapp|telegram|linkedin|pinterest|reddit|email|e-mail|print|copy link|link copied
    subscribe|subscribe now|subscribe to our newsletter|sign up|sign in|log in|login|register
    menu|home|search|skip to content|skip to main content|back to top|close|next|previous
    advertisement|advertisements|sponsored|sponsored content|ad|ads|promoted
    related|related articles|related posts|related stories|related news|related content
    related topics|more articles|more stories|more news|read more|read next|see also
    recommended|recommended for you|recommended stories|you may also like|you might also like
    most popular|most read|most viewed|trending|trending now|latest news|latest|top stories
    comments|comment|leave a reply|leave a comment|post comment|post a comment|submit
    cancel reply|please enter your comment|please enter your name here
    you have entered an incorrect email address please enter your email address here
    you have entered an incorrect email address|loading|continue reading|tags|topics
    accept|accept all|accept cookies|reject all|manage cookies|cookie settings|privacy policy
    terms of use|terms of service|all rights reserved|follow us|follow us on social media
    post navigation|newsletter|get the latest news|listen to this article|view comments
    """
)

# Lines that end the article: what follows is comments, related links or site navigation.
_TAIL_MARKERS = _phrases(
    """
    leave a reply|leave a comment|comments|post a comment|more articles|more stories
    related articles|related posts|related stories|related news|you may also like
    you might also like|recommended for you|recommended stories|most read|most popular
    read next|post navigation|share this|share this article
    """
)

# Lines that are page chrome by how they start (matched at the start of lines under 300 chars).
_CHROME_START = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\s*<?!--|\s*</?[a-z][^>]*>\s*$",  # HTML comments and stray tags
            r"\W*(also read|read also|read more|see also|related|recommended|more from|"
            r"watch|listen|must read)\s*[:›»>|-]",
            r"\W*(share|follow|subscribe|sign up|like us)\b.{0,40}\b(facebook|twitter|whatsapp|"
            r"telegram|linkedin|instagram|youtube|email|newsletter|on x)\W*$",
            r"\W*save my name,? email,? and website\b",
            r"\W*(©|\(c\)|copyright\b)",
            r"\W*(photo|image|picture|video|source|credit|photograph)s?( credit)?\s*:.{0,80}$",
            r"\W*\d+\s+(comments?|shares?|views?)\W*$",
            r"\s*(https?://|www\.)\S+\s*$",  # a bare link left by an embed
            r"\W*(click|tap) here\b",
            r"\W*(javascript is disabled|please enable javascript)",
        )
    ),
    re.IGNORECASE,
)

# Words that mark a short line as chrome wherever they appear (checked as plain substrings first:
# a regex search over every line is what made cleaning slow).
_CHROME_WORDS = ("-->", "gtag(", "datalayer", "googletag", "recaptcha", "cookie")
_CHROME_ANYWHERE = re.compile(
    r"-->\s*$|\bgtag\(|\bdataLayer\b|\bgoogletag\b|recaptcha"
    r"|\bwe use cookies\b|\b(site|website) uses cookies\b|\bcookie (policy|settings|consent)"
    r"|\baccept (all )?cookies\b",
    re.IGNORECASE,
)


def is_boilerplate(line: str, key: str | None = None) -> bool:
    """True for a line of page chrome: share buttons, comment forms, cookie notices, embeds."""
    if (_key(line) if key is None else key) in _CHROME_LINES:
        return True
    if len(line) >= 300:
        return False
    if _CHROME_START.match(line):
        return True
    lower = line.lower()
    return any(w in lower for w in _CHROME_WORDS) and _CHROME_ANYWHERE.search(line) is not None


def clean_text(text: str) -> tuple[str, str | None]:
    """Article text without page chrome, and a date found on its own line near the top.

    Rules, general rather than per site: known chrome lines are dropped; a comment-form or
    "More Articles" heading after the article ends it; a repeat of an earlier line (a headline
    printed twice) is dropped; a date alone on a line in the first lines becomes `published`.
    Paragraph breaks are kept, runs of blank lines fold to one.
    """
    lines = _drop_controls(text).split("\n")
    kept: list[str] = []
    seen: set[str] = set()
    published: str | None = None
    chars = 0
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():  # includes lines of non-breaking spaces
            kept.append("")
            continue
        key = _key(line)
        if key in _TAIL_MARKERS and chars >= 100:
            break
        if is_boilerplate(line, key):
            continue
        if len(kept) < 30 and published is None and _DATE_LINE.fullmatch(line.strip()):
            published = normalise_date(line.strip())
            if published:
                continue
        norm = " ".join(line.split())
        if norm in seen and len(norm) > 20:
            continue
        seen.add(norm)
        kept.append(line)
        chars += len(norm)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return (body if body.strip() else ""), published


__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "clean_text",
    "estimate_total",
    "html_fragment_to_text",
    "is_boilerplate",
    "markdown_to_text",
    "normalise_date",
    "read_inputs",
]
