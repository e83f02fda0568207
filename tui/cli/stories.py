"""The story commands: `stories`, `story ID` (articles, sources, the coverage matrix; `--format
csv` prints the matrix alone) and the user's decisions `story-move`, `story-split`,
`story-merge` (named after the entity decisions `merge`/`split`, prefixed so they never
collide). Declared here as Commands that commands.COMMANDS includes."""

from __future__ import annotations

import csv
import sys
from argparse import Namespace

from crosswire.index import story_shapes
from crosswire.index.story_model import StoryDetail, StorySummary
from rich.text import Text

from . import render
from .engine import Library
from .parser import Command, arg
from .render import one_line

JSON = arg("--json", action="store_true", help="print JSON for scripts")


def stories(library: Library, args: Namespace) -> int:
    rows = library.stories()
    if args.json:
        render.dump([story_shapes.story_summary_json(s) for s in rows])
    else:
        story_list(rows)
    return 0


def story(library: Library, args: Namespace) -> int:
    detail = library.story(args.story)
    if detail is None:
        render.fail(f"no story {args.story!r}; `crosswire stories` lists them")
        return 1
    if args.format == "csv":
        coverage_csv(detail)
    elif args.json:
        render.dump(story_shapes.story_json(detail))
    else:
        story_detail(detail)
    return 0


def story_move(library: Library, args: Namespace) -> int:
    sid = library.move_article(args.article, args.story, on_wait=render.warn)
    render.say(f"moved {args.article!r} into story {sid}")
    return 0


def story_split(library: Library, args: Namespace) -> int:
    new = library.split_story(args.story, args.articles, on_wait=render.warn)
    render.say(f"split {len(args.articles)} articles off story {args.story!r}: story {new}")
    return 0


def story_merge(library: Library, args: Namespace) -> int:
    kept = library.merge_stories(args.a, args.b, on_wait=render.warn)
    render.say(f"merged stories {args.a!r} and {args.b!r} into story {kept}")
    return 0


def _dates(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} – {last}"


def story_list(rows: list[StorySummary]) -> None:
    """A table of stories, the most recent first."""
    table = render.table_titled(f"{len(rows)} stories")
    for name in ("id", "dates", "articles", "sources", "label"):
        table.add_column(name, justify="right" if name in ("articles", "sources") else "left")
    for s in rows:
        table.add_row(
            s.id, _dates(s.first, s.last), str(s.articles), str(s.sources), Text(one_line(s.label))
        )
    render.out.print(table)


def story_detail(detail: StoryDetail) -> None:
    """Label and dates, the articles by date, the sources with dates, the coverage matrix."""
    out = render.out
    out.print(Text(f"{detail.id}  {one_line(detail.label)}", style="bold"))
    out.print(Text(f"{_dates(detail.first, detail.last)} · {len(detail.articles)} articles"))
    table = render.table_titled("articles")
    for name in ("id", "date", "source", "title"):
        table.add_column(name, no_wrap=name != "title")
    for a, day in zip(detail.articles, detail.dates, strict=True):
        table.add_row(a.id[:10], day or "", Text(one_line(a.source)), Text(one_line(a.title)))
    out.print(table)
    table = render.table_titled("sources")
    for name in ("source", "articles", "dates"):
        table.add_column(name)
    for s in detail.sources:
        table.add_row(Text(one_line(s.name)), str(s.articles), _dates(s.first, s.last))
    out.print(table)
    table = render.table_titled("coverage: mentions by source (· none)")
    table.add_column("entity")
    for source in detail.coverage.sources:
        table.add_column(Text(one_line(source)), justify="right")
    for row in detail.coverage.rows:
        cells = [str(n) if n else "·" for n in row.counts]
        table.add_row(Text(f"{one_line(row.name)} ({row.kind})"), *cells)
    out.print(table)


def coverage_csv(detail: StoryDetail) -> None:
    """The coverage matrix as CSV on stdout: entity, id, kind, then one column a source."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["entity", "id", "kind", *detail.coverage.sources])
    for row in detail.coverage.rows:
        writer.writerow([row.name, row.entity_id, row.kind, *row.counts])


STORY = arg("--story", metavar="ID", help="only within this story (`crosswire stories`)")

STORY_COMMANDS = (
    Command("stories", "list the stories, the most recent first", stories, (JSON,), catch_up=False),
    Command(
        "story",
        "one story: its articles, sources with dates, who is named where",
        story,
        (
            arg("story", metavar="ID"),
            JSON,
            arg("--format", choices=("text", "csv"), default="text", help="csv: the matrix"),
        ),
        catch_up=False,
    ),
    Command(
        "story-move",
        "move an article into another story (kept as a decision)",
        story_move,
        (arg("article", metavar="ARTICLE"), arg("story", metavar="STORY")),
    ),
    Command(
        "story-split",
        "take articles out of a story into a new one",
        story_split,
        (arg("story", metavar="STORY"), arg("articles", nargs="+", metavar="ARTICLE")),
    ),
    Command(
        "story-merge",
        "make two stories one",
        story_merge,
        (arg("a", metavar="STORY"), arg("b", metavar="STORY")),
    ),
)
