"""Every path the app uses comes from here.

Bundled resources are read from the installed package (`nrp_desktop/_resources`, put there by the
build) or, in a source checkout, from the top-level `resources/` folder. The facilitator's own
data lives in one data folder: `--data-dir`, else `NRP_DESKTOP_DATA_DIR`, else the platform's user
data folder. Nothing is ever written into the install folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "NRP_DESKTOP_DATA_DIR"
CONTENT_DB_ENV = "NRP_DESKTOP_CONTENT_DB"
_PACKAGE_DIR = Path(__file__).resolve().parent
_data_dir_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use `path` for the facilitator's data (from `--data-dir`); None restores the default."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def resource_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder build
    if frozen_root:
        return Path(frozen_root) / "nrp_desktop" / "_resources"
    packaged = _PACKAGE_DIR / "_resources"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "resources"


def content_db_path() -> Path:
    override = os.environ.get(CONTENT_DB_ENV)
    return Path(override) if override else resource_dir() / "content.sqlite3"


def fonts_dir() -> Path:
    return resource_dir() / "fonts"


def icons_dir() -> Path:
    return resource_dir() / "icons"


def style_dir() -> Path:
    return resource_dir() / "style"


def live_page_dir() -> Path:
    """The page phones load for votes from phones (resources/live)."""
    return resource_dir() / "live"


def translations_dir() -> Path:
    return resource_dir() / "translations"


def default_data_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "NRP Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "NRP Desktop"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "nrp-desktop"


def data_dir() -> Path:
    if _data_dir_override is not None:
        return _data_dir_override
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_data_dir()


def ensure_data_dir() -> Path:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def user_db_path() -> Path:
    return data_dir() / "sessions.sqlite3"


def backups_dir() -> Path:
    return data_dir() / "backups"


def logs_dir() -> Path:
    return data_dir() / "logs"


def log_file() -> Path:
    return logs_dir() / "nrp-desktop.log"


def settings_file() -> Path:
    return data_dir() / "settings.ini"


def single_instance_name() -> str:
    """The local socket through which a second start hands its files to the running window: one
    per user and data folder. On Linux it sits in the user's runtime folder (XDG_RUNTIME_DIR)
    where there is one; elsewhere it is a name Qt places (a named pipe on Windows, the temporary
    folder on macOS). Hashed, because a socket path may be at most ~100 characters long."""
    import hashlib

    digest = hashlib.sha256(str(data_dir()).encode("utf-8")).hexdigest()[:16]
    name = f"nrp-desktop-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform.startswith("linux") and runtime and Path(runtime).is_dir():
        candidate = Path(runtime) / f"{name}.sock"
        if len(str(candidate)) < 100:
            return str(candidate)
    user = os.environ.get("USER") or os.environ.get("USERNAME") or str(getattr(os, "getuid", lambda: 0)())
    return f"{name}-{hashlib.sha256(user.encode('utf-8')).hexdigest()[:8]}"


def published_record_path() -> Path:
    """What this laptop published to which council database (content hashes per session)."""
    return data_dir() / "published.json"
