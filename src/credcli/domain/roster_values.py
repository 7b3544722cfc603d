"""Cell values as spreadsheets deliver them: date cells, Excel serial numbers, typed text.

Excel stores dates as days since 1899-12-30 (the 1900 date system, which counts a
29 February 1900 that never was); a date column formatted as "General" hands over
those serial numbers, and a CSV saved from it writes them as text.
"""

from __future__ import annotations

import datetime as dt
import re

from credcli.domain import dates

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers taken as dates: 1 January 1910 to 31 December 2099. Outside that a
# number in a date column is far more likely a typo than a date.
SERIAL_MIN = 3654
SERIAL_MAX = 73050
_FORMULA_START = ("=", "+", "-", "@")
_SERIAL_TEXT = re.compile(r"^\d{5}\.\d+$")  # a serial saved to CSV from a float: 46461.0
# What Excel shows, and writes to a CSV, for a formula that failed.
CELL_ERRORS = frozenset(
    {
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#GETTING_DATA",
    }
)
CELL_ERROR_REASON = (
    "is a spreadsheet error (a formula that failed), not a value; fix or clear the cell"
)
UNSAVED_FORMULA_REASON = (
    "is a formula with no saved result (the file was written by a program that does not "
    "calculate formulas); open and save the file in Excel, or paste the values, and import "
    "the row again"
)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DMY_TEXT = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


class CellError:
    """A cell with no usable value: a spreadsheet error (``#N/A``, ``#REF!``), or a
    formula whose result was never saved (``code`` is then the formula)."""

    __slots__ = ("code", "reason")

    def __init__(self, code: str, reason: str = CELL_ERROR_REASON) -> None:
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"CellError({self.code!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CellError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


def clean(value: object) -> object:
    """Trim text, turn empty cells into None, and read what a leading mark means.

    An apostrophe is how a spreadsheet keeps digits as text (``'08752``) and how
    credcli's own exports guard text it would run as a formula (``'=SUM``): both are
    dropped. ``#N/A`` and the other error values become a :class:`CellError`.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text[0] in "'#":
            return _marked(text)
        return text
    return value


def _marked(text: str) -> object:
    if text[0] == "#":
        code = text.upper()
        return CellError(code) if code in CELL_ERRORS else text
    rest = text[1:].lstrip()
    if not rest:
        return None
    if rest[0] in _FORMULA_START or rest.replace("-", "").isdigit():
        return rest
    return text


def from_serial(number: float) -> dt.date:
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        raise dates.DateProblem("is a number, not a date (an Excel date serial is 3654 to 73050)")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def cell_date(value: object, *, dayfirst: bool = False, past: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial number or text in any common form.

    Raises :class:`dates.DateProblem` with a reason a coordinator can act on.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise dates.DateProblem("is not a date (try YYYY-MM-DD)")
    if isinstance(value, int | float):
        return from_serial(value)
    if isinstance(value, dt.time | dt.timedelta):
        raise dates.DateProblem("is a time, not a date")
    text = str(value).strip()
    if text.isdigit() and len(text) == 5:
        return from_serial(int(text))
    fast = _fast_text_date(text, dayfirst)
    if fast is not None:
        return fast
    if _SERIAL_TEXT.match(text):
        return from_serial(float(text))
    return dates.parse_date(text, dayfirst=dayfirst, past=past)


def _fast_text_date(text: str, dayfirst: bool) -> dt.date | None:
    """The forms most rosters use, without dateutil's cost; None hands over to parse_date."""
    match = _US.match(text)
    if match:
        first, second, year = (int(part) for part in match.groups())
        month, day = (second, first) if dayfirst else (first, second)
        if month > 12 and day <= 12:
            hint = (
                "a month-first date? drop --dayfirst"
                if dayfirst
                else "a day-first date? use --dayfirst"
            )
            raise dates.DateProblem(f"is not a real calendar date ({hint})")
    else:
        match = _DMY_TEXT.match(text)
        if match is None:
            return None
        month_number = _MONTHS.get(match.group(2).lower())
        if month_number is None:
            return None
        day, month, year = int(match.group(1)), month_number, int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise dates.DateProblem("is not a real calendar date") from None


def shown(value: object) -> str:
    """A cell as a coordinator would read it in a message: 1234567893.0 -> 1234567893."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)
