"""Bring a registry to the schema this credcli was built for, on every open.

The common case (already current) costs one query and never imports Alembic.
A registry from an older credcli is upgraded in place; for SQLite a copy is saved
first. A registry from a newer credcli is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from credcli.db.engine import MISSING_HINT, Location
from credcli.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0005"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 7_340_222  # any constant, distinct from the audit chain's lock


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def ensure_current(engine: Engine, location: Location, *, create: bool = True) -> str | None:
    """Upgrade the registry if needed (and make it, when ``create``). Returns the revision
    it was at before (or None)."""
    with engine.connect() as conn:
        found = current_revision(conn)
        if found == HEAD:
            return found
        if found is None and inspect(conn).get_table_names():
            raise DatabaseError(
                f"{location.display} holds tables but is not a credcli registry; "
                "choose another --db"
            )
        if found is None and not create:
            raise DatabaseError(f"{location.display} holds no credcli registry; {MISSING_HINT}")
    if found is not None:
        _refuse_unknown(found, location)
        if location.sqlite_path is not None:
            _backup_sqlite(location.sqlite_path, found)
    upgrade(engine, HEAD)
    return found


def upgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.connect().execution_options(credcli_write=True) as conn:
        if conn.dialect.name == "postgresql":
            # Processes opening a new registry at once would each create the tables and
            # all but one fail; the others wait here, then find the schema current.
            # (SQLite gets the same from BEGIN IMMEDIATE on this write connection.)
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def script_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """Every revision this credcli ships, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _refuse_unknown(found: str, location: Location) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(_config()).get_revision(found)
    except CommandError:
        raise DatabaseError(
            f"{location.display} was written by a newer credcli (schema {found}; this "
            f"credcli knows up to {HEAD}); upgrade credcli before using this registry"
        ) from None


def _backup_sqlite(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    target = path.with_name(f"{path.name}.schema-{revision}-{stamp}.bak")
    target.touch(mode=0o600)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target
