"""The session database's schema, as numbered upgrades: version N+1 is made by `UPGRADES[N]`.

Released functions are frozen: a file made by them exists on someone's laptop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Schema upgrades. Released functions are frozen: a file made by them exists on someone's laptop.


def _upgrade_to_1(connection: Connection) -> None:
    """The first schema. Text columns hold text exactly as typed (trimmed); no participant
    names anywhere (only a head count)."""
    for statement in (
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL CHECK (title <> ''),
            date TEXT NOT NULL,                     -- ISO 8601 date
            venue TEXT NOT NULL DEFAULT '',
            neighbourhood TEXT NOT NULL DEFAULT '',
            facilitator TEXT NOT NULL DEFAULT '',
            participants INTEGER CHECK (participants IS NULL OR participants >= 0),
            language TEXT NOT NULL DEFAULT 'en',    -- BCP 47 tag
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,               -- ISO 8601, UTC
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX sessions_newest_first ON sessions (date DESC, created_at DESC)",
        """
        CREATE TABLE session_ratings (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 7),
            PRIMARY KEY (session_id, domain)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE session_groups (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL CHECK (name <> ''),
            PRIMARY KEY (session_id, position),
            UNIQUE (session_id, name)
        ) WITHOUT ROWID
        """,
        # `pk` is the row's own key; `id` is the priority's UUID, unique within its session
        # (two sessions imported from copies of one file may share priority ids).
        """
        CREATE TABLE priorities (
            pk INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,              -- the group's ranking, 0 first
            title TEXT NOT NULL CHECK (title <> ''),
            description TEXT NOT NULL DEFAULT '',
            votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
            group_name TEXT,                        -- one of the session's groups, or NULL
            notes TEXT NOT NULL DEFAULT '',
            UNIQUE (session_id, id)
        )
        """,
        "CREATE INDEX priorities_in_order ON priorities (session_id, position)",
        """
        CREATE TABLE priority_domains (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            domain TEXT NOT NULL,
            PRIMARY KEY (priority_pk, position),
            UNIQUE (priority_pk, domain)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE priority_lessons (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            slug TEXT NOT NULL,                     -- kept even when the content does not know it
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE actions (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            what TEXT NOT NULL CHECK (what <> ''),
            who TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',           -- the action's "when", free text
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
        "CREATE TABLE app_state (key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID",
    ):
        connection.exec_driver_sql(statement)


def _upgrade_to_2(connection: Connection) -> None:
    """Follow-up sessions and the state of actions (contract.md §5.1), and each table's dots
    (issue 12.8). Actions get a stable id (made here for the actions already stored), so the
    table is rebuilt: SQLite cannot add a NOT NULL column without a constant default."""
    for statement in (
        # The session this one follows up; it may be one this laptop has never seen, so no
        # foreign key.
        "ALTER TABLE sessions ADD COLUMN follows TEXT",
        "CREATE INDEX sessions_by_follows ON sessions (follows)",
        "ALTER TABLE priorities ADD COLUMN carried_from TEXT",  # a priority of the earlier session
        """
        CREATE TABLE actions_v2 (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL CHECK (id <> ''),      -- UUID, kept while carried between sessions
            what TEXT NOT NULL CHECK (what <> ''),
            who TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',           -- the action's "when", free text
            status TEXT NOT NULL DEFAULT 'agreed'
                CHECK (status IN ('agreed', 'started', 'done', 'dropped')),
            progress TEXT NOT NULL DEFAULT '',      -- "you said, we did"
            updated TEXT,                           -- ISO date of the last change of state
            carried_from TEXT,                      -- the session where it was first agreed
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
    ):
        connection.exec_driver_sql(statement)
    import uuid

    rows = connection.exec_driver_sql("SELECT priority_pk, position, what, who, due FROM actions").all()
    if rows:
        connection.exec_driver_sql(
            "INSERT INTO actions_v2 (priority_pk, position, id, what, who, due) VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, position, str(uuid.uuid4()), what, who, due) for pk, position, what, who, due in rows],
        )
    for statement in (
        "DROP TABLE actions",
        "ALTER TABLE actions_v2 RENAME TO actions",
        "CREATE INDEX actions_by_id ON actions (id)",
        """
        CREATE TABLE priority_table_votes (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            tally_table TEXT NOT NULL CHECK (tally_table <> ''),  -- the table the dots were counted at
            votes INTEGER NOT NULL CHECK (votes >= 0),
            PRIMARY KEY (priority_pk, tally_table)
        ) WITHOUT ROWID
        """,
    ):
        connection.exec_driver_sql(statement)


Upgrade = Callable[["Connection"], None]
UPGRADES: tuple[Upgrade, ...] = (_upgrade_to_1, _upgrade_to_2)
SCHEMA_VERSION = len(UPGRADES)


