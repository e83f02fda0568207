"""Claims and compared passages as Rich Text, styled by offset (never markup): shared by the
CLI (`facts`, `compare`) and the reader's compare view and facts panel. Rich only, no Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from .safe import one_line, printable_keep_offsets

if TYPE_CHECKING:  # the CLI imports this module; a search must not load claims and facts
    from crosswire.index.claims import ClaimGroup, ClaimValue
    from crosswire.index.facts import Passage

HIT = Style(bold=True, reverse=True)
NUMBER = Style(bold=True, underline=True)
ENTITY = Style(italic=True, color="cyan")
DISPUTED = Style(bold=True, color="red")
HEADING = Style(bold=True)


def spans_of(p: Passage) -> list[tuple[int, int, Style]]:
    """The passage's marks relative to its sentence: entities, then numbers, then hits on top."""
    out = [(a, b, ENTITY) for a, b, _ in p.entities]
    out += [(a, b, NUMBER) for a, b in p.numbers]
    out += [(a, b, HIT) for a, b in p.hits]
    return [(a - p.start, b - p.start, style) for a, b, style in out]


def passage_text(p: Passage) -> Text:
    """The sentence on one line (its line breaks made spaces), marks styled by offset."""
    plain = printable_keep_offsets(p.text).replace("\n", " ")
    text = Text(plain)
    for a, b, style in spans_of(p):
        text.stylize(style, max(0, a), min(len(plain), b))
    return text


def group_heading(group: ClaimGroup) -> Text:
    """ "DISPUTED drone used — incompatible values: …" (red when disputed)."""
    text = Text()
    flag = "DISPUTED " if group.disputed else ""
    text.append(
        f"{flag}{one_line(group.about)} {group.event}", DISPUTED if group.disputed else HEADING
    )
    text.append(f" — {one_line(group.why)}")
    return text


def value_text(v: ClaimValue) -> Text:
    """One value of a group: the number as normalised, its source and its words."""
    text = Text("  ")
    text.append(str(v.claim.display), NUMBER)
    if v.claim.change:
        text.append(f" ({v.claim.change})")
    text.append(f"  {one_line(v.source)}: “{one_line(v.claim.text)}”")
    return text


def facts_text(group: ClaimGroup) -> Text:
    """A group for people: its heading and one line a value."""
    text = group_heading(group)
    for v in group.values:
        text.append("\n")
        text.append_text(value_text(v))
    return text
