"""The dots counted at each table of the room, per priority (the laptop's tally mode).

Frozen: a council's server may hold this revision. Change the schema in a new revision.

Revision ID: 0002
Revises: 0001
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
        "priority_table_votes",
        sa.Column("priority_pk", sa.BigInteger(), nullable=False),
        sa.Column("tally_table", sa.Text(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["priority_pk"], ["priorities.pk"],
                                name=op.f("fk_priority_table_votes_priority_pk_priorities")),
        sa.PrimaryKeyConstraint("priority_pk", "tally_table", name=op.f("pk_priority_table_votes")),
    )


def downgrade() -> None:
    raise NotImplementedError("the council database is never downgraded")
