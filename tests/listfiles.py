"""Small synthetic files in the real LEIE, SAM and NPPES formats, for tests."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from credcli.io.listfiles import LEIE_HEADER

# Written lists carry this modified date (the load's default publication date) rather than
# the real clock's, so runs "as of" a day in November 2026 never predate their list.
PUBLISHED = dt.datetime(2026, 11, 1, 12, 0)


def _published(path: Path) -> Path:
    stamp = PUBLISHED.timestamp()
    os.utime(path, (stamp, stamp))
    return path

SAM_HEADER = [
    "Classification", "Name", "Prefix", "First", "Middle", "Last", "Suffix", "Address 1",
    "Address 2", "Address 3", "Address 4", "City", "State / Province", "Country", "Zip Code",
    "Open Data Flag", "Blank (Deprecated)", "Unique Entity ID", "Exclusion Program",
    "Excluding Agency", "CT Code", "Exclusion Type", "Additional Comments", "Active Date",
    "Termination Date", "Record Status", "Cross-Reference", "SAM Number", "CAGE", "NPI",
    "Creation_Date",
]  # fmt: skip


def leie_row(last: str = "", first: str = "", **fields: str) -> dict[str, str]:
    row = dict.fromkeys(LEIE_HEADER, "")
    row.update(
        LASTNAME=last,
        FIRSTNAME=first,
        NPI="0000000000",
        DOB="00000000",
        EXCLTYPE="1128a1   ",
        EXCLDATE="20240115",
        REINDATE="00000000",
        WAIVERDATE="00000000",
        STATE="CA",
    )
    row.update(fields)
    return row


def write_leie(
    path: Path, rows: list[dict[str, str]], *, quoted_header: bool = True, bom: bool = False
) -> Path:
    header = ",".join(f'"{h}"' if quoted_header else h for h in LEIE_HEADER)
    lines = [header] + [",".join(f'"{row[h]}"' for h in LEIE_HEADER) for row in rows]
    data = "\r\n".join(lines) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return _published(path)


def sam_row(last: str = "", first: str = "", **fields: str) -> dict[str, str]:
    row = dict.fromkeys(SAM_HEADER, "")
    row.update(
        Classification="Individual",
        First=first,
        Last=last,
        Country="USA",
        **{
            "Exclusion Type": "Ineligible (Proceedings Completed)",
            "Excluding Agency": "HHS",
            "Active Date": "03/15/2023",
            "Termination Date": "Indefinite",
            "Record Status": "Active",
            "SAM Number": f"S4MR{abs(hash((last, first))) % 10**6:06d}",
        },
    )
    row.update(fields)
    return row


def write_sam(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(f'"{h}"' for h in SAM_HEADER)]
    lines += [",".join(f'"{row[h]}"' for h in SAM_HEADER) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return _published(path)


NPPES_HEADER = [
    "NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
    "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)",
    "Provider First Name", "Provider Middle Name", "Provider Credential Text",
    "Provider Business Practice Location Address State Name", "Provider Enumeration Date",
    "Last Update Date", "NPI Deactivation Reason Code", "NPI Deactivation Date",
    "NPI Reactivation Date",
] + [
    name
    for n in range(1, 16)
    for name in (
        f"Healthcare Provider Taxonomy Code_{n}",
        f"Provider License Number_{n}",
        f"Provider License Number State Code_{n}",
        f"Healthcare Provider Primary Taxonomy Switch_{n}",
    )
]  # fmt: skip


def nppes_row(npi: str, last: str, first: str, **fields: str) -> dict[str, str]:
    row = dict.fromkeys(NPPES_HEADER, "")
    row.update(
        {
            "NPI": npi,
            "Entity Type Code": "1",
            "Provider Last Name (Legal Name)": last,
            "Provider First Name": first,
            "Provider Credential Text": "M.D.",
            "Provider Enumeration Date": "05/23/2006",
            "Last Update Date": "07/08/2025",
        }
    )
    row.update(fields)
    return row


def write_nppes(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(f'"{h}"' for h in NPPES_HEADER)]
    lines += [",".join(f'"{row[h]}"' for h in NPPES_HEADER) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path
