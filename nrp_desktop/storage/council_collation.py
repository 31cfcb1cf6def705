"""The collation computed by the council database: SQL aggregates, never every row into Python.

The rules are those of `domain/collation_figures.py` (read it first); these queries are their SQL
form, and a test holds them to the same figures as `figures_from_sessions`. Text is ordered
`COLLATE "C"` (code point order, as Python compares strings) wherever an order decides a figure,
so a server's locale cannot change the result. The session's date and neighbourhood, the
priority's domains and its actions' statuses are copied onto each priority when it is published,
so the priority figures need no joins; and each publish recounts, in its own transaction, the
running totals per title key, neighbourhood and month (`priority_months`) that it changed. The
figures then read the totals for every whole month the filter covers and the priorities
themselves only for the days outside whole months: collating a council's whole history reads
one row per key, neighbourhood and month instead of one per priority.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from nrp_desktop.domain.collation import CollatedAction, CollatedPriority, CollatedSession, HallVotes
from nrp_desktop.domain.collation_figures import (
    CollationFigures,
    CollationFilter,
    PriorityFigure,
    make_figures,
    title_from_choice,
)
from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import ACTION_STATUSES

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


COLLATION_WORK_MEM = "64MB"  # grouping a whole council's priorities by title stays in memory


def prepare(connection: Connection) -> None:
    """Settings for this read transaction only (SET LOCAL: nothing outlasts it)."""
    connection.execute(text(f"SET LOCAL work_mem = '{COLLATION_WORK_MEM}'"))


def _where(prefix: str, date_column: str, where: CollationFilter) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    values: dict[str, Any] = {}
    if where.neighbourhood_key is not None:
        clauses.append(f"{prefix}.neighbourhood_key = :neighbourhood")
        values["neighbourhood"] = where.neighbourhood_key
    if where.since is not None:
        clauses.append(f"{prefix}.{date_column} >= :since")
        values["since"] = where.since
    if where.until is not None:
        clauses.append(f"{prefix}.{date_column} <= :until")
        values["until"] = where.until
    return (" AND " + " AND ".join(clauses) if clauses else ""), values


def _current_priorities(where: CollationFilter) -> tuple[str, dict[str, Any]]:
    condition, values = _where("p", "session_date", where)
    return f"p.is_current{condition}", values


def _sessions(where: CollationFilter) -> tuple[str, dict[str, Any]]:
    condition, values = _where("s", "date", where)
    return f"TRUE{condition}", values


# The running totals in `priority_months` (storage/schema.py): their columns, and how one row is
# counted from the current priorities (a LEFT JOIN's empty side counts nothing).
_DOMAIN_COLUMNS = tuple(f"votes_{slug.replace('-', '_')}" for slug in DOMAIN_SLUGS)
_STATUS_COLUMNS = tuple(f"actions_{status}" for status in ACTION_STATUSES)
_MONTH_VALUES = ("priorities", "votes", "sessions", "best_position", "title_choice", *_DOMAIN_COLUMNS,
                 *_STATUS_COLUMNS)
_MONTH_INSERT = f"INSERT INTO priority_months (title_key, neighbourhood_key, month, {', '.join(_MONTH_VALUES)}) "
_MONTH_UPSERT = ("ON CONFLICT (title_key, neighbourhood_key, month) DO UPDATE SET "
                 + ", ".join(f"{column} = excluded.{column}" for column in _MONTH_VALUES))
MONTH_LOCK = 5_180_202  # pg_advisory_xact_lock key: one publish recounts at a time


def _counted(p: str) -> str:
    per_domain = ", ".join(
        f"coalesce(sum({p}.votes) FILTER (WHERE {p}.domain_mask & {1 << n} <> 0), 0)" for n in range(len(DOMAIN_SLUGS))
    )
    per_status = ", ".join(f"coalesce(sum({p}.actions_{status}), 0)" for status in ACTION_STATUSES)
    return (f"count({p}.pk), coalesce(sum({p}.votes), 0), count({p}.pk) FILTER (WHERE {p}.first_of_key), "
            f'min({p}.position), min({p}.title_choice COLLATE "C"), {per_domain}, {per_status}')


def lock_months(connection: Connection) -> None:
    """Publishes that recount the totals take turns (until their transaction ends), so each
    recount sees every other publish's committed rows."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MONTH_LOCK})


def recount_months(connection: Connection, touched: Iterable[tuple[str, str, dt.date]]) -> None:
    """Recount the totals of these (title key, neighbourhood key, first day of the month) from the
    current priorities, after a publish changed them (a total with nothing left is kept at 0:
    the publishing role has no DELETE)."""
    rows = sorted(set(touched))
    if not rows:
        return
    keys, places, months = (list(column) for column in zip(*rows, strict=True))
    connection.execute(
        text(
            f"{_MONTH_INSERT}SELECT t.k, t.n, t.m, {_counted('p')} "
            "FROM unnest(CAST(:keys AS text[]), CAST(:places AS text[]), CAST(:months AS date[])) AS t(k, n, m) "
            "LEFT JOIN priorities AS p ON p.is_current AND p.title_key = t.k AND p.neighbourhood_key = t.n "
            "AND p.session_date >= t.m AND p.session_date < CAST(t.m + interval '1 month' AS date) "
            f"GROUP BY t.k, t.n, t.m {_MONTH_UPSERT}"
        ),
        {"keys": keys, "places": places, "months": months},
    )


def recount_all_months(connection: Connection) -> None:
    """Every total counted afresh from the current priorities (after a bulk load)."""
    zero = ", ".join(f"{column} = 0" for column in ("priorities", "votes", "sessions", *_DOMAIN_COLUMNS,
                                                     *_STATUS_COLUMNS))
    connection.execute(text(f"UPDATE priority_months SET {zero}, best_position = NULL, title_choice = NULL"))
    connection.execute(text(
        f"{_MONTH_INSERT}SELECT p.title_key, p.neighbourhood_key, CAST(date_trunc('month', p.session_date) AS date), "
        f"{_counted('p')} FROM priorities AS p WHERE p.is_current GROUP BY 1, 2, 3 {_MONTH_UPSERT}"
    ))


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _whole_months(where: CollationFilter) -> tuple[dt.date | None, dt.date | None] | None:
    """The first and last whole month inside the filter's dates (None: open on that side), or
    None when the dates hold no whole month."""
    first = None if where.since is None else (
        where.since if where.since.day == 1 else _next_month(where.since))
    last = None if where.until is None else (
        _first_of_month(where.until) if _next_month(where.until) == where.until + dt.timedelta(days=1)
        else _first_of_month(_first_of_month(where.until) - dt.timedelta(days=1)))
    if first is not None and last is not None and first > last:
        return None
    return first, last


def _groups_sources(where: CollationFilter) -> tuple[str, dict[str, Any]]:
    """The rows to group by title key, as one UNION ALL: the totals of the whole months, and the
    current priorities of the days outside them (each part: key, title choice, votes, sessions,
    position, votes per domain, actions per status)."""
    values: dict[str, Any] = {}
    place = ""
    if where.neighbourhood_key is not None:
        values["neighbourhood"] = where.neighbourhood_key
        place = " AND {alias}.neighbourhood_key = :neighbourhood"
    month_columns = ", ".join(f"m.{column}" for column in (*_DOMAIN_COLUMNS, *_STATUS_COLUMNS))
    raw_columns = ", ".join(
        [f"CASE WHEN p.domain_mask & {1 << n} <> 0 THEN p.votes ELSE 0 END" for n in range(len(DOMAIN_SLUGS))]
        + [f"p.actions_{status}" for status in ACTION_STATUSES]
    )
    parts: list[str] = []
    raw_ranges: list[tuple[dt.date | None, dt.date | None]] = []  # inclusive day ranges
    whole = _whole_months(where)
    if whole is None:
        raw_ranges.append((where.since, where.until))
    else:
        first, last = whole
        conditions = ["m.priorities > 0" + place.format(alias="m")]
        if first is not None:
            conditions.append("m.month >= :first_month")
            values["first_month"] = first
        if last is not None:
            conditions.append("m.month <= :last_month")
            values["last_month"] = last
        parts.append("SELECT m.title_key, m.title_choice, m.votes, m.sessions, m.best_position, "
                     f"{month_columns} FROM priority_months AS m WHERE {' AND '.join(conditions)}")
        if where.since is not None and first is not None and where.since < first:
            raw_ranges.append((where.since, first - dt.timedelta(days=1)))
        if where.until is not None and last is not None and where.until >= _next_month(last):
            raw_ranges.append((_next_month(last), where.until))
    for n, (since, until) in enumerate(raw_ranges):
        conditions = ["p.is_current" + place.format(alias="p")]
        if since is not None:
            conditions.append(f"p.session_date >= :since_{n}")
            values[f"since_{n}"] = since
        if until is not None:
            conditions.append(f"p.session_date <= :until_{n}")
            values[f"until_{n}"] = until
        parts.append("SELECT p.title_key, p.title_choice, p.votes, CASE WHEN p.first_of_key THEN 1 ELSE 0 END, "
                     f"p.position, {raw_columns} FROM priorities AS p WHERE {' AND '.join(conditions)}")
    return " UNION ALL ".join(parts), values


def figures(connection: Connection, where: CollationFilter) -> CollationFigures:
    session_filter, session_values = _sessions(where)
    count, participants = connection.execute(
        text(f"SELECT count(*), sum(s.participants) FROM sessions AS s WHERE {session_filter}"), session_values
    ).one()
    ratings = {
        domain: (int(total), int(n))
        for domain, total, n in connection.execute(
            text(
                "SELECT r.domain, sum(r.value), count(*) FROM session_ratings AS r "
                "JOIN sessions AS s ON s.id = r.session_id AND s.revision = r.revision "
                f"WHERE {session_filter} GROUP BY r.domain"
            ),
            session_values,
        )
    }
    # Grouped by title key: each group's figures, and its share of the votes per domain and of
    # the actions per status (summed over the groups below: a few thousand rows, not a row per
    # priority). The whole months come from the running totals, the other days from the
    # priorities themselves.
    sources, values = _groups_sources(where)
    sums = ", ".join(f"sum(g.c{n})" for n in range(len(DOMAIN_SLUGS) + len(ACTION_STATUSES)))
    names = ", ".join(f"c{n}" for n in range(len(DOMAIN_SLUGS) + len(ACTION_STATUSES)))
    rows = connection.execute(
        text(
            'SELECT g.title_key, min(g.title_choice COLLATE "C"), sum(g.votes), sum(g.sessions), '
            f"min(g.position) + 1, {sums} "
            f"FROM ({sources}) AS g (title_key, title_choice, votes, sessions, position, {names}) "
            "GROUP BY g.title_key"
        ),
        values,
    ).all()
    domain_votes = dict.fromkeys(DOMAIN_SLUGS, 0)
    statuses = dict.fromkeys(ACTION_STATUSES, 0)
    ranked = []
    for row in rows:
        key, shown, votes, sessions_raising, rank = row[:5]
        ranked.append(PriorityFigure(key=key, title=title_from_choice(shown), votes=int(votes),
                                     sessions=int(sessions_raising), best_rank=int(rank)))
        for slug, value in zip(DOMAIN_SLUGS, row[5 : 5 + len(DOMAIN_SLUGS)], strict=True):
            domain_votes[slug] += int(value or 0)
        for status, value in zip(ACTION_STATUSES, row[5 + len(DOMAIN_SLUGS) :], strict=True):
            statuses[status] += int(value or 0)
    return make_figures(
        sessions=int(count),
        participants=None if participants is None else int(participants),
        ratings=ratings,
        domain_votes=domain_votes,
        priorities=ranked,
        actions=statuses,
    )


_HALL = "CASE WHEN s.venue <> '' THEN s.venue WHEN s.neighbourhood <> '' THEN s.neighbourhood ELSE s.title END"


def report_sessions(connection: Connection, where: CollationFilter) -> list[CollatedSession]:
    """The counted sessions as the printed collation lists them, oldest first."""
    session_filter, values = _sessions(where)
    rows = connection.execute(
        text(
            f"SELECT s.id, s.title, s.date, {_HALL}, s.participants, "
            "(SELECT count(*) FROM priorities AS p WHERE p.session_id = s.id AND p.revision = s.revision), "
            "(SELECT coalesce(json_object_agg(r.domain, r.value), '{}'::json) FROM session_ratings AS r "
            " WHERE r.session_id = s.id AND r.revision = s.revision) "
            f'FROM sessions AS s WHERE {session_filter} ORDER BY s.date, s.id COLLATE "C"'
        ),
        values,
    ).all()
    return [
        CollatedSession(
            title=title, date=date, hall=hall, participants=participants,
            ratings={slug: int(ratings[slug]) for slug in DOMAIN_SLUGS if slug in ratings},
            priorities=int(count),
        )
        for _id, title, date, hall, participants, count, ratings in rows
    ]


def report_priorities(
    connection: Connection, where: CollationFilter, ranked: list[PriorityFigure]
) -> list[CollatedPriority]:
    """The printed collation's priorities (votes per hall, domains, actions) for the ranked
    figures given, in their order."""
    if not ranked:
        return []
    priority_filter, values = _current_priorities(where)
    values = {**values, "keys": [figure.key for figure in ranked]}
    scope = f"{priority_filter} AND p.title_key = ANY(:keys)"
    by_hall: dict[str, list[HallVotes]] = {}
    for key, hall, votes, titles in connection.execute(
        text(
            f"SELECT p.title_key, {_HALL}, sum(p.votes), "
            "array_agg(p.title ORDER BY p.session_date, p.session_id, p.position) "
            "FROM priorities AS p JOIN sessions AS s ON s.id = p.session_id "
            f"WHERE {scope} GROUP BY p.title_key, {_HALL} ORDER BY p.title_key, min(p.session_date)"
        ),
        values,
    ):
        by_hall.setdefault(key, []).append(HallVotes(hall, int(votes), tuple(dict.fromkeys(titles))))
    domains: dict[str, set[str]] = {}
    for key, domain in connection.execute(
        text(
            "SELECT DISTINCT p.title_key, d.domain FROM priorities AS p "
            f"JOIN priority_domains AS d ON d.priority_pk = p.pk WHERE {scope}"
        ),
        values,
    ):
        domains.setdefault(key, set()).add(domain)
    agreed: dict[str, list[CollatedAction]] = {}
    for key, hall, what, who, due in connection.execute(
        text(
            f"SELECT p.title_key, {_HALL}, a.what, a.who, a.due FROM priorities AS p "
            "JOIN sessions AS s ON s.id = p.session_id JOIN actions AS a ON a.priority_pk = p.pk "
            f"WHERE {scope} ORDER BY p.session_date, p.session_id, p.position, a.position"
        ),
        values,
    ):
        agreed.setdefault(key, []).append(CollatedAction(hall, what, who, due))
    return [
        CollatedPriority(
            rank=rank,
            title=figure.title,
            votes=figure.votes,
            by_hall=tuple(by_hall.get(figure.key, ())),
            domains=tuple(slug for slug in DOMAIN_SLUGS if slug in domains.get(figure.key, set())),
            merged=figure.sessions > 1 or len(by_hall.get(figure.key, ())) > 1,
            actions=tuple(agreed.get(figure.key, ())),
        )
        for rank, figure in enumerate(ranked, start=1)
    ]
