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
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrp_desktop.storage.files import FileWriteError
from nrp_desktop.storage.user_db_backups import (
    BACKUPS_KEPT,
    backup_path_for,
    good_backups,
    list_backups,
    restore_backup,
    take_backup,
)
from nrp_desktop.storage.user_db_checks import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    check_ours,
    integrity_problems,
    read_only_connection,
    read_schema_version,
)
from nrp_desktop.storage.user_db_errors import (
    Backup,
    DatabaseDamaged,
    DatabaseTooNew,
    ForeignDatabase,
    UserDatabaseError,
)
from nrp_desktop.storage.user_db_upgrades import SCHEMA_VERSION, UPGRADES, Upgrade

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

__all__ = [
    "APPLICATION_ID",
    "BACKUPS_KEPT",
    "BUSY_TIMEOUT_SECONDS",
    "SCHEMA_VERSION",
    "UPGRADES",
    "Backup",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "ForeignDatabase",
    "Upgrade",
    "UserDatabase",
    "UserDatabaseError",
    "backup_path_for",
    "check_ours",
    "good_backups",
    "integrity_problems",
    "list_backups",
    "read_schema_version",
    "restore_backup",
    "take_backup",
]

log = logging.getLogger(__name__)

_BEGIN_OPTION = "nrp_begin"  # execution option: which BEGIN a transaction starts with


# ---------------------------------------------------------------------------------------------
# The open database.


def _create_engine(path: Path, read_only: bool = False) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    if read_only:
        def connect_read_only() -> sqlite3.Connection:
            connection = read_only_connection(path, check_same_thread=False)
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


