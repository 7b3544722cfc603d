"""Read-only views of credentialing files: one file in full, and a listing of files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from credcli.db.models import CommitteeMeeting, CredentialingFile, FileEvent
from credcli.domain import pipeline
from credcli.domain.vocab import FileEventKind, FileStage
from credcli.services import files, providers, queue, records

LIST_FIELDS = (
    "file",
    "npi",
    "provider",
    "cycle",
    "received_on",
    "stage",
    "assignee",
    "recred_due_on",
    "decision",
    "decision_on",
    "notice_due_on",
    "notice_sent_on",
    "withdrawn_on",
    "withdrawal_reason",
)  # the keys of a listed file, in order


def show(
    session: Session, file_id: int, *, as_of: dt.date, stalled_days: int = pipeline.STALLED_DAYS
) -> dict[str, Any]:
    """One file: its record, next action and flags (when open), items, stages and history."""
    file = files.find(session, file_id)
    record: dict[str, Any] = {
        "file": file.id,
        "npi": file.provider.npi,
        "provider": file.provider.display_name,
        "cycle": file.cycle,
        "stage": file.stage,
    }
    if FileStage(file.stage) in pipeline.OPEN_STAGES:
        summary = queue.summarize(session, file, as_of, stalled_days)
        for key in ("age_days", "days_in_stage", "idle_days", "next_action", "flags"):
            record[key] = summary[key]
    meeting = session.get(CommitteeMeeting, file.meeting_id) if file.meeting_id else None
    record.update(
        {
            "received_on": file.received_on,
            "stage_since": file.stage_since,
            "assignee": file.assignee,
            "recred_due_on": file.due_on,
            "last_activity_on": file.last_activity_on,
            "meeting_on": meeting.meeting_on if meeting else None,
            "decision": file.decision,
            "decision_on": file.decision_on,
            "decision_note": file.decision_note,
            "notice_due_on": file.notice_due_on,
            "notice_sent_on": file.notice_sent_on,
            **records.withdrawal(file),
        }
    )
    events = sorted(file.events, key=lambda e: (e.on, e.id))
    record["items"] = [records.item_record(item) for item in file.items]
    record["stages"] = [
        {"stage": p.stage, "from": p.start, "to": p.end, "days": p.days}
        for p in _periods(file, events, as_of)
    ]
    record["history"] = [
        {
            "on": e.on,
            "kind": e.kind,
            "from": e.from_value,
            "to": e.to_value,
            "note": e.note,
            "by": e.actor,
        }
        for e in events
    ]
    return record


def _periods(
    file: CredentialingFile, events: list[FileEvent], as_of: dt.date
) -> list[pipeline.StagePeriod]:
    opened = next((e for e in events if e.kind == FileEventKind.opened.value), None)
    moves = [(e.on, e.to_value or "") for e in events if e.kind == FileEventKind.stage.value]
    if opened is None and not moves:  # a file brought in with no history (a roster import)
        return pipeline.stage_periods((file.stage_since or file.received_on, file.stage), [], as_of)
    first_stage = opened.to_value if opened and opened.to_value else FileStage.intake.value
    return pipeline.stage_periods((file.received_on, first_stage), moves, as_of)


def list_files(
    session: Session,
    *,
    npi: str | None = None,
    stage: str | None = None,
    notice_pending: bool = False,
) -> list[dict[str, Any]]:
    """Every file, open, decided and withdrawn, newest first; ``notice_pending``: files owed
    a decision notice (a deferral's included) not yet recorded as sent, by notice due date."""
    query = (
        select(CredentialingFile)
        .options(joinedload(CredentialingFile.provider))
        .order_by(CredentialingFile.received_on.desc(), CredentialingFile.id.desc())
    )
    if npi:
        query = query.where(CredentialingFile.provider_id == providers.find(session, npi).id)
    if stage:
        query = query.where(CredentialingFile.stage == stage)
    if notice_pending:  # the notice due first comes first
        query = (
            query.where(
                CredentialingFile.notice_due_on.is_not(None),
                CredentialingFile.notice_sent_on.is_(None),
            )
            .order_by(None)
            .order_by(CredentialingFile.notice_due_on, CredentialingFile.id)
        )
    found = session.scalars(query).all()
    closed = _withdrawals(session, [f.id for f in found if f.stage == FileStage.withdrawn.value])
    return [
        {
            "file": f.id,
            "npi": f.provider.npi,
            "provider": f.provider.display_name,
            "cycle": f.cycle,
            "received_on": f.received_on,
            "stage": f.stage,
            "assignee": f.assignee,
            "recred_due_on": f.due_on,
            # an open file owing a notice was deferred: its last decision
            "decision": f.decision or ("deferred" if f.notice_due_on is not None else None),
            "decision_on": f.decision_on,
            "notice_due_on": f.notice_due_on,
            "notice_sent_on": f.notice_sent_on,
            "withdrawn_on": closed[f.id][0] if f.id in closed else None,
            "withdrawal_reason": closed[f.id][1] if f.id in closed else None,
        }
        for f in found
    ]


def _withdrawals(session: Session, file_ids: list[int]) -> dict[int, tuple[dt.date, str | None]]:
    """The date and reason of each withdrawn file's withdrawal, in one query."""
    found: dict[int, tuple[dt.date, str | None]] = {}
    for start in range(0, len(file_ids), 500):
        rows = session.execute(
            select(FileEvent.file_id, FileEvent.on, FileEvent.note)
            .where(
                FileEvent.file_id.in_(file_ids[start : start + 500]),
                FileEvent.kind == FileEventKind.withdraw.value,
            )
            .order_by(FileEvent.id)
        )
        for file_id, on, reason in rows:
            found[file_id] = (on, reason)  # the last withdraw event wins
    return found
