"""Verification and screening: list loads, LEIE/SAM/NPPES copies, screening runs and hits.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("file_date", sa.Date(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_removed", sa.Integer(), nullable=False),
        sa.Column("list_size", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=100), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_loads")),
    )
    with op.batch_alter_table("list_loads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_loads_list_name"), ["list_name"], unique=False)

    op.create_table(
        "screening_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_by", sa.String(length=100), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("lists", sa.String(length=40), nullable=False),
        sa.Column("versions", sa.Text(), nullable=False),
        sa.Column("screened", sa.Integer(), nullable=False),
        sa.Column("strong", sa.Integer(), nullable=False),
        sa.Column("possible", sa.Integer(), nullable=False),
        sa.Column("ruled_out", sa.Integer(), nullable=False),
        sa.Column("new_hits", sa.Integer(), nullable=False),
        sa.Column("open_hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_runs")),
    )
    op.create_table(
        "exclusion_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=10), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("record_key", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("person", sa.Boolean(), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("entity_name", sa.String(length=300), nullable=True),
        sa.Column("norm_last", sa.String(length=200), nullable=False),
        sa.Column("norm_first", sa.String(length=100), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("dob", sa.String(length=10), nullable=True),
        sa.Column("excluded_on", sa.String(length=10), nullable=True),
        sa.Column("ends_on", sa.String(length=10), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"], ["list_loads.id"], name=op.f("fk_exclusion_records_load_id_list_loads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exclusion_records")),
    )
    with op.batch_alter_table("exclusion_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exclusion_records_list_key", ["list_name", "record_key"], unique=False
        )
        batch_op.create_index("ix_exclusion_records_list_npi", ["list_name", "npi"], unique=False)
        batch_op.create_index(batch_op.f("ix_exclusion_records_load_id"), ["load_id"], unique=False)

    op.create_table(
        "nppes_records",
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=1), nullable=True),
        sa.Column("last_name", sa.String(length=200), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("organization", sa.String(length=300), nullable=True),
        sa.Column("credential", sa.String(length=60), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=True),
        sa.Column("enumerated_on", sa.Date(), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.Column("deactivated_on", sa.Date(), nullable=True),
        sa.Column("reactivated_on", sa.Date(), nullable=True),
        sa.Column("taxonomies", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"], ["list_loads.id"], name=op.f("fk_nppes_records_load_id_list_loads")
        ),
        sa.PrimaryKeyConstraint("npi", name=op.f("pk_nppes_records")),
    )
    with op.batch_alter_table("nppes_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nppes_records_load_id"), ["load_id"], unique=False)

    op.create_table(
        "screening_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=10), nullable=False),
        sa.Column("record_key", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("disposed_by", sa.String(length=100), nullable=True),
        sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposition_reason", sa.Text(), nullable=True),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_run_id"],
            ["screening_runs.id"],
            name=op.f("fk_screening_hits_first_run_id_screening_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"],
            ["screening_runs.id"],
            name=op.f("fk_screening_hits_last_run_id_screening_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_screening_hits_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_hits")),
    )
    with op.batch_alter_table("screening_hits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_screening_hits_match", ["provider_id", "list_name", "record_key"], unique=False
        )
        batch_op.create_index("ix_screening_hits_status", ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening_hits", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_hits_status")
        batch_op.drop_index("ix_screening_hits_match")

    op.drop_table("screening_hits")
    with op.batch_alter_table("nppes_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nppes_records_load_id"))

    op.drop_table("nppes_records")
    with op.batch_alter_table("exclusion_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exclusion_records_load_id"))
        batch_op.drop_index("ix_exclusion_records_list_npi")
        batch_op.drop_index("ix_exclusion_records_list_key")

    op.drop_table("exclusion_records")
    op.drop_table("screening_runs")
    with op.batch_alter_table("list_loads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_loads_list_name"))

    op.drop_table("list_loads")
