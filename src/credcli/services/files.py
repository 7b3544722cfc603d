"""Credentialing files: open, assign, move through stages, note, record the decision notice,
withdraw.

Every change writes a FileEvent dated on the business date given (default today) and
moves ``last_activity_on``, so days in each stage and days idle can be computed later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import (
    CommitteeMeeting,
    CredentialingFile,
    FileEvent,
    OutstandingItem,
    Provider,
)
from credcli.domain import pipeline
from credcli.domain.vocab import FileCycle, FileEventKind, FileStage, ItemStatus, ProviderStatus
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import audit, providers, records, when

# The largest id an INTEGER key holds (PostgreSQL int4); a larger number names no row,
# and handing it to the driver would overflow instead of finding nothing.
MAX_ID = 2**31 - 1
# Events that already happened cannot be dated after today; due dates may lie ahead.
HAPPENED = "a change to a file is recorded once it has happened"


def known_id(value: int) -> bool:
    """Whether ``value`` can be the id of a stored row at all."""
    return 1 <= value <= MAX_ID


def find(session: Session, file_id: int) -> CredentialingFile:
    file = session.get(CredentialingFile, file_id) if known_id(file_id) else None
    if file is None:
        raise NotFoundError(f"no credentialing file #{file_id} in the registry")
    return file


def log(
    session: Session,
    file: CredentialingFile,
    kind: FileEventKind,
    on: dt.date,
    *,
    from_value: str | None = None,
    to_value: str | None = None,
    note: str | None = None,
) -> FileEvent:
    """Write one event of ``file`` and count it as activity on ``on``."""
    if on < file.received_on:
        raise FieldError(
            "date", on.isoformat(), f"is before file #{file.id} was received ({file.received_on})"
        )
    event = FileEvent(
        file=file,
        on=on,
        kind=kind.value,
        from_value=from_value,
        to_value=to_value,
        note=_text(note),
        actor=audit.actor(),
    )
    session.add(event)
    if file.last_activity_on is None or on > file.last_activity_on:
        file.last_activity_on = on
    return event


def open_file(
    session: Session,
    npi: str,
    *,
    cycle: FileCycle,
    received: str | None,
    due: str | None = None,
    assignee: str | None = None,
) -> CredentialingFile:
    """Open a file for a provider who has none open; a recredentialing file gets its due date."""
    provider = providers.find(session, npi)
    if provider.status == ProviderStatus.terminated.value:
        raise ConflictError(
            f"{_who(provider)} was terminated on {provider.terminated_on}; "
            "reactivate the provider ('credcli provider update --status') before opening a file"
        )
    current = session.scalar(
        select(CredentialingFile).where(
            CredentialingFile.provider_id == provider.id,
            CredentialingFile.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
        )
    )
    if current is not None:
        raise ConflictError(
            f"{_who(provider)} already has open file #{current.id} ({current.cycle}, stage "
            f"{current.stage}); decide or withdraw it before opening another"
        )
    received_on = when.past("received", received, "give the day the application arrived")
    due_on = when.optional("due", due)
    if cycle is FileCycle.recredential:
        due_on = due_on or _recred_due(provider)
        if pipeline.recred_deadline_passed(due_on, received_on):
            raise ConflictError(
                f"{_who(provider)}'s recredentialing was due {due_on}, more than "
                f"{pipeline.LATE_RECRED_DAYS} days before {received_on}; the provider must be "
                "credentialed again as initial (--cycle initial)"
            )
    file = CredentialingFile(
        provider=provider,
        cycle=cycle.value,
        received_on=received_on,
        stage=FileStage.intake.value,
        stage_since=received_on,
        assignee=_text(assignee),
        due_on=due_on,
        last_activity_on=received_on,
    )
    session.add(file)
    log(session, file, FileEventKind.opened, received_on, to_value=FileStage.intake.value)
    session.flush()
    return file


def assign(session: Session, file_id: int, assignee: str, on: str | None) -> bool:
    """Give the file to ``assignee``; False when it already was theirs."""
    file = find(session, file_id)
    name = _text(assignee)
    if name is None:
        raise FieldError("assignee", assignee, "give the name of the person taking the file")
    if file.assignee == name:
        return False
    day = when.past("date", on, HAPPENED)
    log(session, file, FileEventKind.assign, day, from_value=file.assignee, to_value=name)
    file.assignee = name
    session.flush()
    return True


def move(
    session: Session, file_id: int, target: FileStage, on: str | None, note: str | None = None
) -> CredentialingFile:
    file = find(session, file_id)
    current = FileStage(file.stage)
    problem = pipeline.move_problem(current, target)
    if problem:
        raise ConflictError(f"file #{file.id}: {problem}")
    day = when.past("date", on, HAPPENED)
    since = file.stage_since or file.received_on
    if day < since:
        raise FieldError(
            "date", day.isoformat(), f"is before file #{file.id} entered {current.value} ({since})"
        )
    set_stage(session, file, target, day, note)
    session.flush()
    return file


def set_stage(
    session: Session, file: CredentialingFile, target: FileStage, on: dt.date, note: str | None
) -> None:
    kind = FileEventKind.stage
    log(session, file, kind, on, from_value=file.stage, to_value=target.value, note=note)
    file.stage = target.value
    file.stage_since = on


def note(session: Session, file_id: int, text: str, on: str | None) -> CredentialingFile:
    """A call, an email, anything done on the file: recorded, and it counts as activity."""
    file = find(session, file_id)
    if _text(text) is None:
        raise FieldError("note", text, "is empty")
    log(session, file, FileEventKind.note, when.past("date", on, HAPPENED), note=text)
    session.flush()
    return file


def notice_sent(
    session: Session, file_id: int, sent: str | None, note: str | None = None
) -> CredentialingFile:
    """Record that the decision notice went to the provider (NCQA: within 30 days).

    Every committee decision owes one, a deferral included; the notice answers the
    latest decision, so a final decision after a deferral owes a notice of its own.
    """
    file = find(session, file_id)
    if file.notice_due_on is None:
        raise ConflictError(
            f"file #{file.id} has no decision yet; a decision notice follows the committee's "
            "decision ('credcli committee record')"
        )
    if file.notice_sent_on is not None:
        raise ConflictError(
            f"file #{file.id}: the decision notice was already recorded as sent on "
            f"{file.notice_sent_on}"
        )
    day = when.past("sent", sent, "a notice is recorded once it has been sent")
    decided_on = _decided_on(session, file, file.notice_due_on)
    if day < decided_on:
        reason = f"is before the decision of file #{file.id} ({decided_on})"
        raise FieldError("sent", day.isoformat(), reason)
    log(session, file, FileEventKind.notice, day, to_value=day.isoformat(), note=note)
    file.notice_sent_on = day
    session.flush()
    return file


@dataclass(frozen=True)
class Withdrawn:
    file: CredentialingFile
    left: FileStage  # the stage the file was in
    closed: list[OutstandingItem]  # outstanding items closed as waived


def withdraw(session: Session, file_id: int, reason: str, on: str | None) -> Withdrawn:
    """Close an open file without a committee decision, with the reason and the date.

    The applicant withdrew, stopped answering or left, or a recredentialing missed its
    late window and an initial file must be opened instead. The provider's status is left
    as it is; items still outstanding are closed as waived (nothing is chased on a closed
    file).
    """
    file = find(session, file_id)
    stage = FileStage(file.stage)
    if stage is FileStage.decided:
        raise ConflictError(
            f"file #{file.id} was decided ({file.decision} on {file.decision_on}); "
            "a decided file cannot be withdrawn"
        )
    if stage is FileStage.withdrawn:
        done = records.withdrawal(file)
        raise ConflictError(
            f"file #{file.id} was already withdrawn on {done['withdrawn_on']} "
            f"({done['withdrawal_reason']})"
        )
    text = _text(reason)
    if text is None:
        raise FieldError("reason", reason, "say why the file is closed")
    day = when.past("date", on, HAPPENED)
    if day < file.received_on:
        raise FieldError(
            "date", day.isoformat(), f"is before file #{file.id} was received ({file.received_on})"
        )
    last = file.last_activity_on
    if last is not None and day < last:
        reason_text = f"is before the last change recorded on file #{file.id} ({last})"
        raise FieldError("date", day.isoformat(), reason_text)
    kind = FileEventKind.withdraw
    log(session, file, kind, day, from_value=stage.value, to_value=None, note=text)
    set_stage(session, file, FileStage.withdrawn, day, None)
    closed = [item for item in file.items if item.status == ItemStatus.open.value]
    for item in closed:
        item.status = ItemStatus.waived.value
        waived = FileEventKind.waive
        log(session, file, waived, day, to_value=item.description, note="file withdrawn")
    session.flush()
    return Withdrawn(file, stage, closed)


def _decided_on(session: Session, file: CredentialingFile, notice_due_on: dt.date) -> dt.date:
    """The date of the decision whose notice is due on ``notice_due_on``."""
    meeting = session.get(CommitteeMeeting, file.meeting_id) if file.meeting_id else None
    if meeting is not None:
        return meeting.meeting_on
    return file.decision_on or notice_due_on - dt.timedelta(days=pipeline.NOTICE_DAYS)


def _recred_due(provider: Provider) -> dt.date:
    if provider.next_recred_due is not None:
        return provider.next_recred_due
    if provider.last_cred_date is not None:
        return pipeline.recred_due(provider.last_cred_date)
    raise ConflictError(
        f"{_who(provider)} has no last credentialing date or recredentialing due date; open "
        "an initial file, or give the recredentialing due date with --due"
    )


def _who(provider: Provider) -> str:
    return f"{provider.display_name} (NPI {provider.npi})"


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None
