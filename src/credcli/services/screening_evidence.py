"""What the registry records about exclusion screening, as the reports read it.

A registry where ``credcli verify screen`` never ran has no evidence: the reports
say "not screened" (None), never a made-up zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credcli.db.models import ScreeningHit, ScreeningRun
from credcli.domain.screening import HitStatus


@dataclass(frozen=True)
class OpenHits:
    count: int
    basis: str


def _ever_screened(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(ScreeningRun)))


def open_hits(session: Session) -> OpenHits | None:
    """Hits still waiting for a person's decision, or None when nothing was ever screened."""
    if not _ever_screened(session):
        return None
    count = session.scalar(
        select(func.count())
        .select_from(ScreeningHit)
        .where(ScreeningHit.status == HitStatus.open.value)
    )
    return OpenHits(int(count or 0), "hits still open (not cleared, confirmed or resolved)")


def screening_dates(session: Session) -> dict[int | None, list[dt.date]] | None:
    """Dates of screening runs, keyed None because a run screens the whole roster.

    None when no screening run was ever recorded.
    """
    days = list(session.scalars(select(ScreeningRun.as_of).order_by(ScreeningRun.as_of)))
    if not days:
        return None
    return {None: days}
