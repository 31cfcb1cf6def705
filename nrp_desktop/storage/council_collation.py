"""The collation computed by the council database: SQL aggregates, never every row into Python.

The rules are those of `domain/collation_figures.py` (read it first); these queries are their SQL
form, and a test holds them to the same figures as `figures_from_sessions`. Text is ordered
`COLLATE "C"` (code point order, as Python compares strings) wherever an order decides a figure,
so a server's locale cannot change the result. The priority figures are one scan of the
priorities table (through the partial indexes on current rows), no joins: the session's date and
neighbourhood, the priority's domains and its actions' statuses are copied onto each priority
when it is published.
"""

from __future__ import annotations

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


def figures(connection: Connection, where: CollationFilter) -> CollationFigures:
    session_filter, session_values = _sessions(where)
    priority_filter, priority_values = _current_priorities(where)
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
    # One scan of the current priorities, grouped by title key: each group's figures, and its
    # share of the votes per domain and of the actions per status (summed over the groups
    # below: a few thousand rows, not a row per priority).
    per_domain = ", ".join(
        f"sum(p.votes) FILTER (WHERE p.domain_mask & {1 << n} <> 0)" for n in range(len(DOMAIN_SLUGS))
    )
    per_status = ", ".join(f"sum(p.actions_{status})" for status in ACTION_STATUSES)
    rows = connection.execute(
        text(
            'SELECT p.title_key, min(p.title_choice COLLATE "C"), sum(p.votes), '
            "count(*) FILTER (WHERE p.first_of_key), min(p.position) + 1, "
            f"{per_domain}, {per_status} "
            f"FROM priorities AS p WHERE {priority_filter} GROUP BY p.title_key"
        ),
        priority_values,
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
