"""The reader's keys, each with an id users remap in config.toml and a tooltip the help shows.

The ids are part of the user's config: never rename one.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

READER_BINDINGS: list[BindingType] = [
    Binding(
        "slash", "focus_search", "Search", id="crosswire.search", tooltip="Go to the search box"
    ),
    Binding(
        "escape",
        "step_back",
        "Back",
        show=False,
        id="crosswire.back",
        tooltip="Step back: entity pane → article → results → search box",
    ),
    Binding(
        "n",
        "mention(True)",
        "Next match",
        key_display="n N",
        id="crosswire.next_mention",
        tooltip="Next mention of the open entity across sources; without one, the next search "
        "hit, into the next result",
    ),
    Binding(
        "N",
        "mention(False)",
        "Prev match",
        show=False,
        id="crosswire.prev_mention",
        tooltip="Previous mention of the open entity; without one, the previous search hit",
    ),
    Binding(
        "right_square_bracket",
        "source(True)",
        "Source",
        key_display="] [",
        id="crosswire.next_source",
        tooltip="Article from the next source: among the entity's sources, else the results",
    ),
    Binding(
        "left_square_bracket",
        "source(False)",
        "Prev source",
        show=False,
        id="crosswire.prev_source",
        tooltip="Article from the previous source",
    ),
    Binding(
        "E",
        "entity",
        "Entity",
        show=False,
        id="crosswire.entity",
        tooltip="Open the entity of the name under the cursor (enter in the article too)",
    ),
    Binding(
        "y",
        "copy_passage",
        "Copy",
        id="crosswire.copy",
        tooltip="Copy the mention or passage under the cursor, with outlet, title, date, URL",
    ),
    Binding(
        "o",
        "open_url",
        "Open URL",
        show=False,
        id="crosswire.open_url",
        tooltip="Open the article's URL in the web browser",
    ),
    Binding(
        "e",
        "export",
        "Export",
        id="crosswire.export",
        tooltip="Export the results, the entity's mentions or the article (CSV, JSONL, Markdown)",
    ),
    Binding(
        "c",
        "compare",
        "Compare",
        show=False,
        id="crosswire.compare",
        tooltip="Compare the sources: this search's passages, source by source",
    ),
    Binding(
        "f",
        "facts",
        "Facts",
        show=False,
        id="crosswire.facts",
        tooltip="Facts: numbers across sources, disputed first",
    ),
    Binding(
        "ctrl+o,backspace",
        "history(False)",
        "History",
        key_display="^o ⌫",
        id="crosswire.history_back",
        tooltip="Back to the article (and place) read before",
    ),
    Binding(
        "alt+right",
        "history(True)",
        "History forward",
        show=False,
        id="crosswire.history_forward",
        tooltip="Forward again after going back (ctrl+i is tab in a terminal)",
    ),
    Binding(
        "greater_than_sign",
        "resize_pane(1)",
        "Widen pane",
        key_display="> <",
        show=False,
        id="crosswire.widen",
        tooltip="Widen the pane in focus (remembered in config.toml)",
    ),
    Binding(
        "less_than_sign",
        "resize_pane(-1)",
        "Narrow pane",
        show=False,
        id="crosswire.narrow",
        tooltip="Narrow the pane in focus",
    ),
    Binding(
        "m",
        "merge",
        "Merge",
        id="crosswire.merge",
        tooltip="Merge the open entity with another (asks first)",
    ),
    Binding(
        "s",
        "split",
        "Split",
        id="crosswire.split",
        tooltip="Split one name off the open entity (asks first)",
    ),
    # After split on purpose: in the entity pane (where split is allowed) s splits as it
    # always did; everywhere else split is disallowed and s falls through to the stories.
    # Ids of their own scope ("story."), so sharing s with split is by design, not a clash.
    Binding(
        "s",
        "stories",
        "Stories",
        show=False,
        id="story.stories",
        tooltip="The open story's overview (sources, who is named where, timeline), else "
        "the story list",
    ),
    Binding(
        "a",
        "widen",
        "Whole library",
        show=False,
        id="story.widen",
        tooltip="Leave the open story: search and travel the whole library again",
    ),
    Binding(
        "M",
        "move_to_story",
        "Move to story",
        show=False,
        id="story.move",
        tooltip="Move the open article to another story (m merges and x splits stories in the "
        "story list and overview)",
    ),
    Binding(
        "u,ctrl+z",
        "undo",
        "Undo",
        show=False,
        id="crosswire.undo",
        tooltip="Undo the last merge, split or rename, or story move, split or merge",
    ),
    Binding(
        "ctrl+y",
        "redo",
        "Redo",
        show=False,
        id="crosswire.redo",
        tooltip="Redo what was undone last",
    ),
]

# The app's own, help and quit (a modal screen covers these too: it has its own keys).
APP_BINDINGS: list[BindingType] = [
    Binding(
        "question_mark,f1",
        "help",
        "Help",
        key_display="?",
        id="crosswire.help",
        tooltip="This list of keys",
    ),
    Binding("q,ctrl+q", "quit", "Quit", show=False, id="crosswire.quit", tooltip="Quit crosswire"),
]
