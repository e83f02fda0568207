"""The `crosswire` command: the reader by default, subcommands for scripts (`--json`).

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback:
2 for a bad query or bad arguments, 1 for anything else (including an add that skipped inputs).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

from crosswire.index.library import Library, default_directory
from crosswire.index.model import (
    AddReport,
    CrosswireError,
    EntityDetail,
    QueryError,
    SearchResults,
    Skipped,
)
from crosswire.index.model import Progress as ProgressReport
from crosswire.index.store import disk_full
from crosswire.seeds import seed_paths
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..highlight import in_context, marked
from ..safe import PARTIAL, counted, one_line, printable

MARK = Style(bold=True, reverse=True)  # a mention or hit in printed context

COMMANDS = (
    "add",
    "search",
    "show",
    "list",
    "sources",
    "rebuild",
    "annotate",
    "resolve",
    "entities",
    "entity",
    "mentions",
    "merge",
    "split",
)
PHASES = {"text": "storing text", "index": "indexing", "entities": "extracting entities"}

# markup=False and emoji=False: nothing printed is ever parsed, whatever a name, title or
# source holds ("[/]Kazemi", ":smile:"), so markup is impossible by construction on every print,
# table title and cell; styles are only ever given as Style/Text objects.
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)


def positive(value: str) -> int:
    """--limit N: a whole number of 1 or more (0 or -5 would silently show nothing)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def fail(message: str) -> None:
    err.print(Text(f"crosswire: {one_line(message)}", style="red"))


def dump(value: object) -> None:
    """JSON for scripts: UTF-8 as is (JSON escapes control characters itself)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


# -- argument parsing ---------------------------------------------------------------------------

# The search command's own options; every other word after `search` belongs to the query.
SEARCH_VALUE_OPTIONS = ("--limit", "--sort", "--source")
SEARCH_FLAGS = ("--json", "-h", "--help")


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line like every other failure (usage is in -h)."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see {self.prog} --help)")
        self.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="crosswire",
        description="A terminal reader for news read across many sources. With no command, "
        "opens the reader (on the bundled seed articles when the library is new); "
        "`crosswire PATH…` opens it and adds PATH… in the background.",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        type=Path,
        help="library directory (default: $CROSSWIRE_LIBRARY or the user data dir)",
    )
    parser.add_argument("--version", action="version", version=f"crosswire {version('crosswire')}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "add", help="add files, folders, JSON Lines, HTML, Markdown, feeds or - (stdin)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--no-entities", action="store_true", help="text only; run `annotate` later")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser(
        "search",
        help="full-text search (see the README for the query syntax)",
        allow_abbrev=False,  # an abbreviated option would pass for a query word
    )
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=positive, default=20, help="at most N results (default 20)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--source", help="only this source")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="print one article by id, id prefix or ref")
    p.add_argument("article", metavar="ID_OR_REF")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("list", help="list the articles")
    p.add_argument("--source")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("sources", help="list the sources with article counts")
    p.add_argument("--json", action="store_true")

    sub.add_parser("rebuild", help="rebuild the search index from the record (no NER rerun)")
    p = sub.add_parser("annotate", help="extract entities for articles that lack them")
    p.add_argument("--quiet", action="store_true")
    sub.add_parser("resolve", help="re-resolve entities with the alias file and decisions")

    p = sub.add_parser("entities", help="list entities, most mentioned first")
    p.add_argument("--kind", choices=("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"))
    p.add_argument("--source")
    p.add_argument("--limit", type=positive, help="at most N (default: all)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("entity", help="one entity: its names, why joined, mentions by source")
    p.add_argument("name", metavar="NAME_OR_ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("mentions", help="every entity mention")
    p.add_argument("--jsonl", action="store_true", help="one JSON object a line (the default)")

    p = sub.add_parser("merge", help="decide that two names are one entity")
    p.add_argument("a", metavar="NAME")
    p.add_argument("b", metavar="NAME")
    p = sub.add_parser("split", help="take a name off an entity")
    p.add_argument("entity", metavar="ENTITY")
    p.add_argument("name", metavar="NAME")
    return parser


def query_words_last(argv: Sequence[str]) -> list[str]:
    """`crosswire search drone -Baghdad`: in the query syntax a leading - means NOT, but
    argparse takes any -word for an option. Put the search command's own options first and
    every other word after "--", in order, so argparse reads those words as the query."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] == "--library" else 1
    if i >= len(argv) or argv[i] != "search":
        return list(argv)
    options: list[str] = []
    words: list[str] = []
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        arg = rest[j]
        if arg == "--":
            words += rest[j + 1 :]
            break
        if arg in SEARCH_VALUE_OPTIONS:
            options += rest[j : j + 2]
            j += 2
            continue
        if arg in SEARCH_FLAGS or arg.startswith("--"):  # unknown --words: argparse says so
            options.append(arg)
        else:
            words.append(arg)
        j += 1
    return [*argv[: i + 1], *options, "--", *words]


def split_reader_args(argv: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """`crosswire [--library DIR] PATH…` opens the reader; tell it apart from a subcommand."""
    options: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--library" and i + 1 < len(argv):
            options += argv[i : i + 2]
            i += 2
        elif arg.startswith("--library="):
            options.append(arg)
            i += 1
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            break
    rest = list(argv[i:])
    if rest and rest[0] in COMMANDS:
        return None
    return options, rest


# -- commands -----------------------------------------------------------------------------------


class ProgressBar:
    """A rich progress bar per phase (count, rate, ETA), drawn only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.bar = Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=False,
            disable=not enabled,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> ProgressBar:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def update(self, report: ProgressReport) -> None:
        task = self.tasks.get(report.phase)
        if task is None:
            task = self.bar.add_task(
                PHASES.get(report.phase, report.phase), total=report.total, rate=""
            )
            self.tasks[report.phase] = task
        self.bar.update(task, completed=report.done, total=report.total)
        speed = self.bar.tasks[task].speed
        self.bar.update(task, rate=f"{speed:,.0f}/s" if speed else "")


def summary_line(report: AddReport) -> str:
    line = f"added {report.added}, already present {report.present}, skipped {len(report.skipped)}"
    if report.annotated:
        line += f"; entities extracted for {report.annotated}"
    return line


def cmd_add(library: Library, args: argparse.Namespace) -> int:
    def on_skip(skipped: Skipped) -> None:
        err.print(Text(f"skipped {printable(str(skipped))}", style="yellow"))

    def on_wait(message: str) -> None:
        err.print(Text(message, style="yellow"))

    stdin = sys.stdin if "-" in args.paths else None
    with ProgressBar(not args.quiet and err.is_terminal) as bar:
        report = library.add(
            args.paths,
            stdin=stdin,
            entities=not args.no_entities,
            on_progress=bar.update,
            on_skip=on_skip,
            on_wait=on_wait,
        )
    if args.json:
        dump(
            {
                "added": report.added,
                "present": report.present,
                "annotated": report.annotated,
                "skipped": [{"where": s.where, "reason": s.reason} for s in report.skipped],
            }
        )
    else:
        err.print(summary_line(report))
    return 1 if report.skipped else 0


def search_json(results: SearchResults) -> list[dict[str, object]]:
    return [
        {
            "id": h.id,
            "ref": h.ref,
            "source": h.source,
            "title": h.title,
            "published": h.published,
            "score": round(h.score, 4),
            "snippet": h.snippet,
            "hits": [list(pair) for pair in h.hits],
        }
        for h in results.hits
    ]


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    results = library.search(
        " ".join(args.query), limit=args.limit, sort=args.sort, source=args.source
    )
    if args.json:
        dump(search_json(results))
        return 0
    for hint in results.entity_hints:
        others = ", ".join(hint.other_names)
        line = f'{hint.word} is also written {others} — search entity:"{hint.name}"'
        err.print(Text(one_line(line), style="cyan"))
    if not results.hits:
        if results.partial:
            err.print(Text(f"no articles found before the search was cut short — {PARTIAL}"))
            return 0
        message = "no articles match"
        if results.suggestion:
            message += f" — did you mean: {results.suggestion}"
        err.print(Text(one_line(message)))
        return 0
    if results.partial:
        err.print(Text(f"{PARTIAL}; the count is a lower bound"))
    verb = "matches" if results.total == 1 else "match"
    title = f"{'at least ' if results.partial else ''}{counted(results.total, 'article')} {verb}"
    if len(results.hits) < results.total:
        title += f", first {len(results.hits)} shown"
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=24)
    table.add_column("date", no_wrap=True)
    table.add_column("title · snippet", ratio=1)
    for n, hit in enumerate(results.hits, 1):
        cell = Text(one_line(hit.title), style="bold")
        cell.append("\n")
        cell.append_text(marked(hit.snippet, hit.snippet_hits, MARK))
        published = Text(one_line(hit.published or "")[:10])
        table.add_row(str(n), Text(one_line(hit.source)), published, cell)
    out.print(table)
    return 0


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    article = library.article(args.article)
    if article is None:
        fail(f"no article with id or ref {args.article!r}")
        return 1
    if args.json:
        dump(asdict(article))
        return 0
    out.print(Text(one_line(article.title), style="bold"))
    meta = " · ".join(
        x for x in (", ".join(article.sources), article.published or "", article.url) if x
    )
    out.print(Text(one_line(meta), style="dim"))
    out.print(Text(f"id {article.id} · ref {one_line(article.ref)}", style="dim"))
    out.print()
    out.print(Text(printable(article.text)))
    return 0


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    rows = library.articles(args.source)
    if args.json:
        dump([asdict(r) for r in rows])
        return 0
    table = Table(title=counted(len(rows), "article"), title_justify="left", expand=True)
    for name in ("id", "source", "date", "words", "title"):
        table.add_column(
            name, no_wrap=name != "title", justify="right" if name == "words" else "left"
        )
    for r in rows:
        table.add_row(
            r.id[:10],
            Text(one_line(r.source)),
            Text(one_line(r.published or "")[:10]),
            str(r.words),
            Text(one_line(r.title)),
        )
    out.print(table)
    return 0


def cmd_sources(library: Library, args: argparse.Namespace) -> int:
    counts = library.sources()
    if args.json:
        dump(counts)
        return 0
    for source, n in counts.items():
        out.print(Text(f"{n:6}  {one_line(source)}"))
    return 0


def cmd_rebuild(library: Library, args: argparse.Namespace) -> int:
    with ProgressBar(err.is_terminal) as bar:
        n = library.rebuild(on_progress=bar.update)
    err.print(f"rebuilt the search index: {n} articles")
    return 0


def cmd_annotate(library: Library, args: argparse.Namespace) -> int:
    with ProgressBar(not args.quiet and err.is_terminal) as bar:
        n = library.annotate(on_progress=bar.update)
    err.print(f"entities extracted for {n} articles")
    return 0


def on_wait(message: str) -> None:
    err.print(Text(message, style="yellow"))


def cmd_resolve(library: Library, args: argparse.Namespace) -> int:
    library.resolve(on_wait=on_wait)
    err.print(f"resolved {len(library.entities())} entities")
    return 0


def cmd_entities(library: Library, args: argparse.Namespace) -> int:
    rows = library.entities(kind=args.kind, source=args.source)
    if args.limit is not None:
        rows = rows[: args.limit]
    if args.json:
        dump(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind,
                    "other_names": list(e.other_names),
                    "mentions": e.mentions,
                    "articles": e.articles,
                    "sources": list(e.sources),
                }
                for e in rows
            ]
        )
        return 0
    table = Table(title=f"{len(rows)} entities", title_justify="left", expand=True)
    for name in ("name", "kind", "mentions", "sources", "other names"):
        table.add_column(name, justify="right" if name in ("mentions", "sources") else "left")
    for e in rows:
        table.add_row(
            Text(one_line(e.name)),
            e.kind,
            str(e.mentions),
            str(len(e.sources)),
            Text(one_line(", ".join(e.other_names))),
        )
    out.print(table)
    return 0


def entity_json(detail: EntityDetail) -> dict[str, object]:
    return {
        "id": detail.id,
        "name": detail.name,
        "kind": detail.kind,
        "aliases": [
            {"name": a.name, "rule": a.rule, "mentions": a.mentions} for a in detail.aliases
        ],
        "mentions": detail.mention_count,
        "mentions_by_source": {
            source: [
                {
                    "article": m.article_id,
                    "ref": m.ref,
                    "title": m.title,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "before": m.before,
                    "after": m.after,
                }
                for m in mentions
            ]
            for source, mentions in detail.mentions_by_source.items()
        },
    }


def cmd_entity(library: Library, args: argparse.Namespace) -> int:
    detail = library.entity(args.name)
    if detail is None:
        fail(f"no entity named {args.name!r}; `crosswire entities` lists them")
        return 1
    if args.json:
        dump(entity_json(detail))
        return 0
    out.print(
        Text(
            f"{one_line(detail.name)}  {detail.kind}  ·  {detail.mention_count} mentions "
            f"in {len(detail.mentions_by_source)} sources",
            style="bold",
        )
    )
    for alias in detail.aliases:
        out.print(Text(f"  also {one_line(alias.name)}  ({alias.rule})", style="dim"))
    for source, mentions in detail.mentions_by_source.items():
        out.print()
        out.print(Text(f"{one_line(source)} ({len(mentions)})", style="bold underline"))
        for m in mentions:
            out.print(Text("  ").append_text(in_context(m.before, m.text, m.after, MARK)))
    return 0


def cmd_mentions(library: Library, args: argparse.Namespace) -> int:
    refs: dict[str, str] = {}
    for m in library.mentions():
        ref = refs.get(m.article_id)
        if ref is None:
            article = library.article(m.article_id)
            ref = refs[m.article_id] = article.ref if article else m.article_id
        dump(
            {
                "article": ref,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "kind": m.kind,
                "entity": m.entity_id,
            }
        )
    return 0


def cmd_merge(library: Library, args: argparse.Namespace) -> int:
    entity = library.merge(args.a, args.b, on_wait=on_wait)
    err.print(Text(one_line(f"merged {args.a!r} and {args.b!r} into entity {entity}")))
    return 0


def cmd_split(library: Library, args: argparse.Namespace) -> int:
    entity = library.split(args.entity, args.name, on_wait=on_wait)
    err.print(Text(one_line(f"split {args.name!r} off {args.entity!r}: it is now entity {entity}")))
    return 0


HANDLERS: dict[str, Callable[[Library, argparse.Namespace], int]] = {
    "add": cmd_add,
    "search": cmd_search,
    "show": cmd_show,
    "list": cmd_list,
    "sources": cmd_sources,
    "rebuild": cmd_rebuild,
    "annotate": cmd_annotate,
    "resolve": cmd_resolve,
    "entities": cmd_entities,
    "entity": cmd_entity,
    "mentions": cmd_mentions,
    "merge": cmd_merge,
    "split": cmd_split,
}
NO_SEEDS = {"add", "rebuild", "annotate", "resolve"}


def notice(message: str) -> None:
    err.print(Text(one_line(message), style="yellow"))


def open_library(directory: Path | None) -> Library:
    return Library(directory or default_directory(), on_notice=notice)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace | None = None
    try:
        reader = split_reader_args(argv)
        if reader is not None:
            options, paths = reader
            args = build_parser().parse_args(options)
            if paths and paths[0] != "-" and not Path(paths[0]).exists():
                fail(
                    f"no command or file named {paths[0]!r} (commands: {', '.join(COMMANDS)}; "
                    f"see crosswire --help)"
                )
                return 2
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                fail(
                    "the reader needs a terminal (standard input and output); for scripts "
                    "use a command such as `crosswire search` or `crosswire list`"
                )
                return 2
            from ..launch import run_reader

            return run_reader(args.library or default_directory(), paths)
        args = build_parser().parse_args(query_words_last(argv))
        with open_library(args.library) as library:
            if args.command not in NO_SEEDS and library.is_new():
                library.add(seed_paths(), entities=True)
            return HANDLERS[args.command](library, args)
    except QueryError as exc:
        fail(str(exc))
        return 2
    except CrosswireError as exc:
        fail(str(exc))
        return 1
    except KeyboardInterrupt:
        fail("interrupted; everything stored so far is kept — run the same command again")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        full = disk_full(Path(getattr(args, "library", None) or default_directory()), exc)
        if full is None:
            raise
        fail(str(full))
        return 1


if __name__ == "__main__":
    sys.exit(main())
