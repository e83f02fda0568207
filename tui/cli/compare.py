"""`crosswire facts` and `crosswire compare`: what each source says, and where sources disagree.

The engine builds the records and their JSON (Library.facts / Library.compare, index/facts.py);
this module prints them for people (Rich Text styled by offset, never markup) or as Markdown.
"""

from __future__ import annotations

from argparse import Namespace
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from ..compare_text import facts_text, passage_text
from ..safe import counted, one_line, printable_keep_offsets
from . import engine, render
from .engine import Library
from .parser import Arg, Command, arg
from .stories import STORY

if TYPE_CHECKING:
    from .engine import Comparison


def facts(library: Library, args: Namespace) -> int:
    groups = library.facts(story=args.story)
    if args.json:
        render.dump([engine.group_json(group) for group in groups])
        return 0
    if not groups:
        render.say(
            "no claims with numbers found (run `crosswire annotate` if entities are not done)"
        )
    for group in groups:
        render.out.print(facts_text(group))
    return 0


def compare(library: Library, args: Namespace) -> int:
    comparison = library.compare(" ".join(args.query), story=args.story)
    if args.json:
        render.dump(engine.comparison_json(comparison))
    elif args.format == "md":
        render.out.print(Text(markdown(comparison)))
    else:
        render.out.print(comparison_text(comparison))
    return 0


def comparison_text(comparison: Comparison) -> Text:
    out = Text()
    if comparison.partial:
        out.append("(partial: the search was cut short or capped)\n")
    for section in comparison.sources:
        out.append(f"{one_line(section.source)}", Style(bold=True))
        out.append(f" ({counted(len(section.passages), 'passage')})\n")
        for p in section.passages:
            out.append("  ")
            out.append_text(passage_text(p))
            out.append("\n")
    if comparison.missing:
        out.append("not mentioned in: " + ", ".join(one_line(s) for s in comparison.missing))
    elif not comparison.sources:
        out.append("no source mentions it")
    return out


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def markdown(comparison: Comparison) -> str:
    """The comparison as Markdown: a section a source, a bullet a passage, hits in bold."""
    lines = [f"# Compare: {_md_escape(one_line(comparison.query))}", ""]
    for section in comparison.sources:
        lines += [f"## {_md_escape(one_line(section.source))}", ""]
        for p in section.passages:
            plain = printable_keep_offsets(p.text).replace("\n", " ")
            lines.append(f"- {_bold(plain, [(a - p.start, b - p.start) for a, b in p.hits])}")
        lines.append("")
    if comparison.missing:
        missing = ", ".join(_md_escape(one_line(s)) for s in comparison.missing)
        lines.append(f"Not mentioned in: {missing}")
    return "\n".join(lines).rstrip() + "\n"


def _bold(text: str, hits: Sequence[tuple[int, int]]) -> str:
    out, at = [], 0
    for a, b in sorted(hits):
        if a < at:
            continue
        out += [_md_escape(text[at:a]), "**", _md_escape(text[a:b]), "**"]
        at = b
    out.append(_md_escape(text[at:]))
    return "".join(out)


JSON: Arg = arg("--json", action="store_true", help="print JSON for scripts")

COMMANDS = (
    Command(
        "facts",
        "claims with numbers grouped across sources, disputed first",
        facts,
        (arg("--json", action="store_true", help="print JSON: a list, one object a group"), STORY),
        catch_up=False,
    ),
    Command(
        "compare",
        "what each source says about a query: matching sentences by source",
        compare,
        (
            arg("query", nargs="+"),
            STORY,
            JSON,
            arg("--format", choices=("text", "md"), default="text", help="md: Markdown"),
        ),
        parser={"allow_abbrev": False},
        catch_up=False,
    ),
)
