"""Payer enrollments, followed from submission until effective."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from credcli.db.models.base import Base, Timestamps


class PayerEnrollment(Timestamps, Base):
    __tablename__ = "payer_enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    payer: Mapped[str] = mapped_column(String(120))
    payer_provider_id: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    status_on: Mapped[dt.date | None] = mapped_column(Date)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    next_follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    recred_due_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
