"""Resolution quality, second round (issue 13 item 5): initials with a surname inside a story,
descriptions glued before a full name, known names at a sentence start,
spelling variants, time zones and ranks that are no names.
Invented names throughout."""

from crosswire.index.entities.fill import candidate_names, fill_known
from crosswire.index.entities.ner import RawMention
from crosswire.index.entities.resolve import resolve
from crosswire.index.entities.rules import STORY_RULES, NameGroup
from crosswire.index.entities.stories import story_links
from crosswire.index.entities.vote import vote

SKI = [("Marta Kovac", "PERSON"), ("Alpine Union", "ORG"), ("Ivo Peric", "PERSON")]


def test_an_initial_and_a_surname_is_the_story_s_person_with_that_initial():
    both = [*SKI, ("Jan Kovac", "PERSON")]
    articles = {f"ski{i}": both for i in range(3)}
    articles["ski-j"] = [("J. Kovac", "PERSON"), *SKI[1:]]
    articles["ski-m"] = [("M Kovac", "PERSON"), *SKI[1:]]
    links = story_links(articles)
    assert links[("ski-j", "J. Kovac", "PERSON")] == ("Jan Kovac", "PERSON")
    assert links[("ski-m", "M Kovac", "PERSON")] == ("Marta Kovac", "PERSON")


def test_an_initial_no_full_name_shares_is_a_middle_initial():
    articles = {f"ski{i}": SKI for i in range(3)}
    articles["ski-q"] = [("Q. Kovac", "PERSON"), *SKI[1:]]
    assert story_links(articles)[("ski-q", "Q. Kovac", "PERSON")] == ("Marta Kovac", "PERSON")


def test_spaced_initials_and_an_acronym_are_not_an_initial_and_a_surname():
    articles = {f"ski{i}": [*SKI, ("Ada Us", "PERSON")] for i in range(3)}
    articles["ski-us"] = [("U. S.", "PERSON"), ("A. US", "PERSON"), *SKI[1:]]
    links = story_links(articles)
    assert ("ski-us", "U. S.", "PERSON") not in links
    assert ("ski-us", "A. US", "PERSON") not in links


def one_entity(groups: list[NameGroup], *names: str) -> bool:
    """True when the library (which never runs the story rules across stories) joins names."""
    entity_of = {n: e for (n, _), e in resolve(groups, disabled=STORY_RULES).entity_of.items()}
    return len({entity_of[n] for n in names}) == 1


def test_a_description_glued_before_a_full_name_is_that_person():
    groups = [
        NameGroup("Dana Quill", "PERSON", count=6),
        NameGroup("Coroner Dana Quill", "PERSON"),
        NameGroup("Harbour Board QB Dana Quill", "ORG"),
    ]
    assert one_entity(groups, "Dana Quill", "Coroner Dana Quill", "Harbour Board QB Dana Quill")


def test_a_first_name_before_a_full_name_is_another_person():
    groups = [
        NameGroup("Ann Quill", "PERSON", count=6),
        NameGroup("Mary Ann Quill", "PERSON"),
        NameGroup("Mary Stone", "PERSON"),
    ]
    assert not one_entity(groups, "Ann Quill", "Mary Ann Quill")
    # Nor is a surname alone with a particle a full name a description could precede.
    groups = [NameGroup("Lo Vinci", "PERSON", count=6), NameGroup("Sergio Lo Vinci", "PERSON")]
    assert not one_entity(groups, "Lo Vinci", "Sergio Lo Vinci")


def test_a_known_name_at_a_sentence_start_is_marked_unless_the_article_writes_it_lowercase():
    known = {"Quill": "PERSON", "Harbour": "ORG"}
    text = "The board met on Monday. Quill said the vote was close. Harbour staff agreed."
    marked = [m.text for m in fill_known(text, [], known)]
    assert marked == ["Quill", "Harbour"]
    # The article writes "harbour" as a plain word: at a sentence start it stays one.
    text = "Quill said the harbour was full. Harbour staff agreed."
    assert [m.text for m in fill_known(text, [], known)] == ["Quill"]


def test_spacing_hyphens_and_ise_endings_are_one_organisation_or_place():
    groups = [
        NameGroup("Nova Tech", "ORG", count=3),
        NameGroup("NovaTech", "ORG"),
        NameGroup("Nova-Tech", "ORG"),
        NameGroup("Recognised Transit Corridor", "LOC"),
        NameGroup("Recognized Transit Corridor", "LOC"),
        NameGroup("Mt Brenn", "LOC"),
        NameGroup("Mount Brenn", "LOC"),
    ]
    assert one_entity(groups, "Nova Tech", "NovaTech", "Nova-Tech")
    assert one_entity(groups, "Recognised Transit Corridor", "Recognized Transit Corridor")
    assert one_entity(groups, "Mt Brenn", "Mount Brenn")
    assert not one_entity(groups, "Nova Tech", "Recognised Transit Corridor")


def test_spelling_variants_leave_persons_nationalities_and_short_names_alone():
    groups = [
        NameGroup("Dana McQuill", "PERSON"),
        NameGroup("Dana Mc Quill", "PERSON"),
        NameGroup("Ostlander", "NORP"),
        NameGroup("Ost Lander", "NORP"),
        NameGroup("Ab Co", "ORG"),
        NameGroup("ABCO", "ORG"),
    ]
    resolution = resolve(groups, disabled=STORY_RULES)
    assert len(set(resolution.entity_of.values())) == len(groups)


def test_time_zones_and_ranks_alone_are_no_names():
    text = "Updated 14:39 GMT (15:39 BST). The Sgt said Sgt. Dana Quill of Nova Tech left."
    spans = [
        RawMention(text.index("GMT"), text.index("GMT") + 3, "GMT", "ORG"),
        RawMention(text.index("BST"), text.index("BST") + 3, "BST", "ORG"),
        RawMention(text.index("Sgt"), text.index("Sgt") + 3, "Sgt", "PERSON"),
        RawMention(text.index("Sgt."), text.index("Quill") + 5, "Sgt. Dana Quill", "PERSON"),
        RawMention(text.index("Nova"), text.index("Tech") + 4, "Nova Tech", "ORG"),
    ]
    found = [(m.text, m.name) for m in vote(text, spans)]
    assert found == [("Sgt. Dana Quill", "Dana Quill"), ("Nova Tech", "Nova Tech")]


def test_a_headline_in_capitals_marks_the_names_the_library_knows():
    text = "QUILL JOINS RED SOX AS THREE PEOPLE WATCH\nThe people cheered. Quill waved."
    assert {"Quill", "Red Sox", "People"} <= candidate_names(text)
    known = {"Quill": "PERSON", "Red Sox": "ORG", "People": "ORG"}
    marked = [(m.text, m.name, m.kind) for m in fill_known(text, [], known)]
    assert marked == [
        ("QUILL", "Quill", "PERSON"),
        ("RED SOX", "Red Sox", "ORG"),
        ("Quill", "Quill", "PERSON"),
    ]
