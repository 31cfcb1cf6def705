"""Why a session database cannot be opened, each with a plain message naming the file, and
the backups a damaged one can be restored from."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.errors import DataUnusable

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

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


