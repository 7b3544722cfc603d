"""What LEIE, SAM and NPPES readers share: opening a downloaded file and naming its kind.

A wrong file (an Excel workbook, a zip archive, an empty file, another list's
CSV) is refused with a message that says what it is and what to do, before
anything is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credcli.errors import InputError

LEIE_HEADER = (
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,"
    "EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE"
).split(",")
SAM_REQUIRED = (
    "Classification",
    "Name",
    "First",
    "Middle",
    "Last",
    "Exclusion Type",
    "Active Date",
    "Termination Date",
    "NPI",
)
NPPES_REQUIRED = (
    "NPI",
    "Entity Type Code",
    "Provider Last Name (Legal Name)",
    "Provider First Name",
)
COMMANDS = {
    "leie": "credcli verify load leie",
    "sam": "credcli verify load sam",
    "nppes": "credcli verify load nppes",
}
LABELS = {
    "leie": "an OIG LEIE file",
    "sam": "a SAM.gov exclusions extract",
    "nppes": "an NPPES npidata file",
}


@dataclass
class ListRow:
    """One record of an exclusion list, ready to store and to match."""

    person: bool
    last_name: str | None
    first_name: str | None
    middle_name: str | None
    entity_name: str | None
    npi: str | None
    dob: str | None
    excluded_on: str | None
    ends_on: str | None
    state: str | None
    record_key: str
    content_hash: str
    norm_last: str
    norm_first: str
    data: dict[str, Any] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise unreadable(path, exc) from None
    return digest.hexdigest()


def check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the downloaded CSV file")


def unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot read {path}: {exc.strerror or exc}")


def refuse_binary(name: str, start: bytes, expected: str) -> None:
    if not start.strip():
        raise InputError(f"{name} is empty; download {LABELS[expected]} again")
    if start.startswith(b"PK\x03\x04"):
        raise InputError(
            f"{name} is an Excel workbook or a zip archive, not a CSV file; unzip it or "
            f"download {LABELS[expected]} as CSV"
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name} is an old Excel workbook, not a CSV file")
    if b"\x00" in start:  # UTF-16 text, or binary data: no federal list comes so
        raise InputError(
            f"{name} is not a UTF-8 or Windows-1252 CSV file (it holds NUL bytes: UTF-16 "
            f"text or binary data); download {LABELS[expected]} again"
        )


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark); older federal files are Windows-1252.

    A file that is not all UTF-8 is decoded line by line, so one Windows-1252 line does
    not turn every accented UTF-8 name of the file into mojibake (which no name matches).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return "".join(map(_decode_line, data.removeprefix(b"\xef\xbb\xbf").splitlines(True)))


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def read_table(path: Path, expected: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (trimmed) and data rows with their line numbers; blank lines skipped."""
    check_file(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    refuse_binary(path.name, raw[:4096], expected)
    reader = csv.reader(io.StringIO(decode(raw), newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().strip('"').strip() for cell in row]
                continue
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(
            f"{path.name} line {reader.line_num}: not readable as CSV ({exc})"
        ) from None
    if header is None:
        raise InputError(f"{path.name} is empty; download {LABELS[expected]} again")
    return header, rows


def guess_kind(header: list[str]) -> str | None:
    names = {h.strip().lower() for h in header}
    if {h.lower() for h in LEIE_HEADER[:9]} <= names:
        return "leie"
    if {"classification", "exclusion type", "active date"} <= names:
        return "sam"
    if {"npi", "entity type code"} <= names:
        return "nppes"
    return None


def wrong_kind(name: str, header: list[str], expected: str, missing: list[str]) -> InputError:
    found = guess_kind(header)
    if found and found != expected:
        return InputError(
            f"{name} looks like {LABELS[found]}, not {LABELS[expected]}; load it with "
            f"'{COMMANDS[found]}'"
        )
    shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
    return InputError(f"{name} is not {LABELS[expected]}: its header lacks {shown}")


_YYMM = re.compile(r"(\d{2})(\d{2})(EXCL|REIN)", re.IGNORECASE)
_SAM_JULIAN = re.compile(r"_(\d{2})(\d{3})\.(csv|zip)$", re.IGNORECASE)
_NPPES_RANGE = re.compile(r"-(\d{8})\.csv$", re.IGNORECASE)


def file_date(path: Path, list_name: str) -> dt.date:
    """The list's publication date from the file name when it carries one, else its mtime."""
    name = path.name
    try:
        if list_name == "leie" and (m := _YYMM.search(name)):
            return dt.date(2000 + int(m.group(1)), int(m.group(2)), 1)
        if list_name == "sam" and (m := _SAM_JULIAN.search(name)):
            return dt.date(2000 + int(m.group(1)), 1, 1) + dt.timedelta(days=int(m.group(2)) - 1)
        if list_name == "nppes" and (m := _NPPES_RANGE.search(name)):
            text = m.group(1)
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime).date()
