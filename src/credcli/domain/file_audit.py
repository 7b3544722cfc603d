"""The rules a credentialing file is audited against, the way an NCQA surveyor reads a file.

Element freshness comes from :mod:`credcli.domain.psv` (120 days, 180 before
1 July 2025; attestation 180 days). Here: the decision notice (NCQA 2025, within
30 calendar days of the decision) and exclusion screening (NCQA 2025 ongoing
monitoring, at least monthly: a run within 30 days before the decision).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from credcli.domain import psv

NOTICE_LIMIT_DAYS = 30
SCREENING_WINDOW_DAYS = 30

RULE_PRESENT = "present"
RULE_VERIFIED = "verified"
RULE_TIME_LIMIT = "time limit"
RULE_ATTESTATION_AGE = "attestation age"
RULE_SCREENING = "screening within 30 days"
RULE_NOTICE = "notice within 30 days"

CHECK_SCREENING = "screening"
CHECK_NOTICE = "decision notice"

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """One check of one file: passed, or failed under ``rule`` with a reason; or not due yet."""

    check: str
    passed: bool | None  # None: not yet due, so not counted
    rule: str
    detail: str


def element_outcome(
    element: str, state: psv.ElementState, verified_on: dt.date | None, decided_on: dt.date
) -> Outcome:
    limit = psv.limit_days(element, decided_on)
    aged = RULE_ATTESTATION_AGE if element == "attestation" else RULE_TIME_LIMIT
    if state is psv.ElementState.missing:
        return Outcome(element, False, RULE_PRESENT, "no verification on or before the decision")
    if state is psv.ElementState.unverified:
        return Outcome(
            element, False, RULE_VERIFIED, f"source could not confirm it ({verified_on})"
        )
    if state is psv.ElementState.stale:
        assert verified_on is not None
        age = (decided_on - verified_on).days
        return Outcome(
            element,
            False,
            aged,
            f"verified {verified_on}, {age} days before the decision (limit {limit})",
        )
    if state is psv.ElementState.discrepancy:
        # An adverse finding is the committee's to weigh; the verification itself was done.
        return Outcome(element, True, aged, f"verified {verified_on}, with a discrepancy")
    return Outcome(element, True, aged, f"verified {verified_on}")


def held_at_decision(
    issued_on: dt.date | None,
    recorded_at: dt.datetime | None,
    *,
    decided_on: dt.date,
    decided_at: dt.datetime | None,
) -> bool:
    """Whether a credential was the provider's when the file was decided, so that its
    element may be required: a surveyor reads a file as it stood on the decision date.

    A credential issued after the decision date was not; one with no issue date was if
    it was recorded before the decision was (``decided_at``: both are moments the
    registry's clock took, so a decision recorded later with a past date still sees
    what was on file), or, when that moment is not known, on or before the decision
    date. A naive moment is UTC, as the registry stores it.
    """
    if issued_on is not None:
        return issued_on <= decided_on
    if recorded_at is None:
        return True
    recorded = _utc(recorded_at)
    if decided_at is not None:
        return recorded <= _utc(decided_at)
    return recorded.astimezone().date() <= decided_on  # the local day, as dates are kept


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def notice_outcome(decided_on: dt.date, sent_on: dt.date | None, as_of: dt.date) -> Outcome:
    due = decided_on + dt.timedelta(days=NOTICE_LIMIT_DAYS)
    if sent_on is not None and sent_on > as_of:
        sent_on = None  # not sent yet on the day the audit is judged
    if sent_on is None:
        if as_of > due:
            return Outcome(CHECK_NOTICE, False, RULE_NOTICE, f"no notice sent; it was due {due}")
        return Outcome(CHECK_NOTICE, None, RULE_NOTICE, f"not sent yet; due {due}")
    if sent_on < decided_on:
        return Outcome(
            CHECK_NOTICE, False, RULE_NOTICE, f"notice dated {sent_on}, before the decision"
        )
    days = (sent_on - decided_on).days
    if days > NOTICE_LIMIT_DAYS:
        return Outcome(
            CHECK_NOTICE, False, RULE_NOTICE, f"sent {sent_on}, {days} days after the decision"
        )
    return Outcome(CHECK_NOTICE, True, RULE_NOTICE, f"sent {sent_on}, day {days}")


def screening_outcome(decided_on: dt.date, runs: Sequence[dt.date] | None) -> Outcome:
    """``runs`` are the screening dates on record; None when the registry records none at all."""
    if runs is None:
        return Outcome(
            CHECK_SCREENING,
            False,
            RULE_SCREENING,
            "screening evidence is not recorded in this registry",
        )
    start = decided_on - dt.timedelta(days=SCREENING_WINDOW_DAYS)
    inside = [day for day in runs if start <= day <= decided_on]
    if inside:
        return Outcome(CHECK_SCREENING, True, RULE_SCREENING, f"screened {max(inside)}")
    before = [day for day in runs if day < start]
    last = f"last run before it {max(before)}" if before else "no earlier run"
    return Outcome(
        CHECK_SCREENING,
        False,
        RULE_SCREENING,
        f"no screening run between {start} and the decision ({last})",
    )


def check_group(check: str) -> str:
    """Summary key: state licenses and CDS registrations pool under ``license`` and ``cds``."""
    return check.split(":", 1)[0]


def sample(items: Sequence[T], size: int | None, seed: int) -> list[T]:
    """A reproducible random sample of ``items`` (already in a stable order), or all of them."""
    if size is None or size >= len(items):
        return list(items)
    return random.Random(seed).sample(list(items), size)
