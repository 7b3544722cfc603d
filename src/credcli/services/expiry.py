"""What expires, what is due and what is overdue: the rows of ``credcli expire-check``.

Built for a registry of 100,000 providers: each source (``expiry_sources``,
``expiry_verifications``) is a set-based query that filters by date in the database,
and rows are plain dicts. Threads were tried and do not help: sqlite3 hands the GIL
back and forth for every row, so two sources fetching at once take longer in total.

Rows are plain data: ``band``, ``days_left``, ``due``, ``npi``, ``provider``, ``kind``,
``item`` and ``ref`` (what the row is about: ``credential:12``, ``recredential``,
``payer:3``, ``verification:license:CA``, ``item:7``; with ``due`` it identifies a notice).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from credcli.domain import dates, expiry, identifiers
from credcli.domain.expiry import CheckKind
from credcli.domain.vocab import ProviderStatus
from credcli.errors import FieldError, InputError, NotFoundError
from credcli.services import registry
from credcli.services.expiry_rows import Query, Row, Source
from credcli.services.expiry_sources import credentials, items, payers, recredentialing
from credcli.services.expiry_verifications import verifications

__all__ = ["Query", "Row", "check", "make_query"]

_MMAP_BYTES = 256 * 1024 * 1024


def make_query(
    *,
    as_of: str | dt.date | None = None,
    within: int = expiry.DEFAULT_WITHIN,
    kinds: Collection[str] = (),
    npi: str | None = None,
    include_applicants: bool = False,
) -> Query:
    if within < 0:
        raise InputError(f"--within {within}: give a number of days, 0 or more")
    if within > expiry.MAX_WITHIN:
        raise InputError(f"--within {within}: at most {expiry.MAX_WITHIN} days (10 years)")
    if as_of is None:
        day = dates.today()
    elif isinstance(as_of, dt.date):
        day = as_of
    else:
        try:
            day = dates.parse_date(as_of)
        except dates.DateProblem as exc:
            raise FieldError("--as-of", as_of, str(exc)) from None
    if not expiry.EARLIEST_AS_OF <= day <= expiry.LATEST_AS_OF:
        raise FieldError(
            "--as-of" if as_of else "today (CREDCLI_TODAY)",
            day.isoformat(),
            f"is out of range; give a date from {expiry.EARLIEST_AS_OF.isoformat()} "
            f"to {expiry.LATEST_AS_OF.isoformat()}",
        )
    chosen = frozenset(kinds) or frozenset(kind.value for kind in CheckKind)
    if npi is not None:
        npi = identifiers.normalize_npi(npi)
        problem = identifiers.npi_problem(npi)
        if problem:
            raise FieldError("npi", npi, problem)
    return Query(day, within, chosen, npi, include_applicants)


def check(db: str | None, query: Query) -> list[Row]:
    """Every row due within the window, most urgent first."""
    with registry.reading(db) as conn:
        if conn.dialect.name == "sqlite":
            # Reading a large registry through the OS page cache without copying each page.
            conn.exec_driver_sql(f"PRAGMA mmap_size={_MMAP_BYTES}")
        if query.npi is not None:
            _require_provider(conn, query)
        with _collector_paused():
            rows = [row for source in _sources(query) for row in source(conn, query)]
            rows.sort(key=_order)
    return rows


def _sources(query: Query) -> list[Source]:
    chosen: list[Source] = []
    if any(kind in query.kinds for kind in expiry.CREDENTIAL_KINDS):
        chosen.append(credentials)
    if CheckKind.recredential in query.kinds:
        chosen.append(recredentialing)
    if CheckKind.payer in query.kinds:
        chosen.append(payers)
    if CheckKind.verification in query.kinds:
        chosen.append(verifications)
    if CheckKind.item in query.kinds:
        chosen.append(items)
    return chosen


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A large registry makes hundreds of thousands of rows, none of them part of a cycle;
    the cyclic collector would walk all of them again and again for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _order(row: Row) -> str:
    """Most urgent first, then by provider; one string compares twice as fast as a tuple.

    Shifted days left always have seven digits, without a (slower) format spec: a row is
    due at most 3,660 days ahead and at most 3,652,058 days back (year 1 seen from 9999).
    """
    return (
        f"{row['days_left'] + 5_000_000}{row['provider']}\0{row['npi']}{row['kind']}\0{row['item']}"
    )


def _require_provider(conn: Connection, query: Query) -> None:
    """The provider asked about must exist and be one expire-check checks: an empty
    answer for a terminated provider or an applicant would read as "nothing due"."""
    npi = query.npi
    found = conn.execute(text("SELECT status FROM providers WHERE npi = :npi"), {"npi": npi})
    status = found.scalar()
    if status is None:
        raise NotFoundError(f"no provider with NPI {npi} in the registry")
    if status in query.statuses:
        return
    if status == ProviderStatus.applicant:
        raise InputError(f"NPI {npi} is an applicant; add --include-applicants to check applicants")
    raise InputError(
        f"NPI {npi} is {status}; expire-check checks active providers (and applicants "
        "with --include-applicants) only"
    )
