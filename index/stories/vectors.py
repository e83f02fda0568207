"""An article as one sparse unit vector of three TF-IDF blocks: words, entities, title words.

The blocks are normalised separately and then weighted, so a short text with many entities
does not drown its words, nor a long text its entities. Each block keeps only its heaviest
features: the tail adds little to a similarity but bytes to the state and time to every dot.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Mapping

from .records import StoryArticle
from .words import YEAR, terms

Bags = tuple[Counter[str], Counter[str], Counter[str]]

_TEXT_WEIGHT = 1.0
_ENTITY_WEIGHT = 1.0
_TITLE_WEIGHT = 0.6
_TOP_TERMS = 120  # words kept per article vector: the tail adds little but bytes and time
_INDEX_KEYS = 12  # an article's top features that index its story for candidate look-up


def bags(article: StoryArticle) -> Bags:
    """The article's feature counts per block, keys prefixed w:, e: and t: to keep them apart."""
    text_bag = Counter("w:" + t for t in terms(article.text))
    text_bag.update("w:" + y for y in YEAR.findall(article.text))  # a year dates an event too
    entity_bag = Counter("e:" + e.id for e in article.entities if e.id)
    title_bag = Counter("t:" + t for t in terms(article.title))
    return text_bag, entity_bag, title_bag


def vector(blocks: Bags, docs: int, df: Counter[str]) -> dict[str, float]:
    """One unit vector of the three weighted, separately normalised TF-IDF blocks.

    docs and df are the library's counts including this article's batch, so a feature met in
    every story weighs little and a rare name a lot.
    """
    out: dict[str, float] = {}
    total = 0.0
    for bag, weight, cap in zip(
        blocks, (_TEXT_WEIGHT, _ENTITY_WEIGHT, _TITLE_WEIGHT), (_TOP_TERMS, 60, 30), strict=True
    ):
        block = {
            k: (1.0 + math.log(tf)) * (math.log((docs + 1) / (df[k] + 1)) + 1.0)
            for k, tf in bag.items()
        }
        if len(block) > cap:
            block = dict(heapq.nlargest(cap, block.items(), key=lambda kv: (kv[1], kv[0])))
        norm = math.sqrt(sum(w * w for w in block.values()))
        if not norm:
            continue
        total += weight * weight
        out.update((k, weight * w / norm) for k, w in block.items())
    scale = math.sqrt(total)
    return {k: w / scale for k, w in out.items()} if scale else out


def top_keys(vec: Mapping[str, float]) -> list[str]:
    """The features that index a vector's story in the postings: its heaviest few."""
    top = heapq.nlargest(_INDEX_KEYS, vec.items(), key=lambda kv: (kv[1], kv[0]))
    return [k for k, _ in top]
