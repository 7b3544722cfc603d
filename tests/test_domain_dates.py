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


@pytest.mark.parametrize(
    ("text", "dayfirst", "order"),
    [
        ("26-01-01", False, "MM/DD/YY"),  # meant 2026-01-01, not 26 January 2001
        ("15/3/27", False, "MM/DD/YY"),
        ("15-03-2027", False, "MM/DD/YYYY"),
        ("3/15/27", True, "DD/MM/YY"),
    ],
)
def test_a_numeric_date_in_the_other_order_is_refused_not_swapped(
    text: str, dayfirst: bool, order: str
) -> None:
    with pytest.raises(DateProblem) as refused:
        parse_date(text, dayfirst=dayfirst)
    assert (
        str(refused.value) == f"is not a real calendar date (read as {order}; or write YYYY-MM-DD)"
    )


def test_numeric_dates_in_the_expected_order_still_parse() -> None:
    assert parse_date("3/15/27") == dt.date(2027, 3, 15)
    assert parse_date("15/3/27", dayfirst=True) == dt.date(2027, 3, 15)
    assert parse_date("1.2.27", dayfirst=True) == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    "text", ["2027/03/04", "2027-3-4", "2027.03.04", "2027/3/4", "2027-03-04 00:00:00"]
)
def test_a_date_that_starts_with_its_year_is_year_month_day_even_dayfirst(text: str) -> None:
    assert parse_date(text, dayfirst=True) == dt.date(2027, 3, 4)
    assert parse_date(text) == dt.date(2027, 3, 4)


def test_a_year_first_date_is_never_read_year_day_month() -> None:
    with pytest.raises(DateProblem, match="is not a real calendar date"):
        parse_date("2027/13/04", dayfirst=True)
