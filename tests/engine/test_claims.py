"""Claims with numbers: extraction, normalisation, grouping across sources, disputes (issue 14).

The seeds are the first acceptance test; invented articles cover each number form and pattern.
STORY/EXPECTED is a hand-written four-source story whose groups were written down before the
extractor ran on it; bench/bench_claims.py reports the group precision on it.
"""

from __future__ import annotations

import json

import pytest
from crosswire.index.claims import Claim, ClaimGroup, extract_claims, group_claims
from crosswire.index.ingest.inputs import read_inputs
from crosswire.seeds import seed_paths
from hypothesis import given, settings
from hypothesis import strategies as st

# --- the hand-written story ---------------------------------------------------------------------

STORY: dict[str, tuple[str, str]] = {
    "a1": (
        "harbour-times",
        "An explosion tore through the Veltrex chemical plant outside Dunmore on Tuesday, "
        "14 March. At least 12 workers were killed and 40 were injured, the fire service said. "
        "Three fire engines were sent to the site within 20 minutes. The plant, built in 1987, "
        "employs 350 people. Police arrested two managers on Wednesday.",
    ),
    "a2": (
        "daily-post",
        "Twelve workers died in Tuesday's blast at the Veltrex plant, and dozens more were "
        "hurt. Officials initially said 15 workers had been killed, but the county later "
        "corrected the toll to 12. The company said it would pay $2 million in compensation. "
        "Two managers were detained for questioning.",
    ),
    "a3": (
        "county-news",
        "The county confirmed 12 deaths and said 38 people remained in hospital. Firefighters "
        "rescued nine workers from the collapsed east wing. One of the three storage tanks "
        "exploded at 9:45 a.m., investigators said. Two managers of the plant were arrested on "
        "Wednesday.",
    ),
    "a4": (
        "wire-service",
        "Rescuers pulled nine survivors from the rubble, and at least 41 people were wounded, "
        "according to Dunmore General Hospital. Authorities evacuated about 2,000 residents as "
        "a precaution. The plant had been fined £50,000 in 2019 for safety breaches, and a 2016 "
        "report listed 3 violations. Route 9 was closed for 6 hours.",
    ),
}
# What a careful reader groups: (article, value as displayed) per group, and whether disputed.
# Not facts of the story: dates, 20 minutes, 1987, 350 employees, $2 million, 38 still in
# hospital (a state, not an event), 9:45, £50,000, 2019, 2016, 3 violations, Route 9, 6 hours.
EXPECTED: list[tuple[frozenset[tuple[str, int | str]], bool]] = [
    (frozenset({("a1", ">=12"), ("a2", 12), ("a2", 15), ("a3", 12)}), True),  # workers killed
    (frozenset({("a1", 40), ("a2", "dozens"), ("a4", ">=41")}), True),  # injured: 40 vs ≥41
    (frozenset({("a1", 2), ("a2", 2), ("a3", 2)}), False),  # managers arrested
    (frozenset({("a1", 3)}), False),  # fire engines sent
    (frozenset({("a3", 9), ("a4", 9)}), False),  # workers rescued ("pulled nine survivors")
    (frozenset({("a4", "~2000")}), False),  # residents evacuated
    (frozenset({("a3", 1)}), False),  # one tank exploded
]


def story_groups() -> list[ClaimGroup]:
    return group_claims(
        {aid: (source, extract_claims(text)) for aid, (source, text) in STORY.items()}
    )


def group_members(group: ClaimGroup) -> frozenset[tuple[str, int | str]]:
    return frozenset((v.article, v.claim.display) for v in group.values)


def score(groups: list[ClaimGroup]) -> dict[str, int]:
    """Produced groups, groups equal to an expected one (values and disputed flag), expected."""
    expected = set(EXPECTED)
    right = sum((group_members(g), g.disputed) in expected for g in groups)
    return {"groups": len(groups), "right": right, "expected": len(EXPECTED)}


WORDS = [
    " three", " drones", " were", " killed", " and", " more", " than", " at", " least",
    " between", " a", " dozen", " several", " of", " the", " wounded", " initially", " later",
    " hundred", " 2021", " Resolution", " people", " to", " or", " toll", " few", " members",
]  # fmt: skip

# --- helpers ------------------------------------------------------------------------------------


def one(text: str) -> Claim:
    claims = extract_claims(text)
    assert len(claims) == 1, claims
    return claims[0]


def seed_claims(with_ner: bool) -> dict[str, tuple[str, list[Claim]]]:
    """Claims of the five seeds as the library stores them, keyed by seed number ("003")."""
    items = list(read_inputs(seed_paths()))
    entities: list[list] = [[] for _ in items]
    if with_ner:
        from crosswire.index.entities.ner import RawMention, load_pipeline

        nlp = load_pipeline()
        entities = [
            [RawMention(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
            for doc in nlp.pipe(item.text for item in items)
        ]
    out = {}
    for item, ents in zip(items, entities, strict=True):
        claims = extract_claims(item.text, entities=ents if with_ner else None)
        for c in claims:  # offsets are into the stored text
            assert item.text[c.start : c.end] == c.text
            assert c.sentence_start <= c.start < c.end <= c.sentence_end
        out[item.source[:3]] = (item.source[:3], claims)
    return out


def by_key(groups: list[ClaimGroup]) -> dict[tuple[str, str], ClaimGroup]:
    return {(g.about, g.event): g for g in groups}


# --- the seeds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("with_ner", [False, True], ids=["text-rules", "with-ner-spans"])
def test_seed_facts(with_ner):
    groups = by_key(group_claims(seed_claims(with_ner)))
    # Exactly these groups: no dates, years, ages, "47 in the 2018 elections", "two Iraqi
    # security officials … explained" (no event), "the third" (an ordinal counts nothing) or
    # "two were shout down" (misspelt event; even spelt right it would be drones intercepted,
    # not a rival count of drones used).
    assert set(groups) == {
        ("drone", "used"),
        ("guard", "injured"),
        ("drone", "intercepted"),  # 004: "intercept two of the drones" — two of the three
        ("protester", "killed"),  # 003: "one protestor was killed"
        ("protester", "injured"),  # 003: "and more than 100 were injured" (noun carried over)
    }
    drones = groups[("drone", "used")]
    assert drones.disputed
    assert [(v.source, v.claim.display, v.claim.change) for v in drones.values] == [
        ("002", 3, None),
        ("003", 3, "initial"),
        ("003", 2, "later"),
        ("004", 3, None),
    ]
    assert "003 initially 3, later 2" in drones.why
    guards = groups[("guard", "injured")]
    assert [(v.source, v.claim.display) for v in guards.values] == [
        ("001", "several"),
        ("002", "multiple"),
        ("003", 7),
    ]
    assert not guards.disputed  # vague and precise, shown side by side
    assert [v.claim.text for v in guards.values] == [
        "several of his security guards",
        "multiple of the PM’s personal body guard",
        "seven members of Kadhimi’s personal protection force",
    ]
    assert groups[("protester", "injured")].values[0].claim.display == ">100"
    assert not any(groups[k].disputed for k in groups if k != ("drone", "used"))


# --- number forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "display", "low", "high", "about", "family"),
    [
        ("Police said three people were killed.", 3, 3, 3, "person", "killed"),
        ("2 soldiers were wounded in the raid.", 2, 2, 2, "soldier", "injured"),
        ("Twenty-five civilians were killed.", 25, 25, 25, "civilian", "killed"),
        ("Twenty five civilians were killed.", 25, 25, 25, "civilian", "killed"),
        (
            "Two thousand five hundred people were evacuated.",
            2500,
            2500,
            2500,
            "person",
            "evacuated",
        ),
        ("One hundred and twenty people were evacuated.", 120, 120, 120, "person", "evacuated"),
        ("A dozen drones were launched at the base.", 12, 12, 12, "drone", "used"),
        ("Half a dozen bodyguards were hurt.", 6, 6, 6, "guard", "injured"),
        ("Half a million people were displaced.", 500_000, 500_000, 500_000, "person", "evacuated"),
        ("Five other bank workers were rescued.", 5, 5, 5, "worker", "rescued"),
        ("Two dozen rockets were fired.", 24, 24, 24, "rocket", "used"),
        ("1,200 homes were destroyed.", 1200, 1200, 1200, "home", "damaged"),
        (
            "1.5 million people were displaced.",
            1_500_000,
            1_500_000,
            1_500_000,
            "person",
            "evacuated",
        ),
        ("More than 100 protesters were arrested.", ">100", 101, None, "protester", "arrested"),
        ("At least 15 people died in the flood.", ">=15", 15, None, "person", "killed"),
        ("Fewer than ten children were hurt.", "<10", 0, 9, "child", "injured"),
        ("Up to 30 fighters were captured.", "<=30", 0, 30, "militant", "arrested"),
        ("About 20 demonstrators were detained.", "~20", 16, 24, "protester", "arrested"),
        ("Nearly 50 houses were damaged.", "~50", 40, 50, "home", "damaged"),
        ("Only two drones were used.", 2, 2, 2, "drone", "used"),
        ("Between 10 and 12 rockets were fired.", "10-12", 10, 12, "rocket", "used"),
        ("10 to 12 rockets were fired.", "10-12", 10, 12, "rocket", "used"),
        ("10-12 rockets were fired.", "10-12", 10, 12, "rocket", "used"),
        ("Two or three UAVs were shot down.", "2-3", 2, 3, "drone", "intercepted"),
        ("The blast killed seven workers.", 7, 7, 7, "worker", "killed"),
        ("Troops detained 40 suspects overnight.", 40, 40, 40, "suspect", "arrested"),
        ("The attack caused 14 deaths.", 14, 14, 14, "person", "killed"),
        ("The death toll rose to 31.", 31, 31, 31, "person", "killed"),
        ("Officials said 12 were killed.", 12, 12, 12, "person", "killed"),
        (
            "The quake left more than 31, 000 people dead.",
            ">31000",
            31001,
            None,
            "person",
            "killed",
        ),
        ("A few hundred youths were arrested.", "a few hundred", 200, 600, "youth", "arrested"),
        (
            "Several dozen protesters were detained.",
            "several dozen",
            36,
            None,
            "protester",
            "arrested",
        ),
    ],
)
def test_number_forms(text, display, low, high, about, family):
    c = one(text)
    assert (c.display, c.low, c.high, c.about, c.family) == (display, low, high, about, family)
    assert text[c.start : c.end] == c.text


@pytest.mark.parametrize(
    ("text", "word", "low", "high"),
    [
        ("Several guards were injured.", "several", 3, None),
        ("Multiple drones were launched.", "multiple", 2, None),
        ("A few soldiers were wounded.", "a few", 2, 6),
        ("Dozens of protesters were arrested.", "dozens", 24, None),
        ("Hundreds of homes were destroyed.", "hundreds", 200, None),
        ("Scores of civilians were killed.", "scores", 40, None),
        ("Tens of thousands of people were displaced.", "tens of thousands", 20_000, None),
        ("Many people were hurt.", "many", None, None),
    ],
)
def test_vague_quantities_stay_vague(text, word, low, high):
    c = one(text)
    assert (c.kind, c.value, c.display, c.low, c.high) == ("vague", None, word, low, high)


def test_noun_carried_over_and_object_position():
    claims = extract_claims(
        "Four soldiers were killed and 12 were wounded. Security forces intercepted two of "
        "the drones, but the third hit the compound."
    )
    assert [(c.display, c.about, c.family, c.text) for c in claims] == [
        (4, "soldier", "killed", "Four soldiers"),
        (12, "soldier", "injured", "12"),
        (2, "drone", "intercepted", "two of the drones"),
    ]


def test_the_patient_is_counted_not_the_agent():
    claims = extract_claims(
        "Two gunmen killed three people. The quake destroyed seven villages, killing 10 "
        "people and injuring 80. Three soldiers were critically injured."
    )
    assert [(c.display, c.about, c.family) for c in claims] == [
        (3, "person", "killed"),
        (7, "village", "damaged"),
        (10, "person", "killed"),
        (80, "person", "injured"),
        (3, "soldier", "injured"),
    ]


@given(st.lists(st.sampled_from(list("0123456789 ,.-:;'’\n") + WORDS), max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_consistent_claims(pieces):
    text = "".join(pieces)
    for c in extract_claims(text):
        assert text[c.start : c.end] == c.text
        assert c.sentence_start <= c.start < c.end <= c.sentence_end
        assert c.low is None or c.high is None or c.low <= c.high


@pytest.mark.parametrize(
    "text",
    [
        "The 45-year-old man was arrested in 2021.",
        "John Smith, 45, was killed on Friday.",
        "Under Resolution 2521, troops were deployed.",
        "Flight 370 was shot down, officials said.",
        "The strike was launched at 10:30 on 7 November.",
        "It was launched on November 7 and on Oct.10 as well.",
        "Prices rose 30% and $5 million was seized.",
        "The third drone was shot down.",
        "No one was hurt.",
        "Two officials said the attack was planned.",
        "F-16 jets were shot down near the G20 venue.",
        "He was jailed for 10 years after the attack killed his wife.",
        "The plant, built in 1987, employs 350 people.",
        "Saw their seats decrease from 47 in the 2018 elections to about 20 seats.",
        "Ten Downing Street was evacuated.",
        "Bettie Page died at the age of 85.",
        "Mark Felt, Deep Throat of Watergate, dead at 95",
        "A mother of 12 was killed.",
        "He was hurt two Sundays ago.",
        "The climber died after falling about 150 metres.",
        "Police could not say how many shots were fired.",
        "He was fired 52 games into the 2003-04 season.",
        "Protests followed the Dec. 6 killing of a teenager.",
        "Engines were sent after several members of the public called.",
        "The island was hit by a 6.1 quake and a 7 degree quake that killed no one.",
        "The villages were damaged: between 40 and 80 percent damage.",
    ],
)
def test_not_claims(text):
    assert extract_claims(text) == []


def test_ner_spans_veto_dates_and_names():
    text = "Seven workers were killed. The Seven Sisters bridge was damaged."
    start = text.index("Seven Sisters")
    span = type("Span", (), {"start": start, "end": start + 13, "label": "FAC"})()
    assert [c.display for c in extract_claims(text, entities=[span])] == [7]


# --- changes over time ----------------------------------------------------------------------------


def test_change_over_time_across_sentences():
    claims = extract_claims(
        "Officials initially said 12 people were killed. The ministry later revised the "
        "figure, saying 9 people were killed."
    )
    assert [(c.display, c.change) for c in claims] == [(12, "initial"), (9, "later")]
    (group,) = group_claims({"x": ("outlet", claims)})
    assert group.disputed and "outlet initially 12, later 9" in group.why


def test_from_to_is_a_change_not_a_range():
    claims = extract_claims(
        "The death toll rose from 5 to 12. Between 5 and 12 rockets were fired."
    )
    assert [(c.display, c.family, c.change) for c in claims] == [
        (5, "killed", "initial"),
        (12, "killed", "later"),
        ("5-12", "used", None),
    ]


def test_change_within_one_sentence_and_no_change_when_equal():
    claims = extract_claims(
        "The army first reported five soldiers killed but later said three soldiers died."
    )
    assert [(c.display, c.change) for c in claims] == [(5, "initial"), (3, "later")]
    same = extract_claims(
        "Police initially said four people were arrested. They later confirmed four "
        "people were arrested."
    )
    assert [c.change for c in same] == [None, None]
    assert not group_claims({"x": ("outlet", same)})[0].disputed


# --- grouping and disputes ------------------------------------------------------------------------


def groups_of(*articles: tuple[str, str]) -> list[ClaimGroup]:
    return group_claims(
        {f"id{n}": (source, extract_claims(text)) for n, (source, text) in enumerate(articles)}
    )


def test_story_without_disputes():
    groups = groups_of(
        ("a", "Three drones were launched at the base. Several guards were injured."),
        ("b", "The base was targeted by three UAVs, and five security guards were wounded."),
        ("c", "At least two drones were used in the attack."),
    )
    assert groups and not any(g.disputed for g in groups)
    keyed = by_key(groups)
    assert {v.claim.display for v in keyed[("drone", "used")].values} == {3, ">=2"}
    assert [v.source for v in keyed[("guard", "injured")].values] == ["a", "b"]


@pytest.mark.parametrize(
    ("first", "second", "disputed"),
    [
        ("Three drones were launched.", "Two drones were launched.", True),
        ("Dozens of people were killed.", "Five people were killed.", True),
        ("More than 100 people were injured.", "50 people were injured.", True),
        ("Several guards were wounded.", "One guard was wounded.", True),
        ("Seven guards were wounded.", "Several guards were wounded.", False),
        ("At least 15 people died.", "20 people were killed.", False),
        ("About 20 people were arrested.", "22 people were detained.", False),
        ("Between 10 and 12 rockets were fired.", "11 rockets were launched.", False),
    ],
)
def test_disputes(first, second, disputed):
    (group,) = groups_of(("a", first), ("b", second))
    assert group.disputed is disputed
    assert group.why


def test_event_families_and_nouns_split_groups():
    groups = groups_of(
        ("a", "Three drones were launched. Two drones were shot down."),
        ("b", "Three drones were fired. Two rockets were fired."),
    )
    keyed = by_key(groups)
    assert set(keyed) == {("drone", "used"), ("drone", "intercepted"), ("rocket", "used")}
    assert not any(g.disputed for g in groups)


def test_generic_people_join_the_one_specific_group_of_their_event():
    keyed = by_key(
        groups_of(
            ("a", "Twelve miners were killed."),
            ("b", "The collapse caused 12 deaths."),
            ("c", "Three guards and two protesters were injured. Five people were injured."),
        )
    )
    assert {v.source for v in keyed[("miner", "killed")].values} == {"a", "b"}
    assert ("person", "killed") not in keyed
    # two specific groups for "injured": the generic count stays apart, nothing is guessed
    assert ("person", "injured") in keyed


def test_to_dict_is_the_cli_shape():
    (group,) = groups_of(("reuters", "Three drones were launched."))
    data = json.loads(json.dumps(group.to_dict()))
    assert data["about"] == "drone" and data["event"] == "used" and data["disputed"] is False
    (value,) = data["values"]
    assert {k: value[k] for k in ("value", "text", "source", "article", "start", "end")} == {
        "value": 3,
        "text": "Three drones",
        "source": "reuters",
        "article": "id0",
        "start": 0,
        "end": 12,
    }
    claim = extract_claims("More than 100 people were injured.")[0].to_dict()
    assert json.loads(json.dumps(claim))["value"] == ">100"


def test_hand_written_story():
    groups = story_groups()
    members = {group_members(g): g.disputed for g in groups}
    expected = dict(EXPECTED)
    # every group the extractor makes is pure: no claims from two different facts in one group
    for got in members:
        assert any(got <= want for want in expected), got
    for want in (0, 1, 2, 3, 5):
        assert members.get(EXPECTED[want][0]) is EXPECTED[want][1], EXPECTED[want]
    assert score(groups)["right"] >= 5


def test_a_date_span_without_a_date_word_does_not_veto_a_count():
    """spaCy's sm model labels "Between 40 and 50" DATE; a count it is, when nothing in the span
    says date (a year, a month, "years", "ago"…)."""
    from crosswire.index.entities.ner import RawMention

    text = "Between 40 and 50 homes were destroyed. In the 1990s two homes were destroyed."
    bare = RawMention(0, 17, "Between 40 and 50", "DATE")
    decade = RawMention(43, 52, "the 1990s", "DATE")
    (claim,) = extract_claims(text, [bare, decade])[:1]
    assert claim.display == "40-50"
    assert len(extract_claims(text, [bare, RawMention(0, 17, "Between 40 and 50", "MONEY")])) == 1
