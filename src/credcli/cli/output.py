"""Output formats behind one interface: rows of plain data rendered as table, JSON or CSV.

Text cells that a spreadsheet would run as a formula (= + - @ tab CR at the start)
are written with a leading apostrophe in CSV and Excel output (OWASP CSV injection,
see ``io/formulas.py``); ``--redact`` goes through ``domain/privacy.py``.
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
from credcli.domain import privacy
from credcli.io.formulas import defuse as defuse

if TYPE_CHECKING:
    from rich.console import Console

Columns = Sequence[tuple[str, str]]  # (key, header)


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, default=plain, ensure_ascii=False)


def csv_cell(value: Any) -> str:
    """A CSV cell: text defused, numbers, dates and booleans written as they are.

    Lists and dicts are written as JSON text. A bare carriage return becomes a newline:
    the csv module would leave it unquoted with ``lineterminator="\\n"`` and a
    spreadsheet would split the row there.
    """
    if isinstance(value, dict | list):  # a nested record (a list row, findings) as JSON text
        value = json.dumps(value, ensure_ascii=False, default=plain)
    if not isinstance(value, str):
        return cell_text(value)
    return str(defuse(value)).replace("\r\n", "\n").replace("\r", "\n")


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
    redact: bool = False,
    fields: Sequence[str] | None = None,
) -> None:
    """Write ``rows`` to stdout. JSON and CSV carry every key; the table shows ``columns``.

    ``fields`` names every key of a row, in order: a CSV listing has that header whether
    or not it has rows, so a cron job appending daily exports never sees it change
    (default: the first row's keys, or the keys of ``columns`` when there is none).
    """
    out = sys.stdout
    if redact:
        rows = privacy.redact(rows)
    if fmt is Format.json:
        out.write(to_json(list(rows)) + "\n")
    elif fmt is Format.csv:
        if fields is not None:
            keys = list(fields)
        else:
            keys = list(rows[0].keys()) if rows else [key for key, _ in columns]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([csv_cell(row.get(key)) for key in keys])
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
    record: Mapping[str, Any],
    fmt: Format,
    sections: Mapping[str, Columns],
    *,
    title: str,
    redact: bool = False,
) -> None:
    """One record with nested lists (``provider show``): JSON object, long CSV, or tables."""
    out = sys.stdout
    if redact:
        record = privacy.redact_record(record)
    scalars = {k: v for k, v in record.items() if k not in sections}
    if fmt is Format.json:
        out.write(to_json(record) + "\n")
        return
    if fmt is Format.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["section", "row", "field", "value"])
        for key, value in scalars.items():
            writer.writerow(["record", "", key, csv_cell(value)])
        for name in sections:
            for index, row in enumerate(record.get(name) or [], start=1):
                for key, value in row.items():
                    if isinstance(value, list):
                        value = len(value)
                    writer.writerow([name, index, key, csv_cell(value)])
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
    path: Path,
    sheets: Mapping[str, tuple[Sequence[Mapping[str, Any]], Columns]],
    *,
    redact: bool = False,
) -> None:
    """Write one sheet per entry to ``path`` (created 0600), formula-like text defused."""
    from credcli.io import xlsx

    if redact:
        sheets = {name: (privacy.redact(rows), columns) for name, (rows, columns) in sheets.items()}

    xlsx.write_workbook(
        path,
        {
            name: (
                [header for _, header in columns],
                [[plain_xlsx(row.get(key)) for key, _ in columns] for row in rows],
            )
            for name, (rows, columns) in sheets.items()
        },
    )


def plain_xlsx(value: Any) -> Any:
    if isinstance(value, list | dict):
        return to_json(value)
    return value
