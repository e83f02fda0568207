"""The `crosswire` command: the reader by default, subcommands for scripts (`--json`).

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback:
2 for a bad query or bad arguments, 1 for anything else (including an add that skipped inputs).
The commands are declared in commands.py, parsed by parser.py, printed by render.py; the JSON
shapes come from the engine (crosswire.index.shapes).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import render
from .commands import BY_NAME, COMMANDS
from .engine import CrosswireError, Library, QueryError, default_directory, disk_full, seed_paths
from .parser import build_parser, query_words_last, split_reader_args

__all__ = ["main"]


def open_library(directory: Path | None, *, catch_up: bool = True) -> Library:
    return Library(directory or default_directory(), on_notice=render.warn, catch_up=catch_up)


def run_reader(args: argparse.Namespace, paths: list[str]) -> int:
    """`crosswire [--library DIR] [PATH…]`: the reader, once the paths and the terminal are
    checked (a typo for a command must not open it, nor may a pipe)."""
    if paths and paths[0] != "-" and not Path(paths[0]).exists():
        names = ", ".join(BY_NAME)
        render.fail(
            f"no command or file named {paths[0]!r} (commands: {names}; see crosswire --help)"
        )
        return 2
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        render.fail(
            "the reader needs a terminal (standard input and output); for scripts "
            "use a command such as `crosswire search` or `crosswire list`"
        )
        return 2
    from ..launch import run_reader

    return run_reader(args.library or default_directory(), paths)


def run_command(args: argparse.Namespace) -> int:
    """`crosswire [--library DIR] COMMAND …`: open the library (with the seeds first when it
    is new and the command reads it) and run the command's handler."""
    command = BY_NAME[args.command]
    with open_library(args.library, catch_up=command.catch_up) as library:
        if command.seeds and library.is_new():
            library.add(seed_paths(), entities=True)
        if left := library.pending():
            render.warn(
                f"an interrupted run left {' and '.join(left)}; this answer leaves that out "
                "until `crosswire resolve` (or any command that changes the library) finishes it"
            )
        return command.handler(library, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `crosswire` with `argv` (default: the process's) and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace | None = None
    parser = build_parser(COMMANDS)
    try:
        reader = split_reader_args(argv, BY_NAME)
        if reader is not None:
            options, paths = reader
            args = parser.parse_args(options)
            return run_reader(args, paths)
        args = parser.parse_args(query_words_last(argv, BY_NAME["search"].value_options()))
        return run_command(args)
    except QueryError as exc:
        render.fail(str(exc))
        return 2
    except CrosswireError as exc:
        render.fail(str(exc))
        return 1
    except KeyboardInterrupt:
        render.fail("interrupted; everything stored so far is kept — run the same command again")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        full = disk_full(Path(getattr(args, "library", None) or default_directory()), exc)
        if full is None:
            raise
        render.fail(str(full))
        return 1
