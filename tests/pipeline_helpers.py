"""Test helpers for the pipeline: record verifications straight through the ORM.

The verify commands belong to another part of credcli; these tests only need a
provider's checklist to be in a known state on a known date.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from credcli.db.models import Verification
from credcli.services import checklist, providers, registry


def verify(
    db: str,
    npi: str,
    on: str,
    *,
    elements: list[str] | None = None,
    result: str = "verified",
    skip: tuple[str, ...] = (),
) -> list[str]:
    """Record a verification dated ``on`` for ``elements`` (default: every required one).

    Returns the elements verified.
    """
    day = dt.date.fromisoformat(on)
    with registry.session(db, write=True) as session:
        provider = providers.find(session, npi)
        if elements is None:
            required = checklist.for_provider(session, provider, day).elements
            elements = [e.element for e in required]
        chosen = [e for e in elements if e not in skip]
        for element in chosen:
            session.add(
                Verification(
                    provider_id=provider.id,
                    element=element,
                    source="test source",
                    method="web",
                    verified_on=day,
                    verified_by="tester",
                    result=result,
                )
            )
    return chosen


def screened(cli: Any, as_of: str) -> None:
    """Record an exclusion screening run on ``as_of`` against a list that names nobody in
    the registry: the evidence a clean agenda file needs (a run within 30 days)."""
    from listfiles import leie_row, write_leie

    with tempfile.TemporaryDirectory() as folder:
        path = write_leie(Path(folder) / "UPDATED.csv", [leie_row("NOBODY", "NEVER")])
        cli("verify", "load", "leie", str(path), "--file-date", as_of)
    cli("verify", "screen", "--as-of", as_of)
