"""The pieces every source of ``credcli expire-check`` rows shares.

Sources read through plain SQL text on Core connections: no ORM classes and no
per-column type conversion, since a large registry yields a hundred thousand rows.
Dates therefore come back as the driver gives them (ISO text from SQLite, dates from
PostgreSQL); :class:`Dates` turns each distinct value into what a row shows, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Date, TextClause, bindparam, text

from credcli.domain import expiry
from credcli.domain.expiry import CheckKind
from credcli.domain.vocab import ProviderStatus
from credcli.services.registry import UnreadableValue

Row = dict[str, Any]
Due = tuple[str, int, str]  # ISO date, days left, band

# The display name of the provider aliased ``p``, as ``Last, First Degree``.
PROVIDER_NAME = "p.last_name || ', ' || p.first_name || COALESCE(' ' || NULLIF(p.degree, ''), '')"


@dataclass(frozen=True)
class Query:
    as_of: dt.date
    within: int = expiry.DEFAULT_WITHIN
    kinds: frozenset[str] = frozenset(kind.value for kind in CheckKind)
    npi: str | None = None
    include_applicants: bool = False

    @property
    def limit(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.within)

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.include_applicants:
            return (ProviderStatus.active.value, ProviderStatus.applicant.value)
        return (ProviderStatus.active.value,)


class Dates:
    """Dates as the driver returns them, each parsed and placed relative to ``as_of`` once.

    A registry of 100,000 providers has a few thousand distinct due dates, so a row
    costs one dictionary look-up instead of parsing and subtracting dates.
    """

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._days: dict[Any, dt.date] = {}
        self._dues: dict[Any, Due] = {}

    def day(self, value: Any) -> dt.date:
        found = self._days.get(value)
        if found is None:
            try:
                found = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            except (TypeError, ValueError) as exc:
                raise UnreadableValue(f"{value!r}: {exc}") from None
            self._days[value] = found
        return found

    def due(self, value: Any) -> Due:
        found = self._dues.get(value)
        if found is None:
            day = self.day(value)
            days_left = (day - self.as_of).days
            found = self._dues[value] = (day.isoformat(), days_left, expiry.band(days_left))
        return found


def row(due: Due, npi: str, provider: str, kind: str, item: str, ref: str) -> Row:
    iso, days_left, band = due
    return {
        "band": band,
        "days_left": days_left,
        "due": iso,
        "npi": npi,
        "provider": provider,
        "kind": kind,
        "item": item,
        "ref": ref,
    }


def provider_filter(query: Query) -> tuple[str, dict[str, Any]]:
    """SQL conditions on the provider aliased ``p``, and their parameters."""
    if query.npi is None:
        return "p.status IN :statuses", {"statuses": query.statuses}
    return "p.status IN :statuses AND p.npi = :npi", {"statuses": query.statuses, "npi": query.npi}


def fetch(conn: Connection, sql: str, values: dict[str, Any]) -> Sequence[Any]:
    """All rows of ``sql`` at once; ``:name`` parameters, dates bound as dates."""
    return conn.execute(_statement(sql, values), values).all()


def _statement(sql: str, values: dict[str, Any]) -> TextClause:
    binds = []
    for name, value in values.items():
        if isinstance(value, dt.date):
            binds.append(bindparam(name, type_=Date))
        elif isinstance(value, tuple):
            binds.append(bindparam(name, expanding=True))
    return text(sql).bindparams(*binds)


Source = Callable[[Connection, Query], list[Row]]
