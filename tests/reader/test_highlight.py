"""Highlighting as pure functions: styled text by offset, wrapping, click offsets."""

from __future__ import annotations

from crosswire.index.model import Mention
from crosswire.tui.highlight import (
    ArticleStyles,
    article_spans,
    article_text,
    in_context,
    line_of,
    line_text,
    marked,
    mention_at,
    offset_at,
    spans_by_line,
    wrap_lines,
)
from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

STYLES = ArticleStyles(
    kinds={"PERSON": Style(color="yellow"), "GPE": Style(color="blue")},
    hit=Style(underline=True),
    cursor=Style(reverse=True),
    flash=Style(bgcolor="magenta"),
)


def _style_at(text, offset: int) -> Style:
    style = Style()
    for span in text.spans:
        if span.start <= offset < span.end:
            style += span.style if isinstance(span.style, Style) else Style.parse(span.style)
    return style


def mention(start: int, end: int, kind: str = "PERSON", entity: str = "e1") -> Mention:
    return Mention("a1", start, end, "x", kind, entity)


def test_markup_in_article_text_stays_literal():
    text = "[bold]x[/] and [@click=app.quit]quit[/] \x1b[31mred"
    body = article_text(text, [], [], STYLES)
    assert "[bold]x[/]" in body.plain
    assert "[@click=app.quit]" in body.plain
    assert "\x1b" not in body.plain
    assert len(body.plain) == len(text)  # escape blanked one for one: offsets still hold
    assert not body.spans


def test_entities_hits_and_cursor_styled_by_offset():
    text = "Kadhimi met Iran officials."
    body = article_text(
        text,
        [mention(0, 7), mention(12, 16, "GPE")],
        [(12, 16)],
        STYLES,
        cursor=(0, 7),
    )
    assert _style_at(body, 0).color.name == "yellow"
    assert _style_at(body, 0).reverse
    assert _style_at(body, 13).color.name == "blue"
    assert _style_at(body, 13).underline
    assert _style_at(body, 9) == Style()


def test_offsets_beyond_the_text_are_clipped_not_raised():
    body = article_text("short", [mention(3, 99), mention(50, 60)], [(-5, 2)], STYLES)
    assert {(s.start, s.end) for s in body.spans} == {(3, 5), (0, 2)}


def test_snippet_marks_hits_on_one_line():
    snippet = marked("the\nKazemi [x]", [(4, 10)], Style(bold=True))
    assert snippet.plain == "the Kazemi [x]"
    assert [(s.start, s.end) for s in snippet.spans] == [(4, 10)]


def test_context_line_marks_the_mention():
    line = in_context("said ", "Kazemi", " today", Style(bold=True))
    assert line.plain == "…said Kazemi today…"
    (span,) = line.spans
    assert line.plain[span.start : span.end] == "Kazemi"


def test_wrap_keeps_every_offset_and_fits_the_width():
    text = "one two three four five six seven\n\nsupercalifragilistic end"
    lines = wrap_lines(text, 10)
    assert "".join(text[a:b] for a, b in lines) == text
    assert all(len(text[a:b].rstrip()) <= 10 for a, b in lines)
    assert text[slice(*lines[line_of(lines, text.index("five"))])].startswith("five")


@given(st.text(alphabet="ab \n中", max_size=80), st.integers(min_value=1, max_value=12))
def test_wrap_partitions_any_text(text, width):
    lines = wrap_lines(text, width)
    assert "".join(text[a:b] for a, b in lines) == text
    for a, b in lines:
        assert a <= b


def test_click_offset_and_mention_lookup():
    text = "Hello Kadhimi there"
    lines = wrap_lines(text, 40)
    at = offset_at(text, lines[0], 8)
    assert text[at] == "d"
    assert mention_at([mention(6, 13)], at) == 0
    assert mention_at([mention(6, 13)], 2) is None


def test_paragraph_gap_adds_empty_lines_without_moving_offsets():
    text = "first para\nsecond"
    lines = wrap_lines(text, 40, gap=True)
    assert lines == [(0, 11), (11, 11), (11, 17)]
    assert line_of(lines, 11) == 2  # the offset lands on the paragraph, not on the gap
    # A text that already leaves a blank line between paragraphs gets no second one.
    spaced = "first para\n\nsecond"
    assert wrap_lines(spaced, 40, gap=True) == [(0, 11), (11, 12), (12, 18)]


def test_spans_by_line_splits_a_span_across_lines():
    text = "alpha beta gamma"
    lines = wrap_lines(text, 6)
    assert [text[a:b] for a, b in lines] == ["alpha ", "beta ", "gamma"]
    spans = article_spans(len(text), [mention(3, 13)], [], STYLES)
    per_line = spans_by_line(lines, spans)
    assert [[(a, b) for a, b, _ in line] for line in per_line] == [[(3, 6)], [(0, 5)], [(0, 2)]]
    rendered = line_text(text, lines[1], per_line[1])
    assert rendered.plain == "beta " and rendered.spans[0].end == 5
