"""Rolling backups of the session database: taken with SQLite's backup API, numbered in the
order they are taken and pruned by that number (never by the clock), and restored whole."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes
from nrp_desktop.storage.user_db_checks import (
    integrity_problems,
    read_only_connection,
    read_schema_version,
    sidecar_path,
)
from nrp_desktop.storage.user_db_errors import (
    Backup,
    DatabaseTooNew,
    UserDatabaseError,
)
from nrp_desktop.storage.user_db_upgrades import SCHEMA_VERSION

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

BACKUPS_KEPT = 7


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
    source = read_only_connection(database_path)
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
        staged = atomic_write_bytes(sidecar_path(database_path, ".restoring"), data)
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
            sidecar = sidecar_path(database_path, suffix)
            if sidecar.exists():
                if aside is not None:
                    os.replace(sidecar, sidecar_path(aside, suffix))
                else:
                    sidecar.unlink()
        os.replace(staged, database_path)
    except (OSError, FileWriteError) as error:
        raise UserDatabaseError(f"Could not restore {backup_path} to {database_path}: {error}") from None
    return aside


