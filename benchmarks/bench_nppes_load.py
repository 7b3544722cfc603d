"""NPPES load speed: stream a 1,000,000-row, 330-column npidata file keeping 20,000 NPIs,
compared with `grep -F -f npis.txt` over the same file in the same run (goal: at least
one third of grep's speed).

The generated file (about 1 GB) is cached in the temp dir between runs.
Run alone: python benchmarks/bench_nppes_load.py [--quick]
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL = (1_000_000, 20_000)
QUICK = (20_000, 2_000)
COLUMNS = 330


def _header() -> list[str]:
    names = [
        "NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
        "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)",
        "Provider First Name", "Provider Middle Name", "Provider Name Prefix Text",
        "Provider Name Suffix Text", "Provider Credential Text",
        "Provider Business Practice Location Address State Name", "Provider Enumeration Date",
        "Last Update Date", "NPI Deactivation Reason Code", "NPI Deactivation Date",
        "NPI Reactivation Date",
    ]  # fmt: skip
    for n in range(1, 16):
        names += [
            f"Healthcare Provider Taxonomy Code_{n}",
            f"Provider License Number_{n}",
            f"Provider License Number State Code_{n}",
            f"Healthcare Provider Primary Taxonomy Switch_{n}",
        ]
    names += [f"Other Column {i}" for i in range(COLUMNS - len(names))]
    return names


def _npi(first_nine: str) -> str:
    from credcli.domain.identifiers import npi_check_digit

    return first_nine + str(npi_check_digit(first_nine))


def _make(folder: Path, rows: int, kept: int) -> tuple[Path, list[str]]:
    path = folder / f"npidata_pfile_20050523-20251109_{rows}.csv"
    rng = random.Random(11)
    npis = [_npi(f"1{i:08d}") for i in range(rows)]
    wanted = sorted(rng.sample(npis, kept))
    if path.exists():
        return path, wanted
    header = _header()
    filler = ',""' * (COLUMNS - 14 - 4)
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(f'"{h}"' for h in header) + "\r\n")
        lines = []
        for i, npi in enumerate(npis):
            lines.append(
                f'"{npi}","1","","","","LAST{i}","FIRST{i}","","","","MD","CA","05/23/2006",'
                f'"07/08/2025","","","","207R00000X","A{i}","CA","Y"{filler}\r\n'
            )
            if len(lines) == 10_000:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))
    part.rename(path)
    return path, wanted


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    import datetime as dt

    from sqlalchemy import insert

    from credcli.db.models import Provider
    from credcli.services import lists, registry

    rows, kept = QUICK if quick else FULL
    cache = Path(tempfile.gettempdir()) / "credcli-bench-nppes"
    cache.mkdir(exist_ok=True)
    path, wanted = _make(cache, rows, kept)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        patterns = folder / "npis.txt"
        patterns.write_text("".join(f'"{n}"\n' for n in wanted))
        grep = ["grep", "-F", "-f", str(patterns), str(path)]
        start = time.perf_counter()
        subprocess.run(grep, stdout=subprocess.DEVNULL, check=True)  # may read from disk
        first_grep_s = time.perf_counter() - start
        start = time.perf_counter()  # grep and the load are compared with a warm cache
        subprocess.run(grep, stdout=subprocess.DEVNULL, check=True)
        grep_s = time.perf_counter() - start
        db = folder / "registry.db"
        with registry.session(str(db), write=True) as session:
            session.connection().execute(
                insert(Provider),
                [
                    {
                        "npi": n,
                        "first_name": "A",
                        "last_name": "B",
                        "status": "active",
                        "status_date": dt.date(2026, 1, 1),
                    }
                    for n in wanted
                ],  # fmt: skip
            )
        # Write back what earlier work left dirty (other benchmarks write gigabytes), so
        # the load's commit does not wait behind someone else's writeback.
        os.sync()
        start = time.perf_counter()
        with registry.session(str(db), write=True) as session:
            result = lists.load_nppes(session, path)
        load_s = time.perf_counter() - start
    size_mb = path.stat().st_size / 1e6
    return [
        ("nppes: grep -F -f, first run (file possibly not cached)", first_grep_s, "s"),
        (f"nppes: grep -F -f ({kept} NPIs) over {rows} rows, {size_mb:.0f} MB", grep_s, "s"),
        (f"nppes: load nppes keeping {result.list_size} of {result.row_count} rows", load_s, "s"),
        ("nppes: load speed as a share of grep's (goal >= 0.33)", grep_s / load_s, "x"),
    ]


if __name__ == "__main__":
    os.environ.setdefault("CREDCLI_USER", "bench")
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(f"{name:<70} {value:>10.3f} {unit}")
