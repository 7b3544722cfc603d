"""benchmarks/run_all.py: discovers, isolates and tabulates; benchmarks keep the convention."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
RUN_ALL = ROOT / "benchmarks" / "run_all.py"

FAST = """
def run(quick=False):
    return [("rows per second", 1234.5, "rows/s"), ("quick sizes", 1.0 if quick else 0.0, "flag")]
"""
CRASHING = """
def run(quick=False):
    raise RuntimeError("out of synthetic providers")
"""
MALFORMED = """
def run(quick=False):
    return [("no unit", 1.0)]
"""


def _bench_dir(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "benches"
    folder.mkdir()
    for name, body in files.items():
        (folder / f"bench_{name}.py").write_text(body)
    (folder / "helper_not_a_bench.py").write_text("raise SystemExit('must not be run')\n")
    return folder


def _run_all(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN_ALL), *args], capture_output=True, text=True, timeout=120
    )


def _rows(stdout: str) -> list[list[str]]:
    lines = stdout.splitlines()
    return [line.split() for line in lines[2 : lines.index("")]]


def test_every_benchmark_runs_and_one_crash_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = _bench_dir(tmp_path, a_fast=FAST, b_crash=CRASHING, c_fast=FAST)
    done = _run_all("--dir", str(folder), "--quick")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["benchmark", "figure", "value", "unit"]
    figures = [line for line in lines if "wall time" not in line]
    assert [line.split()[0] for line in figures[2:7]] == [
        "a_fast",
        "a_fast",
        "b_crash",
        "c_fast",
        "c_fast",
    ]
    assert ["a_fast", "rows", "per", "second", "1,234", "rows/s"] in _rows(done.stdout)
    crash = next(line for line in lines if line.startswith("b_crash") and "CRASHED" in line)
    assert crash.endswith("crashed (exit 1): RuntimeError: out of synthetic providers")
    assert lines[-1].startswith("3 benchmarks, 1 crashed, total ")
    assert lines[-1].endswith(" s (quick sizes)")


def test_quick_flag_reaches_run(tmp_path: Path) -> None:
    folder = _bench_dir(tmp_path, fast=FAST)
    quick = [r for r in _rows(_run_all("--dir", str(folder), "--quick").stdout) if "quick" in r]
    full = [r for r in _rows(_run_all("--dir", str(folder)).stdout) if "quick" in r]
    assert quick == [["fast", "quick", "sizes", "1", "flag"]]
    assert full == [["fast", "quick", "sizes", "0", "flag"]]


def test_only_runs_the_named_benchmark(tmp_path: Path) -> None:
    folder = _bench_dir(tmp_path, fast=FAST, crash=CRASHING)
    done = _run_all("--dir", str(folder), "--only", "fast")
    assert done.returncode == 0
    assert {row[0] for row in _rows(done.stdout)} == {"fast"}
    assert done.stdout.splitlines()[-1].startswith("1 benchmarks, 0 crashed, total ")


def test_only_with_an_unknown_name_exits_2(tmp_path: Path) -> None:
    folder = _bench_dir(tmp_path, fast=FAST)
    done = _run_all("--dir", str(folder), "--only", "nope")
    assert done.returncode == 2
    assert done.stderr == f"run_all: no benchmark named 'nope' in {folder}\n"


def test_malformed_figures_count_as_a_crash(tmp_path: Path) -> None:
    folder = _bench_dir(tmp_path, odd=MALFORMED)
    done = _run_all("--dir", str(folder))
    assert done.returncode == 1
    assert "CRASHED" in done.stdout
    assert "ValueError: not enough values to unpack" in done.stdout


def test_every_project_benchmark_follows_the_convention() -> None:
    paths = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    assert "bench_startup.py" in [path.name for path in paths]
    for path in paths:
        tree = ast.parse(path.read_text())
        runs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "run"]
        assert len(runs) == 1, f"{path.name} has no top-level run()"
        arguments = runs[0].args
        names = [a.arg for a in arguments.args]
        assert names[0] == "quick", path.name
        assert len(arguments.defaults) == len(names), f"{path.name}: run() needs only quick"
        assert isinstance(arguments.defaults[0], ast.Constant), path.name
        assert arguments.defaults[0].value is False, path.name
        assert any(
            isinstance(n, ast.If) and "__main__" in ast.unparse(n.test) for n in tree.body
        ), f"{path.name} cannot be run alone"
