"""Pipeline history: file events and committee decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["credentialing_files.id"],
            name=op.f("fk_committee_decisions_file_id_credentialing_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_committee_decisions_meeting_id_committee_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_decisions")),
    )
    with op.batch_alter_table("committee_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_decisions_file_id"), ["file_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_decisions_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "file_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_value", sa.String(length=200), nullable=True),
        sa.Column("to_value", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["credentialing_files.id"],
            name=op.f("fk_file_events_file_id_credentialing_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_events")),
    )
    with op.batch_alter_table("file_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_events_file_id"), ["file_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("committee_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_decisions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_committee_decisions_file_id"))

    op.drop_table("committee_decisions")
    with op.batch_alter_table("file_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_events_file_id"))

    op.drop_table("file_events")
