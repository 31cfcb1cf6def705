"""Logging to the data folder's log file, set up once by the entry point.

Logging never breaks what the person asked for: a log that cannot be opened (a read-only or full
disk) leaves the app running without one, and a record that cannot be written (the disk filled up
later) is dropped silently instead of printing logging's own traceback. The first such failure is
remembered in `log_problem` so the app can say so once, in plain words.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from nrp_desktop import paths

_configured: Path | None = None
MAX_LOG_BYTES = 1_000_000
KEPT_LOGS = 3
log_problem: str | None = None  # why the log cannot be written, once that is known


def _rotate(log_path: Path) -> None:
    """Keep the log small: past 1 MB it becomes .1 (and .1 becomes .2 …) at start-up.

    Done once per start rather than with logging.handlers, which costs start-up time."""
    try:
        if log_path.stat().st_size < MAX_LOG_BYTES:
            return
    except FileNotFoundError:
        return
    for number in range(KEPT_LOGS - 1, 0, -1):
        older = log_path.with_name(f"{log_path.name}.{number}")
        if older.exists():
            os.replace(older, log_path.with_name(f"{log_path.name}.{number + 1}"))
    os.replace(log_path, log_path.with_name(f"{log_path.name}.1"))


class _QuietFileHandler(logging.FileHandler):
    """A file handler whose write errors are remembered, never printed."""

    def emit(self, record: logging.LogRecord) -> None:
        try:  # FileHandler re-opens a dropped stream outside its own error handling
            super().emit(record)
        except Exception:
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:
        global log_problem
        error = sys.exc_info()[1]
        if log_problem is None:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            log_problem = f"cannot write the log file {self.baseFilename}: {reason}"
        # Drop the broken stream, so the next record tries a fresh one (the disk may have room).
        try:
            if self.stream is not None:
                self.stream.close()
        except (OSError, ValueError):
            pass
        self.stream = None


def setup_logging() -> Path | None:
    """Log to `<data dir>/logs/nrp-desktop.log` (rotated); the path of the log file, or None when
    it cannot be written (the reason is in `log_problem`; the app goes on without a log)."""
    global _configured, log_problem
    log_path = paths.log_file()
    if _configured == log_path:
        return log_path
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_nrp_desktop", False)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(logging.INFO)
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(log_path)
        handler: logging.Handler = _QuietFileHandler(log_path, encoding="utf-8")
    except OSError as error:
        log_problem = f"cannot write the log file {log_path}: {error.strerror or error}"
        handler = logging.NullHandler()
        log_path_or_none: Path | None = None
    else:
        log_path_or_none = log_path
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._nrp_desktop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    _configured = log_path_or_none
    return log_path_or_none


def log_uncaught(
    error_type: type[BaseException], error: BaseException, traceback: TracebackType | None,
    what: str = "the action",
) -> str:
    """For an excepthook (the window's): log the error with its traceback (a known failure
    without one) and return the one plain line to show a person."""
    from nrp_desktop.errors import as_known_failure, describe_failure

    logger = logging.getLogger("nrp_desktop")
    folder = paths.data_dir()
    if as_known_failure(error, folder) is not None:
        logger.warning("%s did not succeed: %s", what, error)
    else:
        logger.error("unexpected fault in %s", what, exc_info=(error_type, error, traceback))
    log_path = _configured if log_problem is None else None
    return describe_failure(error, log_path, what, folder)
