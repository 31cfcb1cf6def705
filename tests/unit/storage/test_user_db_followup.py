"""Schema 2 (contract §5.1 and issue 12.8): follow-up links, the state of actions, each table's
dots; and the upgrade from the frozen schema-1 database."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.storage import user_db

FROZEN_V1 = Path(__file__).resolve().parents[2] / "fixtures" / "user_db" / "sessions-v1.sqlite3"
URDU_SESSION_ID = "6a1f8f5e-2d4b-4c8e-9f3a-0b1c2d3e4f50"
EARLIER = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"


def rows(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "copy" / "sessions.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(FROZEN_V1, copy)
    return copy


def test_the_upgrade_from_schema_1_gives_every_action_an_id_and_the_agreed_state(v1_copy: Path, tmp_path: Path):
    assert user_db.SCHEMA_VERSION >= 2
    with SessionStore(v1_copy, backups_dir=tmp_path / "b") as store:
        first = store.load_session(URDU_SESSION_ID)
    stored = rows(v1_copy, "SELECT id, status, progress, updated, carried_from, what FROM actions ORDER BY what")
    assert [row[1:] for row in stored] == [
        ("agreed", "", None, None, "Ask the council about a clean-up day"),
        ("agreed", "", None, None, "Map the dark corners"),
    ]
    ids = [row[0] for row in stored]
    assert len(set(ids)) == 2 and all(len(i) == 36 for i in ids)
    # The ids made by the upgrade are the actions' ids from then on.
    assert sorted(a.id for a in first.priorities[0].actions) == sorted(ids)
    with SessionStore(v1_copy, backups_dir=tmp_path / "b") as store:
        assert [a.id for a in store.load_session(URDU_SESSION_ID).priorities[0].actions] == [
            a.id for a in first.priorities[0].actions
        ]
    assert first.follows is None and first.priorities[0].carried_from is None


def test_the_new_fields_are_stored_as_columns_and_read_back(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    action = Action(
        "Ask the council", "Two volunteers", "Before Christmas", id="aaaaaaaa-1111-4222-8333-444444444444",
        status="done", progress="A date in March", updated=dt.date(2027, 2, 10), carried_from=EARLIER,
    )
    session = Session(
        title="Three months on", date=dt.date(2027, 2, 17), follows=EARLIER, groups=["Table 1"],
        priorities=[Priority(
            "Alleys", carried_from="cccccccc-1111-4222-8333-444444444444", actions=[action],
            votes=9, table_votes={"Table 1": 4, "Stół 2": 3},
        )],
    )
    with SessionStore(database, backups_dir=tmp_path / "b") as store:
        store.save_session(session)
        loaded = store.load_session(session.id)
    assert rows(database, "SELECT follows FROM sessions") == [(EARLIER,)]
    assert rows(database, "SELECT carried_from FROM priorities") == [("cccccccc-1111-4222-8333-444444444444",)]
    assert rows(database, "SELECT id, status, progress, updated, carried_from FROM actions") == [
        ("aaaaaaaa-1111-4222-8333-444444444444", "done", "A date in March", "2027-02-10", EARLIER),
    ]
    assert sorted(rows(database, "SELECT tally_table, votes FROM priority_table_votes")) == [
        ("Stół 2", 3), ("Table 1", 4),
    ]
    assert loaded.follows == EARLIER
    [priority] = loaded.priorities
    assert priority.table_votes == {"Table 1": 4, "Stół 2": 3}
    [back] = priority.actions
    assert (back.id, back.status, back.progress, back.updated, back.carried_from) == (
        action.id, "done", "A date in March", dt.date(2027, 2, 10), EARLIER,
    )


def test_the_database_itself_refuses_an_unknown_status(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    with SessionStore(database, backups_dir=tmp_path / "b") as store:
        store.save_session(Session("S", dt.date(2027, 1, 1), priorities=[Priority("P", actions=[Action("A")])]))
    connection = sqlite3.connect(database)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE actions SET status = 'finished'")
    connection.close()


FROZEN_V2 = FROZEN_V1.with_name("sessions-v2.sqlite3")


def test_the_frozen_v2_database_opens_with_its_follow_up_data_intact(tmp_path: Path):
    copy = tmp_path / "v2" / "sessions.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(FROZEN_V2, copy)
    assert rows(copy, "PRAGMA user_version") == [(2,)]
    with SessionStore(copy, backups_dir=tmp_path / "b") as store:
        first = store.load_session(URDU_SESSION_ID)
        later = store.load_session("7b2a9a6f-3e5c-4d9f-8a4b-1c2d3e4f5a61")
    assert first.follows == "99999999-9999-4999-8999-999999999999"  # kept though unknown
    assert first.priorities[0].table_votes == {"Table 1": 7, "Stół 2": 4}
    assert later.follows == URDU_SESSION_ID
    [action] = later.priorities[0].actions
    assert (action.id, action.status, action.progress, action.updated, action.carried_from) == (
        "44444444-4444-4444-8444-444444444444", "done", "Held on 8 March; 30 came",
        dt.date(2027, 3, 8), URDU_SESSION_ID,
    )
    assert later.priorities[0].carried_from == "11111111-1111-4111-8111-111111111111"
