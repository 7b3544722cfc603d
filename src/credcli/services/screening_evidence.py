"""What the registry records about exclusion screening, read without owning those tables.

Screening runs and hits are written by ``credcli verify screen``. Reports only read
them, and a registry may predate them, so the tables are inspected rather than
imported: a missing table means "not screened" (None), never a made-up zero.
Columns are looked up by the names the screening commands use, with a few
alternatives so that a renamed date column does not silently empty a report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, Table, func, inspect, select
from sqlalchemy.orm import Session

RUNS_TABLE = "screening_runs"
HITS_TABLE = "screening_hits"
_RUN_DATE_COLUMNS = (
    "as_of",
    "run_on",
    "ran_on",
    "screened_on",
    "ran_at",
    "run_at",
    "started_at",
    "created_at",
    "at",
)
_DISPOSITION_COLUMNS = ("disposition", "status")
_OPEN_VALUES = ("open", "new", "pending", "")
_RULED_OUT_TIERS = ("ruled-out", "ruled_out", "none")


@dataclass(frozen=True)
class OpenHits:
    count: int
    basis: str


def _table(session: Session, name: str) -> Table | None:
    connection = session.connection()
    if not inspect(connection).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=connection)


def _first(table: Table, names: tuple[str, ...]) -> Column[object] | None:
    for name in names:
        if name in table.c:
            column: Column[object] = table.c[name]
            return column
    return None


def open_hits(session: Session) -> OpenHits | None:
    """Hits still waiting for a person's decision, or None when nothing was ever screened."""
    table = _table(session, HITS_TABLE)
    runs = _table(session, RUNS_TABLE)
    if table is None:
        return None
    if runs is not None and not session.execute(select(func.count()).select_from(runs)).scalar():
        return None
    query = select(func.count()).select_from(table)
    tier = _first(table, ("tier",))
    if tier is not None:
        query = query.where(tier.is_(None) | tier.not_in(_RULED_OUT_TIERS))
    disposition = _first(table, _DISPOSITION_COLUMNS)
    if disposition is not None:
        query = query.where(disposition.is_(None) | disposition.in_(_OPEN_VALUES))
        basis = f"hits whose {disposition.name} is empty or open"
    else:
        closed = _first(table, ("disposed_at", "disposed_on", "cleared_on", "resolved_on"))
        if closed is not None:
            query = query.where(closed.is_(None))
            basis = f"hits without {closed.name}"
        else:
            basis = "every recorded hit (the hits table has no disposition column)"
    return OpenHits(int(session.execute(query).scalar() or 0), basis)


def screening_dates(session: Session) -> dict[int | None, list[dt.date]] | None:
    """Dates of screening runs, by provider id when runs name one (None key: whole roster).

    None when the registry holds no screening runs table at all.
    """
    table = _table(session, RUNS_TABLE)
    if table is None:
        return None
    when = _first(table, _RUN_DATE_COLUMNS)
    if when is None:
        return {}
    provider = _first(table, ("provider_id",))
    columns = [when] if provider is None else [when, provider]
    out: dict[int | None, list[dt.date]] = {}
    for row in session.execute(select(*columns)).all():
        day = _as_date(row[0])
        if day is None:
            continue
        key = row[1] if provider is not None and isinstance(row[1], int) else None
        out.setdefault(key, []).append(day)
    return out


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
