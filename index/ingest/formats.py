"""The readers for each format: JSON and JSON Lines, plain text, Markdown, HTML, RSS/Atom.

Text policy:
- JSON and JSON Lines `text` is kept verbatim (not stripped, not normalised): entity offsets are
  offsets into exactly that string.
- For every other format (plain text, Markdown, HTML, feeds) the text is cleaned (clean.py):
  line endings become "\\n", escape sequences and control characters other than "\\n" and
  "\\t" are dropped (index/text.py's policy), and page chrome is removed, since those files
  are usually copied off web pages.
- Titles and source names are single-line labels: control characters and line breaks are removed
  from them whatever the format.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from crosswire.index.model import Incoming, Skipped, unstorable

from . import limits
from .clean import (
    clean_text,
    drop_controls,
    front_matter,
    heading_text,
    infer_title,
    label,
    markdown_to_text,
    normalise_date,
)
from .limits import line_limit, over_limit

Item = Incoming | Skipped


def guarded(items: Iterator[Item], where: str) -> Iterator[Item]:
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
        yield Skipped(where, f"cannot read: {type(exc).__name__}: {label(str(exc))[:200]}")


def not_utf8(offset: int) -> str:
    """The skip reason for bytes that are not UTF-8, with the first bad byte's offset."""
    return f"not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8"


def read_jsonl(lines: Iterable[bytes | str], where: str, stem: str) -> Iterator[Item]:
    """One article per line; a bad line is reported with its number and the rest still read."""
    for number, raw in enumerate(lines, start=1):
        spot = f"{where}:{number}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Skipped(spot, not_utf8(exc.start))
                continue
        else:
            line = raw
            if (at := unstorable(line)) is not None:  # stdin decoded with surrogateescape
                yield Skipped(spot, not_utf8(len(line[:at].encode("utf-8"))))
                continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if len(line.rstrip("\r\n")) > line_limit() - 2:
            yield Skipped(
                spot,
                f"line over {line_limit() - 2:,} characters, longer than any article of "
                f"{limits.MAX_ARTICLE_CHARS:,} characters can be; not read",
            )
            continue
        if not line.strip():
            continue
        # One line's failure is that line's alone, the rest of the file is still read.
        yield from guarded(_json_line(line, spot, stem), spot)


def _json_line(line: str, spot: str, stem: str) -> Iterator[Item]:
    value, problem = _decoded(line, spot, one_line=True)
    yield problem or _json_article(value, spot, spot, stem)


def _decoded(text: str, where: str, *, one_line: bool) -> tuple[Any, Skipped | None]:
    """The JSON value of text, or the skip saying why it is not JSON (where in it, for a line
    by column alone)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if one_line else f"line {exc.lineno} column {exc.colno}"
        return None, Skipped(where, f"not valid JSON ({exc.msg} at {at})")
    except RecursionError:
        return None, Skipped(
            where, "JSON nested too deeply (beyond Python's recursion limit); not read"
        )


def _read_json(text: str, where: str, stem: str) -> Iterator[Item]:
    """A .json file holds one article object or a list of them; list items are where#N."""
    value, problem = _decoded(text, where, one_line=False)
    if problem:
        yield problem
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
    if too_long := over_limit(text):
        return Skipped(where, too_long)
    ref = _field(value, "id") or fallback_ref
    title = label(_field(value, "title")) or infer_title(text)
    return Incoming(
        ref=ref,
        source=label(_field(value, "source")) or stem,
        title=title,
        text=text,
        url=label(_field(value, "url")),
        published=normalise_date(_field(value, "published")),
    )


def _field(value: dict[str, Any], key: str) -> str:
    """A metadata field as a string ("" when missing or not a scalar)."""
    item = value.get(key)
    if isinstance(item, bool) or item is None or isinstance(item, dict | list):
        return ""
    return str(item)


def _read_text(text: str, where: str, stem: str) -> Iterator[Item]:
    """A plain text file: boilerplate removed, a headline-like first line taken as the title."""
    body, published = clean_text(text)
    if not body:
        yield Skipped(where, "no article text left after removing page boilerplate")
        return
    if too_long := over_limit(body):
        yield Skipped(where, too_long)
        return
    yield Incoming(
        ref=where, source=label(stem), title=infer_title(body), text=body, published=published
    )


def _read_markdown(text: str, where: str, stem: str) -> Iterator[Item]:
    """Markdown: front matter and a leading "# Heading" give metadata; syntax is removed."""
    meta, text = front_matter(drop_controls(text))
    heading = re.match(r"\s*#[ \t]+(.*)$", text, re.MULTILINE)
    first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
    body, published = clean_text(markdown_to_text(text))
    if not body:
        yield Skipped(where, "no article text left after removing Markdown and boilerplate")
        return
    if too_long := over_limit(body):
        yield Skipped(where, too_long)
        return
    title = meta.get("title", "")
    if not title and heading and heading.group(0).strip() == first_line.strip():
        title = markdown_to_text(heading_text(heading.group(1)))
    yield Incoming(
        ref=where,
        source=label(meta.get("source", "") or meta.get("site", "")) or label(stem),
        title=label(title) or infer_title(body),
        text=body,
        url=label(meta.get("url", "") or meta.get("link", "")),
        published=normalise_date(meta.get("published") or meta.get("date")) or published,
    )


def _read_html(text: str, where: str, stem: str) -> Iterator[Item]:
    """An HTML page: main text and metadata from trafilatura (title, site name, date, url)."""
    import trafilatura

    if len(text) > limits.MAX_HTML_CHARS:
        yield Skipped(where, _bounded("HTML page", text, limits.MAX_HTML_CHARS, "trafilatura"))
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
    if isinstance(doc, dict):  # only with as_dict=True, never asked for here
        raise TypeError("trafilatura returned a dict, not a Document")
    body, _ = clean_text(doc.text or "") if doc is not None else ("", None)
    if doc is None or not body or _only_chrome(body, text):
        yield Skipped(where, "no main text found in the HTML")
        return
    if too_long := over_limit(body):
        yield Skipped(where, too_long)
        return
    yield Incoming(
        ref=where,
        source=label(doc.sitename or "") or label(doc.hostname or "") or label(stem),
        title=label(doc.title or "") or infer_title(body),
        text=body,
        url=label(doc.url or ""),
        published=normalise_date(doc.date),
    )


_CHROME = "//nav|//aside|//footer|//menu|//header[not(ancestor::article)]|//*[@role='navigation']"


def _only_chrome(body: str, html: str) -> bool:
    """True when every extracted line sits in the page's navigation, header or footer.

    trafilatura falls back to whatever text a page has when it finds no article, so a page
    that is all menu ("Home | About") would otherwise be stored as one.
    """
    import lxml.html  # type: ignore[import-untyped]
    from lxml.etree import ParserError  # type: ignore[import-untyped]

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


def _read_feed(text: str, where: str, stem: str) -> Iterator[Item]:
    """Each feed entry is an article: entry id as ref, the feed's title as source."""
    import feedparser

    if len(text) > limits.MAX_FEED_CHARS:
        yield Skipped(where, _bounded("feed", text, limits.MAX_FEED_CHARS, "feedparser"))
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
            yield Skipped(where, f"not a valid RSS/Atom feed ({label(problem)})")
            return
        if not entries:
            yield Skipped(where, "no RSS/Atom entries found")
            return
    feed = parsed.get("feed") or {}
    source = label(_detail_text(feed, "title")) or label(stem)
    for number, (entry, (body, published)) in enumerate(zip(entries, bodies, strict=True), 1):
        spot = f"{where}#{number}"
        if not body:
            yield Skipped(spot, "feed entry has no text (no content or summary)")
            continue
        if too_long := over_limit(body):
            yield Skipped(spot, too_long)
            continue
        link = label(entry.get("link") or "")
        yield Incoming(
            ref=label(entry.get("id") or "") or link or spot,
            source=source,
            title=label(_detail_text(entry, "title")) or infer_title(body),
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


READERS: dict[str, Callable[[str, str, str], Iterator[Item]]] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "feed": _read_feed,
    "json": _read_json,
}
