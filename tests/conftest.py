"""Every test gets its own registry under tmp_path, never the user's real folders.

Tests that take the ``db`` fixture run against SQLite, and again against PostgreSQL
whenever one answers at CREDCLI_TEST_PG_URL (each test in a schema of its own).
With CREDCLI_REQUIRE_PG=1 (CI), an unreachable PostgreSQL is an error, not a pass.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from credcli.cli.app import app

PG_URL = os.environ.get("CREDCLI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# CI (.ci/run) sets HYPOTHESIS_PROFILE=ci: the same examples on every run, so a landing
# is decided by the change, never by the draw. Everywhere else each run draws anew, which
# is how the property tests keep finding new inputs.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@cache
def pg_available() -> bool:
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(PG_URL)
        psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            dbname=url.database,
            password=url.password,
            connect_timeout=3,
        ).close()
        return True
    except Exception:  # any failure means: no PostgreSQL to test against here
        if os.environ.get("CREDCLI_REQUIRE_PG") == "1":
            raise
        return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"] + (["postgresql"] if pg_available() else [])
        metafunc.parametrize("backend", backends)


def pytest_report_header(config: pytest.Config) -> str:
    return f"credcli registry backends: sqlite{', postgresql' if pg_available() else ''}"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("CREDCLI_USER", "tester")
    monkeypatch.setenv("CREDCLI_BUSY_TIMEOUT", "5")
    for name in ("CREDCLI_DB", "CREDCLI_TODAY"):
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("CREDCLI_SMTP")]:
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def db(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty registry URL (or path), also exported as CREDCLI_DB."""
    if backend == "sqlite":
        url = str(tmp_path / "registry.db")
        monkeypatch.setenv("CREDCLI_DB", url)
        yield url
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("CREDCLI_DB", url)
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _pg_admin():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(PG_URL, poolclass=NullPool)


class Cli:
    """Runs credcli as a user would, asserting the exit code every time."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, code: int = 0, input: str | None = None, env: dict[str, str] | None = None
    ) -> Any:
        result = self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def ana(cli: Cli, db: str) -> str:
    """A registered applicant, Ana Diaz MD, NPI 1234567893."""
    cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "Ana",
        "--last",
        "Diaz",
        "--degree",
        "MD",
        "--specialty",
        "Internal Medicine",
        "--dob",
        "1980-02-03",
        "--email",
        "ana.diaz@example.org",
        "--received",
        "2026-11-02",
    )
    return "1234567893"
