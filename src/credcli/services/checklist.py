"""The verification checklist of a provider on a date: what is required, what is current.

One service reused by ``verify status``, the committee agenda, expire-check and the
file audit, so every part of credcli judges a file the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, Provider, Verification
from credcli.domain import psv


@dataclass(frozen=True)
class ElementStatus:
    element: str
    state: psv.ElementState
    verified_on: dt.date | None
    result: str | None
    verification_id: int | None
    valid_until: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "state": self.state.value,
            "verified_on": self.verified_on,
            "result": self.result,
            "verification_id": self.verification_id,
            "valid_until": self.valid_until,
        }


@dataclass(frozen=True)
class Checklist:
    npi: str
    as_of: dt.date
    elements: list[ElementStatus]

    @property
    def verdict(self) -> psv.Verdict:
        return psv.verdict([e.state for e in self.elements])

    @property
    def findings(self) -> list[ElementStatus]:
        """Elements that keep a file from being clean."""
        return [e for e in self.elements if e.state is not psv.ElementState.current]


def for_provider(session: Session, provider: Provider, as_of: dt.date) -> Checklist:
    credentials = session.execute(
        select(Credential.kind, Credential.state, Credential.status).where(
            Credential.provider_id == provider.id
        )
    ).all()
    required = psv.required_elements([(k, s, st) for k, s, st in credentials])
    verifications = session.scalars(
        select(Verification)
        .where(Verification.provider_id == provider.id, Verification.verified_on <= as_of)
        .order_by(Verification.verified_on, Verification.id)
    ).all()
    latest: dict[str, Verification] = {}
    for verification in verifications:  # ordered, so the last one wins
        latest[verification.element] = verification
    statuses = []
    for element in required:
        found = latest.get(element)
        evidence = psv.Evidence(found.verified_on, found.result) if found else None
        statuses.append(
            ElementStatus(
                element=element,
                state=psv.element_state(element, evidence, as_of),
                verified_on=found.verified_on if found else None,
                result=found.result if found else None,
                verification_id=found.id if found else None,
                valid_until=psv.valid_until(element, found.verified_on, as_of) if found else None,
            )
        )
    return Checklist(provider.npi, as_of, statuses)
