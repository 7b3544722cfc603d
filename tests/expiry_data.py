"""Synthetic registry rows for the expire-check tests, written through the ORM (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credcli.db.models import (
    Credential,
    CredentialingFile,
    OutstandingItem,
    PayerEnrollment,
    Provider,
    Verification,
)
from credcli.domain.identifiers import npi_check_digit
from credcli.services import registry


def npi(n: int) -> str:
    nine = f"1{n:08d}"
    return nine + str(npi_check_digit(nine))


def provider(
    db: str,
    n: int,
    last: str,
    *,
    first: str = "Pat",
    degree: str | None = "MD",
    status: str = "active",
    email: str | None = None,
    **fields: Any,
) -> str:
    number = npi(n)
    with registry.session(db, write=True) as session:
        session.add(
            Provider(
                npi=number,
                first_name=first,
                last_name=last,
                degree=degree,
                status=status,
                email=email,
                **fields,
            )
        )
    return number


def _provider_id(session: Any, number: str) -> int:
    from sqlalchemy import select

    found = session.scalar(select(Provider.id).where(Provider.npi == number))
    assert found is not None
    return int(found)


def credential(db: str, who: str, kind: str, **fields: Any) -> int:
    with registry.session(db, write=True) as session:
        row = Credential(provider_id=_provider_id(session, who), kind=kind, **fields)
        session.add(row)
        session.flush()
        return int(row.id)


def open_file(db: str, number: str, received: dt.date, stage: str = "verification") -> int:
    with registry.session(db, write=True) as session:
        row = CredentialingFile(
            provider_id=_provider_id(session, number),
            cycle="recredential",
            received_on=received,
            stage=stage,
        )
        session.add(row)
        session.flush()
        return int(row.id)


def verification(
    db: str, number: str, element: str, verified_on: dt.date, result: str = "verified"
) -> None:
    with registry.session(db, write=True) as session:
        session.add(
            Verification(
                provider_id=_provider_id(session, number),
                element=element,
                method="web",
                verified_on=verified_on,
                verified_by="tester",
                result=result,
            )
        )


def item(db: str, file_id: int, description: str, due: dt.date, status: str = "open") -> int:
    with registry.session(db, write=True) as session:
        row = OutstandingItem(
            file_id=file_id,
            description=description,
            requested_on=due - dt.timedelta(days=14),
            due_on=due,
            status=status,
        )
        session.add(row)
        session.flush()
        return int(row.id)


def enrollment(
    db: str, number: str, payer: str, recred_due: dt.date, status: str = "effective"
) -> int:
    with registry.session(db, write=True) as session:
        row = PayerEnrollment(
            provider_id=_provider_id(session, number),
            payer=payer,
            status=status,
            submitted_on=recred_due - dt.timedelta(days=1000),
            recred_due_on=recred_due,
        )
        session.add(row)
        session.flush()
        return int(row.id)
