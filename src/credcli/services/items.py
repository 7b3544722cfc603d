"""Outstanding items of a file: a document or an answer requested, chased and received."""

from __future__ import annotations

from sqlalchemy.orm import Session

from credcli.db.models import OutstandingItem
from credcli.domain.vocab import FileEventKind, FileStage, ItemStatus
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import files, when


def find(session: Session, item_id: int) -> OutstandingItem:
    item = session.get(OutstandingItem, item_id) if files.known_id(item_id) else None
    if item is None:
        raise NotFoundError(f"no outstanding item #{item_id} in the registry")
    return item


def request(
    session: Session, file_id: int, description: str, *, due: str | None, on: str | None
) -> OutstandingItem:
    file = files.find(session, file_id)
    if file.stage == FileStage.decided.value:
        raise ConflictError(f"file #{file.id} is decided; nothing more can be requested for it")
    if file.stage == FileStage.withdrawn.value:
        raise ConflictError(f"file #{file.id} was withdrawn; nothing more can be requested for it")
    text = " ".join(description.split())
    if not text:
        raise FieldError("item", description, "describe what is requested")
    if len(text) > 200:
        raise FieldError("item", text, "keep the description under 200 characters")
    day = when.past("date", on, files.HAPPENED)
    due_on = when.optional("due", due)
    if due_on is not None and due_on < day:
        raise FieldError("due", due_on.isoformat(), f"is before the request date {day}")
    item = OutstandingItem(
        file=file,
        description=text,
        requested_on=day,
        due_on=due_on,
        status=ItemStatus.open.value,
        follow_ups=0,
    )
    session.add(item)
    files.log(session, file, FileEventKind.request, day, to_value=text)
    session.flush()
    return item


def receive(
    session: Session, item_id: int, *, on: str | None, note: str | None = None
) -> OutstandingItem:
    item = find(session, item_id)
    _must_be_open(item, "receive")
    day = when.past("date", on, files.HAPPENED)
    if day < item.requested_on:
        raise FieldError("date", day.isoformat(), f"is before the request ({item.requested_on})")
    item.status = ItemStatus.received.value
    item.received_on = day
    kind = FileEventKind.receive
    files.log(session, item.file, kind, day, to_value=item.description, note=note)
    session.flush()
    return item


def waive(session: Session, item_id: int, *, on: str | None, note: str | None) -> OutstandingItem:
    """Close an open item that is no longer needed (requested by mistake, obtained another way)."""
    item = find(session, item_id)
    _must_be_open(item, "waive")
    if not (note or "").strip():
        raise FieldError("note", note or "", "say why the item is waived (--note)")
    day = when.past("date", on, files.HAPPENED)
    if day < item.requested_on:
        raise FieldError("date", day.isoformat(), f"is before the request ({item.requested_on})")
    item.status = ItemStatus.waived.value
    files.log(session, item.file, FileEventKind.waive, day, to_value=item.description, note=note)
    session.flush()
    return item


def follow_up(
    session: Session,
    item_id: int,
    *,
    on: str | None,
    due: str | None = None,
    note: str | None = None,
) -> OutstandingItem:
    """Count one more chase of an open item, optionally with a new due date."""
    item = find(session, item_id)
    _must_be_open(item, "follow up")
    day = when.past("date", on, files.HAPPENED)
    if day < item.requested_on:
        raise FieldError("date", day.isoformat(), f"is before the request ({item.requested_on})")
    if item.last_follow_up_on is not None and day < item.last_follow_up_on:
        reason = f"is before the last follow-up ({item.last_follow_up_on})"
        raise FieldError("date", day.isoformat(), reason)
    new_due = when.optional("due", due)
    if new_due is not None and new_due < day:
        raise FieldError("due", new_due.isoformat(), f"is before the follow-up date {day}")
    item.follow_ups = (item.follow_ups or 0) + 1
    item.last_follow_up_on = day
    old_due = item.due_on
    if new_due is not None:
        item.due_on = new_due
    files.log(
        session,
        item.file,
        FileEventKind.follow_up,
        day,
        from_value=old_due.isoformat() if new_due and old_due else None,
        to_value=item.description,
        note=note,
    )
    session.flush()
    return item


def _must_be_open(item: OutstandingItem, verb: str) -> None:
    what = f"item #{item.id} ({item.description})"
    if item.status == ItemStatus.received.value:
        consequence = {
            "receive": "it cannot be received twice",
            "follow up": "there is nothing to follow up",
        }.get(verb, f"there is nothing to {verb}")
        raise ConflictError(f"{what} was already received on {item.received_on}; {consequence}")
    if item.status != ItemStatus.open.value:
        raise ConflictError(f"{what} is {item.status}, not open; there is nothing to {verb}")
