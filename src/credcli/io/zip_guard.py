"""Refuse workbooks built to exhaust memory (zip bombs) before python-calamine reads them.

An .xlsx file is a zip archive of XML parts. Two kinds of small file can make a reader
allocate gigabytes, and python-calamine aborts the whole process (no exception) when
an allocation fails:

* a part that decompresses to far more than it occupies (a few MB of deflated
  repeated bytes inflate to gigabytes). The zip central directory declares every
  part's compressed and uncompressed size, so this is refused from the directory
  alone, before anything is decompressed;
* a sheet whose few cells lie far apart (A1 and XFD1048576): python-calamine stores a
  sheet as a dense grid from its first to its last cell, 17 billion cells for those
  two. The cell references are read from the sheet's XML, streamed in blocks, before
  python-calamine is given the sheet.

The limits are far above any real roster: Excel's largest sheet, 1,048,576 rows of 40
columns, is about 1.7 GB of XML and 42 million cells, and real sheets deflate between
5:1 and 20:1.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from credcli.errors import InputError

# A part may decompress to at most this much: Excel's largest sheet of a wide roster.
MAX_PART_BYTES = 2 << 30
# All parts together: a roster sheet, its shared strings and the little rest.
MAX_TOTAL_BYTES = 4 << 30
# Deflate reaches about 1,030:1 at most, on one byte repeated; sheet XML deflates 5-20:1.
# Small parts (styles, themes, an empty sheet) may compress better, hence the floor.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 16 << 20
# python-calamine keeps a sheet as a dense grid of about 32 bytes a cell: 50 million
# cells are some 1.6 GB, more than Excel's largest sheet of a 40-column roster holds.
MAX_CELLS = 50_000_000
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

_CHUNK = 4 << 20
# Row numbers of cells and rows, and columns past Z; every column up to Z counts as Z.
_ROW_NUMBER = re.compile(rb' r="[A-Za-z]{0,3}([0-9]+)"')
_WIDE_COLUMN = re.compile(rb' r="([A-Za-z]{2,3})[0-9]')
# A cell without a reference (python-calamine places it after the one before it).
_ATTRIBUTES = rb"""(?:\s+(?!r\s*=)[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""
_BARE_CELL = re.compile(rb"<c" + _ATTRIBUTES)
_BARE_CELL_HINT = re.compile(rb'<c(?! r=")[\s/>]')  # cheap: any cell not opening with r=
_PREFIX = re.compile(rb":c[\s/>]")  # cells written with a namespace prefix (<x:c r=...>)
_ANY_BARE_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c" + _ATTRIBUTES)
_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _mb(size: int) -> str:
    if size < 1 << 20:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1 << 20):,.0f} MB"


def check_archive(path: Path) -> None:
    """Refuse a workbook whose zip directory declares a bomb; quiet for anything else
    (a file that is no zip at all is left to the workbook reader to describe)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return
    total = 0
    for member in members:
        size, packed = member.file_size, member.compress_size
        total += size
        if size > MAX_PART_BYTES:
            raise _bomb(
                path,
                f"its part {member.filename} would decompress to {_mb(size)}, over the "
                f"{_mb(MAX_PART_BYTES)} limit for one part",
            )
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(packed, 1):
            raise _bomb(
                path,
                f"its part {member.filename} would decompress {size // max(packed, 1):,} "
                f"times over ({_mb(packed)} to {_mb(size)}); the limit is {MAX_RATIO}:1 "
                f"for parts over {_mb(RATIO_FLOOR_BYTES)}",
            )
    if total > MAX_TOTAL_BYTES:
        raise _bomb(
            path,
            f"its parts would decompress to {_mb(total)}, over the {_mb(MAX_TOTAL_BYTES)} limit",
        )


def check_sheet(
    path: Path,
    archive: zipfile.ZipFile,
    part: str,
    sheet: str,
    *,
    marks: tuple[bytes, ...] = (),
) -> bool:
    """Refuse a sheet whose grid, from A1 to its last row and column, exceeds MAX_CELLS;
    say whether any of ``marks`` occurs in the sheet's XML.

    References are read as spreadsheet programs write them (r="AB12"). A first pass
    bounds the last row by its number of digits, which costs one search a block; only
    when that bound is too coarse (a wide sheet of 100,000 rows or more) is the part
    read again for the exact last row. The part's real size is checked on the way:
    zipfile stops at the declared size and checks the CRC, so a directory that
    understates a part is caught as damage.
    """
    digits, width, marked = _scan(archive, part, marks, exact=False)
    last_row = 10**digits - 1
    if last_row * width > MAX_CELLS:
        last_row, width, marked = _scan(archive, part, marks, exact=True)
    cells = last_row * width
    if cells > MAX_CELLS or last_row > EXCEL_MAX_ROWS or width > EXCEL_MAX_COLUMNS:
        raise InputError(
            f"{path.name}: sheet '{sheet}' reaches row {last_row:,} and column {width:,} "
            f"({cells:,} cells from A1), over the {MAX_CELLS:,} cells (and Excel's "
            f"{EXCEL_MAX_ROWS:,} rows by {EXCEL_MAX_COLUMNS:,} columns) that credcli reads; "
            "delete the stray cells far below or right of the roster and save it again"
        )
    return marked


def _scan(
    archive: zipfile.ZipFile, part: str, marks: tuple[bytes, ...], *, exact: bool
) -> tuple[int, int, bool]:
    """(digits of the longest row number, or with ``exact`` the last row; last column;
    whether any of ``marks`` occurs)."""
    rows = max_col = 0
    marked = False
    tail = b""
    widest_bare = 0  # most cells without a reference in one row: placed one after another
    open_row = 0  # such cells in the row still open at the end of the last block
    for data in _blocks(archive, part):
        # A mark may span two blocks (blocks end after a tag; some marks are two tags).
        marked = marked or any(m in data or m in tail + data[: len(m)] for m in marks)
        tail = data[-32:]
        if exact:
            numbers = _ROW_NUMBER.findall(data)
            if numbers:
                longest = max(map(len, numbers))
                top = max(n for n in numbers if len(n) == longest)  # same length: text order
                rows = max(rows, int(top))
        else:
            while _row_digits(rows + 1).search(data):
                rows += 1
        wide = set(_WIDE_COLUMN.findall(data))
        max_col = max(max_col, max(map(_column, wide), default=26 if rows else 0))
        if (_BARE_CELL_HINT.search(data) and _BARE_CELL.search(data)) or (
            _PREFIX.search(data) and _ANY_BARE_CELL.search(data)
        ):
            counts = [len(_ANY_CELL.findall(row)) for row in _ROW_TAG.split(data)]
            counts[0] += open_row
            widest_bare, open_row = max(widest_bare, max(counts)), counts[-1]
    return rows, max_col + widest_bare, marked


@functools.cache
def _row_digits(count: int) -> re.Pattern[bytes]:
    """A row or cell reference whose row number has at least ``count`` digits."""
    return re.compile(rb' r="[A-Za-z]{0,3}[0-9]{%d}' % count)


def _blocks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in blocks cut after a tag, decompressed one block ahead in a thread
    (zlib lets go of the GIL) while the caller searches the previous one."""
    with archive.open(part) as stream, ThreadPoolExecutor(1) as reader:
        pending = b""
        ahead = reader.submit(stream.read, _CHUNK)
        while block := ahead.result():
            ahead = reader.submit(stream.read, _CHUNK)
            data = pending + block
            cut = data.rfind(b">") + 1
            if cut:
                yield data[:cut]
            pending = data[cut:]
            if len(pending) > 4 * _CHUNK:  # no tag for megabytes: text only, no reference
                pending = pending[-64:]
        if pending:
            yield pending


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _bomb(path: Path, why: str) -> InputError:
    return InputError(
        f"{path.name} is refused as a zip bomb: {why}; a real roster is far smaller, so "
        "the file is damaged or built to exhaust memory"
    )
