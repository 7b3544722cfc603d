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
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, func, insert, select

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
    # Python-side column defaults (timestamps, and any a later migration adds), once a batch.
    stamps = [
        c.name
        for c in table.columns
        if c.name not in keys and not c.primary_key and c.default is not None
    ]
    tail = tuple(_adapter(conn, table, name)(_default(table, name)) for name in stamps)
    pick = itemgetter(*keys)
    convert = [
        (position, adapt)
        for position, name in enumerate(keys)
        if (adapt := _adapter(conn, table, name)) is not _identity
    ]
    params = []
    for row in rows:
        values = list(pick(row)) if len(keys) > 1 else [pick(row)]
        for position, adapt in convert:
            values[position] = adapt(values[position])
        params.append((*values, *tail))
    sql = _insert_sql(conn, table, [*keys, *stamps])
    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
    conn.exec_driver_sql(sql, params)
    count, low, high = conn.execute(
        select(func.count(), func.min(table.c.id), func.max(table.c.id)).where(table.c.id > before)
    ).one()
    if (count, low, high) != (len(rows), before + 1, before + len(rows)):
        raise DatabaseError(f"{table.name}: bulk insert ids are not contiguous; nothing was saved")
    return list(range(before + 1, before + len(rows) + 1))


def insert_values(
    conn: Connection, table: Table, keys: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``keys``) when their ids are not needed.

    Rows without ids are what an append-only log writes: one executemany at the
    driver on SQLite, values adapted per column only where the type needs it.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in rows])
        return
    convert = [
        (position, adapt)
        for position, name in enumerate(keys)
        if (adapt := _adapter(conn, table, name)) is not _identity
    ]
    params: list[Any] = rows
    if convert:
        params = []
        for row in rows:
            values = list(row)
            for position, adapt in convert:
                values[position] = adapt(values[position])
            params.append(tuple(values))
    conn.exec_driver_sql(_insert_sql(conn, table, keys), params)


def _insert_sql(conn: Connection, table: Table, names: Sequence[str]) -> str:
    quote = conn.dialect.identifier_preparer.quote
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )


def _default(table: Table, name: str) -> Any:
    default: Any = table.c[name].default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps the callable to take a context
    raise DatabaseError(f"{table.name}.{name}: a SQL default cannot be bulk-inserted here")


def _identity(value: Any) -> Any:
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else value


class IsoDates(dict[Any, Any]):
    """A date's storage text (ISO), remembered: a roster's rows share a few thousand
    dates, and a dictionary lookup costs far less than formatting each one. Text and
    None come back as they are."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, value: Any) -> Any:
        text = self[value] = _date(value)
        return text


def _adapter(conn: Connection, table: Table, name: str) -> Callable[[Any], Any]:
    column_type = table.c[name].type
    if isinstance(column_type, DateTime):
        # The dialect's own type (SQLite's DATETIME) knows the storage format; the
        # generic DateTime has no processor, and sqlite3 would then pick its own.
        process = column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if process is None:
            return _identity
        seen: dict[Any, Any] = {}  # rows of one batch share a few timestamps

        def adapt(value: Any) -> Any:
            if value is None:
                return None
            done = seen.get(value)
            if done is None:
                done = seen[value] = process(value)
            return done

        return adapt
    if isinstance(column_type, Date):
        return IsoDates().__getitem__
    return _identity
