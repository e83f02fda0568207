"""The grouper's state: its articles, its stories as sums of unit vectors, postings, redirects.

Every change of membership (a batch's merges, a user's move, split or merge, loading a saved
state) goes through attach and detach, which keep a story's vector sum, its squared norm, its
date range and the inverted index in step; nothing else writes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .vectors import top_keys


@dataclass
class Member:
    """One grouped article: its story, its vector, and what dates, labels and sources need."""

    story: str
    vec: dict[str, float]
    day: int | None
    source: str
    grams: list[str]
    names: list[list[str]]  # [entity id, kind, surface]


@dataclass
class Cluster:
    """A live story: its articles in the order they joined, their vector sum, its dates."""

    id: str
    members: list[str] = field(default_factory=list)
    vec: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    first: int | None = None
    last: int | None = None

    def redate(self, day: int | None) -> None:
        """Widen the date range to take in day; an undated article leaves it as it is."""
        if day is None:
            return
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)


class Clusters:
    """Articles, stories and the inverted index over their top features, kept consistent.

    postings maps a feature to the stories it indexes, the most recently grown last, so a
    candidate scan can stop after the newest few hundred and its cost stays flat.
    """

    def __init__(self) -> None:
        self.docs = 0
        self.df: Counter[str] = Counter()
        self.members: dict[str, Member] = {}
        self.stories: dict[str, Cluster] = {}
        self.postings: dict[str, Counter[str]] = {}
        self.redirects: dict[str, str] = {}
        self.next = 1

    def resolve(self, story: str) -> str:
        """The live id for a story id, following merges (a merged-away id keeps working)."""
        seen = set()
        while story in self.redirects and story not in seen:
            seen.add(story)
            story = self.redirects[story]
        return story

    def new_story(self) -> str:
        """An empty story with the next id; ids only grow, so a smaller one is older."""
        sid = f"s{self.next}"
        self.next += 1
        self.stories[sid] = Cluster(sid)
        return sid

    def attach(self, aid: str, sid: str) -> None:
        """Put a known article into story sid, adding its vector, date and postings."""
        member = self.members[aid]
        story = self.stories[sid]
        member.story = sid
        story.members.append(aid)
        for k, w in member.vec.items():
            old = story.vec.get(k, 0.0)
            story.vec[k] = old + w
            story.norm2 += (old + w) ** 2 - old * old
        for key in top_keys(member.vec):
            posting = self.postings.setdefault(key, Counter())
            posting[sid] = posting.pop(sid, 0) + 1  # to the end: the most recently grown
        story.redate(member.day)

    def detach(self, aid: str) -> None:
        """Take an article out of its story (which may be left empty); attach must follow."""
        member = self.members[aid]
        story = self.stories[member.story]
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
        self._unpost(story.id, member.vec)
        story.first = story.last = None
        for other in story.members:
            story.redate(self.members[other].day)

    def _unpost(self, sid: str, vec: dict[str, float]) -> None:
        """Drop one article's share of story sid from the postings of its top features."""
        for key in top_keys(vec):
            posting = self.postings.get(key)
            if posting is not None:
                posting[sid] -= 1
                if posting[sid] <= 0:
                    del posting[sid]
                if not posting:
                    del self.postings[key]

    def absorb(self, keep: str, gone: str, redirect: bool = True) -> None:
        """Move every article of story gone into story keep and delete gone."""
        for aid in list(self.stories[gone].members):
            self.detach(aid)
            self.attach(aid, keep)
        del self.stories[gone]
        if redirect:  # a story nobody saw (made and merged in one batch) needs none
            self.redirects[gone] = keep

    def drop_if_empty(self, sid: str, into: str) -> None:
        """Delete story sid once its last article left, its id redirecting to story into."""
        if not self.stories[sid].members:
            del self.stories[sid]
            self.redirects[sid] = into
