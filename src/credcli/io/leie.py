"""OIG LEIE files: UPDATED.csv (the whole list) and the monthly YYMMEXCL / YYMMREIN supplements.

Quirks handled: quoted or unquoted header, CRLF, a byte-order mark, padded
fields ("1128a1   "), suffixes inside MIDNAME ("W JR"), 00000000 for no date,
0000000000 for no NPI, WVRSTATE empty or "".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from credcli.domain import names, screening
from credcli.errors import InputError
from credcli.io.listfiles import LEIE_HEADER, ListRow, read_table, wrong_kind

KEY_FIELDS = ("LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "NPI", "DOB", "EXCLTYPE", "EXCLDATE")
_EXCL = re.compile(r"\d{4}EXCL", re.IGNORECASE)
_REIN = re.compile(r"\d{4}REIN", re.IGNORECASE)


def kind_from_name(path: Path) -> str:
    """full (UPDATED.csv), exclusions (YYMMEXCL.csv) or reinstatements (YYMMREIN.csv)."""
    if _REIN.search(path.name):
        return "reinstatements"
    if _EXCL.search(path.name):
        return "exclusions"
    return "full"


def read(path: Path) -> list[ListRow]:
    header, rows = read_table(path, "leie")
    upper = [h.upper() for h in header]
    missing = [h for h in LEIE_HEADER if h not in upper]
    if missing:
        raise wrong_kind(path.name, header, "leie", missing)
    index = {name: upper.index(name) for name in LEIE_HEADER}
    width = len(header)
    result = []
    for line, row in rows:
        if len(row) != width:
            raise InputError(
                f"{path.name} line {line}: {len(row)} fields where the header has {width}; "
                "the file is damaged or not an LEIE file"
            )
        values = {name: row[i].strip() for name, i in index.items()}
        result.append(_record(path.name, line, values))
    return result


def _record(file_name: str, line: int, values: dict[str, str]) -> ListRow:
    for column in ("DOB", "EXCLDATE", "REINDATE", "WAIVERDATE"):
        values[column] = _date(file_name, line, column, values[column]) or ""
    values["NPI"] = screening.real_npi(values["NPI"]) or ""
    person = bool(values["LASTNAME"])
    key = screening.digest([values[k] for k in KEY_FIELDS])
    return ListRow(
        person=person,
        last_name=values["LASTNAME"] or None,
        first_name=values["FIRSTNAME"] or None,
        middle_name=values["MIDNAME"] or None,
        entity_name=values["BUSNAME"] or None,
        npi=values["NPI"] or None,
        dob=values["DOB"] or None,
        excluded_on=values["EXCLDATE"] or None,
        ends_on=None,  # an LEIE exclusion lasts until reinstatement
        state=values["STATE"] or None,
        record_key=key,
        content_hash=screening.content_digest(values),
        norm_last=names.last_name(values["LASTNAME"]) if person else "",
        norm_first=names.first_name(values["FIRSTNAME"]) if person else "",
        data=values,
    )


def _date(file_name: str, line: int, column: str, text: str) -> str | None:
    """YYYYMMDD to ISO text; 00000000 and blanks mean none."""
    if not text or set(text) == {"0"}:
        return None
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        raise InputError(
            f"{file_name} line {line}: {column} '{text}' is not a YYYYMMDD date"
        ) from None
