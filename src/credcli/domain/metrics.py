"""The formulas behind ``report metrics``, and the definitions printed with them.

The field has no agreed definitions, so each metric's definition lives here once
and is shown in ``--help``, the README and the workbook, word for word.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FINAL_DECISIONS = ("approved", "denied")
OPEN_STAGES = ("intake", "verification", "committee-ready", "committee")
DECIDED_STAGE = "decided"
WITHDRAWN_STAGE = "withdrawn"  # closed without a decision: neither final nor open
CLOSED_STAGES = (DECIDED_STAGE, WITHDRAWN_STAGE)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    (">180", 181, None),
)

DEFINITIONS: dict[str, str] = {
    "Period": "--from and --to are inclusive business dates. Default --to is today; default "
    "--from is the first day of the month eleven months before --to (twelve calendar months).",
    "Days to credential": "initial files with a final decision (approved or denied) dated in "
    "the period: days from received_on to decision_on; average and median, overall and by "
    "month of decision. Deferrals are not final decisions, and withdrawn files have none.",
    "Backlog": "files received on or before --to with no final decision on or before --to "
    "(reconstructed from the file's decision history) and not withdrawn on or before --to "
    "(from its stage events), counted by the stage the file was in "
    "on --to (from its stage events) and by age band, days from received_on to --to: 0-30, "
    "31-60, 61-90, 91-180, >180.",
    "Recredentialing on-time rate": "recredential files with a final decision in the period "
    "whose decision_on is on or before the file's due date, as a percentage of those decided "
    "that have a due date; files without a due date are counted apart; withdrawn files are "
    "not decided and not counted.",
    "Denial rate": "files of any cycle with a final decision in the period: denied / "
    "(approved + denied), as a percentage; deferrals and withdrawals (files closed without a "
    "decision) in the period are shown but excluded.",
    "Days in stage": "for each stage, the stays that ended in the period (the file moved on, "
    "by a stage event, its final decision or its withdrawal): days from entering the stage to "
    "leaving it; "
    "average and median. Stays still open on --to are not counted.",
    "Payer enrollment turnaround": "enrollments whose effective date is in the period: days "
    "from submitted_on to effective_on; average and median, overall and by payer. Retroactive "
    "effective dates (before submission) are counted apart; pending = submitted on or before "
    "--to, not effective by --to and not denied.",
    "Open exclusion hits": "exclusion-screening hits with no disposition yet, as recorded now "
    "(dispositions are not dated history); 'not screened' (null) when the registry holds no "
    "screening records, never a made-up zero.",
    "Audit findings": "the file audit of `credcli report audit` run over every file with a "
    "final decision in the period, judged as of --to: findings, files audited, files with at "
    "least one finding.",
}


@dataclass(frozen=True)
class Summary:
    count: int
    average: float | None
    median: float | None


def summarize(values: Iterable[int]) -> Summary:
    """Count, average and median of day counts, rounded to one decimal; None when empty."""
    data = list(values)
    if not data:
        return Summary(0, None, None)
    return Summary(
        len(data), round(statistics.fmean(data), 1), round(float(statistics.median(data)), 1)
    )


def rate_percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage with one decimal; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)


def age_band(received_on: dt.date, as_of: dt.date) -> str:
    age = (as_of - received_on).days
    for label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return AGE_BANDS[0][0]  # received after as_of cannot be open; treated as new


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every calendar month from ``start``'s to ``end``'s, inclusive."""
    out: list[dt.date] = []
    current = month_start(start)
    while current <= end:
        out.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return out


def default_from(to: dt.date) -> dt.date:
    first = month_start(to)
    year, month = first.year, first.month - 11
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class DecisionEntry:
    on: dt.date
    decision: str


def final_decision(
    history: Sequence[DecisionEntry], as_of: dt.date | None = None
) -> DecisionEntry | None:
    """The first approval or denial (on or before ``as_of`` when given)."""
    for entry in sorted(history, key=lambda e: e.on):
        if as_of is not None and entry.on > as_of:
            break
        if entry.decision in FINAL_DECISIONS:
            return entry
    return None


@dataclass(frozen=True)
class Transition:
    on: dt.date
    stage: str


@dataclass(frozen=True)
class Stay:
    stage: str
    entered: dt.date
    left: dt.date | None

    @property
    def days(self) -> int | None:
        return None if self.left is None else (self.left - self.entered).days


def stays(transitions: Sequence[Transition], final: DecisionEntry | None) -> list[Stay]:
    """Consecutive stays from a file's ordered stage transitions.

    A final decision with no stage event into ``decided`` ends the last stay on the
    decision date, so files whose decision was recorded without a stage move count too.
    A withdrawal (a stage event into ``withdrawn``) ends the last stay like any move.
    """
    moves = list(transitions)
    if final is not None and not any(t.stage == DECIDED_STAGE for t in moves):
        moves.append(Transition(final.on, DECIDED_STAGE))
    out: list[Stay] = []
    for index, move in enumerate(moves):
        if move.stage in CLOSED_STAGES:
            continue
        left = moves[index + 1].on if index + 1 < len(moves) else None
        out.append(Stay(move.stage, move.on, left))
    return out


def stage_on(transitions: Sequence[Transition], day: dt.date, fallback: str) -> str:
    """The stage a file was in on ``day``: the last transition on or before it."""
    current: str | None = None
    for move in transitions:
        if move.on > day:
            break
        current = move.stage
    return current or fallback


def within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end
