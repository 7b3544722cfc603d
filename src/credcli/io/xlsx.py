"""Excel workbooks a manager can open: styled, frozen header, filters, real dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from credcli.io import private
from credcli.io.formulas import defuse, xlsx_safe

HEADER_FILL = "1F4E78"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def write_workbook(
    path: Path, sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    private.prepare(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for name, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([xlsx_safe(defuse(header)) for header in headers])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = fill
        widths = [len(str(h)) for h in headers]
        for row in rows:
            sheet.append([xlsx_safe(defuse(_naive(value))) for value in row])
            for index, value in enumerate(row):
                widths[index] = max(widths[index], min(len(_shown(value)), 60))
        for index, width in enumerate(widths, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = width + 2
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = DATETIME_FORMAT  # a moment, such as a run's time
                elif isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)


def _naive(value: Any) -> Any:
    """Excel has no time zones: a moment stored with one (PostgreSQL) is written in UTC,
    as SQLite stores it."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return "2026-01-01 00:00:00"
    if isinstance(value, dt.date):
        return "2026-01-01"
    return "" if value is None else str(value)
