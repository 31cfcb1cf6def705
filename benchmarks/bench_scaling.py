"""Import cost against file size: every step of `import` must be linear in the size of the file.

    .venv/bin/python benchmarks/bench_scaling.py [--groups 10000] [--actions 5000] [--runs 3]

Goal (issue 10, item 10): doubling the file doubles the time, no more. Two shapes are measured at
1×, 2× and 4× their base size: many table groups (40,000 at 4×: 14 s before the fix, a list scan
per group) and many actions (20,000 at 4×). Each step goes through what `nrp-desktop import`
does (read and check the file, check it against the store's rules, store it in one
transaction), into a fresh database per run. The baseline, measured in the same run at the same
sizes, is the bare floor of the same work: `json.loads` of the file plus one `executemany`
of the same rows into a bare sqlite3 table. Printed: the time at each size, its ratio to the
baseline, and the growth ratio of CPU time per doubling (≈ 2.0 is linear; a quadratic step
shows as ≈ 4). Exits 1 when a growth reaches 2.6×.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nrp_desktop.services.session_file import read_session_file
from nrp_desktop.services.sessions import SessionStore


def file_with_groups(count: int) -> dict:
    groups = [f"Table {n}" for n in range(count)]
    priorities = [{"title": f"Priority {n}", "group": groups[n]} for n in range(min(count, 500))]
    return _document(groups=groups, priorities=priorities)


def file_with_actions(count: int) -> dict:
    per_priority = max(1, count // 500)
    priorities = [{"title": f"Priority {p}",
                   "actions": [{"what": f"Action {p}.{a}", "who": "Ann", "when": "May"}
                               for a in range(per_priority)]}
                  for p in range(min(500, count))]
    return _document(priorities=priorities)


def _document(**session: object) -> dict:
    return {"format": "nrp-session", "version": 1,
            "session": {"title": "Scaling", "date": "2026-11-23", **session}}


def import_like_the_cli(path: Path, folder: Path, run: int) -> None:
    parsed = read_session_file(path, known_lessons=set())
    with SessionStore(folder / f"s{run}.sqlite3", backups_dir=folder / "backups") as store:
        store.save_sessions([parsed.session])


def bare_floor(path: Path, folder: Path, run: int) -> None:
    document = json.loads(path.read_bytes())
    rows = [(name,) for name in document["session"].get("groups", [])]
    rows += [(action["what"],) for priority in document["session"]["priorities"]
             for action in priority.get("actions", [])]
    connection = sqlite3.connect(folder / f"bare{run}.sqlite3", isolation_level=None)
    connection.execute("CREATE TABLE rows (text TEXT NOT NULL)")
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO rows (text) VALUES (?)", rows)
    connection.execute("COMMIT")
    connection.close()


def fastest(step: Callable[[Path, Path, int], None], path: Path, folder: Path,
            runs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest run. CPU time is the steadier figure on a busy
    machine, and the one the growth ratio uses; wall time adds the disk's flushes."""
    taken = []
    for run in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        step(path, folder, run)
        taken.append((time.perf_counter() - start, time.process_time() - start_cpu))
    return min(taken)


def measure(name: str, make: Callable[[int], dict], base: int, runs: int, folder: Path) -> float:
    """Print one shape's table; the worst growth ratio per doubling."""
    print(f"\n{name}")
    print(f"{'size':>8} {'file':>9} {'wall':>8} {'cpu':>8} {'bare cpu':>9} {'ratio':>6} {'growth':>7}")
    previous: float | None = None
    growths: list[float] = []
    for factor in (1, 2, 4):
        size = base * factor
        path = folder / f"{name}-{size}.nrpsession"
        path.write_text(json.dumps(make(size)), encoding="utf-8")
        work = folder / f"{name}-{size}"
        work.mkdir()
        wall, cpu = fastest(import_like_the_cli, path, work, runs)
        _bare_wall, bare = fastest(bare_floor, path, work, runs)
        growth = "" if previous is None else f"{cpu / previous:6.2f}×"
        if previous is not None:
            growths.append(cpu / previous)
        print(f"{size:>8} {path.stat().st_size / 1e6:>7.2f}MB {wall:>7.2f}s {cpu:>7.2f}s "
              f"{bare:>8.3f}s {cpu / bare:>5.1f}× {growth:>7}")
        previous = cpu
    return max(growths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000, help="groups at 1× (default 10,000)")
    parser.add_argument("--actions", type=int, default=5_000, help="actions at 1× (default 5,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the fastest counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nrp-scaling-") as scratch:
        folder = Path(scratch)
        worst = {
            "groups": measure("groups", file_with_groups, args.groups, args.runs, folder),
            "actions": measure("actions", file_with_actions, args.actions, args.runs, folder),
        }
    print()
    linear = True
    for name, growth in worst.items():
        verdict = "linear" if growth < 2.6 else "FASTER THAN LINEAR"
        linear &= growth < 2.6
        print(f"{name}: worst growth per doubling {growth:.2f}× ({verdict}; goal < 2.6×, 2.0× is linear)")
    print(f"median of the worst growths: {statistics.median(worst.values()):.2f}×")
    return 0 if linear else 1


if __name__ == "__main__":
    sys.exit(main())
