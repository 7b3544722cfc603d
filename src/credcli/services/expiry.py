"""What expires, what is due and what is overdue: the rows of ``credcli expire-check``.

Built for a registry of 100,000 providers: each source is one set-based Core query
that filters by date in the database and selects only the columns shown, and rows
are plain dicts. No ORM objects are loaded.

Rows are plain data: ``band``, ``days_left``, ``due``, ``npi``, ``provider``, ``kind``,
``item`` and ``ref`` (what the row is about: ``credential:12``, ``recredential``,
``payer:3``, ``verification:license:CA``, ``item:7``; with ``due`` it identifies a notice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.orm import Session

from credcli.db.models import (
    Credential,
    CredentialingFile,
    OutstandingItem,
    PayerEnrollment,
    Provider,
    Verification,
)
from credcli.domain import dates, expiry, identifiers, psv
from credcli.domain.expiry import CheckKind
from credcli.domain.vocab import CREDENTIAL_KIND_LABELS, ProviderStatus
from credcli.errors import FieldError, InputError, NotFoundError

Row = dict[str, Any]

_MMAP_BYTES = 256 * 1024 * 1024
_DEAD_CREDENTIALS = ("inactive", "revoked")
_AGING_RESULTS = ("verified", "discrepancy")  # not-found/unable are queue work, not age
_LABELS = {kind.value: label for kind, label in CREDENTIAL_KIND_LABELS.items()}


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
    if within > 3660:
        raise InputError(f"--within {within}: at most 3660 days (10 years)")
    if as_of is None or as_of == "":
        day = dates.today()
    elif isinstance(as_of, dt.date):
        day = as_of
    else:
        try:
            day = dates.parse_date(as_of)
        except dates.DateProblem as exc:
            raise FieldError("--as-of", as_of, str(exc)) from None
    chosen = frozenset(kinds) or frozenset(kind.value for kind in CheckKind)
    if npi is not None:
        npi = identifiers.normalize_npi(npi)
        problem = identifiers.npi_problem(npi)
        if problem:
            raise FieldError("npi", npi, problem)
    return Query(day, within, chosen, npi, include_applicants)


def check(session: Session, query: Query) -> list[Row]:
    """Every row due within the window, most urgent first."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        # Reading a large registry through the OS page cache without copying each page.
        conn.exec_driver_sql(f"PRAGMA mmap_size={_MMAP_BYTES}")
    if query.npi is not None:
        _require_provider(conn, query.npi)
    rows: list[Row] = []
    credential_kinds = [k for k in expiry.CREDENTIAL_KINDS if k in query.kinds]
    if credential_kinds:
        rows += _credentials(conn, query, credential_kinds)
    if CheckKind.recredential in query.kinds:
        rows += _recredentialing(conn, query)
    if CheckKind.payer in query.kinds:
        rows += _payers(conn, query)
    if CheckKind.verification in query.kinds:
        rows += _verifications(conn, query)
    if CheckKind.item in query.kinds:
        rows += _items(conn, query)
    rows.sort(key=_order)
    return rows


def _order(row: Row) -> str:
    """Most urgent first, then by provider; one string compares twice as fast as a tuple."""
    return (
        f"{row['days_left'] + 1_000_000:07d}{row['provider']}\0{row['npi']}"
        f"{row['kind']}\0{row['item']}"
    )


def _fetch(conn: Connection, statement: Any) -> Sequence[Any]:
    """All rows at once: one driver call, not one per row."""
    return conn.execute(statement).all()


def _require_provider(conn: Connection, npi: str) -> None:
    found = conn.execute(select(Provider.id).where(Provider.npi == npi)).first()
    if found is None:
        raise NotFoundError(f"no provider with NPI {npi} in the registry")


def _provider_filter(query: Query) -> list[Any]:
    conditions: list[Any] = [Provider.status.in_(query.statuses)]
    if query.npi is not None:
        conditions.append(Provider.npi == query.npi)
    return conditions


_WHO = (Provider.npi, Provider.last_name, Provider.first_name, Provider.degree)


def _name(last: str, first: str, degree: str | None) -> str:
    return f"{last}, {first} {degree}" if degree else f"{last}, {first}"


def _row(
    as_of: dt.date,
    due: dt.date,
    npi: str,
    provider: str,
    kind: str,
    item: str,
    ref: str,
) -> Row:
    days_left = (due - as_of).days
    return {
        "band": _band(days_left),
        "days_left": days_left,
        "due": due.isoformat(),
        "npi": npi,
        "provider": provider,
        "kind": kind,
        "item": item,
        "ref": ref,
    }


_band = expiry.band


def _credentials(conn: Connection, query: Query, kinds: list[str]) -> list[Row]:
    as_of, limit = query.as_of, query.limit
    columns = (
        Credential.id,
        Credential.kind,
        Credential.number,
        Credential.state,
        Credential.issuer,
        Credential.detail,
        Credential.issued_on,
        Credential.expires_on,
        *_WHO,
    )
    base = (
        select(*columns)
        .join(Provider, Provider.id == Credential.provider_id)
        .where(Credential.status.not_in(_DEAD_CREDENTIALS), *_provider_filter(query))
    )
    if len(kinds) < len(expiry.CREDENTIAL_KINDS):
        base = base.where(Credential.kind.in_(kinds))
    results = [_fetch(conn, base.where(Credential.expires_on <= limit))]
    # Privileges and CAQH attestations also end by rule, counted from the grant or the
    # attestation date, whatever expiry was recorded (or none).
    by_rule = []
    if CheckKind.privileges in kinds:
        granted_by = expiry.latest_start(limit, expiry.PRIVILEGES_MONTHS)
        by_rule.append(
            and_(Credential.kind == CheckKind.privileges.value, Credential.issued_on <= granted_by)
        )
    if CheckKind.attestation in kinds:
        attested_by = limit - dt.timedelta(days=expiry.CAQH_ATTESTATION_DAYS)
        by_rule.append(
            and_(
                Credential.kind == CheckKind.attestation.value, Credential.issued_on <= attested_by
            )
        )
    if by_rule:
        results.append(
            _fetch(
                conn,
                base.where(
                    or_(*by_rule),
                    or_(Credential.expires_on.is_(None), Credential.expires_on > limit),
                ),
            )
        )
    rows = []
    labels = _LABELS
    for result in results:
        for cid, kind, number, state, issuer, detail, issued, expires, npi, ln, fn, deg in result:
            if kind == "privileges":
                due = expiry.privileges_end(issued, expires)
            elif kind == "attestation":
                due = expiry.attestation_due(issued, expires)
            else:
                due = expires
            if due is None or due > limit:
                continue
            what = " ".join(
                [p for p in (labels.get(kind, kind), state, issuer, detail, number) if p]
            )
            days_left = (due - as_of).days
            rows.append(
                {
                    "band": _band(days_left),
                    "days_left": days_left,
                    "due": due.isoformat(),
                    "npi": npi,
                    "provider": f"{ln}, {fn} {deg}" if deg else f"{ln}, {fn}",
                    "kind": kind,
                    "item": what,
                    "ref": f"credential:{cid}",
                }
            )
    return rows


def _recredentialing(conn: Connection, query: Query) -> list[Row]:
    as_of, limit = query.as_of, query.limit
    approved = func.coalesce(Provider.last_cred_date, Provider.initial_cred_date)
    started_by = expiry.latest_start(limit, expiry.RECRED_CYCLE_MONTHS)
    result = _fetch(
        conn,
        select(*_WHO, approved, Provider.next_recred_due).where(
            *_provider_filter(query),
            or_(
                Provider.next_recred_due <= limit,
                and_(Provider.next_recred_due.is_(None), approved <= started_by),
            ),
        ),
    )
    rows = []
    for npi, ln, fn, deg, last_approval, next_due in result:
        due = expiry.recred_due(_as_date(last_approval), next_due)
        if due is None or due > limit:
            continue
        item = expiry.recred_item(due, as_of)
        rows.append(_row(as_of, due, npi, _name(ln, fn, deg), "recredential", item, "recredential"))
    return rows


def _payers(conn: Connection, query: Query) -> list[Row]:
    as_of = query.as_of
    result = _fetch(
        conn,
        select(PayerEnrollment.id, PayerEnrollment.payer, PayerEnrollment.recred_due_on, *_WHO)
        .join(Provider, Provider.id == PayerEnrollment.provider_id)
        .where(
            PayerEnrollment.recred_due_on <= query.limit,
            PayerEnrollment.status != "denied",
            *_provider_filter(query),
        ),
    )
    return [
        _row(
            as_of,
            due,
            npi,
            _name(ln, fn, deg),
            "payer",
            f"payer recredentialing: {payer}",
            f"payer:{eid}",
        )
        for eid, payer, due, npi, ln, fn, deg in result
    ]


def _items(conn: Connection, query: Query) -> list[Row]:
    as_of = query.as_of
    result = _fetch(
        conn,
        select(
            OutstandingItem.id,
            OutstandingItem.description,
            OutstandingItem.due_on,
            OutstandingItem.file_id,
            *_WHO,
        )
        .join(CredentialingFile, CredentialingFile.id == OutstandingItem.file_id)
        .join(Provider, Provider.id == CredentialingFile.provider_id)
        .where(
            OutstandingItem.status == "open",
            OutstandingItem.due_on < as_of,
            *_provider_filter(query),
        ),
    )
    return [
        _row(
            as_of,
            due,
            npi,
            _name(ln, fn, deg),
            "item",
            f"outstanding item: {description} (file #{file_id})",
            f"item:{iid}",
        )
        for iid, description, due, file_id, npi, ln, fn, deg in result
    ]


def _verifications(conn: Connection, query: Query) -> list[Row]:
    """Required elements of open files whose latest verification ages out within the window.

    The same judgement as the checklist (psv.required_elements, psv.valid_until), made for
    every provider with an open file at once. Elements never verified, or whose source
    could not confirm them, are queue work rather than expiry and are left out.
    """
    as_of, limit = query.as_of, query.limit
    open_files = (
        select(CredentialingFile.provider_id)
        .join(Provider, Provider.id == CredentialingFile.provider_id)
        .where(CredentialingFile.stage != "decided", *_provider_filter(query))
        .distinct()
        .scalar_subquery()
    )
    who = {
        pid: (npi, _name(ln, fn, deg))
        for pid, npi, ln, fn, deg in _fetch(
            conn, select(Provider.id, *_WHO).where(Provider.id.in_(open_files))
        )
    }
    if not who:
        return []
    held: dict[int, list[tuple[str, str | None, str]]] = {}
    for pid, kind, state, status in _fetch(
        conn,
        select(Credential.provider_id, Credential.kind, Credential.state, Credential.status).where(
            Credential.provider_id.in_(open_files)
        ),
    ):
        held.setdefault(pid, []).append((kind, state, status))
    latest: dict[int, dict[str, tuple[dt.date, str]]] = {}
    for pid, element, verified_on, result in _fetch(
        conn,
        select(
            Verification.provider_id,
            Verification.element,
            Verification.verified_on,
            Verification.result,
        )
        .where(Verification.provider_id.in_(open_files), Verification.verified_on <= as_of)
        .order_by(Verification.provider_id, Verification.verified_on, Verification.id),
    ):
        latest.setdefault(pid, {})[element] = (verified_on, result)  # ordered: last one wins
    rows = []
    for pid, (npi, name) in who.items():
        found = latest.get(pid)
        if not found:
            continue
        for element in psv.required_elements(held.get(pid, [])):
            evidence = found.get(element)
            if evidence is None or evidence[1] not in _AGING_RESULTS:
                continue
            verified_on = evidence[0]
            until = psv.valid_until(element, verified_on, as_of)
            if until > limit:
                continue
            verb = "too old for a decision" if until < as_of else "ages out for a decision"
            rows.append(
                _row(
                    as_of,
                    until,
                    npi,
                    name,
                    "verification",
                    f"verification of {element} ({verified_on.isoformat()}) {verb}",
                    f"verification:{element}",
                )
            )
    return rows


def _as_date(value: Any) -> dt.date | None:
    """COALESCE loses the column type on SQLite, so the date may come back as text."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
