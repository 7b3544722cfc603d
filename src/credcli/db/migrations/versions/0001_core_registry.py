"""Core registry: providers, credentials, verifications, files, enrollments, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_npi"), ["npi"], unique=False)

    op.create_table(
        "committee_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("chair", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meetings")),
        sa.UniqueConstraint("meeting_on", name=op.f("uq_committee_meetings_meeting_on")),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("suffix", sa.String(length=20), nullable=True),
        sa.Column("degree", sa.String(length=40), nullable=True),
        sa.Column("specialty", sa.String(length=120), nullable=True),
        sa.Column("taxonomy", sa.String(length=10), nullable=True),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("zip_code", sa.String(length=10), nullable=True),
        sa.Column("caqh_id", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=True),
        sa.Column("initial_cred_date", sa.Date(), nullable=True),
        sa.Column("last_cred_date", sa.Date(), nullable=True),
        sa.Column("next_recred_due", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("npi", name=op.f("uq_providers_npi")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_providers_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_providers_status"), ["status"], unique=False)

    op.create_table(
        "credentialing_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("stage_since", sa.Date(), nullable=True),
        sa.Column("assignee", sa.String(length=100), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("notice_due_on", sa.Date(), nullable=True),
        sa.Column("notice_sent_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("last_activity_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meetings.id"],
            name=op.f("fk_credentialing_files_meeting_id_committee_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_credentialing_files_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentialing_files")),
    )
    with op.batch_alter_table("credentialing_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credentialing_files_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_credentialing_files_stage"), ["stage"], unique=False)

    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_credentials_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
    )
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.create_index("ix_credentials_expires_on", ["expires_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_credentials_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "payer_enrollments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("payer", sa.String(length=120), nullable=False),
        sa.Column("payer_provider_id", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("recred_due_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_payer_enrollments_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_enrollments")),
    )
    with op.batch_alter_table("payer_enrollments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payer_enrollments_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "outstanding_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("last_follow_up_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["credentialing_files.id"],
            name=op.f("fk_outstanding_items_file_id_credentialing_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outstanding_items")),
    )
    with op.batch_alter_table("outstanding_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outstanding_items_file_id"), ["file_id"], unique=False)

    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("element", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("verified_by", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("evidence_path", sa.Text(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name=op.f("fk_verifications_credential_id_credentials"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["credentialing_files.id"],
            name=op.f("fk_verifications_file_id_credentialing_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_verifications_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verifications_provider_id"), ["provider_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verifications_provider_id"))

    op.drop_table("verifications")
    with op.batch_alter_table("outstanding_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outstanding_items_file_id"))

    op.drop_table("outstanding_items")
    with op.batch_alter_table("payer_enrollments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payer_enrollments_provider_id"))

    op.drop_table("payer_enrollments")
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credentials_provider_id"))
        batch_op.drop_index("ix_credentials_expires_on")

    op.drop_table("credentials")
    with op.batch_alter_table("credentialing_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credentialing_files_stage"))
        batch_op.drop_index(batch_op.f("ix_credentialing_files_provider_id"))

    op.drop_table("credentialing_files")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_providers_status"))
        batch_op.drop_index(batch_op.f("ix_providers_last_name"))

    op.drop_table("providers")
    op.drop_table("committee_meetings")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_npi"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
