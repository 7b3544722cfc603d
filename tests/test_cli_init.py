import os
import sqlite3
import stat
from pathlib import Path

import pytest

from credcli.db import migrate
from credcli.db.engine import resolve


def test_init_creates_a_private_sqlite_registry(cli, tmp_path: Path) -> None:
    path = tmp_path / "reg.db"
    result = cli("init", "--db", str(path))
    assert result.stderr == f"registry {path} created (sqlite, schema {migrate.HEAD})\n"
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_init_on_an_existing_registry_says_ready(cli, tmp_path: Path) -> None:
    path = tmp_path / "reg.db"
    cli("init", "--db", str(path))
    result = cli("init", "--db", str(path))
    assert result.stderr == f"registry {path} ready (sqlite, schema {migrate.HEAD})\n"


def test_registry_uses_wal_journal(cli, tmp_path: Path) -> None:
    path = tmp_path / "reg.db"
    cli("init", "--db", str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_registry_lives_in_the_user_data_folder(cli, tmp_path: Path) -> None:
    result = cli("init")
    expected = tmp_path / "home" / "data" / "credcli" / "registry.db"
    assert str(expected) in result.stderr
    assert expected.exists()
    assert stat.S_IMODE(os.stat(expected.parent).st_mode) == 0o700


def test_credcli_db_environment_variable_chooses_the_registry(cli, tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("CREDCLI_DB", str(path))
    cli("init")
    assert path.exists()


def test_sqlite_url_form_is_accepted(cli, tmp_path: Path) -> None:
    path = tmp_path / "url.db"
    cli("init", "--db", f"sqlite:///{path}")
    assert path.exists()


def test_missing_folder_is_an_environment_error(cli, tmp_path: Path) -> None:
    result = cli("init", "--db", str(tmp_path / "nope" / "reg.db"), code=3)
    assert result.stderr == (
        f"error: cannot create registry {tmp_path / 'nope' / 'reg.db'}: folder "
        f"{tmp_path / 'nope'} does not exist\n"
    )


def test_a_file_that_is_not_a_database_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database\n" * 100)
    result = cli("provider", "list", "--db", str(path), code=3)
    assert result.stderr == (f"error: {path} is not a credcli registry (not an SQLite database)\n")
    assert path.read_text().startswith("these are my notes")


def test_another_applications_database_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    result = cli("provider", "list", "--db", str(path), code=3)
    assert "holds tables but is not a credcli registry" in result.stderr


def test_unknown_url_scheme_is_refused(cli) -> None:
    result = cli("provider", "list", "--db", "mysql+nosuchdriver://x@localhost/db", code=3)
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_a_url_with_a_port_that_is_not_a_number_is_refused(cli) -> None:
    result = cli("provider", "list", "--db", "postgresql://u@h:notaport/x", code=3)
    assert result.stderr == (
        "error: --db 'postgresql+psycopg://u@h:notaport/x' is neither a file path nor a "
        "database URL\n"
    )


def test_unreachable_postgresql_is_an_environment_error(cli) -> None:
    result = cli(
        "provider",
        "list",
        "--db",
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
        code=3,
    )
    assert result.stderr.startswith("error: cannot connect to postgresql+psycopg://nobody@")


def test_locked_registry_gives_exit_3_and_keeps_data(cli, tmp_path, monkeypatch) -> None:
    db = str(tmp_path / "locked.db")
    monkeypatch.setenv("CREDCLI_DB", db)
    ana = "1234567893"
    cli("intake", "new", "--npi", ana, "--first", "Ana", "--last", "Diaz")
    monkeypatch.setenv("CREDCLI_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("provider", "update", ana, "--phone", "555-010-0199", "--db", db, code=3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.stderr == (
        f"error: registry {db} is busy: another credcli process held it for 0.2 s; "
        "try again when it has finished\n"
    )
    shown = cli("provider", "show", ana, "--format", "json")
    assert '"phone": null' in shown.stdout


def test_version_option(cli) -> None:
    from credcli import __version__

    assert cli("--version").stdout == f"credcli {__version__}\n"


def test_credcli_db_naming_an_existing_roster_says_it_is_a_spreadsheet(
    cli, tmp_path: Path, monkeypatch
) -> None:
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    before = roster.read_bytes()
    monkeypatch.setenv("CREDCLI_DB", str(roster))
    result = cli("provider", "list", code=3)
    assert result.stderr == (
        f"error: {roster} is not a credcli registry (not an SQLite database); roster.xlsx is "
        f"a spreadsheet: import it with 'credcli intake roster {roster}' and give --db (or "
        "CREDCLI_DB) the registry file\n"
    )
    assert roster.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "roster.xlsx"]


def test_no_registry_is_created_under_a_spreadsheet_name(cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    result = cli("init", "--db", str(path), code=3)
    assert result.stderr == (
        f"error: will not create registry {path}: .xlsx names a spreadsheet, not a registry; "
        "give --db (or CREDCLI_DB) a file such as registry.db\n"
    )
    assert not path.exists()


def test_an_empty_file_becomes_a_registry_only_as_a_new_one_would(cli, tmp_path: Path) -> None:
    touched = tmp_path / "reg.db"
    touched.touch(mode=0o644)
    os.chmod(touched, 0o644)  # whatever the umask
    result = cli("init", "--db", str(touched))
    assert result.stderr == f"registry {touched} created (sqlite, schema {migrate.HEAD})\n"
    assert stat.S_IMODE(os.stat(touched).st_mode) == 0o600
    empty_csv = tmp_path / "export.csv"
    empty_csv.touch()
    result = cli("init", "--db", str(empty_csv), code=3)
    assert result.stderr == (
        f"error: will not create registry {empty_csv}: .csv names a spreadsheet, not a "
        "registry; give --db (or CREDCLI_DB) a file such as registry.db\n"
    )
    assert empty_csv.read_bytes() == b""


def test_commands_that_only_read_never_make_a_registry(cli, tmp_path: Path) -> None:
    # A mistyped CREDCLI_DB in cron must fail, not report "nothing expired" from a new file.
    typo = tmp_path / "registy.db"
    for args in (
        ["expire-check"],
        ["queue"],
        ["provider", "list"],
        ["report", "audit"],
        ["audit-log", "verify"],
    ):
        result = cli(*args, "--db", str(typo), code=3)
        assert result.stderr == (
            f"error: no registry at {typo}; check --db (or CREDCLI_DB), or create one with "
            "'credcli init'\n"
        )
    assert not typo.exists()
    cli("intake", "new", "--db", str(typo), "--npi", "1234567893", "--first", "A", "--last", "B")
    assert cli("provider", "list", "--db", str(typo), "--format", "csv").stdout.count("\n") == 2


def test_a_database_without_a_registry_is_not_made_one_by_a_reader(cli, db, backend) -> None:
    result = cli("expire-check", code=3)
    if backend == "sqlite":
        assert result.stderr.startswith("error: no registry at ")
    else:
        assert result.stderr == (
            f"error: {resolve(db).display} holds no credcli registry; check --db (or "
            "CREDCLI_DB), or create one with 'credcli init'\n"
        )
    cli("init")
    assert cli("expire-check").stderr.startswith("nothing expired or due")


@pytest.mark.parametrize("value", ["abc", "-1", "nan"])
def test_a_busy_timeout_that_is_not_seconds_is_refused(cli, tmp_path, monkeypatch, value) -> None:
    monkeypatch.setenv("CREDCLI_BUSY_TIMEOUT", value)  # SQLite's wait for another writer
    assert cli("init", "--db", str(tmp_path / "r.db"), code=3).stderr == (
        f"error: CREDCLI_BUSY_TIMEOUT '{value}' is not a number of seconds from 0 to 86400; "
        "set it to one (such as 60) or unset it\n"
    )
