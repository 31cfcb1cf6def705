"""The collation computed by the council database: SQL aggregates, never every row into Python.

The rules are those of `domain/collation_figures.py` (read it first); these queries are their SQL
form, and a test holds them to the same figures as `figures_from_sessions`. Text is ordered
`COLLATE "C"` (code point order, as Python compares strings) wherever an order decides a figure,
so a server's locale cannot change the result. The session's date and neighbourhood, the
priority's domains and its actions' statuses are copied onto each priority when it is published,
so the priority figures need no joins; each session carries its scores per domain, so the
compass figures are one scan of the sessions. Each publish keeps, in its own transaction, the
running totals per title key, neighbourhood and month (`priority_months`) and year
(`priority_years`) that it changed. The figures then read the totals for every whole year the
filter covers, the monthly totals for its other whole months, and the priorities themselves only
for the days outside whole months: collating a council's whole history reads one row per key,
neighbourhood and year instead of one per priority (benchmarks/bench_council.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from nrp_desktop.storage.schema import rating_column

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


# The running totals (storage/schema.py): `priority_months` per title key, neighbourhood and
# month, `priority_years` the same per year. Their columns, and how a row is counted from the
# current priorities (a LEFT JOIN's empty side counts nothing).
_DOMAIN_COLUMNS = tuple(f"votes_{slug.replace('-', '_')}" for slug in DOMAIN_SLUGS)
_STATUS_COLUMNS = tuple(f"actions_{status}" for status in ACTION_STATUSES)
_SUMMED = ("priorities", "votes", "sessions", *_DOMAIN_COLUMNS, *_STATUS_COLUMNS)
_LEAST = ("best_position", "title_choice")
_VALUES = (*_SUMMED, *_LEAST)
MONTH_LOCK = 5_180_202  # pg_advisory_xact_lock key: one publish recounts at a time
Cell = tuple[str, str, dt.date]  # (title key, neighbourhood key, first day of the month or year)


@dataclass(frozen=True)
class _Totals:
    table: str
    period: str  # its date column
    unit: str  # date_trunc's unit

    def insert(self) -> str:
        return (f"INSERT INTO {self.table} AS t (title_key, neighbourhood_key, {self.period}, "
                f"{', '.join(_VALUES)}) ")

    def replace(self) -> str:
        return (f"ON CONFLICT (title_key, neighbourhood_key, {self.period}) DO UPDATE SET "
                + ", ".join(f"{column} = excluded.{column}" for column in _VALUES))

    def add(self) -> str:
        """ON CONFLICT: the new priorities' figures added to the row's (the least position and
        title choice kept: adding can only lower them)."""
        return (f"ON CONFLICT (title_key, neighbourhood_key, {self.period}) DO UPDATE SET "
                + ", ".join(f"{column} = t.{column} + excluded.{column}" for column in _SUMMED)
                + ", best_position = LEAST(t.best_position, excluded.best_position)"
                + ', title_choice = LEAST(t.title_choice COLLATE "C", excluded.title_choice COLLATE "C")')

    def start_of(self, day: str) -> str:
        return f"CAST(date_trunc('{self.unit}', {day}) AS date)"


MONTHS = _Totals("priority_months", "month", "month")
YEARS = _Totals("priority_years", "year", "year")


def _counted(p: str) -> str:
    """One total's values counted from priorities `p` (in the order of _VALUES)."""
    per_domain = ", ".join(
        f"coalesce(sum({p}.votes) FILTER (WHERE {p}.domain_mask & {1 << n} <> 0), 0)" for n in range(len(DOMAIN_SLUGS))
    )
    per_status = ", ".join(f"coalesce(sum({p}.actions_{status}), 0)" for status in ACTION_STATUSES)
    return (f"count({p}.pk), coalesce(sum({p}.votes), 0), count({p}.pk) FILTER (WHERE {p}.first_of_key), "
            f'{per_domain}, {per_status}, min({p}.position), min({p}.title_choice COLLATE "C")')


def _summed(m: str) -> str:
    """One year's values summed from its months `m` (in the order of _VALUES)."""
    return (", ".join(f"coalesce(sum({m}.{column}), 0)" for column in _SUMMED)
            + f', min({m}.best_position), min({m}.title_choice COLLATE "C")')


def lock_months(connection: Connection) -> None:
    """Publishes that change the totals take turns (until their transaction ends), so each sees
    every other publish's committed rows and totals."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MONTH_LOCK})


def _cells(cells: Iterable[Cell]) -> dict[str, list[Any]]:
    keys, places, starts = (list(column) for column in zip(*sorted(set(cells)), strict=True))
    return {"keys": keys, "places": places, "starts": starts}


_UNNEST = "unnest(CAST(:keys AS text[]), CAST(:places AS text[]), CAST(:starts AS date[])) AS c(k, n, d)"


def update_totals(connection: Connection, added: Sequence[tuple[int, Cell]], emptied: Iterable[Cell]) -> None:
    """Bring the running totals up to date after a publish, in its transaction: `added` the new
    current priorities (key, month cell), `emptied` the month cells whose priorities an update
    marked not current. Those cells (and their years) are recounted from what is current now;
    every other cell only adds the new priorities' figures, read from their own rows (a total
    with nothing left is kept at 0: the publishing role has no DELETE)."""
    recount = set(emptied)
    recount_years = {(key, place, month.replace(month=1)) for key, place, month in recount}
    for totals, skip, cell_of in (
        (MONTHS, recount, lambda cell: cell),
        (YEARS, recount_years, lambda cell: (cell[0], cell[1], cell[2].replace(month=1))),
    ):
        pks = [pk for pk, cell in added if cell_of(cell) not in skip]
        if pks:
            connection.execute(
                text(f"{totals.insert()}SELECT p.title_key, p.neighbourhood_key, {totals.start_of('p.session_date')}, "
                     f"{_counted('p')} FROM priorities AS p WHERE p.pk = ANY(CAST(:pks AS bigint[])) "
                     f"GROUP BY 1, 2, 3 {totals.add()}"),
                {"pks": pks},
            )
    if recount:
        connection.execute(
            text(f"{MONTHS.insert()}SELECT c.k, c.n, c.d, {_counted('p')} FROM {_UNNEST} "
                 "LEFT JOIN priorities AS p ON p.is_current AND p.title_key = c.k AND p.neighbourhood_key = c.n "
                 "AND p.session_date >= c.d AND p.session_date < CAST(c.d + interval '1 month' AS date) "
                 f"GROUP BY c.k, c.n, c.d {MONTHS.replace()}"),
            _cells(recount),
        )
        connection.execute(
            text(f"{YEARS.insert()}SELECT c.k, c.n, c.d, {_summed('m')} FROM {_UNNEST} "
                 "LEFT JOIN priority_months AS m ON m.title_key = c.k AND m.neighbourhood_key = c.n "
                 "AND m.month >= c.d AND m.month < CAST(c.d + interval '1 year' AS date) "
                 f"GROUP BY c.k, c.n, c.d {YEARS.replace()}"),
            _cells(recount_years),
        )


def recount_all_totals(connection: Connection) -> None:
    """Every running total counted afresh from the current priorities (after a bulk load, or to
    check the kept ones)."""
    zero = ", ".join(f"{column} = 0" for column in _SUMMED)
    for totals in (MONTHS, YEARS):
        connection.execute(text(f"UPDATE {totals.table} SET {zero}, best_position = NULL, title_choice = NULL"))
    connection.execute(text(
        f"{MONTHS.insert()}SELECT p.title_key, p.neighbourhood_key, {MONTHS.start_of('p.session_date')}, "
        f"{_counted('p')} FROM priorities AS p WHERE p.is_current GROUP BY 1, 2, 3 {MONTHS.replace()}"
    ))
    connection.execute(text(
        f"{YEARS.insert()}SELECT m.title_key, m.neighbourhood_key, {YEARS.start_of('m.month')}, "
        f"{_summed('m')} FROM priority_months AS m GROUP BY 1, 2, 3 {YEARS.replace()}"
    ))


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


Span = tuple[dt.date | None, dt.date | None]  # inclusive; None: open on that side


def split_dates(since: dt.date | None, until: dt.date | None) -> tuple[list[Span], list[Span], list[Span]]:
    """The filter's dates as (whole years, whole months outside them, days outside those): each a
    list of inclusive ranges of the years' and months' first days, or of days. Together they
    cover exactly since…until, each day once."""
    first = None if since is None else (since if since.day == 1 else _next_month(since))
    last = None if until is None else (
        _first_of_month(until) if _next_month(until) == until + dt.timedelta(days=1)
        else _first_of_month(_first_of_month(until) - dt.timedelta(days=1)))
    if first is not None and last is not None and first > last:
        return [], [], [(since, until)]  # no whole month
    days: list[Span] = []
    if since is not None and first is not None and since < first:
        days.append((since, first - dt.timedelta(days=1)))
    if until is not None and last is not None and until >= _next_month(last):
        days.append((_next_month(last), until))
    first_year = None if first is None else (first if first.month == 1 else dt.date(first.year + 1, 1, 1))
    last_year = None if last is None else (
        dt.date(last.year, 1, 1) if last.month == 12 else dt.date(last.year - 1, 1, 1))
    if first_year is not None and last_year is not None and first_year > last_year:
        return [], [(first, last)], days  # no whole year
    months: list[Span] = []
    if first is not None and first_year is not None and first < first_year:
        months.append((first, dt.date(first_year.year - 1, 12, 1)))
    if last is not None and last_year is not None and last >= dt.date(last_year.year + 1, 1, 1):
        months.append((dt.date(last_year.year + 1, 1, 1), last))
    return [(first_year, last_year)], months, days


def _groups_sources(where: CollationFilter) -> tuple[str, dict[str, Any]]:
    """The rows to group by title key, as one UNION ALL: the totals of the whole years and of the
    other whole months, and the current priorities of the days outside them (each part: key,
    title choice, votes, sessions, position, votes per domain, actions per status)."""
    values: dict[str, Any] = {}
    place = ""
    if where.neighbourhood_key is not None:
        values["neighbourhood"] = where.neighbourhood_key
        place = " AND {alias}.neighbourhood_key = :neighbourhood"
    total_columns = ", ".join(f"m.{column}" for column in (*_DOMAIN_COLUMNS, *_STATUS_COLUMNS))
    raw_columns = ", ".join(
        [f"CASE WHEN p.domain_mask & {1 << n} <> 0 THEN p.votes ELSE 0 END" for n in range(len(DOMAIN_SLUGS))]
        + [f"p.actions_{status}" for status in ACTION_STATUSES]
    )
    years, months, days = split_dates(where.since, where.until)
    parts: list[str] = []

    def bounded(column: str, span: Span, name: str) -> list[str]:
        conditions = []
        for bound, operator, value in (("first", ">=", span[0]), ("last", "<=", span[1])):
            if value is not None:
                conditions.append(f"{column} {operator} :{name}_{bound}")
                values[f"{name}_{bound}"] = value
        return conditions

    for totals, spans in ((YEARS, years), (MONTHS, months)):
        for n, span in enumerate(spans):
            conditions = ["m.priorities > 0" + place.format(alias="m"),
                          *bounded(f"m.{totals.period}", span, f"{totals.period}_{n}")]
            parts.append("SELECT m.title_key, m.title_choice, m.votes, m.sessions, m.best_position, "
                         f"{total_columns} FROM {totals.table} AS m WHERE {' AND '.join(conditions)}")
    for n, span in enumerate(days):
        conditions = ["p.is_current" + place.format(alias="p"), *bounded("p.session_date", span, f"day_{n}")]
        parts.append("SELECT p.title_key, p.title_choice, p.votes, CASE WHEN p.first_of_key THEN 1 ELSE 0 END, "
                     f"p.position, {raw_columns} FROM priorities AS p WHERE {' AND '.join(conditions)}")
    return " UNION ALL ".join(parts), values


def figures(connection: Connection, where: CollationFilter) -> CollationFigures:
    session_filter, session_values = _sessions(where)
    scores = ", ".join(f"sum(s.{rating_column(slug)}), count(s.{rating_column(slug)})" for slug in DOMAIN_SLUGS)
    count, participants, *per_domain = connection.execute(
        text(f"SELECT count(*), sum(s.participants), {scores} FROM sessions AS s WHERE {session_filter}"),
        session_values,
    ).one()
    ratings = {
        slug: (int(per_domain[2 * n] or 0), int(per_domain[2 * n + 1])) for n, slug in enumerate(DOMAIN_SLUGS)
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
