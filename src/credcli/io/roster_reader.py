"""Read roster files: Excel workbooks with python-calamine, CSV with the csv module.

A reader hands over raw rows with their spreadsheet row numbers (1-based, as Excel
shows them) and leaves meaning to the caller. Any file that is not what its name
says becomes an InputError, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credcli.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
_SNIFF_BYTES = 65536


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells from column A)
    total: int | None  # rows in the sheet, when the format tells


class RosterFile:
    """One roster file; sheets are opened one at a time, in workbook order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_csv = path.suffix.lower() == ".csv"
        self._book: Any = None
        self._text: str | None = None
        if self.is_csv:
            self._text = _decode(path)
        else:
            self._book = _open_workbook(path)

    @property
    def sheet_names(self) -> list[str]:
        if self.is_csv:
            return [self.path.stem]
        return list(self._book.sheet_names)

    def sheet(self, name: str) -> Sheet:
        if self.is_csv:
            assert self._text is not None
            return Sheet(name, _csv_rows(self._text), None)
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:  # python-calamine raises its own error types
            raise _unreadable(self.path, exc) from None
        first_row, first_col = sheet.start if sheet.height else (0, 0)
        return Sheet(name, _excel_rows(self.path, sheet, first_row, first_col), sheet.height)


def open_roster(path: Path) -> RosterFile:
    if not path.exists():
        raise InputError(f"roster file {path} does not exist")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a roster file (.xlsx, .xlsm or .csv)")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            f"{path.name}: credcli reads rosters from .xlsx, .xlsm and .csv files; "
            "save the roster in one of those formats first"
        )
    return RosterFile(path)


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # python-calamine raises its own error types
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception) -> InputError:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return InputError(f"{path.name} is password-protected; save an unprotected copy first")
    return InputError(
        f"{path.name} is not a readable Excel workbook ({kind}: {str(exc).splitlines()[0]}); "
        "is it damaged, or another kind of file renamed?"
    )


def _excel_rows(
    path: Path, sheet: Any, first_row: int, first_col: int
) -> Iterator[tuple[int, list[Any]]]:
    pad = [None] * first_col
    try:
        for offset, cells in enumerate(sheet.iter_rows()):
            yield first_row + offset + 1, pad + cells if pad else cells
    except Exception as exc:  # python-calamine raises its own error types
        raise _unreadable(path, exc) from None


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(
            f"{path.name} is not a text CSV file (it holds binary data); "
            "if it is an Excel workbook, give it the .xlsx extension"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    sample = text[:_SNIFF_BYTES]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise InputError(f"CSV row {reader.line_num}: {exc}") from None
