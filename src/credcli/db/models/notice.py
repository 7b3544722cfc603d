"""Notices sent to providers about their own expiring items, so none is sent twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from credcli.db.models.base import Base, utcnow


class Notice(Base):
    """One item named in one notice the mail server accepted.

    ``item_key`` names the item and its due date (``credential:12@2027-03-31``), so a
    renewal that lapses again is a new item; ``band`` is the urgency band when sent.
    """

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_provider_item", "provider_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(120))
    band: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    to_address: Mapped[str] = mapped_column(String(200))
    message_id: Mapped[str] = mapped_column(String(250))
