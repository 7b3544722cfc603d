"""Insert many rows fast and learn their ids, on SQLite and PostgreSQL alike.

SQLAlchemy's per-row parameter processing costs more than SQLite's own insert, so
on SQLite rows go straight to the driver's executemany with values already in
SQLAlchemy's storage format (ISO dates, its DATETIME text). Writing sessions hold
SQLite's write lock (BEGIN IMMEDIATE), so the new rowids are the ones after the
largest id (SQLite's rowid rule); that is checked, not assumed. On PostgreSQL an
INSERT .. RETURNING in parameter order gives the ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, func, insert, select

from credcli.db.models.base import utcnow
from credcli.errors import DatabaseError


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) and return their new ids, in order."""
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        result = conn.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        )
        return [int(i) for i in result.scalars()]
    keys = list(rows[0])
    fixed: dict[str, Any] = {}
    for name in ("created_at", "updated_at"):
        if name in table.c and name not in keys:
            fixed[name] = utcnow()
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=[*keys, *fixed])
    order = list(compiled.positiontup or [])
    adapt = {name: _adapter(conn, table, name) for name in order}
    constant = {name: adapt[name](value) for name, value in fixed.items()}
    plans = [(name, adapt[name], name in constant) for name in order]
    params = [
        tuple(constant[name] if is_fixed else conv(row[name]) for name, conv, is_fixed in plans)
        for row in rows
    ]
    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
    conn.exec_driver_sql(str(compiled), params)
    count, low, high = conn.execute(
        select(func.count(), func.min(table.c.id), func.max(table.c.id)).where(table.c.id > before)
    ).one()
    if (count, low, high) != (len(rows), before + 1, before + len(rows)):
        raise DatabaseError(f"{table.name}: bulk insert ids are not contiguous; nothing was saved")
    return list(range(before + 1, before + len(rows) + 1))


def _identity(value: Any) -> Any:
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else value


def _adapter(conn: Connection, table: Table, name: str) -> Callable[[Any], Any]:
    column_type = table.c[name].type
    if isinstance(column_type, DateTime):
        process = column_type.bind_processor(conn.dialect)
        if process is None:
            return _identity
        return lambda value: None if value is None else process(value)
    if isinstance(column_type, Date):
        return _date
    return _identity
