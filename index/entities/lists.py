"""Lists and acronyms in spans: what the model glues into one name and should not.

"People, Reid" and "Ardenia, Velmora and Quist" are several names; "Brindle, Ostland" is one
place and its region; "Dana Quill U.S." is a person and an acronym. Used by voting (vote.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from .names import PLACE_KINDS, tokens
from .ner import RawMention


class Placed(Protocol):
    start: int
    end: int
    label: str


TRAILING_ACRONYM = re.compile(r"\s+((?:[A-Z]\.\s?)+[A-Z]\.?|[A-Z]{2,6})$")
# Initials or up to four capitals: an acronym; a longer all-caps word is a headline's name.
SHORT_ACRONYM = re.compile(r"^(?:[A-Z]\.\s?)+[A-Z]\.?$|^[A-Z]{2,4}$")
ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "inc", "ltd", "llc", "co", "corp", "plc"})


def split_commas(m: RawMention) -> list[RawMention]:
    """A span across a comma is a list ("People, Reid"; "Alpha, Beta, Gamma"), each piece a
    name of its own; a place and its region are joined again, and
    "Smith, Jr." or "Acme, Inc." stay whole (vote joins place and region again)."""
    pieces = m.text.split(", ")
    if len(pieces) < 2 or any(tokens(p) and tokens(p)[-1] in SUFFIXES for p in pieces[1:]):
        return [m]
    out, start = [], m.start
    for piece in pieces:
        out.append(RawMention(start, start + len(piece), piece, m.label))
        start += len(piece) + 2
    return out


def in_list(text: str, spans: Sequence[Placed], k: int) -> bool:
    """True when spans[k-1], spans[k] are items of a list of places ("India, Egypt and
    Brazil", "from Paris, Rome, Madrid"): the next place follows after a comma or an "and",
    or a place comes before with a comma."""
    after = spans[k + 1] if k + 1 < len(spans) else None
    before = spans[k - 2] if k >= 2 else None
    joint = re.compile(r",?\s+(?:and|or)\s+$|,\s*$")
    listed_after = (
        after and after.label in PLACE_KINDS and joint.match(text[spans[k].end : after.start])
    )
    listed_before = (
        before is not None
        and before.label in PLACE_KINDS
        and text[before.end : spans[k - 1].start] == ", "
    )
    return bool(listed_after or listed_before)
