"""The work queue: every open file, what it waits on, its flags, in order of attention.

Order (domain.pipeline.attention_key): recredentialing deadline at risk (nearest first),
then files with past-due items, then stalled files, then the rest; ties go to the file
idle longest, then the oldest, then the lowest file number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from credcli.db.models import CredentialingFile, ScreeningHit
from credcli.domain import pipeline
from credcli.domain.psv import ElementState
from credcli.domain.screening import HitStatus
from credcli.domain.vocab import FileStage, ItemStatus
from credcli.services import checklist

GAP_STATES = (ElementState.missing, ElementState.unverified, ElementState.stale)
_CHECKED_STAGES = (FileStage.verification, FileStage.committee_ready)

ROW_FIELDS = (
    "file",
    "npi",
    "provider",
    "cycle",
    "stage",
    "assignee",
    "received_on",
    "age_days",
    "stage_since",
    "days_in_stage",
    "last_activity_on",
    "idle_days",
    "open_items",
    "past_due_items",
    "oldest_item_due",
    "recred_due_on",
    "next_action",
    "flags",
)


def gaps(session: Session, file: CredentialingFile, on: dt.date) -> dict[str, list[str]]:
    """Checklist elements not usable for a decision on ``on``, by state."""
    found: dict[str, list[str]] = {state.value: [] for state in GAP_STATES}
    for element in checklist.for_provider(session, file.provider, on).findings:
        if element.state in GAP_STATES:
            found[element.state.value].append(element.element)
    return found


Hit = tuple[int, str, str]  # id, status, list name


def exclusion_hits(session: Session, provider_ids: list[int] | None) -> dict[int, list[Hit]]:
    """Open and confirmed exclusion hits by provider (every provider when ``None``)."""
    query = select(
        ScreeningHit.provider_id, ScreeningHit.id, ScreeningHit.status, ScreeningHit.list_name
    ).where(ScreeningHit.status.in_([HitStatus.open.value, HitStatus.confirmed.value]))
    if provider_ids is not None:
        query = query.where(ScreeningHit.provider_id.in_(provider_ids))
    found: dict[int, list[Hit]] = {}
    for provider_id, hit_id, status, list_name in session.execute(query.order_by(ScreeningHit.id)):
        found.setdefault(provider_id, []).append((hit_id, status, list_name))
    return found


def confirmed_hits(session: Session, provider_id: int) -> list[tuple[int, str]]:
    """(hit id, list) of each exclusion a person confirmed for the provider."""
    hits = exclusion_hits(session, [provider_id]).get(provider_id, [])
    return [(hit_id, name) for hit_id, state, name in hits if state == HitStatus.confirmed.value]


def _hit_text(hits: list[Hit], status: HitStatus) -> str | None:
    named = [f"#{hit_id} on {name.upper()}" for hit_id, state, name in hits if state == status]
    return ", ".join(named) or None


def summarize(
    session: Session,
    file: CredentialingFile,
    as_of: dt.date,
    stalled_days: int,
    hits: list[Hit] | None = None,
) -> dict[str, Any]:
    """The queue's view of one open file on ``as_of``."""
    if hits is None:
        hits = exclusion_hits(session, [file.provider_id]).get(file.provider_id, [])
    stage = FileStage(file.stage)
    open_items = [i for i in file.items if i.status == ItemStatus.open.value]
    dues = [pipeline.ItemDue(i.due_on) for i in open_items]
    missing = gaps(session, file, as_of) if stage in _CHECKED_STAGES else {}
    last = file.last_activity_on or file.received_on
    found = pipeline.flags(
        as_of=as_of,
        last_activity_on=last,
        open_items=dues,
        due_on=file.due_on,
        stalled_days=stalled_days,
    )
    item_dues = [i.due_on for i in open_items if i.due_on is not None]
    since = file.stage_since or file.received_on
    return {  # ROW_FIELDS, in this order
        "file": file.id,
        "npi": file.provider.npi,
        "provider": file.provider.display_name,
        "cycle": file.cycle,
        "stage": file.stage,
        "assignee": file.assignee,
        "received_on": file.received_on,
        "age_days": max((as_of - file.received_on).days, 0),
        "stage_since": since,
        "days_in_stage": max((as_of - since).days, 0),
        "last_activity_on": last,
        "idle_days": max((as_of - last).days, 0),
        "open_items": len(open_items),
        "past_due_items": sum(1 for d in item_dues if d < as_of),
        "oldest_item_due": min(item_dues) if item_dues else None,
        "recred_due_on": file.due_on,
        "next_action": pipeline.next_action(
            stage,
            as_of=as_of,
            open_items=dues,
            gaps=missing,
            lapsed_due=pipeline.lapsed_due(file.cycle, file.due_on, as_of),
            excluded_by=_hit_text(hits, HitStatus.confirmed),
            open_hits=_hit_text(hits, HitStatus.open),
        ),
        "flags": ", ".join(flag.value for flag in found),
    }


def queue(
    session: Session,
    *,
    as_of: dt.date,
    stage: str | None = None,
    assignee: str | None = None,
    stalled_only: bool = False,
    stalled_days: int = pipeline.STALLED_DAYS,
) -> list[dict[str, Any]]:
    query = (
        select(CredentialingFile)
        .where(
            CredentialingFile.stage.in_([stage.value for stage in pipeline.OPEN_STAGES]),
            CredentialingFile.received_on <= as_of,
        )
        .options(joinedload(CredentialingFile.provider), selectinload(CredentialingFile.items))
    )
    if stage:
        query = query.where(CredentialingFile.stage == stage)
    if assignee:
        query = query.where(func.lower(CredentialingFile.assignee) == assignee.strip().lower())
    hits = exclusion_hits(session, None)
    rows = [
        summarize(session, f, as_of, stalled_days, hits.get(f.provider_id, []))
        for f in session.scalars(query)
    ]
    if stalled_only:
        rows = [r for r in rows if pipeline.Flag.stalled.value in r["flags"].split(", ")]
    rows.sort(key=_key)
    return rows


def _key(row: dict[str, Any]) -> tuple[int, dt.date, int, int, int]:
    found = [pipeline.Flag(f) for f in row["flags"].split(", ") if f]
    return pipeline.attention_key(
        found,
        due_on=row["recred_due_on"],
        idle_days=row["idle_days"],
        age_days=row["age_days"],
        file_id=row["file"],
    )
