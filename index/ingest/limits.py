"""The bounds every input is read within, and which file suffixes are read at all.

Other ingest modules read these constants as `limits.NAME` at call time, so one place sets
them (and a test can lower one for a whole read).
"""

from __future__ import annotations

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


def format_of(suffix: str) -> str:
    """The reader name for a supported suffix (not .jsonl, streamed apart); ValueError else."""
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


def supported_list() -> str:
    """The suffixes crosswire reads, for the skip of an unsupported file."""
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def too_big(size: int) -> str:
    """The skip reason for a file of size bytes, over MAX_FILE_BYTES."""
    return (
        f"file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES / 2**20:g} MB limit for one "
        "file; split it, or use JSON Lines (streamed)"
    )


def line_limit() -> int:
    """The longest JSON line read: an article at the limit with every character escaped as
    \\uXXXX (6 characters, and at most 4 bytes of UTF-8 when not escaped), plus its fields.

    A memory bound only: the article limit itself is checked on the decoded text.
    """
    return 6 * MAX_ARTICLE_CHARS + 4096


def over_limit(text: str) -> str | None:
    """The skip reason for an article text over the one size limit, or None."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return None
    return f"article text is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit"
