"""Logging to the data folder's log file, set up once by the entry point."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from nrp_desktop import paths

_configured: Path | None = None
MAX_LOG_BYTES = 1_000_000
KEPT_LOGS = 3


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


def setup_logging() -> Path:
    """Log to `<data dir>/logs/nrp-desktop.log` (rotated); the path of the log file."""
    global _configured
    log_path = paths.log_file()
    if _configured == log_path:
        return log_path
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _rotate(log_path)
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_nrp_desktop", False)]:
        root.removeHandler(old)
        old.close()
    handler._nrp_desktop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _configured = log_path
    return log_path
