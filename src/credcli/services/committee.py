"""The credentialing committee: the agenda for a meeting, its decisions, and its minutes.

A file is *clean* when on the meeting date every required element is verified and
current (services.checklist), nothing was verified with a discrepancy, no exclusion hit
is open, no requested item is outstanding and the committee has not deferred it
before. Clean files may be signed off by the medical director; the rest go to the
committee with the reasons they are not clean.

A recredentialing decided more than 30 days after its due date is no recredentialing
(NCQA FAQ: the provider is credentialed again as initial), so no decision at all is
recorded on such a file: not an approval, not a denial (an adverse action taken on a
file that can no longer stand), not a deferral (which only pushes it further past its
window). The coordinator withdraws it ('credcli file withdraw') and opens an initial file.

No decision is dated before the provider's last approval (it would move the cycle dates
backwards). An approval needs a complete file: no exclusion hit open or confirmed for the
provider, and no requested item outstanding. A denial stays possible in either case and
closes the items still outstanding as waived, as a withdrawal does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from credcli.db.models import (
    CommitteeDecision,
    CommitteeMeeting,
    CredentialingFile,
    OutstandingItem,
    Provider,
    ScreeningHit,
)
from credcli.domain import file_audit as file_audit_rules
from credcli.domain import pipeline
from credcli.domain.psv import ElementState
from credcli.domain.screening import HitStatus
from credcli.domain.vocab import Decision, FileCycle, FileEventKind, FileStage, ProviderStatus
from credcli.domain.vocab import ItemStatus as IS
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import audit, checklist, files, queue, screening_evidence, when


def exclusion_findings(session: Session, provider: Provider) -> list[str]:
    """Exclusion or sanction hits (LEIE, SAM) still open, or confirmed, for ``provider``.

    Either keeps a file off the clean list: an open hit awaits a person's decision and
    a confirmed one is an adverse finding the committee must see.
    """
    hits = session.scalars(
        select(ScreeningHit)
        .where(
            ScreeningHit.provider_id == provider.id,
            ScreeningHit.status.in_([HitStatus.open.value, HitStatus.confirmed.value]),
        )
        .order_by(ScreeningHit.id)
    ).all()
    return [
        f"{hit.status} {hit.tier} exclusion hit #{hit.id} on {hit.list_name.upper()}"
        for hit in hits
    ]


def agenda(session: Session, meeting_on: dt.date, as_of: dt.date) -> dict[str, Any]:
    """Files in committee-ready or committee stage, split into clean and for review."""
    found = session.scalars(
        select(CredentialingFile)
        .where(
            CredentialingFile.stage.in_([s.value for s in pipeline.DECIDABLE]),
            # a file received after the meeting cannot be on its agenda
            CredentialingFile.received_on <= meeting_on,
        )
        .options(joinedload(CredentialingFile.provider), selectinload(CredentialingFile.items))
    ).all()
    clean: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    runs = screening_evidence.screening_dates(session) or {}
    unscreened = _screening_gap(runs.get(None, []), meeting_on)
    for file in sorted(found, key=lambda f: (f.provider.last_name, f.provider.first_name, f.id)):
        row = _agenda_row(session, file, meeting_on, as_of)
        if unscreened:
            row["reasons"].append(unscreened)
        (review if row["reasons"] else clean).append(row)
    return {"meeting_on": meeting_on, "as_of": as_of, "clean": clean, "review": review}


def _agenda_row(
    session: Session, file: CredentialingFile, meeting_on: dt.date, as_of: dt.date
) -> dict[str, Any]:
    on_meeting = checklist.for_provider(session, file.provider, meeting_on)
    reasons = [_reason(e) for e in on_meeting.findings]
    lapsed = pipeline.lapsed_due(file.cycle, file.due_on, meeting_on)
    if lapsed is not None:
        reasons.insert(
            0, f"{pipeline.lapsed_text(lapsed)}: cannot be decided; {pipeline.LAPSED_ACTION}"
        )
    stale_by_meeting: list[str] = []
    if as_of < meeting_on:
        now = checklist.for_provider(session, file.provider, as_of)
        today = {e.element: e.state for e in now.elements}
        stale_by_meeting = [
            e.element
            for e in on_meeting.elements
            if e.state is ElementState.stale
            and today.get(e.element) in (ElementState.current, ElementState.discrepancy)
        ]
    open_items = [i.description for i in file.items if i.status == IS.open.value]
    if open_items:
        noun = "item" if len(open_items) == 1 else "items"
        reasons.append(f"{len(open_items)} open {noun}: {', '.join(open_items)}")
    reasons += exclusion_findings(session, file.provider)
    deferral = _last_deferral(session, file)
    if deferral is not None:
        reasons.append(f"deferred at the meeting of {deferral[0]}" + _suffix(deferral[1]))
    return {
        "file": file.id,
        "npi": file.provider.npi,
        "provider": file.provider.display_name,
        "cycle": file.cycle,
        "stage": file.stage,
        "assignee": file.assignee,
        "received_on": file.received_on,
        "recred_due_on": file.due_on,
        "reasons": reasons,
        "stale_by_meeting": stale_by_meeting,
    }


def _screening_gap(runs: list[dt.date], meeting_on: dt.date) -> str | None:
    """Why no file is clean when no exclusion screening ran in the 30 days before the
    meeting: a surveyor's file audit asks for one (NCQA ongoing monitoring)."""
    start = meeting_on - dt.timedelta(days=file_audit_rules.SCREENING_WINDOW_DAYS)
    if any(start <= day <= meeting_on for day in runs):
        return None
    earlier = [day for day in runs if day < start]
    last = (
        f"last run {max(earlier)}"
        if earlier
        else ("no earlier run" if runs else "never screened")  # runs after the meeting only
    )
    return (
        f"no exclusion screening between {start} and the meeting ({last}): "
        "run 'credcli verify screen' before it"
    )


def _reason(element: checklist.ElementStatus) -> str:
    name, state = element.element, element.state
    if state is ElementState.missing:
        return f"{name} never verified"
    if state is ElementState.unverified:
        return f"{name} could not be verified ({element.result} on {element.verified_on})"
    if state is ElementState.stale:
        return (
            f"{name} verification too old on the meeting date (verified {element.verified_on}, "
            f"good until {element.valid_until})"
        )
    return f"adverse finding: {name} verified with a discrepancy on {element.verified_on}"


def _last_deferral(session: Session, file: CredentialingFile) -> tuple[dt.date, str | None] | None:
    row = session.execute(
        select(CommitteeMeeting.meeting_on, CommitteeDecision.note)
        .join(CommitteeMeeting, CommitteeDecision.meeting_id == CommitteeMeeting.id)
        .where(
            CommitteeDecision.file_id == file.id,
            CommitteeDecision.decision == Decision.deferred.value,
        )
        .order_by(CommitteeMeeting.meeting_on.desc(), CommitteeDecision.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def _last_meeting_on(session: Session, file: CredentialingFile) -> dt.date | None:
    """The latest meeting that recorded a decision (a deferral, on an open file) on ``file``."""
    return session.scalar(
        select(func.max(CommitteeMeeting.meeting_on))
        .join(CommitteeDecision, CommitteeDecision.meeting_id == CommitteeMeeting.id)
        .where(CommitteeDecision.file_id == file.id)
    )


def _suffix(note: str | None) -> str:
    return f" ({note})" if note else ""


@dataclass(frozen=True)
class Recorded:
    file: CredentialingFile
    decision: Decision
    closed: list[OutstandingItem] = field(default_factory=list)  # items closed by a denial


def record(
    session: Session,
    meeting_on: dt.date,
    file_ids: list[int],
    decision: Decision,
    *,
    note: str | None = None,
    chair: str | None = None,
) -> list[Recorded]:
    """Record one decision for each file at the meeting of ``meeting_on`` (all or none).

    The meeting must have taken place: a decision dated after today is refused.
    """
    when.not_future("date", meeting_on, "a decision is recorded once the meeting has taken place")
    repeated = sorted({i for i in file_ids if file_ids.count(i) > 1})
    if repeated:
        raise FieldError("file", ", ".join(map(str, repeated)), "is given more than once")
    meeting = session.scalar(
        select(CommitteeMeeting).where(CommitteeMeeting.meeting_on == meeting_on)
    )
    if meeting is None:
        meeting = CommitteeMeeting(meeting_on=meeting_on, chair=_clean(chair))
        session.add(meeting)
        session.flush()
    elif chair and _clean(chair) != meeting.chair:
        meeting.chair = _clean(chair)
    done = []
    for file_id in file_ids:
        file = files.find(session, file_id)
        _check(session, file, meeting_on, decision)
        closed = _decide(session, file, meeting, decision, _clean(note))
        done.append(Recorded(file, decision, closed))
    session.flush()
    return done


def _check(
    session: Session, file: CredentialingFile, meeting_on: dt.date, decision: Decision
) -> None:
    who = f"file #{file.id} ({file.provider.display_name})"
    if file.stage == FileStage.decided.value:
        raise ConflictError(f"{who} was already decided: {file.decision} on {file.decision_on}")
    if file.stage == FileStage.withdrawn.value:
        raise ConflictError(
            f"{who} was withdrawn on {file.stage_since}; a withdrawn file cannot be decided "
            "(open a new file)"
        )
    if FileStage(file.stage) not in pipeline.DECIDABLE:
        raise ConflictError(
            f"{who} is in stage {file.stage}; only committee-ready or committee files can be "
            "decided (move it with 'credcli file stage')"
        )
    since = file.stage_since or file.received_on
    if meeting_on < since:
        reason = f"is before {who} entered stage {file.stage} ({since})"
        raise FieldError("date", meeting_on.isoformat(), reason)
    last = _last_meeting_on(session, file)
    if last == meeting_on:
        raise ConflictError(f"{who} already has a decision at the meeting of {meeting_on}")
    if last is not None and meeting_on < last:
        reason = f"is before the meeting of {last}, which already deferred {who}"
        raise FieldError("date", meeting_on.isoformat(), reason)
    approved_on = files.last_approval(file.provider)
    if approved_on is not None and meeting_on < approved_on:
        reason = (
            f"is before the last approval of {file.provider.display_name} "
            f"(NPI {file.provider.npi}) on {approved_on}; a decision on file #{file.id} is dated "
            f"on or after it (a meeting of {approved_on} or later)"
        )
        raise FieldError("date", meeting_on.isoformat(), reason)
    lapsed = pipeline.lapsed_due(file.cycle, file.due_on, meeting_on)
    if lapsed is not None:
        raise ConflictError(
            f"{who} cannot be {decision.value} on {meeting_on}: its recredentialing was due "
            f"{lapsed} and the {pipeline.LATE_RECRED_DAYS}-day late window ended "
            f"{pipeline.late_window_end(lapsed)}, so NCQA requires initial credentialing again. "
            f"Withdraw this file ('credcli file withdraw {file.id} --reason ...') and open an "
            f"initial file ('credcli file open {file.provider.npi} --cycle initial')"
        )
    approving = decision is Decision.approved
    problem = _approval_problem(session, file, meeting_on) if approving else None
    if decision is Decision.denied:
        _items_requested_by(file, meeting_on)
    if problem is None:
        missing = queue.gaps(session, file, meeting_on)
        verdict = checklist.for_provider(session, file.provider, meeting_on).verdict
        problem = pipeline.decision_problem(decision, verdict.value, missing)
    if problem:
        raise ConflictError(f"{who} cannot be {decision.value} on {meeting_on}: {problem}")


def _approval_problem(session: Session, file: CredentialingFile, meeting_on: dt.date) -> str | None:
    """Why ``file`` is not complete enough to approve: an exclusion hit confirmed for the
    provider (only a denial or a withdrawal is left), a hit nobody has cleared or confirmed,
    or requested items still outstanding. The queue names the same things."""
    hits = queue.exclusion_hits(session, [file.provider_id]).get(file.provider_id, [])
    confirmed = [
        f"#{i} on {name.upper()}" for i, state, name in hits if state == HitStatus.confirmed.value
    ]
    if confirmed:
        return (
            f"{pipeline.excluded_text(', '.join(confirmed))} "
            f"('credcli committee record --date {meeting_on} {file.id} --decision denied' or "
            f"'credcli file withdraw {file.id} --reason ...')"
        )
    pending = [(i, name) for i, state, name in hits if state == HitStatus.open.value]
    if pending:
        named = ", ".join(f"#{i} on {name.upper()}" for i, name in pending)
        one = len(pending) == 1
        hit_id = str(pending[0][0]) if one else "N"
        return (
            f"exclusion {'hit' if one else 'hits'} {named} {'is' if one else 'are'} still open: "
            f"a person must clear or confirm {'it' if one else 'each'} first "
            f"('credcli verify clear {hit_id} --reason ...' or 'credcli verify confirm {hit_id}')"
        )
    items = files.open_items(file)
    if items:
        one = len(items) == 1
        named = ", ".join(f"#{i.id} {i.description} (requested {i.requested_on})" for i in items)
        item_id = str(items[0].id) if one else "ITEM_ID"
        return (
            f"the file is not complete, {len(items)} {'item' if one else 'items'} still "
            f"outstanding: {named}; record {'it' if one else 'each'} received ('credcli file "
            f"receive {item_id}') or waive it ('credcli file waive {item_id} --note ...')"
        )
    # Items closed after the meeting were still outstanding when it met.
    late = [i for i in file.items if i.received_on is not None and i.received_on > meeting_on]
    if late:
        named = ", ".join(f"#{i.id} {i.description} ({i.status} {i.received_on})" for i in late)
        return (
            f"the file was not complete at that meeting: {named} closed after it; an "
            "approval is dated on or after the day its last item arrived"
        )
    return None


def _items_requested_by(file: CredentialingFile, meeting_on: dt.date) -> None:
    """A denial closes the outstanding items on its date: none may have been requested later."""
    later = [i for i in files.open_items(file) if i.requested_on > meeting_on]
    if later:
        item = later[0]
        reason = (
            f"is before item #{item.id} ({item.description}) of file #{file.id} was requested "
            f"({item.requested_on}); a denial closes the items still outstanding, so date it "
            "on or after their requests"
        )
        raise FieldError("date", meeting_on.isoformat(), reason)


def _decide(
    session: Session,
    file: CredentialingFile,
    meeting: CommitteeMeeting,
    decision: Decision,
    note: str | None,
) -> list[OutstandingItem]:
    """Record ``decision``; returns the outstanding items a denial closed."""
    day = meeting.meeting_on
    session.add(
        CommitteeDecision(
            meeting_id=meeting.id,
            file_id=file.id,
            decision=decision.value,
            note=note,
            recorded_by=audit.actor(),
        )
    )
    file.meeting_id = meeting.id
    kind = FileEventKind.decision
    files.log(session, file, kind, day, from_value=file.stage, to_value=decision.value, note=note)
    # Every committee decision, a deferral included, owes the provider a notice within
    # 30 days (NCQA 2025); a later final decision sets its own notice date.
    file.notice_due_on = pipeline.notice_due(day)
    file.notice_sent_on = None  # a notice sent after a deferral answered that deferral
    if decision is Decision.deferred:
        if file.stage != pipeline.AFTER_DEFERRAL.value:
            files.set_stage(session, file, pipeline.AFTER_DEFERRAL, day, None)
        return []
    file.decision = decision.value
    file.decision_on = day
    file.decision_note = note
    files.set_stage(session, file, FileStage.decided, day, None)
    if decision is Decision.approved:
        _approve(file.provider, file, day)
        return []  # an approval needs every item received or waived first
    if file.cycle == FileCycle.recredential.value:
        _end_after_denied_recredentialing(file.provider, file, day)
    return files.close_items(session, file, day, "file denied")


def _approve(provider: Provider, file: CredentialingFile, day: dt.date) -> None:
    provider.last_cred_date = day
    provider.next_recred_due = pipeline.recred_due(day)
    if file.cycle == FileCycle.initial.value:
        provider.initial_cred_date = day
    if provider.status == ProviderStatus.applicant.value:
        provider.status = ProviderStatus.active.value
        provider.status_date = day


def _end_after_denied_recredentialing(
    provider: Provider, file: CredentialingFile, day: dt.date
) -> None:
    """A provider the committee will not recredential may no longer practise here: they
    are terminated on the decision day, which also takes them out of expiry checks (no
    recredentialing is due any more) and screening. The record and its history stay."""
    if provider.status == ProviderStatus.terminated.value:
        return
    provider.status = ProviderStatus.terminated.value
    provider.status_date = day
    provider.terminated_on = day
    provider.termination_reason = denied_recredentialing(file)


def denied_recredentialing(file: CredentialingFile) -> str:
    return f"recredentialing denied (file #{file.id})"


def minutes(session: Session, meeting_on: dt.date) -> dict[str, Any]:
    meeting = session.scalar(
        select(CommitteeMeeting).where(CommitteeMeeting.meeting_on == meeting_on)
    )
    if meeting is None:
        raise NotFoundError(f"no committee meeting on {meeting_on} in the registry")
    rows = session.execute(
        select(CommitteeDecision, CredentialingFile, Provider)
        .join(CredentialingFile, CommitteeDecision.file_id == CredentialingFile.id)
        .join(Provider, CredentialingFile.provider_id == Provider.id)
        .where(CommitteeDecision.meeting_id == meeting.id)
        .order_by(CommitteeDecision.id)
    ).all()
    recred, notice = pipeline.recred_due(meeting_on), pipeline.notice_due(meeting_on)
    decisions = [
        {
            "file": f.id,
            "npi": p.npi,
            "provider": p.display_name,
            "cycle": f.cycle,
            "decision": d.decision,
            "note": d.note,
            "recorded_by": d.recorded_by,
            "next_recred_due": recred if d.decision == Decision.approved.value else None,
            "notice_due_on": notice,
        }
        for d, f, p in rows
    ]
    counts = {value.value: 0 for value in Decision}
    for d, _, _ in rows:
        counts[d.decision] += 1
    return {
        "meeting_on": meeting_on,
        "chair": meeting.chair,
        "counts": counts,
        "decisions": decisions,
    }


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None
