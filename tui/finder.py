"""Ranking entities by any of their names as the user types: the palette's and pickers' data.

Entity names come from articles, so they are data: labels are plain strings and prompts are
rich Text, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import islice

from crosswire.index.entities.naming import fold_variants
from crosswire.index.model import EntitySummary
from rich.text import Text
from textual.fuzzy import FuzzySearch

from .safe import one_line

MAX_PICKS = 50
MAX_CANDIDATES = 300  # entities fuzzy-matched per keystroke, however many there are
WORD = re.compile(r"\w+")


def entity_label(entity: EntitySummary) -> str:
    """ "Mustafa al-Kadhimi (also Kadhimi, Kazemi)": what a picker lists, each spelling that
    differs only in case and punctuation once (they are still matched: see _folded)."""
    label = one_line(entity.name)
    others = [name for name, _ in fold_variants([entity.name, *entity.other_names])[1:]]
    if others:
        label += f" (also {one_line(', '.join(others))})"
    return label


class EntityFinder:
    """Ranks entities by any of their names as the user types, without the wait.

    Fuzzy-matching all of 20,000 entities takes a tenth of a second a keystroke, on the UI
    thread. So a cheap pass picks at most MAX_CANDIDATES — names with a word starting with the
    query, then names containing it, then names with a word starting with its first letter,
    most mentioned first — and only those are ranked fuzzily. Labels are made once, here.
    """

    def __init__(self, entities: Sequence[EntitySummary]) -> None:
        self.entities = sorted(entities, key=lambda e: -e.mentions)
        self.labels = [entity_label(e) for e in self.entities]
        # Names apart ("also" in a label is no name), so no match spans two of them.
        self._folded = [
            "\n".join(one_line(n) for n in (e.name, *e.other_names)).lower() for e in self.entities
        ]
        words = [WORD.findall(folded) for folded in self._folded]
        self._words = [" " + " ".join(w) for w in words]
        self._initials = [{word[0] for word in w} for w in words]
        self._fuzzy = FuzzySearch()

    def candidates(self, query: str) -> list[int]:
        """Indexes of the entities worth a fuzzy match for a stripped, non-empty query."""
        folded = query.lower()
        spaced = " " + folded
        starts: list[int] = []
        inside: list[int] = []
        initial: list[int] = []
        for i, text in enumerate(self._folded):
            if spaced in self._words[i]:
                starts.append(i)
            elif folded in text:
                inside.append(i)
            elif folded[0] in self._initials[i]:
                initial.append(i)
        return (starts + inside + initial)[:MAX_CANDIDATES]

    def rank(
        self, query: str, limit: int = MAX_PICKS, exclude: str | None = None
    ) -> list[tuple[float, EntitySummary, str, list[int]]]:
        """(score, entity, label, offsets) best first; with no query, the most mentioned.
        Offsets are into the label, for marking the match."""
        query = query.strip()
        if not query:
            most_mentioned: Iterator[tuple[float, EntitySummary, str, list[int]]] = (
                (0.0, entity, label, [])
                for entity, label in zip(self.entities, self.labels, strict=True)
                if entity.id != exclude
            )
            return list(islice(most_mentioned, limit))
        scored = []
        for i in self.candidates(query):
            if self.entities[i].id != exclude:
                score, offsets = self._fuzzy.match(query, self.labels[i])
                if score > 0:
                    scored.append((score, self.entities[i], self.labels[i], list(offsets)))
        scored.sort(key=lambda t: (-t[0], -t[1].mentions))
        return scored[:limit]


def label_text(label: str, offsets: Sequence[int]) -> Text:
    text = Text(label)
    for i in offsets:
        if i < len(label):
            text.stylize("bold underline", i, i + 1)
    return text
