"""Migrations: from a blank database, from the first revision with data, and refusals."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from credcli.db import migrate
from credcli.db.engine import resolve
from credcli.db.models import Base


def test_head_constant_matches_the_migration_scripts() -> None:
    assert migrate.script_head() == migrate.HEAD


def test_blank_database_is_migrated_to_head(cli, db) -> None:
    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.HEAD
        tables = set(conn.dialect.get_table_names(conn))
    engine.dispose()
    assert set(Base.metadata.tables) <= tables


def test_migrations_create_exactly_what_the_models_declare(cli, db) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    cli("init")
    engine = create_engine(resolve(db).url, poolclass=NullPool)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _database_at_first_revision(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO providers (npi, first_name, last_name, status, created_at, updated_at)"
                " VALUES ('1558598797', 'Ben', 'Okafor', 'active', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO credentialing_files (provider_id, cycle, received_on, stage,"
                " created_at, updated_at) VALUES (1, 'initial', '2026-01-05', 'intake',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()


def test_registry_from_first_revision_is_upgraded_with_data_kept(cli, db) -> None:
    _database_at_first_revision(resolve(db).url)
    result = cli("init")
    assert "upgraded from schema 0001" in result.stderr
    shown = cli("provider", "show", "1558598797", "--format", "json")
    assert '"last_name": "Okafor"' in shown.stdout
    assert '"received_on": "2026-01-05"' in shown.stdout


def test_sqlite_upgrade_saves_a_copy_first(cli, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at_first_revision(f"sqlite:///{path}")
    cli("init", "--db", str(path))
    copies = list(tmp_path.glob("old.db.schema-0001-*.bak"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT npi FROM providers").fetchall() == [("1558598797",)]


def test_registry_from_a_newer_credcli_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    cli("init", "--db", str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = cli("provider", "list", "--db", str(path), code=3)
    assert result.stderr == (
        f"error: {path} was written by a newer credcli (schema 9999; this credcli knows up "
        f"to {migrate.HEAD}); upgrade credcli before using this registry\n"
    )
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


@pytest.mark.parametrize("revision", ["0001", "0002", "0004"])
def test_every_revision_downgrades_cleanly(tmp_path: Path, revision: str) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{tmp_path / 'd.db'}", poolclass=NullPool)
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        config = migrate._config()
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        conn.commit()
        assert migrate.current_revision(conn) == revision
    engine.dispose()


def test_an_upgrade_that_fails_leaves_the_registry_as_it_was(cli, db) -> None:
    # All revisions run in one transaction: a second process never sees a half-upgraded
    # registry (it once raced one on SQLite: "table list_loads already exists"), and a
    # failure part-way leaves the revision it started from. Here the last revision fails.
    url = resolve(db).url
    _database_at_first_revision(url)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notices (id INTEGER PRIMARY KEY)"))
    cli("provider", "list", code=3)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == "0001"
        tables = set(conn.dialect.get_table_names(conn))
        assert conn.execute(text("SELECT npi FROM providers")).all() == [("1558598797",)]
    engine.dispose()
    assert "list_loads" not in tables  # made by 0004, before the failing 0005
