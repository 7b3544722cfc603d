"""Primary-source verifications: who verified which element, when, how, with what result."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credcli.db.models.base import Base, utcnow

if TYPE_CHECKING:
    from credcli.db.models.provider import Provider


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credentials.id", ondelete="SET NULL")
    )
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("credentialing_files.id", ondelete="SET NULL")
    )
    element: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    verified_on: Mapped[dt.date] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    evidence_path: Mapped[str | None] = mapped_column(Text)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="verifications")
