"""Nothing confirmed is ever lost: a process making a stream of edits is killed (SIGKILL) at
random moments, many times over; after each kill every edit it had confirmed is in the database,
the edit it was making is either wholly there or not at all, and the file passes
PRAGMA integrity_check.

What this proves: transactions are atomic and a confirmed commit survives the process dying at
any instant. A power cut also needs the data on the disk itself, which `synchronous=FULL` asks
the operating system for (checked in test_user_db); a test cannot pull the plug.

The child is this file run as a script: it prints `intent <edit as JSON>` before each edit and
`ack` once the edit's method has returned (committed). The parent replays the edits on its own
model with `apply_edit`, which knows nothing of the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.sessions import SessionStore

ITERATIONS = 25
CHILD_RUN_LIMIT_SECONDS = 20  # a child left behind by a crashed test stops by itself
WORDS = ("lonely", "bus", "rubbish", "park", "youth", "debt", "حي", "شارع", "ulica", "sąsiad", "🌳", "🚌")


def priority_from_json(data: dict[str, Any]) -> Priority:
    return Priority(**{**data, "actions": [Action(**action) for action in data["actions"]]})


def apply_edit(session: Session, edit: dict[str, Any]) -> Session:
    """The session as it is after `edit`: plain list work, independent of the store."""
    after = dataclasses.replace(
        session, ratings=dict(session.ratings), priorities=list(session.priorities)
    )
    ids = [p.id for p in after.priorities]
    kind = edit["op"]
    if kind == "votes":
        index = ids.index(edit["id"])
        after.priorities[index] = dataclasses.replace(after.priorities[index], votes=edit["votes"])
    elif kind == "add":
        after.priorities.insert(edit["index"], priority_from_json(edit["priority"]))
    elif kind == "update":
        priority = priority_from_json(edit["priority"])
        after.priorities[ids.index(priority.id)] = priority
    elif kind == "remove":
        del after.priorities[ids.index(edit["id"])]
    elif kind == "move":
        after.priorities.insert(edit["index"], after.priorities.pop(ids.index(edit["id"])))
    elif kind == "reorder":
        by_id = {p.id: p for p in after.priorities}
        after.priorities = [by_id[priority_id] for priority_id in edit["ids"]]
    elif kind == "rating":
        if edit["value"] is None:
            after.ratings.pop(edit["domain"], None)
        else:
            after.ratings[edit["domain"]] = edit["value"]
        after.ratings = {slug: after.ratings[slug] for slug in DOMAIN_SLUGS if slug in after.ratings}
    elif kind == "notes":
        after.notes = edit["value"]
    else:
        raise AssertionError(f"unknown edit {kind}")
    return after


def perform_edit(store: SessionStore, session_id: str, edit: dict[str, Any]) -> None:
    kind = edit["op"]
    if kind == "votes":
        store.set_votes(session_id, edit["id"], edit["votes"])
    elif kind == "add":
        store.add_priority(session_id, priority_from_json(edit["priority"]), edit["index"])
    elif kind == "update":
        store.update_priority(session_id, priority_from_json(edit["priority"]))
    elif kind == "remove":
        store.remove_priority(session_id, edit["id"])
    elif kind == "move":
        store.move_priority(session_id, edit["id"], edit["index"])
    elif kind == "reorder":
        store.reorder_priorities(session_id, edit["ids"])
    elif kind == "rating":
        store.set_rating(session_id, edit["domain"], edit["value"])
    elif kind == "notes":
        store.update_session_fields(session_id, notes=edit["value"])


def random_priority(rng: random.Random, priority_id: str | None = None) -> Priority:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
    return Priority(
        title=text,
        **({"id": priority_id} if priority_id else {}),
        description=text * rng.randint(0, 20),
        domains=rng.sample(DOMAIN_SLUGS, rng.randint(0, 3)),
        votes=rng.randint(0, 40),
        lessons=[f"lesson-{rng.randint(1, 30)}" for _ in range(rng.randint(0, 3))],
        actions=[Action(f"do {rng.choice(WORDS)}", rng.choice(("", "Ola", "Table 2")), "soon")
                 for _ in range(rng.randint(0, 3))],
        notes=rng.choice(("", "ملاحظة", "note 📝")),
    )


def random_edit(rng: random.Random, session: Session) -> dict[str, Any]:
    ids = [p.id for p in session.priorities]
    choices = ["rating", "notes"] + (["add"] * 3 if len(ids) < 40 else [])
    if ids:
        choices += ["votes"] * 4 + ["update"] * 2 + ["move", "reorder"]
        choices += ["remove"] if len(ids) > 5 else []
    kind = rng.choice(choices)
    if kind == "votes":
        return {"op": kind, "id": rng.choice(ids), "votes": rng.randint(0, 99)}
    if kind == "add":
        priority = dataclasses.asdict(random_priority(rng))
        return {"op": kind, "priority": priority, "index": rng.randint(0, len(ids))}
    if kind == "update":
        return {"op": kind, "priority": dataclasses.asdict(random_priority(rng, rng.choice(ids)))}
    if kind == "remove":
        return {"op": kind, "id": rng.choice(ids)}
    if kind == "move":
        return {"op": kind, "id": rng.choice(ids), "index": rng.randrange(len(ids))}
    if kind == "reorder":
        return {"op": kind, "ids": rng.sample(ids, len(ids))}
    if kind == "rating":
        return {"op": kind, "domain": rng.choice(DOMAIN_SLUGS), "value": rng.choice((None, 1, 4, 7))}
    return {"op": "notes", "value": " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 50)))}


def child_main(database: Path, session_id: str, seed: int) -> None:
    rng = random.Random(seed)
    store = SessionStore(database, backups_dir=database.parent / "backups")
    session = store.load_session(session_id)
    print("ready", flush=True)
    stop_at = time.monotonic() + CHILD_RUN_LIMIT_SECONDS
    while time.monotonic() < stop_at:
        edit = random_edit(rng, session)
        print("intent " + json.dumps(edit, ensure_ascii=False), flush=True)
        perform_edit(store, session_id, edit)
        print("ack", flush=True)
        session = apply_edit(session, edit)


# --- the test ---------------------------------------------------------------------------------


def _run_child_and_kill(database: Path, session_id: str, seed: int, rng: random.Random) -> list[str]:
    """Start an editing child, kill it at a random moment; the complete lines it printed."""
    child = subprocess.Popen(
        [sys.executable, __file__, str(database), session_id, str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )
    lines: list[str] = []
    ready = threading.Event()
    # Killed after a random number of confirmed edits (and a random moment within the next),
    # so a busy machine still sees real streams of edits rather than a child killed at once.
    wanted_acks = rng.randint(5, 20)
    enough = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        acks = 0
        for line in child.stdout:
            lines.append(line)
            if line == "ready\n":
                ready.set()
            elif line == "ack\n":
                acks += 1
                if acks >= wanted_acks:
                    enough.set()
        enough.set()  # the child ended by itself

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(timeout=30):
            child.kill()
            raise AssertionError(f"the child did not start: {child.communicate()[1]}")
        enough.wait(timeout=60)
        time.sleep(rng.uniform(0.0, 0.01))
        if os.name == "posix":
            child.send_signal(signal.SIGKILL)
        else:
            child.kill()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    reader.join(timeout=30)
    assert child.stderr is not None
    errors = child.stderr.read()
    child.stderr.close()
    assert "Traceback" not in errors, errors
    return [line for line in lines if line.endswith("\n")]  # a half-printed line confirms nothing


@pytest.mark.slow
def test_every_confirmed_edit_survives_being_killed_at_random(tmp_path: Path):
    database = tmp_path / "sessions.sqlite3"
    rng = random.Random(20261123)
    with SessionStore(database, backups_dir=tmp_path / "backups") as store:
        session_id = store.create_session("Crash test 💥 اختبار", dt.date(2026, 11, 23)).id
    confirmed_total = 0
    in_flight_found_committed = 0
    for iteration in range(ITERATIONS):
        with SessionStore(database, backups_dir=tmp_path / "backups") as store:
            model = store.load_session(session_id)
        lines = _run_child_and_kill(database, session_id, seed=iteration, rng=rng)
        pending: Session | None = None
        for line in lines[1:]:
            if line.startswith("intent "):
                pending = apply_edit(model, json.loads(line[len("intent "):]))
            else:
                assert line == "ack\n" and pending is not None
                model, pending = pending, None
                confirmed_total += 1

        # Read-only, so the check sees the file exactly as the killed process left it.
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            connection.close()
        with SessionStore(database, backups_dir=tmp_path / "backups") as store:
            stored = store.load_session(session_id)
        if pending is not None and stored == pending:
            in_flight_found_committed += 1  # committed, killed before it could say so: fine
        else:
            assert stored == model, f"iteration {iteration}: the stored session is not the confirmed one"
    print(f"confirmed {confirmed_total}, in flight and committed {in_flight_found_committed}")
    assert confirmed_total >= ITERATIONS * 5, "the children must have made real streams of edits"


if __name__ == "__main__":
    child_main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
