"""Checks of a session database file that never write: its schema version, whether it is ours,
and its integrity."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from nrp_desktop.storage.user_db_errors import (
    DatabaseDamaged,
    ForeignDatabase,
    UserDatabaseError,
)
from nrp_desktop.storage.user_db_upgrades import SCHEMA_VERSION

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 10.0  # another process (the command line) may hold the write lock briefly
_SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id of every session database ("NRPD"), so another program's file at the
# database's place is recognised and left alone.
APPLICATION_ID = 0x4E525044
OUR_TABLES = frozenset({"sessions", "priorities", "app_state"})


def sidecar_path(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _wal_is_empty(path: Path) -> bool:
    try:
        return sidecar_path(path, "-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def read_only_connection(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
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


@contextmanager
def _read_errors_explained(path: Path) -> Iterator[None]:
    """SQLite's errors while reading `path` as DatabaseDamaged (no backups listed) when the
    contents are bad, else as a plain "could not read" UserDatabaseError."""
    try:
        yield
    except sqlite3.Error as error:
        if _is_damage(error):
            raise DatabaseDamaged(path, str(error), []) from None
        raise _cannot_read(path, error) from None


def _read_header_values(path: Path) -> tuple[int, int]:
    """(user_version, application_id), read without writing anything. DatabaseDamaged (with no
    backups listed) when the file is not an SQLite database at all."""
    path = Path(path)
    if not sidecar_path(path, "-wal").exists():
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
    with _read_errors_explained(path), closing(read_only_connection(path)) as connection:
        return (int(connection.execute("PRAGMA user_version").fetchone()[0]),
                int(connection.execute("PRAGMA application_id").fetchone()[0]))


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
    with _read_errors_explained(path):
        # With no write-ahead log the file is complete: read it as immutable, which creates no
        # journal or shared-memory files beside another program's database.
        if sidecar_path(path, "-wal").exists():
            connection = read_only_connection(path)
        else:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        with closing(connection):
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return version  # made by SQLite and nothing filled yet (a crash while it was first made)
    if version == 0 or not OUR_TABLES.issubset(tables):
        raise ForeignDatabase(path)
    return version


def integrity_problems(path: Path, thorough: bool = False) -> list[str]:
    """What SQLite's own check finds wrong with the file (empty when it is sound). Read-only.
    `thorough` runs integrity_check (also compares every index with its table); otherwise the
    faster quick_check, which still reads every page. UserDatabaseError when the file cannot be
    read at all for another reason (locked, no permission)."""
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        connection = read_only_connection(Path(path))
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


