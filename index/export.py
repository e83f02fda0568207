"""Getting results out: search results, an entity's mentions or an article as CSV, JSON Lines
or Markdown, each passage with its citation (outlet, title, date, url).

Pure functions of the engine's records: the CLI (`--format`) and the reader (its export
dialog and `y`) both build their rows here, so a passage is cited one way everywhere. The keys
are those of the JSON shapes (shapes.py): `article` the crosswire id, `ref`, `source`,
`title`, `published`, `url`, `entity` and `entity_name`, `start`/`end` offsets into the
stored text; `passage` is the quotable text (a snippet, a mention in its sentence, or an
article's whole text) and `text` the mention itself.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from .model import Article, Citation, EntityDetail, Mention, MentionInContext, SearchResults
from .search.snippets import passage_around

FORMATS = ("csv", "jsonl", "md")
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "md": ".md"}


@dataclass(frozen=True)
class Row:
    """One quotable item: a search result, a mention, or a whole article."""

    kind: str  # "result" | "mention" | "article"
    article: str
    ref: str
    source: str
    title: str
    published: str | None
    url: str
    passage: str
    text: str = ""
    start: int | None = None
    end: int | None = None
    entity: str = ""
    entity_name: str = ""


COLUMNS = tuple(Row.__dataclass_fields__)


def citation(source: str, title: str, published: str | None, url: str) -> str:
    """'Outlet, "Title", 2021-11-08, https://…': the fields known, in that order; an unknown
    date says so, since a quote without one is easily misdated."""
    parts = [source.strip()] if source.strip() else []
    if title.strip():
        parts.append(f"“{title.strip()}”")
    parts.append(published[:10] if published else "date unknown")
    if url.strip():
        parts.append(url.strip())
    return ", ".join(parts)


def row_citation(row: Row) -> str:
    return citation(row.source, row.title, row.published, row.url)


def quote(passage: str, source: str, title: str, published: str | None, url: str) -> str:
    """A passage as it is copied for quoting: the words in quotes, the citation after."""
    return f"“{' '.join(passage.split())}” — {citation(source, title, published, url)}"


def _cite(cited: dict[str, Citation], aid: str) -> Citation | None:
    return cited.get(aid)


def result_rows(results: SearchResults, cited: dict[str, Citation]) -> list[Row]:
    """One row a search hit shown: its snippet, with its article's citation."""
    rows = []
    for hit in results.hits:
        found = _cite(cited, hit.id)
        rows.append(
            Row(
                kind="result",
                article=hit.id,
                ref=hit.ref,
                source=hit.source,
                title=hit.title,
                published=hit.published,
                url=found.url if found else "",
                passage=hit.snippet,
            )
        )
    return rows


def mention_rows(
    detail: EntityDetail, cited: dict[str, Citation], texts: dict[str, str] | None = None
) -> list[Row]:
    """One row a mention of the entity, source by source: the sentence it is in, from its
    article's text when `texts` has it (else the context the entity record keeps)."""
    texts = texts or {}
    rows = []
    for mentions in detail.mentions_by_source.values():
        for m in mentions:
            found = _cite(cited, m.article_id)
            rows.append(
                Row(
                    kind="mention",
                    article=m.article_id,
                    ref=m.ref,
                    source=m.source,
                    title=m.title,
                    published=found.published if found else None,
                    url=found.url if found else "",
                    passage=_passage(m, texts.get(m.article_id)),
                    text=m.text,
                    start=m.start,
                    end=m.end,
                    entity=detail.id,
                    entity_name=detail.name,
                )
            )
    return rows


def mention_row(mention: Mention, text: str, cited: Citation | None, entity_name: str = "") -> Row:
    """One mention as a row, from its article's stored text: the sentence it is in."""
    return Row(
        kind="mention",
        article=mention.article_id,
        ref=cited.ref if cited else "",
        source=cited.source if cited else "",
        title=cited.title if cited else "",
        published=cited.published if cited else None,
        url=cited.url if cited else "",
        passage=passage_around(text, mention.start, mention.end),
        text=mention.text,
        start=mention.start,
        end=mention.end,
        entity=mention.entity_id,
        entity_name=entity_name,
    )


def _passage(mention: MentionInContext, text: str | None) -> str:
    if text is not None and text[mention.start : mention.end] == mention.text:
        return passage_around(text, mention.start, mention.end)
    return " ".join(f"{mention.before}{mention.text}{mention.after}".split())


def article_rows(article: Article) -> list[Row]:
    """The article itself, its whole text as the passage."""
    return [
        Row(
            kind="article",
            article=article.id,
            ref=article.ref,
            source=", ".join(article.sources) or article.source,
            title=article.title,
            published=article.published,
            url=article.url,
            passage=article.text,
        )
    ]


def to_csv(rows: Iterable[Row]) -> str:
    """A header of COLUMNS, then a row each (what a spreadsheet or `csv.DictReader` reads)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in asdict(row).items()})
    return out.getvalue()


def to_jsonl(rows: Iterable[Row]) -> str:
    """One JSON object a line, with the keys of COLUMNS."""
    return "".join(json.dumps(asdict(row), ensure_ascii=False) + "\n" for row in rows)


def to_markdown(rows: Sequence[Row], heading: str) -> str:
    """A quotable list: each passage as a quote, its citation under it (linked when there is
    a url); an article is its title, its citation, then its text."""
    lines = [f"# {_md_line(heading)}", ""]
    for row in rows:
        cite = _md_line(row_citation(row))
        if row.url:
            cite = f"{cite} ([link]({row.url.replace(')', '%29')}))"
        if row.kind == "article":
            lines += [f"## {_md_line(row.title) or '(untitled)'}", "", cite, ""]
            for paragraph in row.passage.split("\n"):
                if paragraph.strip():
                    lines += [_md_line(paragraph), ""]
            continue
        lead = f"**{_md_line(row.entity_name)}** ({_md_line(row.text)}): " if row.text else ""
        lines += [f"> {lead}{_md_line(row.passage)}", ">", f"> — {cite}", ""]
    return "\n".join(lines)


def _md_line(text: str) -> str:
    """Text on one Markdown line, with the characters that would start markup escaped."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def render(rows: Sequence[Row], fmt: str, heading: str = "crosswire export") -> str:
    """rows in one of FORMATS."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "jsonl":
        return to_jsonl(rows)
    if fmt == "md":
        return to_markdown(rows, heading)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def format_of_path(path: Path, default: str = "csv") -> str:
    """The format a file name asks for by its suffix (.csv, .jsonl/.json, .md), else default."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix == ".csv":
        return "csv"
    return default


def write(path: Path, content: str) -> Path:
    """Write content to path whole or not at all (a temporary file renamed over it), so an
    interrupted export never leaves half a file where the user's file was. Returns the
    absolute path written; OSError when it cannot be."""
    target = path.expanduser().absolute()
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
