"""Known failures: what a person can act on, each carrying one plain line (no Qt, no heavy imports).

Everything the app refuses or cannot do for a reason outside the program (a bad file, a damaged or
too-new database, a full disk, an unwritable folder) is a `KnownFailure`. The command line prints
its message as one line and exits with its `exit_status` (2); the window shows it in a dialog.
Anything else is a bug: it is logged with its traceback, and a person is told only where the log
file is (`describe_failure`), never the raw Python message.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_BAD_INPUT = 2

# errno values that mean "the disk (or the user's quota) is full".
_FULL_DISK_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_SQLITE_IOERR = 10
_SQLITE_FULL = 13
_NEARLY_FULL_BYTES = 256 * 1024  # less than this free, an I/O error is taken for a full disk


class KnownFailure(Exception):
    """A failure with a plain-words message for a person; `code` names it for translation."""

    exit_status: int = EXIT_BAD_INPUT
    code: str = "failure"

    @property
    def message(self) -> str:
        """The message as one line: a value quoted from a file may hold a line break."""
        return one_line(str(self))


class BadInput(KnownFailure):
    """The input is wrong (a file, an argument); the message says what and where."""

    code = "bad-input"


class DataUnusable(KnownFailure):
    """Stored data cannot be used as it is (damaged, too new, not ours); nothing was changed."""

    code = "data-unusable"


class DiskFull(KnownFailure):
    """A write failed because the disk is full; nothing was half-written."""

    code = "disk-full"

    def __init__(self, where: str | Path | None = None) -> None:
        self.where = str(where) if where else ""
        place = f" (writing {self.where})" if self.where else ""
        super().__init__(
            f"the disk is full{place}; nothing was changed. Free some space and try again"
        )


def one_line(text: str) -> str:
    return text.replace("\r\n", "\\n").replace("\r", "\\r").replace("\n", "\\n")


def _free_bytes(folder: Path) -> int | None:
    import os

    try:
        status = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows; a missing folder
        return None
    return status.f_bavail * status.f_frsize


def is_disk_full(error: BaseException, folder: Path | None = None) -> bool:
    """Whether the error, or one it was raised from, is a full disk (or full quota). SQLite
    often reports a full disk as a plain I/O error (it could not grow a file it maps), so with
    `folder` an I/O error also counts when that folder's disk has (almost) no space left."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskFull):
            return True
        if isinstance(current, OSError) and current.errno in _FULL_DISK_ERRNOS:
            return True
        sqlite3 = sys.modules.get("sqlite3")  # not imported: no SQLite error can exist
        if sqlite3 is not None and isinstance(current, sqlite3.Error) and (
            getattr(current, "sqlite_errorcode", None) == _SQLITE_FULL
            or "database or disk is full" in str(current)
        ):
            return True
        if folder is not None and _is_io_error(current):
            free = _free_bytes(folder)
            if free is not None and free < _NEARLY_FULL_BYTES:
                return True
        current = current.__cause__ or current.__context__
    return False


def _is_io_error(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.EIO:
        return True
    sqlite3 = sys.modules.get("sqlite3")
    return (
        sqlite3 is not None and isinstance(error, sqlite3.Error)
        and (getattr(error, "sqlite_errorcode", 0) & 0xFF == _SQLITE_IOERR
             or "disk I/O error" in str(error))
    )


def as_known_failure(error: BaseException, folder: Path | None = None) -> KnownFailure | None:
    """The known failure this error is (a full disk found anywhere in its chain counts, see
    `is_disk_full` for `folder`), or None for a bug."""
    if isinstance(error, KnownFailure):
        return error
    if is_disk_full(error, folder):
        return DiskFull(getattr(error, "filename", None) or folder)
    return None


def describe_failure(
    error: BaseException, log_path: Path | str | None, what: str = "the command",
    folder: Path | None = None,
) -> str:
    """The one line to show a person for an error that reached the top (the command line's last
    handler, the window's excepthook): a known failure's own message, else where the log is
    (`log_path` None: the log could not be written)."""
    known = as_known_failure(error, folder)
    if known is not None:
        return known.message
    if log_path:
        return f"an unexpected fault stopped {what}; details are in {log_path}"
    return f"an unexpected fault stopped {what} (the log file could not be written)"
