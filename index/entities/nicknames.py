"""Nicknames the text itself establishes: "Mara Quell, known as 'the Heron'".

Evidence, never a guess from spelling: a name joins another only where the article writes the
pattern right after the name (", known as", ", also known as", ", better known as", ", who was
known as", ", nicknamed", ", dubbed", ", aka"), with at most a few lowercase words before the
nickname ("known as Watergate informant 'Deep Throat'" names no one else). "He denied he was
Deep Throat" is no evidence, so a bare "was" never links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

NICKNAME_KINDS = frozenset({"PERSON", "ORG"})
PATTERN = re.compile(
    r"""^,?\s+(?:who\s+(?:is|was)\s+)?(?:also\s+|better\s+|widely\s+|commonly\s+)?
    (?:known\s+as|nicknamed|dubbed|a\.?k\.?a\.?)\s+
    (?:[a-z]+\s+){0,3}[\"'`‘“]*(?:[Tt]he\s+)?$""",
    re.VERBOSE,
)


class Span(Protocol):
    start: int
    end: int
    label: str


def nickname_pairs(text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(name, nickname) index pairs of spans the text joins by a nickname pattern; the name
    is a person or organisation and comes first."""
    out = []
    for k in range(len(spans) - 1):
        name, nick = spans[k], spans[k + 1]
        if name.label in NICKNAME_KINDS and PATTERN.match(text[name.end : nick.start]):
            out.append((k, k + 1))
    return out
