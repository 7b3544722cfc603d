"""Verifications of open files that are, or become, too old for a decision in the window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from credcli.domain import psv
from credcli.services.expiry_rows import (
    PROVIDER_NAME,
    Dates,
    Query,
    Row,
    fetch,
    provider_filter,
    row,
)

_AGING_RESULTS = ("verified", "discrepancy")  # not-found/unable are queue work, not age


def verifications(conn: Connection, query: Query) -> list[Row]:
    """Required elements of open files whose latest verification ages out within the window.

    The same judgement as the checklist (psv.required_elements, psv.valid_until), made for
    every provider with an open file at once. Elements never verified, or whose source
    could not confirm them, are queue work rather than expiry and are left out.
    """
    as_of, limit = query.as_of, query.limit
    who_filter, values = provider_filter(query)
    # CROSS JOIN: files first, then their providers by id (see expiry_sources).
    open_files = (
        "SELECT f.provider_id FROM credentialing_files f CROSS JOIN providers p"
        f" WHERE p.id = f.provider_id AND f.stage NOT IN ('decided', 'withdrawn') AND {who_filter}"
    )
    who = {
        pid: (npi, name)
        for pid, npi, name in fetch(
            conn,
            f"SELECT p.id, p.npi, {PROVIDER_NAME} FROM providers p WHERE p.id IN ({open_files})",
            values,
        )
    }
    if not who:
        return []
    held: dict[int, list[tuple[str, str | None, str]]] = {}
    for pid, kind, state, status in fetch(
        conn,
        "SELECT c.provider_id, c.kind, c.state, c.status FROM credentials c"
        f" WHERE c.provider_id IN ({open_files})",
        values,
    ):
        held.setdefault(pid, []).append((kind, state, status))
    latest: dict[int, dict[str, tuple[Any, str]]] = {}
    for pid, element, verified_on, result in fetch(
        conn,
        "SELECT v.provider_id, v.element, v.verified_on, v.result FROM verifications v"
        f" WHERE v.provider_id IN ({open_files}) AND v.verified_on <= :as_of"
        " ORDER BY v.provider_id, v.verified_on, v.id",
        values | {"as_of": as_of},
    ):
        latest.setdefault(pid, {})[element] = (verified_on, result)  # ordered: last one wins
    dates = Dates(as_of)
    rows = []
    for pid, (npi, name) in who.items():
        found = latest.get(pid)
        if not found:
            continue
        for element in psv.required_elements(held.get(pid, [])):
            evidence = found.get(element)
            if evidence is None or evidence[1] not in _AGING_RESULTS:
                continue
            verified_on = dates.day(evidence[0])
            until = psv.valid_until(element, verified_on)
            if until > limit:
                continue
            verb = "too old for a decision" if until < as_of else "ages out for a decision"
            rows.append(
                row(
                    dates.due(until),
                    npi,
                    name,
                    "verification",
                    f"verification of {element} ({verified_on.isoformat()}) {verb}",
                    f"verification:{element}",
                )
            )
    return rows
