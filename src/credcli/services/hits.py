"""Screening hits and runs: listing them, and a person's disposition of a hit.

A confirmed exclusion sets the provider's status to inactive (an excluded
provider may not be paid by federal health programs, 42 CFR 1001.1901), so
the provider drops out of rosters of active providers and of further
screening; the confirmed hit stays on record (``verify hits --all``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credcli.db.models import Provider, ScreeningHit, ScreeningRun
from credcli.db.models.base import utcnow
from credcli.domain import dates
from credcli.domain.screening import HitStatus
from credcli.domain.vocab import ProviderStatus
from credcli.errors import ConflictError, FieldError, NotFoundError
from credcli.services import audit, files, providers


def list_hits(
    session: Session,
    *,
    status: str | None = HitStatus.open.value,
    npi: str | None = None,
    list_name: str | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(ScreeningHit, Provider)
        .join(Provider, Provider.id == ScreeningHit.provider_id)
        .order_by(ScreeningHit.id)
    )
    if status:
        query = query.where(ScreeningHit.status == status)
    if npi:
        query = query.where(ScreeningHit.provider_id == providers.find(session, npi).id)
    if list_name:
        query = query.where(ScreeningHit.list_name == list_name)
    return [_view(hit, provider) for hit, provider in session.execute(query).all()]


def _view(hit: ScreeningHit, provider: Provider) -> dict[str, Any]:
    record = json.loads(hit.record)
    return {
        "hit": hit.id,
        "npi": provider.npi,
        "provider": provider.display_name,
        "list": hit.list_name,
        "tier": hit.tier,
        "reason": hit.reason,
        "listed_name": listed_name(hit.list_name, record),
        "status": hit.status,
        "first_run": hit.first_run_id,
        "last_run": hit.last_run_id,
        "disposed_by": hit.disposed_by,
        "disposed_at": hit.disposed_at,
        "disposition_reason": hit.disposition_reason,
        "record": record,
    }


def listed_name(list_name: str, record: dict[str, Any]) -> str:
    """The listed person or entity, with the exclusion type and date (YYYY-MM-DD)."""
    if list_name == "leie":
        parts = [record.get("LASTNAME"), record.get("FIRSTNAME"), record.get("MIDNAME")]
        detail = [record.get("EXCLTYPE"), record.get("EXCLDATE")]
    else:
        parts = [record.get("Last"), record.get("First"), record.get("Middle")]
        detail = [record.get("Exclusion Type"), _iso(record.get("Active Date"))]
    name = " ".join(p for p in parts if p) or str(record.get("BUSNAME") or record.get("Name"))
    extra = ", ".join(d for d in detail if d)
    return f"{name} ({extra})" if extra else name


def _iso(value: str | None) -> str | None:
    """SAM dates are MM/DD/YYYY; shown as YYYY-MM-DD like the LEIE's."""
    try:
        return dt.datetime.strptime(value or "", "%m/%d/%Y").date().isoformat()
    except ValueError:
        return value


def _open_hit(session: Session, hit_id: int) -> ScreeningHit:
    hit = session.get(ScreeningHit, hit_id) if files.known_id(hit_id) else None
    if hit is None:
        raise NotFoundError(f"no screening hit #{hit_id}; see 'credcli verify hits --all'")
    if hit.status != HitStatus.open.value:
        by = f" by {hit.disposed_by}" if hit.disposed_by else ""
        when = f" on {hit.disposed_at:%Y-%m-%d}" if hit.disposed_at else ""
        raise ConflictError(f"hit #{hit_id} is already {hit.status}{by}{when}")
    return hit


def clear(session: Session, hit_id: int, reason: str) -> ScreeningHit:
    """A false positive: not the same person. Sticks until the list record changes.

    A confirmed hit may be cleared too, with its reason kept: the exclusion was lifted
    (OIG reinstatement) or the confirmation was a mistake. Without that, a reinstated
    provider could never be approved again. Their status is left for a person to set.
    """
    text = " ".join(reason.split())
    if not text:
        raise FieldError("reason", reason, "say why this is not the same person")
    found = session.get(ScreeningHit, hit_id) if files.known_id(hit_id) else None
    if found is not None and found.status == HitStatus.confirmed.value:
        hit, text = found, f"confirmation lifted: {text}"
    else:
        hit = _open_hit(session, hit_id)
    _dispose(hit, HitStatus.cleared, text)
    session.flush()
    return hit


def confirm(
    session: Session, hit_id: int, reason: str | None, on: dt.date | None = None
) -> tuple[ScreeningHit, Provider, str | None]:
    """The provider is the excluded person: record it and set the provider inactive.

    Returns the hit, the provider and the provider's status before (None if unchanged).
    """
    hit = _open_hit(session, hit_id)
    text = " ".join((reason or "").split()) or "confirmed as the same person"
    _dispose(hit, HitStatus.confirmed, text)
    provider = session.get(Provider, hit.provider_id)
    assert provider is not None  # hits cascade with their provider
    before = None
    if provider.status in (ProviderStatus.active.value, ProviderStatus.applicant.value):
        before = provider.status
        provider.status = ProviderStatus.inactive.value
        provider.status_date = on or dates.today()
        mark = f"excluded: {hit.list_name.upper()} hit #{hit.id} confirmed"
        provider.notes = f"{provider.notes}\n{mark}" if provider.notes else mark
    session.flush()
    return hit, provider, before


def _dispose(hit: ScreeningHit, status: HitStatus, reason: str) -> None:
    hit.status = status.value
    hit.disposed_by = audit.actor()
    hit.disposed_at = utcnow()
    hit.disposition_reason = reason


def list_runs(session: Session, limit: int | None = None) -> list[dict[str, Any]]:
    query = select(ScreeningRun).order_by(ScreeningRun.id.desc())
    if limit:
        query = query.limit(min(limit, files.MAX_ID))  # more than any registry holds
    return [
        {
            "run": run.id,
            "run_at": run.run_at,
            "run_by": run.run_by,
            "as_of": run.as_of,
            "lists": run.lists,
            "versions": _versions_text(run.versions),
            "screened": run.screened,
            "strong": run.strong,
            "possible": run.possible,
            "ruled_out": run.ruled_out,
            "new_hits": run.new_hits,
            "open_hits": run.open_hits,
        }
        for run in session.scalars(query)
    ]


def _versions_text(raw: str) -> str:
    versions = json.loads(raw)
    return "; ".join(
        f"{name.upper()}: " + ", ".join(f"{v['file']} ({v['file_date']})" for v in loads)
        for name, loads in versions.items()
    )
