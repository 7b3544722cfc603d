"""Look after the registry itself: online backups and a health check.

Neither use case migrates the registry it opens: a backup must be a copy of the
registry as it is, and a check reports an out-of-date schema instead of fixing it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.exc import DBAPIError

from credcli.db import engine as db_engine
from credcli.db import migrate
from credcli.db.models import Base
from credcli.errors import DatabaseError, EnvironmentProblem, InputError
from credcli.io import private
from credcli.services import registry

PG_BACKUP_HINT = (
    "back up a PostgreSQL registry with pg_dump -Fc (restore with pg_restore); "
    "see the README section 'Backups'"
)


@dataclass(frozen=True)
class Backup:
    source: str
    target: Path
    schema: str | None
    size: int


@dataclass
class Check:
    """One thing looked at: ``ok`` False means a problem a coordinator must act on."""

    name: str
    ok: bool
    detail: str


@dataclass
class Health:
    registry: str
    backend: str
    schema: str | None
    expected_schema: str
    checks: list[Check] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


def backup(db: str | None, target: Path, *, force: bool = False) -> Backup:
    """Copy a SQLite registry to ``target`` with SQLite's online backup, while others write.

    The copy is taken in one read transaction, so it is the registry as of one
    moment even when another credcli process commits meanwhile; writers are not
    blocked (WAL). It is written to a private temporary file and renamed into
    place, so ``target`` is never a half-written copy.
    """
    location = db_engine.resolve(db)
    if location.sqlite_path is None:
        raise InputError(
            f"{location.display} is a server database; credcli db backup copies SQLite "
            f"registries only: {PG_BACKUP_HINT}"
        )
    source_path = _existing_registry(location)
    target = target.expanduser().absolute()
    _check_target(target, source_path, force=force)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    private.create_new(partial)
    try:
        schema = _copy(source_path, partial, location)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return Backup(location.display, target, schema, target.stat().st_size)


def _existing_registry(location: db_engine.Location) -> Path:
    path = location.sqlite_path
    assert path is not None
    if not path.is_file():
        raise DatabaseError(f"no registry at {path} (create one with 'credcli init')")
    return path


def _check_target(target: Path, source: Path, *, force: bool) -> None:
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name for the backup")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {target}: folder {target.parent} does not exist")
    if target.exists():
        if target.resolve() == source.resolve():
            raise InputError(f"{target} is the registry itself; choose another file")
        if not force:
            raise InputError(f"{target} already exists; give --force to replace it")


def _copy(source: Path, target: Path, location: db_engine.Location) -> str | None:
    timeout = db_engine.busy_timeout()
    try:
        src = sqlite3.connect(source, timeout=timeout)
        try:
            schema = _sqlite_revision(src, location)
            dest = sqlite3.connect(target)
            try:
                src.backup(dest)  # all pages in one step: one consistent snapshot
                # A backup is one self-contained file, not a WAL database with side files.
                dest.execute("PRAGMA journal_mode=DELETE")
                verdict = dest.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot back up {location.display}: {exc}") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {target}: {exc.strerror}") from None
    if verdict != "ok":
        raise DatabaseError(
            f"the copy of {location.display} failed its check ({verdict}); "
            "run 'credcli db check' on the registry"
        )
    return schema


def _sqlite_revision(conn: sqlite3.Connection, location: db_engine.Location) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise DatabaseError(f"{location.display} is not a credcli registry") from None
        raise
    return row[0] if row else None


def check(db: str | None) -> Health:
    """Integrity, foreign keys, schema version, file permissions and row counts."""
    location = db_engine.resolve(db)
    if location.sqlite_path is not None:
        _existing_registry(location)
    engine = db_engine.make_engine(location, wal=False)
    try:
        with registry.translate_errors(location), engine.connect() as conn:
            found = migrate.current_revision(conn)
            if found is None:
                raise DatabaseError(f"{location.display} is not a credcli registry")
            health = Health(location.display, engine.dialect.name, found, migrate.HEAD)
            health.checks.append(_schema_check(found))
            if location.sqlite_path is not None:
                health.checks.extend(_sqlite_checks(conn, location.sqlite_path))
            health.tables, missing = _counts(conn)
            # Another schema's tables differ by design; the schema check already says so.
            if found == migrate.HEAD:
                health.checks.append(_tables_check(len(health.tables), missing))
    finally:
        engine.dispose()
    return health


def _tables_check(present: int, missing: list[str]) -> Check:
    if missing:
        return Check("tables", False, "missing: " + ", ".join(missing))
    return Check("tables", True, f"{present} tables present")


def _schema_check(found: str) -> Check:
    if found == migrate.HEAD:
        return Check("schema", True, f"{found}, as this credcli expects")
    known = migrate.known_revisions()
    if found in known and known.index(found) < known.index(migrate.HEAD):
        return Check(
            "schema", False, f"{found} is older than {migrate.HEAD}; run 'credcli init' to upgrade"
        )
    return Check(
        "schema", False, f"{found} is not known to this credcli ({migrate.HEAD}); upgrade credcli"
    )


def _sqlite_checks(conn: Connection, path: Path) -> list[Check]:
    return [_integrity(conn), _foreign_keys(conn), _permissions(path)]


def _pragma(conn: Connection, sql: str) -> list[Any] | str:
    """The rows of a checking PRAGMA, or the error text when damage stops it."""
    try:
        return list(conn.exec_driver_sql(sql).fetchall())
    except DBAPIError as exc:
        return str(exc.orig).strip() if exc.orig else type(exc).__name__


def _integrity(conn: Connection) -> Check:
    found = _pragma(conn, "PRAGMA integrity_check")
    messages = [found] if isinstance(found, str) else [row[0] for row in found]
    if messages == ["ok"]:
        return Check("integrity", True, "ok")
    shown = "; ".join(messages[:5])
    if len(messages) > 5:
        shown += f" (and {len(messages) - 5} more)"
    return Check("integrity", False, f"{shown}; restore the last backup (README 'Backups')")


def _foreign_keys(conn: Connection) -> Check:
    found = _pragma(conn, "PRAGMA foreign_key_check")
    if isinstance(found, str):
        return Check("foreign keys", False, f"cannot be checked: {found}")
    if not found:
        return Check("foreign keys", True, "every reference points to a stored row")
    by_table: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in found:
        by_table[(table, parent)] = by_table.get((table, parent), 0) + 1
    detail = "; ".join(
        f"{count} {table} row{'s' if count > 1 else ''} point to missing {parent}"
        for (table, parent), count in sorted(by_table.items())
    )
    return Check("foreign keys", False, detail)


def _permissions(path: Path) -> Check:
    loose = []
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            loose.append(f"{file.name} is {mode:04o}")
    if loose:
        return Check(
            "permissions",
            False,
            "; ".join(loose) + f" (others can read it): chmod 600 {path}*",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    return Check("permissions", True, f"readable by the owner only ({mode:04o})")


def _counts(conn: Connection) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows per table, and what the schema lacks: tables, and columns of present tables
    (dropped or renamed outside credcli, which the version stamp cannot show)."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    counts, missing = [], []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            missing.append(table.name)
            continue
        stored = {column["name"] for column in inspector.get_columns(table.name)}
        missing.extend(f"{table.name}.{c.name}" for c in table.columns if c.name not in stored)
        try:
            rows: int | None = conn.execute(select(func.count()).select_from(table)).scalar_one()
        except DBAPIError:
            rows = None  # damaged: the integrity check names the damage
        counts.append({"table": table.name, "rows": rows})
    return sorted(counts, key=lambda row: row["table"]), missing
