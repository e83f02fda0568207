"""Cleaning text copied off the web: control characters, labels, dates, titles, Markdown
syntax and page boilerplate (share buttons, comment forms, cookie notices, "Related" lists).

Rules are general rather than per site; the control-character policy is index/text.py's, the
same one the reader shows text by.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from crosswire.index.text import one_line_label, without_controls


def drop_controls(text: str) -> str:
    """Text with "\\r\\n" line endings unified and escape sequences/control chars removed."""
    return without_controls(text.replace("\r\n", "\n").replace("\r", "\n"))


def label(value: str) -> str:
    """A single-line label (title, source): no control characters, whitespace runs folded."""
    return one_line_label(value)


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


def infer_title(body: str) -> str:
    """A headline-like first line (short, no final period), else the first sentence, shortened."""
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    rest = body.strip()[len(first) :].strip()
    words = first.split()
    if rest and 1 <= len(words) <= 25 and len(first) <= 200 and first[-1] not in ".,;:":
        return label(first)
    end = re.search(r"[.!?][\"”’']?(?=\s+[\"“‘']?[A-Z0-9])", first)
    sentence = first[: end.end()] if end else first
    return label(_shorten(sentence, 100))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def front_matter(text: str) -> tuple[dict[str, str], str]:
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


def heading_text(line: str) -> str:
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
        lambda m: heading_text(m.group(1)),
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
    lines = drop_controls(text).split("\n")
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
