"""Resolution quality, fourth round (issue 13 item 5): a mention's span keeps the title the
text writes before a person's name. Invented names throughout."""

from crosswire.index.entities.fill import ArticleMention, fill_known, fill_story_surnames
from crosswire.index.entities.names import drop_titles, name_key
from crosswire.index.entities.ner import RawMention
from crosswire.index.entities.resolve import resolve
from crosswire.index.entities.rules import STORY_RULES, NameGroup
from crosswire.index.entities.stories import story_links
from crosswire.index.entities.vote import vote

from .test_resolution_quality import raw


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


def test_a_known_name_with_a_possessive_is_marked_without_it():
    text = "Later Dorvel Anst's record fell to a rookie."
    [m] = fill_known(text, [], {"Dorvel Anst": "PERSON"})
    assert (m.text, m.name, m.kind) == ("Dorvel Anst", "Dorvel Anst", "PERSON")


def test_a_first_name_the_model_took_for_a_product_is_the_articles_person():
    text = "Tamsin Vore was charged. Tamsin fired the shot, he said. Vorex sold well."
    spans = raw(text, ("Tamsin Vore", "PERSON"), ("Tamsin fired", "PRODUCT"), ("Vorex", "PRODUCT"))
    spans[1] = RawMention(spans[1].start, spans[1].start + 6, "Tamsin", "PRODUCT")
    found = [(m.text, m.kind, m.name) for m in vote(text, spans)]
    assert found == [("Tamsin Vore", "PERSON", "Tamsin Vore"), ("Tamsin", "PERSON", "Tamsin Vore")]


def test_a_work_is_kept_only_under_a_name_the_article_gives_an_entity():
    text = "The Harlow Kites won. Harlow Kites fans cheered. Read The Silver Kite tonight."
    second = text.index("Harlow Kites fans")
    spans = [
        RawMention(0, 16, "The Harlow Kites", "WORK_OF_ART"),
        RawMention(second, second + 12, "Harlow Kites", "ORG"),
        RawMention(
            text.index("The Silver"), text.index(" tonight"), "The Silver Kite", "WORK_OF_ART"
        ),
    ]
    found = [(m.start, m.text, m.kind) for m in vote(text, spans)]
    assert found == [(4, "Harlow Kites", "ORG"), (second, "Harlow Kites", "ORG")]


def test_capitalised_words_before_a_place_word_are_a_place_the_model_missed():
    text = (
        "He fell near the Quarry Glacier on Monday. Police on Tolland Street said the "
        "Harlow Highway Patrol came. She lives on Vell's Garden Road."
    )
    spans = raw(text, ("Tolland", "PERSON"), ("Harlow Highway Patrol", "ORG"))
    found = [(m.text, m.kind) for m in vote(text, spans)]
    assert found == [
        ("Quarry Glacier", "LOC"),
        ("Tolland Street", "FAC"),
        ("Harlow Highway Patrol", "ORG"),
        ("Garden Road", "FAC"),  # Vell's is whose road, not the road's name
    ]


def test_a_title_cased_headline_marks_no_place_by_its_place_word():
    text = "Climber Dies On Quarry Glacier After Fall\nRescuers reached him."
    assert vote(text, []) == []


def test_a_trademark_sign_is_debris_at_a_names_edge():
    text = "The Harlow Awards® were given. The Harlow Awards return."
    second = text.rindex("Harlow Awards")
    spans = [
        RawMention(4, 18, "Harlow Awards®", "ORG"),
        RawMention(second, second + 13, "Harlow Awards", "ORG"),
    ]
    assert {m.name for m in vote(text, spans)} == {"Harlow Awards"}


def test_a_bare_surname_is_the_full_name_another_article_of_the_story_writes():
    def m(text: str, word: str, kind: str, name: str = "") -> ArticleMention:
        start = text.index(word)
        return ArticleMention(start, start + len(word), word, kind, name or word)

    full = "Dana Lyle of the Harlow Prison Board said Ivo Crane fled Tolvik on Monday."
    bare = "Ivo Crane fled Tolvik.\nLyle said that Crane was armed, Lyle warned. A Deputy ran."
    other = "Kit Lyle won the Brennport cup. The deputy watched."
    texts = {"full": full, "bare": bare, "other": other}
    voted = {
        "full": [
            m(full, "Dana Lyle", "PERSON"),
            m(full, "Harlow Prison Board", "ORG"),
            m(full, "Ivo Crane", "PERSON"),
            m(full, "Tolvik", "GPE"),
        ],
        "bare": [m(bare, "Ivo Crane", "PERSON"), m(bare, "Tolvik", "GPE")],
        "other": [m(other, "Kit Lyle", "PERSON"), m(other, "Brennport", "GPE")],
    }
    out = fill_story_surnames(texts, voted)
    added = [(x.text, x.name) for x in out["bare"] if x not in voted["bare"]]
    assert added == [("Lyle", "Dana Lyle"), ("Crane", "Ivo Crane"), ("Lyle", "Dana Lyle")]
    assert out["other"] == voted["other"]  # shares no two names with the story: another Lyle


def test_a_city_before_a_newspaper_word_is_the_newspaper():
    text = "Casting news broke in The Harlow Courier on Monday, a Harlow Courier editor said."
    spans = raw(text, ("The Harlow", "ORG"))
    found = [(m.text, m.kind) for m in vote(text, spans)]
    assert found == [("Harlow Courier", "ORG"), ("Harlow Courier", "ORG")]


def test_a_surname_with_its_particle_is_the_full_name_in_the_article_and_the_story():
    text = "Tomas Lo Vell was held. Lo Vell denied it."
    spans = raw(text, ("Tomas Lo Vell", "PERSON"), ("Lo Vell denied", "PERSON"))
    spans[1] = RawMention(spans[1].start, spans[1].start + 7, "Lo Vell", "PERSON")
    assert [m.name for m in vote(text, spans)] == ["Tomas Lo Vell", "Tomas Lo Vell"]
    story = [("Tomas Lo Vell", "PERSON"), ("Harlow Court", "ORG"), ("Brennport", "GPE")]
    articles = {f"court{i}": story for i in range(3)}
    articles["court-bare"] = [("Lo Vell", "PERSON"), *story[1:]]
    links = story_links(articles)
    assert links[("court-bare", "Lo Vell", "PERSON")] == ("Tomas Lo Vell", "PERSON")


def test_a_first_name_starts_another_as_written_not_only_once_folded():
    def entities(*names: str) -> int:
        groups = [NameGroup(n, "PERSON", count=3) for n in names]
        return len(set(resolve(groups, disabled=STORY_RULES).entity_of.values()))

    assert entities("Jerry Vell", "Jeremy Vell") == 2  # folded: giri, girimi
    assert entities("Fred Vell", "Frederick Vell") == 1


def test_a_nickname_quoted_inside_a_full_name_is_a_first_name_of_that_person():
    groups = [
        NameGroup('Tomas "Kit" Vell', "PERSON", count=3),
        NameGroup("Kit Vell", "PERSON", count=2),
        NameGroup("Ada Vell", "PERSON", count=2),
    ]
    entity_of = {n: e for (n, _), e in resolve(groups, disabled=STORY_RULES).entity_of.items()}
    assert entity_of['Tomas "Kit" Vell'] == entity_of["Kit Vell"] != entity_of["Ada Vell"]
