"""The seam between the screens and commands and wherever sessions are kept (issue 11, item 4).

A `SessionSource` lists and fetches sessions; it says nothing about SQL. The laptop's store
(`services.sessions.SessionStore`, SQLite) and the council database
(`services.council.CouncilSessions`, PostgreSQL) are the two implementations, so a screen or a
command that only reads sessions works with either.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from nrp_desktop.domain.session import Session, SessionSummary


@runtime_checkable
class SessionSource(Protocol):
    def list_sessions(self) -> list[SessionSummary]:
        """Every session, newest (by session date) first."""
        ...

    def load_session(self, session_id: str) -> Session:
        """The whole session; `services.sessions.SessionNotFound` when there is none."""
        ...

    def session_exists(self, session_id: str) -> bool: ...

    def close(self) -> None: ...


def load_sessions(source: SessionSource, ids: list[str] | None = None) -> list[Session]:
    """The sessions named (all of them when `ids` is None), in the order given."""
    chosen = [summary.id for summary in source.list_sessions()] if ids is None else ids
    return [source.load_session(session_id) for session_id in chosen]
