"""The collation's yearly running totals (`priority_years`: per title key, neighbourhood and year,
the sums of `priority_months`), so collating everything or a neighbourhood reads a few rows per
key; and on each session its scores per domain (`rating_<domain>`, copied from its current
`session_ratings`), so the compass figures are one scan of the sessions without a join. What is
already published is counted and copied here.

Frozen: a council's server may hold this revision. Change the schema in a new revision.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As they stood at this revision (domain/domains.py, domain/session.py).
DOMAINS = ("social-connectedness", "cultural-coherence", "economic-resources", "environmental-conditions",
           "governance-systems")
STATUSES = ("agreed", "started", "done", "dropped")


def _name(slug: str) -> str:
    return slug.replace("-", "_")


def upgrade() -> None:
    for slug in DOMAINS:
        op.add_column("sessions", sa.Column(f"rating_{_name(slug)}", sa.SmallInteger(), nullable=True))
    scores = ", ".join(
        f"rating_{_name(slug)} = (SELECT r.value FROM session_ratings AS r WHERE r.session_id = s.id "
        f"AND r.revision = s.revision AND r.domain = '{slug}')"
        for slug in DOMAINS
    )
    op.execute(f"UPDATE sessions AS s SET {scores}")

    op.create_table(
        "priority_years",
        sa.Column("title_key", sa.Text(), nullable=False),
        sa.Column("neighbourhood_key", sa.Text(), nullable=False),
        sa.Column("year", sa.Date(), nullable=False),
        sa.Column("priorities", sa.Integer(), nullable=False),
        sa.Column("votes", sa.BigInteger(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("best_position", sa.Integer(), nullable=True),
        sa.Column("title_choice", sa.Text(), nullable=True),
        *(sa.Column(f"votes_{_name(slug)}", sa.BigInteger(), nullable=False) for slug in DOMAINS),
        *(sa.Column(f"actions_{status}", sa.BigInteger(), nullable=False) for status in STATUSES),
        sa.PrimaryKeyConstraint("title_key", "neighbourhood_key", "year", name=op.f("pk_priority_years")),
    )
    op.create_index("ix_priority_years_year", "priority_years", ["year"], unique=False)
    op.create_index("ix_priority_years_neighbourhood_key_year", "priority_years", ["neighbourhood_key", "year"],
                    unique=False)
    sums = ", ".join(["priorities", "votes", "sessions", *(f"votes_{_name(slug)}" for slug in DOMAINS),
                      *(f"actions_{status}" for status in STATUSES)])
    op.execute(
        f"INSERT INTO priority_years (title_key, neighbourhood_key, year, {sums}, best_position, title_choice) "
        "SELECT m.title_key, m.neighbourhood_key, CAST(date_trunc('year', m.month) AS date), "
        + ", ".join(f"sum(m.{column})" for column in sums.split(", "))
        + ', min(m.best_position), min(m.title_choice COLLATE "C") FROM priority_months AS m GROUP BY 1, 2, 3'
    )


def downgrade() -> None:
    raise NotImplementedError("the council database is never downgraded")
