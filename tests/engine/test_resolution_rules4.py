"""Resolution quality, fourth round (issue 13 item 5): a mention's span keeps the title the
text writes before a person's name. Invented names throughout."""

from crosswire.index.entities.names import drop_titles, name_key
from crosswire.index.entities.ner import RawMention
from crosswire.index.entities.vote import vote


def raw(text: str, *names: tuple[str, str]) -> list[RawMention]:
    """The model's spans: each name at its first place in text."""
    out = []
    for name, label in names:
        start = text.index(name)
        out.append(RawMention(start, start + len(name), name, label))
    return out


def test_a_persons_mention_keeps_the_title_written_before_it_and_the_name_drops_it():
    text = "Mr. Quillan's role was small.\nPresident Dorvel Anst met Prime Minister Okafe."
    found = {
        m.text: m.name
        for m in vote(
            text, raw(text, ("Quillan", "PERSON"), ("Dorvel Anst", "PERSON"), ("Okafe", "PERSON"))
        )
    }
    assert found == {
        "Mr. Quillan": "Quillan",
        "President Dorvel Anst": "Dorvel Anst",
        "Prime Minister Okafe": "Okafe",
    }
    assert name_key("President Dorvel Anst", "PERSON") == name_key("Dorvel Anst", "PERSON")


def test_job_words_lowercase_titles_and_other_kinds_keep_their_span():
    text = "Singer Mira Tolv sang. The president Dorvel Anst spoke. King Harlow County voted."
    found = {
        m.text
        for m in vote(
            text,
            raw(text, ("Mira Tolv", "PERSON"), ("Dorvel Anst", "PERSON"), ("Harlow County", "GPE")),
        )
    }
    assert found == {"Mira Tolv", "Dorvel Anst", "Harlow County"}


def test_lists_of_names_drop_a_persons_titles_only():
    assert drop_titles("Mr. Quillan", "PERSON") == "Quillan"
    assert drop_titles("Prime Minister Okafe", "PERSON") == "Okafe"
    assert drop_titles("King Harlow", "GPE") == "King Harlow"
    assert drop_titles("President", "PERSON") == "President"
