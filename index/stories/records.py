"""What goes into the grouper and what comes out: articles, entity mentions, stories, errors.

Kept apart from the grouping logic so a caller (the library, the reader, the bench) depends on
these plain frozen records only, never on the grouper's internal state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class GroupingError(ValueError):
    """A bad article or a damaged grouping state; the message is one line naming the fault."""


@dataclass(frozen=True)
class EntityRef:
    """A resolved entity mentioned in an article: its id, kind (PERSON, GPE…) and a surface."""

    id: str
    kind: str
    text: str


@dataclass(frozen=True)
class StoryArticle:
    """What the grouper sees of an article. The library's own id, never the source's ref.

    published is an ISO date when known; when it is None the date is looked for in the text's
    first lines and then in the URL.
    """

    id: str
    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str | None = None
    entities: Sequence[EntityRef] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise GroupingError("article without an id")
        if not isinstance(self.text, str) or not isinstance(self.title, str):
            raise GroupingError(f"article {self.id}: text and title must be strings")


@dataclass(frozen=True)
class Story:
    """A story as the reader shows it: a readable label, its date range and its sources."""

    id: str
    label: str
    articles: tuple[str, ...]
    first: str | None
    last: str | None
    sources: tuple[str, ...]


def story_seq(story_id: str) -> int:
    """The number in a story id ("s12" → 12): the older story is the one with the smaller."""
    return int(story_id[1:]) if story_id[1:].isdigit() else 0
