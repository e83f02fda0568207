"""The JSON shapes scripts read, produced from the model records in one place.

Every command that prints JSON builds it here, so one thing has one key everywhere:
`id` is crosswire's id of an article (a hash of its text), `ref` the id its source gave it,
then `source`, `title`, `url`, `published`. A mention names its article with `ref` (and
`article`, see `mention_json`) and its entity with `entity` (the id) and `entity_name`. Plain
dicts of plain values, ready for `json.dumps`; nothing here knows about a terminal.
"""

from __future__ import annotations

from dataclasses import asdict

from .model import (
    AddReport,
    Article,
    ArticleSummary,
    Decision,
    EntityDetail,
    EntitySummary,
    Mention,
    MentionInContext,
    SearchHit,
)

JSON = dict[str, object]


def article_json(article: Article) -> JSON:
    """One stored article with its verbatim text (`show --json`): every field of `Article`."""
    return asdict(article)


def summary_json(summary: ArticleSummary) -> JSON:
    """One row of the article list (`list --json`): the article's keys without its text."""
    return asdict(summary)


def hit_json(hit: SearchHit) -> JSON:
    """One search result (`search --json`): the article's keys, its score, the snippet and
    `hits`, the [start, end] offsets of every match in the article's stored text."""
    return {
        "id": hit.id,
        "ref": hit.ref,
        "source": hit.source,
        "title": hit.title,
        "published": hit.published,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "hits": [list(pair) for pair in hit.hits],
    }


def add_report_json(report: AddReport) -> JSON:
    """What one `add` did (`add --json`): counts and each skipped input with its reason."""
    return {
        "added": report.added,
        "present": report.present,
        "annotated": report.annotated,
        "skipped": [{"where": s.where, "reason": s.reason} for s in report.skipped],
    }


def entity_summary_json(entity: EntitySummary) -> JSON:
    """One row of the entity list (`entities --json`)."""
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "other_names": list(entity.other_names),
        "mentions": entity.mentions,
        "articles": entity.articles,
        "sources": list(entity.sources),
    }


def mention_json(mention: Mention, ref: str, entity_name: str) -> JSON:
    """One mention (`mentions --jsonl`): its article's `ref`, the character offsets into the
    stored text, what it says and the entity it was resolved to (`entity` and `entity_name`
    are "" for a mention not resolved yet).

    `article` is the ref too, not the crosswire id: these lines are the PREDICTED file of the
    shared scorer (bench/score_entities.py, kept verbatim), which matches `article` against
    the ids the corpus gave its articles, and scripts have read `article` so since the start.
    """
    return {
        "article": ref,
        "ref": ref,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
        "entity": mention.entity_id,
        "entity_name": entity_name,
    }


def mention_in_context_json(mention: MentionInContext) -> JSON:
    """One mention of an entity with its article (`article` is the crosswire id here, as
    `entity --json` has always printed it, and `ref` the source's), the article's source and
    title and the text around it."""
    return {
        "article": mention.article_id,
        "ref": mention.ref,
        "source": mention.source,
        "title": mention.title,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "before": mention.before,
        "after": mention.after,
    }


def entity_json(detail: EntityDetail) -> JSON:
    """One entity (`entity --json`): its names with the rule that joined each, its mention
    count and its mentions grouped by source."""
    return {
        "id": detail.id,
        "name": detail.name,
        "kind": detail.kind,
        "aliases": [
            {"name": a.name, "rule": a.rule, "mentions": a.mentions} for a in detail.aliases
        ],
        "mentions": detail.mention_count,
        **({"redirected_from": detail.redirected_from} if detail.redirected_from else {}),
        "mentions_by_source": {
            source: [mention_in_context_json(m) for m in mentions]
            for source, mentions in detail.mentions_by_source.items()
        },
    }


def decision_json(decision: Decision) -> JSON:
    """One entry of the decision log (`decisions --json`); seq is what `undo N` takes."""
    return {
        "seq": decision.seq,
        "action": decision.action,
        "summary": decision.summary,
        "made_at": decision.made_at,
        "state": decision.state,
    }
