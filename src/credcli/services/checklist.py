"""The verification checklist of a provider on a date: what is required, what is current.

One service reused by ``verify status``, the committee agenda, expire-check and the
file audit, so every part of credcli judges a file the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, Provider, Verification
from credcli.domain import psv

_CHUNK = 500


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
    return for_many(session, [(provider.id, provider.npi, as_of)])[0]


def for_many(session: Session, requests: Sequence[tuple[int, str, dt.date]]) -> list[Checklist]:
    """Checklists for many (provider id, NPI, day) in a few queries (the file audit's case)."""
    ids = sorted({provider_id for provider_id, _, _ in requests})
    credentials: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
    verified: dict[int, list[_Found]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for pid, kind, state, status in session.execute(
            select(
                Credential.provider_id, Credential.kind, Credential.state, Credential.status
            ).where(Credential.provider_id.in_(chunk))
        ):
            credentials[pid].append((kind, state, status))
        for pid, element, verified_on, result, vid in session.execute(
            select(
                Verification.provider_id,
                Verification.element,
                Verification.verified_on,
                Verification.result,
                Verification.id,
            )
            .where(Verification.provider_id.in_(chunk))
            .order_by(Verification.verified_on, Verification.id)
        ):
            verified[pid].append(_Found(element, verified_on, result, vid))
    return [
        _assemble(npi, credentials[provider_id], verified[provider_id], as_of)
        for provider_id, npi, as_of in requests
    ]


@dataclass(frozen=True)
class _Found:
    element: str
    verified_on: dt.date
    result: str
    id: int


def _assemble(
    npi: str,
    credentials: list[tuple[str, str | None, str]],
    verifications: list[_Found],  # ordered by date, then id
    as_of: dt.date,
) -> Checklist:
    required = psv.required_elements(credentials)
    latest: dict[str, _Found] = {}
    for verification in verifications:  # ordered, so the last one on or before as_of wins
        if verification.verified_on <= as_of:
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
                valid_until=psv.valid_until(element, found.verified_on) if found else None,
            )
        )
    return Checklist(npi, as_of, statuses)
