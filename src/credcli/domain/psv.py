"""Primary-source verification: which elements a file needs and when a verification is too old.

NCQA 2025: a verification may be at most 120 days old on the decision date (180
days for decisions before 1 July 2025); the attestation/application at most 180
days. A verification dated after the day asked about does not count yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from credcli.domain.places import US_STATES

PSV_LIMIT_DAYS = 120
PSV_LIMIT_DAYS_BEFORE_2025_07 = 180
PSV_LIMIT_CHANGE = dt.date(2025, 7, 1)
ATTESTATION_LIMIT_DAYS = 180

ALWAYS_REQUIRED = ("malpractice", "work-history", "npdb", "attestation")
BASE_ELEMENTS = ("license", "dea", "cds", "board", "education", "training", *ALWAYS_REQUIRED)


class ElementState(StrEnum):
    missing = "missing"  # never verified (or only after the day asked about)
    current = "current"  # verified, recent enough
    stale = "stale"  # verified, but too old for a decision on that day
    discrepancy = "discrepancy"  # verified with a discrepancy: an adverse finding
    unverified = "unverified"  # source said not-found, or could not be reached


class Verdict(StrEnum):
    complete = "complete"
    incomplete = "incomplete"
    stale = "stale"


@dataclass(frozen=True)
class Evidence:
    verified_on: dt.date
    result: str  # verified, discrepancy, not-found, unable


def limit_days(element: str, on: dt.date) -> int:
    if element == "attestation":
        return ATTESTATION_LIMIT_DAYS
    return PSV_LIMIT_DAYS if on >= PSV_LIMIT_CHANGE else PSV_LIMIT_DAYS_BEFORE_2025_07


def valid_until(element: str, verified_on: dt.date) -> dt.date:
    """Last day a verification of ``element`` made on ``verified_on`` supports a decision.

    Across the NCQA 2025 change the answer does not depend on the day asked about: a
    verification 120 days old on 30 June 2025 or later is good through day 120; one that
    reaches day 120 before 1 July 2025 is good through day 180, but no later than
    30 June 2025 (from 1 July the 120-day limit applies and it is already too old).
    """
    if element == "attestation":
        return verified_on + dt.timedelta(days=ATTESTATION_LIMIT_DAYS)
    short = verified_on + dt.timedelta(days=PSV_LIMIT_DAYS)
    if short >= PSV_LIMIT_CHANGE:
        return short
    long = verified_on + dt.timedelta(days=PSV_LIMIT_DAYS_BEFORE_2025_07)
    return min(long, PSV_LIMIT_CHANGE - dt.timedelta(days=1))


def element_state(element: str, latest: Evidence | None, on: dt.date) -> ElementState:
    if latest is None or latest.verified_on > on:
        return ElementState.missing
    if latest.result in ("not-found", "unable"):
        return ElementState.unverified
    if on > valid_until(element, latest.verified_on):
        return ElementState.stale
    if latest.result == "discrepancy":
        return ElementState.discrepancy
    return ElementState.current


def verdict(states: list[ElementState]) -> Verdict:
    """complete: all current (discrepancies are findings, not gaps); stale: only age is
    wanting; incomplete: something was never verified or could not be."""
    if any(s in (ElementState.missing, ElementState.unverified) for s in states):
        return Verdict.incomplete
    if any(s is ElementState.stale for s in states):
        return Verdict.stale
    return Verdict.complete


def required_elements(credentials: list[tuple[str, str | None, str]]) -> list[str]:
    """Elements a file needs, from the provider's (kind, state, status) credentials.

    Each state license and CDS registration is its own element (``license:CA``);
    board certification stands for education and training when the provider has one.
    """
    live = [
        (kind, state)
        for kind, state, status in credentials
        if status not in ("inactive", "revoked")
    ]
    licenses = sorted({f"license:{state}" for kind, state in live if kind == "license" and state})
    elements = licenses or ["license"]
    if any(kind == "dea" for kind, _ in live):
        elements.append("dea")
    elements += sorted({f"cds:{state}" for kind, state in live if kind == "cds" and state})
    if any(kind == "board" for kind, _ in live):
        elements.append("board")
    else:
        elements += ["education", "training"]
    elements += list(ALWAYS_REQUIRED)
    return elements


def normalize_element(text: str) -> str:
    """``License:ca`` -> ``license:CA``; raises ValueError for an unknown element.

    A state must be a US state or territory code, as for a credential's state; a CDS
    registration is always a state's, so ``cds`` needs one.
    """
    raw = text.strip().lower()
    base, colon, state = raw.partition(":")
    base, state = base.strip(), state.strip().upper()
    if base not in BASE_ELEMENTS:
        raise ValueError(
            "is not an element; use one of license:ST, dea, cds:ST, board, education, "
            "training, malpractice, work-history, npdb, attestation"
        )
    if not colon:
        if base == "cds":
            raise ValueError("a CDS registration is a state's: name it (cds:CA)")
        return base
    if base not in ("license", "cds"):
        raise ValueError(f"only license and cds take a state (license:CA), not {base}")
    if not state:
        raise ValueError(f"name the state after the colon ({base}:CA)")
    if state not in US_STATES:
        raise ValueError(f"{state} is not a US state or territory code ({base}:CA)")
    return f"{base}:{state}"
