"""`--format csv|jsonl|md` for `search`, `entity` and `mentions`: the rows of the engine's
export module (each passage with its citation) printed on stdout, to redirect to a file."""

from __future__ import annotations

import sys
from argparse import Namespace

from .engine import EntityDetail, Library, SearchResults, export
from .parser import arg

FORMAT = arg(
    "--format",
    choices=export.FORMATS,
    help="print as CSV, JSON Lines or Markdown, each passage with its citation",
)


def print_rows(rows: list[export.Row], fmt: str, heading: str) -> int:
    sys.stdout.write(export.render(rows, fmt, heading))
    return 0


def results(library: Library, args: Namespace, found: SearchResults) -> int:
    cited = library.citations([hit.id for hit in found.hits])
    heading = f"crosswire search: {found.query}"
    return print_rows(export.result_rows(found, cited), args.format, heading)


def entity(library: Library, args: Namespace, detail: EntityDetail) -> int:
    ids = list(dict.fromkeys(m.article_id for ms in detail.mentions_by_source.values() for m in ms))
    rows = export.mention_rows(detail, library.citations(ids), library.texts(ids))
    return print_rows(rows, args.format, f"crosswire: every mention of {detail.name}")


def all_mentions(library: Library, args: Namespace) -> int:
    """Every mention (what `mentions --jsonl` lists, unresolved ones too), each in its
    sentence; articles are read one at a time, in the order their mentions come."""
    names = {e.id: e.name for e in library.entities()}
    rows: list[export.Row] = []
    current, text, cited = "", "", None
    for mention in library.mentions():
        if mention.article_id != current:
            current = mention.article_id
            text = library.texts([current]).get(current, "")
            cited = library.citations([current]).get(current)
        rows.append(export.mention_row(mention, text, cited, names.get(mention.entity_id, "")))
    return print_rows(rows, args.format, "crosswire: every mention")
