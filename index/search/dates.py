"""Dates in the query language (date:2021, date:>2021-05-01, date:[2020-01 TO 2020-06]) and
articles' published dates as the index stores them (naive UTC)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from crosswire.index.model import QueryError

_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_published(value: str | None) -> datetime | None:
    """An article's ISO 8601 date as naive UTC, or None when it has none we can read."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        match = _PERIOD.fullmatch(value.strip())
        if not match:
            return None
        try:
            return period(value.strip(), value.strip())[0]
        except QueryError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def period(value: str, where: str) -> tuple[datetime, datetime]:
    """[start, end) of YYYY, YYYY-MM or YYYY-MM-DD; where is the query text for the error."""
    bad = QueryError(f"bad date '{value}' in {where} — use YYYY, YYYY-MM or YYYY-MM-DD")
    match = _PERIOD.fullmatch(value)
    if not match:
        raise bad
    year = int(match.group(1))
    month, day = (int(g) if g else None for g in match.groups()[1:])
    try:
        if month is None:
            return datetime(year, 1, 1), datetime(year + 1, 1, 1)
        if day is None:
            start = datetime(year, month, 1)
            return start, (start + timedelta(days=32)).replace(day=1)
        start = datetime(year, month, day)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):
        raise bad from None


_RANGE = re.compile(r"([\[{])\s*(\S*?)\s*\bTO\b\s*(\S*?)\s*([\]}])")
_COMPARE = re.compile(r"(>=|<=|>|<)(.*)")


def date_bounds(value: str) -> tuple[datetime | None, datetime | None]:
    """The [start, end) a date: value covers. `>` is exclusive: >2020-05-01 starts on the 2nd."""
    where = f"date:{value}"
    if not value:
        raise QueryError("date: needs a date — use YYYY, YYYY-MM or YYYY-MM-DD")
    ranged = _RANGE.fullmatch(value)
    if ranged:
        opening, low, high, closing = ranged.groups()
        start = end = None
        if low:
            low_start, low_end = period(low, where)
            start = low_end if opening == "{" else low_start
        if high:
            high_start, high_end = period(high, where)
            end = high_start if closing == "}" else high_end
        if start is None and end is None:
            raise QueryError(f"{where} needs at least one date")
        return start, end
    compared = _COMPARE.fullmatch(value)
    if compared:
        operator, day = compared.groups()
        start, end = period(day.strip(), where)
        return {
            ">": (end, None),
            ">=": (start, None),
            "<": (None, start),
            "<=": (None, end),
        }[operator]
    if value[0] in "[{":
        raise QueryError(f"bad date range in {where} — write date:[2020-01 TO 2020-06]")
    return period(value, where)
