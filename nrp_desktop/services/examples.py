"""The example session bundled with the app (a copy of contract.md's example file): for the
screenshots, for trying the app out, and for the packaged app's smoke test."""

from __future__ import annotations

from pathlib import Path

from nrp_desktop import paths
from nrp_desktop.domain.session import Session

EXAMPLE_SESSION_NAME = "session-example.nrpsession"


def example_session_path() -> Path:
    return paths.resource_dir() / "examples" / EXAMPLE_SESSION_NAME


def example_session(known_lessons: set[str] | None = None) -> Session:
    """The example session, read and checked like any session file."""
    from nrp_desktop.services.session_file import read_session_file

    return read_session_file(example_session_path(), known_lessons).session
