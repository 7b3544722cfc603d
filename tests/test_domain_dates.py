import datetime as dt
import re

import pytest

from credcli.domain.dates import DateProblem, add_months, parse_date


@pytest.mark.parametrize(
    "text", ["03/15/2027", "2027-03-15", "15-Mar-2027", "3/15/27", "20270315", "March 15, 2027"]
)
def test_common_forms_parse(text: str) -> None:
    assert parse_date(text) == dt.date(2027, 3, 15)


def test_dayfirst_reads_day_before_month() -> None:
    assert parse_date("05/03/2027", dayfirst=True) == dt.date(2027, 3, 5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "is not a real calendar date"),
        ("02/30/2026", "is not a real calendar date"),
        ("March 2027", "is missing its day, month or year"),
        ("soon", "is not a date (try YYYY-MM-DD)"),
        ("", "is empty"),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateProblem, match=re.escape(reason)):
        parse_date(text)


def test_two_digit_birth_years_are_in_the_past(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDCLI_TODAY", "2026-11-23")
    assert parse_date("1/5/60", past=True) == dt.date(1960, 1, 5)
    assert parse_date("1/5/60") == dt.date(2060, 1, 5)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2023, 1, 31), 36, dt.date(2026, 1, 31)),
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
    ],
)
def test_months_are_calendar_months(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end
