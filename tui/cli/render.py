"""What the commands print for people (Rich) and for scripts (JSON on stdout).

markup=False and emoji=False: nothing printed is ever parsed, whatever a name, title or source
holds ("[/]Kazemi", ":smile:"), so markup is impossible by construction on every print, table
title and cell; styles are only ever given as Style/Text objects, and text from the user or an
article goes through `one_line`/`printable` so no escape sequence reaches the terminal.
"""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..highlight import in_context, marked
from ..safe import PARTIAL, counted, one_line, printable
from . import engine
from .engine import (
    AddReport,
    Article,
    ArticleSummary,
    Decision,
    EntityDetail,
    EntitySummary,
    SearchResults,
)

MARK = Style(bold=True, reverse=True)  # a mention or hit in printed context

out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)


def folded(names: list[str]) -> list[tuple[str, list[str]]]:
    """Names with their case and punctuation variants folded together (naming.py)."""
    return list(engine.fold_variants(names))


def fail(message: str) -> None:
    """The one line every failure ends in."""
    err.print(Text(f"crosswire: {one_line(message)}", style="red"))


def warn(message: str) -> None:
    """A notice on stderr (waiting for a lock, a skipped input): one line, yellow."""
    err.print(Text(one_line(message), style="yellow"))


def say(message: str) -> None:
    """What a command did, on stderr, so stdout stays for results."""
    err.print(Text(one_line(message)))


def dump(value: object) -> None:
    """JSON for scripts: UTF-8 as is (JSON escapes control characters itself)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _table(title: str) -> Table:
    return Table(title=Text(title), title_justify="left", expand=True)


table_titled = _table  # for the commands kept in their own modules (stories.py)


def add_summary(report: AddReport) -> str:
    """`added N, already present N, skipped N` and, when NER ran, how many it annotated."""
    line = f"added {report.added}, already present {report.present}, skipped {len(report.skipped)}"
    if report.annotated:
        line += f"; entities extracted for {report.annotated}"
    return line


def search_results(results: SearchResults) -> None:
    """Entity hints and notices on stderr, the results as a table on stdout."""
    for hint in results.entity_hints:
        others = ", ".join(hint.other_names)
        line = f'{hint.word} is also written {others} — search entity:"{hint.name}"'
        err.print(Text(one_line(line), style="cyan"))
    if not results.hits:
        if results.partial:
            say(f"no articles found before the search was cut short — {PARTIAL}")
            return
        message = "no articles match"
        if results.suggestion:
            message += f" — did you mean: {results.suggestion}"
        say(message)
        return
    if results.partial:
        say(f"{PARTIAL}; the count is a lower bound")
    verb = "matches" if results.total == 1 else "match"
    title = f"{'at least ' if results.partial else ''}{counted(results.total, 'article')} {verb}"
    if len(results.hits) < results.total:
        title += f", first {len(results.hits)} shown"
    table = _table(title)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=24)
    table.add_column("date", no_wrap=True)
    table.add_column("title · snippet", ratio=1)
    for n, hit in enumerate(results.hits, 1):
        cell = Text(one_line(hit.title), style="bold")
        cell.append("\n")
        cell.append_text(marked(hit.snippet, hit.snippet_hits, MARK))
        published = Text(one_line(hit.published or "")[:10])
        table.add_row(str(n), Text(one_line(hit.source)), published, cell)
    out.print(table)


def article(article: Article) -> None:
    """Title, sources, date and URL, ids, then the text."""
    out.print(Text(one_line(article.title), style="bold"))
    meta = " · ".join(
        x for x in (", ".join(article.sources), article.published or "", article.url) if x
    )
    out.print(Text(one_line(meta), style="dim"))
    out.print(Text(f"id {article.id} · ref {one_line(article.ref)}", style="dim"))
    out.print()
    out.print(Text(printable(article.text)))


def article_list(rows: list[ArticleSummary]) -> None:
    """A table of articles: short id, source, date, words, title."""
    table = _table(counted(len(rows), "article"))
    for name in ("id", "source", "date", "words", "title"):
        table.add_column(
            name, no_wrap=name != "title", justify="right" if name == "words" else "left"
        )
    for r in rows:
        table.add_row(
            r.id[:10],
            Text(one_line(r.source)),
            Text(one_line(r.published or "")[:10]),
            str(r.words),
            Text(one_line(r.title)),
        )
    out.print(table)


def source_counts(counts: dict[str, int]) -> None:
    """One line a source: its article count, then its name."""
    for source, n in counts.items():
        out.print(Text(f"{n:6}  {one_line(source)}"))


def entity_list(rows: list[EntitySummary]) -> None:
    """A table of entities: name, kind, mentions, sources, other names."""
    table = _table(counted(len(rows), "entity"))
    for name in ("name", "kind", "mentions", "sources", "other names"):
        table.add_column(name, justify="right" if name in ("mentions", "sources") else "left")
    for e in rows:
        table.add_row(
            Text(one_line(e.name)),
            Text(e.kind),
            str(e.mentions),
            str(len(e.sources)),
            Text(
                one_line(
                    ", ".join(
                        engine.with_variants(n, v) for n, v in engine.fold_variants(e.other_names)
                    )
                )
            ),
        )
    out.print(table)


def entity(detail: EntityDetail) -> None:
    """The entity's name and counts, its other names with why (spelling variants folded:
    "al-Kadhimi (also Al-Kadhimi)"), its mentions by source."""
    if detail.redirected_from:
        out.print(Text(f"{detail.redirected_from} was merged into {detail.id}", style="dim"))
    out.print(
        Text(
            f"{one_line(detail.name)}  {detail.kind}  ·  {counted(detail.mention_count, 'mention')}"
            f" in {counted(len(detail.mentions_by_source), 'source')}",
            style="bold",
        )
    )
    commonest = sorted(detail.aliases, key=lambda a: -a.mentions)  # the commonest spelling leads
    rules = {a.name: a.rule for a in commonest}
    for name, variants in engine.fold_variants([detail.name, *rules]):
        if name != detail.name or variants:
            why = f"  ({rules[name]})" if name in rules else ""
            label = one_line(engine.with_variants(name, variants))
            out.print(Text(f"  {'also ' if name != detail.name else ''}{label}{why}", style="dim"))
    for source, mentions in detail.mentions_by_source.items():
        out.print()
        out.print(Text(f"{one_line(source)} ({len(mentions)})", style="bold underline"))
        for m in mentions:
            out.print(Text("  ").append_text(in_context(m.before, m.text, m.after, MARK)))


def decisions(rows: list[Decision]) -> None:
    """The decision log, one line an entry: number, time, state when not active, summary."""
    if not rows:
        say("no decisions yet")
    for d in rows:
        state = "" if d.state == "active" else f" [{d.state}]"
        out.print(Text(f"{d.seq:4}  {d.made_at}{state}  {one_line(d.summary)}"))
