"""The verification checklist of a provider on a date: what is required, what is current.

One service reused by ``verify status``, the committee agenda, expire-check and the
file audit, so every part of credcli judges a file the same way. The file audit judges
a decided file by the credentials the provider held when it was decided
(``decided_at``), never by ones added since.
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
from credcli.domain import file_audit, psv

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


def for_many(
    session: Session,
    requests: Sequence[tuple[int, str, dt.date]],
    *,
    decided_at: Sequence[dt.datetime | None] | None = None,
) -> list[Checklist]:
    """Checklists for many (provider id, NPI, day) in a few queries (the file audit's case).

    With ``decided_at`` (one per request: when the decision dated on the request's day
    was recorded, None if unknown), only the credentials the provider held on that day
    are required (``domain.file_audit.held_at_decision``).
    """
    if decided_at is not None and len(decided_at) != len(requests):
        raise ValueError("decided_at needs one moment (or None) per request")
    ids = sorted({provider_id for provider_id, _, _ in requests})
    credentials: dict[int, list[_Held]] = defaultdict(list)
    verified: dict[int, list[_Found]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for pid, kind, state, status, issued_on, created_at in session.execute(
            select(
                Credential.provider_id,
                Credential.kind,
                Credential.state,
                Credential.status,
                Credential.issued_on,
                Credential.created_at,
            ).where(Credential.provider_id.in_(chunk))
        ):
            credentials[pid].append(_Held(kind, state, status, issued_on, created_at))
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
    moments = [None] * len(requests) if decided_at is None else decided_at
    return [
        _assemble(
            npi,
            [
                (held.kind, held.state, held.status)
                for held in credentials[provider_id]
                if decided_at is None or held.held_on(as_of, moment)
            ],
            verified[provider_id],
            as_of,
        )
        for (provider_id, npi, as_of), moment in zip(requests, moments, strict=True)
    ]


@dataclass(frozen=True)
class _Held:
    kind: str
    state: str | None
    status: str
    issued_on: dt.date | None
    created_at: dt.datetime | None

    def held_on(self, day: dt.date, decided_at: dt.datetime | None) -> bool:
        return file_audit.held_at_decision(
            self.issued_on, self.created_at, decided_on=day, decided_at=decided_at
        )


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
