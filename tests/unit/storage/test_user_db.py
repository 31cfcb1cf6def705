"""The user database file: schema, upgrades, refusals, integrity, backups and deletion."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from nrp_desktop import paths
from nrp_desktop.domain.session import Priority, Session
from nrp_desktop.services.sessions import (
    DatabaseDamaged,
    DatabaseTooNew,
    SessionStore,
    UserDatabaseError,
    list_backups,
    restore_backup,
)
from nrp_desktop.storage import user_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "user_db"
FROZEN_V1 = FIXTURES / "sessions-v1.sqlite3"
URDU_SESSION_ID = "6a1f8f5e-2d4b-4c8e-9f3a-0b1c2d3e4f50"
EMPTY_SESSION_ID = "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70"
EXPECTED_TABLES = {
    "sessions", "session_ratings", "session_groups", "priorities", "priority_domains",
    "priority_lessons", "actions", "app_state", "priority_table_votes",
}


def clock_at(day: dt.date, hour: int = 10) -> Callable[[], dt.datetime]:
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    return lambda: moment


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_of(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    finally:
        connection.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


def user_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "copy" / "sessions.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(FROZEN_V1, copy)
    return copy


# --- schema -----------------------------------------------------------------------------------


def test_a_new_database_is_made_in_the_data_folder_with_the_whole_schema(isolated_data_dir: Path):
    store = SessionStore()
    store.close()
    database = isolated_data_dir / "sessions.sqlite3"
    assert paths.user_db_path() == database and database.is_file()
    assert set(schema_of(database)) >= EXPECTED_TABLES
    assert user_version(database) == user_db.SCHEMA_VERSION
    connection = sqlite3.connect(database)
    columns = {
        (table, row[1])
        for table in EXPECTED_TABLES
        for row in connection.execute(f"PRAGMA table_info({table})").fetchall()
    }
    connection.close()
    assert {("sessions", name) for name in (
        "title", "date", "venue", "neighbourhood", "facilitator", "participants", "language",
        "notes", "created_at", "updated_at",
    )} <= columns
    # No participant names anywhere: the only "name" columns are the table groups' names.
    assert {column for column in columns if "name" in column[1]} == {
        ("session_groups", "name"), ("priorities", "group_name"),
    }


def test_connections_are_durable_write_ahead_with_foreign_keys(tmp_path: Path):
    database = user_db.UserDatabase(tmp_path / "s.sqlite3", tmp_path / "b", dt.date(2026, 1, 1))
    try:
        with database.write() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
            }
    finally:
        database.close()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1}


def test_the_frozen_v1_schema_is_what_the_code_makes_once_upgraded(v1_copy: Path, tmp_path: Path):
    SessionStore(v1_copy, backups_dir=tmp_path / "b").close()
    SessionStore(tmp_path / "fresh.sqlite3", backups_dir=tmp_path / "b2").close()
    assert schema_of(v1_copy) == schema_of(tmp_path / "fresh.sqlite3")


# --- upgrades ---------------------------------------------------------------------------------


def test_the_frozen_v1_database_opens_with_its_data_intact(v1_copy: Path, tmp_path: Path):
    assert user_version(v1_copy) == 1
    with SessionStore(v1_copy, backups_dir=tmp_path / "b") as store:
        assert [s.id for s in store.list_sessions()] == [URDU_SESSION_ID, EMPTY_SESSION_ID]
        session = store.load_session(URDU_SESSION_ID)
        assert store.last_open_session_id() == URDU_SESSION_ID
    assert session.title == "محلے کی بیٹھک: ہماری گلیاں"
    assert session.venue == "Świetlica przy ul. Żółkiewskiego"
    assert session.notes == "Two tables 🫖. النص العربي من اليمين إلى اليسار."
    assert session.participants == 17 and session.language == "ur"
    assert session.ratings == {"social-connectedness": 3, "economic-resources": 2, "governance-systems": 7}
    assert session.groups == ["Table 1", "Stół 2"]
    assert [p.title for p in session.priorities] == [
        "گلیوں میں کچرا اور اندھیرا", "Nikt nie wie, gdzie szukać pomocy z długami", "A bus route 🚌",
    ]
    first = session.priorities[0]
    assert first.votes == 11 and first.group == "Table 1"
    assert first.domains == ["environmental-conditions", "social-connectedness"]
    assert first.lessons == ["a-lesson-this-content-does-not-know"]
    assert [(a.what, a.who, a.when) for a in first.actions] == [
        ("Ask the council about a clean-up day", "Two volunteers", "Before Christmas"),
        ("Map the dark corners", "", ""),
    ]


def _add_venue_size(connection) -> None:
    """A pretend schema 2, as a later release would append it: a new column with a default."""
    connection.exec_driver_sql("ALTER TABLE sessions ADD COLUMN venue_size INTEGER NOT NULL DEFAULT 0")
    connection.exec_driver_sql("UPDATE sessions SET venue_size = length(venue)")


def test_an_appended_upgrade_runs_once_in_order_and_keeps_the_data(v1_copy: Path, tmp_path: Path):
    backups = tmp_path / "b"
    upgrades = (*user_db.UPGRADES, _add_venue_size)
    with SessionStore(v1_copy, backups_dir=backups, upgrades=upgrades) as store:
        assert store.load_session(URDU_SESSION_ID).venue == "Świetlica przy ul. Żółkiewskiego"
    assert user_version(v1_copy) == user_db.SCHEMA_VERSION + 1
    sizes = dict(sqlite3.connect(v1_copy).execute("SELECT id, venue_size FROM sessions").fetchall())
    assert sizes == {URDU_SESSION_ID: len("Świetlica przy ul. Żółkiewskiego"), EMPTY_SESSION_ID: 0}
    # Today's backup holds the file as schema 1 left it, taken before the upgrade.
    [backup] = list_backups(v1_copy, backups)
    assert user_version(backup.path) == 1
    # Opening again does not run the upgrade twice (it would fail: the column exists).
    SessionStore(v1_copy, backups_dir=backups, upgrades=upgrades).close()
    assert user_version(v1_copy) == user_db.SCHEMA_VERSION + 1


def test_a_failing_upgrade_changes_nothing_and_says_so(v1_copy: Path, tmp_path: Path):
    def half_done(connection) -> None:
        connection.exec_driver_sql("ALTER TABLE sessions ADD COLUMN half INTEGER")
        connection.exec_driver_sql("DELETE FROM priorities")
        raise RuntimeError("disk on fire")

    known = user_db.SCHEMA_VERSION
    with pytest.raises(UserDatabaseError, match=f"from schema {known} to {known + 1}: disk on fire") as refused:
        SessionStore(v1_copy, backups_dir=tmp_path / "b", upgrades=(*user_db.UPGRADES, half_done))
    assert str(v1_copy) in str(refused.value)
    assert user_version(v1_copy) == known  # the released upgrades ran; the failing step changed nothing
    with SessionStore(v1_copy, backups_dir=tmp_path / "b") as store:
        assert len(store.load_session(URDU_SESSION_ID).priorities) == 3
    assert "half" not in schema_of(v1_copy)["sessions"]


def test_an_upgrade_that_breaks_references_is_rolled_back(v1_copy: Path, tmp_path: Path):
    def orphan_priorities(connection) -> None:
        connection.exec_driver_sql("DELETE FROM sessions WHERE id = ?", (URDU_SESSION_ID,))

    with pytest.raises(UserDatabaseError, match="refer to missing rows"):
        SessionStore(v1_copy, backups_dir=tmp_path / "b", upgrades=(*user_db.UPGRADES, orphan_priorities))
    assert user_version(v1_copy) == user_db.SCHEMA_VERSION
    with SessionStore(v1_copy, backups_dir=tmp_path / "b") as store:
        assert store.session_exists(URDU_SESSION_ID)


# --- a database from a newer version ----------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(v1_copy: Path, tmp_path: Path):
    connection = sqlite3.connect(v1_copy)
    connection.execute("PRAGMA user_version = 5")
    connection.commit()
    connection.close()
    before = digest(v1_copy)
    files_before = sorted(p.name for p in v1_copy.parent.iterdir())
    with pytest.raises(DatabaseTooNew) as refused:
        SessionStore(v1_copy, backups_dir=tmp_path / "b")
    message = str(refused.value)
    assert str(v1_copy) in message
    known = user_db.SCHEMA_VERSION
    assert f"made by a newer version of NRP Desktop (schema 5; this version knows up to {known})" in message
    assert "Nothing was changed." in message
    assert digest(v1_copy) == before
    assert sorted(p.name for p in v1_copy.parent.iterdir()) == files_before
    assert not (tmp_path / "b").exists(), "no backup of a file this version cannot read"


def test_a_newer_version_recorded_only_in_the_write_ahead_log_is_still_refused(v1_copy: Path, tmp_path: Path):
    # A newer app upgraded the file and stopped before copying its log into it: the file's
    # header still says 1, the log says 5.
    newer_app = sqlite3.connect(v1_copy, isolation_level=None)
    newer_app.execute("PRAGMA journal_mode = WAL")
    newer_app.execute("PRAGMA wal_autocheckpoint = 0")
    newer_app.execute("PRAGMA user_version = 5")
    try:
        before = digest(v1_copy)
        with pytest.raises(DatabaseTooNew, match="schema 5"):
            SessionStore(v1_copy, backups_dir=tmp_path / "b")
        assert digest(v1_copy) == before
    finally:
        newer_app.close()


# --- damage, backups and restore --------------------------------------------------------------


def _store_with_sessions(database: Path, backups: Path, day: dt.date, titles: list[str]) -> list[str]:
    with SessionStore(database, backups_dir=backups, clock=clock_at(day)) as store:
        ids = []
        for title in titles:
            session = store.create_session(title, day)
            store.add_priority(session.id, Priority(title=f"{title} priority", votes=3))
            ids.append(session.id)
    return ids


def _damage(database: Path) -> None:
    """Overwrite pages 2 to 4 (table and index pages; the header page stays) with garbage."""
    page_size = int.from_bytes(database.read_bytes()[16:18], "big")
    with database.open("r+b") as handle:
        handle.seek(page_size)
        handle.write(b"\xde\xad\xbe\xef" * (3 * page_size // 4))


def test_a_damaged_database_is_reported_with_its_backups_and_not_touched(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _store_with_sessions(database, backups, dt.date(2026, 3, 1), ["March"])
    _store_with_sessions(database, backups, dt.date(2026, 3, 2), ["Second day"])
    SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 3, 3))).close()
    _damage(database)
    damaged_bytes = digest(database)
    with pytest.raises(DatabaseDamaged) as refused:
        SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 3, 4)))
    error = refused.value
    assert error.path == database
    assert [b.day for b in error.backups] == [dt.date(2026, 3, 3), dt.date(2026, 3, 2)]
    assert str(database) in str(error) and "damaged" in str(error)
    assert "2026-03-03" in str(error) and str(backups / "s-000001-2026-03-02.sqlite3") in str(error)
    assert digest(database) == damaged_bytes, "a damaged file is never repaired or replaced silently"
    assert len(list_backups(database, backups)) == 2, "no backup is taken of a damaged file"

    aside = restore_backup(error.backups[0], database, clock=clock_at(dt.date(2026, 3, 4), hour=9))
    assert aside == tmp_path / "s.damaged-20260304-090000.sqlite3"
    assert digest(aside) == damaged_bytes, "the damaged file is kept beside, for a rescue attempt"
    with SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 3, 4))) as store:
        assert sorted(s.title for s in store.list_sessions()) == ["March", "Second day"]
        assert user_db.integrity_problems(database, thorough=True) == []


def test_a_file_that_is_not_a_database_is_reported_as_damaged(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    database.write_bytes(b"This is a shopping list, not a database.\n" * 100)
    with pytest.raises(DatabaseDamaged, match="not an SQLite database") as refused:
        SessionStore(database, backups_dir=tmp_path / "b")
    assert refused.value.backups == []
    assert "There is no backup of it to restore." in str(refused.value)


def test_a_database_overwritten_whole_still_offers_its_backups(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _store_with_sessions(database, backups, dt.date(2026, 4, 1), ["Saved"])
    SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 4, 2))).close()
    database.write_bytes(b"\x00" * 8192)
    with pytest.raises(DatabaseDamaged, match="not an SQLite database") as refused:
        SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 4, 3)))
    assert [b.day for b in refused.value.backups] == [dt.date(2026, 4, 2)]
    restore_backup(refused.value.backups[0], database)
    with SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 4, 3))) as store:
        assert [s.title for s in store.list_sessions()] == ["Saved"]


def test_a_damaged_backup_is_not_restored(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _store_with_sessions(database, backups, dt.date(2026, 3, 1), ["One"])
    SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 3, 2))).close()
    [backup] = list_backups(database, backups)
    _damage(backup.path)
    before = digest(database)
    with pytest.raises(UserDatabaseError, match="is damaged too"):
        restore_backup(backup, database)
    assert digest(database) == before


def test_backups_are_one_a_day_and_the_last_seven_are_kept(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    start = dt.date(2026, 5, 1)
    for offset in range(10):
        day = start + dt.timedelta(days=offset)
        _store_with_sessions(database, backups, day, [f"Day {offset}"])
        # A second opening the same day keeps the first backup of the day.
        SessionStore(database, backups_dir=backups, clock=clock_at(day, hour=18)).close()
    kept = list_backups(database, backups)
    assert [b.day for b in kept] == [start + dt.timedelta(days=d) for d in range(9, 2, -1)]
    assert sorted(p.name for p in backups.iterdir()) == sorted(b.path.name for b in kept)
    # Each holds what was stored when the app was first opened that day: the days before it.
    with SessionStore(kept[0].path, backups_dir=tmp_path / "unused") as newest:
        assert sorted(s.title for s in newest.list_sessions()) == [f"Day {d}" for d in range(9)]
    for backup in kept:
        assert user_db.integrity_problems(backup.path, thorough=True) == []


def test_an_app_left_open_past_midnight_backs_up_when_asked(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _store_with_sessions(database, backups, dt.date(2026, 6, 1), ["Before"])
    now = [dt.datetime(2026, 6, 2, 23, 50, tzinfo=dt.UTC)]
    with SessionStore(database, backups_dir=backups, clock=lambda: now[0]) as store:
        assert store.back_up_if_due() is None, "today's was taken on opening"
        store.create_session("Late edit", dt.date(2026, 6, 2))
        now[0] += dt.timedelta(minutes=20)
        written = store.back_up_if_due()
        assert written == backups / "s-000002-2026-06-03.sqlite3"  # the second backup taken
        assert store.back_up_if_due() is None
    with SessionStore(written, backups_dir=tmp_path / "unused") as copy:
        assert sorted(s.title for s in copy.list_sessions()) == ["Before", "Late edit"]


def test_no_backup_is_taken_of_a_new_empty_database(tmp_path: Path):
    SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b").close()
    assert list_backups(tmp_path / "s.sqlite3", tmp_path / "b") == []


def test_a_backup_that_cannot_be_written_does_not_stop_the_work(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    _store_with_sessions(database, tmp_path / "b", dt.date(2026, 1, 1), ["One"])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backups folder should be")
    with SessionStore(database, backups_dir=blocker, clock=clock_at(dt.date(2026, 1, 2))) as store:
        assert store.backup_warning is not None and str(blocker) in store.backup_warning
        assert [s.title for s in store.list_sessions()] == ["One"]


# --- deletion ---------------------------------------------------------------------------------


def test_a_deleted_session_leaves_no_trace_of_its_text_in_the_database(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    marker = "Zygmunt-private-note-ثبت"
    with SessionStore(database, backups_dir=tmp_path / "b") as store:
        kept = store.create_session("Kept session", dt.date(2026, 1, 1))
        doomed = store.save_session(
            Session(title=f"{marker} title", date=dt.date(2026, 1, 2), notes=marker * 50,
                    priorities=[Priority(title=f"{marker} priority", notes=marker)])
        )
        store.set_last_open_session(doomed.id)
        store.delete_session(doomed.id)
        stored_bytes = database.read_bytes() + database.with_name(database.name + "-wal").read_bytes()
        assert marker.encode() not in stored_bytes
        assert store.last_open_session_id() is None
        assert [s.id for s in store.list_sessions()] == [kept.id]
    assert marker.encode() not in database.read_bytes()
