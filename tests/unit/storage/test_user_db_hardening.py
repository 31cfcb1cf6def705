"""The session database against a broken data folder (issue 10, items 7 and 8): an empty file, a
foreign SQLite file at its place, and backups under a wrong clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from nrp_desktop.services.sessions import (
    DatabaseDamaged,
    ForeignDatabase,
    SessionStore,
    list_backups,
    restore_backup,
)


def clock_at(day: dt.date, hour: int = 12):
    return lambda: dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open_on(database: Path, backups: Path, day: dt.date, title: str | None = None) -> None:
    with SessionStore(database, backups_dir=backups, clock=clock_at(day)) as store:
        if title:
            store.create_session(title, day)


# --- item 7 -------------------------------------------------------------------------------------


def test_a_zero_byte_database_with_backups_is_damaged_and_offers_the_last_good_one(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _open_on(database, backups, dt.date(2026, 3, 1), "March")
    _open_on(database, backups, dt.date(2026, 3, 2))  # takes a backup holding "March"
    for sidecar in ("-wal", "-shm"):
        Path(f"{database}{sidecar}").unlink(missing_ok=True)
    database.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match=r"empty \(0 bytes\)") as refused:
        SessionStore(database, backups_dir=backups, clock=clock_at(dt.date(2026, 3, 3)))
    assert database.stat().st_size == 0, "the empty file is left as it was"
    assert [b.day for b in refused.value.backups] == [dt.date(2026, 3, 2)]
    restore_backup(refused.value.backups[0], database)
    with SessionStore(database, backups_dir=backups) as store:
        assert [s.title for s in store.list_sessions()] == ["March"]


def test_a_zero_byte_database_without_backups_is_a_new_one(tmp_path: Path):
    database = tmp_path / "s.sqlite3"
    database.write_bytes(b"")
    with SessionStore(database, backups_dir=tmp_path / "b") as store:
        assert store.list_sessions() == []
        store.create_session("First", dt.date(2026, 3, 1))


def _foreign(path: Path, user_version: int = 0, application_id: int = 0, wal: bool = False) -> Path:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    connection.execute("INSERT INTO recipes VALUES ('soup', 40)")
    connection.execute(f"PRAGMA user_version = {user_version}")
    connection.execute(f"PRAGMA application_id = {application_id}")
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("kind", [
    {"user_version": 0}, {"user_version": 1}, {"user_version": 99, "application_id": 0x12345678},
    {"application_id": 0x12345678}, {"user_version": 1, "wal": True},
])
def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path, kind: dict):
    folder = tmp_path / "data"
    folder.mkdir()
    database = _foreign(folder / "sessions.sqlite3", **kind)
    before = _digest(database)
    listing_before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(ForeignDatabase) as refused:
        SessionStore(database, backups_dir=folder / "backups")
    assert "not an NRP Desktop session database" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _digest(database) == before
    assert sorted(p.name for p in folder.iterdir()) == listing_before, "no journal, no backup"
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == ("wal" if kind.get("wal") else "delete")
    connection.close()


def test_a_foreign_file_at_the_command_lines_database_is_one_line_exit_2(cli, isolated_data_dir: Path):
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    database = _foreign(isolated_data_dir / "sessions.sqlite3", user_version=1)
    before = _digest(database)
    for command in (["sessions"], ["import", str(Path(__file__).parents[3].parent / "shared" / "examples"
                                                  / "session-example.nrpsession")]):
        result = cli(*command)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "not an NRP Desktop session database" in result.stderr
    assert _digest(database) == before


def test_our_own_files_from_before_the_application_id_still_open(tmp_path: Path):
    frozen = Path(__file__).parents[2] / "fixtures" / "user_db"
    [v1] = sorted(frozen.glob("*.sqlite3"))[:1]
    copy = tmp_path / "sessions.sqlite3"
    shutil.copy(v1, copy)
    with SessionStore(copy, backups_dir=tmp_path / "b") as store:
        store.list_sessions()
    connection = sqlite3.connect(copy)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x4E525044
    connection.close()


# --- item 8 -------------------------------------------------------------------------------------


def test_a_clock_set_in_the_past_never_gets_the_newest_backups_deleted(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    start = dt.date(2026, 5, 1)
    for offset in range(9):  # nine days of correct dates: seven backups kept
        _open_on(database, backups, start + dt.timedelta(days=offset), f"Day {offset}")
    # The clock jumps back years (a flat CMOS battery): each new backup is still the newest.
    wrong = dt.date(2019, 1, 1)
    for offset in range(3):
        _open_on(database, backups, wrong + dt.timedelta(days=offset), f"Wrong {offset}")
    kept = list_backups(database, backups)
    assert len(kept) == 7
    assert [b.sequence for b in kept] == list(range(11, 4, -1)), "the newest by sequence, not by date"
    assert [b.day for b in kept[:2]] == [dt.date(2019, 1, 3), dt.date(2019, 1, 2)]
    # The newest backup holds the most recent edits.
    with SessionStore(kept[0].path, backups_dir=tmp_path / "unused") as newest:
        assert "Wrong 1" in {s.title for s in newest.list_sessions()}


def test_a_clock_set_in_the_future_does_not_make_later_backups_look_old(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _open_on(database, backups, dt.date(2026, 5, 1), "Start")
    for offset in range(7):
        _open_on(database, backups, dt.date(2031, 1, 1) + dt.timedelta(days=offset), f"Future {offset}")
    _open_on(database, backups, dt.date(2026, 5, 2), "Fixed clock")
    _open_on(database, backups, dt.date(2026, 5, 3))
    kept = list_backups(database, backups)
    assert kept[0].day == dt.date(2026, 5, 3) and kept[1].day == dt.date(2026, 5, 2)
    with SessionStore(kept[0].path, backups_dir=tmp_path / "unused") as newest:
        assert "Fixed clock" in {s.title for s in newest.list_sessions()}


def test_old_date_named_backups_are_still_recognised_and_rank_oldest(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _open_on(database, backups, dt.date(2026, 5, 1), "Start")
    backups.mkdir(exist_ok=True)
    old = backups / "s-2026-12-24.sqlite3"  # the 0.3 naming, with a later date than any below
    shutil.copy(database, old)
    _open_on(database, backups, dt.date(2026, 5, 2))
    kept = list_backups(database, backups)
    assert [b.path.name for b in kept] == ["s-000001-2026-05-02.sqlite3", "s-2026-12-24.sqlite3"]
    assert kept[1].sequence == 0 and kept[1].day == dt.date(2026, 12, 24)
    with pytest.raises(DatabaseDamaged) as refused:
        database.write_bytes(b"not a database" * 1000)
        SessionStore(database, backups_dir=backups)
    assert [b.path.name for b in refused.value.backups] == [b.path.name for b in kept]


def test_a_damaged_newest_backup_is_not_offered_the_last_good_one_is(tmp_path: Path):
    database, backups = tmp_path / "s.sqlite3", tmp_path / "backups"
    _open_on(database, backups, dt.date(2026, 3, 1), "March")
    _open_on(database, backups, dt.date(2026, 3, 2), "Second")
    _open_on(database, backups, dt.date(2026, 3, 3))
    newest, older = list_backups(database, backups)
    page_size = int.from_bytes(newest.path.read_bytes()[16:18], "big")
    with newest.path.open("r+b") as handle:  # its table pages overwritten with garbage
        handle.seek(page_size)
        handle.write(b"\xde\xad\xbe\xef" * (3 * page_size // 4))
    database.write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as refused:
        SessionStore(database, backups_dir=backups)
    assert [b.path for b in refused.value.backups] == [older.path]
    restore_backup(refused.value.backups[0], database)
    with SessionStore(database, backups_dir=backups) as store:
        assert [s.title for s in store.list_sessions()] == ["March"]


def test_a_file_too_new_without_an_id_is_refused_as_too_new(tmp_path: Path):
    from nrp_desktop.services.sessions import DatabaseTooNew

    database = _foreign(tmp_path / "s.sqlite3", user_version=99)
    before = _digest(database)
    with pytest.raises(DatabaseTooNew):
        SessionStore(database, backups_dir=tmp_path / "b")
    assert _digest(database) == before
