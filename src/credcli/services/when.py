"""Business dates as typed on the command line: given, or today (``CREDCLI_TODAY``)."""

from __future__ import annotations

import datetime as dt

from credcli.domain import dates
from credcli.errors import FieldError


def day(field: str, value: str | dt.date | None) -> dt.date:
    """The date in ``value``, today when not given; a FieldError naming ``field`` if bad
    (a blank value too: ``--as-of "$DAY"`` with DAY unset must not quietly mean today)."""
    if value is None:
        return dates.today()
    return given(field, value)


def past(field: str, value: str | dt.date | None, what: str) -> dt.date:
    """Like ``day``, for something that has already happened: a date after today is refused.

    ``what`` finishes the message ("a stage move is recorded once it has happened").
    Due dates, effective dates and follow-up dates may lie ahead; events may not.
    """
    found = day(field, value)
    return not_future(field, found, what)


def not_future(field: str, value: dt.date, what: str) -> dt.date:
    today = dates.today()
    if value > today:
        raise FieldError(field, value.isoformat(), f"is in the future (today is {today}); {what}")
    return value


def given(field: str, value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dates.parse_date(value)
    except dates.DateProblem as exc:
        raise FieldError(field, value, str(exc)) from None


def optional(field: str, value: str | dt.date | None) -> dt.date | None:
    return None if value is None or value == "" else given(field, value)
