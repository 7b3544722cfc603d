"""The credentialing pipeline's rules: stage moves, cycle dates, queue flags and order.

Stages run intake -> verification -> committee-ready -> committee -> decided. A file
moves forward one step at a time, may go back to verification from committee-ready or
committee (new information, a stale verification), and never leaves ``decided``. It
reaches ``decided`` only through a committee decision, never by a plain stage move.
Any open file may instead be closed as ``withdrawn`` (the applicant withdrew, stopped
answering, left; a recredentialing missed its window), which it never leaves either.

NCQA CR: recredentialing is due 36 calendar months after the last approval, and a
recredentialing decided more than 30 days after its due date is too late (the provider
is credentialed again as initial). NCQA 2025: the decision notice goes to the provider
within 30 calendar days of the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from credcli.domain.dates import add_months
from credcli.domain.vocab import Decision, EnrollmentStatus, FileCycle, FileStage

RECRED_CYCLE_MONTHS = 36
LATE_RECRED_DAYS = 30
NOTICE_DAYS = 30
STALLED_DAYS = 14
AT_RISK_DAYS = 30
PAYER_FOLLOW_UP_DAYS = 30

S = FileStage
MOVES: dict[FileStage, tuple[FileStage, ...]] = {
    S.intake: (S.verification,),
    S.verification: (S.committee_ready,),
    S.committee_ready: (S.committee, S.verification),
    S.committee: (S.verification,),
    S.decided: (),
    S.withdrawn: (),
}
DECIDABLE = (S.committee_ready, S.committee)
OPEN_STAGES = (S.intake, S.verification, S.committee_ready, S.committee)
CLOSED_STAGES = (S.decided, S.withdrawn)  # a closed file never changes stage again

# A deferral keeps the file open and puts it back in line for the next meeting.
AFTER_DEFERRAL = S.committee_ready

E = EnrollmentStatus
PAYER_MOVES: dict[EnrollmentStatus, tuple[EnrollmentStatus, ...]] = {
    E.submitted: (E.in_review, E.approved, E.denied, E.effective),
    E.in_review: (E.approved, E.denied, E.effective),
    E.approved: (E.effective, E.denied),
    E.denied: (E.submitted,),  # resubmitted or appealed
    E.effective: (),
}
PAYER_PENDING = (E.submitted, E.in_review, E.approved)


def move_problem(current: FileStage, target: FileStage) -> str | None:
    """Why a file in ``current`` cannot be moved to ``target`` by hand, or None."""
    if target is current:
        return f"the file is already in stage {current.value}"
    if current is S.decided:
        return "the file is decided; a decided file does not change stage (open a new file)"
    if current is S.withdrawn:
        return "the file was withdrawn; a withdrawn file does not change stage (open a new file)"
    if target is S.withdrawn:
        return (
            f"a file is withdrawn with 'credcli file withdraw' and a reason, not by a stage "
            f"move (stage is {current.value})"
        )
    if target is S.decided:
        return (
            f"a file is decided by recording the committee's decision "
            f"('credcli committee record'), not by a stage move (stage is {current.value})"
        )
    allowed = MOVES[current]
    if target not in allowed:
        names = ", ".join(s.value for s in allowed)
        return f"a file in stage {current.value} can move only to {names}, not to {target.value}"
    return None


def payer_move_problem(current: EnrollmentStatus, target: EnrollmentStatus) -> str | None:
    if target is current:
        return None
    allowed = [s.value for s in PAYER_MOVES[current]]
    if target.value not in allowed:
        if not allowed:
            return (
                f"an enrollment that is {current.value} is final; it cannot become {target.value}"
            )
        names = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        return f"an enrollment that is {current.value} can become only {names}, not {target.value}"
    return None


def recred_due(approved_on: dt.date) -> dt.date:
    """Next recredentialing due date: 36 calendar months after the approval (no grace)."""
    return add_months(approved_on, RECRED_CYCLE_MONTHS)


def notice_due(decided_on: dt.date) -> dt.date:
    return decided_on + dt.timedelta(days=NOTICE_DAYS)


def recred_deadline_passed(due: dt.date, on: dt.date) -> bool:
    """True when a recredentialing due on ``due`` can no longer be decided on ``on``."""
    return (on - due).days > LATE_RECRED_DAYS


def late_window_end(due: dt.date) -> dt.date:
    """The last day a recredentialing due on ``due`` may still be decided (NCQA FAQ)."""
    return due + dt.timedelta(days=LATE_RECRED_DAYS)


def lapsed_due(cycle: str, due: dt.date | None, on: dt.date) -> dt.date | None:
    """The due date of a recredentialing file that can no longer be decided on ``on``.

    None for an initial file, a file without a due date, or one still inside its window.
    """
    if cycle != FileCycle.recredential.value or due is None:
        return None
    return due if recred_deadline_passed(due, on) else None


def lapsed_text(due: dt.date) -> str:
    """A lapsed recredentialing in the same words everywhere (queue, agenda, committee)."""
    return f"recredentialing lapsed: due {due}, late window ended {late_window_end(due)}"


LAPSED_ACTION = "withdraw the file and open an initial file"


def excluded_text(excluded_by: str) -> str:
    """A provider with a confirmed exclusion hit ("#3 on LEIE"), in the same words in the
    queue and in the committee's refusal to approve: only a denial or a withdrawal is left."""
    return (
        f"provider excluded (confirmed hit {excluded_by}): present the file for denial "
        "or withdraw it"
    )


def payer_recred_due(effective_on: dt.date) -> dt.date:
    return add_months(effective_on, RECRED_CYCLE_MONTHS)


def payer_follow_up(on: dt.date) -> dt.date:
    return on + dt.timedelta(days=PAYER_FOLLOW_UP_DAYS)


class Flag(StrEnum):
    at_risk = "at-risk"  # recredentialing deadline within 30 days or past
    past_due = "past-due"  # an outstanding item is past its due date
    stalled = "stalled"  # no activity for the stalled-days limit


@dataclass(frozen=True)
class ItemDue:
    due_on: dt.date | None


def flags(
    *,
    as_of: dt.date,
    last_activity_on: dt.date,
    open_items: list[ItemDue],
    due_on: dt.date | None,
    stalled_days: int = STALLED_DAYS,
) -> list[Flag]:
    """The flags of an open file on ``as_of``, most urgent first.

    Stalled: ``stalled_days`` or more days without any change. Past due: an open item
    whose due date is before ``as_of`` (due today is not yet late). At risk: the file's
    recredentialing due date is 30 days away or less, or already past.
    """
    found = []
    if due_on is not None and (due_on - as_of).days <= AT_RISK_DAYS:
        found.append(Flag.at_risk)
    if any(item.due_on is not None and item.due_on < as_of for item in open_items):
        found.append(Flag.past_due)
    if (as_of - last_activity_on).days >= stalled_days:
        found.append(Flag.stalled)
    return found


def attention_key(
    found: list[Flag], *, due_on: dt.date | None, idle_days: int, age_days: int, file_id: int
) -> tuple[int, dt.date, int, int, int]:
    """Queue order: at-risk files first (nearest deadline first), then files with past-due
    items, then stalled files, then the rest; ties go to the longest idle, then the oldest,
    then the lowest file number."""
    if Flag.at_risk in found:
        rank = 0
    elif Flag.past_due in found:
        rank = 1
    elif Flag.stalled in found:
        rank = 2
    else:
        rank = 3
    deadline = due_on if rank == 0 and due_on is not None else dt.date.max
    return (rank, deadline, -idle_days, -age_days, file_id)


def next_action(
    stage: FileStage,
    *,
    as_of: dt.date,
    open_items: list[ItemDue],
    gaps: dict[str, list[str]],
    lapsed_due: dt.date | None = None,
    excluded_by: str | None = None,
    open_hits: str | None = None,
) -> str:
    """What the coordinator does next with an open file.

    ``gaps`` maps a checklist state (missing, unverified, stale) to the elements in it.
    ``lapsed_due``: the due date of a recredentialing past its late window, which no
    committee can decide any more; the only action left is to withdraw it.
    ``excluded_by``: a confirmed exclusion hit ("#3 on LEIE"): nothing else matters.
    ``open_hits``: exclusion hits awaiting a person's decision, dealt with first.
    """
    if lapsed_due is not None:
        return f"{LAPSED_ACTION} ({lapsed_text(lapsed_due)})"
    if excluded_by is not None:
        return excluded_text(excluded_by)
    parts = [f"clear or confirm exclusion hit {open_hits}"] if open_hits else []
    if open_items:
        late = sum(1 for item in open_items if item.due_on is not None and item.due_on < as_of)
        noun = "item" if len(open_items) == 1 else "items"
        parts.append(f"chase {len(open_items)} {noun}" + (f" ({late} past due)" if late else ""))
    if stage is S.committee:
        parts.append("awaiting committee")
        return "; ".join(parts)
    if stage is S.intake:
        return "; ".join(parts) if parts else "start verification"
    gap_text = "; ".join(
        f"{', '.join(elements)} {state}" for state, elements in gaps.items() if elements
    )
    if gap_text:
        verb = "verify" if stage is S.verification else "re-verify"
        parts.append(f"{verb}: {gap_text}")
    if not parts:
        return "mark committee-ready" if stage is S.verification else "put on agenda"
    return "; ".join(parts)


@dataclass(frozen=True)
class StagePeriod:
    stage: str
    start: dt.date
    end: dt.date | None  # None while the file is still in it
    days: int


def stage_periods(
    opened: tuple[dt.date, str], moves: list[tuple[dt.date, str]], as_of: dt.date
) -> list[StagePeriod]:
    """Days spent in each stage, from the opening stage and the later stage moves in order.

    The last period runs to ``as_of`` unless the file is closed, decided or withdrawn (then
    it has no end).
    """
    periods: list[StagePeriod] = []
    start, stage = opened
    for on, to in moves:
        periods.append(StagePeriod(stage, start, on, (on - start).days))
        start, stage = on, to
    if stage in (S.decided.value, S.withdrawn.value):
        periods.append(StagePeriod(stage, start, None, 0))
    else:
        periods.append(StagePeriod(stage, start, None, max((as_of - start).days, 0)))
    return periods


def decision_problem(decision: Decision, verdict: str, gaps: dict[str, list[str]]) -> str | None:
    """Why the committee cannot record ``decision`` given the checklist on the meeting date.

    Nothing can be approved or denied on a file with elements never verified (or that the
    source could not confirm); an approval also needs every verification recent enough
    (NCQA 2025 PSV age at decision). A deferral is always possible.
    """
    if decision is Decision.deferred:
        return None
    if verdict == "incomplete":
        listed = "; ".join(
            f"{', '.join(gaps[state])} {state}"
            for state in ("missing", "unverified")
            if gaps.get(state)
        )
        return f"its verification checklist is incomplete ({listed})"
    if decision is Decision.approved and verdict == "stale":
        return (
            f"verifications too old for a decision on that date ({', '.join(gaps['stale'])}); "
            "re-verify before approving"
        )
    return None
