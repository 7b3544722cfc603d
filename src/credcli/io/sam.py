"""SAM.gov exclusions public extract (V2 CSV): individuals and firms.

Dates are MM/DD/YYYY; Termination Date may be ``Indefinite``. Vessels and other
classifications are not providers and are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from credcli.domain import names, screening
from credcli.errors import InputError
from credcli.io.listfiles import SAM_REQUIRED, ListRow, read_table, wrong_kind

KEY_FIELDS = (
    "Classification",
    "Name",
    "First",
    "Middle",
    "Last",
    "NPI",
    "SAM Number",
    "Unique Entity ID",
    "Exclusion Type",
    "Excluding Agency",
    "Active Date",
)
KEPT = {"individual": True, "firm": False}


@dataclass
class SamFile:
    rows: list[ListRow]
    skipped: int  # vessels and other classifications


def read(path: Path) -> SamFile:
    header, rows = read_table(path, "sam")
    missing = [h for h in SAM_REQUIRED if h not in header]
    if missing:
        raise wrong_kind(path.name, header, "sam", missing)
    width = len(header)
    result: list[ListRow] = []
    skipped = 0
    for line, row in rows:
        if len(row) != width:
            raise InputError(
                f"{path.name} line {line}: {len(row)} fields where the header has {width}; "
                "the file is damaged or not a SAM extract"
            )
        values = {name: value.strip() for name, value in zip(header, row, strict=True) if name}
        classification = values["Classification"].lower()
        if classification not in KEPT:
            skipped += 1
            continue
        result.append(_record(path.name, line, values, KEPT[classification]))
    return SamFile(result, skipped)


def _record(file_name: str, line: int, values: dict[str, str], person: bool) -> ListRow:
    active = _date(file_name, line, "Active Date", values["Active Date"])
    ends_text = values["Termination Date"]
    ends = (
        None
        if ends_text.lower() in ("", "indefinite")
        else _date(file_name, line, "Termination Date", ends_text)
    )
    npi = screening.real_npi(values["NPI"])
    return ListRow(
        person=person,
        last_name=values["Last"] or None,
        first_name=values["First"] or None,
        middle_name=values["Middle"] or None,
        entity_name=values["Name"] or None,
        npi=npi,
        dob=None,  # the public extract carries no date of birth
        excluded_on=active,
        ends_on=ends,
        state=values.get("State / Province") or None,
        record_key=screening.digest([values.get(k, "") for k in KEY_FIELDS]),
        content_hash=screening.content_digest(values),
        norm_last=names.last_name(values["Last"]) if person else "",
        norm_first=names.first_name(values["First"]) if person else "",
        data=values,
    )


def _date(file_name: str, line: int, column: str, text: str) -> str | None:
    if not text:
        return None
    try:
        month, day, year = text.split("/")
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise InputError(
            f"{file_name} line {line}: {column} '{text}' is not an MM/DD/YYYY date"
        ) from None
