"""Roster-sized workbooks (exports, rejected rows), streamed so 100,000 rows fit in memory.

openpyxl's write-only mode keeps one row at a time; the header is styled and frozen,
filters are on, dates are real date cells. The file is created 0600 first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from credcli.io import private
from credcli.io.formulas import xlsx_safe
from credcli.io.xlsx import DATE_FORMAT, HEADER_FILL

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
    control characters an .xlsx cannot hold are shown as U+FFFD."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        value = "'" + value
    return xlsx_safe(value)


def write_rows(
    path: Path,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
) -> int:
    """Write one sheet; returns the number of data rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    private.prepare(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_name[:31])
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(len(str(header)), 10)
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_safe(header))
        cell.font = bold
        cell.fill = fill
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        out: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(defuse(value))
        sheet.append(out)
        count += 1
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(path)
    return count
