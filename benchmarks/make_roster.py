"""Generate a synthetic provider roster of any size, as .xlsx or .csv.

Every value is made up: valid-check-digit NPIs and DEA numbers built from a counter,
names from short lists. 20 columns: a provider, a state license, DEA, board and
malpractice, the shape of a payer roster.

    python benchmarks/make_roster.py --rows 100000 --out /tmp/roster.xlsx
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from credcli.domain.identifiers import npi_check_digit  # noqa: E402

HEADERS = [
    "Individual NPI",
    "Provider Last Name",
    "First Name",
    "Degree",
    "Specialty",
    "Email",
    "Phone",
    "State",
    "Zip",
    "CAQH ID",
    "Initial Cred Date",
    "License Number ",
    "Lic State",
    "License Expir Date ",
    "DEA Number",
    "DEA Expiration",
    "Board",
    "Board Expir 1",
    "Liability Carrier",
    "Malpractice Expiration",
]
LAST = ["Diaz", "Okafor", "Nguyen", "Smith", "Kowalski", "Haddad", "Ito", "Brennan", "Silva"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Farah", "Gus", "Hana", "Ivan", "Jo"]
DEGREES = ["MD", "DO", "NP", "PA-C", "DDS", "PhD"]
SPECIALTIES = ["Internal Medicine", "Family Medicine", "Pediatrics", "Cardiology", "Psychiatry"]
STATES = ["CA", "NY", "TX", "NJ", "MA", "FL", "WA", "IL"]
BOARDS = ["ABIM", "ABFM", "ABP", "AOBIM", "ANCC"]
CARRIERS = ["MedPro", "The Doctors Company", "ProAssurance", "Coverys"]


def npi(index: int) -> str:
    base = f"1{index:08d}"
    return base + str(npi_check_digit(base))


def dea(index: int, last_name: str) -> str:
    digits = [int(c) for c in f"{index % 1_000_000:06d}"]
    check = (digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])) % 10
    return "B" + last_name[0] + "".join(map(str, digits)) + str(check)


def rows(count: int, seed: int = 7, *, as_text: bool = False) -> Iterator[list[Any]]:
    rng = random.Random(seed)
    start = dt.date(2026, 1, 1)
    for index in range(count):
        last, first = rng.choice(LAST), rng.choice(FIRST)
        state = rng.choice(STATES)

        def day(span: int) -> Any:
            value = start + dt.timedelta(days=rng.randrange(span))
            return value.isoformat() if as_text else value

        def before(span: int) -> Any:  # an event (credentialing) happened, never ahead
            value = start - dt.timedelta(days=1 + rng.randrange(span))
            return value.isoformat() if as_text else value

        yield [
            npi(index) if as_text else int(npi(index)),
            last,
            first,
            rng.choice(DEGREES),
            rng.choice(SPECIALTIES),
            f"{first.lower()}.{last.lower()}{index}@example.org",
            f"555-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
            state,
            f"{rng.randrange(1000, 99999):05d}" if as_text else rng.randrange(1000, 99999),
            str(10_000_000 + index),
            before(3000) if rng.random() < 0.5 else (start - dt.timedelta(days=400)),
            f"{state}{index:07d}",
            state,
            day(900),
            dea(index, last),
            day(1000),
            rng.choice(BOARDS),
            day(3000),
            rng.choice(CARRIERS),
            day(365),
        ]


def write(path: Path, count: int, seed: int = 7) -> Path:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            for row in rows(count, seed, as_text=True):
                writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
        return path
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    sheet.append(HEADERS)
    for row in rows(count, seed):
        sheet.append(row)
    workbook.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="file.xlsx or file.csv")
    args = parser.parse_args()
    write(args.out, args.rows, args.seed)
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
