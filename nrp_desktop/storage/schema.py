"""The session schema, expressed once in SQLAlchemy Core: the council database's tables.

The tables and columns mirror the laptop's SQLite store (`storage/user_db.py`, which keeps its own
frozen, numbered upgrades); tests/unit/storage/test_schema_agreement.py holds the two to the same
tables and columns, so a column added to one is added to the other. The council database adds a
few columns of its own (`COUNCIL_ONLY_COLUMNS`):

- versioning, so the publishing role needs no DELETE: `sessions.revision` counts the publishes of
  a changed session; child rows carry the revision they belong to; a replaced revision's
  priorities are marked `is_current = false`. Collation reads only current rows.
- `content_hash` (what was published, so an unchanged session is not written again) and
  `published_at`;
- keys the collation filters and groups by, computed once when publishing: the folded
  neighbourhood (`neighbourhood_key`), the priority title's folded words (`title_key`, the same key
  the laptop's collation groups by), and the session's date and neighbourhood copied onto each
  priority, so collating a neighbourhood or a month reads one index range of one table;
- copies on each priority of what its child rows say (domains as bits, actions per state), the
  key that picks a group's title, and `first_of_key`, so the collation is one scan of the
  priorities table without joins (benchmarks/bench_council.py measured it at 2× faster than
  joining the child tables).

- the collation's running totals (`priority_months` and `priority_years`, tables of their own:
  see there), and on each session its scores per domain (`rating_<domain>`, a copy of its
  `session_ratings`), so the compass figures are one scan of the sessions.

The migrations in `council_migrations/versions/` are frozen copies of this schema's history; a
test checks that upgrading to head gives exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import ACTION_STATUSES

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def rating_column(slug: str) -> str:
    """The sessions column holding the session's score for one domain."""
    return "rating_" + slug.replace("-", "_")


def _text(name: str) -> Column[str]:
    return Column(name, Text, nullable=False, server_default="")


sessions = Table(
    "sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("date", Date, nullable=False),
    _text("venue"),
    _text("neighbourhood"),
    _text("facilitator"),
    Column("participants", Integer),
    Column("language", Text, nullable=False, server_default="en"),
    _text("notes"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("follows", Text),  # contract 5.1: the earlier session this one follows up
    # council only
    Column("revision", Integer, nullable=False),
    Column("content_hash", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("neighbourhood_key", Text, nullable=False),
    # The current revision's agreed scores (NULL: unrated), copied from its session_ratings.
    *(Column(rating_column(slug), SmallInteger) for slug in DOMAIN_SLUGS),
    Index("ix_sessions_neighbourhood_key_date", "neighbourhood_key", "date"),
    Index("ix_sessions_date", "date"),
)

session_ratings = Table(
    "session_ratings",
    metadata,
    Column("session_id", Text, ForeignKey("sessions.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("domain", Text, nullable=False),
    Column("value", Integer, nullable=False),
    PrimaryKeyConstraint("session_id", "revision", "domain"),
)

session_groups = Table(
    "session_groups",
    metadata,
    Column("session_id", Text, ForeignKey("sessions.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    PrimaryKeyConstraint("session_id", "revision", "position"),
    UniqueConstraint("session_id", "revision", "name"),
)

priorities = Table(
    "priorities",
    metadata,
    Column("pk", BigInteger, Identity(), primary_key=True),
    Column("session_id", Text, ForeignKey("sessions.id"), nullable=False),
    Column("id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    _text("description"),
    Column("votes", Integer, nullable=False, server_default="0"),
    Column("group_name", Text),
    _text("notes"),
    Column("carried_from", Text),  # contract 5.1: the earlier session's priority it continues
    # council only
    Column("revision", Integer, nullable=False),
    Column("is_current", Boolean, nullable=False, server_default=text("true")),
    Column("title_key", Text, nullable=False),
    Column("session_date", Date, nullable=False),
    Column("neighbourhood_key", Text, nullable=False),
    # Copies of what the priority's own rows say, so one scan of this table (no joins) gives
    # every figure of a collation: its domains as bits (bit n: DOMAIN_SLUGS[n]), how many of its
    # actions are in each state, the key by which its group picks the title it shows
    # (`domain.collation_figures.title_choice`), and whether it is the first priority of its
    # session with its title_key (so "sessions that raised it" is a count).
    Column("domain_mask", SmallInteger, nullable=False, server_default="0"),
    *(Column(f"actions_{status}", SmallInteger, nullable=False, server_default="0") for status in ACTION_STATUSES),
    Column("title_choice", Text, nullable=False),
    Column("first_of_key", Boolean, nullable=False, server_default=text("true")),
    UniqueConstraint("session_id", "revision", "id"),
    # Collation reads current priorities only: everything, a date range, or a neighbourhood's
    # date range. INCLUDE keeps the aggregates on the index alone where the planner can.
    Index(
        "ix_priorities_current_date", "session_date",
        postgresql_where=text("is_current"), postgresql_include=["title_key", "votes", "position"],
    ),
    Index(
        "ix_priorities_current_neighbourhood", "neighbourhood_key", "session_date",
        postgresql_where=text("is_current"), postgresql_include=["title_key", "votes", "position"],
    ),
    # Recounting one row of `priority_months` after a publish.
    Index("ix_priorities_current_key", "title_key", "neighbourhood_key", "session_date",
          postgresql_where=text("is_current")),
)

# The collation's running totals (council only): per title key, neighbourhood and month
# (`priority_months`) and per title key, neighbourhood and year (`priority_years`), the figures of
# the current priorities there, kept up to date by each publish (in its transaction). Collating
# everything or a neighbourhood reads the years' few rows instead of every priority; a date range
# reads its whole years there, its other whole months in `priority_months`, and only its days
# outside whole months from `priorities`.
def _totals(name: str, period: str) -> Table:
    return Table(
        name,
        metadata,
        Column("title_key", Text, nullable=False),
        Column("neighbourhood_key", Text, nullable=False),
        Column(period, Date, nullable=False),  # the first day of the sessions' month or year
        Column("priorities", Integer, nullable=False),  # current priorities counted (0: none now)
        Column("votes", BigInteger, nullable=False),
        Column("sessions", Integer, nullable=False),  # sessions raising the key (first_of_key)
        Column("best_position", Integer),
        Column("title_choice", Text),
        *(Column(f"votes_{slug.replace('-', '_')}", BigInteger, nullable=False) for slug in DOMAIN_SLUGS),
        *(Column(f"actions_{status}", BigInteger, nullable=False) for status in ACTION_STATUSES),
        PrimaryKeyConstraint("title_key", "neighbourhood_key", period),
        Index(f"ix_{name}_{period}", period),
        Index(f"ix_{name}_neighbourhood_key_{period}", "neighbourhood_key", period),
    )


priority_months = _totals("priority_months", "month")
priority_years = _totals("priority_years", "year")

priority_domains = Table(
    "priority_domains",
    metadata,
    Column("priority_pk", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("domain", Text, nullable=False),
    PrimaryKeyConstraint("priority_pk", "position"),
    UniqueConstraint("priority_pk", "domain"),
    ForeignKeyConstraint(["priority_pk"], ["priorities.pk"]),
)

priority_lessons = Table(
    "priority_lessons",
    metadata,
    Column("priority_pk", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("slug", Text, nullable=False),
    PrimaryKeyConstraint("priority_pk", "position"),
    ForeignKeyConstraint(["priority_pk"], ["priorities.pk"]),
)

actions = Table(
    "actions",
    metadata,
    Column("priority_pk", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("what", Text, nullable=False),
    _text("who"),
    _text("due"),  # the action's "when", free text
    # contract 5.1: the state of an action
    Column("id", Text),
    Column("status", Text, nullable=False, server_default="agreed"),
    _text("progress"),
    Column("updated", Date),
    Column("carried_from", Text),
    PrimaryKeyConstraint("priority_pk", "position"),
    ForeignKeyConstraint(["priority_pk"], ["priorities.pk"]),
)

# The dots counted at each table of the room for a priority (the tally mode), as on the laptop.
priority_table_votes = Table(
    "priority_table_votes",
    metadata,
    Column("priority_pk", BigInteger, nullable=False),
    Column("tally_table", Text, nullable=False),
    Column("votes", Integer, nullable=False),
    PrimaryKeyConstraint("priority_pk", "tally_table"),
    ForeignKeyConstraint(["priority_pk"], ["priorities.pk"]),
)

# Tables the laptop's store has and the council database has not (its own local state).
LAPTOP_ONLY_TABLES = frozenset({"app_state"})
# Tables the council database has and the laptop's store has not (the collation's totals).
COUNCIL_ONLY_TABLES = frozenset({"priority_months", "priority_years"})
# Columns the council database adds to the shared tables (see the module's docstring).
COUNCIL_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "sessions": frozenset({"revision", "content_hash", "published_at", "neighbourhood_key",
                           *(rating_column(slug) for slug in DOMAIN_SLUGS)}),
    "session_ratings": frozenset({"revision"}),
    "session_groups": frozenset({"revision"}),
    "priorities": frozenset({
        "revision", "is_current", "title_key", "session_date", "neighbourhood_key", "domain_mask",
        *(f"actions_{status}" for status in ACTION_STATUSES), "title_choice", "first_of_key",
    }),
}
