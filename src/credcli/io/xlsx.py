"""Excel workbooks a manager can open: styled, frozen header, filters, real dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from credcli.io import private
from credcli.io.formulas import defuse

HEADER_FILL = "1F4E78"
DATE_FORMAT = "yyyy-mm-dd"


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
        sheet.append([defuse(header) for header in headers])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = fill
        widths = [len(str(h)) for h in headers]
        for row in rows:
            sheet.append([defuse(value) for value in row])
            for index, value in enumerate(row):
                widths[index] = max(widths[index], min(len(_shown(value)), 60))
        for index, width in enumerate(widths, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = width + 2
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return "2026-01-01"
    return "" if value is None else str(value)
