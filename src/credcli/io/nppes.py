"""The NPPES downloadable file (npidata_pfile_*.csv), streamed.

Columns are read by header name, never by position. The file has millions of
rows of about 330 quoted columns; when only some NPIs are wanted and NPI is the
first column, each line is tested on its first 11 bytes (the NPI and the quote
or comma around it) and only the lines that pass are parsed as CSV.

A damaged file is refused, never half read: a row with fewer fields than the header
(a download cut mid-row), a value left in a quoted field at the end of the file, a
value beyond the header's last column, a line that is not CSV, or a date that is not
MM/DD/YYYY names its line and column. Only the rows that are parsed are checked: on
the fast path those of the wanted NPIs, and the file's last line, where a cut shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from credcli.errors import InputError
from credcli.io import nppes_scan
from credcli.io.listfiles import (
    NPPES_REQUIRED,
    check_file,
    decode,
    refuse_binary,
    unreadable,
    wrong_kind,
)

TAXONOMY_SLOTS = 15
COLUMNS = {
    "npi": "NPI",
    "entity_type": "Entity Type Code",
    "last_name": "Provider Last Name (Legal Name)",
    "first_name": "Provider First Name",
    "middle_name": "Provider Middle Name",
    "organization": "Provider Organization Name (Legal Business Name)",
    "credential": "Provider Credential Text",
    "state": "Provider Business Practice Location Address State Name",
    "enumerated_on": "Provider Enumeration Date",
    "updated_on": "Last Update Date",
    "deactivated_on": "NPI Deactivation Date",
    "reactivated_on": "NPI Reactivation Date",
}
DATES = ("enumerated_on", "updated_on", "deactivated_on", "reactivated_on")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
TAIL_BYTES = 1 << 20  # the file's last line is looked for in its last megabyte
_AGAIN = "the stored NPPES copy was left as it was: download the NPPES file again"


class BadRow(Exception):
    """A row that shows the file is damaged. ``line`` is 0 where the fast scan does not
    know it (the row's ``text`` then finds it). Picklable: raised in scan workers."""

    def __init__(self, line: int, text: str, problem: str) -> None:
        super().__init__(line, text, problem)
        self.line = line
        self.text = text
        self.problem = problem


@dataclass
class Scan:
    """Counts kept while streaming; read them after the rows are consumed."""

    scanned: int = 0
    kept: int = 0
    digest: bool = False  # hash the whole file while scanning
    sha256: str | None = None  # set when the scan hashed the file on the way
    problems: list[str] = field(default_factory=list)


def open_scan(path: Path, wanted: set[str] | None, scan: Scan) -> Iterator[dict[str, Any]]:
    """Check the header now (so a wrong file fails before anything is stored); stream later."""
    check_file(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        first = handle.readline()
        refuse_binary(path.name, first[:4096] or b"", "nppes")
        try:
            header = [h.strip() for h in next(csv.reader([decode(first)]))]
        except csv.Error as exc:
            raise InputError(f"{path.name} line 1: not readable as CSV ({exc})") from None
        missing = [h for h in NPPES_REQUIRED if h not in header]
        if missing:
            raise wrong_kind(path.name, header, "nppes", missing)
        _check_last_line(path, handle.tell(), layout(header))
    except BaseException:
        handle.close()
        raise
    return _rows(handle, path, header, wanted, scan)


@dataclass(frozen=True)
class Layout:
    """Where the wanted columns are in this file's header (picklable for scan workers)."""

    npi_at: int
    width: int
    keys: tuple[str, ...]  # COLUMNS keys, in order
    picks: tuple[int, ...]  # indices of COLUMNS, then four per taxonomy slot
    header: tuple[str, ...] = ()  # the file's column names, for messages


def layout(header: list[str]) -> Layout:
    position = {name: i for i, name in enumerate(header)}
    blank = len(header)  # every row gets one empty cell here, standing in for absent columns
    picks = [position.get(column, blank) for column in COLUMNS.values()]
    for n in range(1, TAXONOMY_SLOTS + 1):
        for column in (
            f"Healthcare Provider Taxonomy Code_{n}",
            f"Provider License Number_{n}",
            f"Provider License Number State Code_{n}",
            f"Healthcare Provider Primary Taxonomy Switch_{n}",
        ):
            picks.append(position.get(column, blank))
    return Layout(position["NPI"], len(header), tuple(COLUMNS), tuple(picks), tuple(header))


def parse_rows(
    form: Layout,
    wanted: set[str] | frozenset[str] | None,
    lines: Iterable[tuple[int, str]],
) -> Iterator[dict[str, Any]]:
    """Records of the wanted NPIs from (line number, text) pairs; raises BadRow on damage.

    Every row's width is checked, wanted or not; dates only in the rows kept.
    """
    pick = operator.itemgetter(*form.picks)
    at: list[Any] = [0, ""]  # the line the reader took last, and its text

    def texts() -> Iterator[str]:
        for number, text in lines:
            at[0], at[1] = number, text
            if text.count('"') % 2:  # the reader would run on into the next line
                raise BadRow(number, text, _open_quote(form, text))
            yield text

    reader = csv.reader(texts())  # one reader for all lines: cheaper than one per line
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadRow(at[0], at[1], f"not readable as CSV ({exc}); {_AGAIN}") from None
        if not row:
            continue
        if len(row) != form.width:
            _check_width(form, row, at[0], at[1])
            del row[form.width :]
        row.append("")
        npi = row[form.npi_at].strip()
        if wanted is not None and npi not in wanted:
            continue
        try:
            record = _record(list(map(str.strip, pick(row))), form.keys, npi)
        except _NotADate as exc:
            raise BadRow(
                at[0],
                at[1],
                f"column \"{COLUMNS[exc.key]}\" '{exc.text}' is not a MM/DD/YYYY date; the "
                "stored NPPES copy was left as it was",
            ) from None
        yield record


def _check_width(form: Layout, row: list[str], line: int, text: str) -> None:
    """Fewer fields than the header is a row cut short; more is refused when they hold a
    value (a comma left unquoted would shift every column after it). Empty extra fields
    are harmless."""
    if len(row) < form.width:
        column = form.header[len(row)] if len(row) < len(form.header) else str(len(row) + 1)
        raise BadRow(
            line,
            text,
            f"{len(row)} fields where the header has {form.width}: the row ends before "
            f'column "{column}" (a cut-off download?); {_AGAIN}',
        )
    if any(cell.strip() for cell in row[form.width :]):
        last = form.header[-1] if form.header else str(form.width)
        raise BadRow(
            line,
            text,
            f"{len(row)} fields where the header has {form.width}: a value after the last "
            f'column "{last}" (a comma without quotes?); the stored NPPES copy was left as '
            "it was",
        )


def _open_quote(form: Layout, text: str) -> str:
    """The problem of a row whose quoted value never closes: a file cut inside it."""
    cells = next(csv.reader([text]), [])
    at = max(len(cells) - 1, 0)
    column = form.header[at] if at < len(form.header) else str(at + 1)
    return (
        f'a quoted value in column "{column}" never ends (a file cut off inside it, or a '
        f"line break inside a value); {_AGAIN}"
    )


def _check_last_line(path: Path, start: int, form: Layout) -> None:
    """A download cut mid-row leaves a last line without its line break: refuse it before
    anything is read when it is not a whole row (the fast scan parses only wanted lines)."""
    size = path.stat().st_size
    begin = max(start, size - TAIL_BYTES)
    if size <= start:
        return
    with path.open("rb") as handle:
        handle.seek(begin)
        tail = handle.read()
    if tail.endswith(b"\n"):
        return
    cut = tail.rfind(b"\n")
    if cut < 0 and begin > start:
        return  # a last line over a megabyte: no NPPES row is; the rows' checks decide
    last = tail[cut + 1 :]
    if not last.strip():
        return
    try:
        list(parse_rows(form, frozenset(), [(0, decode(last))]))  # its shape, not its dates
    except BadRow as exc:
        raise _refusal(path, _count_lines(path), exc) from None


def _count_lines(path: Path) -> int:
    """The number of the file's last line (a failure path: reads the file once)."""
    count = 1
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            count += block.count(b"\n")
    return count


def _find_line(path: Path, text: str) -> int:
    """The number of the line holding ``text`` (the fast scan keeps no line numbers)."""
    key = text[:11].encode()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.startswith(key) and decode(raw) == text:
                return number
    return 0


def _refusal(path: Path, line: int, exc: BadRow) -> InputError:
    where = f" line {line}" if line else ""
    return InputError(f"{path.name}{where}: {exc.problem}")


def convert_lines(
    form: Layout, wanted: frozenset[str], lines: list[bytes]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Parse a scan range's wanted lines (runs in a scan worker); raises BadRow."""
    return list(parse_rows(form, wanted, ((0, decode(line)) for line in lines))), []


def _rows(
    handle: BinaryIO, path: Path, header: list[str], wanted: set[str] | None, scan: Scan
) -> Iterator[dict[str, Any]]:
    form = layout(header)
    with handle:
        try:
            if wanted is not None and form.npi_at == 0:
                result: dict[str, Any] = {}
                convert = functools.partial(convert_lines, form, frozenset(wanted))
                records = nppes_scan.wanted_items(
                    path, handle.tell(), wanted, convert, result, digest=scan.digest
                )
                for record in records:
                    scan.kept += 1
                    yield record
                scan.scanned = int(result["scanned"])
                scan.problems += result["problems"]
                scan.sha256 = result["sha256"]
                return
            for record in parse_rows(form, wanted, _every_line(handle, scan)):
                scan.kept += 1
                yield record
        except BadRow as exc:
            line = exc.line or _find_line(path, exc.text)
            raise _refusal(path, line, exc) from None


def _every_line(handle: BinaryIO, scan: Scan) -> Iterator[tuple[int, str]]:
    """(line number, text) of each row; a quoted value over a line break joins its lines."""
    number = 1  # the header's
    for line in handle:
        scan.scanned += 1
        number += 1
        first = number
        while line.count(b'"') % 2:
            more = handle.readline()
            if not more:
                break
            number += 1
            line += more
        if line.strip():
            yield first, decode(line)


def _record(cells: list[str], keys: tuple[str, ...], npi: str) -> dict[str, Any]:
    """A row from its picked cells: the COLUMNS in order, then four cells per taxonomy slot."""
    record: dict[str, Any] = {key: (cell or None) for key, cell in zip(keys, cells, strict=False)}
    record["npi"] = npi
    for key in DATES:
        record[key] = _date(key, record[key])
    taxonomies = []
    for at in range(len(keys), len(cells), 4):
        code, number, state, switch = cells[at : at + 4]
        if code or number:
            taxonomies.append(
                {
                    "code": code or None,
                    "license": number or None,
                    "state": state or None,
                    "primary": switch == "Y",
                }
            )
    record["taxonomies"] = taxonomies
    return record


class _NotADate(ValueError):
    def __init__(self, key: str, text: str) -> None:
        super().__init__(key, text)
        self.key = key
        self.text = text


def _date(key: str, text: str | None) -> dt.date | None:
    """MM/DD/YYYY, as NPPES writes every date. Anything else is a damaged file, refused:
    a deactivation date read as none would pass a deactivated NPI as active."""
    if not text:
        return None
    found = _DATE.fullmatch(text)
    if found is None:
        raise _NotADate(key, text)
    month, day, year = map(int, found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _NotADate(key, text) from None
