"""Plain records that cross the boundary between the engine and its users (CLI, reader, tests).

Nothing here holds a live SQLite cursor or Whoosh object: a Whoosh hit is dead once its searcher
closes, and the reader keeps results around long after a search returns.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

ENTITY_KINDS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")


def normalise_text(text: str) -> str:
    """The form an article's identity is computed from: NFC, whitespace runs folded to one space.

    Two outlets syndicating the same story differ in line breaks and trailing blanks, not words.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str) -> str:
    """crosswire's own id for an article: a short hash of its normalised text.

    A lone surrogate (not valid Unicode, so not storable) hashes by its escape rather than
    raising: the store refuses such text one article at a time, never a whole batch here.
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8", "backslashreplace")).hexdigest()[:16]


# Characters that must not reach a terminal raw in a name: C0/C1 controls, line and paragraph
# separators, and the bidi controls that reorder what follows them (U+202E "Trojan Source").
_UNSAFE_IN_NAME = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode escapes it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(name: str) -> str:
    """A name (a file name, a JSON id) as one safe line: control characters, bidi controls and
    bytes that were not UTF-8 made visible as escapes ("\\n", "\\u202e", "\\xff").

    A crafted file name must not print a fake "skipped …" line or reverse the text after it;
    the result is always valid UTF-8, so it can be stored and printed anywhere.
    """
    return _UNSAFE_IN_NAME.sub(_escape, name)


def unstorable(value: str) -> int | None:
    """The offset of the first lone surrogate in value (text SQLite cannot store), or None."""
    found = _SURROGATE.search(value)
    return found.start() if found else None


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Incoming:
    """An article as a reader produced it, before it is stored.

    ref is the id its source gave it (JSON id, feed entry id, or file path); published is an ISO
    8601 date or datetime string, or None when the input does not say.
    """

    ref: str
    source: str
    title: str
    text: str
    url: str = ""
    published: str | None = None


@dataclass(frozen=True)
class Skipped:
    """One input that could not be read; where is a path, or path:line for JSON Lines."""

    where: str
    reason: str

    def __post_init__(self) -> None:
        # Made safe once, here: every printer (CLI line, --json, the reader) gets a name that
        # is one line of valid UTF-8, whatever bytes the file name held.
        object.__setattr__(self, "where", shown(self.where))
        object.__setattr__(self, "reason", shown(self.reason))

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Article:
    """A stored article. sources and refs list every outlet that carried this exact text."""

    id: str
    ref: str
    source: str
    title: str
    url: str
    published: str | None
    text: str
    sources: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleSummary:
    """An article as a list shows it: no text, its length in words (as the reader counts)."""

    id: str
    ref: str
    source: str
    title: str
    published: str | None
    words: int = 0
    url: str = ""


@dataclass(frozen=True)
class Citation:
    """Where an article came from, as a quote cites it: outlet, headline, date, address
    ("" or None where the input did not say)."""

    id: str
    ref: str
    source: str
    title: str
    published: str | None
    url: str


@dataclass(frozen=True)
class SearchHit:
    """One search result. hits are [start, end) character offsets into the article's text."""

    id: str
    ref: str
    source: str
    title: str
    published: str | None
    score: float
    snippet: str
    hits: list[tuple[int, int]] = field(default_factory=list)
    snippet_hits: list[tuple[int, int]] = field(default_factory=list)


class Listed(Protocol):
    """What browsing shows of an article (an ArticleSummary, a story's article)."""

    @property
    def id(self) -> str: ...
    @property
    def ref(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> str | None: ...


def browse_hit(article: Listed) -> SearchHit:
    """An article as an empty query lists it: a hit without a score or snippet."""
    return SearchHit(
        id=article.id,
        ref=article.ref,
        source=article.source,
        title=article.title,
        published=article.published,
        score=0.0,
        snippet="",
    )


@dataclass(frozen=True)
class EntityHint:
    """A plain query word that is the name of an entity known under other names too."""

    word: str
    entity_id: str
    name: str
    other_names: tuple[str, ...]


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: list[SearchHit]
    suggestion: str | None = None
    entity_hints: list[EntityHint] = field(default_factory=list)
    source_counts: dict[str, int] = field(default_factory=dict)
    partial: bool = False  # the search hit its time limit or capped a prefix/fuzzy expansion


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in one article; start/end are character offsets in its text."""

    article_id: str
    start: int
    end: int
    text: str
    kind: str
    entity_id: str = ""


@dataclass(frozen=True)
class Alias:
    """Another name of an entity and the rule that joined it (e.g. "acronym", "user merge")."""

    name: str
    rule: str
    mentions: int = 0


@dataclass(frozen=True)
class EntitySummary:
    id: str
    name: str
    kind: str
    other_names: tuple[str, ...]
    mentions: int
    sources: tuple[str, ...]
    articles: int = 0


@dataclass(frozen=True)
class MentionInContext:
    """A mention with the text around it, for the entity panel and `crosswire entity`."""

    article_id: str
    ref: str
    source: str
    title: str
    start: int
    end: int
    text: str
    before: str
    after: str


@dataclass(frozen=True)
class EntityDetail:
    id: str
    name: str
    kind: str
    aliases: list[Alias]
    mentions_by_source: dict[str, list[MentionInContext]]
    redirected_from: str | None = None  # the id asked for, when it was merged into this one

    @property
    def mention_count(self) -> int:
        return sum(len(m) for m in self.mentions_by_source.values())


@dataclass
class AddReport:
    """What one `add` did: counts for the summary line and every skipped input with its reason."""

    added: int = 0
    present: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    annotated: int = 0


@dataclass(frozen=True)
class IndexStatus:
    """How far the search index has followed the record: `articles` stored, `documents` in the
    search index, `unindexed` stored articles whose index entry is missing or stale (left by an
    interrupted run, or by a library opened with catch_up=False until catch_up() runs)."""

    articles: int
    documents: int
    unindexed: int


@dataclass(frozen=True)
class Progress:
    """A progress report sent through a callback: phase is "text" or "entities"."""

    phase: str
    done: int
    total: int | None = None
    message: str = ""


class CrosswireError(Exception):
    """An error a user can act on; its message is one line and is shown as it is."""


@dataclass(frozen=True)
class EntityChoice:
    """One of the entities a name belongs to: what an ambiguous name's error lists."""

    id: str
    name: str
    kind: str
    mentions: int


class AmbiguousName(CrosswireError):
    """A name several entities hold: the message lists them; choices has them in full."""

    def __init__(self, name: str, choices: list[EntityChoice]) -> None:
        listed = "; ".join(f"{c.id} {c.name} ({c.kind}, {c.mentions} mentions)" for c in choices)
        super().__init__(
            f"{name!r} is a name of {len(choices)} entities: {listed} — give the id instead "
            f"(or --id ID)"
        )
        self.choices = choices


@dataclass(frozen=True)
class Decision:
    """One entry of the decision log: seq numbers it (`undo N`), state is active, undone or
    superseded (a later merge replaced the split that kept the two apart)."""

    seq: int
    action: str  # merge, split, rename, aliases (an alias-file change), story-move|split|merge
    summary: str
    made_at: str
    state: str


class QueryError(CrosswireError):
    """A query that cannot be run: unbalanced quotes, a bad date, an empty query."""
