"""The JSON shapes scripts read, produced from the model records in one place.

Every command that prints JSON builds it here, so one thing has one key everywhere:
`id` is crosswire's id of an article (a hash of its text), `ref` the id its source gave it,
then `source`, `title`, `url`, `published` — in every shape that shows an article, a search
hit and a mention's article included. A mention names its article with `ref` (and
`article`, see `mention_json`) and its entity with `entity` (the id) and `entity_name`. Plain
dicts of plain values, ready for `json.dumps`; nothing here knows about a terminal.
"""

from __future__ import annotations

from dataclasses import asdict

from .model import (
    AddReport,
    Article,
    ArticleSummary,
    Citation,
    Decision,
    EntityDetail,
    EntityHint,
    EntitySummary,
    Mention,
    MentionInContext,
    SearchHit,
    SearchResults,
)

Citations = dict[str, Citation]

JSON = dict[str, object]


def article_json(article: Article) -> JSON:
    """One stored article with its verbatim text (`show --json`): every field of `Article`."""
    return asdict(article)


def summary_json(summary: ArticleSummary) -> JSON:
    """One row of the article list (`list --json`): the article's keys without its text."""
    return asdict(summary)


def hit_json(hit: SearchHit, citation: Citation | None = None) -> JSON:
    """One search result (`search --json`): the article's keys (its `url` from citation),
    its score, the snippet and `hits`, the [start, end] offsets of every match in the
    article's stored text."""
    return {
        "id": hit.id,
        "ref": hit.ref,
        "source": hit.source,
        "title": hit.title,
        "url": citation.url if citation else "",
        "published": hit.published,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "hits": [list(pair) for pair in hit.hits],
    }


def hint_json(hint: EntityHint) -> JSON:
    """A query word that names an entity known under other names ("also written")."""
    return {
        "word": hint.word,
        "entity": hint.entity_id,
        "entity_name": hint.name,
        "other_names": list(hint.other_names),
    }


def search_json(results: SearchResults, citations: Citations | None = None) -> JSON:
    """A whole search (`search --json`): the query, the `total` of matching articles (a lower
    bound when `partial`), each source's count, the spelling `suggestion` when nothing
    matched, the `also_written` hints and the hits shown."""
    cited = citations or {}
    return {
        "query": results.query,
        "total": results.total,
        "partial": results.partial,
        "suggestion": results.suggestion,
        "also_written": [hint_json(h) for h in results.entity_hints],
        "source_counts": dict(results.source_counts),
        "hits": [hit_json(h, cited.get(h.id)) for h in results.hits],
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


def mention_json(
    mention: Mention, ref: str, entity_name: str, citation: Citation | None = None
) -> JSON:
    """One mention (`mentions --jsonl`): its article's `ref`, `source` and `url`, the
    character offsets into the stored text, what it says and the entity it was resolved to
    (`entity` and `entity_name` are "" for a mention not resolved yet).

    `article` is the ref too, not the crosswire id: these lines are the PREDICTED file of the
    shared scorer (bench/score_entities.py, kept verbatim), which matches `article` against
    the ids the corpus gave its articles, and scripts have read `article` so since the start.
    """
    return {
        "article": ref,
        "ref": ref,
        "source": citation.source if citation else "",
        "url": citation.url if citation else "",
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
        "entity": mention.entity_id,
        "entity_name": entity_name,
    }


def mention_in_context_json(
    mention: MentionInContext,
    citation: Citation | None = None,
    entity: tuple[str, str] = ("", ""),
) -> JSON:
    """One mention of an entity with its article (`article` is the crosswire id here, as
    `entity --json` has always printed it, and `ref` the source's), the article's source,
    title, date and url, the text around it, and the entity (`entity`, `entity_name`)."""
    return {
        "article": mention.article_id,
        "ref": mention.ref,
        "source": mention.source,
        "title": mention.title,
        "published": citation.published if citation else None,
        "url": citation.url if citation else "",
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "before": mention.before,
        "after": mention.after,
        "entity": entity[0],
        "entity_name": entity[1],
    }


def entity_json(detail: EntityDetail, citations: Citations | None = None) -> JSON:
    """One entity (`entity --json`): its names with the rule that joined each, its mention
    count and its mentions grouped by source, each with its article's date and url."""
    cited = citations or {}
    who = (detail.id, detail.name)
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
            source: [mention_in_context_json(m, cited.get(m.article_id), who) for m in mentions]
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


def entity_article_ids(detail: EntityDetail) -> list[str]:
    """The ids of the articles an entity's mentions are in (to look up their citations)."""
    return list(
        dict.fromkeys(m.article_id for ms in detail.mentions_by_source.values() for m in ms)
    )
