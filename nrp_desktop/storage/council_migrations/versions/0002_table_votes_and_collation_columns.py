"""The dots counted at each table of the room, per priority (the laptop's tally mode); and on each
priority, copies of what its child rows say (domains as bits, actions per state), the key that
picks a group's title, and whether it is the first of its title key in its session, so the
collation is one scan of one table. Rows published under 0001 are
filled in from their child rows.

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
    small = {"domain_mask": "0", "actions_agreed": "0", "actions_started": "0", "actions_done": "0",
             "actions_dropped": "0"}
    for name, default in small.items():
        op.add_column("priorities", sa.Column(name, sa.SmallInteger(), server_default=default, nullable=False))
    op.add_column("priorities", sa.Column("title_choice", sa.Text(), server_default="", nullable=False))
    op.add_column("priorities", sa.Column("first_of_key", sa.Boolean(), server_default=sa.text("true"),
                                          nullable=False))
    # Rows published under 0001: filled in from their child rows (the rules of
    # domain/collation_figures.py as they stood at this revision).
    bits = " ".join(
        f"WHEN '{slug}' THEN {1 << n}"
        for n, slug in enumerate(("social-connectedness", "cultural-coherence", "economic-resources",
                                  "environmental-conditions", "governance-systems"))
    )
    counts = ", ".join(
        f"actions_{status} = (SELECT count(*) FROM actions AS a WHERE a.priority_pk = p.pk "
        f"AND a.status = '{status}')"
        for status in ("agreed", "started", "done", "dropped")
    )
    op.execute(
        "UPDATE priorities AS p SET "
        f"domain_mask = coalesce((SELECT sum(DISTINCT CASE d.domain {bits} ELSE 0 END) "
        "FROM priority_domains AS d WHERE d.priority_pk = p.pk), 0), "
        f"{counts}, "
        "title_choice = lpad((2147483647 - p.votes)::text, 10, '0') || lpad((p.position + 1)::text, 4, '0') "
        "|| to_char(p.session_date, 'YYYYMMDD') || p.session_id || chr(1) || p.title, "
        "first_of_key = NOT EXISTS (SELECT 1 FROM priorities AS q WHERE q.session_id = p.session_id "
        "AND q.revision = p.revision AND q.title_key = p.title_key AND q.position < p.position)"
    )
    op.alter_column("priorities", "title_choice", server_default=None)


def downgrade() -> None:
    raise NotImplementedError("the council database is never downgraded")
