"""Every row of every table of a registry, to compare before and after a failed command."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from credcli.db.models import Base


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        found = {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
        found["alembic_version"] = [
            tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))
        ]
    engine.dispose()
    return found
