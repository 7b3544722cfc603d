"""Credentialing files (cases), what they wait on, their history, and the committee."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credcli.db.models.base import Base, Timestamps, utcnow

if TYPE_CHECKING:
    from credcli.db.models.provider import Provider


class CredentialingFile(Timestamps, Base):
    __tablename__ = "credentialing_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    cycle: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[dt.date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20), default="intake", index=True)
    stage_since: Mapped[dt.date | None] = mapped_column(Date)
    assignee: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(Text)
    notice_due_on: Mapped[dt.date | None] = mapped_column(Date)
    notice_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="SET NULL")
    )
    last_activity_on: Mapped[dt.date | None] = mapped_column(Date)

    provider: Mapped[Provider] = relationship(back_populates="files")
    items: Mapped[list[OutstandingItem]] = relationship(
        back_populates="file", order_by="OutstandingItem.id"
    )
    events: Mapped[list[FileEvent]] = relationship(back_populates="file", order_by="FileEvent.id")


class OutstandingItem(Timestamps, Base):
    __tablename__ = "outstanding_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("credentialing_files.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(200))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    follow_ups: Mapped[int] = mapped_column(Integer, default=0)
    last_follow_up_on: Mapped[dt.date | None] = mapped_column(Date)

    file: Mapped[CredentialingFile] = relationship(back_populates="items")


class FileEvent(Base):
    """One change to a file, so days in each stage and inactivity can be computed."""

    __tablename__ = "file_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("credentialing_files.id", ondelete="CASCADE"), index=True
    )
    on: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    from_value: Mapped[str | None] = mapped_column(String(200))
    to_value: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(100))

    file: Mapped[CredentialingFile] = relationship(back_populates="events")


class CommitteeMeeting(Timestamps, Base):
    __tablename__ = "committee_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_on: Mapped[dt.date] = mapped_column(Date, unique=True)
    chair: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class CommitteeDecision(Base):
    __tablename__ = "committee_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(
        ForeignKey("credentialing_files.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(100))
