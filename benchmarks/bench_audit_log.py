"""How fast ``credcli audit-log verify`` walks a long hash chain.

Builds a SQLite registry holding N audit rows (written through the real
``audit.append``, so the chain is genuine), then times the verification in
process and as a whole ``credcli audit-log verify`` command.

    python benchmarks/bench_audit_log.py          # 100,000 rows
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
QUICK_ROWS = 5_000


def build(path: Path, rows: int) -> None:
    from credcli.services import audit, registry

    engine, _, _, _ = registry.open_engine(str(path))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    batch = 10_000
    for first in range(0, rows, batch):
        changes = [
            audit.Change(
                "update",
                "providers",
                number % 5000 + 1,
                f"{1000000000 + number % 5000}",
                before={"phone": f"555-010-{number % 10000:04d}"},
                after={"phone": f"555-020-{number % 10000:04d}", "notes": "renewal received"},
                at=start + dt.timedelta(seconds=number),
            )
            for number in range(first, min(rows, first + batch))
        ]
        with engine.begin() as conn:
            audit.append(conn, changes, who="bench")
    engine.dispose()


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    from credcli.services import audit_log, registry

    rows = QUICK_ROWS if quick else ROWS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.db"
        started = time.perf_counter()
        build(path, rows)
        built = time.perf_counter() - started
        started = time.perf_counter()
        with registry.session(str(path)) as session:
            check = audit_log.verify(session)
        in_process = time.perf_counter() - started
        assert check.intact and check.rows == rows, check
        env = {**os.environ, "CREDCLI_DB": str(path)}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "credcli", "audit-log", "verify"],
            check=True,
            capture_output=True,
            env=env,
        )
        command = time.perf_counter() - started
    return [
        (f"audit rows written ({rows:,})", built, "s"),
        (f"audit-log verify in process ({rows:,} rows)", in_process, "s"),
        ("audit-log verify rate", rows / in_process, "rows/s"),
        (f"credcli audit-log verify, whole process ({rows:,} rows)", command, "s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv):
        print(f"{name:55} {value:12,.2f} {unit}")
