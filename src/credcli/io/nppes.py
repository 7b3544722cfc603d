"""The NPPES downloadable file (npidata_pfile_*.csv), streamed.

Columns are read by header name, never by position. The file has millions of
rows of about 330 quoted columns; when only some NPIs are wanted and NPI is the
first column, each line is tested on its first 11 bytes (the NPI and the quote
or comma around it) and only the lines that pass are parsed as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from credcli.io.listfiles import NPPES_REQUIRED, check_file, decode, refuse_binary, wrong_kind

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
    problems: list[str] = field(default_factory=list)


def open_scan(path: Path, wanted: set[str] | None, scan: Scan) -> Iterator[dict[str, Any]]:
    """Check the header now (so a wrong file fails before anything is stored); stream later."""
    check_file(path)
    handle = path.open("rb")
    try:
        first = handle.readline()
        refuse_binary(path.name, first[:4096] or b"", "nppes")
        header = [h.strip() for h in next(csv.reader([decode(first)]))]
        missing = [h for h in NPPES_REQUIRED if h not in header]
        if missing:
            raise wrong_kind(path.name, header, "nppes", missing)
    except BaseException:
        handle.close()
        raise
    return _rows(handle, header, wanted, scan)


def _rows(
    handle: BinaryIO, header: list[str], wanted: set[str] | None, scan: Scan
) -> Iterator[dict[str, Any]]:
    position = {name: i for i, name in enumerate(header)}
    width = len(header)
    picks = {key: position.get(column) for key, column in COLUMNS.items()}
    slots = [
        (
            position.get(f"Healthcare Provider Taxonomy Code_{n}"),
            position.get(f"Provider License Number_{n}"),
            position.get(f"Provider License Number State Code_{n}"),
            position.get(f"Healthcare Provider Primary Taxonomy Switch_{n}"),
        )
        for n in range(1, TAXONOMY_SLOTS + 1)
    ]
    with handle:
        if wanted is not None and position["NPI"] == 0:
            lines = _prefiltered(handle, wanted, scan)
        else:
            lines = _every_line(handle, scan)
        for text in lines:
            row = _parse(text)
            if row is None:
                scan.problems.append(f"line after NPI {text[:12]!r} is not readable as CSV")
                continue
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            npi = row[0].strip() if position["NPI"] == 0 else _cell(row, position["NPI"])
            if wanted is not None and npi not in wanted:
                continue
            scan.kept += 1
            yield _record(row, picks, slots, npi)


def _prefiltered(handle: BinaryIO, wanted: set[str], scan: Scan) -> Iterator[str]:
    # '"1234567893' (quoted file) and '1234567893,' (unquoted) are both 11 bytes long
    keys = {f'"{n}'.encode() for n in wanted} | {f"{n},".encode() for n in wanted}
    count = 0
    for line in handle:
        count += 1
        if line[:11] in keys:
            while line.count(b'"') % 2:  # a quoted value that spans lines
                more = handle.readline()
                if not more:
                    break
                line += more
            yield decode(line)
    scan.scanned = count


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


def _parse(text: str) -> list[str] | None:
    try:
        return next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return None


def _cell(row: list[str], index: int | None) -> str:
    return "" if index is None else row[index].strip()


def _record(
    row: list[str],
    picks: dict[str, int | None],
    slots: list[tuple[int | None, int | None, int | None, int | None]],
    npi: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {key: (_cell(row, index) or None) for key, index in picks.items()}
    record["npi"] = npi
    for key in DATES:
        record[key] = _date(record[key])
    taxonomies = []
    for code_at, license_at, state_at, switch_at in slots:
        code, number = _cell(row, code_at), _cell(row, license_at)
        if code or number:
            taxonomies.append(
                {
                    "code": code or None,
                    "license": number or None,
                    "state": _cell(row, state_at) or None,
                    "primary": _cell(row, switch_at) == "Y",
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
