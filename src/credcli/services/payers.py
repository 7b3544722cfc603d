"""Payer enrollment: submitted, followed up until effective, then due for payer recredentialing.

A pending enrollment (submitted, in-review, approved) gets a follow-up date 30 days after
each submission or status change unless one is given. It is stalled when that date has
come, or (with no follow-up date) when its status has not changed for 30 days. An
effective enrollment is due for the payer's recredentialing 36 months after its
effective date unless told otherwise; expire-check reads ``recred_due_on``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credcli.db.models import PayerEnrollment, Provider
from credcli.domain import pipeline
from credcli.domain.vocab import EnrollmentStatus, ProviderStatus
from credcli.errors import ConflictError, FieldError, InputError, NotFoundError
from credcli.services import audit, files, providers, when

E = EnrollmentStatus

ROW_FIELDS = (
    "id",
    "npi",
    "provider",
    "payer",
    "payer_provider_id",
    "status",
    "status_on",
    "submitted_on",
    "days_pending",
    "next_follow_up_on",
    "stalled",
    "effective_on",
    "recred_due_on",
)  # the keys of a listed enrollment, in order


def enroll(
    session: Session,
    npi: str,
    payer: str,
    *,
    submitted: str | None,
    follow_up: str | None = None,
    payer_id: str | None = None,
    note: str | None = None,
) -> tuple[PayerEnrollment, list[str]]:
    """The new enrollment, and notes for the person (a provider not yet credentialed)."""
    provider = providers.find(session, npi)
    _may_enroll(session, provider)
    notes = (
        []
        if provider.initial_cred_date or provider.last_cred_date
        else [
            f"NPI {provider.npi} has not been credentialed yet: the payer will expect the "
            "committee's approval before the enrollment takes effect"
        ]
    )  # submitting while credentialing runs saves weeks, so it is allowed; it is said
    name = _payer_name(payer)
    current = session.scalar(
        select(PayerEnrollment)
        .where(
            PayerEnrollment.provider_id == provider.id,
            func.lower(PayerEnrollment.payer) == name.lower(),
            PayerEnrollment.status != E.denied.value,
        )
        .order_by(PayerEnrollment.id.desc())
    )
    if current is not None:
        raise ConflictError(
            f"{provider.display_name} (NPI {provider.npi}) already has enrollment #{current.id} "
            f"with {current.payer} ({current.status} since {current.status_on}); use "
            f"'credcli payer update {current.id}'"
        )
    day = when.past("submitted", submitted, "an enrollment is recorded once it is submitted")
    enrollment = PayerEnrollment(
        provider_id=provider.id,
        payer=name,
        payer_provider_id=_text(payer_id),
        status=E.submitted.value,
        status_on=day,
        submitted_on=day,
        next_follow_up_on=_follow_up(follow_up, day),
        notes=_append(None, day, note),
    )
    session.add(enrollment)
    session.flush()
    return enrollment, notes


def find(session: Session, target: list[str]) -> PayerEnrollment:
    """An enrollment by its id, or by the provider's NPI and the payer's name."""
    if len(target) == 1:
        if len(target[0].strip()) == 10:
            raise InputError("after an NPI, give the payer's name (or give the enrollment id)")
        if not target[0].strip().isdigit():
            raise FieldError("enrollment", target[0], "give an enrollment id, or NPI and payer")
        number = int(target[0])
        found = session.get(PayerEnrollment, number) if files.known_id(number) else None
        if found is None:
            raise NotFoundError(f"no payer enrollment #{target[0].strip()} in the registry")
        return found
    if len(target) != 2:
        raise InputError("give an enrollment id, or the provider's NPI and the payer's name")
    provider = providers.find(session, target[0])
    name = _payer_name(target[1])
    found = session.scalar(
        select(PayerEnrollment)
        .where(
            PayerEnrollment.provider_id == provider.id,
            func.lower(PayerEnrollment.payer) == name.lower(),
        )
        .order_by(PayerEnrollment.id.desc())
    )
    if found is None:
        raise NotFoundError(f"NPI {provider.npi} has no enrollment with {name} in the registry")
    return found


def update(
    session: Session,
    target: list[str],
    *,
    status: EnrollmentStatus | None = None,
    effective: str | None = None,
    payer_id: str | None = None,
    follow_up: str | None = None,
    recred_due: str | None = None,
    note: str | None = None,
    on: str | None = None,
) -> tuple[PayerEnrollment, dict[str, tuple[Any, Any]]]:
    """Apply the given changes; returns the enrollment and {field: (old, new)}."""
    enrollment = find(session, target)
    day = when.past("date", on, "a change is recorded once it has happened")
    before = {name: getattr(enrollment, name) for name in _TRACKED}
    if status is not None and status.value != enrollment.status:
        problem = pipeline.payer_move_problem(E(enrollment.status), status)
        if problem:
            raise ConflictError(f"enrollment #{enrollment.id} ({enrollment.payer}): {problem}")
        if status is not E.denied:  # moving an enrollment forward is enrolling again
            provider = session.get(Provider, enrollment.provider_id)
            assert provider is not None  # enrollments cascade with their provider
            _may_enroll(session, provider)
        last_change = enrollment.status_on or enrollment.submitted_on
        if day < last_change:
            reason = f"is before the last status change ({last_change})"
            raise FieldError("date", day.isoformat(), reason)
        if enrollment.status == E.denied.value:
            enrollment.submitted_on = day  # resubmitted: days pending start again
        enrollment.status = status.value
        enrollment.status_on = day
        pending = status in pipeline.PAYER_PENDING
        enrollment.next_follow_up_on = pipeline.payer_follow_up(day) if pending else None
    if effective is not None:
        enrollment.effective_on = when.given("effective", effective)
    if enrollment.status == E.effective.value and enrollment.effective_on is None:
        raise FieldError("effective", None, "an effective enrollment needs --effective DATE")
    if payer_id is not None:
        enrollment.payer_provider_id = _text(payer_id)
    if follow_up is not None:
        if E(enrollment.status) not in pipeline.PAYER_PENDING:
            raise ConflictError(
                f"enrollment #{enrollment.id} ({enrollment.payer}) is {enrollment.status}; only a "
                "pending enrollment (submitted, in-review, approved) is followed up"
            )
        enrollment.next_follow_up_on = _follow_up(follow_up, day)
    if recred_due is not None:
        recred_on = when.given("recred-due", recred_due)
        if enrollment.effective_on is not None and recred_on <= enrollment.effective_on:
            reason = f"is not after the effective date ({enrollment.effective_on})"
            raise FieldError("recred-due", recred_on.isoformat(), reason)
        enrollment.recred_due_on = recred_on
    elif enrollment.status == E.effective.value and enrollment.effective_on is not None:
        if enrollment.effective_on != before["effective_on"] or enrollment.recred_due_on is None:
            enrollment.recred_due_on = pipeline.payer_recred_due(enrollment.effective_on)
    if note is not None:
        enrollment.notes = _append(enrollment.notes, day, note)
    changes = {
        name: (old, getattr(enrollment, name))
        for name, old in before.items()
        if getattr(enrollment, name) != old
    }
    session.flush()
    return enrollment, changes


_TRACKED = (
    "status",
    "status_on",
    "submitted_on",
    "effective_on",
    "payer_provider_id",
    "next_follow_up_on",
    "recred_due_on",
    "notes",
)


def list_enrollments(
    session: Session,
    *,
    as_of: dt.date,
    payer: str | None = None,
    npi: str | None = None,
    status: EnrollmentStatus | None = None,
    stalled_only: bool = False,
) -> list[dict[str, Any]]:
    """Enrollments, pending ones first by follow-up date, with days pending and stall flag.

    ``as_of`` counts days pending and stalls from that day; an enrollment not yet
    submitted on it is left out (it would show negative days pending).
    """
    query = (
        select(PayerEnrollment, Provider)
        .join(Provider, PayerEnrollment.provider_id == Provider.id)
        .where(PayerEnrollment.submitted_on <= as_of)
    )
    if payer:
        query = query.where(func.lower(PayerEnrollment.payer) == _payer_name(payer).lower())
    if npi:
        query = query.where(PayerEnrollment.provider_id == providers.find(session, npi).id)
    if status:
        query = query.where(PayerEnrollment.status == status.value)
    rows = [_row(e, p, as_of) for e, p in session.execute(query)]
    if stalled_only:
        rows = [r for r in rows if r["stalled"]]
    rows.sort(
        key=lambda r: (
            0 if r["days_pending"] is not None else 1,
            r["next_follow_up_on"] or dt.date.max,
            r["provider"],
            r["payer"].lower(),
        )
    )
    return rows


def _row(enrollment: PayerEnrollment, provider: Provider, as_of: dt.date) -> dict[str, Any]:
    pending = E(enrollment.status) in pipeline.PAYER_PENDING
    follow = enrollment.next_follow_up_on
    last_change = enrollment.status_on or enrollment.submitted_on
    stalled = pending and (
        follow <= as_of
        if follow is not None
        else (as_of - last_change).days >= pipeline.PAYER_FOLLOW_UP_DAYS
    )
    return {
        "id": enrollment.id,
        "npi": provider.npi,
        "provider": provider.display_name,
        "payer": enrollment.payer,
        "payer_provider_id": enrollment.payer_provider_id,
        "status": enrollment.status,
        "status_on": enrollment.status_on,
        "submitted_on": enrollment.submitted_on,
        "days_pending": (as_of - enrollment.submitted_on).days if pending else None,
        "next_follow_up_on": follow,
        "stalled": stalled,
        "effective_on": enrollment.effective_on,
        "recred_due_on": enrollment.recred_due_on,
    }


def _may_enroll(session: Session, provider: Provider) -> None:
    """A payer enrolls a provider who practises here: never a terminated one, nor one a
    person confirmed on an exclusion list (federal programs pay nothing they bill)."""
    from credcli.services import queue  # queue builds on the checklist, not on this module

    who = f"{provider.display_name} (NPI {provider.npi})"
    if provider.status == ProviderStatus.terminated.value:
        raise ConflictError(
            f"{who} was terminated on {provider.terminated_on}: a payer enrollment is for a "
            "provider who practises here"
        )
    confirmed = [
        f"#{hit_id} on {list_name.upper()}"
        for hit_id, list_name in queue.confirmed_hits(session, provider.id)
    ]
    if confirmed:
        raise ConflictError(
            f"{who} is excluded (confirmed hit {', '.join(confirmed)}): an excluded provider "
            "is not enrolled with a payer"
        )


def _follow_up(value: str | None, day: dt.date) -> dt.date:
    if value is None:
        return pipeline.payer_follow_up(day)
    follow = when.given("follow-up", value)
    if follow < day:
        raise FieldError("follow-up", follow.isoformat(), f"is before {day}")
    return follow


def _payer_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise FieldError("payer", value, "give the payer's name")
    if len(name) > 120:
        raise FieldError("payer", name, "a payer name is at most 120 characters")
    return name


def _append(notes: str | None, day: dt.date, note: str | None) -> str | None:
    text = _text(note)
    if text is None:
        return notes
    line = f"{day.isoformat()} {audit.actor()}: {text}"
    return f"{notes}\n{line}" if notes else line


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None
