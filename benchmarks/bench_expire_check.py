"""How long ``credcli expire-check --within 90 --format json`` takes as a whole process.

Goal (issue 5): on 100,000 providers and 500,000 credentials, under 1.5 s and within
3x a hand-written stdlib sqlite3 script producing the same rows (expire_check_sqlite3.py),
measured in the same run: best of 3, the two runs interleaved so both meet the same
machine load. The two must print the same rows; that is checked, not assumed.

    python benchmarks/bench_expire_check.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]  # this checkout's credcli, not another

import make_registry  # noqa: E402

FULL = 100_000
QUICK = 2_000
RUNS = 3


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(command: list[str], out: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run; CPU time says more on a busy machine."""
    with out.open("wb") as handle:
        cpu = _cpu()
        started = time.perf_counter()
        done = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE, env=env)
        took = time.perf_counter() - started
        cpu = _cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr.decode()}")
    return took, cpu


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    providers = QUICK if quick else FULL
    as_of = dt.date.today()
    env = dict(os.environ, CREDCLI_TODAY=as_of.isoformat())
    src = HERE.parent / "src"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory(prefix="credcli-bench-") as folder:
        db = Path(folder) / "registry.db"
        made = time.perf_counter()
        counts = make_registry.make(db, providers, as_of)
        made = time.perf_counter() - made
        ours = [sys.executable, "-m", "credcli", "expire-check"]
        ours += ["--db", str(db), "--within", "90", "--format", "json"]
        baseline = [sys.executable, str(HERE / "expire_check_sqlite3.py"), str(db)]
        baseline += [as_of.isoformat(), "90"]
        out_ours, out_base = Path(folder) / "credcli.json", Path(folder) / "sqlite3.json"
        times_ours, times_base = [], []
        for _ in range(RUNS):
            times_ours.append(_timed(ours, out_ours, env))
            times_base.append(_timed(baseline, out_base, env))
        rows_ours = json.loads(out_ours.read_text())
        rows_base = json.loads(out_base.read_text())
    assert len(rows_ours) == len(rows_base), (len(rows_ours), len(rows_base))
    assert rows_ours == rows_base, "credcli and the sqlite3 script disagree on the rows"
    best_ours, best_base = min(t for t, _ in times_ours), min(t for t, _ in times_base)
    cpu_ours, cpu_base = min(c for _, c in times_ours), min(c for _, c in times_base)
    size = f"{counts['providers']:,} providers, {counts['credentials']:,} credentials"
    return [
        (f"registry made ({size})", made, "s"),
        ("rows found (--within 90)", float(len(rows_ours)), "rows"),
        ("credcli expire-check --format json, best of 3", best_ours, "s"),
        ("hand-written sqlite3 script, best of 3", best_base, "s"),
        ("credcli / sqlite3 script", best_ours / best_base, "x"),
        ("credcli expire-check, CPU (user+sys), best of 3", cpu_ours, "s"),
        ("hand-written sqlite3 script, CPU (user+sys), best of 3", cpu_base, "s"),
        ("load average (1 min) at the end", os.getloadavg()[0], "procs"),
    ]


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    for name, value, unit in run(quick=quick):
        shown = f"{value:,.0f}" if unit == "rows" else f"{value:.2f}"
        print(f"{name:<60} {shown:>10} {unit}")


if __name__ == "__main__":
    main()
