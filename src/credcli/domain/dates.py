"""Dates as a coordinator types them, and calendar-month arithmetic.

"Months" are calendar months (relativedelta), never 30-day blocks: a cycle
that starts on 31 January ends on the last day of the month that has no 31st.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from dateutil.parser import ParserError, parse
from dateutil.relativedelta import relativedelta

from credcli.errors import InputError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPACT = re.compile(r"^\d{8}$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^\d{4}[-/. ]")  # 2027/03/04, 2027-3-4, 2027.03.04 10:00
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)


class DateProblem(ValueError):
    """Raised with a reason a coordinator can act on."""


def today() -> dt.date:
    """Today's date; ``CREDCLI_TODAY`` pins it for reproducible runs and tests."""
    pinned = os.environ.get("CREDCLI_TODAY")
    if pinned:
        try:
            return parse_date(pinned)
        except DateProblem as exc:
            raise InputError(
                f"CREDCLI_TODAY '{pinned}' {exc}; set it to a date such as 2026-12-02 or unset it"
            ) from None
    return dt.date.today()


def parse_date(text: str, *, dayfirst: bool = False, past: bool = False) -> dt.date:
    """Parse a date written in any common form; refuse partial or impossible dates.

    ``past`` resolves two-digit years into the past (birth dates); otherwise they
    resolve to within 50 years of today, which suits expiry dates.
    """
    raw = text.strip()
    if not raw:
        raise DateProblem("is empty")
    if _ISO.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise DateProblem("is not a real calendar date") from None
    if _COMPACT.match(raw):
        try:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            raise DateProblem("is not a real calendar date") from None
    _check_numeric_order(raw, dayfirst)
    # A date that starts with a 4-digit year is year-month-day in every convention;
    # dateutil would read 2027/03/04 with dayfirst as 3 April.
    yearfirst = _YEAR_FIRST.match(raw) is not None
    if yearfirst:
        dayfirst = False
    try:
        first = parse(raw, dayfirst=dayfirst, yearfirst=yearfirst, default=_DEFAULT_A)
        second = parse(raw, dayfirst=dayfirst, yearfirst=yearfirst, default=_DEFAULT_B)
    except (ParserError, OverflowError, ValueError) as exc:
        reason = str(exc)
        if "out of range" in reason or "must be in" in reason:
            raise DateProblem("is not a real calendar date") from None
        raise DateProblem("is not a date (try YYYY-MM-DD)") from None
    if first != second:
        raise DateProblem("is missing its day, month or year")
    value = first.date()
    if past and _has_two_digit_year(raw) and value > today():
        value = value - relativedelta(years=100)
    return value


def _check_numeric_order(raw: str, dayfirst: bool) -> None:
    """Refuse 15/03/27 read month first (or 03/15/27 read day first), and 26-01-01.

    dateutil would quietly swap day and month, or take 26-01-01 for 26 January 2001,
    when the typist meant 15 March 2027 or 1 January 2026: a silent misreading of a
    date is worse than asking again.
    """
    match = _NUMERIC.match(raw)
    if match is None:
        return
    first, second = int(match.group(1)), int(match.group(3))
    month = second if dayfirst else first
    if month > 12:
        order = ("DD/MM/" if dayfirst else "MM/DD/") + "Y" * len(match.group(4))
        raise DateProblem(f"is not a real calendar date (read as {order}; or write YYYY-MM-DD)")


def _has_two_digit_year(raw: str) -> bool:
    return re.search(r"\d{4}", raw) is None


def add_months(day: dt.date, months: int) -> dt.date:
    result: dt.date = day + relativedelta(months=months)
    return result


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days
