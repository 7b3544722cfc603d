"""The one place every change to the registry is recorded, in the same transaction.

ORM changes are recorded by a flush hook; bulk writers (roster import) call
:func:`append` themselves. Each row carries the hash of the row before it, so
altering or reordering rows afterwards breaks the chain (NCQA 2025 Credentialing
Information Integrity asks for such a control).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, event, inspect, select, text
from sqlalchemy.orm import Session, UOWTransaction

from credcli.db.models import AuditEntry, Provider
from credcli.db.models.base import utcnow
from credcli.io import jsontext
from credcli.services import bulk

GENESIS = "0" * 64
PRIVATE_FIELDS = frozenset({"dob"})
PRIVATE_MARK = "(private)"
_SKIPPED_FIELDS = frozenset({"created_at", "updated_at"})
_MASKED_OR_SKIPPED = PRIVATE_FIELDS | _SKIPPED_FIELDS
_PG_AUDIT_LOCK = 7_340_221  # any constant: serialises writers of the hash chain
_AUDIT_TABLE = cast(Table, AuditEntry.__table__)
_AUDIT_COLUMNS = (
    "at", "actor", "action", "entity", "entity_id", "npi", "before", "after", "prev_hash",
    "row_hash",
)  # fmt: skip


_quote = json.encoder.encode_basestring  # JSON string literal, ensure_ascii=False


@dataclass
class Change:
    action: str  # create, update, delete
    entity: str
    entity_id: int | None
    npi: str | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    at: dt.datetime = field(default_factory=utcnow)


def actor() -> str:
    """Who is acting: ``CREDCLI_USER`` when set (shared service accounts), else the login."""
    named = os.environ.get("CREDCLI_USER", "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def row_hash(
    prev: str,
    at: str,
    who: str,
    action: str,
    entity: str,
    entity_id: int | None,
    npi: str | None,
    before: str | None,
    after: str | None,
) -> str:
    """SHA-256 of ``json.dumps([prev, at, who, action, entity, entity_id, npi, before,
    after], separators=(",", ":"), ensure_ascii=False)``, the chain's fixed format.

    Written out by hand: an import or a chain check hashes millions of rows, and the
    general encoder costs half as much again per row (tests compare the two).
    """
    payload = (
        f"[{_quote(prev)},{_quote(at)},{_quote(who)},{_quote(action)},{_quote(entity)},"
        f"{'null' if entity_id is None else int.__repr__(entity_id)},"
        f"{'null' if npi is None else _quote(npi)},"
        f"{'null' if before is None else _quote(before)},"
        f"{'null' if after is None else _quote(after)}]"
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def stamp(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def snapshot(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    if not values.keys().isdisjoint(_MASKED_OR_SKIPPED):
        values = {
            key: PRIVATE_MARK if key in PRIVATE_FIELDS and value is not None else value
            for key, value in values.items()
            if key not in _SKIPPED_FIELDS
        }
    # Dates reach ``_plain`` through ``default``, so plain values stay in the C encoder.
    return _snapshot_json(values)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return stamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept in the audit log")


_snapshot_json = jsontext.writer((", ", ": "), sort_keys=True, default=_plain)


def append(connection: Connection, changes: Iterable[Change], who: str | None = None) -> int:
    """Write audit rows for ``changes`` on ``connection``, continuing the hash chain."""
    pending = list(changes)
    if not pending:
        return 0
    lock_chain(connection)
    prev = (
        connection.execute(
            select(AuditEntry.row_hash).order_by(AuditEntry.id.desc()).limit(1)
        ).scalar()
        or GENESIS
    )
    who = who or actor()
    seconds: dict[dt.datetime, tuple[dt.datetime, str]] = {}  # a batch shares a few instants
    rows = []
    for change in pending:
        when = seconds.get(change.at)
        if when is None:
            at = change.at.replace(microsecond=0)
            when = seconds[change.at] = (at, stamp(at))
        before, after = snapshot(change.before), snapshot(change.after)
        digest = row_hash(
            prev, when[1], who, change.action, change.entity, change.entity_id, change.npi,
            before, after,
        )  # fmt: skip
        rows.append(
            (when[0], who, change.action, change.entity, change.entity_id, change.npi,
             before, after, prev, digest)
        )  # fmt: skip
        prev = digest
    bulk.insert_values(connection, _AUDIT_TABLE, _AUDIT_COLUMNS, rows)
    return len(rows)


def lock_chain(connection: Connection) -> None:
    """Serialise writers of the hash chain until this transaction ends.

    PostgreSQL only: on SQLite, BEGIN IMMEDIATE already gives a writer the whole
    database. Taking it again in the same transaction returns at once.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})


def install(session: Session) -> None:
    """Record every ORM insert, update and delete of ``session`` in the audit log."""
    if session.info.get("audit_installed"):
        return
    session.info["audit_installed"] = True
    event.listen(session, "after_flush", _after_flush)


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    connection = session.connection()
    npis: dict[int, str | None] = {}
    changes: list[Change] = []
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            continue
        changes.append(
            Change(
                "create", _entity(obj), _id(obj), _npi(connection, obj, npis), after=_values(obj)
            )
        )
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _diff(obj)
        if after:
            changes.append(
                Change(
                    "update",
                    _entity(obj),
                    _id(obj),
                    _npi(connection, obj, npis),
                    before=before,
                    after=after,
                )
            )
    for obj in session.deleted:
        changes.append(
            Change(
                "delete", _entity(obj), _id(obj), _npi(connection, obj, npis), before=_values(obj)
            )
        )
    append(connection, sorted(changes, key=_order))


def _order(change: Change) -> tuple[int, str, int]:
    rank = {"create": 0, "update": 1, "delete": 2}[change.action]
    return (rank, change.entity, change.entity_id or 0)


def _entity(obj: Any) -> str:
    return str(obj.__table__.name)


def _id(obj: Any) -> int | None:
    value = getattr(obj, "id", None)
    return int(value) if value is not None else None


def _values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _diff(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[attr.key] = old
            after[attr.key] = new
    return before, after


def _npi(connection: Connection, obj: Any, cache: dict[int, str | None]) -> str | None:
    if isinstance(obj, Provider):
        return obj.npi
    provider_id = getattr(obj, "provider_id", None)
    if provider_id is None:
        file_id = getattr(obj, "file_id", None)
        if file_id is None:
            return None
        provider_id = connection.execute(
            text("SELECT provider_id FROM credentialing_files WHERE id = :i"), {"i": file_id}
        ).scalar()
        if provider_id is None:
            return None
    if provider_id not in cache:
        cache[provider_id] = connection.execute(
            select(Provider.npi).where(Provider.id == provider_id)
        ).scalar()
    return cache[provider_id]
