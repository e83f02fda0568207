"""When an article happened, and how much two stories' dates keep them apart.

Two events of one kind years apart (two earthquakes, two rehab stays) share their words, so
dates are the one signal that separates them; a missing date is neutral, never a penalty.
"""

from __future__ import annotations

import re
from datetime import date

from .records import StoryArticle

# A story's coverage runs for months (the arrest, then the charges, the trial, the inquiry):
# past half a year apart dates start to count, halving yearly, so events of one kind years
# apart still part (five years: 1/20). A month's slack with a 90-day half-life split ECB+
# events whose follow-ups came months later (B³ +0.005–0.01 on odd and even topics alike).
_DATE_SLACK_DAYS = 180
_DATE_HALF_LIFE_DAYS = 365.0

_MONTH_NAMES = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MON = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b"), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+((?:19|20)\d\d)\b"), "dmy"),
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)\b"), "mdy_num"),
)
_URL_DATE = re.compile(
    rf"/((?:19|20)\d\d)/(\d\d?|{_MON})/(\d\d?)(?:/|$)|/((?:19|20)\d\d)-?(\d\d)-?(\d\d)/"
)


def date_factor(first: int | None, last: int | None, lo: int | None, hi: int | None) -> float:
    """1.0 while two date ranges lie within half a year of each other, then halving yearly."""
    if first is None or last is None or lo is None or hi is None:
        return 1.0
    gap = max(0, lo - last, first - hi) - _DATE_SLACK_DAYS
    return 1.0 if gap <= 0 else 0.5 ** (gap / _DATE_HALF_LIFE_DAYS)


def iso(day: int | None) -> str | None:
    """A day number as an ISO date, for the reader; None stays None."""
    return date.fromordinal(day).isoformat() if day is not None else None


def _day(year: int, month: int, dom: int) -> int | None:
    try:
        return date(year, month, dom).toordinal()
    except ValueError:
        return None


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _MONTH_NAMES.get(token[:3], 0)


def article_day(article: StoryArticle) -> int | None:
    """The article's date as a day number: published, else a short date line in the first
    five lines of its text (a dateline, "Posted May 3, 2013 | 8: 20 am"), else a URL date.

    Only short lines near the top count: dates in the body are about other events (a previous
    stay in rehab, the last earthquake).
    """
    day = _published_day(article.published)
    if day is None:
        day = _dateline_day(article.text)
    if day is None:
        day = _url_day(article.url)
    return day


def _published_day(published: str | None) -> int | None:
    if not published:
        return None
    iso_day = published[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso_day):
        return None
    return _day(int(iso_day[:4]), int(iso_day[5:7]), int(iso_day[8:10]))


def _dateline_day(text: str) -> int | None:
    for line in text.split("\n", 6)[:6]:
        line = line.strip().lower()
        if not line or len(line) > 80:
            continue
        for pattern, order in _DATE_PATTERNS:
            match = pattern.search(line)
            if not match:
                continue
            day = _matched_day(order, *match.groups())
            if day is not None:
                return day
    return None


def _matched_day(order: str, a: str, b: str, c: str) -> int | None:
    """The day a date pattern matched, its three groups read in the pattern's order."""
    if order == "mdy":
        return _day(int(c), _month(a), int(b))
    if order == "dmy":
        return _day(int(c), _month(b), int(a))
    if order == "ymd":
        return _day(int(a), int(b), int(c))
    return _day(int(c), int(a), int(b))


def _url_day(url: str) -> int | None:
    match = _URL_DATE.search(url.lower()) if url else None
    if not match:
        return None
    g = match.groups()
    year, month, dom = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
    return _day(int(year), _month(month), int(dom))
