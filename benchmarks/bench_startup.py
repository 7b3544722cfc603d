"""Start-up cost: whole-process time of credcli commands a coordinator or cron runs often.

Figures (median of N runs, milliseconds):
- ``python -c "import typer"``: the floor any Typer CLI pays;
- ``credcli --help`` and its overhead over that floor;
- ``credcli provider list --format json`` on a registry of 1,000 providers
  (200 with --quick).

    python benchmarks/bench_startup.py [--quick]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's credcli, not an installed one


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env["CREDCLI_DB"] = str(db)
    env["CREDCLI_USER"] = "bench"
    return env


def _median_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _registry(db: Path, size: int) -> None:
    from credcli.domain.identifiers import npi_check_digit
    from credcli.services import providers, registry

    with registry.session(str(db), write=True) as session:
        for index in range(size):
            base = f"1{index:08d}"
            fields = {
                "npi": base + str(npi_check_digit(base)),
                "first_name": f"First{index}",
                "last_name": f"Last{index % 97}",
                "degree": "MD",
                "specialty": "Internal Medicine",
            }
            providers.intake(session, fields, "2026-11-02")


def run(quick: bool = False) -> list[tuple[str, float, str]]:
    runs = 5 if quick else 15
    size = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "registry.db"
        env = _env(db)
        floor = _median_ms([sys.executable, "-c", "import typer"], env, runs)
        helped = _median_ms([sys.executable, "-m", "credcli", "--help"], env, runs)
        _registry(db, size)
        listed = _median_ms(
            [sys.executable, "-m", "credcli", "provider", "list", "--format", "json"], env, runs
        )
    return [
        (f"python -c 'import typer' (median of {runs})", floor, "ms"),
        (f"credcli --help (median of {runs})", helped, "ms"),
        ("credcli --help over import typer", helped - floor, "ms"),
        (f"provider list --format json, {size:,} providers (median of {runs})", listed, "ms"),
    ]


if __name__ == "__main__":
    for name, value, unit in run(quick="--quick" in sys.argv[1:]):
        print(f"{name}: {value:.1f} {unit}")
