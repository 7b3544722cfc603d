"""Open the registry for one command: resolve, create, migrate, hand out a session.

Database failures of every kind become a :class:`DatabaseError` (exit 3) here, so
no driver message or traceback reaches a coordinator.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from credcli.db import engine as db_engine
from credcli.db import migrate
from credcli.errors import DatabaseError, InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RegistryInfo:
    location: str
    backend: str
    schema: str
    created: bool
    upgraded_from: str | None


def open_engine(
    db: str | None, *, create: bool = True
) -> tuple[Engine, db_engine.Location, bool, str | None]:
    """``create=False`` for commands that only read: a mistyped --db or CREDCLI_DB must
    fail (exit 3), not answer "nothing expired" from a new, empty registry."""
    location = db_engine.resolve(db)
    created = False
    if location.sqlite_path is not None:
        if create:
            created = db_engine.create_private_file(location.sqlite_path)
        else:
            db_engine.require_registry_file(location.sqlite_path)
    engine = db_engine.make_engine(location)
    with translate_errors(location):
        before = migrate.ensure_current(engine, location, create=create)
    return engine, location, created, before


def init(db: str | None) -> RegistryInfo:
    engine, location, created, before = open_engine(db)
    return RegistryInfo(
        location=location.display,
        backend=engine.dialect.name,
        schema=migrate.HEAD,
        created=created,
        upgraded_from=before if before not in (None, migrate.HEAD) else None,
    )


@contextmanager
def session(db: str | None, *, write: bool = False) -> Iterator[Session]:
    """A session for one command; committed at the end when ``write`` is set."""
    from sqlalchemy.orm import Session

    from credcli.services import audit

    engine, location, _, _ = open_engine(db, create=write)
    bind = engine.execution_options(credcli_write=True) if write else engine
    with translate_errors(location), Session(bind, expire_on_commit=False) as s:
        audit.install(s)
        if write:
            # Take the writers' lock before touching any row, as BEGIN IMMEDIATE does on
            # SQLite: a writer that locked a row first and the chain second could
            # deadlock with one that flushed earlier and wants that row now.
            audit.lock_chain(s.connection())
        yield s
        if write:
            s.commit()
        else:
            s.rollback()


@contextmanager
def reading(db: str | None) -> Iterator[Connection]:
    """A Core connection for a command that only reads; rolled back at the end.

    Nothing is written, so no audit hook is needed, and neither the ORM nor the models
    are imported: a report over a large registry starts that much sooner.
    """
    engine, location, _, _ = open_engine(db, create=False)
    with translate_errors(location), engine.connect() as conn:
        yield conn


@contextmanager
def translate_errors(location: db_engine.Location) -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        raise DatabaseError(_driver_message(location, exc)) from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"registry {location.display}: {exc}") from None
    except OverflowError:
        # A number typed on the command line that no column can hold (an id or count
        # of twenty digits) reaches the driver only where a command did not bound it.
        raise InputError(
            "a number or date given is out of the range the registry can hold (ids and "
            "counts up to 2147483647, dates from 1900 to 2999)"
        ) from None
    except ValueError as exc:
        if not (isinstance(exc, UnreadableValue) or _raised_reading_a_row(exc)):
            raise
        raise DatabaseError(
            f"registry {location.display} holds a value credcli cannot read ({exc}): it was "
            "edited outside credcli; restore the last backup (README 'Backups')"
        ) from None


class UnreadableValue(ValueError):
    """A stored value that code reading raw driver rows could not convert (the same
    failure as SQLAlchemy's own conversion, reported the same way)."""


def _raised_reading_a_row(exc: ValueError) -> bool:
    """True when SQLAlchemy failed to convert a stored value (a date like 1980-02-30)."""
    tb = exc.__traceback__
    while tb is not None:
        if "sqlalchemy" in tb.tb_frame.f_code.co_filename.replace("\\", "/").split("/"):
            return True
        tb = tb.tb_next
    return False


def _driver_message(location: db_engine.Location, exc: DBAPIError) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            f"registry {location.display} is busy: another credcli process held it for "
            f"{db_engine.busy_timeout():g} s; try again when it has finished"
        )
    if "not a database" in lowered:
        hint = db_engine.spreadsheet_hint(location.sqlite_path) if location.sqlite_path else ""
        return f"{location.display} is not a credcli registry (not an SQLite database){hint}"
    if "unable to open" in lowered:
        return f"cannot open registry {location.display}: {detail}"
    if "connection" in lowered or "connect" in lowered:
        return f"cannot connect to {location.display}: {detail}"
    return f"registry {location.display}: {detail}"
