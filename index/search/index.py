"""The full-text search layer: a Whoosh index derived from SQLite, and crosswire's query language.

SQLite is the record; this index can always be rebuilt from it, so anything that looks wrong on
open is reported as IndexDamaged and the Library rebuilds. Queries are parsed here, not by
Whoosh's parser, because users need errors instead of silently empty results (unbalanced quotes,
bad dates), exclusive `date:>`, fuzzy and prefix terms that work on a stemmed field, and
entity: terms that expand to every name of an entity.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from crosswire.index.model import CrosswireError, QueryError, SearchHit, SearchResults
from whoosh import collectors, index, query
from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.reading import ReaderClosed
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.writing import CLEAR, LockError

SCHEMA_VERSION = 2  # 2: every outlet of an article in `source`
MARKER = "crosswire-search.json"
FIELDS = ("source", "title", "date", "entity", "text")
SNIPPET_WIDTH = 200
MAX_EXPANSIONS = 256  # prefix/fuzzy words kept per query term, most frequent first
FACET_CAP = 50  # sources listed in source_counts
# Limits on a query no person types, so that any string gets an answer or one clear error in
# bounded time (a paste of a whole page, a script's runaway loop). README's Query syntax says so.
MAX_TERMS = 1000  # words, phrase words, fields and wildcards in one query
MAX_DEPTH = 50  # parentheses and NOTs nested inside each other
MAX_WORD = 200  # characters in one word (or one entity:/source:/date: value)
MAX_EXPANDED = 1024  # prefix/fuzzy forms over the whole query (each term keeps at least one)

# No stop list: "the" must be searchable and phrases must keep every word. minsize=1 keeps "U"
# of "U S" and digits like "8".
BODY_ANALYZER = StemmingAnalyzer(stoplist=None, minsize=1)


class IndexDamaged(CrosswireError):
    """The index files exist but cannot be read; the Library rebuilds the index from SQLite."""


@dataclass(frozen=True)
class IndexDoc:
    """One article as the index sees it; entities are entity keys for `entity:` queries."""

    id: str
    ref: str
    source: str
    title: str
    text: str
    published: str | None
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # every outlet that carried the text; () means (source,)


def make_schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        ref=STORED(),
        # Every outlet that carried the article, so `source:` finds it under each.
        source=KEYWORD(lowercase=True, commas=True, scorable=False),
        source_name=STORED(),
        source_names=STORED(),
        title=TEXT(analyzer=BODY_ANALYZER, stored=True, field_boost=2.0, spelling=True),
        body=TEXT(analyzer=BODY_ANALYZER, phrase=True, chars=True, spelling=True),
        # Undated articles get 0 in the sort column (Whoosh's default is the maximum), so a
        # newest-first sort lists them last.
        published=DATETIME(stored=True, sortable=NumericColumn("q", default=0)),
        published_text=STORED(),
        entities=KEYWORD(lowercase=True, commas=True, scorable=False),
    )


def _schema_signature(schema: Schema) -> list[list[str]]:
    return sorted([name, type(schema[name]).__name__] for name in schema.names())


# --- dates -------------------------------------------------------------------------------------

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_published(value: str | None) -> datetime | None:
    """An article's ISO 8601 date as naive UTC, or None when it has none we can read."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        match = _PERIOD.fullmatch(value.strip())
        if not match:
            return None
        try:
            return period(value.strip(), value.strip())[0]
        except QueryError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def period(value: str, where: str) -> tuple[datetime, datetime]:
    """[start, end) of YYYY, YYYY-MM or YYYY-MM-DD; where is the query text for the error."""
    bad = QueryError(f"bad date '{value}' in {where} — use YYYY, YYYY-MM or YYYY-MM-DD")
    match = _PERIOD.fullmatch(value)
    if not match:
        raise bad
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return datetime(year, 1, 1), datetime(year + 1, 1, 1)
        if day is None:
            start = datetime(year, month, 1)
            return start, (start + timedelta(days=32)).replace(day=1)
        start = datetime(year, month, day)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):
        raise bad from None


_RANGE = re.compile(r"([\[{])\s*(\S*?)\s*\bTO\b\s*(\S*?)\s*([\]}])")
_COMPARE = re.compile(r"(>=|<=|>|<)(.*)")


def date_bounds(value: str) -> tuple[datetime | None, datetime | None]:
    """The [start, end) a date: value covers. `>` is exclusive: >2020-05-01 starts on the 2nd."""
    where = f"date:{value}"
    if not value:
        raise QueryError("date: needs a date — use YYYY, YYYY-MM or YYYY-MM-DD")
    ranged = _RANGE.fullmatch(value)
    if ranged:
        opening, low, high, closing = ranged.groups()
        start = end = None
        if low:
            low_start, low_end = period(low, where)
            start = low_end if opening == "{" else low_start
        if high:
            high_start, high_end = period(high, where)
            end = high_start if closing == "}" else high_end
        if start is None and end is None:
            raise QueryError(f"{where} needs at least one date")
        return start, end
    compared = _COMPARE.fullmatch(value)
    if compared:
        operator, day = compared.groups()
        start, end = period(day.strip(), where)
        return {
            ">": (end, None),
            ">=": (start, None),
            "<": (None, start),
            "<=": (None, end),
        }[operator]
    if value[0] in "[{":
        raise QueryError(f"bad date range in {where} — write date:[2020-01 TO 2020-06]")
    return period(value, where)


# --- query language ----------------------------------------------------------------------------


class OutOfTime(Exception):
    """A stage of a search ran past its deadline; the search reports what it has as partial."""


class Deadline:
    """The moment a search must be done by, shared by parsing, building, expansion, collection,
    suggestions and hints, so the limit holds for the whole search and not for one stage."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def check(self) -> None:
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
                close = re.compile(r"[\]}]").search(text, field.end())
                if not close:
                    raise QueryError(f"unbalanced brackets in {text[start:].split()[0]}")
                i = close.end()
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


def tokens_end_word(tokens: list, position: int) -> bool:
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
        parts = []
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


# --- analysis, highlighting and snippets (pure) ------------------------------------------------


@lru_cache(maxsize=65536)
def index_forms(text: str) -> tuple[str, ...]:
    """The indexed forms (lowercased, stemmed) of some text, as the body field stores them."""
    return tuple(token.text for token in BODY_ANALYZER(text))


def hit_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """[start, end) of every token of text whose indexed form is one of terms."""
    if not terms:
        return []
    return [
        (token.startchar, token.endchar)
        for token in BODY_ANALYZER(text, chars=True)
        if token.text in terms
    ]


def make_snippet(
    text: str,
    spans: list[tuple[int, int]],
    width: int = SNIPPET_WIDTH,
    fragments: int = 2,
) -> tuple[str, list[tuple[int, int]]]:
    """Up to `fragments` windows of about `width` chars holding the most hits, as plain text.

    Returns the snippet and the [start, end) of the hits within it, so a UI can mark them
    without any markup in the text.
    """
    if not spans:
        return _render(text, [_snap(text, 0, width, [])], [])
    ends = [end for _, end in spans]
    taken: list[tuple[int, int]] = []
    for _ in range(fragments):
        best: tuple[int, int, int] | None = None
        for number, (start, _) in enumerate(spans):
            low = max(0, start - width // 4)
            high = low + width
            if any(low < t_high and t_low < high for t_low, t_high in taken):
                continue
            count = bisect.bisect_right(ends, high) - number
            if best is None or count > best[0]:
                best = (count, low, high)
        if best is None:
            break
        taken.append((best[1], best[2]))
    windows: list[tuple[int, int]] = []
    for low, high in sorted(_snap(text, low, high, spans) for low, high in taken):
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
        else:
            windows.append((low, high))
    return _render(text, windows, spans)


_SPACE = re.compile(r"\s")


def _snap(text: str, low: int, high: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Move window edges to word boundaries, never cutting a hit in two."""
    high = min(high, len(text))
    if low > 0:
        space = _SPACE.search(text, low, min(low + 30, high))
        if space and not any(low <= start < space.end() for start, _ in spans):
            low = space.end()
    if high < len(text):
        cut = max(text.rfind(" ", low, high), text.rfind("\n", low, high))
        if cut > low and high - cut < 30 and not any(cut < end <= high for _, end in spans):
            high = cut
    for start, end in spans:
        if start < low < end:
            low = start
        if start < high < end:
            high = end
    while low < high and text[low].isspace():
        low += 1
    while high > low and text[high - 1].isspace():
        high -= 1
    return low, high


def _squash(fragment: str) -> tuple[str, list[int]]:
    """Whitespace runs folded to one space, and where each original offset lands."""
    out: list[str] = []
    where: list[int] = []
    for char in fragment:
        where.append(len(out))
        if not char.isspace():
            out.append(char)
        elif not out or out[-1] != " ":
            out.append(" ")
    where.append(len(out))
    return "".join(out), where


def _render(
    text: str, windows: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """Join windows with ellipses and map the hits inside them to offsets in the snippet."""
    snippet = ""
    inside: list[tuple[int, int]] = []
    for low, high in windows:
        if low > 0 or snippet:
            snippet += " … " if snippet else "… "
        piece, where = _squash(text[low:high])
        base = len(snippet)
        inside += [
            (base + where[start - low], base + where[end - low])
            for start, end in spans
            if low <= start and end <= high
        ]
        snippet += piece
    if windows and windows[-1][1] < len(text.rstrip()):
        snippet += " …"
    return snippet, inside


# --- the index ---------------------------------------------------------------------------------


class SearchIndex:
    """The derived Whoosh index: write, delete, and search with crosswire's query language.

    One searcher is shared and refreshed when another process commits; a lock makes it safe for
    the reader's worker thread and UI thread to search at the same time.
    """

    def __init__(self, directory: Path, *, time_limit: float = 3.0) -> None:
        self.directory = Path(directory)
        self.time_limit = time_limit
        self._lock = threading.RLock()
        self._ix = self._open()
        self._searcher = None
        self._sources: tuple[int, dict[int, list[int]], list[str]] | None = None
        self._open_searcher()

    def _open(self) -> index.Index:
        marker = self.directory / MARKER
        has_toc = self.directory.is_dir() and any(self.directory.glob("_MAIN_*.toc"))
        if not marker.exists():
            if has_toc:
                # Opening unpickles the schema: never open an index directory we did not write.
                raise IndexDamaged(f"{self.directory} holds an index crosswire did not write")
            self.directory.mkdir(parents=True, exist_ok=True)
            ix = index.create_in(str(self.directory), make_schema())
            marker.write_text(json.dumps({"version": SCHEMA_VERSION}))
            return ix
        try:
            version = json.loads(marker.read_text()).get("version")
        except (OSError, ValueError, AttributeError) as err:
            raise IndexDamaged(f"unreadable index marker {marker}: {err}") from err
        if version != SCHEMA_VERSION:
            raise IndexDamaged(
                f"index at {self.directory} has schema version {version}, this crosswire "
                f"writes {SCHEMA_VERSION}"
            )
        if not has_toc:
            raise IndexDamaged(f"index files missing in {self.directory}")
        for attempt in (1, 2):
            try:
                ix = index.open_dir(str(self.directory))
                if _schema_signature(ix.schema) != _schema_signature(make_schema()):
                    raise IndexDamaged(f"index at {self.directory} has a different schema")
                _check_readable(ix)
                return ix
            except IndexDamaged:
                raise
            except Exception as err:  # any failure to read the files means: rebuild from SQLite
                if attempt == 2:
                    raise IndexDamaged(f"index at {self.directory} cannot be read: {err}") from err
                # Another process's commit may have just merged segments away: look once more
                # before calling a good index damaged (a rebuild costs the whole library).
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def _reopen(self) -> None:
        try:
            self._ix = index.open_dir(str(self.directory))
        except Exception as err:  # whatever the files hold, the answer is a rebuild
            raise IndexDamaged(f"index at {self.directory} cannot be read: {err}") from err
        self._open_searcher()

    def _open_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._ix.searcher()
        self._sources = None

    # writing

    def _writer(self, timeout: float = 60.0):
        try:
            return self._ix.writer(timeout=timeout)
        except LockError as err:
            raise CrosswireError(
                f"the search index in {self.directory} is busy: another crosswire is writing"
            ) from err

    def write(
        self,
        docs: Iterable[IndexDoc],
        *,
        batch_size: int = 500,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Add or replace docs by id, committing each batch so an interruption loses one batch."""
        done = 0
        pending = 0
        writer = None
        try:
            for doc in docs:
                if writer is None:
                    writer = self._writer()
                writer.update_document(**document_fields(doc))
                pending += 1
                if pending >= batch_size:
                    writer.commit()
                    writer, done, pending = None, done + pending, 0
                    if on_batch:
                        on_batch(done)
        except BaseException:
            # Whatever failed (a document, the reader feeding docs, an interrupt), let go of
            # Whoosh's write lock now: a traceback kept alive would hold it and make the next
            # write report a busy index that nobody is writing.
            if writer is not None:
                writer.cancel()
            raise
        if writer is not None:
            writer.commit()
            done += pending
            if on_batch:
                on_batch(done)
        self.refresh()
        return done

    def delete(self, ids: Iterable[str]) -> None:
        writer = self._writer()
        for doc_id in ids:
            writer.delete_by_term("id", doc_id)
        writer.commit()
        self.refresh()

    def clear(self) -> None:
        writer = self._writer()
        writer.commit(mergetype=CLEAR)
        self.refresh()

    # reading

    def doc_count(self) -> int:
        with self._lock:
            self._refresh_if_stale()
            return self._searcher.doc_count()

    def refresh(self) -> None:
        """Pick up commits made since the searcher opened (by this or another process)."""
        with self._lock:
            if self._searcher.up_to_date():
                return
            # Not Searcher.refresh(): it reuses segment readers whose deletions are stale (an
            # updated document would show twice) and fails on an empty index.
            self._open_searcher()

    def _refresh_if_stale(self) -> None:
        if not self._searcher.up_to_date():
            self.refresh()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix.close()

    def search(
        self,
        query_text: str,
        *,
        fetch_text: Callable[[list[str]], dict[str, str]],
        limit: int = 20,
        sort: str = "relevance",
        source: str | None = None,
        expand_entity: Callable[[str], list[str] | None] | None = None,
        deadline: Deadline | None = None,
    ) -> SearchResults:
        """Run a query; hits carry snippets and every hit's offsets in the article text.

        The whole search keeps to `deadline` (time_limit from now by default): one that runs
        out returns what it found so far, marked partial, its counts a lower bound."""
        deadline = deadline or Deadline(self.time_limit)
        if sort not in ("relevance", "date"):
            raise QueryError(f"unknown sort '{sort}' — use relevance or date")
        if limit < 1:
            raise QueryError(f"the limit must be 1 or more, not {limit}")
        tree = parse(query_text)
        with self._lock:
            for attempt in (1, 2):
                try:
                    self._refresh_if_stale()
                    return self._search(
                        query_text, tree, fetch_text, limit, sort, source, expand_entity, deadline
                    )
                except (OSError, EOFError, ValueError, ReaderClosed) as err:
                    if isinstance(err, ValueError) and "closed file" not in str(err):
                        raise
                    # Another process merged segments away under an old searcher: reopen once.
                    if attempt == 2:
                        raise IndexDamaged(f"the search index cannot be read: {err}") from err
                    self._reopen()
        raise AssertionError("unreachable")

    def _search(
        self,
        query_text: str,
        tree: Node | Leaf,
        fetch_text: Callable[[list[str]], dict[str, str]],
        limit: int,
        sort: str,
        source: str | None,
        expand_entity: Callable[[str], list[str] | None] | None,
        deadline: Deadline,
    ) -> SearchResults:
        searcher = self._searcher
        build = _Builder(searcher, expand_entity, deadline)
        try:
            whoosh_query = build.query(tree)
        except OutOfTime:
            return SearchResults(query=query_text, total=0, hits=[], partial=True)
        if not any(positive for _, positive in leaves(tree)):
            whoosh_query = query.And([query.Every(), whoosh_query])
        filtered = whoosh_query
        if source:
            filtered = query.And([whoosh_query, query.Term("source", source_term(source))])

        collector: collectors.Collector = _CountingCollector(limit=limit)
        if sort == "date":
            collector = collectors.SortingCollector([_date_facet()], limit=limit)
        timed = _DeadlineCollector(collector, deadline)
        partial = build.partial
        try:
            searcher.search_with_collector(filtered, timed)
        except collectors.TimeLimit:
            partial = True
        results = collector.results()
        docset = set(collector.docset)
        # With a source filter the per-source counts are over the unfiltered query; a search that
        # ran out of time counts what it collected, which is a lower bound either way.
        counts = self._source_counts(
            searcher, whoosh_query if source and not partial else None, docset
        )
        found = [hit.fields() for hit in results[:limit]]
        texts = fetch_text([fields["id"] for fields in found]) if found else {}
        terms = frozenset(build.highlight_terms)
        hits = []
        for fields, hit in zip(found, results, strict=False):
            text = texts.get(fields["id"], "")
            spans = hit_spans(text, terms)
            snippet, snippet_hits = make_snippet(text, spans)
            hits.append(
                SearchHit(
                    id=fields["id"],
                    ref=fields.get("ref", ""),
                    source=fields.get("source_name", ""),
                    title=fields.get("title", ""),
                    published=fields.get("published_text"),
                    score=float(hit.score) if sort == "relevance" else 0.0,
                    snippet=snippet,
                    hits=spans,
                    snippet_hits=snippet_hits,
                )
            )
        total = len(docset)
        suggestion = None
        if total == 0 and not partial:
            suggestion = self._suggest(query_text, tree, deadline)
        return SearchResults(
            query=query_text,
            total=total,
            hits=hits,
            suggestion=suggestion,
            source_counts=counts,
            partial=partial,
        )

    def _source_counts(self, searcher, unfiltered, docset: set[int]) -> dict[str, int]:
        """Matches per source over the whole result set (before any source filter); an article
        counts under every outlet that carried it."""
        if unfiltered is not None:
            docset = set(searcher.docs_for_query(unfiltered))
        doc_sources, names = self._source_table(searcher)
        tally = Counter(number for docnum in docset for number in doc_sources.get(docnum, ()))
        return {names[key]: count for key, count in tally.most_common(FACET_CAP)}

    def _source_table(self, searcher) -> tuple[dict[int, list[int]], list[str]]:
        """docnum -> source numbers, built once per searcher from the source postings."""
        if self._sources is not None and self._sources[0] == id(searcher):
            return self._sources[1], self._sources[2]
        reader = searcher.reader()
        doc_sources: dict[int, list[int]] = {}
        names: list[str] = []
        for term in reader.lexicon("source"):
            text = term.decode() if isinstance(term, bytes) else term
            first = None
            for docnum in reader.postings("source", term).all_ids():
                doc_sources.setdefault(docnum, []).append(len(names))
                first = docnum if first is None else first
            stored = reader.stored_fields(first).get("source_names") or []
            names.append(next((n for n in stored if source_term(n) == text), text))
        self._sources = (id(searcher), doc_sources, names)
        return doc_sources, names

    def _suggest(self, query_text: str, tree: Node | Leaf, deadline: Deadline) -> str | None:
        """The query with unknown words replaced by the closest indexed word, or None; words
        left when the deadline passes stay as typed."""
        reader = self._searcher.reader()
        corrector = self._searcher.corrector("body")
        changed = query_text
        for leaf, positive in sorted(leaves(tree), key=lambda item: -item[0].start):
            if not positive or leaf.kind != "word" or leaf.field not in (None, "text", "title"):
                continue
            word = leaf.text.lower()
            if deadline.expired():
                break
            if not word.isalpha() or _known(reader, word):
                continue
            fixes = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if fixes:
                prefix = query_text[leaf.start : leaf.end][: -len(leaf.text)]
                changed = changed[: leaf.start] + prefix + fixes[0] + changed[leaf.end :]
        return changed if changed != query_text else None


def _known(reader, word: str) -> bool:
    return any(reader.frequency(field, word) > 0 for field in ("spell_body", "spell_title"))


def _date_facet():
    from whoosh.sorting import FieldFacet

    return FieldFacet("published", reverse=True)


class _CountingCollector(collectors.TopCollector):
    """Top N by score that also sees every match, for an exact total and the source facet.

    Seeing every match gives up Whoosh's block-skipping, which measured cheaper here than
    running the query a second time for the counts. Block quality is off, and so is the other
    shortcut: once N hits are held, Whoosh replaces the matcher with one that drops every
    sub-query (an OR's word, a whole block) that cannot beat the N-th score, and those
    documents were never counted ("police": 5,632 of 48,367). Keeping the bar at 0 keeps every
    match in the count; the replacement still prunes exhausted sub-matchers.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)

    def _collect(self, global_docnum, score):
        self.docset.add(global_docnum)
        kept = super()._collect(global_docnum, score)
        self.minscore = 0
        return kept


class _DeadlineCollector(collectors.WrappingCollector):
    """Stops collecting at the search's deadline (TimeLimit); what was collected so far stays
    in the child. Unlike Whoosh's TimeLimitCollector its clock starts when the search starts,
    not after the query was parsed, built and expanded, and it needs no timer thread."""

    def __init__(self, child: collectors.Collector, deadline: Deadline) -> None:
        self.child = child
        self.deadline = deadline

    def collect_matches(self) -> None:
        child = self.child
        expired = self.deadline.expired
        if expired():
            raise collectors.TimeLimit
        for number, sub_docnum in enumerate(child.matches(), 1):
            child.collect(sub_docnum)
            if number % 256 == 0 and expired():
                raise collectors.TimeLimit


def _check_readable(ix: index.Index) -> None:
    """Touch every segment's postings, lexicon, columns and stored fields so damage shows now."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        count = reader.doc_count_all()
        if count:
            reader.stored_fields(count - 1)
            reader.stored_fields(0)
        for fieldname in ("id", "body", "spell_body"):
            for number, term in enumerate(reader.lexicon(fieldname)):
                list(reader.postings(fieldname, term).all_ids())
                if number > 2:
                    break
        if count and reader.has_column("published"):
            reader.column_reader("published")[count - 1]


def source_term(name: str) -> str:
    """How a source name is indexed and queried: trimmed, lowercase, no commas (the field
    separates outlets with commas)."""
    return " ".join(name.replace(",", " ").split()).lower()


def document_fields(doc: IndexDoc) -> dict:
    """The Whoosh fields of one article (public so the benchmark writes exactly the same)."""
    sources = doc.sources or (doc.source,)
    published = parse_published(doc.published)
    fields = {
        "id": doc.id,
        "ref": doc.ref,
        "source": ",".join(source_term(name) for name in sources),
        "source_name": doc.source,
        "source_names": list(sources),
        "title": doc.title,
        "body": doc.text,
        "published_text": doc.published,
        "entities": ",".join(key.replace(",", " ") for key in doc.entities),
    }
    if published is not None:
        fields["published"] = published
    return fields


def _shape(node: Node | Leaf) -> object:
    """What a subtree means, without where it stands in the query text (start/end)."""
    if isinstance(node, Leaf):
        return (node.kind, node.text, node.field, node.maxdist)
    return (node.op, tuple(_shape(child) for child in node.children))


class _Builder:
    """Turns a syntax tree into a Whoosh query, expanding prefix/fuzzy words on the unstemmed
    spelling fields (fuzzy on stemmed terms finds nothing) and noting the terms to highlight."""

    def __init__(self, searcher, expand_entity, deadline: Deadline | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.expand_entity = expand_entity
        self.deadline = deadline or Deadline(float("inf"))
        self.highlight_terms: set[str] = set()
        self.partial = False
        self.expanded = 0  # prefix/fuzzy forms so far, against MAX_EXPANDED
        self._built: dict[tuple[object, bool], query.Query] = {}

    def query(self, node: Node | Leaf, positive: bool = True) -> query.Query:
        """The Whoosh query of a tree; a repeated subtree (`a* a* a*`) is built once and kept
        once in its AND/OR, so repetition costs neither expansion nor matching time."""
        key = (_shape(node), positive)
        built = self._built.get(key)
        if built is not None:
            return built
        self.deadline.check()
        if isinstance(node, Leaf):
            built = self.leaf(node, positive)
        elif node.op == "not":
            built = query.Not(self.query(node.children[0], False))
        else:
            parts: dict[object, query.Query] = {}
            for child in node.children:
                parts.setdefault(_shape(child), self.query(child, positive))
            kept = list(parts.values())
            if len(kept) == 1:
                built = kept[0]
            else:
                built = query.And(kept) if node.op == "and" else query.Or(kept)
        self._built[key] = built
        return built

    def leaf(self, leaf: Leaf, positive: bool) -> query.Query:
        fields = {None: ("title", "body"), "title": ("title",), "text": ("body",)}.get(
            leaf.field, ()
        )
        if leaf.kind == "date":
            start, end = date_bounds(leaf.text)
            return query.DateRange("published", start, end, endexcl=True)
        if leaf.kind == "entity":
            return self.entity(leaf.text)
        if leaf.kind == "source":
            return query.Term("source", source_term(leaf.text))
        if leaf.kind == "prefix" and leaf.field == "source":
            return query.Prefix("source", source_term(leaf.text))
        if leaf.kind in ("prefix", "fuzzy"):
            forms = self.expand(leaf, fields)
            if positive:
                self.highlight_terms.update(forms)
            return query.Or([query.Term(f, form) for form in forms for f in fields])
        forms = index_forms(leaf.text)
        if not forms:
            return query.NullQuery
        if positive:
            self.highlight_terms.update(forms)
        if len(forms) == 1:
            return query.Or([query.Term(f, forms[0]) for f in fields])
        return query.Or([query.Phrase(f, list(forms)) for f in fields])

    def expand(self, leaf: Leaf, fields: tuple[str, ...]) -> list[str]:
        """Indexed forms of the words a prefix* or fuzzy~ term stands for, most frequent first."""
        word = leaf.text.lower()
        if not word or len(index_forms(word)) != 1:
            raise QueryError(f"{leaf.text}{'*' if leaf.kind == 'prefix' else '~'} must be one word")
        words: set[str] = set()
        for field in fields:
            spell = "spell_" + field
            if leaf.kind == "prefix":
                for number, found in enumerate(self.reader.expand_prefix(spell, word)):
                    if number % 1024 == 0:
                        self.deadline.check()
                    words.add(found)
            else:
                # Whoosh's automaton has no transpositions: search one edit wider, then keep
                # words within the Damerau distance (so dornes~ finds drones). The first letter
                # must match: without that a 35k-word vocabulary took 1.3 s, with it 80 ms.
                wider = self.reader.terms_within(spell, word, leaf.maxdist + 1, prefix=1)
                self.deadline.check()
                for candidate in wider:
                    if damerau_levenshtein(candidate, word) <= leaf.maxdist:
                        words.add(candidate)
        words_text = {w.decode("utf-8") if isinstance(w, bytes) else w for w in words}
        forms: set[str] = set()
        for number, w in enumerate(words_text):
            if number % 256 == 0:
                self.deadline.check()
            forms.update(index_forms(w))
        # Each term keeps its most frequent forms, at most MAX_EXPANSIONS, and the whole query
        # at most MAX_EXPANDED (but at least one a term), so many wildcards stay bounded too.
        keep = max(1, min(MAX_EXPANSIONS, MAX_EXPANDED - self.expanded))
        if len(forms) > keep:
            self.partial = True
            forms = set(sorted(forms, key=lambda f: -self.reader.doc_frequency("body", f))[:keep])
        self.expanded += len(forms)
        return sorted(forms)

    def entity(self, name: str) -> query.Query:
        keys = self.expand_entity(name) if self.expand_entity else [name]
        keys = [key.replace(",", " ").strip().lower() for key in keys or []]
        keys = [key for key in keys if key]
        if not keys:
            return query.NullQuery
        return query.Or([query.Term("entities", key) for key in keys])
