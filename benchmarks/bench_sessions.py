"""Session storage: durable edit latency, and the session list and opening one at scale.

    .venv/bin/python benchmarks/bench_sessions.py [--dir DIR] [--sessions 1000] [--priorities 40]

Goals (issue 4): an edit durably on disk well under 20 ms; with 1,000 sessions of 40 priorities
each, the session list under 100 ms and opening one session under 50 ms.

Every figure is also given as a ratio to a baseline measured in the same run: bare `sqlite3`
doing the same committed single-row update (WAL, synchronous=FULL), so a slow disk shows up in
both. Run it on the disk the app will use: `--dir` defaults to the system temporary folder,
which may be memory-backed (then fsync costs nothing and the edit figures are flattering).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.storage import user_db


def timings(action: Callable[[int], object], runs: int) -> list[float]:
    """Milliseconds of each run of `action(run_number)`."""
    taken = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        taken.append((time.perf_counter() - start) * 1000)
    return taken


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


class BareSqlite:
    """The floor: one committed single-row UPDATE, durable (WAL, synchronous=FULL), with nothing
    around it. Its runs are interleaved with the measured edits, so both meet the same disk."""

    def __init__(self, folder: Path) -> None:
        self.connection = sqlite3.connect(folder / "baseline.sqlite3", isolation_level=None)
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.execute("CREATE TABLE priorities (pk INTEGER PRIMARY KEY, votes INTEGER NOT NULL)")
        self.connection.executemany("INSERT INTO priorities (votes) VALUES (?)", [(0,)] * 40)
        self.samples: list[float] = []

    def update(self, run: int) -> None:
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("UPDATE priorities SET votes = ? WHERE pk = ?", (run, run % 40 + 1))
        self.connection.execute("COMMIT")

    def paired(self, action: Callable[[int], object], runs: int) -> tuple[list[float], float]:
        """Milliseconds of each run of `action`, and the baseline's median over the same stretch."""
        taken, floor = [], []
        for run in range(runs):
            floor += timings(lambda _run, run=run: self.update(run), 1)
            taken += timings(lambda _run, run=run: action(run), 1)
        self.samples += floor
        return taken, statistics.median(floor)

    def close(self) -> None:
        self.connection.close()


def a_priority(rng: random.Random, number: int) -> Priority:
    return Priority(
        title=f"Priority {number}: older neighbours are lonely since the bus route was cut",
        description="Children cannot play out; people avoid the alleys after dark. " * 3,
        domains=rng.sample(DOMAIN_SLUGS, 2),
        votes=rng.randint(0, 30),
        lessons=[f"lesson-{rng.randint(1, 60)}", f"lesson-{rng.randint(1, 60)}"],
        actions=[Action("Ask the council about a clean-up day", "Two volunteers", "Before Christmas"),
                 Action("Find out which advice services are open", "Link worker")],
        notes="Raised twice, at both tables.",
    )


def a_session(rng: random.Random, number: int, priorities: int) -> Session:
    return Session(
        title=f"Residents' evening {number}",
        date=dt.date(2020, 1, 1) + dt.timedelta(days=number),
        venue="Church hall, back room",
        participants=17,
        notes="Two tables. Tea ran out at half seven.",
        ratings={slug: rng.randint(1, 7) for slug in DOMAIN_SLUGS},
        groups=["Table 1", "Table 2"],
        priorities=[a_priority(rng, n) for n in range(priorities)],
    )


def report(name: str, values: list[float], goal_ms: float | None, baseline_ms: float) -> None:
    median = statistics.median(values)
    goal = f"goal < {goal_ms:g} ms" if goal_ms else ""
    verdict = "" if goal_ms is None else ("ok" if median < goal_ms else "MISSED")
    print(f"{name:<48} median {median:8.2f} ms  p95 {p95(values):8.2f} ms  "
          f"× baseline {median / baseline_ms:7.2f}  {goal} {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to make the test databases")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--priorities", type=int, default=40)
    parser.add_argument("--edits", type=int, default=300, help="timed edits of each kind")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="nrp-bench-", dir=args.dir))
    rng = random.Random(4)
    try:
        print(f"databases in {folder} (SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]})")
        bare = BareSqlite(folder)
        database = folder / "sessions.sqlite3"
        backups = folder / "backups"
        store = SessionStore(database, backups_dir=backups)
        session = store.save_session(a_session(rng, 0, args.priorities))
        ids = [p.id for p in session.priorities]
        for run in range(50):  # warm up both files, so neither pays for first writes
            bare.update(run)
            store.set_votes(session.id, ids[run % len(ids)], run)
        edits = [
            ("set_votes (durable)", lambda run: store.set_votes(session.id, ids[run % len(ids)], run)),
        ]
        replacements = [dataclasses.replace(a_priority(rng, run), id=ids[run % len(ids)])
                        for run in range(args.edits)]
        edits.append(("update_priority (durable, 2 actions, 2 lessons)",
                      lambda run: store.update_priority(session.id, replacements[run])))
        edits.append(("move_priority (durable)", lambda run: store.move_priority(
            session.id, ids[run % len(ids)], rng.randrange(len(ids)))))
        print("durable edits, each timed against a bare sqlite3 committed UPDATE run just before it:")
        for name, action in edits:
            taken, floor = bare.paired(action, args.edits)
            report(name, taken, 20, floor)
        baseline_ms = statistics.median(bare.samples)
        report("  the bare sqlite3 committed UPDATE itself", bare.samples, None, baseline_ms)

        start = time.perf_counter()
        for number in range(1, args.sessions):
            store.save_session(a_session(rng, number, args.priorities))
        filled_s = time.perf_counter() - start
        size_mb = database.stat().st_size / 1e6
        print(f"\nstored {args.sessions} sessions × {args.priorities} priorities in {filled_s:.1f} s "
              f"({filled_s / args.sessions * 1000:.1f} ms a session, file {size_mb:.1f} MB before checkpoint)")
        summaries = store.list_sessions()
        assert len(summaries) == args.sessions
        report(f"list_sessions ({args.sessions} sessions)", timings(lambda run: store.list_sessions(), 30),
               100, baseline_ms)
        chosen = [rng.choice(summaries).id for _ in range(60)]
        report(f"load_session ({args.priorities} priorities)", timings(
            lambda run: store.load_session(chosen[run]), len(chosen)
        ), 50, baseline_ms)
        taken, floor = bare.paired(lambda run: store.set_votes(session.id, ids[run % len(ids)], run),
                                   args.edits)
        report(f"set_votes with {args.sessions} sessions stored", taken, 20, floor)
        store.close()
        bare.close()

        print(f"database file {database.stat().st_size / 1e6:.1f} MB")
        report("open at start, first of the day (checks + backup)", timings(
            lambda run: SessionStore(database, backups_dir=folder / f"backups-{run}").close(), 5
        ), None, baseline_ms)
        report("open at start, backup already taken (checks)", timings(
            lambda run: SessionStore(database, backups_dir=backups).close(), 5
        ), None, baseline_ms)
        report("  of which quick_check", timings(lambda run: user_db.integrity_problems(database), 5),
               None, baseline_ms)
        report("  full integrity_check instead (not used at start)", timings(
            lambda run: user_db.integrity_problems(database, thorough=True), 3
        ), None, baseline_ms)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
