"""Sessions in the council database: publishing (insert or replace by id) and reading back.

Every function runs inside the caller's transaction. Replacing needs no DELETE (the publishing
role has none): the session's row is updated in place with the next `revision`, its child rows are
inserted under that revision, and the earlier revision's priorities are marked not current.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, and_, bindparam, func, select, text, update

from nrp_desktop.domain.collation_figures import (
    action_status,
    domain_mask,
    neighbourhood_key,
    title_choice,
    title_key,
)
from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import ACTION_STATUSES, Action, Priority, Session, SessionSummary
from nrp_desktop.storage import council_collation
from nrp_desktop.storage.schema import (
    actions,
    priorities,
    priority_domains,
    priority_lessons,
    priority_table_votes,
    rating_column,
    session_groups,
    session_ratings,
    sessions,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass(frozen=True)
class Publication:
    """One session to publish: what it holds and the hash of that content."""

    session: Session
    content_hash: str
    updated_at: dt.datetime  # the laptop's last edit of it


def _optional(value: object, name: str, default: Any = None) -> Any:
    """A contract 5.1 field, where the domain object has it (older objects do not)."""
    return getattr(value, name, default)


def publish(connection: Connection, batch: Sequence[Publication], now: dt.datetime) -> dict[str, str]:
    """Store the batch: {session id: new | updated | unchanged}. Unchanged sessions (same id,
    same content hash) are not written at all."""
    ids = [item.session.id for item in batch]
    council_collation.lock_months(connection)
    stored = {
        row.id: (row.content_hash, row.revision)
        for row in connection.execute(
            select(sessions.c.id, sessions.c.content_hash, sessions.c.revision)
            .where(sessions.c.id.in_(ids))
            .with_for_update()  # two laptops publishing one session queue up, one after the other
        )
    }
    statuses: dict[str, str] = {}
    emptied: set[council_collation.Cell] = set()  # running totals that lose priorities
    to_write: list[tuple[Publication, int]] = []
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for item in batch:
        session = item.session
        found = stored.get(session.id)
        if found is not None and found[0] == item.content_hash:
            statuses[session.id] = UNCHANGED
            continue
        values = _session_values(item, now)
        if found is None:
            new_rows.append({**values, "revision": 1, "created_at": now})
            statuses[session.id] = NEW
            to_write.append((item, 1))
        else:
            revision = found[1] + 1
            del values["id"]  # the key it is found by (b_id), not a column it changes
            changed_rows.append({**values, "revision": revision, "b_id": session.id})
            statuses[session.id] = UPDATED
            to_write.append((item, revision))
    if changed_rows:
        # Replaced in place: the session rows in one executemany (psycopg sends them pipelined),
        # the earlier revisions' priorities marked not current in one statement.
        connection.execute(update(sessions).where(sessions.c.id == bindparam("b_id")), changed_rows)
        replaced = connection.execute(
            update(priorities)
            .where(and_(priorities.c.session_id.in_([row["b_id"] for row in changed_rows]), priorities.c.is_current))
            .values(is_current=False)
            .returning(priorities.c.title_key, priorities.c.neighbourhood_key, priorities.c.session_date)
        )
        emptied.update((key, place, day.replace(day=1)) for key, place, day in replaced)
    _copy(connection, sessions, new_rows)
    if to_write:
        added = _insert_children(connection, to_write)
        council_collation.update_totals(connection, added, emptied)
    return statuses


def _session_values(item: Publication, now: dt.datetime) -> dict[str, Any]:
    session = item.session
    return {
        "id": session.id,
        "title": session.title,
        "date": session.date,
        "venue": session.venue,
        "neighbourhood": session.neighbourhood,
        "facilitator": session.facilitator,
        "participants": session.participants,
        "language": session.language,
        "notes": session.notes,
        "updated_at": item.updated_at,
        "follows": _optional(session, "follows"),
        "content_hash": item.content_hash,
        "published_at": now,
        "neighbourhood_key": neighbourhood_key(session.neighbourhood),
        **{rating_column(slug): session.ratings.get(slug) for slug in DOMAIN_SLUGS},
    }


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert the rows with COPY, inside the caller's transaction: many times faster than INSERTs
    (benchmarks/bench_council.py), and it needs only the INSERT privilege."""
    if not rows:
        return
    names = list(rows[0])
    unknown = set(names) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"not columns of {table.name}: {sorted(unknown)}")  # a programming error
    driver = connection.connection.driver_connection
    assert driver is not None
    columns = ", ".join(f'"{name}"' for name in names)  # names checked against the schema above
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def _insert_children(
    connection: Connection, batch: Sequence[tuple[Publication, int]]
) -> list[tuple[int, council_collation.Cell]]:
    """Insert the child rows of the sessions written; each new priority's key and its running
    totals' month cell."""
    _copy(connection, session_ratings, [
        {"session_id": item.session.id, "revision": revision, "domain": slug, "value": value}
        for item, revision in batch
        for slug, value in item.session.ratings.items()
    ])
    _copy(connection, session_groups, [
        {"session_id": item.session.id, "revision": revision, "position": position, "name": name}
        for item, revision in batch
        for position, name in enumerate(item.session.groups)
    ])
    owners = [priority for item, _ in batch for priority in item.session.priorities]
    if not owners:
        return []
    # Row keys from the column's own sequence, so the child rows can name them in the same COPY.
    keys = iter(connection.execute(
        text("SELECT nextval(pg_get_serial_sequence('priorities', 'pk')) FROM generate_series(1, :n)"),
        {"n": len(owners)},
    ).scalars().all())
    rows: list[dict[str, Any]] = []
    domains: list[dict[str, Any]] = []
    lessons: list[dict[str, Any]] = []
    agreed: list[dict[str, Any]] = []
    tallies: list[dict[str, Any]] = []
    added: list[tuple[int, council_collation.Cell]] = []
    for item, revision in batch:
        session = item.session
        seen_keys: set[str] = set()
        place, month = neighbourhood_key(session.neighbourhood), session.date.replace(day=1)
        for position, priority in enumerate(session.priorities):
            pk = next(keys)
            key = title_key(priority.title)
            added.append((pk, (key, place, month)))
            statuses = [action_status(action) for action in priority.actions]
            rows.append({
                "pk": pk, "session_id": session.id, "id": priority.id, "position": position,
                "title": priority.title, "description": priority.description, "votes": priority.votes,
                "group_name": priority.group, "notes": priority.notes,
                "carried_from": _optional(priority, "carried_from"), "revision": revision,
                "is_current": True, "title_key": key, "session_date": session.date,
                "neighbourhood_key": place,
                "domain_mask": domain_mask(priority.domains),
                **{f"actions_{status}": statuses.count(status) for status in ACTION_STATUSES},
                "title_choice": title_choice(priority.votes, position + 1, session.date, session.id, priority.title),
                "first_of_key": key not in seen_keys,
            })
            seen_keys.add(key)
            domains += [{"priority_pk": pk, "position": n, "domain": slug}
                        for n, slug in enumerate(dict.fromkeys(priority.domains))]
            lessons += [{"priority_pk": pk, "position": n, "slug": slug} for n, slug in enumerate(priority.lessons)]
            agreed += [
                {
                    "priority_pk": pk, "position": n, "what": action.what, "who": action.who, "due": action.when,
                    "id": _optional(action, "id"), "status": action_status(action),
                    "progress": _optional(action, "progress", "") or "", "updated": _optional(action, "updated"),
                    "carried_from": _optional(action, "carried_from"),
                }
                for n, action in enumerate(priority.actions)
            ]
            tallies += [{"priority_pk": pk, "tally_table": name, "votes": votes}
                        for name, votes in _optional(priority, "table_votes", {}).items() if votes]
    _copy(connection, priorities, rows)
    for table, values in (
        (priority_domains, domains), (priority_lessons, lessons), (actions, agreed), (priority_table_votes, tallies),
    ):
        _copy(connection, table, values)
    return added


# ---------------------------------------------------------------------------------------------
# Reading back (the council database as a session source).


def list_summaries(connection: Connection) -> list[SessionSummary]:
    counts = (
        select(priorities.c.session_id, func.count().label("n"))
        .where(priorities.c.is_current)
        .group_by(priorities.c.session_id)
        .subquery()
    )
    rows = connection.execute(
        select(sessions.c.id, sessions.c.title, sessions.c.date, sessions.c.updated_at,
               func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.session_id == sessions.c.id)
        .order_by(sessions.c.date.desc(), sessions.c.created_at.desc())
    ).all()
    return [SessionSummary(id=r[0], title=r[1], date=r[2], priorities=int(r[4]), updated_at=r[3]) for r in rows]


_Built = TypeVar("_Built")


def _build(cls: type[_Built], values: dict[str, Any]) -> _Built:
    """A domain object from the values its dataclass has fields for (the 5.1 fields only where
    the domain already has them)."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: value for name, value in values.items() if name in names and value is not None})


def fetch_session(connection: Connection, session_id: str) -> Session | None:
    row = connection.execute(select(sessions).where(sessions.c.id == session_id)).mappings().first()
    if row is None:
        return None
    revision = row["revision"]
    ratings = dict(connection.execute(
        select(session_ratings.c.domain, session_ratings.c.value)
        .where(session_ratings.c.session_id == session_id, session_ratings.c.revision == revision)
    ).all())
    groups = list(connection.execute(
        select(session_groups.c.name)
        .where(session_groups.c.session_id == session_id, session_groups.c.revision == revision)
        .order_by(session_groups.c.position)
    ).scalars())
    priority_rows = connection.execute(
        select(priorities)
        .where(priorities.c.session_id == session_id, priorities.c.revision == revision)
        .order_by(priorities.c.position)
    ).mappings().all()
    pks = [p["pk"] for p in priority_rows]

    def children(table: Any) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = {}
        for child in connection.execute(
            select(table).where(table.c.priority_pk.in_(pks)).order_by(table.c.priority_pk, table.c.position)
        ).mappings():
            found.setdefault(child["priority_pk"], []).append(child)
        return found

    domains, lessons, agreed = children(priority_domains), children(priority_lessons), children(actions)
    tallies: dict[int, dict[str, int]] = {}
    for tally in connection.execute(
        select(priority_table_votes).where(priority_table_votes.c.priority_pk.in_(pks))
        .order_by(priority_table_votes.c.priority_pk, priority_table_votes.c.tally_table)
    ).mappings():
        tallies.setdefault(tally["priority_pk"], {})[tally["tally_table"]] = tally["votes"]
    built = [
        _build(Priority, {
            "id": p["id"], "title": p["title"], "description": p["description"], "votes": p["votes"],
            "group": p["group_name"], "notes": p["notes"], "carried_from": p["carried_from"],
            "table_votes": tallies.get(p["pk"], {}),
            "domains": [d["domain"] for d in domains.get(p["pk"], [])],
            "lessons": [ls["slug"] for ls in lessons.get(p["pk"], [])],
            "actions": [
                _build(Action, {
                    "what": a["what"], "who": a["who"], "when": a["due"], "id": a["id"], "status": a["status"],
                    "progress": a["progress"], "updated": a["updated"], "carried_from": a["carried_from"],
                })
                for a in agreed.get(p["pk"], [])
            ],
        })
        for p in priority_rows
    ]
    session: Session = _build(Session, {
        "id": row["id"], "title": row["title"], "date": row["date"], "venue": row["venue"],
        "neighbourhood": row["neighbourhood"], "facilitator": row["facilitator"],
        "participants": row["participants"], "language": row["language"], "notes": row["notes"],
        "follows": row["follows"],
        "ratings": {slug: int(ratings[slug]) for slug in DOMAIN_SLUGS if slug in ratings},
        "groups": groups, "priorities": built,
    })
    return session
