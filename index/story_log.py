"""Story decisions in the one decision log: what `decisions` lists and `undo`/`redo` flip.

A move, split or merge of stories is an entry of the same log as the entity decisions (so `u`
in the reader and `crosswire undo` take back whichever came last), keeping what undoing needs:
where the article came from, which articles left, which the merged-away story held. Undo and
redo act on the grouper directly (grouping is incremental, never replayed), putting articles
back under the story ids they had, so a saved story id means the same story again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .entities import decisions

if TYPE_CHECKING:
    from .stories import StoryGrouper

MOVE, SPLIT, MERGE = "story-move", "story-split", "story-merge"
STORY_ACTIONS = (MOVE, SPLIT, MERGE)


def label(grouper: StoryGrouper, story: str) -> str:
    """The story's label for a summary ("" for a story that is gone)."""
    from .stories import GroupingError

    try:
        return grouper.label(story)
    except (KeyError, GroupingError):
        return ""


def _story(sid: str, text: str) -> str:
    return f"{sid} ({text})" if text else sid


def _article(conn: sqlite3.Connection, aid: str) -> str:
    row = conn.execute("SELECT title, ref FROM articles WHERE id = ?", (aid,)).fetchone()
    name = (row[0] or row[1]) if row else ""
    return f"“{name}”" if name else aid[:12]


def log_move(
    conn: sqlite3.Connection, article: str, old: str, new: str, labels: tuple[str, str]
) -> None:
    summary = (
        f"moved {_article(conn, article)} from story {_story(old, labels[0])} "
        f"to {_story(new, labels[1])}"
    )
    decisions.record(conn, MOVE, {"article": article, "from": old, "to": new}, summary)


def log_split(
    conn: sqlite3.Connection, story: str, new: str, articles: Sequence[str], text: str
) -> None:
    n = len(articles)
    summary = (
        f"split {n} article{'' if n == 1 else 's'} off story {_story(story, text)} into story {new}"
    )
    args = {"story": story, "new": new, "articles": list(articles)}
    decisions.record(conn, SPLIT, args, summary)


def log_merge(
    conn: sqlite3.Connection, keep: str, gone: str, members: Sequence[str], labels: tuple[str, str]
) -> None:
    summary = f"merged story {_story(gone, labels[1])} into {_story(keep, labels[0])}"
    args = {"keep": keep, "gone": gone, "members": list(members)}
    decisions.record(conn, MERGE, args, summary)


def flip(grouper: StoryGrouper, action: str, args: dict[str, Any], undo: bool) -> None:
    """Undo (or redo) one story decision on the grouper; raises GroupingError when nothing
    of it is left to act on (its articles are gone)."""
    from .stories import GroupingError

    if action == MOVE:
        if undo:
            grouper.restore(str(args["from"]), [str(args["article"])])
        else:
            grouper.move(str(args["article"]), str(args["to"]))
    elif action == SPLIT:
        story = str(args["new"] if not undo else args["story"])
        grouper.restore(story, [str(a) for a in args["articles"]])
    elif action == MERGE:
        if undo:
            grouper.restore(str(args["gone"]), [str(a) for a in args["members"]])
        else:
            grouper.merge(str(args["keep"]), str(args["gone"]))
    else:
        raise GroupingError(f"not a story decision: {action}")
