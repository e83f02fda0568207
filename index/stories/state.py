"""The grouper's whole state as JSON-ready dicts and lists, and back.

The library persists this beside the record, so loading must refuse a damaged or newer state
with one line instead of grouping on top of half of it; a loaded state rebuilds the derived
parts (vector sums, postings, dates) through attach, the one path that keeps them in step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .clusters import Cluster, Clusters, Member
from .records import GroupingError, story_seq

STATE_VERSION = 1


def dump(groups: Clusters, threshold: float, decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """The state as plain data; load(dump(...)) gives a grouper that dumps the same."""
    return {
        "version": STATE_VERSION,
        "threshold": threshold,
        "docs": groups.docs,
        "df": dict(groups.df),
        "next": groups.next,
        "redirects": dict(groups.redirects),
        "decisions": decisions,
        "stories": {
            s.id: list(s.members)
            for s in sorted(groups.stories.values(), key=lambda s: story_seq(s.id))
        },
        "articles": {
            aid: {
                "vec": m.vec,
                "day": m.day,
                "source": m.source,
                "grams": m.grams,
                "names": m.names,
            }
            for aid, m in groups.members.items()
        },
    }


def load(state: Mapping[str, Any]) -> tuple[float, Clusters, list[dict[str, Any]]]:
    """The threshold, the clusters and the decision log of a dumped state.

    Raises GroupingError naming the fault for a damaged or newer state.
    """
    try:
        version = state["version"]
        if version != STATE_VERSION:
            raise GroupingError(f"story state version {version} is not {STATE_VERSION}")
        threshold = float(state["threshold"])
        groups = Clusters()
        groups.docs = int(state["docs"])
        groups.df = Counter({str(k): int(v) for k, v in state["df"].items()})
        groups.next = int(state["next"])
        groups.redirects = {str(k): str(v) for k, v in state["redirects"].items()}
        decisions = [dict(d) for d in state["decisions"]]
        articles = state["articles"]
        _load_stories(groups, state["stories"], articles)
    except GroupingError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise GroupingError(f"damaged story state: {type(error).__name__}: {error}") from None
    return threshold, groups, decisions


def _load_stories(
    groups: Clusters, stories: Mapping[str, Any], articles: Mapping[str, Any]
) -> None:
    """Attach every listed article to its story; an article in two stories or none is refused."""
    for sid, members in stories.items():
        groups.stories[str(sid)] = Cluster(str(sid))
        for aid in members:
            if aid in groups.members:
                raise GroupingError(f"article {aid} is in two stories")
            groups.members[aid] = _member(str(sid), articles[aid])
            groups.attach(aid, str(sid))
        if not members:
            raise GroupingError(f"story {sid} has no articles")
    if len(groups.members) != len(articles):
        raise GroupingError("story state lists articles that are in no story")


def _member(sid: str, m: Mapping[str, Any]) -> Member:
    return Member(
        story=sid,
        vec={str(k): float(v) for k, v in m["vec"].items()},
        day=None if m["day"] is None else int(m["day"]),
        source=str(m["source"]),
        grams=[str(g) for g in m["grams"]],
        names=[[str(x) for x in n] for n in m["names"]],
    )
