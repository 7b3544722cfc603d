"""Federal list copies (LEIE, SAM, NPPES), their loads, and exclusion screening runs and hits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from credcli.db.models.base import Base, utcnow


class ListLoad(Base):
    """One file loaded into a list: which, when, by whom, and what it changed."""

    __tablename__ = "list_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(10), index=True)  # leie, sam, nppes
    kind: Mapped[str] = mapped_column(String(20))  # full, exclusions, reinstatements
    file_name: Mapped[str] = mapped_column(String(300))
    # None for an NPPES file loaded without --sha256 (hashing 8-10 GB doubles the load)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_date: Mapped[dt.date] = mapped_column(Date)
    row_count: Mapped[int] = mapped_column(Integer)  # data rows in the file
    rows_added: Mapped[int] = mapped_column(Integer)
    rows_removed: Mapped[int] = mapped_column(Integer)
    list_size: Mapped[int] = mapped_column(Integer)  # rows held for the list after the load
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    loaded_by: Mapped[str] = mapped_column(String(100))
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # part of the list's copy now


class ExclusionRecord(Base):
    """One row of an exclusion list (LEIE or SAM), with normalised names for matching."""

    __tablename__ = "exclusion_records"
    __table_args__ = (
        Index("ix_exclusion_records_list_key", "list_name", "record_key"),
        Index("ix_exclusion_records_list_npi", "list_name", "npi"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(10))
    load_id: Mapped[int] = mapped_column(ForeignKey("list_loads.id"), index=True)
    record_key: Mapped[str] = mapped_column(String(32))  # hash of the identifying fields
    content_hash: Mapped[str] = mapped_column(String(32))  # hash of every field
    person: Mapped[bool] = mapped_column(Boolean)  # False for firms and other entities
    last_name: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    entity_name: Mapped[str | None] = mapped_column(String(300))
    norm_last: Mapped[str] = mapped_column(String(200))
    norm_first: Mapped[str] = mapped_column(String(100))
    npi: Mapped[str | None] = mapped_column(String(10))
    dob: Mapped[str | None] = mapped_column(String(10))  # ISO date text; SAM gives none
    excluded_on: Mapped[str | None] = mapped_column(String(10))
    ends_on: Mapped[str | None] = mapped_column(String(10))  # None: indefinite
    state: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[str] = mapped_column(Text)  # the record as the list gave it, JSON


class NppesRecord(Base):
    """One NPI from the NPPES downloadable file."""

    __tablename__ = "nppes_records"

    npi: Mapped[str] = mapped_column(String(10), primary_key=True)
    load_id: Mapped[int] = mapped_column(ForeignKey("list_loads.id"), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(1))
    last_name: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    organization: Mapped[str | None] = mapped_column(String(300))
    credential: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str | None] = mapped_column(String(40))
    enumerated_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)
    deactivated_on: Mapped[dt.date | None] = mapped_column(Date)
    reactivated_on: Mapped[dt.date | None] = mapped_column(Date)
    taxonomies: Mapped[str] = mapped_column(Text)  # JSON [{code, primary, license, state}]


class ScreeningRun(Base):
    """One exclusion screening: the evidence a surveyor asks for."""

    __tablename__ = "screening_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_by: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[dt.date] = mapped_column(Date)
    lists: Mapped[str] = mapped_column(String(40))  # "leie,sam"
    versions: Mapped[str] = mapped_column(Text)  # JSON: the loads each list was screened against
    screened: Mapped[int] = mapped_column(Integer)
    strong: Mapped[int] = mapped_column(Integer)
    possible: Mapped[int] = mapped_column(Integer)
    ruled_out: Mapped[int] = mapped_column(Integer)
    new_hits: Mapped[int] = mapped_column(Integer)
    open_hits: Mapped[int] = mapped_column(Integer)


class ScreeningHit(Base):
    """A provider matched to a list record, and what a person decided about it."""

    __tablename__ = "screening_hits"
    __table_args__ = (
        Index("ix_screening_hits_match", "provider_id", "list_name", "record_key"),
        Index("ix_screening_hits_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(10))
    record_key: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(32))
    tier: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(100))
    record: Mapped[str] = mapped_column(Text)  # JSON, as the list gave it
    status: Mapped[str] = mapped_column(String(10))
    disposed_by: Mapped[str | None] = mapped_column(String(100))
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    disposition_reason: Mapped[str | None] = mapped_column(Text)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("screening_runs.id"))
