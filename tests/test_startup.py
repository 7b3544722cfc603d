"""Start-up is part of the experience: --help must not load the heavy libraries."""

import subprocess
import sys

PROBE = """
import sys
from credcli.cli.app import app
try:
    app(["--help"], prog_name="credcli")
except SystemExit:
    pass
heavy = [m for m in ("sqlalchemy", "pydantic", "openpyxl", "alembic") if m in sys.modules]
print("HEAVY=" + ",".join(heavy))
"""


def test_help_loads_no_database_validation_or_excel_library() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY="


def test_python_dash_m_runs(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "credcli", "--help"], capture_output=True, text=True, check=True
    )
    assert "Run a healthcare credentialing office" in result.stdout


def test_help_does_not_load_rich() -> None:
    """Typer's Rich help formatter (rich.markdown, rich.traceback) doubled --help time."""
    probe = PROBE.replace('("sqlalchemy", "pydantic", "openpyxl", "alembic")', '("rich",)')
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY="


def test_help_is_plain_readable_text() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "credcli", "db", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[:3] == [
        "Usage: credcli db [OPTIONS] COMMAND [ARGS]...",
        "",
        "  Back up the registry and check its health.",
    ]
    assert "\n  backup  Copy a SQLite registry" in result.stdout
