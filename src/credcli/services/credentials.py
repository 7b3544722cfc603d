"""Credentials: licenses, DEA and CDS registrations, boards, malpractice and the rest.

A credential's status is read as of a day: one recorded active (or expired) is expired
once its expiry date has passed and active up to it, so no stored status goes stale;
one recorded revoked, inactive or pending stays so whatever its dates say.

What is written follows the roster's rules (``intake roster``), so that ``report
roster`` never exports what its own import rejects: the parts a roster cannot record
a credential without, and one license (or CDS registration) per state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, Provider
from credcli.domain import dates, expiry, identifiers
from credcli.domain import roster_fields as rf
from credcli.domain.vocab import CREDENTIAL_KIND_LABELS, CredentialKind, CredentialStatus
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import files, providers, records

#: The keys of every row ``list_credentials`` returns, in order.
LIST_FIELDS = ("npi", "provider", *records.CREDENTIAL_FIELDS)


def status_column(as_of: dt.date) -> ColumnElement[str]:
    """``expiry.credential_status`` as an SQL expression, to filter and show in one query."""
    dated = Credential.status.in_(expiry.DATED_STATUSES)
    return case(
        (and_(dated, Credential.expires_on < as_of), CredentialStatus.expired.value),
        (and_(dated, Credential.expires_on >= as_of), CredentialStatus.active.value),
        else_=Credential.status,
    )


def record(
    credential: Credential, provider: Provider | None = None, *, as_of: dt.date
) -> dict[str, Any]:
    """The credential as listings show it, with its status on ``as_of``."""
    shown = records.credential_record(credential, provider)
    shown["status"] = expiry.credential_status(credential.status, credential.expires_on, as_of)
    return shown


def add(session: Session, npi: str, fields: dict[str, Any]) -> Credential:
    from credcli.services.validation import (  # pydantic: only when writing
        NewCredential,
        validate,
    )

    provider = providers.find(session, npi)
    data = validate(NewCredential, {k: v for k, v in fields.items() if v is not None})
    values = data.model_dump(exclude_none=True)
    values["kind"] = data.kind.value
    if data.status is not None:
        values["status"] = data.status.value
    _check(values)
    _refuse_duplicate(session, provider, values)
    credential = Credential(provider_id=provider.id, **values)
    session.add(credential)
    session.flush()
    return credential


def find(session: Session, credential_id: int) -> Credential:
    known = files.known_id(credential_id)
    credential = session.get(Credential, credential_id) if known else None
    if credential is None:
        raise NotFoundError(f"no credential with id {credential_id} in the registry")
    return credential


def update(session: Session, credential_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    from credcli.services.validation import (  # pydantic: only when writing
        CredentialFields,
        validate,
    )

    credential = find(session, credential_id)
    given = {k: v for k, v in fields.items() if v is not None}
    data = validate(CredentialFields, given).model_dump(include=set(given))
    merged = {name: getattr(credential, name) for name in records.CREDENTIAL_FIELDS}
    merged.update({k: (v.value if hasattr(v, "value") else v) for k, v in data.items()})
    _check(merged)
    if "status" in data:
        _status_agrees_with_dates(merged)
    if data.keys() & {"kind", "number", "state"}:
        _refuse_duplicate(session, credential.provider, merged, credential.id)
    changes: dict[str, Any] = {}
    for name in data:
        if getattr(credential, name) != merged[name]:
            changes[name] = (getattr(credential, name), merged[name])
            setattr(credential, name, merged[name])
    session.flush()
    return changes


def _status_agrees_with_dates(merged: dict[str, Any]) -> None:
    """Active and expired follow the expiry date (expiry.credential_status): setting one
    the date contradicts would be recorded, audited, and never shown."""
    status, expires = merged["status"], merged["expires_on"]
    if status not in expiry.DATED_STATUSES or expires is None:
        return
    shown = expiry.credential_status(status, expires, dates.today())
    if shown == status:
        return
    if status == CredentialStatus.expired.value:
        how = (
            f"it is good through {expires}; give --expires for an earlier end, or "
            "--status inactive or revoked for one that ended otherwise"
        )
    else:
        how = f"it expired on {expires}; give the renewal's --expires"
    raise FieldError("status", status, how)


def list_credentials(
    session: Session,
    *,
    npi: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Credentials by provider name; ``status`` is the status on ``as_of`` (default today)."""
    day = dates.today() if as_of is None else as_of
    status_now = status_column(day)
    query = (
        select(Credential, Provider, status_now)
        .join(Provider, Credential.provider_id == Provider.id)
        .order_by(Provider.last_name, Provider.first_name, Credential.kind, Credential.id)
    )
    if npi:
        query = query.where(Credential.provider_id == providers.find(session, npi).id)
    if kind:
        query = query.where(Credential.kind == kind)
    if status:
        query = query.where(status_now == status)
    rows = []
    for credential, provider, now in session.execute(query):
        row = records.credential_record(credential, provider)
        row["status"] = now
        rows.append(row)
    return rows


def _refuse_duplicate(
    session: Session, provider: Provider, values: dict[str, Any], own_id: int | None = None
) -> None:
    """One record per credential: the same kind, state and number twice is a typo or a retry.

    A license or CDS registration is kept one per state, as the roster keeps it (its
    rows hold one per state, and a second would make ``report roster`` write a row
    ``intake roster`` rejects): a renewal or a new number updates the one on record.
    """
    number = values.get("number")
    if values["kind"] in rf.SLOTTED_KINDS and values.get("state"):
        _refuse_second_in_state(session, provider, values, own_id)
    if not number:
        return
    query = select(Credential).where(
        Credential.provider_id == provider.id,
        Credential.kind == values["kind"],
        func.upper(Credential.number) == number.upper(),
    )
    if values.get("state"):
        query = query.where(Credential.state == values["state"])
    else:
        query = query.where(Credential.state.is_(None))
    if own_id is not None:
        query = query.where(Credential.id != own_id)
    same = session.scalars(query.order_by(Credential.id).limit(1)).first()
    if same is not None:
        where = f" {same.state}" if same.state else ""
        raise ConflictError(
            f"NPI {provider.npi} already has {same.kind}{where} {same.number} "
            f"(credential #{same.id}); change it with 'credcli credential update {same.id}'"
        )


def _refuse_second_in_state(
    session: Session, provider: Provider, values: dict[str, Any], own_id: int | None
) -> None:
    query = select(Credential).where(
        Credential.provider_id == provider.id,
        Credential.kind == values["kind"],
        Credential.state == values["state"],
    )
    if own_id is not None:
        query = query.where(Credential.id != own_id)
    held = session.scalars(query.order_by(Credential.id).limit(1)).first()
    if held is None:
        return
    number = values.get("number")
    if number and held.number and held.number.upper() == number.upper():
        return  # the same credential twice: refused as a duplicate, in those words
    label = CREDENTIAL_KIND_LABELS[CredentialKind(held.kind)]
    which = f" {held.number}" if held.number else ""
    raise ConflictError(
        f"NPI {provider.npi} already has a {label} in {held.state}{which} (credential "
        f"#{held.id}), and credcli keeps one per state, as a roster does; record a renewal "
        f"or a new number on it with 'credcli credential update {held.id}'"
    )


def _check(values: dict[str, Any]) -> None:
    from credcli.services.roster_rows import REQUIRED, STORED_AS  # the roster's own rules

    kind = CredentialKind(values["kind"])
    # What a roster row cannot record this kind without (a board's name, a license's
    # state and number, ...): without it 'report roster' would export a row that
    # 'intake roster' rejects.
    for parts, what in REQUIRED.get(kind.value, []):
        stored = [STORED_AS[kind.value][part] for part in parts]
        if not any(values.get(name) for name in stored):
            options = " or ".join(f"--{name}" for name in stored)
            label = CREDENTIAL_KIND_LABELS[kind]
            raise FieldError(stored[0], "", f"a {label} needs {what} ({options})")
    if kind is CredentialKind.dea and values.get("number"):
        dea = identifiers.normalize_dea(values["number"])
        problem = identifiers.dea_problem(dea)
        if problem:
            raise FieldError("number", values["number"], problem)
        values["number"] = dea
    issued, expires = values.get("issued_on"), values.get("expires_on")
    today = dates.today()
    if issued and issued > today:
        raise FieldError(
            "issued",
            issued.isoformat(),
            f"is in the future (today is {today.isoformat()}); give the day it was issued",
        )
    if issued and expires and expires < issued:
        raise FieldError(
            "expires", expires.isoformat(), f"is before the issue date {issued.isoformat()}"
        )
