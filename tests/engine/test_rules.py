"""Resolution rules one at a time: each joins what it claims, alone, and switching it off
leaves those names apart (so a benchmark that disables a rule measures that rule)."""

import pytest
from crosswire.index.entities.aliases import UserRules
from crosswire.index.entities.resolve import resolve
from crosswire.index.entities.rules import (
    RULE_NAMES,
    RULES,
    Context,
    NameGroup,
    acronym,
    first_name,
    same_name,
    short_name,
    surname,
)


def g(name: str, kind: str, count: int = 1, *surfaces: str) -> NameGroup:
    return NameGroup(name, kind, (name, *surfaces), count)


# Per rule: names only that rule joins (and the user rows it needs). "user never" is the odd
# one out: it keeps names apart that "surname" would join, so switching it off joins them.
ONLY = {
    "user alias": (
        [g("Big Apple", "GPE"), g("New York", "GPE")],
        UserRules(same=(("Big Apple", "New York"),)),
    ),
    "same name": ([g("U.S.", "GPE"), g("US", "GPE")], UserRules()),
    "spelling variant": ([g("Nova Tech", "ORG", 2), g("NovaTech", "ORG")], UserRules()),
    "person name": (
        [g("Mustafa al-Kadhimi", "PERSON"), g("Mustafa Kazemi", "PERSON")],
        UserRules(),
    ),
    "longer form": (
        [g("Lindsay Lohan", "PERSON", 5), g("Lindsay Lohan Checks Into", "PERSON")],
        UserRules(),
    ),
    "description": (
        [g("Dana Quill", "PERSON", 5), g("Coroner Dana Quill", "PERSON")],
        UserRules(),
    ),
    "surname": ([g("Barack Obama", "PERSON", 4), g("Obama", "PERSON", 6)], UserRules()),
    "first name": ([g("Lindsay Lohan", "PERSON", 4), g("Lindsay", "PERSON")], UserRules()),
    "acronym": ([g("Federal Bureau of Investigation", "ORG", 3), g("FBI", "ORG", 2)], UserRules()),
    "short name": ([g("Indianapolis Colts", "ORG", 3), g("Colts", "ORG", 4)], UserRules()),
    "nickname": (
        [g("Mara Quell", "PERSON", 3, "Grey Heron"), g("Grey Heron", "PERSON")],
        UserRules(),
    ),
}
NEVER = (
    [g("John Smith", "PERSON"), g("Smith", "PERSON")],
    UserRules(never=(("John Smith", "Smith"),)),
)


def joined(
    groups: list[NameGroup], user: UserRules, disabled: frozenset[str] = frozenset()
) -> bool:
    resolution = resolve(groups, user, disabled=disabled)
    return len({resolution.entity_of[(x.name, x.kind)] for x in groups}) == 1


def test_every_rule_is_covered_and_named_once():
    assert len(set(RULE_NAMES)) == len(RULES)
    assert set(ONLY) | {"user never"} == set(RULE_NAMES)


@pytest.mark.parametrize("rule", sorted(ONLY))
def test_switching_a_rule_off_leaves_its_names_apart(rule):
    groups, user = ONLY[rule]
    assert joined(groups, user)
    assert not joined(groups, user, frozenset({rule}))
    others = frozenset(RULE_NAMES) - {rule, "user never"}
    assert joined(groups, user, others), "the rule alone joins them"


def test_switching_user_never_off_lets_the_surname_rule_join():
    groups, user = NEVER
    assert not joined(groups, user)
    assert joined(groups, user, frozenset({"user never"}))
    assert joined(groups, UserRules())


def test_an_unknown_rule_name_is_an_error_not_a_full_resolution():
    groups, user = ONLY["acronym"]
    with pytest.raises(ValueError, match="acronyms"):
        resolve(groups, user, disabled={"acronyms"})


@pytest.mark.parametrize(
    ("rule", "groups", "why"),
    [
        (same_name, [g("U.S.", "GPE"), g("US", "GPE")], "same name"),
        (acronym, ONLY["acronym"][0], "acronym"),
        (surname, ONLY["surname"][0], "surname"),
        (first_name, ONLY["first name"][0], "first name"),
        (short_name, ONLY["short name"][0], "short name"),
    ],
)
def test_a_rule_applied_alone_records_itself_as_why(rule, groups, why):
    ctx = Context(groups)
    rule(ctx)
    assert ctx.sets.find(0) == ctx.sets.find(1)
    assert ctx.joined_by == {0: why, 1: why}


def test_a_claimed_surname_is_not_read_as_a_short_org_name():
    """ "Colts" claimed as the surname of a person stays out of the short-name rule."""
    groups = [g("Indianapolis Colts", "ORG", 3), g("Mike Colts", "PERSON"), g("Colts", "PERSON")]
    ctx = Context(groups)
    surname(ctx)
    short_name(ctx)
    assert ctx.sets.find(2) == ctx.sets.find(1) != ctx.sets.find(0)


def test_an_acronym_far_commoner_than_its_one_candidate_stays_apart_unless_spelled_out():
    bbc = [g("Banstead Baptist Church", "ORG"), g("BBC", "ORG", 40)]
    assert not joined(bbc, UserRules())
    spelled = [g("British Broadcasting Corporation", "ORG", 1, "BBC"), g("BBC", "ORG", 40)]
    assert joined(spelled, UserRules())
