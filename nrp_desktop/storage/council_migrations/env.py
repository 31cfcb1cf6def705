"""Alembic's entry point: runs the migrations on the connection the caller gave, inside the
caller's transaction (PostgreSQL's DDL is transactional: an upgrade is all or nothing)."""

from __future__ import annotations

from alembic import context

from nrp_desktop.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
