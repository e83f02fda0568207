"""The reader's story corrections: merge this story with another, split articles off it, move
an open article to another story. Each asks with a picker (tui/story_pickers.py), makes the
decision on the library thread, says what it did in a toast, and is undone by u / ctrl+z like
an entity decision (it is an entry of the same log).

These run in a worker (they wait on modal screens); they return the id of the story to show
afterwards, or None when nothing changed.
"""

from __future__ import annotations

from typing import Any

from crosswire.index import CrosswireError, StorySummary
from textual.app import App

from .backend import Backend
from .edits import emphasised
from .safe import counted, one_line
from .screens import ConfirmScreen
from .story_pickers import SplitScreen, StoryPicker


def _label(label: str) -> str:
    return one_line(label) or "(no label)"


def _failed(app: App[Any], exc: CrosswireError) -> None:
    app.notify(one_line(str(exc)), severity="error", markup=False)


async def merge_story(app: App[Any], backend: Backend, story_id: str) -> str | None:
    """Pick another story and merge it with this one, after a confirmation."""
    stories = await backend.stories()
    this = next((s for s in stories if s.id == story_id), None)
    if this is None:
        app.notify(f"story {story_id} is gone", severity="warning")
        return None
    if len(stories) < 2:
        app.notify("there is no other story to merge with")
        return None
    title = emphasised("Merge story {} with…", _label(this.label))
    other: StorySummary | None = await app.push_screen_wait(
        StoryPicker(title, stories, exclude=this.id)
    )
    if other is None:
        return None
    question = emphasised(
        "Merge {} and {} into one story?", _label(this.label), _label(other.label)
    )
    if not await app.push_screen_wait(ConfirmScreen(question)):
        return None
    try:
        kept = await backend.merge_stories(this.id, other.id)
    except CrosswireError as exc:
        _failed(app, exc)
        return None
    total = counted(this.articles + other.articles, "article")
    app.notify(
        f"merged story {_label(other.label)} into {_label(this.label)}: {total}", markup=False
    )
    return kept


async def split_story(app: App[Any], backend: Backend, story_id: str) -> str | None:
    """Tick the articles that leave; they form a new story. Returns the story left behind."""
    story = await backend.story_detail(story_id)
    if story is None:
        app.notify(f"story {story_id} is gone", severity="warning")
        return None
    if len(story.articles) < 2:
        app.notify("a story of one article cannot be split")
        return None
    leaving: list[str] | None = await app.push_screen_wait(SplitScreen(story))
    if not leaving:
        return None
    try:
        new = await backend.split_story(story.id, leaving)
    except CrosswireError as exc:
        _failed(app, exc)
        return None
    app.notify(
        f"split {counted(len(leaving), 'article')} off {_label(story.label)} "
        f"into a new story ({new})",
        markup=False,
    )
    return story.id


async def move_article(app: App[Any], backend: Backend, article_id: str, title: str) -> str | None:
    """Pick the story the article belongs in and move it there; returns that story's id."""
    current = await backend.story_of(article_id)
    if current is None:
        app.notify("this article is in no story yet: its entities are still being extracted")
        return None
    stories = await backend.stories()
    if len(stories) < 2:
        app.notify("there is no other story to move it to")
        return None
    picker = StoryPicker(emphasised("Move {} to story…", one_line(title)), stories, current)
    target: StorySummary | None = await app.push_screen_wait(picker)
    if target is None:
        return None
    try:
        sid = await backend.move_article(article_id, target.id)
    except CrosswireError as exc:
        _failed(app, exc)
        return None
    app.notify(f"moved {one_line(title)} to story {_label(target.label)}", markup=False)
    return sid
