"""The pure formulas behind the reports, at their boundaries."""

import datetime as dt

import pytest

from credcli.domain import file_audit as rules
from credcli.domain import metrics as m
from credcli.domain.psv import ElementState

D = dt.date


def test_summaries_round_to_one_decimal_and_are_none_when_empty() -> None:
    assert m.summarize([1, 2, 2]) == m.Summary(3, 1.7, 2.0)
    assert m.summarize([]) == m.Summary(0, None, None)
    assert m.rate_percent(1, 3) == 33.3
    assert m.rate_percent(0, 0) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, ">180"),
    ],
)
def test_age_bands_at_their_edges(age: int, band: str) -> None:
    assert m.age_band(D(2026, 1, 1), D(2026, 1, 1) + dt.timedelta(days=age)) == band


def test_default_period_is_twelve_calendar_months() -> None:
    assert m.default_from(D(2026, 1, 31)) == D(2025, 2, 1)
    assert m.default_from(D(2026, 12, 1)) == D(2026, 1, 1)
    assert len(m.months(D(2025, 2, 1), D(2026, 1, 31))) == 12


def test_a_deferral_is_not_a_final_decision() -> None:
    history = [m.DecisionEntry(D(2026, 2, 1), "deferred"), m.DecisionEntry(D(2026, 3, 1), "denied")]
    assert m.final_decision(history) == history[1]
    assert m.final_decision(history, as_of=D(2026, 2, 28)) is None


def test_a_final_decision_ends_the_last_stay() -> None:
    moves = [m.Transition(D(2026, 1, 1), "intake"), m.Transition(D(2026, 1, 11), "committee")]
    stays = m.stays(moves, m.DecisionEntry(D(2026, 1, 15), "approved"))
    assert [(s.stage, s.days) for s in stays] == [("intake", 10), ("committee", 4)]
    assert [(s.stage, s.days) for s in m.stays(moves, None)] == [
        ("intake", 10),
        ("committee", None),
    ]


def test_a_withdrawal_ends_the_last_stay_and_is_no_stay_itself() -> None:
    moves = [
        m.Transition(D(2026, 1, 1), "intake"),
        m.Transition(D(2026, 1, 11), "verification"),
        m.Transition(D(2026, 2, 1), "withdrawn"),
    ]
    assert [(s.stage, s.days) for s in m.stays(moves, None)] == [
        ("intake", 10),
        ("verification", 21),
    ]


def test_stage_on_a_day_is_the_last_move_on_or_before_it() -> None:
    moves = [m.Transition(D(2026, 1, 1), "intake"), m.Transition(D(2026, 1, 11), "verification")]
    assert m.stage_on(moves, D(2026, 1, 10), "x") == "intake"
    assert m.stage_on(moves, D(2026, 1, 11), "x") == "verification"
    assert m.stage_on(moves, D(2025, 12, 31), "fallback") == "fallback"


@pytest.mark.parametrize(
    ("sent", "as_of", "passed"),
    [
        (D(2026, 3, 31), D(2026, 6, 1), True),  # day 30
        (D(2026, 4, 1), D(2026, 6, 1), False),  # day 31
        (D(2026, 2, 28), D(2026, 6, 1), False),  # before the decision
        (None, D(2026, 3, 31), None),  # not due yet
        (None, D(2026, 4, 1), False),  # due date passed
        (D(2026, 3, 20), D(2026, 3, 10), None),  # sent after the day judged: not yet
    ],
)
def test_decision_notice_within_30_days(sent, as_of, passed) -> None:
    assert rules.notice_outcome(D(2026, 3, 1), sent, as_of).passed is passed


def test_screening_window_is_the_30_days_before_the_decision() -> None:
    decided = D(2026, 3, 31)
    assert rules.screening_outcome(decided, [D(2026, 3, 1)]).passed is True  # day 30
    outside = rules.screening_outcome(decided, [D(2026, 2, 28)])
    assert (outside.passed, outside.detail) == (
        False,
        "no screening run between 2026-03-01 and the decision (last run before it 2026-02-28)",
    )
    assert rules.screening_outcome(decided, [D(2026, 4, 1)]).passed is False  # after
    assert rules.screening_outcome(decided, None).passed is False


def test_a_discrepancy_verified_in_time_passes_the_audit() -> None:
    outcome = rules.element_outcome("board", ElementState.discrepancy, D(2026, 3, 1), D(2026, 3, 2))
    assert outcome.passed is True


def test_sampling_is_reproducible_and_takes_everything_when_small() -> None:
    items = list(range(50))
    assert rules.sample(items, 5, 3) == rules.sample(items, 5, 3)
    assert rules.sample(items, 60, 3) == items
    assert rules.sample(items, None, 3) == items
