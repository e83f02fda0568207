"""group_claims: the claims of a story's sources grouped by what they count, each group
judged disputed or not with a one-line reason the reader shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .lexicon import HUMAN_FAMILIES
from .records import Claim, ClaimGroup, ClaimValue, compatible


def group_claims(
    claims_by_article: Mapping[str, tuple[str, Sequence[Claim]]],
) -> list[ClaimGroup]:
    """Claims of a story's articles ({article id: (source, claims)}) grouped by what they count.

    Groups come most-reported first (then disputed first, then by name); values keep the order
    of the articles given and of the text.
    """
    buckets: dict[tuple[str, str], list[ClaimValue]] = {}
    for article, (source, claims) in claims_by_article.items():
        for claim in claims:
            key = (claim.about, claim.family)
            buckets.setdefault(key, []).append(ClaimValue(claim, article, source))
    _merge_people(buckets, list(claims_by_article))
    groups = []
    for (about, family), values in buckets.items():
        disputed, why = _judge(values)
        groups.append(ClaimGroup(about, family, tuple(values), disputed, why))
    groups.sort(
        key=lambda g: (-len({v.article for v in g.values}), not g.disputed, g.about, g.event)
    )
    return groups


def _merge_people(buckets: dict[tuple[str, str], list[ClaimValue]], order: list[str]) -> None:
    """Generic "people"/"deaths" claims join the story's one specific group for that event.

    Only events that happen to people (HUMAN_FAMILIES): "12 deaths" is "12 workers killed" when
    workers are the only ones the story counts as killed; with two candidates (guards and
    protesters injured) the generic count stays apart rather than be guessed into one.
    """
    for family in HUMAN_FAMILIES:
        generic = buckets.get(("person", family))
        specific = [k for k in buckets if k[1] == family and k[0] != "person"]
        if generic is None or len(specific) != 1:
            continue
        merged = buckets[specific[0]] + buckets.pop(("person", family))
        merged.sort(key=lambda v: (order.index(v.article), v.claim.start))
        buckets[specific[0]] = merged


def _judge(values: list[ClaimValue]) -> tuple[bool, str]:
    """Whether a group is disputed, and a one-line reason."""
    by_display: dict[str, list[str]] = {}
    for v in values:
        sources = by_display.setdefault(str(v.claim.display), [])
        if v.source not in sources:
            sources.append(v.source)
    listed = [f"{d} ({', '.join(s)})" for d, s in by_display.items()]
    conflicts = [
        (a, b)
        for n, a in enumerate(values)
        for b in values[n + 1 :]
        if not compatible(a.claim, b.claim)
    ]
    changes = []
    for v in values:
        if v.claim.change == "initial":
            later = next(
                (
                    w
                    for w in values
                    if w.article == v.article
                    and w.claim.change == "later"
                    and w.claim.start > v.claim.start
                ),
                None,
            )
            if later is not None:
                changes.append(
                    f"{v.source} initially {v.claim.display}, later {later.claim.display}"
                )
    if conflicts or changes:
        pairs: list[str] = []
        for x, y in conflicts:
            shown = sorted((str(x.claim.display), str(y.claim.display)), key=list(by_display).index)
            pair = " vs ".join(f"{d} ({', '.join(by_display[d])})" for d in shown)
            if pair not in pairs:
                pairs.append(pair)
        parts = ["incompatible values: " + "; ".join(pairs)] if pairs else []
        parts.extend(changes)
        return True, "; ".join(parts)
    if len(by_display) == 1:
        sources = next(iter(by_display.values()))
        if len(sources) == 1:
            return False, f"one source: {listed[0]}"
        return False, f"sources agree: {listed[0]}"
    vague = [x for x, v in zip(listed, by_display, strict=True) if not _is_exactish(values, v)]
    precise = [x for x, v in zip(listed, by_display, strict=True) if _is_exactish(values, v)]
    if vague and precise:
        return False, f"vague {', '.join(vague)} compatible with {', '.join(precise)}"
    return False, "compatible values: " + ", ".join(listed)


def _is_exactish(values: list[ClaimValue], display: str) -> bool:
    return any(str(v.claim.display) == display and v.claim.kind != "vague" for v in values)
