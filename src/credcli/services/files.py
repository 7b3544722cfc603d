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
    """Open a file for a provider who has none open; a recredentialing file gets its due date.

    One provider's files follow one another: the new file cannot be received before the
    previous one was decided or withdrawn. Recredentialing is for a provider credentialed
    before (an initial or last credentialing date), and is refused once its late window
    (NCQA: 30 days after the due date) ended before today, whatever the received date:
    a file opened today is decided today at the earliest.
    """
    provider = providers.find(session, npi)
    if provider.status == ProviderStatus.terminated.value:
        raise ConflictError(f"{_who(provider)} {providers.returning(provider)}")
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
    _after_previous_file(session, provider, received_on)
    due_on = when.optional("due", due)
    if cycle is FileCycle.recredential:
        approved_on = last_approval(provider)
        if approved_on is None:
            raise ConflictError(
                f"{_who(provider)} has never been credentialed (no initial or last "
                "credentialing date), and recredentialing is for a credentialed provider; "
                f"open an initial file ('credcli file open {provider.npi} --cycle initial')"
            )
        due_on = due_on or provider.next_recred_due or pipeline.recred_due(approved_on)
        _recred_in_time(provider, due_on, received_on)
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


def last_approval(provider: Provider) -> dt.date | None:
    """The provider's last credentialing approval (last or initial credentialing date)."""
    found = [d for d in (provider.last_cred_date, provider.initial_cred_date) if d is not None]
    return max(found) if found else None


def _after_previous_file(session: Session, provider: Provider, received_on: dt.date) -> None:
    """Refuse a file received before the provider's previous file was closed: two files of
    one provider never overlap in time."""
    closed = session.scalars(
        select(CredentialingFile).where(
            CredentialingFile.provider_id == provider.id,
            CredentialingFile.stage.in_([stage.value for stage in pipeline.CLOSED_STAGES]),
        )
    ).all()
    if not closed:
        return
    last = max(closed, key=lambda f: (_closed_on(f), f.id))
    closed_on = _closed_on(last)
    if received_on < closed_on:
        how = f"was {last.decision}" if last.decision else f"was {last.stage}"
        raise FieldError(
            "received",
            received_on.isoformat(),
            f"is before file #{last.id} of {_who(provider)} {how} ({closed_on}); one "
            f"provider's files do not overlap: give a received date on or after {closed_on}",
        )


def _closed_on(file: CredentialingFile) -> dt.date:
    """The day a decided or withdrawn file was closed."""
    if file.stage == FileStage.withdrawn.value:
        withdrawn_on: dt.date = records.withdrawal(file)["withdrawn_on"]
        return withdrawn_on
    return file.decision_on or file.stage_since or file.received_on


def _recred_in_time(provider: Provider, due_on: dt.date, received_on: dt.date) -> None:
    """Refuse a recredentialing received after its late window ended (NCQA FAQ). A file
    received inside the window may be entered later: history is recorded with back dates,
    and its decision must still fall inside the window (committee record checks that)."""
    if not pipeline.recred_deadline_passed(due_on, received_on):
        return
    raise ConflictError(
        f"{_who(provider)}'s recredentialing was due {due_on}, more than "
        f"{pipeline.LATE_RECRED_DAYS} days before {received_on}; the provider must be "
        "credentialed again as initial (--cycle initial)"
    )


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
    closed = close_items(session, file, day, "file withdrawn")
    session.flush()
    return Withdrawn(file, stage, closed)


def open_items(file: CredentialingFile) -> list[OutstandingItem]:
    """The file's items still outstanding, oldest request first."""
    found = [item for item in file.items if item.status == ItemStatus.open.value]
    return sorted(found, key=lambda item: (item.requested_on, item.id))


def close_items(
    session: Session, file: CredentialingFile, on: dt.date, why: str
) -> list[OutstandingItem]:
    """Close the items still outstanding on a file being closed (withdrawn, denied) as
    waived on ``on``, with ``why`` as the note: nothing is chased on a closed file."""
    closed = open_items(file)
    for item in closed:
        item.status = ItemStatus.waived.value
        log(session, file, FileEventKind.waive, on, to_value=item.description, note=why)
    return closed


def _decided_on(session: Session, file: CredentialingFile, notice_due_on: dt.date) -> dt.date:
    """The date of the decision whose notice is due on ``notice_due_on``."""
    meeting = session.get(CommitteeMeeting, file.meeting_id) if file.meeting_id else None
    if meeting is not None:
        return meeting.meeting_on
    return file.decision_on or notice_due_on - dt.timedelta(days=pipeline.NOTICE_DAYS)


def _who(provider: Provider) -> str:
    return f"{provider.display_name} (NPI {provider.npi})"


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    return cleaned or None
