"""Argument parsing, built from the one command table (`commands.COMMANDS`).

A command is declared once, as a `Command`: its name, help, arguments and handler. The parser,
the list of names the reader's `crosswire PATH…` form is told apart from, and the search
command's options that take a value all come from that declaration.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .engine import Library
from .render import fail

Handler = Callable[[Library, argparse.Namespace], int]

# Options that take no value; any other option of a command takes the next word as its value.
NO_VALUE = ("store_true", "store_false", "store_const", "count", "help", "version")


@dataclass(frozen=True)
class Arg:
    """One argparse argument: the flags or name, and add_argument's keyword options."""

    flags: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def takes_value(self) -> bool:
        return self.flags[0].startswith("-") and self.options.get("action") not in NO_VALUE


def arg(*flags: str, **options: Any) -> Arg:
    """`arg("--limit", type=positive)`: the same words as `add_argument`, kept for later."""
    return Arg(flags, options)


@dataclass(frozen=True)
class Command:
    """One subcommand. `seeds`: a new library gets the bundled seed articles before it runs
    (not for commands that fill or rebuild the library themselves). `catch_up`: opening
    first repairs what an interrupted run left (indexing, resolving, grouping: minutes on a
    large library); commands that only read answer at once instead and say what is left.
    `parser` holds extra options for its sub-parser."""

    name: str
    help: str
    handler: Handler
    args: tuple[Arg, ...] = ()
    seeds: bool = True
    catch_up: bool = True
    parser: Mapping[str, Any] = field(default_factory=dict)

    def value_options(self) -> set[str]:
        """This command's options that take a value, `--library` included."""
        return {"--library"} | {f for a in self.args if a.takes_value for f in a.flags}


class _Version(argparse.Action):
    """--version, looked up only when asked: importlib.metadata costs 30 ms of every run."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        from importlib.metadata import version

        parser.exit(message=f"crosswire {version('crosswire')}\n")


def positive(value: str) -> int:
    """--limit N: a whole number of 1 or more (0 or -5 would silently show nothing)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


class Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line like every other failure (usage is in -h)."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see {self.prog} --help)")
        self.exit(2)


LIBRARY_HELP = "library directory (default: $CROSSWIRE_LIBRARY or the user data dir)"


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    """The `crosswire` parser. `--library` is accepted before the command and after it."""
    parser = Parser(
        prog="crosswire",
        description="A terminal reader for news read across many sources. With no command, "
        "opens the reader (on the bundled seed articles when the library is new); "
        "`crosswire PATH…` opens it and adds PATH… in the background.",
    )
    parser.add_argument("--library", metavar="DIR", type=Path, help=LIBRARY_HELP)
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    # After the command, --library is left out of the namespace unless given, so it never
    # overwrites one given before the command.
    library = Parser(add_help=False)
    library.add_argument(
        "--library", metavar="DIR", type=Path, default=argparse.SUPPRESS, help=LIBRARY_HELP
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        p = sub.add_parser(command.name, help=command.help, parents=[library], **command.parser)
        for a in command.args:
            p.add_argument(*a.flags, **a.options)
    return parser


def query_words_last(argv: Sequence[str], value_options: Collection[str]) -> list[str]:
    """`crosswire search drone -Baghdad`: in the query syntax a leading - means NOT, but
    argparse takes any -word for an option. Put the search command's own options first and
    every other word after "--", in order, so argparse reads those words as the query.
    `value_options`: the search command's options that take the next word as their value."""
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
        word = rest[j]
        if word == "--":
            words += rest[j + 1 :]
            break
        if word in value_options:
            options += rest[j : j + 2]
            j += 2
            continue
        if word in ("-h", "--help") or word.startswith("--"):  # unknown --words: argparse says so
            options.append(word)
        else:
            words.append(word)
        j += 1
    return [*argv[: i + 1], *options, "--", *words]


def split_reader_args(
    argv: Sequence[str], names: Collection[str]
) -> tuple[list[str], list[str]] | None:
    """`crosswire [--library DIR] PATH…` opens the reader; tell it apart from a subcommand
    (one of `names`). Returns the options and the paths, or None for a subcommand."""
    options: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--library" and i + 1 < len(argv):
            options += argv[i : i + 2]
            i += 2
        elif word.startswith("--library="):
            options.append(word)
            i += 1
        elif word.startswith("-") and word != "-":
            return None
        else:
            break
    rest = list(argv[i:])
    if rest and rest[0] in names:
        return None
    return options, rest
