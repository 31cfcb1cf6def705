"""The first council schema: sessions and their ratings, groups, priorities (with domains,
lessons and actions), with the fields of contract 5.1 and the council's versioning columns.

Frozen: a council's server may hold this revision. Change the schema in a new revision.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sessions',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('venue', sa.Text(), server_default='', nullable=False),
    sa.Column('neighbourhood', sa.Text(), server_default='', nullable=False),
    sa.Column('facilitator', sa.Text(), server_default='', nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('language', sa.Text(), server_default='en', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('follows', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('neighbourhood_key', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    op.create_index('ix_sessions_date', 'sessions', ['date'], unique=False)
    op.create_index('ix_sessions_neighbourhood_key_date', 'sessions', ['neighbourhood_key', 'date'], unique=False)
    op.create_table('priorities',
    sa.Column('pk', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('session_id', sa.Text(), nullable=False),
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('votes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('group_name', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('carried_from', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('title_key', sa.Text(), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('neighbourhood_key', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_priorities_session_id_sessions')),
    sa.PrimaryKeyConstraint('pk', name=op.f('pk_priorities')),
    sa.UniqueConstraint('session_id', 'revision', 'id', name=op.f('uq_priorities_session_id_revision_id'))
    )
    op.create_index('ix_priorities_current_date', 'priorities', ['session_date'], unique=False,
                    postgresql_where=sa.text('is_current'),
                    postgresql_include=['title_key', 'votes', 'position'])
    op.create_index('ix_priorities_current_neighbourhood', 'priorities', ['neighbourhood_key', 'session_date'],
                    unique=False,
                    postgresql_where=sa.text('is_current'),
                    postgresql_include=['title_key', 'votes', 'position'])
    op.create_table('session_groups',
    sa.Column('session_id', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_groups_session_id_sessions')),
    sa.PrimaryKeyConstraint('session_id', 'revision', 'position', name=op.f('pk_session_groups')),
    sa.UniqueConstraint('session_id', 'revision', 'name', name=op.f('uq_session_groups_session_id_revision_name'))
    )
    op.create_table('session_ratings',
    sa.Column('session_id', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('domain', sa.Text(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_ratings_session_id_sessions')),
    sa.PrimaryKeyConstraint('session_id', 'revision', 'domain', name=op.f('pk_session_ratings'))
    )
    op.create_table('actions',
    sa.Column('priority_pk', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('who', sa.Text(), server_default='', nullable=False),
    sa.Column('due', sa.Text(), server_default='', nullable=False),
    sa.Column('id', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), server_default='agreed', nullable=False),
    sa.Column('progress', sa.Text(), server_default='', nullable=False),
    sa.Column('updated', sa.Date(), nullable=True),
    sa.Column('carried_from', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['priority_pk'], ['priorities.pk'],
                            name=op.f('fk_actions_priority_pk_priorities')),
    sa.PrimaryKeyConstraint('priority_pk', 'position', name=op.f('pk_actions'))
    )
    op.create_table('priority_domains',
    sa.Column('priority_pk', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('domain', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['priority_pk'], ['priorities.pk'],
                            name=op.f('fk_priority_domains_priority_pk_priorities')),
    sa.PrimaryKeyConstraint('priority_pk', 'position', name=op.f('pk_priority_domains')),
    sa.UniqueConstraint('priority_pk', 'domain', name=op.f('uq_priority_domains_priority_pk_domain'))
    )
    op.create_table('priority_lessons',
    sa.Column('priority_pk', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('slug', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['priority_pk'], ['priorities.pk'],
                            name=op.f('fk_priority_lessons_priority_pk_priorities')),
    sa.PrimaryKeyConstraint('priority_pk', 'position', name=op.f('pk_priority_lessons'))
    )

def downgrade() -> None:
    raise NotImplementedError("the council database is never downgraded")
