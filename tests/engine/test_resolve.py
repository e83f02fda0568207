"""Rules of per-article voting and cross-source resolution, on plain strings (no spaCy)."""

import re

import pytest
from crosswire.index.entities.aliases import UserRules
from crosswire.index.entities.fill import fill_known
from crosswire.index.entities.names import fold, name_key
from crosswire.index.entities.ner import RawMention
from crosswire.index.entities.resolve import resolve
from crosswire.index.entities.rules import NameGroup
from crosswire.index.entities.stories import story_links
from crosswire.index.entities.vote import vote


def raw(text: str, *spans: tuple[str, str]) -> list[RawMention]:
    """RawMentions for each (surface, label), found as whole words left to right."""
    out, pos = [], 0
    for surface, label in spans:
        match = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)").search(text, pos)
        assert match, surface
        start = match.start()
        out.append(RawMention(start, start + len(surface), surface, label))
        pos = start + len(surface)
    return out


def one_entity(*groups: NameGroup) -> bool:
    resolution = resolve(groups, UserRules())
    return len({resolution.entity_of[(g.name, g.kind)] for g in groups}) == 1


def test_name_key_normalises_spelling():
    assert name_key("U.S.", "GPE") == name_key("US", "GPE") == "us"
    assert name_key("Kata'ib Hezbollah", "ORG") == name_key("Hezbollah Brigades", "ORG")
    assert name_key("al-Kadhimi's", "PERSON") == name_key("Kadhimi", "PERSON")
    assert name_key("Department of State", "ORG") == name_key("State Department", "ORG")


def test_fold_transliterations():
    assert fold("Kadhimi") == fold("Kazemi") == fold("al-Kadhimi")
    assert fold("Saeed") == fold("Said")
    assert fold("Hassan") != fold("Hussein")


def test_surname_alone_inherits_the_full_name_and_person_kind():
    text = "Mustafa Kazemi spoke. Later Kazemi left. Kazemi said no."
    mentions = vote(
        text, raw(text, ("Mustafa Kazemi", "PERSON"), ("Kazemi", "GPE"), ("Kazemi", "GPE"))
    )
    assert [(m.text, m.kind, m.name) for m in mentions] == [
        ("Mustafa Kazemi", "PERSON", "Mustafa Kazemi"),
        ("Kazemi", "PERSON", "Mustafa Kazemi"),
        ("Kazemi", "PERSON", "Mustafa Kazemi"),
    ]


def test_one_name_keeps_one_kind_by_weighted_vote():
    text = "Baghdad is calm. Baghdad again. Baghdad once more."
    mentions = vote(text, raw(text, ("Baghdad", "GPE"), ("Baghdad", "GPE"), ("Baghdad", "ORG")))
    assert {m.kind for m in mentions} == {"GPE"}


def test_alias_filling_marks_names_the_model_missed():
    text = "PM Kadhimi Survives\nMustafa al-Kadhimi was unhurt, and al-Kadhimi spoke."
    mentions = vote(text, raw(text, ("Mustafa al-Kadhimi", "PERSON")))
    found = [(m.text, m.name) for m in mentions]
    assert ("Kadhimi", "Mustafa al-Kadhimi") in found
    assert ("al-Kadhimi", "Mustafa al-Kadhimi") in found
    assert mentions[0].start == text.index("Kadhimi")


def test_alias_filling_respects_word_boundaries():
    text = "Iran said so. Iranian officials and Iranians agreed; Iran again."
    mentions = vote(text, raw(text, ("Iran", "GPE"), ("Iran", "GPE")))
    assert [m.text for m in mentions] == ["Iran", "Iran"]


def test_org_word_overrides_person_label():
    text = "Kataib Hezbollah denied it."
    [m] = vote(text, raw(text, ("Kataib Hezbollah", "PERSON")))
    assert m.kind == "ORG"


def test_split_glossary_name_is_joined():
    text = "Kata’ib Hezbollah denied it."
    [m] = vote(text, raw(text, ("Kata’ib", "NORP"), ("Hezbollah", "ORG")))
    assert (m.text, m.kind) == ("Kata’ib Hezbollah", "ORG")


def test_fill_known_marks_a_sentence_start_only_where_the_word_is_never_plain():
    text = "Colts won. People cheered. The Colts beat the Chiefs, the people said."
    out = fill_known(text, [], {"Colts": "ORG", "Chiefs": "ORG", "People": "ORG"})
    assert [(m.start, m.text) for m in out] == [(0, "Colts"), (31, "Colts"), (46, "Chiefs")]


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("Iran", "Iraq", "GPE"),
        ("Austria", "Australia", "GPE"),
        ("Niger", "Nigeria", "GPE"),
    ],
)
def test_places_are_never_fuzzy_matched(a, b, kind):
    assert not one_entity(NameGroup(a, kind, (a,), 5), NameGroup(b, kind, (b,), 5))


def test_nationality_relates_to_but_is_not_the_country():
    assert not one_entity(NameGroup("Iranian", "NORP", ("Iranian",)), NameGroup("Iran", "GPE"))
    assert not one_entity(NameGroup("Iraqi", "NORP"), NameGroup("Iranian", "NORP"))


def test_transliterated_person_names_merge_when_first_and_last_agree():
    assert one_entity(
        NameGroup("Mustafa al-Kadhimi", "PERSON"), NameGroup("Mustafa Kazemi", "PERSON")
    )
    assert one_entity(
        NameGroup("Saeed Khatibzadeh", "PERSON"), NameGroup("Said Khatibzadeh", "PERSON")
    )
    assert not one_entity(
        NameGroup("Hassan Nasrallah", "PERSON"), NameGroup("Hussein Nasrallah", "PERSON")
    )


def test_surname_group_joins_the_only_full_name():
    assert one_entity(NameGroup("Qassem Soleimani", "PERSON"), NameGroup("Soleimani", "PERSON"))
    ambiguous = (
        NameGroup("Hassan Nasrallah", "PERSON", count=3),
        NameGroup("Hussein Nasrallah", "PERSON", count=3),
        NameGroup("Nasrallah", "PERSON"),
    )
    resolution = resolve(ambiguous, UserRules())
    assert len({resolution.entity_of[(g.name, g.kind)] for g in ambiguous}) == 3


def test_acronyms():
    assert one_entity(NameGroup("United States", "GPE"), NameGroup("US", "GPE"))
    assert one_entity(NameGroup("Associated Press", "ORG"), NameGroup("AP", "ORG"))
    assert one_entity(NameGroup("NBC News", "ORG"), NameGroup("NBC", "ORG"))


def test_glossary_but_no_token_subset_trap():
    assert one_entity(NameGroup("Kataib Hezbollah", "ORG"), NameGroup("Hezbollah Brigades", "ORG"))
    assert not one_entity(NameGroup("Hezbollah", "ORG"), NameGroup("Kataib Hezbollah", "ORG"))
    assert not one_entity(NameGroup("Hezbollah", "ORG"), NameGroup("Hezbollah Brigades", "ORG"))


def test_user_rules_same_and_never():
    groups = (NameGroup("Mustafa al-Kadhimi", "PERSON"), NameGroup("Kazemi", "GPE"))
    together = resolve(groups, UserRules(same=(("Mustafa al-Kadhimi", "Kazemi"),)))
    assert len(set(together.entity_of.values())) == 1
    [entity] = together.entities.values()
    assert ("Kazemi", "user alias") in entity.aliases
    apart = (NameGroup("Qassem Soleimani", "PERSON"), NameGroup("Soleimani", "PERSON"))
    kept = resolve(apart, UserRules(never=(("Qassem Soleimani", "Soleimani"),)))
    assert len(set(kept.entity_of.values())) == 2


def test_every_merge_records_its_rule():
    groups = (
        NameGroup("Mustafa al-Kadhimi", "PERSON", ("Mustafa al-Kadhimi", "Kadhimi"), 3),
        NameGroup("Mustafa Kazemi", "PERSON", ("Mustafa Kazemi",), 1),
    )
    [entity] = resolve(groups, UserRules()).entities.values()
    assert entity.name == "Mustafa al-Kadhimi"
    assert dict(entity.aliases) == {
        "Kadhimi": "surname in article",
        "Mustafa Kazemi": "transliteration",
    }


def test_a_person_shows_the_full_name_and_a_middle_initial_is_no_transliteration():
    groups = (
        NameGroup("Brian Nichols", "PERSON", ("Brian Nichols",), 4),
        NameGroup("Brian G. Nichols", "PERSON", ("Brian G. Nichols",), 1),
        NameGroup("Nichols", "PERSON", ("Nichols",), 40),
    )
    [entity] = resolve(groups, UserRules()).entities.values()
    assert entity.name == "Brian Nichols", "however often the surname stands alone"
    assert dict(entity.aliases)["Brian G. Nichols"] == "same first and last name"


def test_entity_ids_are_stable_and_order_free():
    groups = [NameGroup("United States", "GPE", count=3), NameGroup("US", "GPE", count=9)]
    first = resolve(groups, UserRules()).entity_of
    second = resolve([*reversed(groups), NameGroup("Iraq", "GPE")], UserRules()).entity_of
    assert first[("US", "GPE")] == second[("US", "GPE")]


def test_headline_glue_is_cut_back_to_the_name():
    text = "Maria Kowalska Wins Award In Paris\nThe actress Kowalska thanked fans."
    mentions = vote(
        text,
        raw(
            text, ("Maria Kowalska Wins Award", "PERSON"), ("Paris", "GPE"), ("Kowalska", "PERSON")
        ),
    )
    assert [(m.text, m.name) for m in mentions][:1] == [("Maria Kowalska", "Maria Kowalska")]
    assert mentions[-1].name == "Maria Kowalska"


def test_spans_lose_trailing_lowercase_words_and_names_lose_honorifics():
    """The mention keeps the title the text writes ("Gen. Ivan Petrov"); its name drops it."""
    text = "Gen. Ivan Petrov said Petrov in town."
    mentions = vote(text, raw(text, ("Gen. Ivan Petrov", "PERSON"), ("Petrov in", "ORG")))
    assert [(m.text, m.kind, m.name) for m in mentions] == [
        ("Gen. Ivan Petrov", "PERSON", "Ivan Petrov"),
        ("Petrov", "PERSON", "Ivan Petrov"),
    ]


def test_place_with_region_is_one_mention_of_the_place():
    text = "It happened in Springfield, Illinois on Monday."
    [m] = vote(text, raw(text, ("Springfield", "GPE"), ("Illinois", "GPE")))
    assert (m.text, m.name) == ("Springfield, Illinois", "Springfield")


def test_acronym_in_article_joins_its_spelled_out_name():
    text = "The World Health Organization warned. WHO said more."
    mentions = vote(text, raw(text, ("The World Health Organization", "ORG"), ("WHO", "ORG")))
    assert {m.name for m in mentions} == {"World Health Organization"}


def test_org_short_forms_in_article_and_across_sources():
    text = "The Springfield Isotopes won. The Isotopes celebrated."
    mentions = vote(text, raw(text, ("Springfield Isotopes", "ORG")))
    assert [(m.text, m.name) for m in mentions] == [
        ("Springfield Isotopes", "Springfield Isotopes"),
        ("Isotopes", "Springfield Isotopes"),
    ]
    assert one_entity(
        NameGroup("Springfield Isotopes", "ORG", count=5), NameGroup("Isotopes", "ORG")
    )
    # A word written far more often than the longer name is its own organisation.
    text = "Contoso said. Contoso Fix it tools help. Contoso agreed. Contoso won."
    mentions = vote(
        text,
        raw(
            text,
            ("Contoso", "ORG"),
            ("Contoso Fix", "ORG"),
            ("Contoso", "ORG"),
            ("Contoso", "ORG"),
        ),
    )
    assert [m.name for m in mentions].count("Contoso") == 3


def test_bare_surname_joins_a_dominant_full_name_only():
    groups = (
        NameGroup("Alan Brooke", "PERSON", count=40),
        NameGroup("Mary Brooke", "PERSON", count=2),
        NameGroup("Brooke", "PERSON", count=5),
    )
    resolution = resolve(groups, UserRules())
    assert (
        resolution.entity_of[("Brooke", "PERSON")]
        == resolution.entity_of[("Alan Brooke", "PERSON")]
    )
    assert (
        resolution.entity_of[("Mary Brooke", "PERSON")]
        != resolution.entity_of[("Alan Brooke", "PERSON")]
    )


def test_first_name_variants_and_initials():
    assert one_entity(NameGroup("Fred Larsen", "PERSON"), NameGroup("Frederick Larsen", "PERSON"))
    assert one_entity(NameGroup("W. Tom Hale", "PERSON"), NameGroup("Tom Hale", "PERSON"))
    assert not one_entity(NameGroup("Tom Hale", "PERSON"), NameGroup("Tim Hale", "PERSON"))


def test_org_tail_and_sea_but_no_place_shortening():
    assert one_entity(NameGroup("Boston Red Sox", "ORG", count=4), NameGroup("Red Sox", "ORG"))
    assert one_entity(NameGroup("Mediterranean Sea", "LOC"), NameGroup("Mediterranean", "LOC"))
    assert not one_entity(
        NameGroup("Iran's Supreme National Security Council", "ORG"),
        NameGroup("Security Council", "ORG"),
    )
    assert not one_entity(
        NameGroup("NBC Philadelphia", "ORG", count=2), NameGroup("Philadelphia", "GPE", count=60)
    )


def test_acronym_without_spelled_out_evidence_needs_the_long_form_common():
    rare = (NameGroup("Banstead Baptist Church", "ORG"), NameGroup("BBC", "ORG", count=8))
    assert not one_entity(*rare)
    spelled = (
        NameGroup("Federal Bureau of Investigation", "ORG", ("FBI",), count=3),
        NameGroup("FBI", "ORG", count=40),
    )
    assert one_entity(*spelled)


def test_person_pair_joined_by_and_is_split_but_organisations_are_not():
    text = "Ann Lopez and Raul Carrasquillo met. Lopez and Carrasquillo left. Procter and Gamble."
    mentions = vote(
        text,
        raw(
            text,
            ("Ann Lopez", "PERSON"),
            ("Raul Carrasquillo", "PERSON"),
            ("Lopez and Carrasquillo", "ORG"),
            ("Procter and Gamble", "ORG"),
        ),
    )
    names = [(m.text, m.kind, m.name) for m in mentions]
    assert ("Lopez", "PERSON", "Ann Lopez") in names
    assert ("Carrasquillo", "PERSON", "Raul Carrasquillo") in names
    assert ("Procter and Gamble", "ORG", "Procter and Gamble") in names


def test_plain_word_capitalised_before_a_name_is_dropped():
    text = "Esther Vance died. Stunning Vance swam. An unemployed man and a stunning view.\n"
    text += "Unemployed Tom Reed spoke. Mark Reed agreed."
    mentions = vote(
        text,
        raw(
            text,
            ("Esther Vance", "PERSON"),
            ("Stunning Vance", "PERSON"),
            ("Unemployed Tom Reed", "PERSON"),
            ("Mark Reed", "PERSON"),
        ),
    )
    names = {m.text: m.name for m in mentions}
    assert names["Vance"] == "Esther Vance"
    assert "Tom Reed" in names
    # "Mark" is never written in lowercase here: a first name, not a plain word.
    assert names["Mark Reed"] == "Mark Reed"


def test_diminutive_first_name_joins_the_full_one_but_not_a_vowel_ending():
    assert one_entity(NameGroup("Katie Marsh", "PERSON"), NameGroup("Kathryn Marsh", "PERSON"))
    assert not one_entity(NameGroup("Jamie Hale", "PERSON"), NameGroup("Jamal Hale", "PERSON"))
    assert not one_entity(
        NameGroup("Hassan Nasrallah", "PERSON"), NameGroup("Hussein Nasrallah", "PERSON")
    )


def test_bare_first_name_joins_the_only_full_name_spelled_exactly():
    groups = (
        NameGroup("Lindsay Marlowe", "PERSON", count=30),
        NameGroup("Lindsay", "PERSON", count=3),
        NameGroup("Marvin Cole", "PERSON", count=10),
        NameGroup("Marfin", "PERSON", count=2),
        NameGroup("John Smith", "PERSON", count=10),
        NameGroup("John Brown", "PERSON", count=10),
        NameGroup("John", "PERSON", count=2),
        NameGroup("Oscar Fields", "PERSON", count=1),
        NameGroup("Oscar", "PERSON", count=40),
    )
    resolution = resolve(groups, UserRules())
    entity = {(g.name): resolution.entity_of[(g.name, g.kind)] for g in groups}
    assert entity["Lindsay"] == entity["Lindsay Marlowe"]
    assert entity["Marfin"] != entity["Marvin Cole"]  # folding is for surnames
    assert entity["John"] not in (entity["John Smith"], entity["John Brown"])
    assert entity["Oscar"] != entity["Oscar Fields"]  # far commoner alone: its own name
    rules = dict(resolution.entities[entity["Lindsay"]].aliases)
    assert rules["Lindsay"] == "first name"


def test_surname_with_particle_is_a_surname_alone():
    groups = (
        NameGroup("Gaetano Lo Presti", "PERSON", count=10),
        NameGroup("Lo Presti", "PERSON", count=4),
    )
    assert one_entity(*groups)
    assert not one_entity(NameGroup("Van Morrison", "PERSON"), NameGroup("Ann Morrison", "PERSON"))


def test_two_names_hyphened_together_are_split_when_the_article_knows_one():
    text = "Computerworld-Microsoft poll. Microsoft said so. "
    text += "Coca-Cola and Mustafa al-Kadhimi, Kadhimi."
    mentions = vote(
        text,
        raw(
            text,
            ("Computerworld-Microsoft", "ORG"),
            ("Microsoft", "ORG"),
            ("Coca-Cola", "ORG"),
            ("Mustafa al-Kadhimi", "PERSON"),
            ("Kadhimi", "PERSON"),
        ),
    )
    texts = [m.text for m in mentions]
    assert texts.count("Microsoft") == 2 and "Computerworld" in texts
    assert "Coca-Cola" in texts and "Mustafa al-Kadhimi" in texts


# Two stories that share a surname (invented names): a skier and a councillor called Kovac.
SKI = [("Marta Kovac", "PERSON"), ("Alpine Union", "ORG"), ("Ivo Peric", "PERSON")]
COUNCIL = [("Tomas Kovac", "PERSON"), ("Riverside Council", "ORG"), ("Ella Stone", "PERSON")]


def two_stories(**extra: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Three articles of each story with the full name, one of each with a bare "Kovac"."""
    articles = {f"ski{i}": [*SKI, ("Lake Brenn", "LOC")] for i in range(3)}
    articles |= {f"council{i}": [*COUNCIL, ("Port Vale", "GPE")] for i in range(3)}
    articles["ski-bare"] = [("Kovac", "PERSON"), *SKI[1:], ("Lake Brenn", "LOC")]
    articles["council-bare"] = [("Kovac", "ORG"), *COUNCIL[1:], ("Port Vale", "GPE")]
    return articles | extra


def test_a_bare_surname_takes_the_person_of_its_own_story():
    links = story_links(two_stories())
    assert links == {
        ("ski-bare", "Kovac", "PERSON"): ("Marta Kovac", "PERSON"),
        # A surname the model called an organisation becomes the person it names.
        ("council-bare", "Kovac", "ORG"): ("Tomas Kovac", "PERSON"),
    }
    # Library-wide the bare name is ambiguous: resolve() alone would join neither.
    groups = [
        NameGroup("Marta Kovac", "PERSON", count=3),
        NameGroup("Tomas Kovac", "PERSON", count=3),
        NameGroup("Kovac", "PERSON", count=2),
    ]
    entity_of = resolve(groups).entity_of
    assert len({entity_of[(g.name, g.kind)] for g in groups}) == 3


def test_the_story_picks_among_full_names_the_article_itself_writes():
    both = [("Kovac", "PERSON"), ("Marta Kovac", "PERSON"), ("Jan Kovac", "PERSON"), *SKI[1:]]
    links = story_links(two_stories(both=both, other=[("Jan Kovac", "PERSON")]))
    assert links[("both", "Kovac", "PERSON")] == ("Marta Kovac", "PERSON")


def test_story_links_need_neighbours_and_a_clear_winner():
    lone = [("Kovac", "PERSON"), ("Nowhere Club", "ORG"), ("Ada Finch", "PERSON")]
    # One shared name with each story is not enough to be in either.
    thin = [("Kovac", "PERSON"), ("Alpine Union", "ORG"), ("Riverside Council", "ORG")]
    # As close to one story as to the other: no winner.
    mixed = [("Kovac", "PERSON"), *SKI[1:], *COUNCIL[1:]]
    links = story_links(two_stories(lone=lone, thin=thin, mixed=mixed))
    assert not {("lone", "Kovac", "PERSON"), ("thin", "Kovac", "PERSON")} & links.keys()
    assert ("mixed", "Kovac", "PERSON") not in links


def test_story_links_skip_places_headline_glue_and_user_splits():
    # A word the library writes as a place is never linked: Lake Brenn's "Brenn" stays.
    brenn = {f"b{i}": [*SKI, ("Brenn Ridge", "ORG"), ("Brenn", "GPE")] for i in range(2)}
    links = story_links(two_stories(**brenn, brenn=[("Brenn", "ORG"), *SKI]))
    assert not any(short == "Brenn" for _, short, _ in links)
    # A full name only one article wrote (a headline's "Says Kovac") is no candidate.
    glued = {"g": [("Says Kovac", "PERSON"), *COUNCIL[1:]], "g-bare": [("Kovac", "PERSON")]}
    glued["g-bare"] += COUNCIL[1:]
    assert ("g-bare", "Kovac", "PERSON") not in story_links(glued)
    # A split (or a [[never]] row) keeps the two names apart here too.
    links = story_links(two_stories(), apart=(("Marta Kovac", "Kovac"),))
    assert ("ski-bare", "Kovac", "PERSON") not in links
    assert ("council-bare", "Kovac", "ORG") in links


def test_story_surfaces_record_their_rule():
    groups = [
        NameGroup("Marta Kovac", "PERSON", ("Marta Kovac", "Kovac"), 4, story=("Kovac",)),
        NameGroup("Tomas Kovac", "PERSON", ("Tomas Kovac", "Kovac"), 4),
    ]
    entities = resolve(groups).entities.values()
    rules = {e.name: dict(e.aliases) for e in entities}
    assert rules == {
        "Marta Kovac": {"Kovac": "surname in story"},
        "Tomas Kovac": {"Kovac": "surname in article"},
    }
