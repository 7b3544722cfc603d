"""Private data: --redact, 0600 files, no SSN column, no birth date in any message."""

import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from credcli.db.engine import resolve
from credcli.db.models import Base
from credcli.domain import privacy

SRC = Path(__file__).parents[1] / "src" / "credcli"
DOB = "1980-02-03"  # Ana Diaz's date of birth in the ``ana`` fixture


def _contact(cli, npi: str) -> None:
    cli(
        "provider",
        "update",
        npi,
        "--phone",
        "555-010-0199",
        "--address",
        "1 Main St",
        "--city",
        "Springfield",
        "--state",
        "IL",
        "--zip",
        "62701",
    )


# the redaction


def test_redact_replaces_personal_values_and_keeps_every_key() -> None:
    row = {
        "npi": "1234567893",
        "dob": "1980-02-03",
        "email": "a@example.org",
        "phone": None,
        "address": "",
        "city": "Springfield",
        "zip_code": "62701",
        "state": "IL",
    }
    assert privacy.redact([row]) == [
        {
            "npi": "1234567893",
            "dob": "REDACTED",
            "email": "REDACTED",
            "phone": None,
            "address": "",
            "city": "REDACTED",
            "zip_code": "REDACTED",
            "state": "IL",
        }
    ]
    assert row["dob"] == "1980-02-03"  # the caller's rows are not changed


def test_redact_reaches_nested_rows() -> None:
    record = {"npi": "1", "contacts": [{"email": "a@example.org", "kind": "office"}], "tags": ["x"]}
    assert privacy.redact_record(record) == {
        "npi": "1",
        "contacts": [{"email": "REDACTED", "kind": "office"}],
        "tags": ["x"],
    }


def test_provider_show_json_redacted(cli, db, ana) -> None:
    _contact(cli, ana)
    plain = json.loads(cli("provider", "show", ana, "-f", "json").stdout)
    hidden = json.loads(cli("provider", "show", ana, "-f", "json", "--redact").stdout)
    assert list(hidden) == list(plain)
    changed = {key: hidden[key] for key in hidden if hidden[key] != plain[key]}
    assert changed == {
        "dob": "REDACTED",
        "email": "REDACTED",
        "phone": "REDACTED",
        "address": "REDACTED",
        "city": "REDACTED",
        "zip_code": "REDACTED",
    }
    assert hidden["state"] == "IL"


def test_provider_show_csv_and_table_redacted(cli, db, ana) -> None:
    _contact(cli, ana)
    for fmt in ("csv", "table"):
        out = cli("provider", "show", ana, "-f", fmt, "--redact").stdout
        assert DOB not in out
        assert "ana.diaz@example.org" not in out
        assert "555-010-0199" not in out
        assert "Springfield" not in out
        assert "REDACTED" in out
    rows = cli("provider", "show", ana, "-f", "csv", "--redact").stdout.splitlines()
    assert "record,,dob,REDACTED" in rows
    assert "record,,zip_code,REDACTED" in rows


def test_unredacted_show_still_shows_the_birth_date(cli, db, ana) -> None:
    assert json.loads(cli("provider", "show", ana, "-f", "json").stdout)["dob"] == DOB


def test_listings_accept_redact_and_keep_their_layout(cli, db, ana, tmp_path: Path) -> None:
    cli("credential", "add", ana, "--kind", "board", "--issuer", "ABIM")
    for command in (("provider", "list"), ("credential", "list")):
        plain = cli(*command, "-f", "csv").stdout
        assert cli(*command, "-f", "csv", "--redact").stdout == plain  # nothing personal shown
        book = tmp_path / f"{command[0]}.xlsx"
        cli(*command, "--xlsx", str(book), "--redact", "-f", "json")
        assert stat.S_IMODE(os.stat(book).st_mode) == 0o600
        header = [c.value for c in next(openpyxl.load_workbook(book).active.iter_rows())]
        assert header[0] in ("NPI", "ID")


def test_redacted_xlsx_keeps_columns_and_hides_values(tmp_path: Path) -> None:
    from credcli.cli import output

    path = tmp_path / "people.xlsx"
    rows = [{"npi": "1234567893", "dob": "1980-02-03", "email": "a@example.org"}]
    columns = [("npi", "NPI"), ("dob", "DOB"), ("email", "Email")]
    output.write_xlsx(path, {"People": (rows, columns)}, redact=True)
    sheet = openpyxl.load_workbook(path)["People"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["NPI", "DOB", "Email"],
        ["1234567893", "REDACTED", "REDACTED"],
    ]


# files are private


def test_export_over_an_existing_readable_file_becomes_0600(cli, db, ana, tmp_path) -> None:
    book = tmp_path / "providers.xlsx"
    book.write_text("old")
    os.chmod(book, 0o644)
    cli("provider", "list", "--xlsx", str(book))
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o600


def test_sqlite_side_files_are_0600_like_the_registry(cli, tmp_path: Path) -> None:
    path = tmp_path / "registry.db"
    cli("init", "--db", str(path))
    reader = sqlite3.connect(path)  # an open reader keeps -wal and -shm in place
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM providers").fetchone()
        cli(
            "intake",
            "new",
            "--npi",
            "1234567893",
            "--first",
            "Ana",
            "--last",
            "Diaz",
            "--db",
            str(path),
        )
        modes = {
            suffix: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
            for suffix in ("", "-wal", "-shm")
        }
    finally:
        reader.close()
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}


# no SSN anywhere

_SSN = re.compile(r"ssn|social|security_n", re.IGNORECASE)


def test_no_model_column_can_hold_an_ssn() -> None:
    names = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns]
    assert len(names) > 50
    assert [name for name in names if _SSN.search(name)] == []


def test_no_migrated_table_has_an_ssn_column(cli, db) -> None:
    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.connect() as conn:
        inspector = inspect(conn)
        columns = [
            f"{table}.{column['name']}"
            for table in inspector.get_table_names()
            for column in inspector.get_columns(table)
        ]
    engine.dispose()
    assert "providers.dob" in columns
    assert [name for name in columns if _SSN.search(name)] == []


def test_an_ssn_given_to_intake_is_refused_not_stored(cli, db) -> None:
    result = cli(
        "intake",
        "new",
        "--npi",
        "1234567893",
        "--first",
        "Ana",
        "--last",
        "Diaz",
        "--ssn",
        "123-45-6789",
        code=2,
    )
    assert "123-45-6789" not in result.stdout + result.stderr
    assert "No such option: --ssn" in result.stderr


# no birth date in any message

FAILING_WITH_A_DOB = [
    ("intake", "new", "--npi", "1234567893", "--first", "Ana", "--last", "Diaz", "--dob", DOB),
    (
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--dob",
        "1980-02-30",
    ),
    (
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--dob",
        "2099-02-03",
    ),
    (
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--dob",
        "1880-02-03",
    ),
    (
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--dob",
        DOB,
        "--email",
        "not-an-email",
    ),
    ("intake", "new", "--npi", "1234567898", "--first", "Ben", "--last", "Okafor", "--dob", DOB),
    ("provider", "update", "1234567893", "--dob", "03/02/19800"),
    ("provider", "update", "1558598797", "--dob", DOB),
    ("provider", "update", "1234567893", "--dob", DOB, "--zip", "ABCDE"),
]


@pytest.mark.parametrize("args", FAILING_WITH_A_DOB, ids=lambda a: " ".join(a[:2] + a[-2:]))
def test_no_error_prints_a_birth_date(cli, db, ana, args) -> None:
    result = cli(*args, code=2)
    given = args[args.index("--dob") + 1]
    shown = result.stdout + result.stderr
    assert result.stderr.startswith("error: ")
    assert given not in shown
    assert DOB not in shown


def test_success_messages_do_not_print_a_birth_date(cli, db, ana) -> None:
    result = cli("provider", "update", ana, "--dob", "1981-04-05")
    assert result.stderr == f"NPI {ana}: date of birth changed\n"
    created = cli(
        "intake",
        "new",
        "--npi",
        "1558598797",
        "--first",
        "Ben",
        "--last",
        "Okafor",
        "--dob",
        "1975-06-07",
    )
    assert "1975" not in created.stdout + created.stderr


def test_no_message_in_the_source_interpolates_a_birth_date() -> None:
    """Grep: no f-string in credcli formats a value named dob or birth into a message."""
    pattern = re.compile(r"""f["'].*\{[^{}]*\b(dob|birth\w*)\b[^{}]*\}""")
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


# an export never overwrites the registry


def test_xlsx_onto_a_registry_is_refused_and_the_registry_survives(
    cli, tmp_path: Path, monkeypatch
) -> None:
    registry = tmp_path / "registry.xlsx"  # a registry misnamed before names were checked
    registry.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    monkeypatch.setenv("CREDCLI_DB", str(tmp_path / "r.db"))
    result = cli("provider", "list", "--xlsx", str(registry), code=2)
    assert result.stderr.endswith(
        f"Invalid value for '--xlsx': '{registry}' is a database, not a workbook; credcli "
        "will not overwrite it\n"
    )
    assert registry.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.parametrize("name", ["export.db", "providers.csv", "providers"])
def test_xlsx_needs_a_workbook_name(cli, db, ana, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    result = cli("provider", "list", "--xlsx", str(target), code=2)
    assert result.stderr.endswith(
        f"Invalid value for '--xlsx': '{target}' does not end in .xlsx; name the workbook "
        "FILE.xlsx\n"
    )
    assert not target.exists()


def test_xlsx_onto_the_registry_in_use_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    registry = tmp_path / "registry.db"
    monkeypatch.setenv("CREDCLI_DB", str(registry))
    cli("intake", "new", "--npi", "1234567893", "--first", "Ana", "--last", "Diaz")
    cli("provider", "list", "--xlsx", str(registry), code=2)
    assert [row["npi"] for row in json.loads(cli("provider", "list", "-f", "json").stdout)] == [
        "1234567893"
    ]


def test_xlsx_into_a_missing_folder_fails_before_any_output(cli, db, ana, tmp_path) -> None:
    target = tmp_path / "nope" / "metrics.xlsx"
    result = cli("report", "metrics", "--xlsx", str(target), code=2)
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"Invalid value for '--xlsx': cannot write '{target}': folder '{target.parent}' "
        "does not exist\n"
    )
