"""Rows ↔ domain objects in the session database. Each function runs inside the caller's
transaction (`UserDatabase.write()` or `read()`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Action, Priority, Session, SessionSummary

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

_LAST_OPEN_KEY = "last_open_session"


# ---------------------------------------------------------------------------------------------
# Rows ↔ domain objects. Each function runs inside the caller's transaction.


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def session_exists(connection: Connection, session_id: str) -> bool:
    return connection.exec_driver_sql("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).first() is not None


def list_summaries(connection: Connection) -> list[SessionSummary]:
    rows = connection.exec_driver_sql(
        "SELECT s.id, s.title, s.date, s.updated_at, "
        "(SELECT count(*) FROM priorities AS p WHERE p.session_id = s.id) "
        "FROM sessions AS s ORDER BY s.date DESC, s.created_at DESC"
    ).all()
    return [
        SessionSummary(
            id=row[0],
            title=row[1],
            date=dt.date.fromisoformat(row[2]),
            priorities=int(row[4]),
            updated_at=dt.datetime.fromisoformat(row[3]),
        )
        for row in rows
    ]


def insert_session(
    connection: Connection, session: Session, created_at: dt.datetime, updated_at: dt.datetime
) -> None:
    connection.exec_driver_sql(
        "INSERT INTO sessions (id, title, date, venue, neighbourhood, facilitator, participants, "
        "language, notes, created_at, updated_at, follows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.id, session.title, session.date.isoformat(), session.venue,
            session.neighbourhood, session.facilitator, session.participants, session.language,
            session.notes, _stamp(created_at), _stamp(updated_at), session.follows,
        ),
    )
    if session.ratings:
        connection.exec_driver_sql(
            "INSERT INTO session_ratings (session_id, domain, value) VALUES (?, ?, ?)",
            [(session.id, slug, value) for slug, value in session.ratings.items()],
        )
    replace_groups(connection, session.id, session.groups)
    for position, priority in enumerate(session.priorities):
        insert_priority(connection, session.id, priority, position)


def session_created_at(connection: Connection, session_id: str) -> dt.datetime | None:
    value = connection.exec_driver_sql(
        "SELECT created_at FROM sessions WHERE id = ?", (session_id,)
    ).scalar()
    return dt.datetime.fromisoformat(value) if value else None


def delete_session(connection: Connection, session_id: str) -> bool:
    """Remove the session and everything in it (by cascade); False when it was not there."""
    result = connection.exec_driver_sql("DELETE FROM sessions WHERE id = ?", (session_id,))
    return result.rowcount > 0


def touch_session(connection: Connection, session_id: str, moment: dt.datetime) -> bool:
    """Mark the session as edited now; False when there is no such session."""
    result = connection.exec_driver_sql(
        "UPDATE sessions SET updated_at = ? WHERE id = ?", (_stamp(moment), session_id)
    )
    return result.rowcount > 0


SESSION_COLUMNS = ("title", "date", "venue", "neighbourhood", "facilitator", "participants", "language", "notes")


def update_session_columns(connection: Connection, session_id: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(SESSION_COLUMNS)
    if unknown:
        raise ValueError(f"not session columns: {sorted(unknown)}")  # a programming error
    if not values:
        return
    columns = list(values)
    stored = [values[name].isoformat() if name == "date" else values[name] for name in columns]
    assignments = ", ".join(f"{name} = ?" for name in columns)  # names come from SESSION_COLUMNS
    connection.exec_driver_sql(
        f"UPDATE sessions SET {assignments} WHERE id = ?", (*stored, session_id)
    )


def set_rating(connection: Connection, session_id: str, domain: str, value: int | None) -> None:
    if value is None:
        connection.exec_driver_sql(
            "DELETE FROM session_ratings WHERE session_id = ? AND domain = ?", (session_id, domain)
        )
    else:
        connection.exec_driver_sql(
            "INSERT INTO session_ratings (session_id, domain, value) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, domain) DO UPDATE SET value = excluded.value",
            (session_id, domain, value),
        )


def groups(connection: Connection, session_id: str) -> list[str]:
    return list(
        connection.exec_driver_sql(
            "SELECT name FROM session_groups WHERE session_id = ? ORDER BY position", (session_id,)
        ).scalars()
    )


def replace_groups(connection: Connection, session_id: str, names: Sequence[str]) -> None:
    connection.exec_driver_sql("DELETE FROM session_groups WHERE session_id = ?", (session_id,))
    if names:
        connection.exec_driver_sql(
            "INSERT INTO session_groups (session_id, position, name) VALUES (?, ?, ?)",
            [(session_id, position, name) for position, name in enumerate(names)],
        )


def clear_groups_not_in(connection: Connection, session_id: str, names: Sequence[str]) -> dict[str, str]:
    """Priorities whose group is not in `names` lose it; {priority id: the group it had}."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id, group_name FROM priorities WHERE session_id = ? AND group_name IS NOT NULL",
        (session_id,),
    ).all()
    keep = set(names)
    dropped = [(pk, uid, name) for pk, uid, name in rows if name not in keep]
    if dropped:
        connection.exec_driver_sql(
            "UPDATE priorities SET group_name = NULL WHERE pk = ?", [(pk,) for pk, _, _ in dropped]
        )
    return {uid: name for _, uid, name in dropped}


def priority_order(connection: Connection, session_id: str) -> list[tuple[int, str]]:
    """(row key, priority id) of each priority, in ranking order."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id FROM priorities WHERE session_id = ? ORDER BY position", (session_id,)
    ).all()
    return [(int(pk), uid) for pk, uid in rows]


def priority_key(connection: Connection, session_id: str, priority_id: str) -> tuple[int, int] | None:
    """(row key, position) of the priority, or None."""
    row = connection.exec_driver_sql(
        "SELECT pk, position FROM priorities WHERE session_id = ? AND id = ?", (session_id, priority_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else None


def insert_priority(connection: Connection, session_id: str, priority: Priority, position: int) -> int:
    result = connection.exec_driver_sql(
        "INSERT INTO priorities (session_id, id, position, title, description, votes, group_name, "
        "notes, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session_id, priority.id, position, priority.title, priority.description,
            priority.votes, priority.group, priority.notes, priority.carried_from,
        ),
    )
    pk = int(result.lastrowid)
    _insert_priority_children(connection, pk, priority)
    return pk


def _insert_priority_children(connection: Connection, pk: int, priority: Priority) -> None:
    if priority.domains:
        connection.exec_driver_sql(
            "INSERT INTO priority_domains (priority_pk, position, domain) VALUES (?, ?, ?)",
            [(pk, position, slug) for position, slug in enumerate(priority.domains)],
        )
    if priority.lessons:
        connection.exec_driver_sql(
            "INSERT INTO priority_lessons (priority_pk, position, slug) VALUES (?, ?, ?)",
            [(pk, position, slug) for position, slug in enumerate(priority.lessons)],
        )
    if priority.actions:
        connection.exec_driver_sql(
            "INSERT INTO actions (priority_pk, position, id, what, who, due, status, progress, "
            "updated, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    pk, position, a.id, a.what, a.who, a.when, a.status, a.progress,
                    a.updated.isoformat() if a.updated else None, a.carried_from,
                )
                for position, a in enumerate(priority.actions)
            ],
        )
    counted = {name: votes for name, votes in priority.table_votes.items() if votes}
    if counted:
        connection.exec_driver_sql(
            "INSERT INTO priority_table_votes (priority_pk, tally_table, votes) VALUES (?, ?, ?)",
            [(pk, name, votes) for name, votes in counted.items()],
        )


def replace_priority(connection: Connection, pk: int, priority: Priority) -> None:
    """The priority's fields, domains, lessons and actions become those of `priority` (its id
    and position stay)."""
    connection.exec_driver_sql(
        "UPDATE priorities SET title = ?, description = ?, votes = ?, group_name = ?, notes = ?, "
        "carried_from = ? WHERE pk = ?",
        (
            priority.title, priority.description, priority.votes, priority.group, priority.notes,
            priority.carried_from, pk,
        ),
    )
    for table in ("priority_domains", "priority_lessons", "actions", "priority_table_votes"):
        connection.exec_driver_sql(f"DELETE FROM {table} WHERE priority_pk = ?", (pk,))
    _insert_priority_children(connection, pk, priority)


def set_votes(connection: Connection, pk: int, votes: int) -> None:
    connection.exec_driver_sql("UPDATE priorities SET votes = ? WHERE pk = ?", (votes, pk))


def table_votes(connection: Connection, pk: int) -> dict[str, int]:
    return dict(
        connection.exec_driver_sql(
            "SELECT tally_table, votes FROM priority_table_votes WHERE priority_pk = ? ORDER BY tally_table",
            (pk,),
        ).all()
    )


def set_table_votes(connection: Connection, pk: int, table: str, votes: int) -> None:
    """The dots counted at one table for one priority (0 removes the row)."""
    if votes:
        connection.exec_driver_sql(
            "INSERT INTO priority_table_votes (priority_pk, tally_table, votes) VALUES (?, ?, ?) "
            "ON CONFLICT (priority_pk, tally_table) DO UPDATE SET votes = excluded.votes",
            (pk, table, votes),
        )
    else:
        connection.exec_driver_sql(
            "DELETE FROM priority_table_votes WHERE priority_pk = ? AND tally_table = ?",
            (pk, table),
        )


def action_row(connection: Connection, session_id: str, action_id: str) -> tuple[int, int] | None:
    """(priority row key, position) of the action with this id in the session, or None."""
    row = connection.exec_driver_sql(
        "SELECT a.priority_pk, a.position FROM actions AS a JOIN priorities AS p ON p.pk = a.priority_pk "
        "WHERE p.session_id = ? AND a.id = ?",
        (session_id, action_id),
    ).first()
    return (int(row[0]), int(row[1])) if row else None


def set_action_state(
    connection: Connection, pk: int, position: int, status: str, progress: str, updated: dt.date | None
) -> None:
    connection.exec_driver_sql(
        "UPDATE actions SET status = ?, progress = ?, updated = ? WHERE priority_pk = ? AND position = ?",
        (status, progress, updated.isoformat() if updated else None, pk, position),
    )


def sessions_following(connection: Connection, session_id: str) -> list[str]:
    """The ids of the stored sessions that follow this one, oldest first."""
    return list(
        connection.exec_driver_sql(
            "SELECT id FROM sessions WHERE follows = ? ORDER BY date, created_at", (session_id,)
        ).scalars()
    )


def follows_of(connection: Connection, session_id: str) -> tuple[bool, str | None]:
    """(whether the session is stored, the id it follows)."""
    row = connection.exec_driver_sql("SELECT follows FROM sessions WHERE id = ?", (session_id,)).first()
    return (False, None) if row is None else (True, row[0])


def follow_links(connection: Connection) -> list[tuple[str, str | None, str, str]]:
    """(id, follows, date, created_at) of every stored session: the chain walk's input."""
    return [
        (row[0], row[1], row[2], row[3])
        for row in connection.exec_driver_sql("SELECT id, follows, date, created_at FROM sessions")
    ]


def session_ids(connection: Connection) -> set[str]:
    return set(connection.exec_driver_sql("SELECT id FROM sessions").scalars())


def shift_positions(connection: Connection, session_id: str, from_position: int, by: int) -> None:
    """Move every priority at `from_position` or later by `by` places (to open or close a gap)."""
    connection.exec_driver_sql(
        "UPDATE priorities SET position = position + ? WHERE session_id = ? AND position >= ?",
        (by, session_id, from_position),
    )


def set_positions(connection: Connection, positions: Sequence[tuple[int, int]]) -> None:
    """(row key, new position) pairs."""
    if positions:
        connection.exec_driver_sql(
            "UPDATE priorities SET position = ? WHERE pk = ?", [(pos, pk) for pk, pos in positions]
        )


def delete_priority(connection: Connection, pk: int) -> None:
    connection.exec_driver_sql("DELETE FROM priorities WHERE pk = ?", (pk,))


def _children(connection: Connection, sql: str, key: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in connection.exec_driver_sql(sql, (key,)):
        grouped.setdefault(int(row[0]), []).append(row[1:])
    return grouped


def _priorities(connection: Connection, where: str, key: Any) -> list[Priority]:
    """Priorities selected by `where` on the priorities table `p`, in ranking order."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id, title, description, votes, group_name, notes, carried_from FROM priorities AS p "
        f"WHERE {where} ORDER BY position",
        (key,),
    ).all()
    if not rows:
        return []
    def children(columns: str, table: str) -> dict[int, list[Any]]:
        return _children(
            connection,
            f"SELECT c.priority_pk, {columns} FROM {table} AS c "
            f"JOIN priorities AS p ON p.pk = c.priority_pk WHERE {where} "
            "ORDER BY c.priority_pk, c.position",
            key,
        )

    domains = children("c.domain", "priority_domains")
    lessons = children("c.slug", "priority_lessons")
    actions = children(
        "c.what, c.who, c.due, c.id, c.status, c.progress, c.updated, c.carried_from", "actions"
    )
    tables = _children(
        connection,
        "SELECT c.priority_pk, c.tally_table, c.votes FROM priority_table_votes AS c "
        f"JOIN priorities AS p ON p.pk = c.priority_pk WHERE {where} "
        "ORDER BY c.priority_pk, c.tally_table",
        key,
    )
    return [
        Priority(
            id=uid,
            title=title,
            description=description,
            votes=int(votes),
            group=group_name,
            notes=notes,
            domains=[row[0] for row in domains.get(pk, [])],
            lessons=[row[0] for row in lessons.get(pk, [])],
            actions=[_action(*row) for row in actions.get(pk, [])],
            carried_from=carried_from,
            table_votes={name: int(count) for name, count in tables.get(pk, [])},
        )
        for pk, uid, title, description, votes, group_name, notes, carried_from in rows
    ]


def _action(
    what: str, who: str, due: str, uid: str, status: str, progress: str, updated: str | None,
    carried_from: str | None,
) -> Action:
    return Action(
        what=what, who=who, when=due, id=uid, status=status, progress=progress,
        updated=dt.date.fromisoformat(updated) if updated else None, carried_from=carried_from,
    )


def fetch_priority(connection: Connection, pk: int) -> Priority:
    return _priorities(connection, "p.pk = ?", pk)[0]


def fetch_session(connection: Connection, session_id: str) -> Session | None:
    row = connection.exec_driver_sql(
        "SELECT id, title, date, venue, neighbourhood, facilitator, participants, language, notes, "
        "follows FROM sessions WHERE id = ?",
        (session_id,),
    ).first()
    if row is None:
        return None
    stored_ratings: dict[str, int] = dict(
        connection.exec_driver_sql(
            "SELECT domain, value FROM session_ratings WHERE session_id = ?", (session_id,)
        ).all()
    )
    return Session(
        id=row[0],
        title=row[1],
        date=dt.date.fromisoformat(row[2]),
        venue=row[3],
        neighbourhood=row[4],
        facilitator=row[5],
        participants=row[6],
        language=row[7],
        notes=row[8],
        ratings={slug: int(stored_ratings[slug]) for slug in DOMAIN_SLUGS if slug in stored_ratings},
        groups=groups(connection, session_id),
        priorities=_priorities(connection, "p.session_id = ?", session_id),
        follows=row[9],
    )


def get_state(connection: Connection, key: str) -> str | None:
    return connection.exec_driver_sql("SELECT value FROM app_state WHERE key = ?", (key,)).scalar()


def set_state(connection: Connection, key: str, value: str | None) -> None:
    if value is None:
        connection.exec_driver_sql("DELETE FROM app_state WHERE key = ?", (key,))
    else:
        connection.exec_driver_sql(
            "INSERT INTO app_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def last_open_session_id(connection: Connection) -> str | None:
    value = get_state(connection, _LAST_OPEN_KEY)
    return value if value is not None and session_exists(connection, value) else None


def set_last_open_session(connection: Connection, session_id: str | None) -> None:
    set_state(connection, _LAST_OPEN_KEY, session_id)


def forget_last_open_session(connection: Connection, session_id: str) -> None:
    """If `session_id` is the one remembered as open, remember none."""
    connection.exec_driver_sql(
        "DELETE FROM app_state WHERE key = ? AND value = ?", (_LAST_OPEN_KEY, session_id)
    )
