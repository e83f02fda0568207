"""The subcommands: each declared once in `COMMANDS` (name, help, arguments, handler).

A handler asks the library, then prints JSON built by the engine's shapes (`--json`) or the
human form from render; it returns the exit code. Errors are raised and turned into one line
by `main`.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..safe import counted
from . import compare, exporting, render
from .deciding import DECISION_COMMANDS, ID, chosen
from .engine import ENTITY_KINDS, Library, Skipped, shapes
from .parser import Command, arg, positive
from .stories import STORY, STORY_COMMANDS

JSON = arg("--json", action="store_true", help="print JSON for scripts")
QUIET = arg("--quiet", action="store_true", help="no progress bar")
SOURCE = arg("--source", help="only this source")
NO_CLAIMS = arg(
    "--no-claims",
    action="store_true",
    help="no quantity claims (faster); a later `annotate` extracts them without NER",
)

T = TypeVar("T")


def emit(
    args: Namespace, value: T, shape: Callable[[T], object], human: Callable[[T], None]
) -> int:
    """Print `value` as `shape` makes it JSON (`--json`), else as `human` prints it; exit 0."""
    if args.json:
        render.dump(shape(value))
    else:
        human(value)
    return 0


def emit_found(
    args: Namespace,
    value: T | None,
    missing: str,
    shape: Callable[[T], object],
    human: Callable[[T], None],
) -> int:
    """`emit` for a record looked up by what the user typed: None is the error `missing`, 1."""
    if value is None:
        render.fail(missing)
        return 1
    return emit(args, value, shape, human)


def each(shape: Callable[[T], shapes.JSON]) -> Callable[[Sequence[T]], list[shapes.JSON]]:
    """A shape for one record made a shape for a list of them."""
    return lambda rows: [shape(row) for row in rows]


def add(library: Library, args: Namespace) -> int:
    def on_skip(skipped: Skipped) -> None:
        render.warn(f"skipped {skipped}")

    stdin = sys.stdin if "-" in args.paths else None
    from .progress import ProgressBar  # rich.progress: only for the commands that write

    with ProgressBar.on_stderr(args.quiet) as bar:
        report = library.add(
            args.paths,
            stdin=stdin,
            entities=not args.no_entities,
            claims=not args.no_claims,
            on_progress=bar.update,
            on_skip=on_skip,
            on_wait=render.warn,
        )
    if args.json:
        render.dump(shapes.add_report_json(report))
    else:
        render.say(render.add_summary(report))
    return 1 if report.skipped else 0


def search(library: Library, args: Namespace) -> int:
    results = library.search(
        " ".join(args.query),
        limit=args.limit,
        sort=args.sort,
        source=args.source,
        story=args.story,
    )
    if args.format:
        return exporting.results(library, args, results)
    cited = library.citations([hit.id for hit in results.hits]) if args.json else {}
    return emit(args, results, lambda r: shapes.search_json(r, cited), render.search_results)


def show(library: Library, args: Namespace) -> int:
    missing = f"no article with id or ref {args.article!r}"
    article = library.article(args.article)
    return emit_found(args, article, missing, shapes.article_json, render.article)


def list_articles(library: Library, args: Namespace) -> int:
    rows = library.articles(args.source, sort=args.sort)
    return emit(args, rows, each(shapes.summary_json), render.article_list)


def sources(library: Library, args: Namespace) -> int:
    return emit(args, library.sources(), dict, render.source_counts)


def rebuild(library: Library, args: Namespace) -> int:
    from .progress import ProgressBar  # rich.progress: only for the commands that write

    with ProgressBar.on_stderr() as bar:
        n = library.rebuild(on_progress=bar.update)
    render.say(f"rebuilt the search index: {counted(n, 'article')}")
    return 0


def optimize(library: Library, args: Namespace) -> int:
    from .progress import ProgressBar  # rich.progress: only for the commands that write

    with ProgressBar.on_stderr(args.quiet) as bar:
        steps = library.optimize(on_progress=bar.update, on_wait=render.warn)
    segments = library.index_segments()
    shape = f"{segments} segment" + ("s" if segments != 1 else "")
    render.say(
        f"merged the search index in {steps} steps: {shape}"
        if steps
        else f"nothing to merge: the search index is {shape}"
    )
    return 0


def annotate(library: Library, args: Namespace) -> int:
    from .progress import ProgressBar  # rich.progress: only for the commands that write

    with ProgressBar.on_stderr(args.quiet) as bar:
        n = library.annotate(
            on_progress=bar.update, workers=args.workers, ray=args.ray, claims=not args.no_claims
        )
    render.say(f"entities extracted for {counted(n, 'article')}")
    return 0


def resolve(library: Library, args: Namespace) -> int:
    library.resolve(on_wait=render.warn)
    render.say(f"resolved {counted(len(library.entities()), 'entity')}")
    return 0


def entities(library: Library, args: Namespace) -> int:
    rows = library.entities(kind=args.kind, source=args.source, story=args.story)
    if args.limit is not None:
        rows = rows[: args.limit]
    return emit(args, rows, each(shapes.entity_summary_json), render.entity_list)


def entity(library: Library, args: Namespace) -> int:
    missing = f"no entity named {args.name!r}; `crosswire entities` lists them"
    detail = library.entity(chosen(library, args.name, args.id))
    if detail is not None and args.format:
        return exporting.entity(library, args, detail)
    cited = library.citations(shapes.entity_article_ids(detail)) if detail and args.json else {}
    return emit_found(args, detail, missing, lambda d: shapes.entity_json(d, cited), render.entity)


def mentions(library: Library, args: Namespace) -> int:
    if args.format:
        return exporting.all_mentions(library, args)
    names = {e.id: e.name for e in library.entities()}
    current, cited = "", None
    for m in library.mentions(story=args.story):  # in article order: one citation lookup each
        if m.article_id != current:
            current = m.article_id
            cited = library.citations([current]).get(current)
        ref = cited.ref if cited else m.article_id
        render.dump(shapes.mention_json(m, ref, names.get(m.entity_id, ""), cited))
    return 0


def merge(library: Library, args: Namespace) -> int:
    entity = library.merge(args.a, args.b, on_wait=render.warn, pick=args.id)
    detail = library.entity(entity)
    name = f"{detail.name} " if detail else ""
    render.say(f"merged {args.a!r} and {args.b!r} into entity {name}({entity})")
    return 0


def split(library: Library, args: Namespace) -> int:
    entity = library.split(args.entity, args.name, on_wait=render.warn, pick=args.id)
    render.say(f"split {args.name!r} off {args.entity!r}: it is now entity {entity}")
    return 0


COMMANDS = (
    Command(
        "add",
        "add files, folders, JSON Lines, HTML, Markdown, feeds or - (stdin)",
        add,
        (
            arg("paths", nargs="+", metavar="PATH"),
            arg("--no-entities", action="store_true", help="text only; run `annotate` later"),
            NO_CLAIMS,
            arg("--json", action="store_true", help="print the summary as JSON"),
            QUIET,
        ),
        seeds=False,
    ),
    Command(
        "search",
        "full-text search (see the README for the query syntax)",
        search,
        (
            arg("query", nargs="+"),
            arg("--limit", type=positive, default=20, help="at most N results (default 20)"),
            arg("--sort", choices=("relevance", "date"), default="relevance"),
            SOURCE,
            STORY,
            JSON,
            exporting.FORMAT,
        ),
        parser={"allow_abbrev": False},  # an abbreviated option would pass for a query word,
        catch_up=False,
    ),
    Command(
        "show",
        "print one article by id, id prefix or ref",
        show,
        (arg("article", metavar="ID_OR_REF"), JSON),
        catch_up=False,
    ),
    Command(
        "list",
        "list the articles",
        list_articles,
        (
            SOURCE,
            arg(
                "--sort",
                choices=("added", "date", "source", "title"),
                default="added",
                help="order: as added (default), newest first, by source, by title",
            ),
            JSON,
        ),
        catch_up=False,
    ),
    Command("sources", "list the sources with article counts", sources, (JSON,), catch_up=False),
    Command(
        "rebuild",
        "rebuild the search index from the record (no NER rerun)",
        rebuild,
        seeds=False,
    ),
    Command(
        "optimize",
        "merge the search index's segments for faster searches (resumable)",
        optimize,
        (QUIET,),
        seeds=False,
    ),
    Command(
        "annotate",
        "extract entities for articles that lack them",
        annotate,
        (
            QUIET,
            NO_CLAIMS,
            arg(
                "--workers",
                type=positive,
                metavar="N",
                help="NER processes (default: every core when there are enough articles; "
                "1: in-process)",
            ),
            arg(
                "--ray",
                nargs="?",
                const="local",
                metavar="ADDRESS",
                help="run NER on a Ray cluster (ADDRESS, e.g. ray://head:10001 or auto; none: "
                "a private local Ray); needs pip install 'crosswire[cluster]'",
            ),
        ),
        seeds=False,
    ),
    Command(
        "resolve",
        "re-resolve entities with the alias file and decisions",
        resolve,
        seeds=False,
    ),
    Command(
        "entities",
        "list entities, most mentioned first",
        entities,
        (
            arg("--kind", choices=ENTITY_KINDS),
            SOURCE,
            STORY,
            arg("--limit", type=positive, help="at most N (default: all)"),
            JSON,
        ),
        catch_up=False,
    ),
    Command(
        "entity",
        "one entity: its names, why joined, mentions by source",
        entity,
        (arg("name", metavar="NAME_OR_ID"), JSON, ID, exporting.FORMAT),
        catch_up=False,
    ),
    Command(
        "mentions",
        "every entity mention",
        mentions,
        (
            arg("--jsonl", action="store_true", help="one JSON object a line (the default)"),
            STORY,
            exporting.FORMAT,
        ),
        catch_up=False,
    ),
    Command(
        "merge",
        "decide that two names are one entity",
        merge,
        (arg("a", metavar="NAME"), arg("b", metavar="NAME"), ID),
    ),
    Command(
        "split",
        "take a name off an entity",
        split,
        (arg("entity", metavar="ENTITY"), arg("name", metavar="NAME"), ID),
    ),
    *STORY_COMMANDS,
    *DECISION_COMMANDS,
)
COMMANDS = (*COMMANDS, *compare.COMMANDS)  # facts, compare
BY_NAME = {command.name: command for command in COMMANDS}
