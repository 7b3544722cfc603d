"""Providers and their credentials. No SSN is ever stored."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from credcli.db.models.base import Base, Timestamps

if TYPE_CHECKING:
    from credcli.db.models.pipeline import CredentialingFile
    from credcli.db.models.verification import Verification


class Provider(Timestamps, Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    suffix: Mapped[str | None] = mapped_column(String(20))
    degree: Mapped[str | None] = mapped_column(String(40))
    specialty: Mapped[str | None] = mapped_column(String(120))
    taxonomy: Mapped[str | None] = mapped_column(String(10))
    dob: Mapped[dt.date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    caqh_id: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="applicant", index=True)
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    initial_cred_date: Mapped[dt.date | None] = mapped_column(Date)
    last_cred_date: Mapped[dt.date | None] = mapped_column(Date)
    next_recred_due: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    credentials: Mapped[list[Credential]] = relationship(
        back_populates="provider", order_by="Credential.id"
    )
    files: Mapped[list[CredentialingFile]] = relationship(
        back_populates="provider", order_by="CredentialingFile.id"
    )
    verifications: Mapped[list[Verification]] = relationship(
        back_populates="provider", order_by="Verification.id"
    )

    @property
    def display_name(self) -> str:
        name = f"{self.last_name}, {self.first_name}"
        if self.degree:
            name += f" {self.degree}"
        return name


class Credential(Timestamps, Base):
    __tablename__ = "credentials"
    __table_args__ = (Index("ix_credentials_expires_on", "expires_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("providers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str | None] = mapped_column(String(2))
    issuer: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")
    notes: Mapped[str | None] = mapped_column(Text)

    provider: Mapped[Provider] = relationship(back_populates="credentials")
