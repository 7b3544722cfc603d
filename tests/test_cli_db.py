"""``credcli db backup`` and ``credcli db check``."""

import json
import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from credcli.db import migrate
from credcli.db.engine import resolve


def _npis(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT npi FROM providers ORDER BY npi")]


def _check(cli, *args: str, code: int = 0) -> dict:
    return json.loads(cli("db", "check", "--format", "json", *args, code=code).stdout)


def _problems(report: dict) -> dict[str, str]:
    return {c["check"]: c["detail"] for c in report["checks"] if c["result"] == "PROBLEM"}


# backup


def test_backup_writes_a_private_checked_copy(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
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
        str(registry),
    )
    target = tmp_path / "copy.db"
    result = cli("db", "backup", str(target), "--db", str(registry))
    assert result.stdout == ""
    assert result.stderr.startswith(f"backed up {registry} (schema {migrate.HEAD}) to {target}: ")
    assert result.stderr.endswith(" kB, checked ok\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert _npis(target) == ["1234567893"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".copy")) == []


def test_backup_is_a_usable_registry(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
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
        str(registry),
    )
    cli("db", "backup", str(tmp_path / "copy.db"), "--db", str(registry))
    shown = json.loads(
        cli("provider", "list", "--format", "json", "--db", str(tmp_path / "copy.db")).stdout
    )
    assert [row["last_name"] for row in shown] == ["Diaz"]


def test_backup_refuses_to_overwrite_without_force(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    target = tmp_path / "copy.db"
    target.write_text("last week's copy")
    result = cli("db", "backup", str(target), "--db", str(registry), code=2)
    assert result.stderr == f"error: {target} already exists; give --force to replace it\n"
    assert target.read_text() == "last week's copy"


def test_backup_with_force_replaces_the_file_privately(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    target = tmp_path / "copy.db"
    target.write_text("last week's copy")
    os.chmod(target, 0o644)
    cli("db", "backup", str(target), "--force", "--db", str(registry))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert _npis(target) == []


def test_backup_onto_the_registry_itself_is_refused(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    result = cli("db", "backup", str(registry), "--force", "--db", str(registry), code=2)
    assert result.stderr == f"error: {registry} is the registry itself; choose another file\n"


def test_backup_into_a_missing_folder_is_an_input_error(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    target = tmp_path / "nope" / "copy.db"
    result = cli("db", "backup", str(target), "--db", str(registry), code=2)
    assert result.stderr == f"error: cannot write {target}: folder {target.parent} does not exist\n"


def test_backup_of_a_missing_registry_creates_nothing(cli, tmp_path: Path) -> None:
    registry = tmp_path / "absent.db"
    result = cli("db", "backup", str(tmp_path / "copy.db"), "--db", str(registry), code=3)
    assert result.stderr == f"error: no registry at {registry} (create one with 'credcli init')\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_backup_of_a_foreign_sqlite_file_is_refused(cli, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = cli("db", "backup", str(tmp_path / "copy.db"), "--db", str(other), code=3)
    assert result.stderr == f"error: {other} is not a credcli registry\n"
    assert not (tmp_path / "copy.db").exists()


def test_backup_of_a_postgresql_registry_points_to_pg_dump(cli, tmp_path: Path) -> None:
    url = "postgresql+psycopg://credcli@127.0.0.1:1/credentialing"
    result = cli("db", "backup", str(tmp_path / "copy.db"), "--db", url, code=2)
    assert result.stderr == (
        "error: postgresql+psycopg://credcli@127.0.0.1:1/credentialing is a server database; "
        "credcli db backup copies SQLite registries only: back up a PostgreSQL registry with "
        "pg_dump -Fc (restore with pg_restore); see the README section 'Backups'\n"
    )
    assert not (tmp_path / "copy.db").exists()


# check


def test_check_of_a_healthy_registry_exits_0_with_counts(cli, db, ana) -> None:
    report = _check(cli)
    assert report["schema"] == report["expected_schema"] == migrate.HEAD
    assert report["problems"] == 0
    counts = {row["table"]: row["rows"] for row in report["tables"]}
    assert counts["providers"] == 1
    assert counts["credentialing_files"] == 1
    assert counts["credentials"] == 0
    assert counts["audit_log"] == 3
    names = [c["check"] for c in report["checks"]]
    if report["backend"] == "sqlite":
        assert names == ["schema", "integrity", "foreign keys", "permissions", "tables"]
    else:
        assert names == ["schema", "tables"]


def test_check_table_output_names_every_check(cli, db, ana) -> None:
    result = cli("db", "check")
    assert "schema" in result.stdout
    assert f"{migrate.HEAD}, as this credcli expects" in result.stdout
    assert "providers" in result.stdout
    assert result.stderr == ""


def test_check_reports_an_older_schema_and_exits_1(cli, db) -> None:
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    migrate.upgrade(engine, "0001")
    engine.dispose()
    if resolve(db).sqlite_path is not None:
        os.chmod(resolve(db).sqlite_path, 0o600)
    report = _check(cli, code=1)
    assert _problems(report) == {
        "schema": f"0001 is older than {migrate.HEAD}; run 'credcli init' to upgrade"
    }
    assert report["schema"] == "0001"
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0001"  # check never upgrades
    engine.dispose()


def test_check_reports_an_unknown_schema(cli, db) -> None:
    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = cli("db", "check", "--format", "json", code=1)
    assert _problems(json.loads(result.stdout)) == {
        "schema": f"9999 is not known to this credcli ({migrate.HEAD}); upgrade credcli"
    }
    assert result.stderr.startswith("error: 1 problem found in ")


def test_check_reports_a_missing_table(cli, db) -> None:
    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE payer_enrollments"))
    engine.dispose()
    assert _problems(_check(cli, code=1)) == {"tables": "missing: payer_enrollments"}


def test_check_reports_broken_references(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    with sqlite3.connect(registry) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(
            "INSERT INTO credentials (provider_id, kind, status, created_at, updated_at)"
            " VALUES (42, 'board', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    report = _check(cli, "--db", str(registry), code=1)
    assert _problems(report) == {"foreign keys": "1 credentials row point to missing providers"}


def test_check_reports_a_damaged_file(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    with sqlite3.connect(registry) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_providers_last_name'"
        ).fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(registry, "r+b") as raw:
        raw.seek((root - 1) * page)
        raw.write(b"\xff" * 64)
    report = _check(cli, "--db", str(registry), code=1)
    assert _problems(report)["integrity"].endswith("; restore the last backup (README 'Backups')")


def test_check_reports_a_registry_others_can_read(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    os.chmod(registry, 0o644)
    report = _check(cli, "--db", str(registry), code=1)
    assert _problems(report)["permissions"].startswith("registry.db is 0644")
    os.chmod(registry, 0o400)  # read-only for the owner: private, and said as it is
    report = _check(cli, "--db", str(registry))
    detail = {c["check"]: c["detail"] for c in report["checks"]}["permissions"]
    assert detail == "readable by the owner only (0400)"
    os.chmod(registry, 0o600)


def test_check_of_a_missing_registry_creates_nothing(cli, tmp_path: Path) -> None:
    registry = tmp_path / "absent.db"
    result = cli("db", "check", "--db", str(registry), code=3)
    assert result.stderr == f"error: no registry at {registry} (create one with 'credcli init')\n"
    assert not registry.exists()


def test_check_of_a_restored_backup_leaves_its_journal_mode_alone(cli, tmp_path: Path) -> None:
    registry = tmp_path / "registry.db"
    cli("init", "--db", str(registry))
    restored = tmp_path / "restored.db"
    cli("db", "backup", str(restored), "--db", str(registry))
    _check(cli, "--db", str(restored))
    with sqlite3.connect(restored) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("restored")) == [
        "restored.db"
    ]


def test_check_reports_a_dropped_column(cli, db) -> None:
    # The version stamp still says current; every command reading providers would fail.
    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE providers DROP COLUMN notes"))
    engine.dispose()
    assert _problems(_check(cli, code=1)) == {"tables": "missing: providers.notes"}
