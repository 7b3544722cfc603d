"""Read roster files: Excel workbooks with python-calamine, CSV with the csv module.

A reader hands over raw rows with their spreadsheet row numbers (1-based, as Excel
shows them) and leaves meaning to the caller. Any file that is not what its name
says becomes an InputError, never a traceback.
"""

from __future__ import annotations

import csv
import html
import io
import re
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from credcli.domain.roster_values import UNSAVED_FORMULA_REASON, CellError
from credcli.errors import InputError
from credcli.io import zip_guard

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
_SNIFF_BYTES = 65536
_DELIMITERS = ",;\t|"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls files
_ERROR_MARK = b't="e"'  # how a worksheet's XML marks a cell holding #N/A, #REF!, ...
# A formula whose result was never saved (a file written by a program that does not
# calculate, such as openpyxl) ends without a value, or with an empty one; python-calamine
# reads it as a blank cell.
_UNSAVED_MARKS = (b"</f></c>", b"/></c>", b"<v></v>")
_MARKS = (_ERROR_MARK, *_UNSAVED_MARKS)
_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.DOTALL)
_UNSAVED_FORMULA = re.compile(
    rb"<c\b([^>/]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_TEXT_RESULT = re.compile(rb'\bt="str"')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_CELL_VALUE = re.compile(rb"<v>([^<]*)</v>")
_CHUNK = 1 << 20


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
        self._dialect: type[csv.Dialect] = csv.excel
        if self.is_csv:
            self._text = _decode(path)
            self._dialect = _csv_dialect(self._text)
        else:
            self._book = _open_workbook(path)

    @property
    def delimiter(self) -> str | None:
        """A CSV file's delimiter, as found in the file; None for a workbook."""
        return self._dialect.delimiter if self.is_csv else None

    @property
    def sheet_names(self) -> list[str]:
        """Visible sheets first, in workbook order: a hidden lookup sheet is no roster."""
        if self.is_csv:
            return [self.path.stem]
        from python_calamine import SheetVisibleEnum

        meta = self._book.sheets_metadata
        shown = [m.name for m in meta if m.visible == SheetVisibleEnum.Visible]
        return shown + [m.name for m in meta if m.visible != SheetVisibleEnum.Visible]

    def sheet(self, name: str) -> Sheet:
        if self.is_csv:
            assert self._text is not None
            return Sheet(name, _csv_rows(self._text, self._dialect), None)
        # A sheet that would blow up in memory is refused first (zip_guard); that pass
        # also tells whether any cell holds an error value. If so, error cells are looked
        # for in a thread while python-calamine, which lets go of the GIL, reads the
        # sheet: on two cores the search then costs no time.
        marked = _guard_sheet(self.path, name)
        errors: dict[int, dict[int, Any]] = {}
        search = threading.Thread(target=lambda: errors.update(_error_cells(self.path, name)))
        if marked:
            search.start()
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:  # python-calamine raises its own error types
            raise _unreadable(self.path, exc) from None
        finally:
            if marked:
                search.join()
        first_col = sheet.start[1] if sheet.height else 0
        return Sheet(name, _excel_rows(self.path, sheet, first_col, errors), sheet.height)


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

    zip_guard.check_archive(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # python-calamine raises its own error types
        raise _unreadable(path, exc) from None


def _guard_sheet(path: Path, name: str) -> bool:
    """Refuse a sheet that python-calamine would blow up into a gigantic grid (zip_guard);
    True when the sheet's XML may hold error cells.

    A sheet part the workbook does not lead to plainly is looked for among all sheet parts.
    """
    try:
        with zipfile.ZipFile(path) as book:
            try:
                part = _sheet_part(book, name)
            except (KeyError, ValueError, ET.ParseError):
                part = None
            names = set(book.namelist())
            parts = [part] if part in names else sorted(n for n in names if "worksheets/" in n)
            marked = [zip_guard.check_sheet(path, book, p, name, marks=_MARKS) for p in parts]
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc):  # a part longer than its directory entry says
            raise _unreadable(path, exc) from None
        return True  # python-calamine, which has read the workbook, has the last word
    except (OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        # NotImplementedError: a compression Excel never uses; RuntimeError: encrypted part
        raise _unreadable(path, exc) from None
    return any(marked) or not parts


def _unreadable(path: Path, exc: Exception) -> InputError:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return InputError(f"{path.name} is password-protected; save an unprotected copy first")
    if _starts_with(path, _OLE_MAGIC):
        return InputError(
            f"{path.name} is password-protected or an old-format (.xls) workbook; "
            "open it in Excel and save an unprotected .xlsx copy first"
        )
    return InputError(
        f"{path.name} is not a readable Excel workbook ({kind}: {str(exc).splitlines()[0]}); "
        "is it damaged, or another kind of file renamed?"
    )


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def _excel_rows(
    path: Path, sheet: Any, first_col: int, errors: dict[int, dict[int, Any]]
) -> Iterator[tuple[int, list[Any]]]:
    # python-calamine yields every row from row 1, but cells from the first used column.
    pad = [None] * first_col
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = pad + cells if pad else cells
            if errors and number in errors:
                for index, code in errors[number].items():
                    if index < len(row):
                        row[index] = code
            yield number, row
    except Exception as exc:  # python-calamine raises its own error types
        raise _unreadable(path, exc) from None


def _error_cells(path: Path, sheet: str) -> dict[int, dict[int, Any]]:
    """Cells with no usable value, by row number and column index: error values
    (#N/A, #REF!, as their text) and formulas whose result was never saved (as a
    :class:`CellError` naming the formula).

    python-calamine hands both over as empty cells; read from the sheet's XML they
    can be reported rather than taken as blank. Any surprise in the file means none
    found: the workbook itself has been read already.
    """
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None or not _holds(book, part, _MARKS):
                return {}
            xml = book.read(part)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return {}
    found: dict[int, dict[int, Any]] = {}
    for attributes, body in _ERROR_CELL.findall(xml):
        ref, value = _CELL_REF.search(attributes), _CELL_VALUE.search(body)
        if ref is not None and value is not None:
            code = value.group(1).decode("utf-8", "replace") or "#N/A"
            found.setdefault(int(ref.group(2)), {})[_column_index(ref.group(1))] = code
    for attributes, formula, empty in _UNSAVED_FORMULA.findall(xml):
        ref = _CELL_REF.search(attributes)
        # Excel saves a formula that returns "" as text with an empty value: a result.
        if ref is not None and not (empty and _TEXT_RESULT.search(attributes)):
            text = html.unescape(formula.decode("utf-8", "replace")).strip()
            cell = CellError(f"={text}" if text else "(a shared formula)", UNSAVED_FORMULA_REASON)
            found.setdefault(int(ref.group(2)), {})[_column_index(ref.group(1))] = cell
    return found


def _column_index(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column - 1


def _holds(book: zipfile.ZipFile, part: str, marks: tuple[bytes, ...]) -> bool:
    tail = b""
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if any(m in chunk or m in tail + chunk[: len(m)] for m in marks):
                return True
            tail = chunk[-32:]
    return False


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet, through xl/workbook.xml and its relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter(f"{ns_main}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{ns_rel}id")
    if rel_id is None:
        return None
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for element in rels:
        if element.get("Id") == rel_id:
            target = element.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


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


def _csv_dialect(text: str) -> type[csv.Dialect]:
    """Excel's CSV dialect with the file's own delimiter (comma, semicolon, tab or pipe).

    Only the delimiter (and spaces after it) are taken from csv.Sniffer: Excel and every
    common writer quote with " and double a quote inside a quoted cell (""), whereas the
    sniffer guesses those from the sample and often gets them wrong: a guessed
    doublequote=False turns each "" into two quotes, a guessed ' quote splits O'Brien.
    When the sniffer finds no delimiter (rows of different lengths, such as a row with
    an unquoted delimiter in a value), the most frequent one is taken.
    """
    sample = text[:_SNIFF_BYTES]
    try:
        sniffed: Any = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        delimiter, skip = sniffed.delimiter, sniffed.skipinitialspace
    except csv.Error:
        delimiter, skip = _steadiest_delimiter(sample), False
        if delimiter is None:
            return csv.excel

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    Sniffed.skipinitialspace = skip
    return Sniffed


def _steadiest_delimiter(sample: str) -> str | None:
    """The candidate that splits the most lines into the same number of cells (the header
    and most rows agree; free text full of commas does not), or None when none occurs."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best: tuple[int, int] | None = None
    chosen = None
    for candidate in _DELIMITERS:
        counts = Counter(line.count(candidate) for line in lines)
        counts.pop(0, None)
        if not counts:
            continue
        cells, agreeing = max(counts.items(), key=lambda item: (item[1], item[0]))
        if best is None or (agreeing, cells) > best:
            best, chosen = (agreeing, cells), candidate
    return chosen


def _csv_rows(text: str, dialect: type[csv.Dialect]) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        if "field limit" in str(exc):  # most often a quote that is never closed
            raise InputError(
                f"CSV row {reader.line_num}: a cell runs on past {csv.field_size_limit():,} "
                'characters; look for a double quote (") that opens a cell and is never '
                "closed, on that row or above it"
            ) from None
        raise InputError(f"CSV row {reader.line_num}: {exc}") from None
