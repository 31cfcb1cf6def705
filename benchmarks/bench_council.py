"""The council database: collation computed by PostgreSQL against fetching the same rows into
Python and summing there; publishing 1,000 sessions against one bulk COPY of the same rows.

Run: .venv/bin/python benchmarks/bench_council.py [--sessions N] [--priorities 30] [--runs 3]
It starts a private throw-away PostgreSQL cluster (as the tests do: `postgresql` installed by
`scripts/setup.sh --test`; with 1 GB of shared buffers, as a council's server would have), loads
N sessions × 30 priorities and measures, for the whole database, one neighbourhood and one month:

- `query`: the figures' SQL (`council_collation.figures`, the `collate --from` code path) on an
  open connection as the reader role; `collate --from`: the whole `CouncilDatabase.figures` call
  (connect, authenticate, check the schema's revision, query);
- `baseline`: the bare alternative: fetch the rows those figures are made of (sessions, ratings,
  current priorities, their domains and actions) into Python with psycopg and sum them there.

The load: every row is made by the server (generate_series, a fixed seed) with the columns
`publish` computes (title keys from the app's own folding, title choice, domain bits, first of
its key, actions per state, scores per domain), into the tables with their constraints and
indexes dropped, which are then built once exactly as they were (checked); the running totals
are counted by the project's own `recount_all_totals`, then VACUUM ANALYZE. A sample of 40
loaded sessions is read back as the app reads them and published by `publish` into a fresh
database: both must hold the same rows. 100,000 × 30 loads in about 4–6 minutes here.

Goals (issue 17): query ≤ 0.2× baseline, and under 2 s, for each. Then publishing 1,000 sessions
through `publish`'s code path (one transaction, as the writer role) against one COPY of 1,000
other sessions' same rows, in rounds taking turns at going first; then the same 1,000 again
(unchanged) and each of them changed (replaced).

Figures (2026-12-01, 100,000 sessions × 30 priorities, 2 cores shared with other work, load
average 3.9–5.9): see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from nrp_desktop.domain.collation_figures import (  # noqa: E402
    CollationFilter,
    domain_mask,
    neighbourhood_key,
    title_choice,
    title_key,
)
from nrp_desktop.domain.domains import DOMAIN_SLUGS  # noqa: E402
from nrp_desktop.domain.session import ACTION_STATUSES, Action, Priority, Session  # noqa: E402
from nrp_desktop.storage.schema import rating_column  # noqa: E402

NEIGHBOURHOODS = ("Bootle", "Westminster", "Central Southport", "Chapelfields", "Hindley",
                  "Inner North Liverpool", "Kensington", "Riverside", "Skelmersdale")
SUBJECTS = ("crossings", "youth club", "benches", "warm spaces", "bus route", "debt advice", "damp homes",
            "street lighting", "allotments", "litter", "food bank", "play area", "library hours",
            "cycle lanes", "parking", "community cafe", "job fair", "mental health", "sports hall", "market")
QUALIFIERS = ("safer", "more", "better", "cheaper", "open", "local", "free", "new", "quiet", "green")
PLACES = ("near the school", "on Fridays", "in winter", "for older people", "in the park", "by the shops",
          "for young people", "after dark", "at weekends", "on the estate")
SERVER_SETTINGS = {"shared_buffers": "1GB", "max_wal_size": "4GB"}
START = dt.date(2025, 1, 1)
DAYS = 3 * 365


def titles() -> list[str]:
    return [f"{q.capitalize()} {s} {p}" for q in QUALIFIERS for s in SUBJECTS for p in PLACES]


def make_sessions(count: int, priorities: int, seed: int) -> Iterator[Session]:
    rng = random.Random(seed)
    pool = titles()
    for _ in range(count):
        date = START + dt.timedelta(days=rng.randrange(DAYS))
        neighbourhood = rng.choice(NEIGHBOURHOODS)
        items = []
        for _rank in range(priorities):
            domains = rng.sample(DOMAIN_SLUGS, rng.choice((1, 1, 2)))
            actions = [
                Action(what="Ask the council", who="Ann", status=rng.choice(ACTION_STATUSES))
                for _ in range(rng.choice((0, 0, 1)))
            ]
            items.append(Priority(title=rng.choice(pool), votes=rng.randrange(0, 15), domains=domains,
                                  actions=actions))
        items.sort(key=lambda p: -p.votes)
        yield Session(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), title=f"Workshop in {neighbourhood}",
            date=date, venue=f"{neighbourhood} hall", neighbourhood=neighbourhood,
            participants=rng.choice((None, rng.randrange(5, 40))),
            ratings={slug: rng.randrange(1, 8) for slug in rng.sample(DOMAIN_SLUGS, rng.randrange(0, 6))},
            priorities=items,
        )


# ---------------------------------------------------------------------------------------------
# Bulk load with COPY (the bare way to put rows in).


def copy_sessions(connection, sessions: list[Session], first_pk: int,  # type: ignore[no-untyped-def]
                  hashes: dict[str, str] | None = None) -> int:
    """COPY the sessions and all their rows; the next free priority key. `hashes`: the content
    hashes, computed beforehand (the bulk load stands in a cheap one: nothing compares them)."""
    now = dt.datetime.now(dt.UTC)
    keys: dict[str, str] = {}
    pk = first_pk
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY sessions (id, title, date, venue, neighbourhood, facilitator, participants, language, notes, "
            "created_at, updated_at, revision, content_hash, published_at, neighbourhood_key, "
            + ", ".join(rating_column(slug) for slug in DOMAIN_SLUGS) + ") FROM STDIN"
        ) as copy:
            for s in sessions:
                copy.write_row((s.id, s.title, s.date, s.venue, s.neighbourhood, "", s.participants, "en", "",
                                now, now, 1, (hashes or {}).get(s.id, s.id), now, neighbourhood_key(s.neighbourhood),
                                *(s.ratings.get(slug) for slug in DOMAIN_SLUGS)))
        with cursor.copy("COPY session_ratings (session_id, revision, domain, value) FROM STDIN") as copy:
            for s in sessions:
                for slug, value in s.ratings.items():
                    copy.write_row((s.id, 1, slug, value))
        children: list[tuple[int, Priority]] = []
        with cursor.copy(
            "COPY priorities (pk, session_id, id, position, title, votes, revision, is_current, title_key, "
            "session_date, neighbourhood_key, domain_mask, actions_agreed, actions_started, actions_done, "
            "actions_dropped, title_choice, first_of_key) FROM STDIN"
        ) as copy:
            for s in sessions:
                place = neighbourhood_key(s.neighbourhood)
                seen: set[str] = set()
                for position, p in enumerate(s.priorities):
                    key = keys.get(p.title)
                    if key is None:
                        key = keys[p.title] = title_key(p.title)
                    statuses = [a.status for a in p.actions]
                    copy.write_row((pk, s.id, p.id, position, p.title, p.votes, 1, True, key, s.date, place,
                                    domain_mask(p.domains), *(statuses.count(x) for x in ACTION_STATUSES),
                                    title_choice(p.votes, position + 1, s.date, s.id, p.title), key not in seen))
                    seen.add(key)
                    children.append((pk, p))
                    pk += 1
        with cursor.copy("COPY priority_domains (priority_pk, position, domain) FROM STDIN") as copy:
            for key_, p in children:
                for n, slug in enumerate(p.domains):
                    copy.write_row((key_, n, slug))
        with cursor.copy("COPY actions (priority_pk, position, what, who, status) FROM STDIN") as copy:
            for key_, p in children:
                for n, a in enumerate(p.actions):
                    copy.write_row((key_, n, a.what, a.who, a.status))
    return pk


# ---------------------------------------------------------------------------------------------
# The bulk load: rows made by the server itself (generate_series), as `publish` stores them.

BULK_TABLES = ("sessions", "session_ratings", "session_groups", "priorities", "priority_domains",
               "priority_lessons", "actions", "priority_table_votes", "priority_months")


def _definitions(cursor) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    """The bulk tables' constraints (table, name, type, definition) and other indexes (table,
    name, definition), as the server itself writes them back."""
    constraints = cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint AS c "
        "WHERE c.conrelid = ANY(CAST(%s AS regclass[])) AND c.contype IN ('p', 'u', 'f') ORDER BY 1, 2",
        (list(BULK_TABLES),),
    ).fetchall()
    indexes = cursor.execute(
        "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes AS i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conname = i.indexname) "
        "ORDER BY 1, 2",
        (list(BULK_TABLES),),
    ).fetchall()
    return constraints, indexes


def generate_on_server(connection, count: int, per_session: int, seed: float) -> None:  # type: ignore[no-untyped-def]
    """Load `count` sessions × `per_session` priorities (the same mix as `make_sessions`: random
    dates over three years, nine neighbourhoods, 2,000 titles, 0–14 votes, one or two domains,
    a third with one action, 0–5 ratings), every row made by the server (generate_series) with
    the columns `publish` computes (title_key and neighbourhood_key from the app's own folding,
    title_choice, domain_mask, first_of_key, actions per status) computed in SQL. Constraints and
    indexes are dropped first and built once afterwards, exactly as they were (checked); the
    caller then counts the running totals with the project's own recount and ANALYZEs."""
    pool = titles()
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")  # one process: setseed() repeats
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '512MB'")
        constraints, indexes = _definitions(cursor)
        for table, name, _kind, _ in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _, name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("CREATE TEMP TABLE bench_titles (n int PRIMARY KEY, title text, key text)")
        with cursor.copy("COPY bench_titles FROM STDIN") as copy:
            for n, title in enumerate(pool):
                copy.write_row((n, title, title_key(title)))
        cursor.execute("CREATE TEMP TABLE bench_places (n int PRIMARY KEY, name text, key text)")
        with cursor.copy("COPY bench_places FROM STDIN") as copy:
            for n, name in enumerate(NEIGHBOURHOODS):
                copy.write_row((n, name, neighbourhood_key(name)))
        cursor.execute("SELECT setseed(%s)", (seed,))
        scores = ", ".join(f"CASE WHEN random() < 0.5 THEN 1 + floor(random() * 7)::int END AS {rating_column(slug)}"
                           for slug in DOMAIN_SLUGS)
        cursor.execute(
            "CREATE TEMP TABLE bench_s AS SELECT i, md5('nrp-bench-session-' || i)::uuid::text AS id, "
            f"DATE '{START.isoformat()}' + floor(random() * {DAYS})::int AS date, "
            f"floor(random() * {len(NEIGHBOURHOODS)})::int AS place, "
            "CASE WHEN random() < 0.5 THEN NULL ELSE 5 + floor(random() * 35)::int END AS participants, "
            f"{scores} FROM generate_series(1, %s) AS i",
            (count,),
        )
        score_columns = ", ".join(rating_column(slug) for slug in DOMAIN_SLUGS)
        cursor.execute(
            "INSERT INTO sessions (id, title, date, venue, neighbourhood, facilitator, participants, language, notes, "
            "created_at, updated_at, follows, revision, content_hash, published_at, neighbourhood_key, "
            f"{score_columns}) "
            "SELECT s.id, 'Workshop in ' || p.name, s.date, p.name || ' hall', p.name, '', s.participants, 'en', '', "
            "now(), now(), NULL, 1, encode(sha256(convert_to(s.id, 'UTF8')), 'hex'), now(), p.key, "
            + ", ".join(f"s.{rating_column(slug)}" for slug in DOMAIN_SLUGS)
            + " FROM bench_s AS s JOIN bench_places AS p ON p.n = s.place ORDER BY s.i"
        )
        cursor.execute(
            "INSERT INTO session_ratings (session_id, revision, domain, value) "
            "SELECT s.id, 1, v.slug, v.value FROM bench_s AS s CROSS JOIN LATERAL (VALUES "
            + ", ".join(f"('{slug}', s.{rating_column(slug)})" for slug in DOMAIN_SLUGS)
            + ") AS v (slug, value) WHERE v.value IS NOT NULL"
        )
        # Each priority: a title, 0–14 votes, a first domain and (a third of them) a second one,
        # (a third of them) one action in a random state; ranked by votes within its session.
        cursor.execute(
            "CREATE TEMP TABLE bench_p AS SELECT s.i, s.id AS session_id, s.date, s.place, g.n, "
            f"floor(random() * {len(pool)})::int AS t, floor(random() * 15)::int AS votes, "
            "floor(random() * 5)::int AS d1, "
            "CASE WHEN random() < 1.0 / 3 THEN 1 + floor(random() * 4)::int END AS d2, "
            f"CASE WHEN random() < 1.0 / 3 THEN floor(random() * {len(ACTION_STATUSES)})::int END AS status "
            "FROM bench_s AS s CROSS JOIN generate_series(0, %s) AS g (n)",
            (per_session - 1,),
        )
        statuses = ", ".join(f"CASE WHEN r.status = {n} THEN 1 ELSE 0 END" for n in range(len(ACTION_STATUSES)))
        cursor.execute(
            "INSERT INTO priorities (pk, session_id, id, position, title, description, votes, group_name, notes, "
            "carried_from, revision, is_current, title_key, session_date, neighbourhood_key, domain_mask, "
            + ", ".join(f"actions_{status}" for status in ACTION_STATUSES) + ", title_choice, first_of_key) "
            "SELECT (r.i - 1) * %(per)s + r.position + 1, r.session_id, "
            "md5('nrp-bench-priority-' || r.i || '-' || r.n)::uuid::text, r.position, t.title, '', r.votes, NULL, "
            "'', NULL, 1, true, t.key, r.date, pl.key, "
            "(1 << r.d1) | coalesce(1 << ((r.d1 + r.d2) %% 5), 0), "
            f"{statuses}, "
            "lpad((2147483647 - r.votes)::text, 10, '0') || lpad((r.position + 1)::text, 4, '0') "
            "|| to_char(r.date, 'YYYYMMDD') || r.session_id || chr(1) || t.title, "
            "row_number() OVER (PARTITION BY r.i, t.key ORDER BY r.position) = 1 "
            "FROM (SELECT b.*, row_number() OVER (PARTITION BY b.i ORDER BY b.votes DESC, b.n) - 1 AS position "
            "      FROM bench_p AS b) AS r "
            "JOIN bench_titles AS t ON t.n = r.t JOIN bench_places AS pl ON pl.n = r.place "
            "ORDER BY r.i, r.position",
            {"per": per_session},
        )
        # Child rows from what each priority says: its domains (bit order) and its action.
        cursor.execute(
            "INSERT INTO priority_domains (priority_pk, position, domain) "
            "SELECT p.pk, CASE WHEN p.domain_mask & ((1 << d.n) - 1) <> 0 THEN 1 ELSE 0 END, d.slug "
            "FROM priorities AS p CROSS JOIN unnest(CAST(%s AS text[])) WITH ORDINALITY AS d0 (slug, ordinal) "
            "CROSS JOIN LATERAL (SELECT d0.slug, CAST(d0.ordinal - 1 AS int) AS n) AS d "
            "WHERE p.domain_mask & (1 << d.n) <> 0",
            (list(DOMAIN_SLUGS),),
        )
        status_names = " ".join(f"WHEN p.actions_{status} > 0 THEN '{status}'" for status in ACTION_STATUSES)
        cursor.execute(
            "INSERT INTO actions (priority_pk, position, what, who, due, id, status, progress, updated, carried_from) "
            "SELECT p.pk, 0, 'Ask the council', 'Ann', '', md5('nrp-bench-action-' || p.pk)::uuid::text, "
            f"CASE {status_names} END, '', NULL, NULL FROM priorities AS p WHERE "
            + " + ".join(f"p.actions_{status}" for status in ACTION_STATUSES) + " > 0"
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('priorities', 'pk'), (SELECT max(pk) FROM priorities))")
        for table in ("bench_p", "bench_s", "bench_titles", "bench_places"):
            cursor.execute(f"DROP TABLE {table}")
        # Built once, exactly as the schema had them: keys and uniques, indexes, then foreign keys.
        for table, name, _, definition in sorted(constraints, key=lambda c: c[2] == "f"):
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _, _, definition in indexes:
            cursor.execute(definition)
        assert _definitions(cursor) == (constraints, indexes), "the schema was not restored as it was"
    connection.commit()


def load(cluster, database: str, count: int, per_session: int) -> int:  # type: ignore[no-untyped-def]
    """Load the council database; the highest priority key."""
    import psycopg
    from postgres_cluster import OWNER, PASSWORDS
    from sqlalchemy import create_engine

    from nrp_desktop.storage.council_collation import recount_all_totals

    print(f"Loading {count:,} sessions × {per_session} priorities (rows made by the server) …", flush=True)
    start = time.perf_counter()
    with psycopg.connect(host=cluster.host, port=cluster.port, user=OWNER, password=PASSWORDS[OWNER],
                         dbname=database) as loader:
        generate_on_server(loader, count, per_session, seed=0.17)
    loaded = time.perf_counter() - start
    # The rows bypassed publish, which keeps the collation's running totals: count them once
    # with the project's own recount.
    engine = create_engine(f"postgresql+psycopg://{OWNER}:{PASSWORDS[OWNER]}@{cluster.host}:{cluster.port}/{database}")
    with engine.begin() as connection:
        recount_all_totals(connection)
    engine.dispose()
    counted = time.perf_counter() - start - loaded
    with psycopg.connect(host=cluster.host, port=cluster.port, user=OWNER, password=PASSWORDS[OWNER],
                         dbname=database, autocommit=True) as owner:
        owner.execute("VACUUM ANALYZE")
        counts = {table: owner.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                  for table in ("sessions", "session_ratings", "priorities", "priority_domains", "actions")}
        counts["running totals"] = owner.execute(
            "SELECT count(*) FROM priority_months WHERE priorities > 0").fetchone()[0]  # type: ignore[index]
        highest = owner.execute("SELECT max(pk) FROM priorities").fetchone()[0]  # type: ignore[index]
    print(f"  loaded in {time.perf_counter() - start:.1f} s (rows and indexes {loaded:.1f} s, running totals "
          f"{counted:.1f} s, then VACUUM ANALYZE): " + ", ".join(f"{n:,} {t}" for t, n in counts.items()), flush=True)
    return int(highest or 0)


# What `publish` stores, without the columns that name a moment or stand for the whole content
# (created_at, updated_at, published_at, content_hash: the bulk load stands in a hash of the id).
_STORED = {
    "sessions": "SELECT s.id, s.title, s.date, s.venue, s.neighbourhood, s.facilitator, s.participants, s.language, "
                "s.notes, s.follows, s.revision, s.neighbourhood_key, "
                + ", ".join(f"s.{rating_column(slug)}" for slug in DOMAIN_SLUGS)
                + " FROM sessions AS s WHERE s.id = ANY(%s)",
    "session_ratings": "SELECT r.* FROM session_ratings AS r WHERE r.session_id = ANY(%s)",
    "session_groups": "SELECT g.* FROM session_groups AS g WHERE g.session_id = ANY(%s)",
    "priorities": "SELECT session_id, id, position, title, description, votes, group_name, notes, carried_from, "
                  "revision, is_current, title_key, session_date, neighbourhood_key, domain_mask, "
                  + ", ".join(f"actions_{status}" for status in ACTION_STATUSES)
                  + ", title_choice, first_of_key FROM priorities WHERE session_id = ANY(%s)",
    "priority_domains": "SELECT p.session_id, p.id, d.position, d.domain FROM priority_domains AS d "
                        "JOIN priorities AS p ON p.pk = d.priority_pk WHERE p.session_id = ANY(%s)",
    "priority_lessons": "SELECT p.session_id, p.id, x.position, x.slug FROM priority_lessons AS x "
                        "JOIN priorities AS p ON p.pk = x.priority_pk WHERE p.session_id = ANY(%s)",
    "actions": "SELECT p.session_id, p.id, a.position, a.what, a.who, a.due, a.id, a.status, a.progress, a.updated, "
               "a.carried_from FROM actions AS a JOIN priorities AS p ON p.pk = a.priority_pk "
               "WHERE p.session_id = ANY(%s)",
    "priority_table_votes": "SELECT p.session_id, p.id, v.tally_table, v.votes FROM priority_table_votes AS v "
                            "JOIN priorities AS p ON p.pk = v.priority_pk WHERE p.session_id = ANY(%s)",
}


def check_like_publish(cluster, database: str, sample: int = 40) -> None:  # type: ignore[no-untyped-def]
    """Read `sample` loaded sessions back as the app does, publish them with `publish`'s own code
    into a fresh database, and require the same rows in both (every column publish computes)."""
    import psycopg
    from postgres_cluster import OWNER, PASSWORDS, WRITER

    from nrp_desktop.services.council import CouncilDatabase, content_hash
    from nrp_desktop.storage.council_store import Publication

    with CouncilDatabase(cluster.url(OWNER, database), password=PASSWORDS[OWNER]) as loaded:
        every = [summary.id for summary in loaded.list_sessions()]
        ids = every[:: max(1, len(every) // sample)][:sample]
        read_back = [loaded.load_session(session_id) for session_id in ids]
    fresh = cluster.new_database()
    with CouncilDatabase(cluster.url(OWNER, fresh), password=PASSWORDS[OWNER]) as owner:
        owner.upgrade()
    now = dt.datetime.now(dt.UTC)
    with CouncilDatabase(cluster.url(WRITER, fresh), password=PASSWORDS[WRITER]) as writer:
        writer.publish([Publication(s, content_hash(s), now) for s in read_back if s is not None])

    def rows(name: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
        with psycopg.connect(host=cluster.host, port=cluster.port, user=OWNER, password=PASSWORDS[OWNER],
                             dbname=name) as connection:
            return {table: sorted(connection.execute(sql, (ids,)).fetchall(), key=repr)
                    for table, sql in _STORED.items()}

    loaded_rows, published_rows = rows(database), rows(fresh)
    for table in _STORED:
        assert loaded_rows[table] == published_rows[table], f"the bulk load's {table} differ from publish's"
    assert loaded_rows["priorities"], "nothing was compared"


# ---------------------------------------------------------------------------------------------
# The bare baseline: the same rows into Python, summed there.


def python_figures(connection, where: CollationFilter) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    conditions, values = ["p.is_current"], []
    session_conditions = ["TRUE"]
    if where.neighbourhood_key is not None:
        conditions.append("p.neighbourhood_key = %s")
        session_conditions.append("s.neighbourhood_key = %s")
        values.append(where.neighbourhood_key)
    if where.since is not None:
        conditions.append("p.session_date >= %s")
        session_conditions.append("s.date >= %s")
        values.append(where.since)
    if where.until is not None:
        conditions.append("p.session_date <= %s")
        session_conditions.append("s.date <= %s")
        values.append(where.until)
    p_where, s_where = " AND ".join(conditions), " AND ".join(session_conditions)
    with connection.cursor() as cursor:
        people, counted = 0, 0
        for (participants,) in cursor.execute(f"SELECT s.participants FROM sessions AS s WHERE {s_where}", values):
            counted += 1
            people += participants or 0
        ratings: dict[str, list[int]] = {}
        for domain, value in cursor.execute(
            "SELECT r.domain, r.value FROM session_ratings AS r JOIN sessions AS s ON s.id = r.session_id "
            f"AND s.revision = r.revision WHERE {s_where}", values
        ):
            entry = ratings.setdefault(domain, [0, 0])
            entry[0] += value
            entry[1] += 1
        groups: dict[str, list] = {}  # type: ignore[type-arg]
        for key, title, votes, position, session_id, date in cursor.execute(
            f"SELECT p.title_key, p.title, p.votes, p.position, p.session_id, p.session_date FROM priorities AS p "
            f"WHERE {p_where}", values
        ):
            group = groups.get(key)
            shown = (-votes, position, date, session_id)
            if group is None:
                groups[key] = [votes, {session_id}, position, shown, title]
            else:
                group[0] += votes
                group[1].add(session_id)
                group[2] = min(group[2], position)
                if shown < group[3]:
                    group[3], group[4] = shown, title
        domain_votes: dict[str, int] = {}
        for domain, votes in cursor.execute(
            f"SELECT d.domain, p.votes FROM priorities AS p JOIN priority_domains AS d ON d.priority_pk = p.pk "
            f"WHERE {p_where}", values
        ):
            domain_votes[domain] = domain_votes.get(domain, 0) + votes
        statuses: dict[str, int] = {}
        for (status,) in cursor.execute(
            f"SELECT a.status FROM priorities AS p JOIN actions AS a ON a.priority_pk = p.pk WHERE {p_where}", values
        ):
            statuses[status] = statuses.get(status, 0) + 1
        ranked = sorted(groups.items(), key=lambda item: (-item[1][0], item[1][2], item[0]))
    connection.rollback()
    return counted, len(ranked)


def timed(function: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--priorities", type=int, default=30)
    parser.add_argument("--publish", type=int, default=1_000, help="sessions published in the publish test")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import os

    import psycopg
    from postgres_cluster import OWNER, PASSWORDS, READER, WRITER, start_cluster

    from nrp_desktop.services.council import CouncilDatabase, content_hash
    from nrp_desktop.storage.council_store import Publication

    # A council's server is given memory for its data (the tests' cluster keeps the defaults).
    cluster = start_cluster(SERVER_SETTINGS)
    try:
        database = cluster.new_database()
        os.environ["NRP_DESKTOP_DB_PASSWORD"] = PASSWORDS[OWNER]
        with CouncilDatabase(cluster.url(OWNER, database)) as owner:
            owner.upgrade()

        def connect(role: str) -> psycopg.Connection:
            return psycopg.connect(host=cluster.host, port=cluster.port, user=role, password=PASSWORDS[role],
                                   dbname=database)

        loaded = load(cluster, database, args.sessions, args.priorities)
        pk = loaded + 1
        print("  checking the loaded rows against `publish` …", flush=True)
        check_like_publish(cluster, database)
        print("  the sample republished by `publish` into a fresh database holds the same rows")

        os.environ["NRP_DESKTOP_DB_PASSWORD"] = PASSWORDS[READER]
        month = CollationFilter(since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31))
        cases = {"everything": CollationFilter(), "one neighbourhood": CollationFilter(neighbourhood="Bootle"),
                 "one month": month}
        print(f"\nCollation (median of {args.runs}; goal: database ≤ 0.2× baseline and < 2 s)")
        print("  query: the figures' SQL on an open connection; baseline: the same rows into Python and summed")
        print("  there, on an open connection; collate --from: the whole call as the command makes it (connect,")
        print("  authenticate, check the schema's revision, query)")
        print(f"{'':20}{'query':>9}{'baseline':>10}{'ratio':>8}{'collate --from':>16}  sessions")
        from sqlalchemy import create_engine

        from nrp_desktop.storage import council_collation

        reader = CouncilDatabase(cluster.url(READER, database))
        engine = create_engine(f"postgresql+psycopg://{READER}:{PASSWORDS[READER]}@{cluster.host}:{cluster.port}/"
                               f"{database}")
        with connect(READER) as bare, engine.connect() as open_connection:
            for name, where in cases.items():
                def query(w: CollationFilter = where) -> object:
                    with open_connection.begin():
                        council_collation.prepare(open_connection)
                        return council_collation.figures(open_connection, w)

                db_time, figures = timed(query, args.runs)
                whole_time, whole = timed(lambda w=where: reader.figures(w), args.runs)
                py_time, (sessions, keys) = timed(lambda w=where: python_figures(bare, w), args.runs)  # type: ignore[misc]
                assert figures == whole
                assert figures.sessions == sessions and len(figures.priorities) == keys  # type: ignore[attr-defined]
                verdict = "ok" if db_time <= 0.2 * py_time and whole_time < 2 else "MISSED"
                print(f"{name:20}{db_time:>8.3f}s{py_time:>9.3f}s{db_time / py_time:>7.2f}x{whole_time:>15.3f}s"
                      f"  {sessions:,}  {verdict}")
        reader.close()
        engine.dispose()

        print(f"\nPublishing {args.publish:,} sessions × {args.priorities} priorities (one transaction), against one "
              f"COPY of {args.publish:,} others' same rows; {args.runs} rounds, turn about which goes first")
        os.environ["NRP_DESKTOP_DB_PASSWORD"] = PASSWORDS[WRITER]
        publish_times, copy_times, ratios = [], [], []
        items: list[Publication] = []
        with CouncilDatabase(cluster.url(WRITER, database)) as writer:
            for round_ in range(args.runs):
                now = dt.datetime.now(dt.UTC)
                items = [Publication(s, content_hash(s), now)
                         for s in make_sessions(args.publish, args.priorities, seed=99 + 2 * round_)]
                copied = list(make_sessions(args.publish, args.priorities, seed=100 + 2 * round_))
                copied_hashes = {s.id: content_hash(s) for s in copied}

                def publish_round(batch: list[Publication] = items) -> float:
                    start = time.perf_counter()
                    statuses = writer.publish(batch)
                    assert set(statuses.values()) == {"new"}
                    return time.perf_counter() - start

                def copy_round(rows: list[Session] = copied, hashes: dict[str, str] = copied_hashes,
                               first: int = pk + 10_000_000 * (round_ + 1)) -> float:
                    with connect(WRITER) as bulk:
                        start = time.perf_counter()
                        copy_sessions(bulk, rows, first, hashes)
                        bulk.commit()
                        return time.perf_counter() - start

                if round_ % 2:
                    copy_times.append(copy_round())
                    publish_times.append(publish_round())
                else:
                    publish_times.append(publish_round())
                    copy_times.append(copy_round())
                ratios.append(publish_times[-1] / copy_times[-1])
            start = time.perf_counter()
            again = writer.publish(items)
            unchanged_time = time.perf_counter() - start
            assert set(again.values()) == {"unchanged"}
            edited = [dataclasses.replace(item.session, priorities=[
                dataclasses.replace(item.session.priorities[0], votes=item.session.priorities[0].votes + 1),
                *item.session.priorities[1:]]) for item in items]
            changed = [Publication(session, content_hash(session), now) for session in edited]
            start = time.perf_counter()
            replaced = writer.publish(changed)
            changed_time = time.perf_counter() - start
            assert set(replaced.values()) == {"updated"}
        print("  publish: " + ", ".join(f"{t:.2f}" for t in publish_times) + " s; one COPY: "
              + ", ".join(f"{t:.2f}" for t in copy_times) + " s")
        print(f"  median: publish {statistics.median(publish_times):.2f} s, "
              f"COPY {statistics.median(copy_times):.2f} s, "
              f"ratio (median of the rounds' ratios) {statistics.median(ratios):.1f}x")
        print(f"  publishing the same {args.publish:,} again (all unchanged, nothing written): {unchanged_time:.2f} s")
        print(f"  publishing them again, each changed (replaced, their totals recounted): {changed_time:.2f} s")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
