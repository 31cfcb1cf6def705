"""What one edit changed, so every screen showing session data can follow it.

Learnt from Anki's `OpChanges`: each operation (an edit, an undo, opening or importing a
session) ends with one `SessionChanges`, and the main window hands it to every screen; a screen
looks at the flags it cares about and never asks another screen to refresh.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionChanges:
    session_id: str | None = None  # the session open once the operation is done
    opened: bool = False  # another session (or none) is open now
    fields: bool = False  # title, date, venue, notes … of the open session
    groups: bool = False  # its tables
    ratings: bool = False  # its compass scores
    priorities: bool = False  # its priorities: added, removed, moved, voted, or edited
    added_priorities: tuple[str, ...] = ()  # the ids of priorities added
    stored_sessions: bool = False  # the list of stored sessions (added, deleted, renamed, imported)

    def __or__(self, other: SessionChanges) -> SessionChanges:
        return SessionChanges(
            session_id=other.session_id,
            opened=self.opened or other.opened,
            fields=self.fields or other.fields,
            groups=self.groups or other.groups,
            ratings=self.ratings or other.ratings,
            priorities=self.priorities or other.priorities,
            added_priorities=self.added_priorities + tuple(
                priority_id for priority_id in other.added_priorities if priority_id not in self.added_priorities),
            stored_sessions=self.stored_sessions or other.stored_sessions,
        )

    @property
    def session_content(self) -> bool:
        """Anything a printout of the open session shows (or a different session) changed."""
        return self.opened or self.fields or self.groups or self.ratings or self.priorities

    def with_session(self, session_id: str | None) -> SessionChanges:
        return dataclasses.replace(self, session_id=session_id)
