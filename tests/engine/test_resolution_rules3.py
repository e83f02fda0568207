"""Resolution quality, third round (issue 13 item 5): punctuation debris in names, and the
rules added after it. Invented names throughout."""

from crosswire.index.entities.ner import RawMention
from crosswire.index.entities.vote import vote

from .test_resolution_quality import raw as spans


def test_quotation_marks_are_no_part_of_a_name():
    text = (
        "He spoke at a Harbour Guild ``Open Tide Festival'' in Brennport. "
        "Dara ``the Heron'' Quell met the \"Council, \" said Ivo Marek."
    )
    raw = spans(
        text,
        ("Harbour Guild ``Open Tide Festival''", "ORG"),
        ("Dara ``", "PERSON"),
        ('the "Council', "ORG"),
        ("Ivo Marek", "PERSON"),
    )
    names = {m.text for m in vote(text, raw)}
    assert {"Harbour Guild", "Open Tide Festival", "Dara", "Council", "Ivo Marek"} <= names
    assert not any(c in n for n in names for c in '`"')


def test_a_quoted_nickname_between_balanced_marks_stays_in_the_name():
    text = 'Boss Tomas "The Lark" Vidal, 70, died. Vidal led the crew.'
    raw = spans(text, ('Tomas "The Lark" Vidal', "PERSON"), ("Vidal led", "PERSON"))
    raw[1] = RawMention(raw[1].start, raw[1].start + 5, "Vidal", "PERSON")
    assert 'Tomas "The Lark" Vidal' in {m.text for m in vote(text, raw)}


def test_a_blended_nickname_is_the_person_the_article_names():
    text = "Kara Polk Wins Again\nKaPo won. Fans love KaPo, and Pia Lund too."
    raw = spans(
        text, ("Kara Polk Wins Again", "PERSON"), ("KaPo", "PERSON"), ("Pia Lund", "PERSON")
    )
    second = text.rindex("KaPo")
    raw.append(RawMention(second, second + 4, "KaPo", "PERSON"))
    names = {m.text: m.name for m in vote(text, raw)}
    assert names["KaPo"] == "Kara Polk Wins Again"  # resolution's "longer form" takes it on


def test_a_word_without_a_capital_inside_or_with_two_candidates_is_no_blend():
    plain = "Kara Polk met the team. Kapo spoke."
    raw = spans(plain, ("Kara Polk", "PERSON"), ("Kapo", "PERSON"))
    assert {m.text: m.name for m in vote(plain, raw)}["Kapo"] == "Kapo"
    two = "Kara Polk and Kai Pollard met. KaPo spoke."
    raw = spans(two, ("Kara Polk", "PERSON"), ("Kai Pollard", "PERSON"), ("KaPo", "PERSON"))
    assert {m.text: m.name for m in vote(two, raw)}["KaPo"] == "KaPo"


def test_a_possessive_written_apart_leaves_no_space_in_the_name():
    text = "They shopped at Brill ’ s in Vantown."
    raw = spans(text, ("Brill ’ s", "ORG"))
    assert [m.text for m in vote(text, raw)] == ["Brill"]


def test_a_plain_word_opening_a_sentence_is_no_part_of_the_organisation_after_it():
    text = (
        "Vantor Films may hire him. Studios watch Vantor Films closely.\n"
        "Weighing Vantor Films recently bought a rival, a change is likely."
    )
    glued = text.index("Weighing")
    raw = [
        RawMention(text.index("Vantor"), text.index("Vantor") + 12, "Vantor Films", "ORG"),
        RawMention(text.index("Vantor", 30), text.index("Vantor", 30) + 12, "Vantor Films", "ORG"),
        RawMention(glued, glued + 21, "Weighing Vantor Films", "ORG"),
    ]
    assert {m.name for m in vote(text, raw)} == {"Vantor Films"}


def test_a_word_the_article_capitalises_inside_a_sentence_stays_before_the_organisation():
    text = "Brennport Rovers won. Fans of Rovers cheered in Brennport. Rovers lost later."
    raw = spans(text, ("Brennport Rovers", "ORG"))
    for word in ("Rovers cheered", "Rovers lost"):
        start = text.index(word)
        raw.append(RawMention(start, start + 6, "Rovers", "ORG"))
    assert "Brennport Rovers" in {m.text for m in vote(text, raw)}


def test_a_short_piece_is_near_the_articles_that_write_the_full_name_its_surname_may_be():
    from crosswire.index.entities.stories import story_links

    articles = {f"court{i}": [("Ana Quill", "PERSON"), ("Vela News", "ORG")] for i in range(3)}
    articles |= {f"port{i}": [("Ben Quill", "PERSON"), ("Dock Union", "ORG")] for i in range(3)}
    articles["brief"] = [("Quill", "PERSON"), ("Vela News", "ORG")]
    assert story_links(articles)[("brief", "Quill", "PERSON")] == ("Ana Quill", "PERSON")
