"""Asking before a merge or split: pick the other entity (or the name), then confirm.

The screens only ask; the reader screen makes the change on the library thread and re-reads.
Undo and redo ask nothing: they flip the last entry of the decision log, and say which.
"""

from __future__ import annotations

from typing import Any

from crosswire.index.model import CrosswireError, Decision, EntityDetail, EntitySummary
from rich.text import Text
from textual.app import App

from .backend import Backend
from .finder import EntityFinder
from .safe import one_line
from .screens import ConfirmScreen, EntityPicker, NamePicker


def emphasised(template: str, *names: str) -> Text:
    """The template with each {} replaced by a name in bold; names are data, never markup."""
    pieces = template.split("{}")
    text = Text(pieces[0])
    for name, piece in zip(names, pieces[1:], strict=True):
        text.append(one_line(name), style="bold")
        text.append(piece)
    return text


async def ask_merge(
    app: App[Any], entity: EntityDetail, finder: EntityFinder
) -> EntitySummary | None:
    """The entity to merge into `entity`, once the user picked and confirmed it."""
    other = await app.push_screen_wait(
        EntityPicker(emphasised("Merge {} with…", entity.name), finder, exclude=entity.id)
    )
    if other is None:
        return None
    question = emphasised("Merge {} and {} into one entity?", entity.name, other.name)
    return other if await app.push_screen_wait(ConfirmScreen(question)) else None


async def ask_split(app: App[Any], entity: EntityDetail) -> str | None:
    """The other name to split off `entity`, once the user picked and confirmed it."""
    names = [(a.name, a.rule) for a in entity.aliases if a.name != entity.name]
    if not names:
        app.notify("this entity has no other name to split off")
        return None
    title = emphasised("Split which name off {}?", entity.name)
    name = await app.push_screen_wait(NamePicker(title, names))
    if name is None:
        return None
    question = emphasised("Split {} off {} into an entity of its own?", name, entity.name)
    return name if await app.push_screen_wait(ConfirmScreen(question)) else None


async def undo_decision(app: App[Any], backend: Backend, *, redo: bool) -> Decision | None:
    """Undo the last decision (redo: the one undone last) and say what it was; None, with
    a warning, when there is none."""
    try:
        done = await backend.undo(redo=redo)
    except CrosswireError as exc:
        app.notify(one_line(str(exc)), severity="warning", markup=False)
        return None
    app.notify(f"{'redid' if redo else 'undid'}: {one_line(done.summary)}", markup=False)
    return done
