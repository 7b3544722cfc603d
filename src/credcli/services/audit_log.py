"""Read the audit log: the change history, and a check that nobody altered it.

Each row's hash covers its content and the previous row's hash (see
:mod:`credcli.services.audit`). Walking the rows in id order and recomputing
every hash finds an edited row (its hash no longer matches its content), a
deleted or inserted row, and rows put in another order (a row's previous-row
hash no longer matches the row before it). Ids are not required to be
consecutive: PostgreSQL sequences skip numbers when a transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from credcli.db.models import AuditEntry, Base
from credcli.domain import identifiers
from credcli.errors import DatabaseError, FieldError, InputError
from credcli.services import audit, files

_BATCH = 5000
_SHOWN_CHARS = 160
_ZERO = dt.timedelta(0)

ROW_FIELDS = (
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "npi",
    "changes",
    "before",
    "after",
    "row_hash",
)  # the keys of a listed row, in order


def entities() -> list[str]:
    return sorted(name for name in Base.metadata.tables if name != "audit_log")


def list_entries(
    session: Session,
    *,
    npi: str | None = None,
    since: dt.date | None = None,
    entity: str | None = None,
    last: int | None = None,
) -> list[dict[str, Any]]:
    """Audit rows matching the filters, oldest first (the ``last`` N when given)."""
    query = select(AuditEntry)
    if npi is not None:
        value = identifiers.normalize_npi(npi)
        problem = identifiers.npi_problem(value)
        if problem:
            raise FieldError("npi", npi, problem)
        query = query.where(AuditEntry.npi == value)
    if since is not None:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    if entity is not None:
        if entity not in entities():
            raise FieldError(
                "entity", entity, f"is not a table; use one of {', '.join(entities())}"
            )
        query = query.where(AuditEntry.entity == entity)
    if last is not None and last < 1:
        raise InputError(f"--last {last}: give a number of rows of at least 1")
    try:
        if last is not None:
            newest = session.scalars(
                query.order_by(AuditEntry.id.desc()).limit(min(last, files.MAX_ID))
            ).all()
            rows = list(reversed(newest))
        else:
            rows = list(session.scalars(query.order_by(AuditEntry.id)).all())
        return [_record(row) for row in rows]
    except (ValueError, TypeError):  # a value overwritten outside credcli (SQLite allows any)
        raise DatabaseError(
            "the audit log holds a row that cannot be read: it was altered outside credcli; "
            "run 'credcli audit-log verify' to find it"
        ) from None


_TEXT = (str, type(None))


def _record(row: AuditEntry) -> dict[str, Any]:
    texts = (row.actor, row.action, row.entity, row.npi, row.before, row.after, row.row_hash)
    if not all(isinstance(value, _TEXT) for value in texts) or type(row.entity_id) not in (
        int,
        type(None),
    ):
        raise TypeError("a stored value is not of its column's type")
    before = json.loads(row.before) if row.before else None
    after = json.loads(row.after) if row.after else None
    return {
        "id": row.id,
        "at": audit.stamp(row.at),
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "npi": row.npi,
        "changes": describe(row.action, before, after),
        "before": before,
        "after": after,
        "row_hash": row.row_hash,
    }


def describe(action: str, before: Any, after: Any) -> str:
    """One line a person can scan: ``phone: (blank) -> 555-0100`` or the values created."""
    if action == "update" and isinstance(before, dict) and isinstance(after, dict):
        parts = [f"{key}: {_shown(before.get(key))} -> {_shown(after[key])}" for key in after]
    else:
        values = after if action == "create" else before
        if not isinstance(values, dict):
            return ""
        parts = [f"{key}={_shown(value)}" for key, value in values.items() if value is not None]
    text = "; ".join(parts)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _shown(value: Any) -> str:
    return "(blank)" if value is None or value == "" else str(value)


@dataclass(frozen=True)
class ChainCheck:
    rows: int  # rows verified before a problem (all rows when intact)
    intact: bool
    bad_row: int | None
    problem: str | None
    last_row: int | None
    last_hash: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "rows_verified": self.rows,
            "first_bad_row": self.bad_row,
            "problem": self.problem,
            "last_row": self.last_row,
            "last_hash": self.last_hash,
        }


def parse_anchor(text: str) -> tuple[int, str]:
    """``ROW:HASH`` as printed by an earlier verify, e.g. ``1200:3fa2...``."""
    row, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not row.strip().isdigit() or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
        raise FieldError(
            "--anchor",
            text,
            "give ROW:HASH as printed by an earlier verify (a row id, a colon, 64 hex digits)",
        )
    return int(row), digest


def verify(session: Session, anchor: tuple[int, str] | None = None) -> ChainCheck:
    """Walk the chain in id order; stop at the first row whose content or place is wrong.

    ``anchor`` (row id, hash) is a row recorded by an earlier verify: it must still be
    there with that hash, which also proves no rows were cut from the end since.
    """
    # SQLite keeps time stamps as text that anyone can overwrite: read the text and
    # parse it here, so a stamp that is not a date is a finding, not a crash.
    raw_stamps = session.get_bind().dialect.name == "sqlite"
    columns = (
        AuditEntry.id,
        type_coerce(AuditEntry.at, String) if raw_stamps else AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.entity,
        AuditEntry.entity_id,
        AuditEntry.npi,
        AuditEntry.before,
        AuditEntry.after,
        AuditEntry.prev_hash,
        AuditEntry.row_hash,
    )
    result = session.execute(
        select(*columns).order_by(AuditEntry.id).execution_options(yield_per=_BATCH)
    )
    expected = audit.GENESIS
    previous_id: int | None = None
    count = 0
    anchor_seen = False
    row_hash = audit.row_hash
    stamp = _stamp
    for rid, at, who, action, entity, entity_id, npi, before, after, prev, digest in result:
        when = _stored_stamp(at) if raw_stamps else cast(dt.datetime, at)
        problems = []
        if when is None:
            problems.append("its content was altered (its time stamp is not a date and time)")
        else:
            try:
                same = (
                    row_hash(prev, stamp(when), who, action, entity, entity_id, npi, before, after)
                    == digest
                )
            except (TypeError, ValueError):  # SQLite lets any column hold any type
                problems.append("its content was altered (a value is not of its column's type)")
            else:
                if not same:
                    problems.append(
                        "its content was altered (the stored hash no longer matches it)"
                    )
        if prev != expected:
            problems.append(_link_problem(previous_id, rid))
        if anchor is not None and rid == anchor[0]:
            anchor_seen = True
            if digest != anchor[1]:
                problems.append("its hash is not the one recorded for it earlier")
        if problems:
            result.close()
            return ChainCheck(
                count,
                False,
                rid,
                f"row {rid}: " + "; ".join(problems),
                previous_id,
                expected if previous_id is not None else None,
            )
        expected = digest
        previous_id = rid
        count += 1
    if anchor is not None and not anchor_seen:
        return ChainCheck(
            count,
            False,
            anchor[0],
            f"row {anchor[0]}: recorded earlier but no longer in the log: rows were cut from "
            "the end (or renumbered)",
            previous_id,
            expected if count else None,
        )
    return ChainCheck(count, True, None, None, previous_id, expected if count else None)


def _stored_stamp(text: Any) -> dt.datetime | None:
    """A SQLite time stamp as SQLAlchemy reads it, or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _stamp(at: dt.datetime) -> str:
    """``audit.stamp`` without its conversions for the common UTC case (SQLite gives naive UTC)."""
    if at.tzinfo is None or at.utcoffset() == _ZERO:
        return at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return audit.stamp(at)


def _link_problem(previous_id: int | None, rid: int) -> str:
    if previous_id is None:
        return "it does not start the chain: rows before it were deleted"
    return (
        f"it does not follow row {previous_id} (previous-row hash mismatch): "
        "a row was deleted, inserted or moved"
    )
