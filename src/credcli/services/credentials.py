"""Credentials: licenses, DEA and CDS registrations, boards, malpractice and the rest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, Provider
from credcli.domain import dates, identifiers
from credcli.domain.vocab import CredentialKind
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import files, providers, records

#: The keys of every row ``list_credentials`` returns, in order.
LIST_FIELDS = ("npi", "provider", *records.CREDENTIAL_FIELDS)

_NEEDS_STATE = {CredentialKind.license, CredentialKind.cds}
_NEEDS_NUMBER = {CredentialKind.license, CredentialKind.dea, CredentialKind.cds}


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
    if data.keys() & {"kind", "number", "state"}:
        _refuse_duplicate(session, credential.provider, merged, credential.id)
    changes: dict[str, Any] = {}
    for name in data:
        if getattr(credential, name) != merged[name]:
            changes[name] = (getattr(credential, name), merged[name])
            setattr(credential, name, merged[name])
    session.flush()
    return changes


def list_credentials(
    session: Session,
    *,
    npi: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(Credential, Provider)
        .join(Provider, Credential.provider_id == Provider.id)
        .order_by(Provider.last_name, Provider.first_name, Credential.kind, Credential.id)
    )
    if npi:
        query = query.where(Credential.provider_id == providers.find(session, npi).id)
    if kind:
        query = query.where(Credential.kind == kind)
    if status:
        query = query.where(Credential.status == status)
    return [records.credential_record(c, p) for c, p in session.execute(query)]


def _refuse_duplicate(
    session: Session, provider: Provider, values: dict[str, Any], own_id: int | None = None
) -> None:
    """One record per credential: the same kind, state and number twice is a typo or a retry."""
    number = values.get("number")
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


def _check(values: dict[str, Any]) -> None:
    kind = CredentialKind(values["kind"])
    if kind in _NEEDS_STATE and not values.get("state"):
        raise FieldError("state", "", f"a {kind.value} needs the issuing state")
    if kind in _NEEDS_NUMBER and not values.get("number"):
        raise FieldError("number", "", f"a {kind.value} needs its number")
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
