"""Credentials, recredentialing, payers and outstanding items due within the window.

Each source is one query that filters by date in the database (dates past which
nothing can fall due in the window are worked out here, so the database compares
plain dates) and composes the provider's name and the credential's description
there; the rules themselves stay in ``credcli.domain.expiry``.

Tables are joined with ``CROSS JOIN ... WHERE``, the same inner join to PostgreSQL's
planner, but on SQLite it keeps the written order: scan the rows that can fall due,
then look each provider up by id. Left to itself SQLite walks the provider status
index, which nearly every provider matches, and is a third slower.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from credcli.domain import expiry
from credcli.domain.expiry import CheckKind
from credcli.domain.vocab import CREDENTIAL_KIND_LABELS
from credcli.services.expiry_rows import (
    PROVIDER_NAME,
    Dates,
    Query,
    Row,
    fetch,
    provider_filter,
    row,
)

_LABELS = {kind.value: label for kind, label in CREDENTIAL_KIND_LABELS.items()}
_DEAD_CREDENTIALS = ("inactive", "revoked")


def credentials(conn: Connection, query: Query) -> list[Row]:
    kinds = tuple(k for k in expiry.CREDENTIAL_KINDS if k in query.kinds)
    if not kinds:
        return []
    limit = query.limit
    who, values = provider_filter(query)
    values |= {"dead": _DEAD_CREDENTIALS, "limit": limit}
    # One pass over the credentials: those whose recorded expiry falls in the window,
    # and privileges and CAQH attestations that end by rule, counted from the grant or
    # the attestation date whatever expiry was recorded (or none).
    due = ["c.expires_on <= :limit"]
    if CheckKind.privileges in kinds:
        due.append("(c.kind = 'privileges' AND c.issued_on <= :granted_by)")
        values["granted_by"] = expiry.latest_start(limit, expiry.PRIVILEGES_MONTHS)
    if CheckKind.attestation in kinds:
        due.append("(c.kind = 'attestation' AND c.issued_on <= :attested_by)")
        values["attested_by"] = limit - dt.timedelta(days=expiry.CAQH_ATTESTATION_DAYS)
    only = ""
    if len(kinds) < len(expiry.CREDENTIAL_KINDS):
        only = " AND c.kind IN :kinds"
        values["kinds"] = kinds
    item, labels = _credential_item()
    found = fetch(
        conn,
        f"SELECT c.kind, c.issued_on, c.expires_on, p.npi, {PROVIDER_NAME}, {item},"
        " 'credential:' || c.id"
        " FROM credentials c CROSS JOIN providers p WHERE p.id = c.provider_id"
        f" AND c.status NOT IN :dead AND {who}{only} AND ({' OR '.join(due)})",
        values | labels,
    )
    dates = Dates(query.as_of)
    day, due_on = dates.day, dates.due
    rows = []
    for kind, issued, expires, npi, name, what, ref in found:
        if kind in _ENDS:
            end = _ENDS[kind](
                day(issued) if issued is not None else None,
                day(expires) if expires is not None else None,
            )
            if end is None or end > limit:
                continue
            when = due_on(end)
        else:
            when = due_on(expires)
        rows.append(row(when, npi, name, kind, what, ref))
    return rows


_ENDS = {"privileges": expiry.privileges_end, "attestation": expiry.attestation_due}


def _credential_item() -> tuple[str, dict[str, str]]:
    """``state license CA Medical Board A123``: the kind's label, then whichever of the
    state, issuer, detail and number are filled in (empty text counts as missing).

    Composed by the database: one column to fetch per credential instead of five."""
    labels: dict[str, str] = {}
    cases = []
    for n, (kind, label) in enumerate(_LABELS.items()):
        labels[f"kind_{n}"], labels[f"label_{n}"] = kind, label
        cases.append(f"WHEN :kind_{n} THEN :label_{n}")
    parts = [f"COALESCE(' ' || NULLIF(c.{column}, ''), '')" for column in _ITEM_PARTS]
    return f"CASE c.kind {' '.join(cases)} ELSE c.kind END || {' || '.join(parts)}", labels


_ITEM_PARTS = ("state", "issuer", "detail", "number")


def recredentialing(conn: Connection, query: Query) -> list[Row]:
    as_of, limit = query.as_of, query.limit
    who, values = provider_filter(query)
    values |= {
        "limit": limit,
        "started_by": expiry.latest_start(limit, expiry.RECRED_CYCLE_MONTHS),
    }
    approved = "COALESCE(p.last_cred_date, p.initial_cred_date)"
    found = fetch(
        conn,
        f"SELECT p.npi, {PROVIDER_NAME}, {approved}, p.next_recred_due FROM providers p"
        f" WHERE {who} AND (p.next_recred_due <= :limit"
        f" OR (p.next_recred_due IS NULL AND {approved} <= :started_by))",
        values,
    )
    dates = Dates(as_of)
    day = dates.day
    rows = []
    for npi, name, last_approval, next_due in found:
        due = expiry.recred_due(
            day(last_approval) if last_approval is not None else None,
            day(next_due) if next_due is not None else None,
        )
        if due is None or due > limit:
            continue
        item = expiry.recred_item(due, as_of)
        rows.append(row(dates.due(due), npi, name, "recredential", item, "recredential"))
    return rows


def payers(conn: Connection, query: Query) -> list[Row]:
    who, values = provider_filter(query)
    values["limit"] = query.limit
    found = fetch(
        conn,
        f"SELECT e.id, e.payer, e.recred_due_on, p.npi, {PROVIDER_NAME}"
        " FROM payer_enrollments e CROSS JOIN providers p WHERE p.id = e.provider_id"
        f" AND e.recred_due_on <= :limit AND e.status != 'denied' AND {who}",
        values,
    )
    due = Dates(query.as_of).due
    return [
        row(due(on), npi, name, "payer", f"payer recredentialing: {payer}", f"payer:{eid}")
        for eid, payer, on, npi, name in found
    ]


def items(conn: Connection, query: Query) -> list[Row]:
    who, values = provider_filter(query)
    values["as_of"] = query.as_of
    found = fetch(
        conn,
        f"SELECT i.id, i.description, i.due_on, i.file_id, p.npi, {PROVIDER_NAME}"
        " FROM outstanding_items i CROSS JOIN credentialing_files f CROSS JOIN providers p"
        " WHERE f.id = i.file_id AND p.id = f.provider_id"
        f" AND i.status = 'open' AND i.due_on < :as_of AND {who}",
        values,
    )
    due = Dates(query.as_of).due
    return [
        row(
            due(on),
            npi,
            name,
            "item",
            f"outstanding item: {description} (file #{file_id})",
            f"item:{iid}",
        )
        for iid, description, on, file_id, npi, name in found
    ]
