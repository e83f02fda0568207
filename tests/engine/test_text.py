"""One control-character policy: what ingest stores and what the reader shows agree on what a
control is; only bidi controls differ (kept in the record, never shown)."""

from __future__ import annotations

from crosswire.index.ingest.clean import clean_text, label
from crosswire.index.text import displayable, without_controls
from crosswire.tui.safe import printable

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"]
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_every_control_is_dropped_from_stored_and_shown_text_alike():
    for char in CONTROLS:
        text = f"Drone{char} strike"
        assert without_controls(text) == "Drone strike", hex(ord(char))
        assert printable(text) == "Drone strike", hex(ord(char))
        assert clean_text(f"{text} hit the capital on Sunday.")[0] == (
            "Drone strike hit the capital on Sunday."
        ), hex(ord(char))


def test_bidi_controls_stay_in_the_record_and_never_reach_the_terminal():
    for char in BIDI:
        text = f"Title{char} txt.exe"
        assert without_controls(text) == text
        assert label(text) == text
        assert printable(text) == "Title txt.exe"
        assert displayable(text, keep_offsets=True) == "Title  txt.exe"


def test_escape_sequences_are_one_definition_for_ingest_and_display():
    for sequence in ("\x1b[31m", "\x1b[0m", "\x1b]0;pwned\x07", "\x1b]8;;http://x\x1b\\", "\x1bM"):
        text = f"red{sequence}alert"
        assert without_controls(text) == "redalert", repr(sequence)
        assert printable(text) == "redalert", repr(sequence)
        kept = displayable(text, keep_offsets=True)
        assert len(kept) == len(text) and kept.endswith("alert"), repr(sequence)


def test_an_unterminated_osc_loses_only_its_introducer_not_the_rest_of_the_article():
    text = "The mayor\x1b]0 spoke on Sunday. Then he left."
    assert without_controls(text) == "The mayor0 spoke on Sunday. Then he left."
    assert printable(text) == "The mayor0 spoke on Sunday. Then he left."
    assert "\x1b" not in displayable(text, keep_offsets=True)


def test_labels_fold_line_breaks_and_tabs_to_one_space():
    assert label("Wire\x1b[31m\n\tService\r\nNews\x00") == "Wire Service News"
