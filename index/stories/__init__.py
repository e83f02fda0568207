"""Story grouping: articles about one event form a story, found incrementally as they arrive.

Pure Python, no SQLite and no Textual: `StoryGrouper` holds the whole incremental state and
turns it into plain dicts and lists (`to_dict` / `from_dict`) so the library can persist it
beside the record and load it again.

How an article finds its story (average-link clustering computed from story centroids):

- Each article becomes one sparse unit vector of three blocks: the words of its text (TF-IDF,
  stemmed, stopwords dropped, years kept), its resolved entities (entity ids weighted by IDF,
  so a name met in every story counts little and a named victim a lot), and its title words
  (headlines name the event). The blocks are normalised separately and weighted, so a short
  text with many entities does not drown the words, nor a long one the entities.
- A story keeps the sum of its articles' vectors. The mean similarity between the articles of
  two stories (average link) is the dot product of their sums over the product of their
  sizes, so it costs one sparse dot product, never a comparison of every pair of articles.
- Each new article starts as a story of its own; within one `add` batch the most similar pair
  (a new story with a new or an old one) is merged first, while that mean similarity reaches
  one threshold. Candidates come from an inverted index over each article's top features, so
  a story is compared with a few dozen others: the cost per article is bounded by the posting
  lists of its top features, not by the size of the library.
- Dates, where an article carries one (a `published` field, a date line near the top of its
  text, or a date in its URL), scale the similarity down once two stories lie more than a
  month apart (halving every 90 days beyond that): two earthquakes of one kind years apart are
  two stories however alike their words. A missing date is neutral.
- Old stories (those that existed before the batch) never seek a merge, so two of them are
  never joined, and no article already grouped ever moves: adding articles does not reshuffle
  stories the new articles do not touch.

The source of an article is shown (a story's sources) but never used to group: in a real
library the outlet says nothing about the event, and in ECB+ it would give the answer away.

User decisions (`move`, `split`, `merge`) change the state at once and are appended to a
decision log kept in the state; later additions respect them because nothing ever moves an
article already grouped and old stories are never merged automatically.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from whoosh.lang.porter import stem

STATE_VERSION = 1

# The similarity an article (or a new story) needs to join a story. One value for every
# corpus: the bench reports how B³ F1 moves ±20% around it.
DEFAULT_THRESHOLD = 0.2

_TEXT_WEIGHT = 1.0
_ENTITY_WEIGHT = 1.0
_TITLE_WEIGHT = 0.6
_TOP_TERMS = 120  # words kept per article vector: the tail adds little but bytes and time
_INDEX_KEYS = 12  # an article's top features that index its story for candidate look-up
_CANDIDATES = 20  # stories compared exactly per new story (10 and 40 score the same on ECB+)
_POSTING_SCAN = 300  # stories looked at per key: the most recently grown, so cost stays flat
_DATE_SLACK_DAYS = 30  # a story runs for weeks; past a month apart, dates start to count
_DATE_HALF_LIFE_DAYS = 90.0

_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told tell according also one two three new year years
    would could may might must us mr mrs ms dr st day days time week weeks month months last
    first next like get got make made many much well back even still way since around among
    however including yesterday today tomorrow monday tuesday wednesday thursday
    friday saturday sunday am pm et pt edt pdt est gmt updated published posted http https www
    com html htm""",
    )
)


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


@dataclass
class _Member:
    story: str
    vec: dict[str, float]
    day: int | None
    source: str
    grams: list[str]
    names: list[list[str]]  # [entity id, kind, surface]


@dataclass
class _Story:
    id: str
    members: list[str] = field(default_factory=list)
    vec: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    first: int | None = None
    last: int | None = None


def _date_factor(first: int | None, last: int | None, lo: int | None, hi: int | None) -> float:
    """1.0 while two date ranges lie within a month of each other, then halving every 90 days."""
    if first is None or last is None or lo is None or hi is None:
        return 1.0
    gap = max(0, lo - last, first - hi) - _DATE_SLACK_DAYS
    return 1.0 if gap <= 0 else 0.5 ** (gap / _DATE_HALF_LIFE_DAYS)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


def terms(text: str) -> list[str]:
    """Stemmed content words of text: lowercased letters only, stopwords dropped."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]


def title_grams(title: str) -> list[str]:
    """Unstemmed title words and word pairs, the candidates for a story's label."""
    words = [w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS and len(w) > 2]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return sorted(set(words) | set(pairs))


_MONTH_NAMES = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MON = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+((?:19|20)\d\d)\b"), "dmy"),
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)\b"), "mdy_num"),
)
_URL_DATE = re.compile(
    rf"/((?:19|20)\d\d)/(\d\d?|{_MON})/(\d\d?)(?:/|$)|/((?:19|20)\d\d)-?(\d\d)-?(\d\d)/"
)


def _day(year: int, month: int, dom: int) -> int | None:
    try:
        return date(year, month, dom).toordinal()
    except ValueError:
        return None


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _MONTH_NAMES.get(token[:3], 0)


def article_day(article: StoryArticle) -> int | None:
    """The article's date as a day number: published, else a short date line in the first
    five lines of its text (a dateline, "Posted May 3, 2013 | 8: 20 am"), else a URL date.

    Only short lines near the top count: dates in the body are about other events (a previous
    stay in rehab, the last earthquake).
    """
    if article.published:
        iso = article.published[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
            day = _day(int(iso[:4]), int(iso[5:7]), int(iso[8:10]))
            if day is not None:
                return day
    for line in article.text.split("\n", 6)[:6]:
        line = line.strip().lower()
        if not line or len(line) > 80:
            continue
        for pattern, order in _DATE_PATTERNS:
            match = pattern.search(line)
            if not match:
                continue
            a, b, c = match.groups()
            if order == "mdy":
                day = _day(int(c), _month(a), int(b))
            elif order == "dmy":
                day = _day(int(c), _month(b), int(a))
            elif order == "ymd":
                day = _day(int(a), int(b), int(c))
            else:
                day = _day(int(c), int(a), int(b))
            if day is not None:
                return day
    match = _URL_DATE.search(article.url.lower()) if article.url else None
    if match:
        g = match.groups()
        year, month, dom = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
        return _day(int(year), _month(month), int(dom))
    return None


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


class StoryGrouper:
    """Incremental story grouping with user decisions; all state is plain data (see to_dict)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._docs = 0
        self._df: Counter[str] = Counter()
        self._members: dict[str, _Member] = {}
        self._stories: dict[str, _Story] = {}
        self._postings: dict[str, Counter[str]] = {}
        self._redirects: dict[str, str] = {}
        self._next = 1
        self._decisions: list[dict[str, Any]] = []

    # -- reading --------------------------------------------------------------------------

    def story_of(self, article: str) -> str | None:
        """The id of the story holding article, or None when the article is unknown."""
        member = self._members.get(article)
        return member.story if member else None

    def resolve(self, story: str) -> str:
        """The live id for a story id, following merges (a merged-away id keeps working)."""
        seen = set()
        while story in self._redirects and story not in seen:
            seen.add(story)
            story = self._redirects[story]
        return story

    def story(self, story_id: str) -> Story:
        live = self._stories.get(self.resolve(story_id))
        if live is None:
            raise GroupingError(f"no story {story_id}")
        sources = Counter(self._members[a].source for a in live.members)
        return Story(
            id=live.id,
            label=self.label(live.id),
            articles=tuple(live.members),
            first=_iso(live.first),
            last=_iso(live.last),
            sources=tuple(s for s, _ in sources.most_common() if s),
        )

    def stories(self) -> list[Story]:
        """Every story, the largest first (ties: the oldest first)."""
        ordered = sorted(self._stories.values(), key=lambda s: (-len(s.members), _seq(s.id)))
        return [self.story(s.id) for s in ordered]

    @property
    def decisions(self) -> list[dict[str, Any]]:
        return [dict(d) for d in self._decisions]

    def label(self, story_id: str) -> str:
        """Key entities and title terms, e.g. "Kadhimi · drone attack · Baghdad".

        The most weighty person or organisation, the most repeated title phrase (a pair of
        words beats a single one when as many headlines use it), and the most weighty place.
        """
        live = self._stories[self.resolve(story_id)]
        surfaces: dict[str, Counter[str]] = {}
        kinds: dict[str, str] = {}
        grams: Counter[str] = Counter()
        for article in live.members:
            member = self._members[article]
            grams.update(member.grams)
            for eid, kind, surface in member.names:
                surfaces.setdefault(eid, Counter())[surface] += 1
                kinds[eid] = kind
        weight = {eid: live.vec.get("e:" + eid, 0.0) for eid in surfaces}

        def best(wanted: tuple[str, ...]) -> str | None:
            pool = [e for e in weight if kinds[e] in wanted]
            if not pool:
                return None
            eid = max(pool, key=lambda e: (weight[e], e))
            return min(surfaces[eid].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]

        who = best(("PERSON", "ORG", "NORP", "FAC"))
        where = best(("GPE", "LOC"))
        taken = {w for name in (who, where) if name for w in name.lower().split()}
        phrase = None
        ranked = sorted(
            (g for g in grams if not taken & set(g.split())),
            key=lambda g: (-(grams[g] + (0.5 if " " in g else 0.0)), g),
        )
        if ranked:
            phrase = ranked[0]
        parts = [p for p in (who, phrase, where) if p]
        if len(parts) < 2:
            parts += [g for g in ranked[1:3] if g not in parts and not set(g.split()) & taken]
        return " · ".join(parts[:3]) if parts else "(untitled)"

    # -- adding ---------------------------------------------------------------------------

    def add(self, articles: Iterable[StoryArticle]) -> dict[str, str]:
        """Group new articles; returns {article id: story id} for every article given.

        Articles already grouped keep their story (re-adding is a no-op for them), so the
        library can re-run an interrupted batch without doubling anything.
        """
        given: list[str] = []
        batch: dict[str, StoryArticle] = {}
        for article in articles:
            given.append(article.id)
            if article.id not in self._members and article.id not in batch:
                batch[article.id] = article
        bags = {aid: self._bags(a) for aid, a in batch.items()}
        for text_bag, entity_bag, title_bag in bags.values():
            self._df.update(set(text_bag) | set(entity_bag) | set(title_bag))
        self._docs += len(batch)
        # Dated articles in date order, undated after them: a story grows the way it happened.
        days = {aid: article_day(a) for aid, a in batch.items()}
        order = sorted(batch, key=lambda aid: (days[aid] is None, days[aid] or 0))
        fresh: list[str] = []
        for aid in order:
            article = batch[aid]
            sid = self._new_story()
            fresh.append(sid)
            self._members[aid] = _Member(
                story=sid,
                vec=self._vector(*bags[aid]),
                day=days[aid],
                source=article.source,
                grams=title_grams(article.title),
                names=_names(article.entities),
            )
            self._attach(aid, sid)
        self._agglomerate(fresh)
        return {aid: self._members[aid].story for aid in given}

    def _bags(self, a: StoryArticle) -> tuple[Counter[str], Counter[str], Counter[str]]:
        text_bag = Counter("w:" + t for t in terms(a.text))
        text_bag.update("w:" + y for y in _YEAR.findall(a.text))  # a year dates an event too
        entity_bag = Counter("e:" + e.id for e in a.entities if e.id)
        title_bag = Counter("t:" + t for t in terms(a.title))
        return text_bag, entity_bag, title_bag

    def _vector(self, *bags: Counter[str]) -> dict[str, float]:
        """One unit vector of the three weighted, separately normalised TF-IDF blocks."""
        n = self._docs
        out: dict[str, float] = {}
        total = 0.0
        for bag, weight, cap in zip(
            bags, (_TEXT_WEIGHT, _ENTITY_WEIGHT, _TITLE_WEIGHT), (_TOP_TERMS, 60, 30), strict=True
        ):
            block = {
                k: (1.0 + math.log(tf)) * (math.log((n + 1) / (self._df[k] + 1)) + 1.0)
                for k, tf in bag.items()
            }
            if len(block) > cap:
                block = dict(heapq.nlargest(cap, block.items(), key=lambda kv: (kv[1], kv[0])))
            norm = math.sqrt(sum(w * w for w in block.values()))
            if not norm:
                continue
            total += weight * weight
            out.update((k, weight * w / norm) for k, w in block.items())
        scale = math.sqrt(total)
        return {k: w / scale for k, w in out.items()} if scale else out

    def _keys(self, vec: Mapping[str, float]) -> list[str]:
        top = heapq.nlargest(_INDEX_KEYS, vec.items(), key=lambda kv: (kv[1], kv[0]))
        return [k for k, _ in top]

    def _candidates(self, vec: Mapping[str, float]) -> list[str]:
        hits: Counter[str] = Counter()
        for key in self._keys(vec):
            weight = vec[key]
            posting = self._postings.get(key)
            if posting:
                for story in itertools.islice(reversed(posting), _POSTING_SCAN):
                    hits[story] += weight
        return [s for s, _ in hits.most_common(_CANDIDATES)]

    def _best(self, sid: str) -> tuple[str | None, float]:
        """The story most similar to story sid by average link, and that similarity."""
        story = self._stories[sid]
        size = len(story.members)
        best: str | None = None
        score = 0.0
        for other in self._candidates(story.vec):
            if other == sid:
                continue
            them = self._stories[other]
            small, large = (
                (story.vec, them.vec) if len(story.vec) <= len(them.vec) else (them.vec, story.vec)
            )
            dot = sum(small[k] * large[k] for k in small.keys() & large.keys())
            sim = dot / (size * len(them.members))
            sim *= _date_factor(them.first, them.last, story.first, story.last)
            if sim > score or (sim == score and best is not None and _seq(other) < _seq(best)):
                best, score = other, sim
        return best, score

    def _new_story(self) -> str:
        sid = f"s{self._next}"
        self._next += 1
        self._stories[sid] = _Story(sid)
        return sid

    def _attach(self, aid: str, sid: str) -> None:
        member = self._members[aid]
        story = self._stories[sid]
        member.story = sid
        story.members.append(aid)
        for k, w in member.vec.items():
            old = story.vec.get(k, 0.0)
            story.vec[k] = old + w
            story.norm2 += (old + w) ** 2 - old * old
        for key in self._keys(member.vec):
            posting = self._postings.setdefault(key, Counter())
            posting[sid] = posting.pop(sid, 0) + 1  # to the end: the most recently grown
        self._redate(story, member.day)

    def _detach(self, aid: str) -> None:
        member = self._members[aid]
        story = self._stories[member.story]
        story.members.remove(aid)
        for k, w in member.vec.items():
            old = story.vec.get(k, 0.0)
            left = old - w
            if left > 1e-9:
                story.vec[k] = left
            else:
                story.vec.pop(k, None)
                left = 0.0
            story.norm2 += left * left - old * old
        if not story.members or story.norm2 < 0.0:
            story.norm2 = sum(w * w for w in story.vec.values())
        for key in self._keys(member.vec):
            posting = self._postings.get(key)
            if posting is not None:
                posting[story.id] -= 1
                if posting[story.id] <= 0:
                    del posting[story.id]
                if not posting:
                    del self._postings[key]
        story.first = story.last = None
        for other in story.members:
            self._redate(story, self._members[other].day)

    @staticmethod
    def _redate(story: _Story, day: int | None) -> None:
        if day is None:
            return
        story.first = day if story.first is None else min(story.first, day)
        story.last = day if story.last is None else max(story.last, day)

    def _agglomerate(self, fresh: list[str]) -> None:
        """Average-link clustering of this batch's one-article stories, best pair first.

        A fresh story merges with its most similar story, fresh or old, while the average
        similarity between their articles reaches the threshold. Average link is computed
        from centroids (the mean pairwise dot product of two sets of unit vectors is the dot
        product of their sums over the product of their sizes), so no pair of articles is ever
        compared. Old stories never seek a merge, so two of them are never joined.
        """
        seeking = set(fresh)
        version: Counter[str] = Counter()
        heap: list[tuple[float, int, str, str, int, int]] = []

        def push(sid: str) -> None:
            best, score = self._best(sid)
            if best is not None and score >= self.threshold:
                entry = (-score, _seq(sid), sid, best, version[sid], version[best])
                heapq.heappush(heap, entry)

        for sid in fresh:
            push(sid)
        while heap:
            _, _, sid, other, v_sid, v_other = heapq.heappop(heap)
            if sid not in seeking or v_sid != version[sid]:
                continue  # sid was merged away or has a newer entry
            if other not in self._stories or v_other != version[other]:
                push(sid)  # its best match changed: look again
                continue
            keep, gone = (other, sid) if _seq(other) < _seq(sid) else (sid, other)
            self._absorb(keep, gone, redirect=gone not in seeking)
            seeking.discard(gone)
            version[keep] += 1
            if keep in seeking:
                push(keep)

    def _absorb(self, keep: str, gone: str, redirect: bool = True) -> None:
        for aid in list(self._stories[gone].members):
            self._detach(aid)
            self._attach(aid, keep)
        del self._stories[gone]
        if redirect:  # a story nobody saw (made and merged in one batch) needs none
            self._redirects[gone] = keep

    # -- decisions ------------------------------------------------------------------------

    def move(self, article: str, story: str) -> None:
        """Put article into story (the user's decision); its old story keeps the rest."""
        if article not in self._members:
            raise GroupingError(f"no article {article}")
        target = self.resolve(story)
        if target not in self._stories:
            raise GroupingError(f"no story {story}")
        source = self._members[article].story
        if source == target:
            return
        self._detach(article)
        self._attach(article, target)
        self._drop_if_empty(source, target)
        self._decisions.append({"op": "move", "article": article, "story": target})

    def split(self, story: str, articles: Sequence[str]) -> str:
        """Take articles out of story into a new story; returns the new story's id.

        The old id stays with the articles left behind, so references to the story keep
        pointing at most of it.
        """
        sid = self.resolve(story)
        if sid not in self._stories:
            raise GroupingError(f"no story {story}")
        members = set(self._stories[sid].members)
        moving = list(dict.fromkeys(articles))
        if not moving or any(a not in members for a in moving):
            raise GroupingError(f"split: every article must belong to story {sid}")
        if len(moving) == len(members):
            raise GroupingError(f"split: story {sid} would be left empty")
        new = self._new_story()
        for aid in moving:
            self._detach(aid)
            self._attach(aid, new)
        self._decisions.append({"op": "split", "story": sid, "articles": moving, "new": new})
        return new

    def merge(self, a: str, b: str) -> str:
        """Make two stories one; the older id stays and the other redirects to it."""
        first, second = self.resolve(a), self.resolve(b)
        for sid, given in ((first, a), (second, b)):
            if sid not in self._stories:
                raise GroupingError(f"no story {given}")
        if first == second:
            return first
        keep, gone = (first, second) if _seq(first) < _seq(second) else (second, first)
        self._absorb(keep, gone)
        self._decisions.append({"op": "merge", "stories": [keep, gone], "story": keep})
        return keep

    def _drop_if_empty(self, sid: str, into: str) -> None:
        if not self._stories[sid].members:
            del self._stories[sid]
            self._redirects[sid] = into

    # -- persistence ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The whole state as JSON-ready dicts and lists; from_dict(to_dict()) is identical."""
        return {
            "version": STATE_VERSION,
            "threshold": self.threshold,
            "docs": self._docs,
            "df": dict(self._df),
            "next": self._next,
            "redirects": dict(self._redirects),
            "decisions": self.decisions,
            "stories": {
                s.id: list(s.members)
                for s in sorted(self._stories.values(), key=lambda s: _seq(s.id))
            },
            "articles": {
                aid: {
                    "vec": m.vec,
                    "day": m.day,
                    "source": m.source,
                    "grams": m.grams,
                    "names": m.names,
                }
                for aid, m in self._members.items()
            },
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> StoryGrouper:
        """Rebuild a grouper from to_dict's output; a damaged or newer state is refused."""
        try:
            version = state["version"]
            if version != STATE_VERSION:
                raise GroupingError(f"story state version {version} is not {STATE_VERSION}")
            grouper = cls(threshold=float(state["threshold"]))
            grouper._docs = int(state["docs"])
            grouper._df = Counter({str(k): int(v) for k, v in state["df"].items()})
            grouper._next = int(state["next"])
            grouper._redirects = {str(k): str(v) for k, v in state["redirects"].items()}
            grouper._decisions = [dict(d) for d in state["decisions"]]
            articles = state["articles"]
            for sid, members in state["stories"].items():
                grouper._stories[str(sid)] = _Story(str(sid))
                for aid in members:
                    if aid in grouper._members:
                        raise GroupingError(f"article {aid} is in two stories")
                    m = articles[aid]
                    grouper._members[aid] = _Member(
                        story=str(sid),
                        vec={str(k): float(v) for k, v in m["vec"].items()},
                        day=None if m["day"] is None else int(m["day"]),
                        source=str(m["source"]),
                        grams=[str(g) for g in m["grams"]],
                        names=[[str(x) for x in n] for n in m["names"]],
                    )
                    grouper._attach(aid, str(sid))
                if not members:
                    raise GroupingError(f"story {sid} has no articles")
            if len(grouper._members) != len(articles):
                raise GroupingError("story state lists articles that are in no story")
        except GroupingError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise GroupingError(f"damaged story state: {type(error).__name__}: {error}") from None
        return grouper


def _seq(story_id: str) -> int:
    return int(story_id[1:]) if story_id[1:].isdigit() else 0


def _names(entities: Sequence[EntityRef]) -> list[list[str]]:
    """One [id, kind, surface] per distinct entity and surface of an article."""
    seen: dict[tuple[str, str], list[str]] = {}
    for e in entities:
        if e.id and (e.id, e.text) not in seen:
            seen[(e.id, e.text)] = [e.id, e.kind, e.text]
    return list(seen.values())


__all__ = [
    "DEFAULT_THRESHOLD",
    "EntityRef",
    "GroupingError",
    "Story",
    "StoryArticle",
    "StoryGrouper",
    "article_day",
    "terms",
    "title_grams",
]
