"""What extraction returns and grouping builds: Claim, ClaimValue, ClaimGroup.

Plain frozen dataclasses (the CLI prints them, `facts --json` dumps them) and the one rule
grouping compares them by, interval overlap, so every caller judges two values alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class Span(Protocol):
    """An NER span as the entity phase has it (ner.RawMention fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class Claim:
    """One quantity claim in one article; offsets are into the text extract_claims was given.

    kind is exact, approx, nearly, more_than, at_least, less_than, at_most, range or vague;
    value is the number as stated (None for vague words and ranges), low/high the inclusive
    interval it allows (None: unbounded), which is all grouping compares. text is the quantity
    through its counted noun ("several of his security guards"), quantity the number part
    alone ("several"); noun is the counted noun's lemma as written, about its synonym group;
    event is the event word's lemma ("wound"), family its event family ("injured"). change is
    "initial" or "later" when the article revises this count ("initially … later clarified").
    """

    value: float | None
    low: float | None
    high: float | None
    kind: str
    text: str
    quantity: str
    noun: str
    about: str
    event: str
    family: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    change: str | None = None

    @property
    def display(self) -> int | float | str:
        """The value as the CLI shows it: 3, ">100", ">=15", "~20", "10-12", "several"."""
        if self.kind == "exact" and self.value is not None:
            return int(self.value) if self.value.is_integer() else self.value
        if self.kind == "vague":
            return self.quantity.lower()
        if self.kind == "range":
            return f"{_number(self.low)}-{_number(self.high)}"
        prefix = {
            "more_than": ">",
            "at_least": ">=",
            "less_than": "<",
            "at_most": "<=",
            "approx": "~",
            "nearly": "~",
        }[self.kind]
        return f"{prefix}{_number(self.value)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; "value" is the display form, low/high the numbers behind it."""
        return {
            "value": self.display,
            "kind": self.kind,
            "low": _number(self.low),
            "high": _number(self.high),
            "text": self.text,
            "quantity": self.quantity,
            "noun": self.noun,
            "about": self.about,
            "event": self.event,
            "family": self.family,
            "start": self.start,
            "end": self.end,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "change": self.change,
        }


@dataclass(frozen=True)
class ClaimValue:
    """One claim of a group, with the article and source it came from."""

    claim: Claim
    article: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "value": c.display,
            "text": c.text,
            "source": self.source,
            "article": self.article,
            "start": c.start,
            "end": c.end,
            "kind": c.kind,
            "low": _number(c.low),
            "high": _number(c.high),
            "event": c.event,
            "change": c.change,
        }


@dataclass(frozen=True)
class ClaimGroup:
    """Claims about one counted thing and one event family across the sources of a story."""

    about: str
    event: str
    values: tuple[ClaimValue, ...]
    disputed: bool
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The `crosswire facts --json` object for this group."""
        return {
            "about": self.about,
            "event": self.event,
            "values": [v.to_dict() for v in self.values],
            "disputed": self.disputed,
            "why": self.why,
        }


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def compatible(a: Claim, b: Claim) -> bool:
    """Whether both values can be true at once: their intervals overlap."""
    low = max((x for x in (a.low, b.low) if x is not None), default=None)
    high = min((x for x in (a.high, b.high) if x is not None), default=None)
    return low is None or high is None or low <= high
