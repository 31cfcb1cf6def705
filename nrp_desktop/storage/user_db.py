"""The facilitator's own database: workshop sessions, written durably as each edit is made.

One SQLite file in the data folder (`paths.user_db_path()`), separate from the read-only content.

Durability: WAL journal, `synchronous=FULL` (a commit returns only after the log is on disk) and
foreign keys on. Every edit is one short `BEGIN IMMEDIATE … COMMIT`, so a crash or power cut
loses at most the edit being made, never one that was confirmed, and never leaves half of one.

Opening a file, in this order, touching nothing until each step is passed:
1. its schema version is read without writing (from the file header, or a read-only connection
   when a write-ahead log is present); a version newer than this code knows is refused with
   `DatabaseTooNew`, leaving the file byte-for-byte as it was;
2. a file of zero bytes is damaged when there are backups to offer (else it is a new file); an
   SQLite file that is not ours (no application_id of ours, not our tables) is refused with
   `ForeignDatabase`, untouched; its integrity is checked on a read-only connection; a damaged file is reported with
   `DatabaseDamaged` (naming the file and the backups there are), never replaced or repaired
   behind the user's back. `restore_backup` puts a chosen backup in its place, keeping the
   damaged file beside it under a timestamped name;
3. a rolling backup is taken if the newest one is not from today (at most one a day, the last
   seven kept), with SQLite's backup API so the copy is consistent even while the file is in
   use. Backups are numbered in the order they are taken and pruned by that number, never by
   the clock, so a wrong date cannot get the newest ones deleted;
4. numbered schema upgrades run, each in one transaction together with its `user_version` bump.

Deleting a session removes its rows, and `secure_delete` overwrites the freed space, so its text
is gone from the database file; copies of it in earlier daily backups remain until those backups
age out (after seven backups, about a week of use).

Schema upgrades: version N+1 is made by `UPGRADES[N]`. To change the schema, append a function
(never edit a released one) and add a frozen copy of the released schema to
tests/fixtures/user_db/ so the upgrade from it stays tested.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Action, Priority, Session, SessionSummary
from nrp_desktop.errors import DataUnusable
from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

BACKUPS_KEPT = 7
BUSY_TIMEOUT_SECONDS = 10.0  # another process (the command line) may hold the write lock briefly
_SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id of every session database ("NRPD"), so another program's file at the
# database's place is recognised and left alone.
APPLICATION_ID = 0x4E525044
_OUR_TABLES = frozenset({"sessions", "priorities", "app_state"})
_BEGIN_OPTION = "nrp_begin"  # execution option: which BEGIN a transaction starts with
_LAST_OPEN_KEY = "last_open_session"


class UserDatabaseError(DataUnusable):
    """The session database cannot be used; the message says why in plain words, naming the file."""


class DatabaseTooNew(UserDatabaseError):
    def __init__(self, path: Path, found: int, known: int) -> None:
        self.path = path
        self.found = found
        self.known = known
        super().__init__(
            f"The session database {path} was made by a newer version of NRP Desktop "
            f"(schema {found}; this version knows up to {known}). Nothing was changed. "
            "Open it with the newer version of NRP Desktop."
        )


@dataclass(frozen=True)
class Backup:
    path: Path
    day: dt.date  # the clock's date when it was taken: shown to people, never used to order
    size_bytes: int
    sequence: int = 0  # taken in this order; 0 for a backup named by date alone (before 0.4)


class ForeignDatabase(UserDatabaseError):
    """The file is an SQLite database, but another program's: it is never adopted or changed."""

    code = "foreign-database"

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"The file {path} is not an NRP Desktop session database (it belongs to another "
            "program); it has not been changed. Move it away, or use another data folder "
            "(--data-dir)."
        )


class DatabaseDamaged(UserDatabaseError):
    def __init__(self, path: Path, detail: str, backups: Sequence[Backup]) -> None:
        self.path = path
        self.detail = detail
        self.backups = list(backups)  # newest first
        if self.backups:
            offer = "Backups you can restore, newest first: " + ", ".join(
                f"{backup.day.isoformat()} ({backup.path})" for backup in self.backups
            ) + "."
        else:
            offer = "There is no backup of it to restore."
        super().__init__(
            f"The session database {path} is damaged ({detail}). It has not been changed or "
            f"replaced. {offer}"
        )


# ---------------------------------------------------------------------------------------------
# Schema upgrades. Released functions are frozen: a file made by them exists on someone's laptop.


def _upgrade_to_1(connection: Connection) -> None:
    """The first schema. Text columns hold text exactly as typed (trimmed); no participant
    names anywhere (only a head count)."""
    for statement in (
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL CHECK (title <> ''),
            date TEXT NOT NULL,                     -- ISO 8601 date
            venue TEXT NOT NULL DEFAULT '',
            neighbourhood TEXT NOT NULL DEFAULT '',
            facilitator TEXT NOT NULL DEFAULT '',
            participants INTEGER CHECK (participants IS NULL OR participants >= 0),
            language TEXT NOT NULL DEFAULT 'en',    -- BCP 47 tag
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,               -- ISO 8601, UTC
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX sessions_newest_first ON sessions (date DESC, created_at DESC)",
        """
        CREATE TABLE session_ratings (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 7),
            PRIMARY KEY (session_id, domain)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE session_groups (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL CHECK (name <> ''),
            PRIMARY KEY (session_id, position),
            UNIQUE (session_id, name)
        ) WITHOUT ROWID
        """,
        # `pk` is the row's own key; `id` is the priority's UUID, unique within its session
        # (two sessions imported from copies of one file may share priority ids).
        """
        CREATE TABLE priorities (
            pk INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,              -- the group's ranking, 0 first
            title TEXT NOT NULL CHECK (title <> ''),
            description TEXT NOT NULL DEFAULT '',
            votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
            group_name TEXT,                        -- one of the session's groups, or NULL
            notes TEXT NOT NULL DEFAULT '',
            UNIQUE (session_id, id)
        )
        """,
        "CREATE INDEX priorities_in_order ON priorities (session_id, position)",
        """
        CREATE TABLE priority_domains (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            domain TEXT NOT NULL,
            PRIMARY KEY (priority_pk, position),
            UNIQUE (priority_pk, domain)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE priority_lessons (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            slug TEXT NOT NULL,                     -- kept even when the content does not know it
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE actions (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            what TEXT NOT NULL CHECK (what <> ''),
            who TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',           -- the action's "when", free text
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
        "CREATE TABLE app_state (key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID",
    ):
        connection.exec_driver_sql(statement)


def _upgrade_to_2(connection: Connection) -> None:
    """Follow-up sessions and the state of actions (contract.md §5.1), and each table's dots
    (issue 12.8). Actions get a stable id (made here for the actions already stored), so the
    table is rebuilt: SQLite cannot add a NOT NULL column without a constant default."""
    for statement in (
        # The session this one follows up; it may be one this laptop has never seen, so no
        # foreign key.
        "ALTER TABLE sessions ADD COLUMN follows TEXT",
        "CREATE INDEX sessions_by_follows ON sessions (follows)",
        "ALTER TABLE priorities ADD COLUMN carried_from TEXT",  # a priority of the earlier session
        """
        CREATE TABLE actions_v2 (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL CHECK (id <> ''),      -- UUID, kept while carried between sessions
            what TEXT NOT NULL CHECK (what <> ''),
            who TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',           -- the action's "when", free text
            status TEXT NOT NULL DEFAULT 'agreed'
                CHECK (status IN ('agreed', 'started', 'done', 'dropped')),
            progress TEXT NOT NULL DEFAULT '',      -- "you said, we did"
            updated TEXT,                           -- ISO date of the last change of state
            carried_from TEXT,                      -- the session where it was first agreed
            PRIMARY KEY (priority_pk, position)
        ) WITHOUT ROWID
        """,
    ):
        connection.exec_driver_sql(statement)
    import uuid

    rows = connection.exec_driver_sql("SELECT priority_pk, position, what, who, due FROM actions").all()
    if rows:
        connection.exec_driver_sql(
            "INSERT INTO actions_v2 (priority_pk, position, id, what, who, due) VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, position, str(uuid.uuid4()), what, who, due) for pk, position, what, who, due in rows],
        )
    for statement in (
        "DROP TABLE actions",
        "ALTER TABLE actions_v2 RENAME TO actions",
        "CREATE INDEX actions_by_id ON actions (id)",
        """
        CREATE TABLE priority_table_votes (
            priority_pk INTEGER NOT NULL REFERENCES priorities (pk) ON DELETE CASCADE,
            tally_table TEXT NOT NULL CHECK (tally_table <> ''),  -- the table the dots were counted at
            votes INTEGER NOT NULL CHECK (votes >= 0),
            PRIMARY KEY (priority_pk, tally_table)
        ) WITHOUT ROWID
        """,
    ):
        connection.exec_driver_sql(statement)


Upgrade = Callable[["Connection"], None]
UPGRADES: tuple[Upgrade, ...] = (_upgrade_to_1, _upgrade_to_2)
SCHEMA_VERSION = len(UPGRADES)


# ---------------------------------------------------------------------------------------------
# Checks that never write.


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _wal_is_empty(path: Path) -> bool:
    try:
        return _sidecar(path, "-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def _read_only_connection(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection that cannot write. On a full disk SQLite cannot grow the write-ahead log's
    shared-memory index, so reading fails; when the log is empty the file alone is the whole
    truth, and it is then read as immutable (without the index), so listing still works."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS,
                                 check_same_thread=check_same_thread)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return connection
    except sqlite3.OperationalError as error:
        connection.close()
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code not in (_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN) or not _wal_is_empty(path):
            raise
        log.warning("reading %s without its shared-memory index: %s", path, error)
        return sqlite3.connect(f"{uri}&immutable=1", uri=True, timeout=BUSY_TIMEOUT_SECONDS,
                               check_same_thread=check_same_thread)
    except sqlite3.Error:
        connection.close()
        raise


_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def _is_damage(error: sqlite3.Error) -> bool:
    """Whether SQLite's error means the file's contents are bad (rather than, say, locked or
    unreadable, which a restore would not cure)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "malformed" in str(error) or "not a database" in str(error)
    return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _cannot_read(path: Path, error: Exception) -> UserDatabaseError:
    return UserDatabaseError(f"Could not read the session database {path}: {error}. Nothing was changed.")


def _read_header_values(path: Path) -> tuple[int, int]:
    """(user_version, application_id), read without writing anything. DatabaseDamaged (with no
    backups listed) when the file is not an SQLite database at all."""
    path = Path(path)
    if not _sidecar(path, "-wal").exists():
        # No write-ahead log: the header is the whole truth, and reading it creates no files.
        try:
            with path.open("rb") as handle:
                header = handle.read(100)
        except OSError as error:
            raise _cannot_read(path, error) from None
        if len(header) == 0:
            return 0, 0  # an empty file is an empty database (a crash while it was first made)
        if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
            raise DatabaseDamaged(path, "it is not an SQLite database", [])
        return (int.from_bytes(header[60:64], "big", signed=True),
                int.from_bytes(header[68:72], "big", signed=True))
    try:
        connection = _read_only_connection(path)
        try:
            return (int(connection.execute("PRAGMA user_version").fetchone()[0]),
                    int(connection.execute("PRAGMA application_id").fetchone()[0]))
        finally:
            connection.close()
    except sqlite3.Error as error:
        if _is_damage(error):
            raise DatabaseDamaged(path, str(error), []) from None
        raise _cannot_read(path, error) from None


def read_schema_version(path: Path) -> int:
    """The file's `user_version`, read without writing anything. DatabaseDamaged (with no
    backups listed) when the file is not an SQLite database at all."""
    return _read_header_values(path)[0]


def check_ours(path: Path, newest_known: int = SCHEMA_VERSION) -> int:
    """The schema version of a session database (or of an empty SQLite file); reads only, and
    creates no files. ForeignDatabase when it is another program's SQLite file: ours carry our
    application_id, or (made before the id was set) a schema version and our tables. A version
    past `newest_known` without another program's id is returned as it is, for the caller to
    refuse as too new (refused untouched either way)."""
    path = Path(path)
    version, application_id = _read_header_values(path)
    if application_id == APPLICATION_ID:
        return version
    if application_id != 0:
        raise ForeignDatabase(path)
    if version > newest_known:
        return version
    try:
        # With no write-ahead log the file is complete: read it as immutable, which creates no
        # journal or shared-memory files beside another program's database.
        if _sidecar(path, "-wal").exists():
            connection = _read_only_connection(path)
        else:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        if _is_damage(error):
            raise DatabaseDamaged(path, str(error), []) from None
        raise _cannot_read(path, error) from None
    if not tables:
        return version  # made by SQLite and nothing filled yet (a crash while it was first made)
    if version == 0 or not _OUR_TABLES.issubset(tables):
        raise ForeignDatabase(path)
    return version


def integrity_problems(path: Path, thorough: bool = False) -> list[str]:
    """What SQLite's own check finds wrong with the file (empty when it is sound). Read-only.
    `thorough` runs integrity_check (also compares every index with its table); otherwise the
    faster quick_check, which still reads every page. UserDatabaseError when the file cannot be
    read at all for another reason (locked, no permission)."""
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        connection = _read_only_connection(Path(path))
        try:
            rows = connection.execute(f"PRAGMA {pragma}(20)").fetchall()
            violations = connection.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        if _is_damage(error):
            return [str(error)]
        raise _cannot_read(Path(path), error) from None
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    problems += [f"row {row[1]} of {row[0]} refers to a missing row of {row[2]}" for row in violations]
    return problems


# ---------------------------------------------------------------------------------------------
# Rolling backups.


# Backups are named `<stem>-<sequence>-<date>.sqlite3`: the sequence (one more than the highest
# found) orders them, so a wrong clock can neither make a new backup look old nor get the newest
# ones pruned; the date is only for people. Backups named `<stem>-<date>.sqlite3` (before 0.4)
# are still listed and restored, as older than every numbered one.
_SEQUENCE_DIGITS = 6


def _backup_patterns(database_path: Path) -> tuple[re.Pattern[str], re.Pattern[str]]:
    stem = re.escape(database_path.stem)
    return (
        re.compile(rf"^{stem}-(\d{{{_SEQUENCE_DIGITS},}})-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$"),
        re.compile(rf"^{stem}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$"),
    )


def backup_path_for(database_path: Path, backups_dir: Path, day: dt.date, sequence: int) -> Path:
    return backups_dir / f"{database_path.stem}-{sequence:0{_SEQUENCE_DIGITS}d}-{day.isoformat()}.sqlite3"


def list_backups(database_path: Path, backups_dir: Path) -> list[Backup]:
    """The backups of this database, newest (highest sequence) first."""
    numbered, dated = _backup_patterns(Path(database_path))
    found: list[Backup] = []
    if not Path(backups_dir).is_dir():
        return found
    for entry in Path(backups_dir).iterdir():
        sequence = 0
        match = numbered.match(entry.name)
        if match:
            sequence, day_text = int(match.group(1)), match.group(2)
        else:
            match = dated.match(entry.name)
            if not match:
                continue
            day_text = match.group(1)
        try:
            day = dt.date.fromisoformat(day_text)
            if not entry.is_file():
                continue
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(path=entry, day=day, size_bytes=size, sequence=sequence))
    found.sort(key=lambda backup: (backup.sequence, backup.day, backup.path.name), reverse=True)
    return found


def good_backups(database_path: Path, backups_dir: Path) -> list[Backup]:
    """The backups that can be restored (readable, sound, not too new), newest first: what is
    offered when the database is damaged, so the first offered is the last good one."""
    good: list[Backup] = []
    for backup in list_backups(database_path, backups_dir):
        try:
            usable = (read_schema_version(backup.path) <= SCHEMA_VERSION
                      and not integrity_problems(backup.path))
        except UserDatabaseError:
            usable = False
        if usable:
            good.append(backup)
        else:
            log.warning("the backup %s is damaged or unreadable; it is not offered", backup.path)
    return good


def take_backup(
    database_path: Path,
    backups_dir: Path,
    day: dt.date,
    keep: int = BACKUPS_KEPT,
    replace_existing: bool = False,
) -> Path | None:
    """A new backup, unless the newest one was taken on `day` already (pass `replace_existing`
    to take one anyway); then only the newest `keep` backups, by sequence, are kept, never the
    one just written. The path written, or None when the day's backup was already there."""
    database_path, backups_dir = Path(database_path), Path(backups_dir)
    existing = list_backups(database_path, backups_dir)
    if existing and existing[0].day == day and not replace_existing:
        return None
    sequence = (existing[0].sequence if existing else 0) + 1
    target = backup_path_for(database_path, backups_dir, day, sequence)
    backups_dir.mkdir(parents=True, exist_ok=True)
    # The backup API copies a consistent snapshot even if another connection is writing; the
    # copy is written whole and renamed into place, so a crash never leaves half a backup.
    source = _read_only_connection(database_path)
    snapshot = sqlite3.connect(":memory:")
    try:
        source.backup(snapshot)
        data = snapshot.serialize()
    finally:
        snapshot.close()
        source.close()
    atomic_write_bytes(target, data)
    for old in list_backups(database_path, backups_dir)[max(keep, 1):]:
        if old.path != target:
            with contextlib.suppress(OSError):
                old.path.unlink()
    return target


def restore_backup(backup_path: Path, database_path: Path, now: dt.datetime) -> Path | None:
    """Put `backup_path` in place of the (damaged) database, which must not be open. The old file
    and its journal files are kept beside it under a timestamped name, never deleted; the path
    they were moved to (None when there was no file). UserDatabaseError when the backup itself
    is unusable; then nothing is changed."""
    backup_path, database_path = Path(backup_path), Path(database_path)
    if not backup_path.is_file():
        raise UserDatabaseError(f"The backup {backup_path} does not exist.")
    found = read_schema_version(backup_path)
    if found > SCHEMA_VERSION:
        raise DatabaseTooNew(backup_path, found, SCHEMA_VERSION)
    problems = integrity_problems(backup_path)
    if problems:
        raise UserDatabaseError(
            f"The backup {backup_path} is damaged too ({problems[0]}). Nothing was changed."
        )
    try:
        data = backup_path.read_bytes()
        # The copy goes beside the database first, so the damaged file is only moved aside once
        # its replacement is safely on disk.
        staged = atomic_write_bytes(_sidecar(database_path, ".restoring"), data)
        aside: Path | None = None
        if database_path.exists():
            stamp = now.strftime("%Y%m%d-%H%M%S")
            aside = database_path.with_name(f"{database_path.stem}.damaged-{stamp}{database_path.suffix}")
            counter = 1
            while aside.exists():
                counter += 1
                aside = database_path.with_name(
                    f"{database_path.stem}.damaged-{stamp}-{counter}{database_path.suffix}"
                )
            os.replace(database_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            # A damaged file's log must not be replayed into the restored copy.
            sidecar = _sidecar(database_path, suffix)
            if sidecar.exists():
                if aside is not None:
                    os.replace(sidecar, _sidecar(aside, suffix))
                else:
                    sidecar.unlink()
        os.replace(staged, database_path)
    except (OSError, FileWriteError) as error:
        raise UserDatabaseError(f"Could not restore {backup_path} to {database_path}: {error}") from None
    return aside


# ---------------------------------------------------------------------------------------------
# The open database.


def _create_engine(path: Path, read_only: bool = False) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    if read_only:
        def connect_read_only() -> sqlite3.Connection:
            connection = _read_only_connection(path, check_same_thread=False)
            connection.isolation_level = None  # transactions begin only by the listener below
            return connection

        engine = create_engine("sqlite+pysqlite://", creator=connect_read_only, poolclass=QueuePool)

        @event.listens_for(engine, "begin")
        def _begin_read(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN DEFERRED")

        return engine

    def connect() -> sqlite3.Connection:
        # isolation_level=None: the driver never begins or commits on its own; the "begin"
        # listener below starts every transaction, so DDL and PRAGMAs are transactional too.
        return sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )

    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",  # a commit returns only after the log is on disk
            "PRAGMA foreign_keys = ON",
            "PRAGMA secure_delete = ON",  # deleted text is overwritten, not left in free pages
        ):
            dbapi_connection.execute(pragma)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql(f"BEGIN {connection.get_execution_options().get(_BEGIN_OPTION, 'IMMEDIATE')}")

    return engine


class UserDatabase:
    """An open session database: `write()` and `read()` transactions, and `close()`.

    Raises DatabaseTooNew, DatabaseDamaged or UserDatabaseError (all with plain messages naming
    the file) instead of opening a file it must not touch.
    """

    def __init__(
        self,
        path: Path,
        backups_dir: Path,
        today: dt.date,
        upgrades: Sequence[Upgrade] = UPGRADES,
        keep_backups: int = BACKUPS_KEPT,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.backups_dir = Path(backups_dir)
        self.schema_version = len(upgrades)
        self.keep_backups = keep_backups
        self.backup_warning: str | None = None  # why today's backup could not be taken, if so
        existing = self.path.exists()
        found = 0
        if existing and self.path.stat().st_size == 0:
            # Empty: a crash while the file was first made, or a file truncated by a fault. With
            # backups to restore it is damage like any other; with none there is nothing to lose.
            backups = good_backups(self.path, self.backups_dir)
            if backups:
                raise DatabaseDamaged(self.path, "the file is empty (0 bytes)", backups)
            existing = False
        if existing:
            try:
                found = check_ours(self.path, self.schema_version)
            except DatabaseDamaged as damaged:
                raise DatabaseDamaged(
                    self.path, damaged.detail, good_backups(self.path, self.backups_dir)
                ) from None
            if found > self.schema_version:
                raise DatabaseTooNew(self.path, found, self.schema_version)
            problems = integrity_problems(self.path)
            if problems:
                raise DatabaseDamaged(
                    self.path, "; ".join(problems[:3]), good_backups(self.path, self.backups_dir)
                )
            # Reading only (listing, exporting) needs no backup or upgrade, so it works on a
            # full disk; a file that needs an upgrade is opened for writing as usual.
            read_only = read_only and found == self.schema_version
            if found > 0 and not read_only:
                # Before an upgrade today's backup is retaken, so it holds the file as the old
                # version left it.
                self.take_daily_backup(today, replace_existing=found < self.schema_version)
        else:
            read_only = False
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.read_only = read_only
        self._engine = _create_engine(self.path, read_only)
        if read_only:
            return
        try:
            self._upgrade(upgrades)
        except BaseException:
            self._engine.dispose()
            raise

    def take_daily_backup(self, today: dt.date, replace_existing: bool = False) -> Path | None:
        """Today's backup if there is none yet (see `take_backup`); the path written, or None.
        A backup that cannot be written must not keep the facilitator from working: the reason
        is logged and kept in `backup_warning` instead of raised."""
        try:
            written = take_backup(self.path, self.backups_dir, today, self.keep_backups, replace_existing)
        except (OSError, sqlite3.Error, FileWriteError) as error:
            self.backup_warning = f"Could not back up {self.path} to {self.backups_dir}: {error}"
            log.warning(self.backup_warning)
            return None
        self.backup_warning = None
        return written

    def _upgrade(self, upgrades: Sequence[Upgrade]) -> None:
        target = len(upgrades)
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            # Upgrades may rebuild tables; SQLite wants foreign keys off (outside a transaction)
            # for that, and each step checks them itself before it commits.
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                while True:
                    with connection.begin():
                        current = int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
                        if current >= target:
                            self._mark_ours(connection)
                            return
                        try:
                            upgrades[current](connection)
                            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                            if broken:
                                raise UserDatabaseError(f"{len(broken)} rows refer to missing rows")
                            connection.exec_driver_sql(f"PRAGMA user_version = {current + 1}")
                        except Exception as error:  # any failure of a step is reported as one
                            raise UserDatabaseError(
                                f"Could not upgrade the session database {self.path} from schema "
                                f"{current} to {current + 1}: {error}. That step changed nothing."
                            ) from error
            finally:
                raw.execute("PRAGMA foreign_keys = ON")

    @staticmethod
    def _mark_ours(connection: Connection) -> None:
        """Set our application_id (once; files made before it existed get it now)."""
        found = int(connection.exec_driver_sql("PRAGMA application_id").scalar_one())
        if found != APPLICATION_ID:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One durable transaction: committed (and on disk) when the block ends, rolled back
        whole if it raises."""
        with self._engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent snapshot that does not hold the write lock."""
        with self._engine.connect() as connection:
            connection.execution_options(**{_BEGIN_OPTION: "DEFERRED"})
            with connection.begin():
                yield connection

    def purge_log(self) -> None:
        """Copy the write-ahead log into the file and empty it, so deleted text does not linger
        in the log either. Best effort: a reader elsewhere may keep part of it for now."""
        with self._engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            with contextlib.suppress(sqlite3.Error):
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        self._engine.dispose()


# ---------------------------------------------------------------------------------------------
# Rows ↔ domain objects. Each function runs inside the caller's transaction.


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def session_exists(connection: Connection, session_id: str) -> bool:
    return connection.exec_driver_sql("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).first() is not None


def list_summaries(connection: Connection) -> list[SessionSummary]:
    rows = connection.exec_driver_sql(
        "SELECT s.id, s.title, s.date, s.updated_at, "
        "(SELECT count(*) FROM priorities AS p WHERE p.session_id = s.id) "
        "FROM sessions AS s ORDER BY s.date DESC, s.created_at DESC"
    ).all()
    return [
        SessionSummary(
            id=row[0],
            title=row[1],
            date=dt.date.fromisoformat(row[2]),
            priorities=int(row[4]),
            updated_at=dt.datetime.fromisoformat(row[3]),
        )
        for row in rows
    ]


def insert_session(
    connection: Connection, session: Session, created_at: dt.datetime, updated_at: dt.datetime
) -> None:
    connection.exec_driver_sql(
        "INSERT INTO sessions (id, title, date, venue, neighbourhood, facilitator, participants, "
        "language, notes, created_at, updated_at, follows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.id, session.title, session.date.isoformat(), session.venue,
            session.neighbourhood, session.facilitator, session.participants, session.language,
            session.notes, _stamp(created_at), _stamp(updated_at), session.follows,
        ),
    )
    if session.ratings:
        connection.exec_driver_sql(
            "INSERT INTO session_ratings (session_id, domain, value) VALUES (?, ?, ?)",
            [(session.id, slug, value) for slug, value in session.ratings.items()],
        )
    replace_groups(connection, session.id, session.groups)
    for position, priority in enumerate(session.priorities):
        insert_priority(connection, session.id, priority, position)


def session_created_at(connection: Connection, session_id: str) -> dt.datetime | None:
    value = connection.exec_driver_sql(
        "SELECT created_at FROM sessions WHERE id = ?", (session_id,)
    ).scalar()
    return dt.datetime.fromisoformat(value) if value else None


def delete_session(connection: Connection, session_id: str) -> bool:
    """Remove the session and everything in it (by cascade); False when it was not there."""
    result = connection.exec_driver_sql("DELETE FROM sessions WHERE id = ?", (session_id,))
    return result.rowcount > 0


def touch_session(connection: Connection, session_id: str, moment: dt.datetime) -> bool:
    """Mark the session as edited now; False when there is no such session."""
    result = connection.exec_driver_sql(
        "UPDATE sessions SET updated_at = ? WHERE id = ?", (_stamp(moment), session_id)
    )
    return result.rowcount > 0


SESSION_COLUMNS = ("title", "date", "venue", "neighbourhood", "facilitator", "participants", "language", "notes")


def update_session_columns(connection: Connection, session_id: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(SESSION_COLUMNS)
    if unknown:
        raise ValueError(f"not session columns: {sorted(unknown)}")  # a programming error
    if not values:
        return
    columns = list(values)
    stored = [values[name].isoformat() if name == "date" else values[name] for name in columns]
    assignments = ", ".join(f"{name} = ?" for name in columns)  # names come from SESSION_COLUMNS
    connection.exec_driver_sql(
        f"UPDATE sessions SET {assignments} WHERE id = ?", (*stored, session_id)
    )


def set_rating(connection: Connection, session_id: str, domain: str, value: int | None) -> None:
    if value is None:
        connection.exec_driver_sql(
            "DELETE FROM session_ratings WHERE session_id = ? AND domain = ?", (session_id, domain)
        )
    else:
        connection.exec_driver_sql(
            "INSERT INTO session_ratings (session_id, domain, value) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, domain) DO UPDATE SET value = excluded.value",
            (session_id, domain, value),
        )


def groups(connection: Connection, session_id: str) -> list[str]:
    return list(
        connection.exec_driver_sql(
            "SELECT name FROM session_groups WHERE session_id = ? ORDER BY position", (session_id,)
        ).scalars()
    )


def replace_groups(connection: Connection, session_id: str, names: Sequence[str]) -> None:
    connection.exec_driver_sql("DELETE FROM session_groups WHERE session_id = ?", (session_id,))
    if names:
        connection.exec_driver_sql(
            "INSERT INTO session_groups (session_id, position, name) VALUES (?, ?, ?)",
            [(session_id, position, name) for position, name in enumerate(names)],
        )


def clear_groups_not_in(connection: Connection, session_id: str, names: Sequence[str]) -> dict[str, str]:
    """Priorities whose group is not in `names` lose it; {priority id: the group it had}."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id, group_name FROM priorities WHERE session_id = ? AND group_name IS NOT NULL",
        (session_id,),
    ).all()
    keep = set(names)
    dropped = [(pk, uid, name) for pk, uid, name in rows if name not in keep]
    if dropped:
        connection.exec_driver_sql(
            "UPDATE priorities SET group_name = NULL WHERE pk = ?", [(pk,) for pk, _, _ in dropped]
        )
    return {uid: name for _, uid, name in dropped}


def priority_order(connection: Connection, session_id: str) -> list[tuple[int, str]]:
    """(row key, priority id) of each priority, in ranking order."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id FROM priorities WHERE session_id = ? ORDER BY position", (session_id,)
    ).all()
    return [(int(pk), uid) for pk, uid in rows]


def priority_key(connection: Connection, session_id: str, priority_id: str) -> tuple[int, int] | None:
    """(row key, position) of the priority, or None."""
    row = connection.exec_driver_sql(
        "SELECT pk, position FROM priorities WHERE session_id = ? AND id = ?", (session_id, priority_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else None


def insert_priority(connection: Connection, session_id: str, priority: Priority, position: int) -> int:
    result = connection.exec_driver_sql(
        "INSERT INTO priorities (session_id, id, position, title, description, votes, group_name, "
        "notes, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session_id, priority.id, position, priority.title, priority.description,
            priority.votes, priority.group, priority.notes, priority.carried_from,
        ),
    )
    pk = int(result.lastrowid)
    _insert_priority_children(connection, pk, priority)
    return pk


def _insert_priority_children(connection: Connection, pk: int, priority: Priority) -> None:
    if priority.domains:
        connection.exec_driver_sql(
            "INSERT INTO priority_domains (priority_pk, position, domain) VALUES (?, ?, ?)",
            [(pk, position, slug) for position, slug in enumerate(priority.domains)],
        )
    if priority.lessons:
        connection.exec_driver_sql(
            "INSERT INTO priority_lessons (priority_pk, position, slug) VALUES (?, ?, ?)",
            [(pk, position, slug) for position, slug in enumerate(priority.lessons)],
        )
    if priority.actions:
        connection.exec_driver_sql(
            "INSERT INTO actions (priority_pk, position, id, what, who, due, status, progress, "
            "updated, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    pk, position, a.id, a.what, a.who, a.when, a.status, a.progress,
                    a.updated.isoformat() if a.updated else None, a.carried_from,
                )
                for position, a in enumerate(priority.actions)
            ],
        )
    counted = {name: votes for name, votes in priority.table_votes.items() if votes}
    if counted:
        connection.exec_driver_sql(
            "INSERT INTO priority_table_votes (priority_pk, tally_table, votes) VALUES (?, ?, ?)",
            [(pk, name, votes) for name, votes in counted.items()],
        )


def replace_priority(connection: Connection, pk: int, priority: Priority) -> None:
    """The priority's fields, domains, lessons and actions become those of `priority` (its id
    and position stay)."""
    connection.exec_driver_sql(
        "UPDATE priorities SET title = ?, description = ?, votes = ?, group_name = ?, notes = ?, "
        "carried_from = ? WHERE pk = ?",
        (
            priority.title, priority.description, priority.votes, priority.group, priority.notes,
            priority.carried_from, pk,
        ),
    )
    for table in ("priority_domains", "priority_lessons", "actions", "priority_table_votes"):
        connection.exec_driver_sql(f"DELETE FROM {table} WHERE priority_pk = ?", (pk,))
    _insert_priority_children(connection, pk, priority)


def set_votes(connection: Connection, pk: int, votes: int) -> None:
    connection.exec_driver_sql("UPDATE priorities SET votes = ? WHERE pk = ?", (votes, pk))


def table_votes(connection: Connection, pk: int) -> dict[str, int]:
    return dict(
        connection.exec_driver_sql(
            "SELECT tally_table, votes FROM priority_table_votes WHERE priority_pk = ? ORDER BY tally_table",
            (pk,),
        ).all()
    )


def set_table_votes(connection: Connection, pk: int, table: str, votes: int) -> None:
    """The dots counted at one table for one priority (0 removes the row)."""
    if votes:
        connection.exec_driver_sql(
            "INSERT INTO priority_table_votes (priority_pk, tally_table, votes) VALUES (?, ?, ?) "
            "ON CONFLICT (priority_pk, tally_table) DO UPDATE SET votes = excluded.votes",
            (pk, table, votes),
        )
    else:
        connection.exec_driver_sql(
            "DELETE FROM priority_table_votes WHERE priority_pk = ? AND tally_table = ?",
            (pk, table),
        )


def action_row(connection: Connection, session_id: str, action_id: str) -> tuple[int, int] | None:
    """(priority row key, position) of the action with this id in the session, or None."""
    row = connection.exec_driver_sql(
        "SELECT a.priority_pk, a.position FROM actions AS a JOIN priorities AS p ON p.pk = a.priority_pk "
        "WHERE p.session_id = ? AND a.id = ?",
        (session_id, action_id),
    ).first()
    return (int(row[0]), int(row[1])) if row else None


def set_action_state(
    connection: Connection, pk: int, position: int, status: str, progress: str, updated: dt.date | None
) -> None:
    connection.exec_driver_sql(
        "UPDATE actions SET status = ?, progress = ?, updated = ? WHERE priority_pk = ? AND position = ?",
        (status, progress, updated.isoformat() if updated else None, pk, position),
    )


def sessions_following(connection: Connection, session_id: str) -> list[str]:
    """The ids of the stored sessions that follow this one, oldest first."""
    return list(
        connection.exec_driver_sql(
            "SELECT id FROM sessions WHERE follows = ? ORDER BY date, created_at", (session_id,)
        ).scalars()
    )


def follows_of(connection: Connection, session_id: str) -> tuple[bool, str | None]:
    """(whether the session is stored, the id it follows)."""
    row = connection.exec_driver_sql("SELECT follows FROM sessions WHERE id = ?", (session_id,)).first()
    return (False, None) if row is None else (True, row[0])


def follow_links(connection: Connection) -> list[tuple[str, str | None, str, str]]:
    """(id, follows, date, created_at) of every stored session: the chain walk's input."""
    return [
        (row[0], row[1], row[2], row[3])
        for row in connection.exec_driver_sql("SELECT id, follows, date, created_at FROM sessions")
    ]


def session_ids(connection: Connection) -> set[str]:
    return set(connection.exec_driver_sql("SELECT id FROM sessions").scalars())


def shift_positions(connection: Connection, session_id: str, from_position: int, by: int) -> None:
    """Move every priority at `from_position` or later by `by` places (to open or close a gap)."""
    connection.exec_driver_sql(
        "UPDATE priorities SET position = position + ? WHERE session_id = ? AND position >= ?",
        (by, session_id, from_position),
    )


def set_positions(connection: Connection, positions: Sequence[tuple[int, int]]) -> None:
    """(row key, new position) pairs."""
    if positions:
        connection.exec_driver_sql(
            "UPDATE priorities SET position = ? WHERE pk = ?", [(pos, pk) for pk, pos in positions]
        )


def delete_priority(connection: Connection, pk: int) -> None:
    connection.exec_driver_sql("DELETE FROM priorities WHERE pk = ?", (pk,))


def _children(connection: Connection, sql: str, key: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in connection.exec_driver_sql(sql, (key,)):
        grouped.setdefault(int(row[0]), []).append(row[1:])
    return grouped


def _priorities(connection: Connection, where: str, key: Any) -> list[Priority]:
    """Priorities selected by `where` on the priorities table `p`, in ranking order."""
    rows = connection.exec_driver_sql(
        "SELECT pk, id, title, description, votes, group_name, notes, carried_from FROM priorities AS p "
        f"WHERE {where} ORDER BY position",
        (key,),
    ).all()
    if not rows:
        return []
    def children(columns: str, table: str) -> dict[int, list[Any]]:
        return _children(
            connection,
            f"SELECT c.priority_pk, {columns} FROM {table} AS c "
            f"JOIN priorities AS p ON p.pk = c.priority_pk WHERE {where} "
            "ORDER BY c.priority_pk, c.position",
            key,
        )

    domains = children("c.domain", "priority_domains")
    lessons = children("c.slug", "priority_lessons")
    actions = children(
        "c.what, c.who, c.due, c.id, c.status, c.progress, c.updated, c.carried_from", "actions"
    )
    tables = _children(
        connection,
        "SELECT c.priority_pk, c.tally_table, c.votes FROM priority_table_votes AS c "
        f"JOIN priorities AS p ON p.pk = c.priority_pk WHERE {where} "
        "ORDER BY c.priority_pk, c.tally_table",
        key,
    )
    return [
        Priority(
            id=uid,
            title=title,
            description=description,
            votes=int(votes),
            group=group_name,
            notes=notes,
            domains=[row[0] for row in domains.get(pk, [])],
            lessons=[row[0] for row in lessons.get(pk, [])],
            actions=[_action(*row) for row in actions.get(pk, [])],
            carried_from=carried_from,
            table_votes={name: int(count) for name, count in tables.get(pk, [])},
        )
        for pk, uid, title, description, votes, group_name, notes, carried_from in rows
    ]


def _action(
    what: str, who: str, due: str, uid: str, status: str, progress: str, updated: str | None,
    carried_from: str | None,
) -> Action:
    return Action(
        what=what, who=who, when=due, id=uid, status=status, progress=progress,
        updated=dt.date.fromisoformat(updated) if updated else None, carried_from=carried_from,
    )


def fetch_priority(connection: Connection, pk: int) -> Priority:
    return _priorities(connection, "p.pk = ?", pk)[0]


def fetch_session(connection: Connection, session_id: str) -> Session | None:
    row = connection.exec_driver_sql(
        "SELECT id, title, date, venue, neighbourhood, facilitator, participants, language, notes, "
        "follows FROM sessions WHERE id = ?",
        (session_id,),
    ).first()
    if row is None:
        return None
    stored_ratings: dict[str, int] = dict(
        connection.exec_driver_sql(
            "SELECT domain, value FROM session_ratings WHERE session_id = ?", (session_id,)
        ).all()
    )
    return Session(
        id=row[0],
        title=row[1],
        date=dt.date.fromisoformat(row[2]),
        venue=row[3],
        neighbourhood=row[4],
        facilitator=row[5],
        participants=row[6],
        language=row[7],
        notes=row[8],
        ratings={slug: int(stored_ratings[slug]) for slug in DOMAIN_SLUGS if slug in stored_ratings},
        groups=groups(connection, session_id),
        priorities=_priorities(connection, "p.session_id = ?", session_id),
        follows=row[9],
    )


def get_state(connection: Connection, key: str) -> str | None:
    return connection.exec_driver_sql("SELECT value FROM app_state WHERE key = ?", (key,)).scalar()


def set_state(connection: Connection, key: str, value: str | None) -> None:
    if value is None:
        connection.exec_driver_sql("DELETE FROM app_state WHERE key = ?", (key,))
    else:
        connection.exec_driver_sql(
            "INSERT INTO app_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def last_open_session_id(connection: Connection) -> str | None:
    value = get_state(connection, _LAST_OPEN_KEY)
    return value if value is not None and session_exists(connection, value) else None


def set_last_open_session(connection: Connection, session_id: str | None) -> None:
    set_state(connection, _LAST_OPEN_KEY, session_id)


def forget_last_open_session(connection: Connection, session_id: str) -> None:
    """If `session_id` is the one remembered as open, remember none."""
    connection.exec_driver_sql(
        "DELETE FROM app_state WHERE key = ? AND value = ?", (_LAST_OPEN_KEY, session_id)
    )
