"""Output formats behind one interface: rows of plain data rendered as table, JSON or CSV.

Text cells that a spreadsheet would run as a formula (= + - @ at the start) are
written with a leading apostrophe in CSV and Excel output (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credcli.cli.options import Format

if TYPE_CHECKING:
    from rich.console import Console

Columns = Sequence[tuple[str, str]]  # (key, header)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, default=plain, ensure_ascii=False)


def defuse(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(plain(value))


def render(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    columns: Columns,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    """Write ``rows`` to stdout. JSON and CSV carry every key; the table shows ``columns``."""
    out = sys.stdout
    if fmt is Format.json:
        out.write(to_json(list(rows)) + "\n")
    elif fmt is Format.csv:
        keys = list(rows[0].keys()) if rows else [key for key, _ in columns]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([defuse(cell_text(row.get(key))) for key in keys])
    else:
        if not rows:
            from credcli.cli import console

            console.info(empty)
            return
        print_table(rows, columns, title=title)


def print_table(
    rows: Sequence[Mapping[str, Any]], columns: Columns, *, title: str | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold")
    for _, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell_text(row.get(key))) for key, _ in columns))
    stdout_console().print(table)


def stdout_console() -> Console:
    """Rich console for data; wide when piped so a table is never folded for a file."""
    from rich.console import Console

    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 240)


def render_record(
    record: Mapping[str, Any], fmt: Format, sections: Mapping[str, Columns], *, title: str
) -> None:
    """One record with nested lists (``provider show``): JSON object, long CSV, or tables."""
    out = sys.stdout
    scalars = {k: v for k, v in record.items() if k not in sections}
    if fmt is Format.json:
        out.write(to_json(record) + "\n")
        return
    if fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["section", "row", "field", "value"])
        for key, value in scalars.items():
            writer.writerow(["record", "", key, defuse(cell_text(value))])
        for name in sections:
            for index, row in enumerate(record.get(name) or [], start=1):
                for key, value in row.items():
                    if isinstance(value, list):
                        value = len(value)
                    writer.writerow([name, index, key, defuse(cell_text(value))])
        return
    from rich.table import Table
    from rich.text import Text

    console = stdout_console()
    console.print(title, style="bold", markup=False)
    summary = Table(show_header=False, box=None)
    summary.add_column(style="bold")
    summary.add_column(overflow="fold")
    for key, value in scalars.items():
        if value not in (None, ""):
            summary.add_row(key.replace("_", " "), Text(cell_text(value)))
    console.print(summary)
    for name, columns in sections.items():
        rows = record.get(name) or []
        console.print()
        if not rows:
            console.print(f"{name.replace('_', ' ')}: none", markup=False)
            continue
        print_table(rows, columns, title=name.replace("_", " "))


def write_xlsx(
    path: Path, sheets: Mapping[str, tuple[Sequence[Mapping[str, Any]], Columns]]
) -> None:
    from credcli.io import xlsx

    xlsx.write_workbook(
        path,
        {
            name: (
                [header for _, header in columns],
                [[defuse(plain_xlsx(row.get(key))) for key, _ in columns] for row in rows],
            )
            for name, (rows, columns) in sheets.items()
        },
    )


def plain_xlsx(value: Any) -> Any:
    if isinstance(value, list | dict):
        return to_json(value)
    return value
