"""The registry as a roster: one row per provider with their credentials, ready to import back.

Columns use credcli's roster field names (and, in Excel, their labels), both of which
the importer recognises, so ``report roster`` followed by ``intake roster`` changes
nothing. Licenses and CDS registrations take as many slots as the provider with the
most of them needs; for DEA, board and malpractice the latest one is shown. Dates of
birth are left out: an export of personal data should carry no more than it needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from credcli.db.models import Credential, Provider
from credcli.domain import roster_fields as rf
from credcli.services.roster_rows import STORED_AS

P = cast(Table, Provider.__table__)
C = cast(Table, Credential.__table__)
EXPORTED_PROVIDER_FIELDS = tuple(f for f in rf.PROVIDER_FIELDS if f != "dob")
CHUNK = 2000


@dataclass
class RosterExport:
    keys: list[str]  # field names, with a slot suffix from the second license on
    labels: list[str]  # the same columns as an Excel header
    count: int
    rows: Iterator[dict[str, Any]]


def export(session: Session, *, status: str | None = None) -> RosterExport:
    """Every provider (or those in ``status``) as roster rows, by name."""
    order = select(P.c.id).order_by(P.c.last_name, P.c.first_name, P.c.npi)
    if status:
        order = order.where(P.c.status == status)
    ids = list(session.execute(order).scalars())
    slots = _slots(session, status)
    keys: list[str] = list(EXPORTED_PROVIDER_FIELDS)
    labels: list[str] = [rf.LABELS[f] for f in EXPORTED_PROVIDER_FIELDS]
    for kind, parts in rf.CREDENTIAL_PARTS.items():
        for slot in range(1, slots.get(kind, 1) + 1):
            for part in parts:
                name = f"{kind}_{part}"
                keys.append(rf.Target(name, slot).key)
                labels.append(rf.LABELS[name] + (f" {slot}" if slot > 1 else ""))
    return RosterExport(keys, labels, len(ids), _rows(session, ids, keys))


def _slots(session: Session, status: str | None) -> dict[str, int]:
    """How many licenses and CDS registrations the provider with the most has."""
    per_provider = (
        select(C.c.kind, func.count().label("n"))
        .join(P, P.c.id == C.c.provider_id)
        .where(C.c.kind.in_(sorted(rf.SLOTTED_KINDS)))
        .group_by(C.c.provider_id, C.c.kind)
    )
    if status:
        per_provider = per_provider.where(P.c.status == status)
    sub = per_provider.subquery()
    query = select(sub.c.kind, func.max(sub.c.n)).group_by(sub.c.kind)
    return {kind: min(int(n), rf.MAX_SLOTS) for kind, n in session.execute(query)}


def _rows(session: Session, ids: list[int], keys: list[str]) -> Iterator[dict[str, Any]]:
    columns = [P.c.id, *(P.c[f] for f in EXPORTED_PROVIDER_FIELDS)]
    kinds = sorted(rf.CREDENTIAL_PARTS)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        providers = {
            row["id"]: row
            for row in session.execute(select(*columns).where(P.c.id.in_(chunk))).mappings()
        }
        held: dict[int, list[Any]] = defaultdict(list)
        query = (
            select(C)
            .where(C.c.provider_id.in_(chunk), C.c.kind.in_(kinds))
            .order_by(C.c.provider_id, C.c.state, C.c.id)
        )
        for credential in session.execute(query).mappings():
            held[credential["provider_id"]].append(credential)
        for provider_id in chunk:
            provider = providers[provider_id]
            row = dict.fromkeys(keys)
            for name in EXPORTED_PROVIDER_FIELDS:
                row[name] = provider[name]
            _place(row, held[provider_id])
            yield row


def _place(row: dict[str, Any], credentials: list[Any]) -> None:
    used: dict[str, int] = defaultdict(int)
    for credential in credentials:
        kind = credential["kind"]
        if kind in rf.SLOTTED_KINDS:
            used[kind] += 1
            slot = used[kind]
            if slot > rf.MAX_SLOTS:
                continue
        else:
            slot = 1  # ordered by id within a state: the latest one wins
        for part, stored in STORED_AS[kind].items():
            row[rf.Target(f"{kind}_{part}", slot).key] = credential[stored]
