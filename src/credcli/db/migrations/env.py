"""Alembic environment: always run on the connection credcli opened."""

from __future__ import annotations

from alembic import context

from credcli.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    # Alembic takes SQLite for non-transactional DDL and commits after each revision,
    # letting a second process in between them. SQLite's DDL is transactional: one
    # transaction (BEGIN IMMEDIATE, see engine.py) makes a new or upgraded registry
    # appear all at once, at head, to every other process.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
