"""The NPPES downloadable file (npidata_pfile_*.csv), streamed.

Columns are read by header name, never by position. The file has millions of
rows of about 330 quoted columns; when only some NPIs are wanted and NPI is the
first column, each line is tested on its first 11 bytes (the NPI and the quote
or comma around it) and only the lines that pass are parsed as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import operator
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
    return Layout(position["NPI"], len(header), tuple(COLUMNS), tuple(picks))


def parse_rows(
    form: Layout,
    wanted: set[str] | frozenset[str] | None,
    lines: Iterable[str],
    problems: list[str],
) -> Iterator[dict[str, Any]]:
    pick = operator.itemgetter(*form.picks)
    reader = csv.reader(lines)  # one reader for all lines: cheaper than one per line
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(f"a line is not readable as CSV ({exc})")
            continue
        if not row:
            continue
        if len(row) < form.width:
            row.extend([""] * (form.width - len(row)))
        row.append("")
        npi = row[form.npi_at].strip()
        if wanted is not None and npi not in wanted:
            continue
        yield _record(list(map(str.strip, pick(row))), form.keys, npi)


def convert_lines(
    form: Layout, wanted: frozenset[str], lines: list[bytes]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Parse a scan range's wanted lines (runs in a scan worker)."""
    problems: list[str] = []
    return list(parse_rows(form, wanted, map(decode, lines), problems)), problems


def _rows(
    handle: BinaryIO, path: Path, header: list[str], wanted: set[str] | None, scan: Scan
) -> Iterator[dict[str, Any]]:
    form = layout(header)
    with handle:
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
        for record in parse_rows(form, wanted, _every_line(handle, scan), scan.problems):
            scan.kept += 1
            yield record


def _every_line(handle: BinaryIO, scan: Scan) -> Iterator[str]:
    for line in handle:
        scan.scanned += 1
        while line.count(b'"') % 2:
            more = handle.readline()
            if not more:
                break
            line += more
        if line.strip():
            yield decode(line)


def _record(cells: list[str], keys: tuple[str, ...], npi: str) -> dict[str, Any]:
    """A row from its picked cells: the COLUMNS in order, then four cells per taxonomy slot."""
    record: dict[str, Any] = {key: (cell or None) for key, cell in zip(keys, cells, strict=False)}
    record["npi"] = npi
    for key in DATES:
        record[key] = _date(record[key])
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


def _date(text: str | None) -> dt.date | None:
    """MM/DD/YYYY; an unreadable date is dropped rather than stopping an 8-million-row load."""
    if not text:
        return None
    try:
        month, day, year = text.split("/")
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
