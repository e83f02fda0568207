"""Resolution quality, second round (issue 13 item 5): initials with a surname inside a story.
Invented names throughout."""

from crosswire.index.entities.stories import story_links

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
