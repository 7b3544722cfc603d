"""Open a registry: resolve ``--db``, create SQLite files privately, tune the connection.

SQLite is opened in WAL mode with foreign keys on and a busy timeout, and writing
sessions begin with ``BEGIN IMMEDIATE`` so that a cron job and a person never meet
"database is locked": one waits for the other instead of failing mid-transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from credcli.errors import DatabaseError

DEFAULT_BUSY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Location:
    url: str
    sqlite_path: Path | None  # None for server databases

    @property
    def display(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return make_url(self.url).render_as_string(hide_password=True)


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("credcli", appauthor=False)) / "registry.db"


def resolve(db: str | None) -> Location:
    """Turn ``--db`` / ``CREDCLI_DB`` (a file path or a SQLAlchemy URL) into a Location."""
    raw = (db or os.environ.get("CREDCLI_DB") or "").strip()
    if not raw:
        path = default_path()
        return Location(f"sqlite:///{path}", path)
    if "://" not in raw:
        path = Path(raw).expanduser().resolve()
        return Location(f"sqlite:///{path}", path)
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw[len(prefix) :]
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseError(f"--db '{raw}' is neither a file path nor a database URL") from None
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:":
            raise DatabaseError("an in-memory SQLite database cannot hold a registry")
        path = Path(database).expanduser().resolve()
        return Location(f"sqlite:///{path}", path)
    return Location(raw, None)


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")


def spreadsheet_hint(path: Path) -> str:
    """What to say when --db or CREDCLI_DB names a roster rather than a registry."""
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return ""
    return (
        f"; {path.name} is a spreadsheet: import it with 'credcli intake roster {path}' "
        "and give --db (or CREDCLI_DB) the registry file"
    )


MISSING_HINT = "check --db (or CREDCLI_DB), or create one with 'credcli init'"


def require_registry_file(path: Path) -> None:
    """For a command that only reads: the registry must already exist."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a registry file")
    if not path.exists() or path.stat().st_size == 0:
        raise DatabaseError(f"no registry at {path}; {MISSING_HINT}")


def create_private_file(path: Path) -> bool:
    """Create the SQLite file with mode 0600 before SQLite does; True if it was new."""
    empty = False
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a registry file")
        # An empty file (made by touch, or an empty export) becomes a registry as a new
        # one would: refused under a spreadsheet's name, and private before a row lands.
        empty = path.stat().st_size == 0
        if not empty:
            return False
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise DatabaseError(
            f"will not create registry {path}: {path.suffix} names a spreadsheet, not a "
            "registry; give --db (or CREDCLI_DB) a file such as registry.db"
        )
    if empty:
        try:
            path.chmod(0o600)
        except OSError as exc:
            raise DatabaseError(f"cannot make registry {path} private: {exc.strerror}") from None
        return True
    parent = path.parent
    if not parent.exists():
        if parent == default_path().parent:
            parent.mkdir(parents=True, mode=0o700)
        else:
            raise DatabaseError(f"cannot create registry {path}: folder {parent} does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot create registry {path}: {exc.strerror}") from None
    os.close(fd)
    return True


def busy_timeout() -> float:
    """Seconds a writer waits for another process (``CREDCLI_BUSY_TIMEOUT``); a value
    that is not a number of seconds is refused rather than quietly replaced."""
    raw = os.environ.get("CREDCLI_BUSY_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400 or seconds != seconds:
        raise DatabaseError(
            f"CREDCLI_BUSY_TIMEOUT '{raw}' is not a number of seconds from 0 to 86400; "
            "set it to one (such as 60) or unset it"
        )
    return seconds


def make_engine(location: Location, *, wal: bool = True) -> Engine:
    """An engine for the registry; ``wal=False`` leaves a SQLite file's journal mode alone
    (``db check`` looks at a registry, a restored backup included, without changing it)."""
    if location.sqlite_path is not None:
        return _sqlite_engine(location.url, wal=wal)
    try:
        engine = create_engine(location.url, poolclass=NullPool)
    except ModuleNotFoundError as exc:
        raise DatabaseError(
            f"the driver for {location.display} is not installed ({exc.name}); "
            "for PostgreSQL: pip install 'credcli[pg]'"
        ) from None
    except ArgumentError as exc:
        raise DatabaseError(f"cannot use database URL {location.display}: {exc}") from None
    return engine


def _sqlite_engine(url: str, *, wal: bool = True) -> Engine:
    timeout = busy_timeout()
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN is ours to choose.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("credcli_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine
