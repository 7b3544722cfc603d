import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credcli.domain import dates, expiry

D = dt.date


@pytest.mark.parametrize(
    ("days_left", "band"),
    [
        (-400, "expired"),
        (-1, "expired"),
        (0, "7"),
        (7, "7"),
        (8, "14"),
        (14, "14"),
        (15, "30"),
        (30, "30"),
        (31, "60"),
        (60, "60"),
        (61, "90"),
        (90, "90"),
        (91, "later"),
    ],
)
def test_band_edges(days_left: int, band: str) -> None:
    assert expiry.band(days_left) == band


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(-60, 60))
def test_fast_month_arithmetic_agrees_with_relativedelta(day: dt.date, months: int) -> None:
    assert expiry.add_months(day, months) == dates.add_months(day, months)


def test_recredentialing_from_a_leap_day_is_due_on_the_last_day_of_february() -> None:
    assert expiry.recred_due(D(2024, 2, 29), None) == D(2027, 2, 28)


def test_recredentialing_from_a_month_end_keeps_the_month_end() -> None:
    assert expiry.recred_due(D(2023, 1, 31), None) == D(2026, 1, 31)
    assert expiry.recred_due(D(2023, 8, 31), None) == D(2026, 8, 31)


def test_a_recorded_due_date_wins_over_the_cycle() -> None:
    assert expiry.recred_due(D(2023, 1, 31), D(2025, 6, 1)) == D(2025, 6, 1)
    assert expiry.recred_due(None, None) is None


@pytest.mark.parametrize(
    ("on", "text"),
    [
        (D(2027, 2, 27), "recredentialing due"),
        (D(2027, 2, 28), "recredentialing due"),
        (D(2027, 3, 1), "recredentialing overdue: decide by 2027-03-30 (30-day late window)"),
        (D(2027, 3, 30), "recredentialing overdue: decide by 2027-03-30 (30-day late window)"),
        (D(2027, 3, 31), "recredentialing lapsed: initial credentialing required"),
    ],
)
def test_late_window_is_30_days_after_the_due_date(on: dt.date, text: str) -> None:
    assert expiry.recred_item(D(2027, 2, 28), on) == text


def test_privileges_end_after_24_months_or_at_the_recorded_expiry_if_earlier() -> None:
    assert expiry.privileges_end(D(2024, 2, 29), None) == D(2026, 2, 28)
    assert expiry.privileges_end(D(2024, 2, 29), D(2025, 12, 31)) == D(2025, 12, 31)
    assert expiry.privileges_end(D(2024, 2, 29), D(2027, 12, 31)) == D(2026, 2, 28)
    assert expiry.privileges_end(None, D(2027, 1, 1)) == D(2027, 1, 1)


def test_caqh_attestation_is_due_120_days_after_attesting() -> None:
    assert expiry.attestation_due(D(2026, 8, 1), None) == D(2026, 11, 29)
    assert expiry.attestation_due(D(2026, 8, 1), D(2026, 9, 1)) == D(2026, 9, 1)
    assert expiry.attestation_due(None, None) is None


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.sampled_from([24, 36]))
def test_latest_start_is_the_exact_inverse_of_the_cycle(limit: dt.date, months: int) -> None:
    start = expiry.latest_start(limit, months)
    assert expiry.add_months(start, months) <= limit
    assert expiry.add_months(start + dt.timedelta(days=1), months) > limit


def test_latest_start_finds_the_leap_day() -> None:
    assert expiry.latest_start(D(2027, 2, 28), 36) == D(2024, 2, 29)


def test_days_text() -> None:
    assert [expiry.days_text(n) for n in (-2, -1, 0, 1, 5)] == [
        "2 days ago",
        "1 day ago",
        "today",
        "tomorrow",
        "in 5 days",
    ]
