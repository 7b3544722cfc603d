"""Screening speed: 20,000 providers against an 80,000-row LEIE and a 150,000-row SAM extract.

Generates its own synthetic registry and list files in a temp dir, loads them
(not timed), then times `credcli verify screen` (goal: under 3 s).
Run alone: python benchmarks/bench_screening.py [--quick]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

FULL = (20_000, 80_000, 150_000)
QUICK = (2_000, 8_000, 15_000)
LEIE_HEADER = (
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,"
    "EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE"
)
SAM_HEADER = (
    '"Classification","Name","Prefix","First","Middle","Last","Suffix","Address 1","Address 2",'
    '"Address 3","Address 4","City","State / Province","Country","Zip Code","Open Data Flag",'
    '"Blank (Deprecated)","Unique Entity ID","Exclusion Program","Excluding Agency","CT Code",'
    '"Exclusion Type","Additional Comments","Active Date","Termination Date","Record Status",'
    '"Cross-Reference","SAM Number","CAGE","NPI","Creation_Date"'
)
SYLLABLES = (
    "an ber cal dor el fin gar hol is jor kel lin mar nor os per quin ros sal tor ul ven wil "
    "yan bo cru dax ez fo gu hy ik ju ko lu my nu ob pi qua ry su ty uv vo wu xi zo"
).split()


def _npi(first_nine: str) -> str:
    from credcli.domain.identifiers import npi_check_digit

    return first_nine + str(npi_check_digit(first_nine))


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).upper()


def _make(folder: Path, providers: int, leie_rows: int, sam_rows: int) -> tuple[Path, Path, Path]:
    rng = random.Random(7)
    people = []
    roster = ["npi,first,last,dob"]
    for i in range(providers):
        npi = _npi(f"1{i:08d}")
        first, last = _name(rng, 2), _name(rng, 4)
        dob = f"19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        people.append((npi, first, last, dob))
        roster.append(f"{npi},{first},{last},{dob}")
    leie = [LEIE_HEADER]
    for i in range(leie_rows):
        if i % 200 == 0:  # about 1 in 200 rows is one of our providers
            npi, first, last, dob = rng.choice(people)
            use_npi = npi if i % 400 == 0 else "0000000000"
        else:
            first, last, use_npi = _name(rng, 2), _name(rng, 4), "0000000000"
            dob = f"19{rng.randint(40, 99)}0101"
        leie.append(
            f'"{last}","{first}","","","IND","NURSE","","{use_npi}","{dob}","1 MAIN ST",'
            f'"TOWN","CA","90001","1128a1   ","20200101","00000000","00000000",""'
        )
    sam = [SAM_HEADER]
    for i in range(sam_rows):
        if i % 300 == 0:
            _, first, last, _ = rng.choice(people)
        else:
            first, last = _name(rng, 2), _name(rng, 4)
        sam.append(
            f'"Individual","","","{first}","","{last}","","","","","","TOWN","CA","USA","",'
            f'"","","","Reciprocal","HHS","","Ineligible (Proceedings Completed)","",'
            f'"01/02/2020","Indefinite","Active","","S4MR{i:08d}","","",""'
        )
    paths = (folder / "roster.csv", folder / "UPDATED.csv", folder / "sam.csv")
    for path, lines in zip(paths, (roster, leie, sam), strict=True):
        path.write_text("\r\n".join(lines) + "\r\n")
    return paths


def _register(db: Path, roster: Path) -> None:
    from sqlalchemy import insert

    from credcli.db.models import Provider
    from credcli.services import registry

    rows = [line.split(",") for line in roster.read_text().split()[1:]]
    import datetime as dt

    with registry.session(str(db), write=True) as session:
        session.connection().execute(
            insert(Provider),
            [
                {
                    "npi": npi,
                    "first_name": first.title(),
                    "last_name": last.title(),
                    "dob": dt.date(int(dob[:4]), int(dob[4:6]), int(dob[6:])),
                    "status": "active",
                }
                for npi, first, last, dob in rows
            ],
        )


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    from credcli.domain import dates
    from credcli.services import lists, registry, screening

    providers, leie_rows, sam_rows = QUICK if quick else FULL
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster, leie, sam = _make(folder, providers, leie_rows, sam_rows)
        db = folder / "registry.db"
        _register(db, roster)
        start = time.perf_counter()
        with registry.session(str(db), write=True) as session:
            lists.load_leie(session, leie)
            lists.load_sam(session, sam)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        with registry.session(str(db), write=True) as session:
            result = screening.screen(session, which="all", as_of=dates.today())
        took = time.perf_counter() - start
    label = f"{providers} providers vs {leie_rows} LEIE + {sam_rows} SAM rows"
    return [
        (f"screen: {label}", took, "s"),
        ("screen: open hits raised", float(result.open_hits), "hits"),
        ("screen: LEIE + SAM load (not part of the goal)", loaded, "s"),
    ]


if __name__ == "__main__":
    os.environ.setdefault("CREDCLI_USER", "bench")
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(f"{name:<70} {value:>10.3f} {unit}")
