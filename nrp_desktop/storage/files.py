"""Atomic, durable file writes: the target is either the old file or the whole new one.

Every file the app writes for the user (session files, CSV, PDF, backups) goes through
`atomic_write_bytes`: write a temporary file beside the target, flush it to disk, rename it over
the target, and flush the folder, so a crash or a full disk never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from nrp_desktop.errors import KnownFailure


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import: os.umask can only be read by setting it, which must not race a write.
_UMASK = _read_umask()


class FileWriteError(KnownFailure):
    """The file could not be written; the message names the path and the reason in plain words."""

    code = "cannot-write"


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows has no directory handles to flush; os.replace is already atomic there
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"cannot write {target}: the folder {folder} does not exist")
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        # mkstemp makes the file private (0600); give it the mode the user expects of a file they
        # asked for: the old file's mode, or the usual one for a new file.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_UMASK
        if os.name == "posix":
            os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        temporary = None
        _fsync_directory(folder)
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileWriteError(f"cannot write {target}: {reason}") from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))
