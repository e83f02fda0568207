"""The decision commands: the log (`decisions`), `undo`, `redo`, `rename`, and `--id`.

Kept apart from commands.py so the decision log's commands are read in one place; commands.py
adds DECISION_COMMANDS to its table and uses `ID` (and `chosen`, for `entity`) where a name
may belong to several entities.
"""

from __future__ import annotations

from argparse import Namespace

from . import render
from .engine import AmbiguousName, Library, shapes
from .parser import Command, arg, positive

ID = arg(
    "--id",
    action="append",
    default=[],
    metavar="ID",
    help="the entity meant, when a name belongs to several (repeat for two names)",
)
JSON = arg("--json", action="store_true", help="print JSON for scripts")


def chosen(library: Library, name: str, ids: list[str]) -> str:
    """What to look up: the name or id as typed (an old id must reach the library, which
    says where it was merged), or the id --id picks; a name several entities hold raises
    AmbiguousName listing them."""
    choices = library.entity_choices(name)
    if len(choices) <= 1:
        return name
    picked = [c for c in choices if c.id in ids]
    if len(picked) != 1:
        raise AmbiguousName(name, choices)
    return picked[0].id


def decisions(library: Library, args: Namespace) -> int:
    rows = library.decisions()
    if args.json:
        render.dump([shapes.decision_json(d) for d in rows])
    else:
        render.decisions(rows)
    return 0


def undo(library: Library, args: Namespace) -> int:
    done = library.undo(args.n, on_wait=render.warn)
    render.say(f"undid {done.seq}: {done.summary}")
    return 0


def redo(library: Library, args: Namespace) -> int:
    done = library.redo(args.n, on_wait=render.warn)
    render.say(f"redid {done.seq}: {done.summary}")
    return 0


def rename(library: Library, args: Namespace) -> int:
    eid = library.rename(args.entity, args.name, on_wait=render.warn, pick=args.id)
    render.say(f"renamed {args.entity!r} to {args.name!r} (entity {eid})")
    return 0


N = arg("n", nargs="?", type=positive, metavar="N", help="the decision's number (`decisions`)")

DECISION_COMMANDS = (
    Command(
        "decisions",
        "the decision log: merges, splits, renames, alias-file changes",
        decisions,
        (JSON,),
        seeds=False,
        catch_up=False,
    ),
    Command("undo", "revert a decision (the last one by default)", undo, (N,), seeds=False),
    Command("redo", "apply an undone decision again (the last undone)", redo, (N,), seeds=False),
    Command(
        "rename",
        "give an entity a display name by hand",
        rename,
        (arg("entity", metavar="ENTITY"), arg("name", metavar="NAME"), ID),
    ),
)
