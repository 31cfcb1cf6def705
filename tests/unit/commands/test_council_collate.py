"""collate: the same sessions give the same figures from the laptop and from the council database
(computed there by SQL), with filters, as JSON, PDF and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from council_samples import sample_sessions, sessions_across_years

from nrp_desktop.domain.collation_figures import CollationFilter, figures_from_sessions, title_key
from nrp_desktop.services.collate import collate as group_priorities
from nrp_desktop.services.council import CouncilDatabase, collate, publish_sessions
from nrp_desktop.services.sessions import SessionStore


@pytest.fixture
def published(council_urls, council_password) -> dict[str, str]:
    council_password("owner")
    with CouncilDatabase(council_urls["owner"]) as database:
        database.upgrade()
    council_password("writer")
    with SessionStore() as store:
        for session in sample_sessions():
            store.save_session(session)
        publish_sessions(store, None, council_urls["writer"])
    council_password("reader")
    return council_urls


FILTERS = [
    CollationFilter(),
    CollationFilter(neighbourhood="BOOTLE"),
    CollationFilter(since=dt.date(2027, 3, 10)),
    CollationFilter(since=dt.date(2027, 3, 1), until=dt.date(2027, 3, 31)),
    CollationFilter(neighbourhood="Westminster", until=dt.date(2027, 4, 30)),
    CollationFilter(neighbourhood="Nowhere"),
    # Whole months from the running totals, the days around them from the priorities.
    CollationFilter(since=dt.date(2027, 3, 10), until=dt.date(2027, 4, 15)),
    CollationFilter(since=dt.date(2027, 2, 15), until=dt.date(2027, 4, 30)),
    CollationFilter(neighbourhood="bootle", until=dt.date(2027, 3, 19)),
    CollationFilter(since=dt.date(2027, 4, 1)),
]


@pytest.mark.parametrize("where", FILTERS, ids=str)
def test_the_same_sessions_give_the_same_figures_from_either_source(published, where):
    with SessionStore() as store:
        laptop = collate(where, source=store)
    assert collate(where, url=published["reader"]) == laptop


def test_the_command_gives_the_same_json_from_either_source(published):
    laptop = run_cli("collate", "--until", "2027-04-30", "--json")
    council = run_cli("collate", "--from", published["reader"], "--until", "2027-04-30", "--json")
    assert laptop.returncode == 0, laptop.stderr
    assert council.returncode == 0, council.stderr
    assert json.loads(council.stdout) == json.loads(laptop.stdout)
    assert json.loads(laptop.stdout)["sessions"] == 3


def test_the_figures_are_the_ones_expected(published):
    figures = json.loads(run_cli("collate", "--from", published["reader"], "--json").stdout)
    assert set(figures) >= {"sessions", "participants", "ratings", "domain_votes", "priorities"}
    assert figures["sessions"] == 4
    assert figures["participants"] == 36
    assert figures["ratings"]["social-connectedness"] == {"mean": 3.0, "n": 3}
    assert figures["ratings"]["governance-systems"] == {"mean": 6.0, "n": 1}
    assert figures["domain_votes"]["environmental-conditions"] == 9 + 9 + 4
    assert figures["domain_votes"]["governance-systems"] == 9
    # "Safer crossings near the school" and "safer crossing near the schools" say the same.
    assert figures["priorities"][0] == {"title": "Safer crossings near the school", "votes": 18, "sessions": 2}
    assert figures["priorities"][1] == {"title": "Warm spaces in winter", "votes": 12, "sessions": 1}
    assert figures["priorities"][2] == {"title": "A youth club on Fridays", "votes": 11, "sessions": 3}
    assert figures["actions"] == {"agreed": 5, "started": 1, "done": 1, "dropped": 0}
    bootle = json.loads(run_cli("collate", "--from", published["reader"], "--neighbourhood", " bootle",
                                "--json").stdout)
    assert bootle["sessions"] == 2 and bootle["participants"] == 14


def test_the_grouping_key_is_the_laptop_collations_own():
    """Priorities the laptop's collation puts together at once are exactly those with one key."""
    sessions = sample_sessions()
    collation = group_priorities(sessions)
    for group in collation.groups:
        if group.confirmed:
            assert len({title_key(member.priority.title) for member in group.members}) == 1
    keys = {title_key(p.title) for s in sessions for p in s.priorities}
    exact = sum(len(g.members) if not g.confirmed else 1 for g in collation.groups)
    assert len(keys) <= exact
    assert figures_from_sessions(sessions, CollationFilter()).sessions == 4


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_and_csv_from_either_source(published, tmp_path: Path):
    for source, extra in (("laptop", []), ("council", ["--from", published["reader"]])):
        pdf = tmp_path / f"{source}.pdf"
        made = run_cli("collate", *extra, "-o", str(pdf))
        assert made.returncode == 0, made.stderr
        text = _pdf_text(pdf)
        assert "Priorities across 4 sessions" in text
        assert "Warm spaces in winter" in text and "Westminster community centre" in text
        table = tmp_path / f"{source}.csv"
        assert run_cli("collate", *extra, "--neighbourhood", "bootle", "-o", str(table)).returncode == 0
        raw = table.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] == ["What", "Item", "Value", "N"]
        assert ["sessions", "", "2", ""] in rows
        assert ["priority", "Safer crossings near the school", "18", "2"] in rows
    assert (tmp_path / "laptop.csv").read_bytes() == (tmp_path / "council.csv").read_bytes()


def test_bad_options_are_plain(tmp_path: Path):
    wrong = run_cli("collate", "-o", str(tmp_path / "out.txt"))
    assert wrong.returncode == 2 and ".pdf or .csv" in wrong.stderr
    backwards = run_cli("collate", "--since", "2027-05-01", "--until", "2027-04-01")
    assert backwards.returncode == 2 and "--since is after --until" in backwards.stderr
    not_a_date = run_cli("collate", "--since", "May")
    assert not_a_date.returncode == 2 and "must be a date" in not_a_date.stderr


def test_a_changed_session_moves_its_running_totals(published, council_password, postgres_cluster, council_db):
    """Republished in another month and neighbourhood with fewer priorities: every filter still
    agrees with the laptop, and the totals kept by the publishes equal a fresh count."""
    import dataclasses

    from postgres_cluster import SUPERUSER
    from sqlalchemy import create_engine

    from nrp_desktop.storage import council_collation

    council_password("writer")
    with SessionStore() as store:
        first = sample_sessions()[0]
        store.save_session(dataclasses.replace(first, neighbourhood="Westminster", date=dt.date(2027, 4, 20),
                                               priorities=first.priorities[:1]))
        assert [r.status for r in publish_sessions(store, [first.id], published["writer"])] == ["updated"]
        council_password("reader")
        for where in FILTERS:
            assert collate(where, url=published["reader"]) == collate(where, source=store), where
    kept = postgres_cluster.admin("SELECT * FROM priority_months WHERE priorities > 0 ORDER BY 1, 2, 3", council_db)
    assert postgres_cluster.admin("SELECT count(*) FROM priority_months WHERE priorities = 0", council_db) != [(0,)]
    engine = create_engine(
        f"postgresql+psycopg://{SUPERUSER}@/{council_db}?host={postgres_cluster.socket_dir}&port={postgres_cluster.port}")
    with engine.begin() as connection:
        council_collation.recount_all_totals(connection)
    engine.dispose()
    assert postgres_cluster.admin("SELECT * FROM priority_months WHERE priorities > 0 ORDER BY 1, 2, 3",
                                  council_db) == kept


# Across years: whole years from the yearly totals, other whole months from the monthly ones, the
# days around them from the priorities.
YEAR_FILTERS = [
    CollationFilter(),
    CollationFilter(since=dt.date(2026, 1, 1), until=dt.date(2027, 12, 31)),
    CollationFilter(since=dt.date(2026, 12, 31)),
    CollationFilter(until=dt.date(2026, 12, 31)),
    CollationFilter(until=dt.date(2026, 12, 30)),
    CollationFilter(since=dt.date(2027, 1, 1)),
    CollationFilter(since=dt.date(2025, 6, 30), until=dt.date(2026, 6, 30)),
    CollationFilter(since=dt.date(2025, 7, 1), until=dt.date(2028, 1, 14)),
    CollationFilter(neighbourhood="Bootle", since=dt.date(2025, 7, 1), until=dt.date(2028, 1, 15)),
    CollationFilter(neighbourhood="westminster", since=dt.date(2025, 12, 1)),
    CollationFilter(since=dt.date(2026, 2, 1), until=dt.date(2027, 11, 30)),
]


def _kept_totals(cluster, database: str) -> dict[str, list[tuple]]:
    return {table: cluster.admin(f"SELECT * FROM {table} WHERE priorities > 0 ORDER BY 1, 2, 3", database)
            for table in ("priority_months", "priority_years")}


def _recount_all(cluster, database: str) -> None:
    from postgres_cluster import SUPERUSER
    from sqlalchemy import create_engine

    from nrp_desktop.storage import council_collation

    engine = create_engine(
        f"postgresql+psycopg://{SUPERUSER}@/{database}?host={cluster.socket_dir}&port={cluster.port}")
    with engine.begin() as connection:
        council_collation.recount_all_totals(connection)
    engine.dispose()


def test_sessions_across_years_give_the_same_figures_and_totals_follow_a_move(
    published, council_password, postgres_cluster, council_db
):
    """Published in two batches (the second adds to the first's totals), then in one batch one
    session moved to another year and neighbourhood and another with fewer priorities and no
    scores: every filter agrees with the laptop, and the totals kept by the publishes equal a
    fresh count, in months and in years."""
    import dataclasses

    council_password("writer")
    with SessionStore() as store:
        extra = sessions_across_years()
        for session in extra:
            store.save_session(session)
        statuses = [r.status for r in publish_sessions(store, [s.id for s in extra], published["writer"])]
        assert statuses == ["new"] * len(extra)
        council_password("reader")
        for where in YEAR_FILTERS:
            assert collate(where, url=published["reader"]) == collate(where, source=store), where
        everything = collate(CollationFilter(), url=published["reader"])
        assert everything.sessions == 8 and everything.ratings["governance-systems"].n == 2
        kept = _kept_totals(postgres_cluster, council_db)
        _recount_all(postgres_cluster, council_db)
        assert _kept_totals(postgres_cluster, council_db) == kept

        moved = dataclasses.replace(extra[2], date=dt.date(2025, 6, 1), neighbourhood="Westminster",
                                    ratings={"cultural-coherence": 3},
                                    priorities=[*extra[2].priorities, *extra[0].priorities[:1]])
        fewer = dataclasses.replace(extra[0], ratings={}, priorities=extra[0].priorities[1:])
        store.save_session(moved)
        store.save_session(fewer)
        council_password("writer")
        results = publish_sessions(store, [moved.id, fewer.id, extra[1].id], published["writer"])
        assert [r.status for r in results] == ["updated", "updated", "unchanged"]
        council_password("reader")
        for where in YEAR_FILTERS + FILTERS:
            assert collate(where, url=published["reader"]) == collate(where, source=store), where
    kept = _kept_totals(postgres_cluster, council_db)
    assert postgres_cluster.admin("SELECT count(*) FROM priority_years WHERE priorities = 0", council_db) != [(0,)]
    _recount_all(postgres_cluster, council_db)
    assert _kept_totals(postgres_cluster, council_db) == kept


def test_split_dates_covers_each_day_of_the_filter_once():
    """Whole years, whole months outside them and days outside those tile since…until exactly."""
    from nrp_desktop.storage.council_collation import _next_month, split_dates

    low, high = dt.date(2023, 1, 1), dt.date(2030, 12, 31)

    def days(first: dt.date | None, last: dt.date | None, unit: str) -> set[dt.date]:
        start, covered = first or low, set()
        while start <= (last or high):
            end = {"day": start, "month": _next_month(start) - dt.timedelta(days=1),
                   "year": dt.date(start.year, 12, 31)}[unit]
            covered.update(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
            start = end + dt.timedelta(days=1)
        return covered

    bounds = [None, dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 2, 29), dt.date(2024, 12, 1),
              dt.date(2024, 12, 31), dt.date(2025, 1, 31), dt.date(2025, 3, 1), dt.date(2026, 12, 31),
              dt.date(2027, 1, 1), dt.date(2027, 6, 15)]
    for since in bounds:
        for until in bounds:
            if since is not None and until is not None and since > until:
                continue
            years, months, day_spans = split_dates(since, until)
            pieces = ([days(*span, "year") for span in years] + [days(*span, "month") for span in months]
                      + [days(*span, "day") for span in day_spans])
            assert sum(len(piece) for piece in pieces) == len(set().union(*pieces)), (since, until)
            assert set().union(*pieces) == days(since, until, "day"), (since, until)
            assert all(span[0] is None or span[0].timetuple().tm_yday == 1 for span in years)
            assert all(day is None or day.day == 1 for span in months for day in span)
