"""crosswire's query language: the lexer and parser, the limits on a query no person types,
and the deadline a whole search keeps to.

Queries are parsed here, not by Whoosh's parser, because users need errors instead of silently
empty results (unbalanced quotes, bad dates), exclusive `date:>`, fuzzy and prefix terms that
work on a stemmed field, and entity: terms that expand to every name of an entity. A query is
parsed once (parse_query) and the tree handed to the index and to the entity hints.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crosswire.index.model import QueryError

from .snippets import index_forms

FIELDS = ("source", "title", "date", "entity", "text")
# Limits on a query no person types, so that any string gets an answer or one clear error in
# bounded time (a paste of a whole page, a script's runaway loop). README's Query syntax says so.
MAX_TERMS = 1000  # words, phrase words, fields and wildcards in one query
MAX_DEPTH = 50  # parentheses and NOTs nested inside each other
MAX_WORD = 200  # characters in one word (or one entity:/source:/date: value)


class OutOfTime(Exception):
    """A stage of a search ran past its deadline; the search reports what it has as partial."""


class Deadline:
    """The moment a search must be done by, shared by parsing, building, expansion, collection,
    suggestions and hints, so the limit holds for the whole search and not for one stage."""

    def __init__(self, seconds: float, cancelled: Callable[[], bool] | None = None) -> None:
        self.end = time.monotonic() + seconds
        self.cancelled = cancelled

    def expired(self) -> bool:
        """True once the moment has passed, or the caller no longer wants the answer (a newer
        keystroke in the reader): a superseded search stops where a late one would."""
        return time.monotonic() >= self.end or (self.cancelled is not None and self.cancelled())

    def check(self) -> None:
        """Raise OutOfTime once the moment has passed."""
        if self.expired():
            raise OutOfTime


@dataclass(frozen=True)
class Leaf:
    """A word, phrase, prefix* or fuzzy~ term; field None means title and body."""

    kind: str  # "word" | "phrase" | "prefix" | "fuzzy" | "date" | "entity" | "source"
    text: str
    field: str | None = None
    maxdist: int = 1
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Node:
    """An operator over sub-trees (not has exactly one child)."""

    op: str  # "and" | "or" | "not"
    children: tuple[Node | Leaf, ...]


_FIELD = re.compile(r"([A-Za-z_]+):")
_FUZZY = re.compile(r"(.+?)~(\d*)")
_WORD_END = re.compile(r'[()"\s]')
_SPACES = re.compile(r"\s+")
MAX_TOKENS = 4 * MAX_TERMS  # terms and the operators between them


def _too_long(word: str) -> QueryError:
    shown = word[:30] + "…"
    return QueryError(f"a word of {len(word):,} characters ({shown}): at most {MAX_WORD} a word")


def _check_words(value: str, terms: int) -> int:
    """terms plus the words of a phrase; QueryError when one is too long or there are too many."""
    words = value.split()
    for word in words:
        if len(word) > MAX_WORD:
            raise _too_long(word)
    return _check_terms(terms + len(words))


def _check_terms(terms: int) -> int:
    if terms > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS:,} terms: search for fewer words")
    return terms


def _lex(text: str) -> list[tuple[str, str, int, int]]:
    """Split a query into (kind, value, start, end) tokens; kinds: ( ) OR AND NOT - term."""
    tokens: list[tuple[str, str, int, int]] = []
    i, n = 0, len(text)
    terms = 0
    while i < n:
        char = text[i]
        if len(tokens) > MAX_TOKENS:
            raise QueryError(
                f"the query has more than {MAX_TOKENS:,} words and operators: search for fewer"
            )
        if char.isspace():
            i = _SPACES.match(text, i).end()  # type: ignore[union-attr]
        elif char in "()":
            tokens.append((char, char, i, i + 1))
            i += 1
        elif char == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QueryError('unbalanced quotes: a " is never closed')
            terms = _check_words(text[i + 1 : close], terms)
            tokens.append(("phrase", text[i + 1 : close], i, close + 1))
            i = close + 1
        elif char == "-" and not tokens_end_word(tokens, i):
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                raise QueryError("a lone '-' needs a word right after it, as in -word")
            tokens.append(("-", "-", i, i + 1))
            i += 1
        else:
            start = i
            field = _FIELD.match(text, i)
            if field and field.end() < n and text[field.end()] in "[{":
                bracket = re.compile(r"[\]}]").search(text, field.end())
                if not bracket:
                    raise QueryError(f"unbalanced brackets in {text[start:].split()[0]}")
                i = bracket.end()
            elif field and field.end() < n and text[field.end()] == '"':
                close = text.find('"', field.end() + 1)
                if close < 0:
                    raise QueryError('unbalanced quotes: a " is never closed')
                i = close + 1
            else:
                end = _WORD_END.search(text, i)
                i = end.start() if end else n
            word = text[start:i]
            kind = word if word in ("OR", "AND", "NOT") else "term"
            if kind == "term":
                terms = _check_words(word, terms)
            tokens.append((kind, word, start, i))
    return tokens


def tokens_end_word(tokens: list[tuple[str, str, int, int]], position: int) -> bool:
    """True when position continues the previous token (a '-' inside a word is not a NOT)."""
    return bool(tokens) and tokens[-1][3] == position and tokens[-1][0] in ("term", "phrase")


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*; unary := NOT/- unary."""

    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.at = 0
        self.depth = 0

    def _deeper(self) -> None:
        """Count one more level of ( or NOT; past MAX_DEPTH the query is refused, so neither
        this parser nor the tree walks after it can run out of stack."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"the query nests parentheses or NOTs more than {MAX_DEPTH} deep: simplify it"
            )

    def parse(self) -> Node | Leaf:
        """The whole query's tree; QueryError when it is empty or has stray tokens."""
        if not self.tokens:
            raise QueryError("empty query: type some words to search for")
        node = self._or()
        if self.at < len(self.tokens):
            kind = self.tokens[self.at][0]
            if kind == ")":
                raise QueryError("unbalanced parentheses: a ')' has no '('")
            raise QueryError(f"unexpected {self.tokens[self.at][1]!r} in the query")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def _or(self) -> Node | Leaf:
        if self._peek() == "OR":
            raise QueryError("OR needs a word on each side, as in drone OR missile")
        parts = [self._and()]
        while self._peek() == "OR":
            self.at += 1
            if self._peek() in (None, ")", "OR"):
                raise QueryError("OR needs a word on each side, as in drone OR missile")
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def _and(self) -> Node | Leaf:
        parts: list[Node | Leaf] = []
        while self._peek() not in (None, ")", "OR"):
            if self._peek() == "AND":
                self.at += 1
                if not parts or self._peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs a word on each side, as in drone AND Baghdad")
                continue
            parts.append(self._unary())
        if not parts:
            raise QueryError("empty parentheses: put words inside ( )")
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def _unary(self) -> Node | Leaf:
        kind = self._peek()
        if kind in ("NOT", "-"):
            self.at += 1
            if self._peek() in (None, ")", "OR", "AND"):
                raise QueryError("NOT needs a word after it, as in NOT missile")
            self._deeper()
            node = Node("not", (self._unary(),))
            self.depth -= 1
            return node
        return self._atom()

    def _atom(self) -> Node | Leaf:
        kind, value, start, end = self.tokens[self.at]
        self.at += 1
        if kind == "(":
            self._deeper()
            node = self._or()
            if self._peek() != ")":
                raise QueryError("unbalanced parentheses: a '(' is never closed")
            self.at += 1
            self.depth -= 1
            return node
        if kind == ")":
            raise QueryError("unbalanced parentheses: a ')' has no '('")
        if kind == "phrase":
            return _phrase_leaf(value, None, start, end)
        return _term_leaf(value, start, end)


def _phrase_leaf(value: str, field: str | None, start: int, end: int) -> Leaf:
    """A quoted phrase; one with no word in it would match nothing, silently, so say so."""
    if not index_forms(value):
        raise QueryError('empty phrase: put words between the quotes, as in "prime minister"')
    return Leaf("phrase", value, field, start=start, end=end)


def _term_leaf(word: str, start: int, end: int) -> Leaf:
    field = _FIELD.match(word)
    name = None
    if field:
        name = field.group(1).lower()
        name = "text" if name == "body" else name
        if name not in FIELDS:
            raise QueryError(
                f"unknown field '{field.group(1)}:' — use source:, title:, date:, entity: or "
                'text:, or put the words in "quotes"'
            )
        word = word[field.end() :]
        if not word:
            raise QueryError(f"{name}: needs a value right after the colon, as in {name}:word")
    quoted = len(word) >= 2 and word[0] == word[-1] == '"'
    bare = word[1:-1] if quoted else word
    if name == "date":
        return Leaf("date", bare, "date", start=start, end=end)
    if name == "entity":
        return Leaf("entity", bare, "entity", start=start, end=end)
    if name == "source":
        kind = "prefix" if bare.endswith("*") and not quoted else "source"
        return Leaf(kind, bare.rstrip("*") if kind == "prefix" else bare, "source", 1, start, end)
    if quoted:
        return _phrase_leaf(bare, name, start, end)
    if len(bare) > 1 and bare.endswith("*"):
        return Leaf("prefix", bare.rstrip("*"), name, start=start, end=end)
    fuzzy = _FUZZY.fullmatch(bare)
    if fuzzy:
        distance = min(int(fuzzy.group(2) or 1), 2)
        return Leaf("fuzzy", fuzzy.group(1), name, max(distance, 1), start, end)
    return Leaf("word", bare, name, start=start, end=end)


def parse(text: str) -> Node | Leaf:
    """The syntax tree of a query; QueryError with one line when it is malformed."""
    return _Parser(text).parse()


def leaves(node: Node | Leaf, positive: bool = True) -> Iterator[tuple[Leaf, bool]]:
    """Every leaf with whether it counts for the query (not under a NOT)."""
    if isinstance(node, Leaf):
        yield node, positive
        return
    for child in node.children:
        yield from leaves(child, positive and node.op != "not")


@dataclass(frozen=True)
class ParsedQuery:
    """A query and its syntax tree, parsed once and handed to every stage that reads it (the
    index, the spelling suggestion, the entity hints)."""

    text: str
    tree: Node | Leaf

    def free_words(self) -> list[str]:
        """The words and phrases searched in title and body (not under a NOT, no field): what
        a name the user typed looks like, for entity hints."""
        return [
            leaf.text
            for leaf, positive in leaves(self.tree)
            if positive and leaf.kind in ("word", "phrase") and leaf.field is None
        ]


def parse_query(text: str) -> ParsedQuery:
    """text parsed; QueryError with one line when it is malformed."""
    return ParsedQuery(text, parse(text))
