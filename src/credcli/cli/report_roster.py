"""``credcli report roster``: the registry as a roster spreadsheet that imports back unchanged."""

from __future__ import annotations

import csv
import sys
from typing import Annotated

import typer

from credcli.cli import console, output
from credcli.cli.options import DbOption, Format, XlsxOption
from credcli.cli.report import app
from credcli.domain.vocab import ProviderStatus

TABLE_COLUMNS = [
    ("npi", "NPI"),
    ("last_name", "Last"),
    ("first_name", "First"),
    ("degree", "Degree"),
    ("status", "Status"),
    ("license_state", "License"),
    ("license_expires", "Expires"),
    ("dea_expires", "DEA expires"),
    ("board_expires", "Board expires"),
    ("malpractice_expires", "Malpractice expires"),
]


@app.command("roster")
def roster(
    status: Annotated[
        ProviderStatus | None, typer.Option("--status", help="Only providers in this status.")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: table, json or csv (default table; none when --xlsx is given).",
            show_default=False,
        ),
    ] = None,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """Export providers with their credentials as a roster that 'intake roster' reads back.

    The workbook has a styled, frozen header, filters and real date cells; CSV and
    JSON use credcli's field names. Dates of birth are not exported.

    Example: credcli report roster --xlsx roster-export.xlsx
    """
    from credcli.io import roster_writer
    from credcli.services import registry, roster_export

    if fmt is None:
        fmt = Format.table if xlsx is None else None
    with registry.session(db) as session:
        if xlsx is not None:
            export = roster_export.export(session, status=status.value if status else None)
            rows = ([row[key] for key in export.keys] for row in export.rows)
            written = roster_writer.write_rows(xlsx, "Roster", export.labels, rows)
            console.info(f"wrote {written} providers to {xlsx}")
        if fmt is None:
            return
        export = roster_export.export(session, status=status.value if status else None)
        if fmt is Format.csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(export.keys)
            for row in export.rows:
                writer.writerow([output.defuse(output.cell_text(row[k])) for k in export.keys])
        else:
            output.render(list(export.rows), fmt, TABLE_COLUMNS, empty="no providers to export")
