"""The collation's running totals: per title key, neighbourhood and month, the figures of the
current priorities there (`priority_months`), kept up to date by each publish, so collating a
council's whole history or one neighbourhood reads these rows instead of every priority; and the
index that recounts one of them. The totals of what is already published are counted here.

Frozen: a council's server may hold this revision. Change the schema in a new revision.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As they stood at this revision (domain/domains.py, domain/session.py).
DOMAINS = ("social-connectedness", "cultural-coherence", "economic-resources", "environmental-conditions",
           "governance-systems")
STATUSES = ("agreed", "started", "done", "dropped")


def upgrade() -> None:
    op.create_table(
        "priority_months",
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("neighbourhood_key", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("priorities", sa.Integer(), nullable=False),
        sa.Column("votes", sa.BigInteger(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("best_position", sa.Integer(), nullable=True),
        sa.Column("title_choice", sa.Text(), nullable=True),
        *(sa.Column(f"votes_{slug.replace('-', '_')}", sa.BigInteger(), nullable=False) for slug in DOMAINS),
        *(sa.Column(f"actions_{status}", sa.BigInteger(), nullable=False) for status in STATUSES),
        sa.PrimaryKeyConstraint("title_key", "neighbourhood_key", "month", name=op.f("pk_priority_months")),
    )
    op.create_index("ix_priority_months_month", "priority_months", ["month"], unique=False)
    op.create_index("ix_priority_months_neighbourhood_key_month", "priority_months", ["neighbourhood_key", "month"],
                    unique=False)
    op.create_index("ix_priorities_current_key", "priorities", ["title_key", "neighbourhood_key", "session_date"],
                    unique=False, postgresql_where=sa.text("is_current"))
    per_domain = ", ".join(
        f"coalesce(sum(p.votes) FILTER (WHERE p.domain_mask & {1 << n} <> 0), 0)" for n in range(len(DOMAINS))
    )
    per_status = ", ".join(f"coalesce(sum(p.actions_{status}), 0)" for status in STATUSES)
    columns = ", ".join(["priorities", "votes", "sessions", "best_position", "title_choice",
                         *(f"votes_{slug.replace('-', '_')}" for slug in DOMAINS),
                         *(f"actions_{status}" for status in STATUSES)])
    op.execute(
        f"INSERT INTO priority_months (title_key, neighbourhood_key, month, {columns}) "
        "SELECT p.title_key, p.neighbourhood_key, CAST(date_trunc('month', p.session_date) AS date), "
        "count(*), sum(p.votes), count(*) FILTER (WHERE p.first_of_key), min(p.position), "
        f'min(p.title_choice COLLATE "C"), {per_domain}, {per_status} '
        "FROM priorities AS p WHERE p.is_current GROUP BY 1, 2, 3"
    )


def downgrade() -> None:
    raise NotImplementedError("the council database is never downgraded")
