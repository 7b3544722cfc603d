"""Build examples/roster.xlsx and examples/roster.csv: synthetic rosters as messy as real ones.

Every person is made up (names from short lists, NPIs and DEA numbers generated with
valid check digits, SSNs all 000-00-0000 style, which no real SSN is). Seeded, so
running it again gives the same rows.

    python examples/make_examples.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from credcli.domain.dates import add_months  # noqa: E402
from credcli.domain.identifiers import npi_check_digit  # noqa: E402

PROVIDERS = 300
SEED = 20261101
EPOCH = dt.date(1899, 12, 30)
TITLE = "Northwind Medical Group - Provider Roster (as of 11/01/2026)"
HEADERS = [
    "Individual NPI",
    "Provider Last Name",
    "First Name",
    "MI",
    "Degree",
    "Primary\nSpecialty",
    "SSN",
    "Practice Address",
    "City",
    "State",
    "Zip",
    "Phone",
    "Email",
    "CAQH ID",
    "Initial Cred Date",
    "Recred Due Date",
    "License Number ",
    "Lic State",
    "License Expir Date ",
    "DEA Number",
    "DEA Expiration",
    "Board",
    "Board Expir 1",
    "Liability Carrier",
    "Liability Policy Number",
    "Malpractice  Expiration",
    "Office Manager",
]
_MODIFIED = rb"<dcterms:modified\1>2026-11-01T09:00:00Z<"
LAST = (
    "Abara Bishop Castillo Dunn Ekwueme Foster Gallo Hale Iqbal Jensen Kaur Lindqvist Moreau "
    "Nakamura Oduya Petrov Quinn Rossi Sato Tran Ueda Vance Wolff Xu Yilmaz Zapata"
).split()
FIRST = (
    "Ada Bram Cyrus Dana Esme Felix Greta Hugo Ines Jonah Kira Luca Mina Nico Orla Pia Rafe "
    "Sana Theo Uma Vera Wes Yara Zane"
).split()
DEGREES = ["MD", "MD", "MD", "DO", "NP", "PA-C", "DDS", "PhD", "LCSW"]
SPECIALTIES = [
    "Internal Medicine",
    "Family Medicine",
    "Pediatrics",
    "Cardiology",
    "Psychiatry",
    "Dermatology",
]
PLACES = [
    ("Newark", "NJ", 7102),
    ("Trenton", "NJ", 8608),
    ("Boston", "MA", 2108),
    ("Albany", "NY", 12207),
    ("Austin", "TX", 78701),
    ("Portland", "ME", 4101),
]
BOARDS = ["ABIM", "ABFM", "ABP", "AOBIM", "ANCC", "ABPN"]
CARRIERS = ["MedPro", "The Doctors Company", "ProAssurance", "Coverys"]
MANAGERS = ["J. Ortiz", "K. Lee", "", "M. Haddad"]


def npi(rng: random.Random, used: set[str]) -> str:
    while True:
        base = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
        value = base + str(npi_check_digit(base))
        if value not in used:
            used.add(value)
            return value


def dea(rng: random.Random, last: str) -> str:
    d = [rng.randrange(10) for _ in range(6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return rng.choice("ABFM") + last[0] + "".join(map(str, d)) + str(check)


def messy_date(rng: random.Random, day: dt.date, row: int) -> Any:
    """The same date as a roster might hold it: a date cell, a serial number or text."""
    form = row % 6
    if form == 0:
        return day
    if form == 1:
        return (day - EPOCH).days  # a date column formatted as General
    if form == 2:
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if form == 3:
        return day.isoformat()
    if form == 4:
        return day.strftime("%d-%b-%Y")
    return f"{day.month}/{day.day}/{day.year % 100:02d}"


def next_recred(initial: dt.date, today: dt.date, index: int) -> dt.date:
    """The next 36-month cycle date after the last one passed, as a panel roster holds it;
    every 25th provider is left overdue so the example has recredentialing work in it."""
    due = initial
    while due <= today:
        due = add_months(due, 36)
    return add_months(due, -36) if index % 25 == 3 and add_months(due, -36) > initial else due


def providers() -> list[list[Any]]:
    rng = random.Random(SEED)
    used: set[str] = set()
    today = dt.date(2026, 11, 1)
    rows = []
    for index in range(PROVIDERS):
        last, first = rng.choice(LAST), rng.choice(FIRST)
        city, state, zip_code = rng.choice(PLACES)
        degree = rng.choice(DEGREES)
        prescriber = degree in ("MD", "DO", "NP", "PA-C", "DDS")
        initial = today - dt.timedelta(days=rng.randrange(60, 3000))
        credentialed = index % 10 != 7  # a few not yet credentialed: they arrive as applicants
        lic_exp = today + dt.timedelta(days=rng.randrange(-20, 800))
        row = [
            int(npi(rng, used)),  # Excel keeps NPIs as numbers
            last,
            first,
            rng.choice(["", "A", "J", "M"]),
            degree,
            rng.choice(SPECIALTIES),
            f"000-00-{index:04d}",
            f"{rng.randrange(10, 999)} {rng.choice(['Main', 'Elm', 'Oak', 'Harbor'])} St",
            city,
            state,
            zip_code,  # a number: Excel dropped the leading zero of 07102
            f"555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
            f"{first.lower()}.{last.lower()}{index}@example.org",
            str(rng.randrange(10_000_000, 99_999_999)),
            messy_date(rng, initial, index) if credentialed else None,
            messy_date(rng, next_recred(initial, today, index), index + 1) if credentialed else None,
            f"{state}{rng.randrange(10_000, 999_999)}",
            state,
            messy_date(rng, lic_exp, index + 2),
            dea(rng, last) if prescriber else None,
            messy_date(rng, today + dt.timedelta(days=rng.randrange(10, 1000)), index + 3)
            if prescriber
            else None,
            rng.choice(BOARDS) if degree in ("MD", "DO") else None,
            today + dt.timedelta(days=rng.randrange(100, 3000)) if degree in ("MD", "DO") else None,
            rng.choice(CARRIERS),
            f"PL-{rng.randrange(100_000, 999_999)}",
            messy_date(rng, today + dt.timedelta(days=rng.randrange(5, 400)), index + 4),
            rng.choice(MANAGERS),
        ]
        rows.append(row)
    # A few rows as real rosters have them, each rejected with its reason on import.
    rows[40][0] = rows[40][0] + 1  # mistyped NPI: check digit fails
    rows[85][18] = "02/30/2027"  # no such day
    rows[120][1] = None  # last name missing
    rows[160][19] = "AB4523763"  # DEA check digit fails
    rows[200] = list(rows[12])  # the same provider twice
    rows.insert(150, [None] * len(HEADERS))  # a blank line in the middle
    return rows


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    fixed = dt.datetime(2026, 11, 1, 9, 0, 0)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Active Roster"
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "mm/dd/yyyy"
    terms = workbook.create_sheet("Terms")
    terms.append(["NPI", "Last Name", "First Name", "Term Date", "Reason"])
    for row in rows[:3]:
        terms.append([row[0], row[1], row[2], dt.date(2026, 10, 31), "left the group"])
    notes = workbook.create_sheet("Notes")
    notes.append(["Roster maintained by the credentialing office. Synthetic data."])
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)
    _pin_zip_times(path)


def _pin_zip_times(path: Path) -> None:
    """openpyxl stamps each zip entry with the current time; pin it so the file is stable."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":  # openpyxl writes the save time as "modified"
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", _MODIFIED, data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0)), data)


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    """The first 60 providers as a payer might send them: UTF-8 with BOM, text everywhere."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([h.replace("\n", " ") for h in HEADERS])
        for row in rows[:60]:
            writer.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
            )


def main() -> None:
    rows = providers()
    write_xlsx(HERE / "roster.xlsx", rows)
    write_csv(HERE / "roster.csv", rows)
    print(f"wrote {HERE / 'roster.xlsx'} and {HERE / 'roster.csv'}")


if __name__ == "__main__":
    main()
