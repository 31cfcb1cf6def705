"""The session file's format (contract.md §2): its name, version and limits, the error that
refuses a file, and what reading one gives."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nrp_desktop.domain.session import Session
from nrp_desktop.errors import BadInput

FORMAT_NAME = "nrp-session"
FORMAT_VERSION = 1
FILE_EXTENSION = ".nrpsession"
MAX_FILE_BYTES = 10 * 1024 * 1024  # "files larger than 10 MB are refused before they are parsed"
# A version-1 file is six levels deep (file, session, priorities, priority, actions, action);
# the margin leaves room for later additions while keeping every later walk shallow.
MAX_NESTING = 64
MAX_NUMBER_DIGITS = 100  # no field needs more; Python refuses ints over 4300 digits anyway
MAX_WARNINGS = 100

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


class SessionFileError(BadInput):
    """The file was refused (or the session cannot be written); the message is one plain line.

    `source` is the file's name, `place` where in it (e.g. `session.priorities[3].votes`, or ""
    for the file as a whole) and `reason` the rule it breaks.
    """

    def __init__(self, source: str, place: str, reason: str) -> None:
        self.source = source
        self.place = place
        self.reason = reason
        parts = [part for part in (source, place, reason) if part]
        # One line, always: a place or value from the file may hold a line break.
        super().__init__(": ".join(parts).replace("\r", "\\r").replace("\n", "\\n"))

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ParsedSessionFile:
    session: Session
    warnings: list[str] = field(default_factory=list)
    content_version: str | None = None
    app_version: str | None = None
    exported_at: str | None = None


# How a place in the file and a value from it are named in a message


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def quote(value: object, limit: int = 60) -> str:
    """A value for a message: quoted, escaped (so the message stays one line), and cut short."""
    text = str(value)
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def place_of(location: Iterable[str | int]) -> str:
    place = ""
    for part in location:
        if isinstance(part, int):
            place += f"[{part}]"
        elif part != "[key]":  # pydantic's marker for a dict key: the key is already in the place
            place = join_place(place, part)
    return place


def join_place(place: str, key: str) -> str:
    """The place of `key` inside the object at `place` (already formatted by _place)."""
    if PLAIN_KEY.fullmatch(key):
        return f"{place}.{key}" if place else key
    return f"{place}[{quote(key)}]"
