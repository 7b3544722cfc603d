"""Report workbooks: one sheet per section, real numbers and dates, native Excel charts.

Written with openpyxl so the charts are Excel's own (they redraw when a manager
edits a number). The file is created 0600 like every export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credcli.io import private
from credcli.io.xlsx import DATE_FORMAT, HEADER_FILL


@dataclass(frozen=True)
class Chart:
    title: str
    category_column: int  # 1-based column holding the categories
    value_columns: Sequence[int]  # 1-based columns holding the series (header = series name)
    kind: str = "bar"  # bar, stacked, line
    y_title: str = ""
    x_title: str = ""


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    charts: Sequence[Chart] = ()
    formats: dict[int, str] = field(default_factory=dict)  # 1-based column -> number format


def write_report(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    private.prepare(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [min(len(str(h)), 40) for h in spec.headers]
        for row in spec.rows:
            sheet.append(list(row))
            for index, value in enumerate(row):
                widths[index] = max(widths[index], min(_width(value), 90))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                chosen = spec.formats.get(cell.column)
                if chosen:
                    cell.number_format = chosen
                elif isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
        anchor_column = get_column_letter(len(spec.headers) + 2)
        for number, chart in enumerate(spec.charts):
            if spec.rows:
                sheet.add_chart(
                    _chart(sheet, chart, len(spec.rows)), f"{anchor_column}{2 + 18 * number}"
                )
    workbook.save(path)


def _chart(sheet: Any, spec: Chart, count: int) -> Any:
    from openpyxl.chart import BarChart, LineChart, Reference

    chart: Any
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "col"
        if spec.kind == "stacked":
            chart.grouping = "stacked"
            chart.overlap = 100
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.x_axis.title = spec.x_title
    chart.height = 8.5
    chart.width = 17
    for column in spec.value_columns:
        data = Reference(sheet, min_col=column, min_row=1, max_row=count + 1)
        chart.add_data(data, titles_from_data=True)
    categories = Reference(sheet, min_col=spec.category_column, min_row=2, max_row=count + 1)
    chart.set_categories(categories)
    return chart


def _width(value: Any) -> int:
    if isinstance(value, dt.date):
        return 10
    return 0 if value is None else len(str(value))
