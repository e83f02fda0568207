"""Story grouping: events stay apart, stories stay put as articles arrive, decisions hold."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from crosswire.index.ingest.inputs import read_inputs
from crosswire.index.model import Incoming, article_id
from crosswire.index.stories import (
    EntityRef,
    GroupingError,
    StoryArticle,
    StoryGrouper,
    article_day,
)
from crosswire.seeds import seed_paths

ROOT = Path(__file__).resolve().parents[2]
MENTIONS = ("mentions", "--jsonl")
ECB = ROOT / "tests" / "data" / "ecbplus-dev" / "articles.jsonl"


def art(aid: str, text: str, title: str = "", published: str | None = None, **kw) -> StoryArticle:
    return StoryArticle(id=aid, text=text, title=title, published=published, **kw)


def ent(eid: str, kind: str = "PERSON") -> EntityRef:
    return EntityRef(eid, kind, eid.title())


# Two earthquakes: the same kind of words, different places, people and years.
QUAKE_A = [
    art(
        f"qa{i}",
        f"A magnitude 6.1 earthquake struck near Lakeport, rattling homes and cutting power. "
        f"Mayor Ellen Barrow said crews from Lakeport and Clearwater were checking bridges. "
        f"The earthquake damaged the old Lakeport courthouse; {extra}",
        title=f"Earthquake shakes Lakeport {i}",
        published=f"2008-03-{10 + i:02d}",
        entities=(ent("lakeport", "GPE"), ent("barrow"), ent("clearwater", "GPE")),
    )
    for i, extra in enumerate(
        [
            "aftershocks followed overnight.",
            "schools closed while engineers inspected them.",
            "residents slept outside fearing aftershocks.",
            "the seismology office measured the earthquake depth.",
        ]
    )
]
QUAKE_B = [
    art(
        f"qb{i}",
        f"A magnitude 5.9 earthquake struck near Dunmore, rattling homes and cutting power. "
        f"Governor Raj Patel said crews from Dunmore and Eastfield were checking bridges. "
        f"The earthquake damaged the Dunmore stadium; {extra}",
        title=f"Earthquake shakes Dunmore {i}",
        published=f"2013-09-{3 + i:02d}",
        entities=(ent("dunmore", "GPE"), ent("patel"), ent("eastfield", "GPE")),
    )
    for i, extra in enumerate(
        [
            "aftershocks followed overnight.",
            "schools closed while engineers inspected them.",
            "residents slept outside fearing aftershocks.",
            "the seismology office measured the earthquake depth.",
        ]
    )
]
FLOOD = [
    art(
        f"fl{i}",
        f"Floodwaters from the swollen Marren river forced thousands from their homes in "
        f"Oskarby as rescuers in boats searched flooded streets. {extra}",
        title="Marren river floods Oskarby",
        published="2011-06-02",
        entities=(ent("marren", "LOC"), ent("oskarby", "GPE")),
    )
    for i, extra in enumerate(["Rain is forecast.", "The army sent trucks.", "Dams held."])
]


def groups(grouper: StoryGrouper, articles: list[StoryArticle]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for a in articles:
        by_story.setdefault(grouper.story_of(a.id) or "", set()).add(a.id)
    return {frozenset(v) for v in by_story.values()}


def ids(articles: list[StoryArticle]) -> frozenset[str]:
    return frozenset(a.id for a in articles)


@pytest.mark.parametrize("batch", [1, 3, 100])
def test_two_events_of_one_kind_are_two_stories(batch: int) -> None:
    """Shared earthquake words do not join events with different places, people and years."""
    articles = [x for pair in zip(QUAKE_A, QUAKE_B, strict=True) for x in pair] + FLOOD
    grouper = StoryGrouper()
    for i in range(0, len(articles), batch):
        grouper.add(articles[i : i + batch])
    assert groups(grouper, articles) == {ids(QUAKE_A), ids(QUAKE_B), ids(FLOOD)}


def test_same_words_years_apart_are_two_stories() -> None:
    """Dates where present: the same report a decade apart is another event."""
    text = "Fire destroyed the Kelby paper mill; firefighters from Kelby fought the fire all night."
    old = [
        art(f"o{i}", text + " " * i, title="Kelby mill fire", published="2001-05-0" + str(i + 1))
        for i in range(3)
    ]
    new = [
        art(
            f"n{i}",
            text + "\n" * (i + 1),
            title="Kelby mill fire",
            published="2012-05-0" + str(i + 1),
        )
        for i in range(3)
    ]
    grouper = StoryGrouper()
    grouper.add(old + new)
    assert groups(grouper, old + new) == {ids(old), ids(new)}


def test_a_story_that_gains_an_article_keeps_its_id_and_others_are_untouched() -> None:
    grouper = StoryGrouper()
    first = grouper.add(QUAKE_A[:3] + QUAKE_B[:3])
    story_a, story_b = first["qa0"], first["qb0"]
    before_b = grouper.story(story_b)
    later = grouper.add([QUAKE_A[3]])
    assert later == {"qa3": story_a}
    assert grouper.story(story_a).articles[-1] == "qa3"
    assert grouper.story(story_b) == before_b  # a story the new article does not touch
    # The flood is new: it starts a story, and no earlier assignment changed.
    grouper.add(FLOOD)
    assert {a: grouper.story_of(a) for a in first} == first
    assert grouper.story_of("fl0") not in (story_a, story_b)


def test_readding_articles_changes_nothing() -> None:
    grouper = StoryGrouper()
    first = grouper.add(QUAKE_A + QUAKE_B)
    state = json.dumps(grouper.to_dict(), sort_keys=True)
    again = grouper.add(QUAKE_A + QUAKE_B + QUAKE_A)
    assert again == first
    assert json.dumps(grouper.to_dict(), sort_keys=True) == state


def test_decisions_hold_after_more_articles_arrive() -> None:
    grouper = StoryGrouper()
    grouper.add(QUAKE_A[:3] + QUAKE_B[:3] + FLOOD[:2])
    a, b, flood = grouper.story_of("qa0"), grouper.story_of("qb0"), grouper.story_of("fl0")
    assert a and b and flood and len({a, b, flood}) == 3
    grouper.move("qa2", b)  # the user says qa2 belongs to the Dunmore story
    part = grouper.split(b, ["qb1", "qb2"])  # and that two Dunmore articles are another story
    merged = grouper.merge(a, flood)  # and that the flood is the Lakeport story
    assert merged == min(a, flood, key=lambda s: int(s[1:]))
    grouper.add(QUAKE_A[3:] + QUAKE_B[3:] + FLOOD[2:])  # more articles arrive
    assert grouper.story_of("qa2") == b
    assert {grouper.story_of("qb1"), grouper.story_of("qb2")} == {part}
    assert grouper.story_of("qb0") == b
    assert grouper.story_of("qa0") == grouper.story_of("fl0") == merged
    assert grouper.resolve(flood if merged == a else a) == merged  # the old id redirects
    assert [d["op"] for d in grouper.decisions] == ["move", "split", "merge"]
    # The new articles joined the stories the decisions shaped; none started a story.
    assert grouper.story_of("qa3") in (merged, b)  # b now holds a Lakeport article too
    assert grouper.story_of("qb3") in (b, part)
    assert grouper.story_of("fl2") == merged
    assert len(grouper.stories()) == 3


def test_decisions_survive_a_json_round_trip() -> None:
    grouper = StoryGrouper()
    grouper.add(QUAKE_A[:3] + QUAKE_B[:3])
    grouper.move("qa2", grouper.story_of("qb0") or "")
    state = json.loads(json.dumps(grouper.to_dict()))
    loaded = StoryGrouper.from_dict(state)
    assert loaded.to_dict() == grouper.to_dict()
    assert loaded.stories() == grouper.stories()
    # Both continue identically.
    assert loaded.add(QUAKE_A[3:] + FLOOD) == grouper.add(QUAKE_A[3:] + FLOOD)
    assert loaded.story_of("qa2") == loaded.story_of("qb0")


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.pop("articles"),
        lambda s: s.update(version=99),
        lambda s: s["stories"].update(s999=["not an article"]),
        lambda s: s["stories"].update(s999=[]),
        lambda s: s["stories"].update(s999=["qa0"]),  # in two stories
        lambda s: s["articles"].update(stray=s["articles"]["qa0"]),  # in no story
        lambda s: s["articles"]["qa0"].update(vec="nonsense"),
    ],
)
def test_a_damaged_state_is_one_clear_error(damage) -> None:
    grouper = StoryGrouper()
    grouper.add(QUAKE_A)
    state = grouper.to_dict()
    damage(state)
    with pytest.raises(GroupingError) as error:
        StoryGrouper.from_dict(state)
    assert "\n" not in str(error.value)


def test_bad_decisions_are_refused_and_change_nothing() -> None:
    grouper = StoryGrouper()
    grouper.add(QUAKE_A + QUAKE_B)
    state = grouper.to_dict()
    a, b = grouper.story_of("qa0") or "", grouper.story_of("qb0") or ""
    for call in (
        lambda: grouper.move("nope", a),
        lambda: grouper.move("qa0", "s999"),
        lambda: grouper.split(a, ["qb0"]),
        lambda: grouper.split(a, [x.id for x in QUAKE_A]),
        lambda: grouper.split(a, []),
        lambda: grouper.merge(a, "s999"),
    ):
        with pytest.raises(GroupingError):
            call()
    assert grouper.to_dict() == state
    assert b


def test_bad_articles_are_refused_one_line() -> None:
    with pytest.raises(GroupingError, match="without an id"):
        StoryArticle(id="", text="x")
    with pytest.raises(GroupingError, match="strings"):
        StoryArticle(id="a", text=None)  # type: ignore[arg-type]


def test_moving_the_last_article_out_redirects_the_empty_story() -> None:
    grouper = StoryGrouper()
    grouper.add(QUAKE_A + FLOOD[:1])
    lone = grouper.story_of("fl0") or ""
    a = grouper.story_of("qa0") or ""
    grouper.move("fl0", a)
    assert grouper.resolve(lone) == a
    assert grouper.story(lone).id == a
    assert all(s.id != lone for s in grouper.stories())


def test_story_label_dates_and_sources() -> None:
    grouper = StoryGrouper()
    articles = [
        art(
            f"k{i}",
            f"A drone attack targeted the Baghdad home of Mustafa al-Kadhimi. Kadhimi was "
            f"unhurt after the drone attack, officials said. {extra}",
            title=f"Drone attack on Kadhimi home in Baghdad {extra}",
            published=f"2021-11-0{7 + i}",
            source=src,
            entities=(
                EntityRef("kad", "PERSON", "Kadhimi"),
                EntityRef("kad", "PERSON", "Mustafa al-Kadhimi"),
                EntityRef("bag", "GPE", "Baghdad"),
            ),
        )
        for i, (src, extra) in enumerate([("Reuters", "x"), ("AP", "y"), ("Reuters", "z")])
    ]
    grouper.add(articles)
    (story,) = grouper.stories()
    assert story.label == "Kadhimi · drone attack · Baghdad"
    assert (story.first, story.last) == ("2021-11-07", "2021-11-09")
    assert story.sources == ("Reuters", "AP")


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Title\nMay 03, 2013\nBody.", "", "2013-05-03"),
        ("Title\nPUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM\nBody.", "", "2013-05-02"),
        ("Title\n05 / 02 / 2013\nBody.", "", "2013-05-02"),
        ("Title\n14 June 2013\nBody.", "", "2013-06-14"),
        ("Title\nFri., Sept. 3, 2010 11: 45 AM PDT\nBody.", "", "2010-09-03"),
        ("Title\nBody with no date.", "http://x.com/2013/may/03/story", "2013-05-03"),
        ("Title\nBody with no date.", "http://x.com/news/2012/11/30/a-b", "2012-11-30"),
        ("Title\nNo date.", "http://x.com/2013/02/31/bad", None),  # not a real day
        ("Title\n" + "Body " * 30 + "since May 3, 2001 and more words here to be long.", "", None),
        ("Title\nBody.\nMore.\nMore.\nMore.\nMore.\nMay 3, 2001", "", None),  # too far down
    ],
)
def test_article_dates(text: str, url: str, expected: str | None) -> None:
    day = article_day(StoryArticle(id="d", text=text, url=url))
    from datetime import date

    assert (date.fromordinal(day).isoformat() if day else None) == expected


def test_published_wins_over_text_dates() -> None:
    a = StoryArticle(id="d", text="T\nMay 3, 2013\n", published="2014-01-02T10:00:00+00:00")
    assert article_day(a) == article_day(StoryArticle(id="e", text="T\n2014-01-02\n"))


@pytest.fixture(scope="module")
def seeds(seeded_master: Path) -> list[StoryArticle]:
    """The seeds as the library holds them: text and the entities it resolved (via the CLI)."""
    out = subprocess.run(
        [sys.executable, "-m", "crosswire.tui.cli", "--library", str(seeded_master), *MENTIONS],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    mentions: dict[str, list[EntityRef]] = {}
    for line in out.splitlines():
        m = json.loads(line)
        mentions.setdefault(m["article"], []).append(EntityRef(m["entity"], m["kind"], m["text"]))
    articles = [
        StoryArticle(
            id=article_id(item.text),
            text=item.text,
            title=item.title,
            source=item.source,
            url=item.url,
            published=item.published,
            entities=tuple(mentions[item.ref]),
        )
        for item in read_inputs(seed_paths())
        if isinstance(item, Incoming)
    ]
    assert len(articles) == 5
    return articles


@pytest.fixture(scope="module")
def ecb() -> list[StoryArticle]:
    articles = []
    with ECB.open(encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            articles.append(
                StoryArticle(
                    id=article_id(raw["text"]),
                    text=raw["text"],
                    title=raw["title"],
                    source=raw["source"],
                    url=raw["url"],
                )
            )
    return articles


def test_seeds_are_one_story_and_ecb_does_not_change_it(seeds, ecb) -> None:
    grouper = StoryGrouper()
    grouper.add(seeds)
    (story,) = grouper.stories()
    for i in range(0, len(ecb), 200):
        grouper.add(ecb[i : i + 200])
    assert grouper.story(story.id) == story
    assert len(grouper.stories()) > 30


def test_seeds_added_after_ecb_are_one_story_of_their_own(seeds, ecb) -> None:
    grouper = StoryGrouper()
    grouper.add(ecb)
    got = grouper.add(seeds)
    assert len(set(got.values())) == 1
    (sid,) = set(got.values())
    assert set(grouper.story(sid).articles) == {a.id for a in seeds}


def _ferry(tag: str, ship: str, captain: str, port: str, count: int) -> list[StoryArticle]:
    """Undated reports of one ferry sinking: the words every sinking shares, one ship's names."""
    extras = [
        "Divers searched the hull overnight.",
        "Relatives waited at the terminal for news.",
        "The coast guard opened an inquiry into the crossing.",
        "Survivors described water flooding the car deck.",
        "The operator suspended its other crossings.",
        "Rescue boats pulled passengers from the cold sea.",
    ]
    return [
        art(
            f"{tag}{i}",
            f"A passenger ferry sank in rough seas; rescue crews and the coast guard searched "
            f"for missing passengers after the ferry capsized. The {ship} left {port} with "
            f"{captain} at the helm, and officials in {port} said the {ship} listed before it "
            f"sank. {extras[i % len(extras)]}",
            title=f"Ferry sinks, passengers missing {i}",
            entities=(ent(ship.lower(), "PRODUCT"), ent(captain.lower()), ent(port.lower(), "GPE")),
        )
        for i in range(count)
    ]


FERRY_A = _ferry("fa", "Aurelia", "Jonas Hale", "Brinmouth", 6)
FERRY_B = _ferry("fb", "Stellamar", "Ines Moreau", "Calvera", 6)


@pytest.mark.parametrize(
    "batch",
    [
        pytest.param(
            1,
            marks=pytest.mark.xfail(
                strict=True,
                reason="known gap: one article at a time, each joins by library-wide weights "
                "before either event has the two articles the contrast test needs",
            ),
        ),
        4,
        12,
    ],
)
def test_two_undated_events_of_one_kind_stay_two_stories(batch: int) -> None:
    """Without dates to tell them apart, the ship, captain and port each event names do: the
    shared ferry-sinking words weigh nothing between the two groups (the contrast test)."""
    articles = [x for pair in zip(FERRY_A, FERRY_B, strict=True) for x in pair]
    grouper = StoryGrouper()
    for i in range(0, len(articles), batch):
        grouper.add(articles[i : i + batch])
    assert groups(grouper, articles) == {ids(FERRY_A), ids(FERRY_B)}


def test_contrast_tells_two_events_from_two_halves_of_one() -> None:
    """Halves of one event are about as alike across as within; two events are not; one
    article against a story is never enough to refuse a merge."""
    from crosswire.index.stories import vectors
    from crosswire.index.stories.contrast import distinct

    pool = FERRY_A + FERRY_B
    df: Counter[str] = Counter()
    bags = {a.id: vectors.bags(a) for a in pool}
    for blocks in bags.values():
        df.update(set().union(*blocks))
    vec = {aid: vectors.vector(b, len(pool), df) for aid, b in bags.items()}
    a = [vec[x.id] for x in FERRY_A]
    b = [vec[x.id] for x in FERRY_B]
    assert distinct(a[:3], b[:3])
    assert not distinct(a[:3], a[3:])
    assert not distinct(b[:2], b[2:])
    assert not distinct(a[:1], b)


# One event in two phases a few weeks apart: the fire, then the owner charged over it. The
# phases name different people and words, so under their own IDF they read as two events.
_BLAZE = [
    "guests fled down smoke-filled stairs",
    "ladders reached the top floor",
    "the roof collapsed before dawn",
    "ambulances took six guests to hospital",
]
_CHARGE = [
    "the owner was held overnight",
    "inspectors had warned about the exits",
    "the court set bail at a million",
    "his lawyer denied every charge",
]
HOTEL_FIRE = [
    art(
        f"hf{i}",
        "Fire gutted the Seaview Hotel in Varna. Fire chief Nils Olsen said crews battled the "
        f"blaze for hours as smoke and flames spread; {extra}.",
        title=f"Seaview Hotel fire in Varna {i}",
        published=f"2020-02-0{i + 1}",
        entities=(ent("seaview", "FAC"), ent("varna", "GPE"), ent("olsen")),
    )
    for i, extra in enumerate(_BLAZE)
]
HOTEL_CHARGE = [
    art(
        f"hc{i}",
        "Prosecutor Mira Dimova charged the owner of the Seaview Hotel in Varna, Petar Kolev, "
        f"with negligence over the fire; {extra}. Kolev was arrested after an inquiry into fire "
        "exits.",
        title=f"Seaview Hotel owner charged over Varna fire {i}",
        published=f"2020-02-2{i + 1}",
        entities=(ent("seaview", "FAC"), ent("varna", "GPE"), ent("dimova"), ent("kolev")),
    )
    for i, extra in enumerate(_CHARGE)
]


@pytest.mark.parametrize("batch", [1, 4, 8])
def test_two_dated_phases_of_one_event_stay_one_story(batch: int) -> None:
    """Dated weeks apart, the fire and the charges over it are one story: where both groups
    carry dates the dates decide, and the contrast test (which would part the phases, as it
    still does for undated ones) does not refuse the merge."""
    articles = [x for pair in zip(HOTEL_FIRE, HOTEL_CHARGE, strict=True) for x in pair]
    grouper = StoryGrouper()
    for i in range(0, len(articles), batch):
        grouper.add(articles[i : i + batch])
    assert groups(grouper, articles) == {ids(articles)}
    # Years apart, the same two phases are two stories: the dates still part what they should.
    later = [
        StoryArticle(**{**a.__dict__, "id": "later-" + a.id, "published": "2026-02-21"})
        for a in HOTEL_CHARGE
    ]
    grouper = StoryGrouper()
    grouper.add(HOTEL_FIRE + later)
    assert groups(grouper, HOTEL_FIRE + later) == {ids(HOTEL_FIRE), ids(later)}
