"""Time a roster import against its floor: reading the file with python-calamine plus
inserting the same rows with stdlib sqlite3 executemany, measured in the same run.

Goal (issue 3): a 100,000-row, 20-column roster imports in at most 2x that floor,
with peak memory under 400 MB.

    python benchmarks/bench_roster_import.py            # 100,000 rows
    python benchmarks/bench_roster_import.py --rows 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(SRC))

import make_roster  # noqa: E402

FULL_ROWS = 100_000
QUICK_ROWS = 2_000


def read_with_calamine(path: Path) -> tuple[float, float, list[list[object]]]:
    """(wall seconds, CPU seconds, rows)."""
    from python_calamine import CalamineWorkbook

    start, cpu = time.perf_counter(), time.process_time()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = list(sheet.iter_rows())
    return time.perf_counter() - start, time.process_time() - cpu, rows


def insert_with_sqlite(path: Path, rows: list[list[object]]) -> tuple[float, float]:
    header, data = rows[0], rows[1:]
    plain = [
        [v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in data
    ]  # sqlite3 has no date adapter on 3.12+; done before the clock starts
    start, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(path)
    columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
    conn.execute(f"CREATE TABLE roster (id INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" for _ in header)
    names = ", ".join(f"c{i}" for i in range(len(header)))
    conn.executemany(f"INSERT INTO roster ({names}) VALUES ({marks})", plain)
    conn.commit()
    conn.close()
    return time.perf_counter() - start, time.process_time() - cpu


def insert_stored_rows_with_sqlite(registry: Path, target: Path) -> tuple[dict[str, float], int]:
    """({table: wall seconds}, rows): stdlib executemany of what the import stored
    (providers, credentials, audit rows) into empty copies of the registry's tables, with
    their indexes, in one transaction. Not the goal's floor: it shows how much of an
    import's time is SQLite's own work on the rows a roster becomes."""
    tables = ("providers", "credentials", "audit_log")
    source = sqlite3.connect(registry)
    schema = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN (?, ?, ?) "
            "ORDER BY type DESC",  # tables before their indexes
            tables,
        )
    ]
    data = {name: source.execute(f"SELECT * FROM {name}").fetchall() for name in tables}
    source.close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        conn.execute(sql)
    seconds: dict[str, float] = {}
    conn.execute("BEGIN IMMEDIATE")
    for name in tables:
        start = time.perf_counter()
        if data[name]:
            marks = ", ".join("?" for _ in data[name][0])
            conn.executemany(f"INSERT INTO {name} VALUES ({marks})", data[name])
        seconds[name] = time.perf_counter() - start
    start = time.perf_counter()
    conn.execute("COMMIT")
    seconds["audit_log"] += time.perf_counter() - start  # the commit, counted once
    conn.close()
    return seconds, sum(len(rows) for rows in data.values())


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_with_credcli(
    roster: Path, registry: Path
) -> tuple[float, float, float, dict[str, object]]:
    """Run ``credcli intake roster`` as a user would: (wall s, CPU s, peak MB, summary)."""
    env = dict(os.environ, PYTHONPATH=str(SRC), CREDCLI_DB=str(registry), CREDCLI_USER="bench")
    subprocess.run(  # create and migrate the registry outside the timed run
        [sys.executable, "-m", "credcli", "init"], env=env, check=True, capture_output=True
    )
    start, cpu = time.perf_counter(), _child_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "credcli", "intake", "roster", str(roster), "-f", "json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, cpu = time.perf_counter() - start, _child_cpu() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, cpu, peak_mb, json.loads(done.stdout)


def run(quick: bool = False, rows: int | None = None) -> list[tuple[str, float, str]]:
    """Wall-clock figures, and CPU figures (fairer on a shared machine)."""
    count = rows or (QUICK_ROWS if quick else FULL_ROWS)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        roster = make_roster.write(tmp / "roster.xlsx", count)
        read_s, read_cpu, cells = read_with_calamine(roster)
        insert_s, insert_cpu = insert_with_sqlite(tmp / "floor.db", cells)
        del cells
        import_s, import_cpu, peak_mb, summary = import_with_credcli(roster, tmp / "registry.db")
        stored, stored_rows = insert_stored_rows_with_sqlite(tmp / "registry.db", tmp / "s.db")
        again_s, again_cpu, _, again = import_with_credcli(roster, tmp / "registry.db")
    if summary["created"] != count or again["unchanged"] != count:
        raise SystemExit(f"unexpected summaries: {summary} then {again}")
    floor, floor_cpu = read_s + insert_s, read_cpu + insert_cpu
    stored_s = sum(stored.values())
    registry_rows_s = stored["providers"] + stored["credentials"]
    return [
        ("roster rows (20 columns)", float(count), "rows"),
        ("calamine read", read_s, "s"),
        ("sqlite3 executemany of the same rows", insert_s, "s"),
        ("floor (read + insert)", floor, "s"),
        ("credcli intake roster, new registry (whole process)", import_s, "s"),
        ("import / floor", import_s / floor, "x"),
        ("credcli intake roster, same file again (all unchanged)", again_s, "s"),
        ("re-import / floor", again_s / floor, "x"),
        ("floor, CPU time", floor_cpu, "s"),
        ("import, CPU time", import_cpu, "s"),
        ("import / floor, CPU time", import_cpu / floor_cpu, "x"),
        ("re-import / floor, CPU time", again_cpu / floor_cpu, "x"),
        ("peak memory of the import process (max RSS)", peak_mb, "MB"),
        ("rows the import stored (providers, credentials, audit)", float(stored_rows), "rows"),
        ("sqlite3 executemany of those stored rows (context)", stored_s, "s"),
        ("  of which providers and credentials alone", registry_rows_s, "s"),
        ("  of which audit rows (and the commit)", stored["audit_log"], "s"),
        ("import / (read + insert of the stored rows)", import_s / (read_s + stored_s), "x"),
        (
            "(read + providers and credentials alone) / floor",
            (read_s + registry_rows_s) / floor,
            "x",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for name, value, unit in run(quick=args.quick, rows=args.rows):
        print(f"{name:<58} {value:>12,.2f} {unit}")


if __name__ == "__main__":
    main()
