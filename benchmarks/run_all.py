"""Run every benchmark of the project and print one table of figures (``make bench``).

Each ``bench_*.py`` in the benchmarks folder exposes ``run(quick: bool = False)``
returning ``(figure, value, unit)`` rows. Each runs in a process of its own, so a
benchmark that crashes (or exhausts memory) is reported and the others still run.

    python benchmarks/run_all.py            # full sizes
    python benchmarks/run_all.py --quick    # small sizes, seconds
    python benchmarks/run_all.py --only startup

Exit status: 0 all ran, 1 a benchmark crashed or returned malformed figures,
2 bad arguments (e.g. --only names no benchmark).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARK = "@@credcli-bench-figures@@ "

# Runs inside the child: import the benchmark file by path, call run(), print the rows.
CHILD = f"""
import importlib.util, json, math, sys
path, quick = sys.argv[1], sys.argv[2] == "1"
spec = importlib.util.spec_from_file_location("benchmark_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
rows = module.run(quick=quick)
clean = []
for row in rows:
    name, value, unit = row
    if not isinstance(name, str) or not isinstance(unit, str):
        raise TypeError(f"figure {{row!r}}: name and unit must be text")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"figure {{name!r}} is not a finite number: {{value}}")
    clean.append([name, value, unit])
print({MARK!r} + json.dumps(clean), flush=True)
"""


@dataclass
class Outcome:
    name: str
    seconds: float
    figures: list[tuple[str, float, str]] = field(default_factory=list)
    error: str | None = None


def discover(folder: Path, only: str | None) -> list[Path]:
    found = sorted(folder.glob("bench_*.py"))
    if only:
        wanted = only.removeprefix("bench_").removesuffix(".py")
        found = [path for path in found if path.stem == f"bench_{wanted}"]
    return found


def run_one(path: Path, *, quick: bool, timeout: float) -> Outcome:
    name = path.stem.removeprefix("bench_")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if part
    )
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), "1" if quick else "0"],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return Outcome(name, time.perf_counter() - started, error=f"timed out after {timeout:g} s")
    seconds = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return Outcome(name, seconds, error=f"crashed (exit {done.returncode}): {tail}")
    figures = [(str(n), float(v), str(u)) for n, v, u in json.loads(lines[-1][len(MARK) :])]
    return Outcome(name, seconds, figures)


def show_value(value: float) -> str:
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def table(outcomes: list[Outcome]) -> str:
    rows = [("benchmark", "figure", "value", "unit")]
    for outcome in outcomes:
        if outcome.error:
            rows.append((outcome.name, "CRASHED", "-", outcome.error))
        for figure, value, unit in outcome.figures:
            rows.append((outcome.name, figure, show_value(value), unit))
        rows.append((outcome.name, "wall time", f"{outcome.seconds:.1f}", "s"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            row[0].ljust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].rjust(widths[2]),
            row[3],
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every credcli benchmark.")
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--only", metavar="NAME", help="run one benchmark (e.g. startup)")
    parser.add_argument(
        "--dir", type=Path, default=HERE, help="folder holding bench_*.py (default: this one)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds one benchmark may take"
    )
    args = parser.parse_args(argv)
    paths = discover(args.dir, args.only)
    if not paths:
        what = f"named {args.only!r} " if args.only else ""
        print(f"run_all: no benchmark {what}in {args.dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    outcomes = []
    for path in paths:
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        outcomes.append(run_one(path, quick=args.quick, timeout=args.timeout))
    print(table(outcomes))
    crashed = [outcome.name for outcome in outcomes if outcome.error]
    total = time.perf_counter() - started
    print(
        f"\n{len(outcomes)} benchmarks, {len(crashed)} crashed, total {total:.1f} s"
        + (" (quick sizes)" if args.quick else "")
    )
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
