"""Small roster files for tests, written into tmp_path (never committed)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.domain.identifiers import npi_check_digit

HEADERS = [
    "NPI",
    "Last Name",
    "First Name",
    "License Number",
    "License State",
    "License Expiration",
]


def npi(n: int) -> str:
    base = f"1{n:08d}"
    return base + str(npi_check_digit(base))


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def summary(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def table_rows(db: str, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(query))]
    engine.dispose()
    return rows


def every_stored_text(db: str) -> str:
    """All values in every table, as one string, to prove something was never stored."""
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    parts = []
    with engine.connect() as conn:
        from sqlalchemy import MetaData

        meta = MetaData()
        meta.reflect(conn)
        for name in sorted(inspect(conn).get_table_names()):
            rows = [repr(tuple(row)) for row in conn.execute(select(meta.tables[name]))]
            parts.extend(sorted(rows))  # PostgreSQL returns rows in no fixed order
    engine.dispose()
    return "\n".join(parts)


def credentialed(
    cli: Any,
    folder: Path,
    npi: str,
    first: str,
    last: str,
    *,
    dob: str = "",
    on: str = "2024-05-01",
) -> str:
    """A provider credentialed before credcli kept the record (active), by a one-row
    roster: the way a registry starts, since otherwise an applicant becomes active only
    through the committee. Works for a provider already registered too."""
    path = write_csv(
        folder / f"credentialed-{npi}.csv",
        [
            ["NPI", "First Name", "Last Name", "DOB", "Initial Cred Date", "Status"],
            [npi, first, last, dob, on, "Active"],
        ],
    )
    cli("intake", "roster", str(path))
    return npi
