"""What the main window may ask of a screen, and the one thing every screen may ask of it.

Each screen (library, tool, compass, workshop session, handout, compare halls) is a `Screen`:
the main window builds it, hands it the content and the session database when they are ready,
tells it after every operation what changed (`follow_changes`), asks it to write what is still
being typed (`flush_pending`), and, when the language changes, to put its words in the new one
(`retranslate_ui`). A screen never calls another screen: it asks the main window (its signals)
and follows the changes it is told about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from nrp_desktop.domain.content import ContentLibrary, SearchHit
    from nrp_desktop.domain.session import Session
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.sessions import SessionStore
    from nrp_desktop.ui.document.document import SessionDocument


class ScreenContext:
    """What the main window gives each screen it builds: the open session's document (the one
    place session edits run) and the library's search."""

    def __init__(self, document: SessionDocument, search: Callable[[str], list[SearchHit]]) -> None:
        self.document = document
        self.search = search


class Screen(QWidget):
    """A screen of the main window. The defaults do nothing, so a screen names only what it uses."""

    # "lesson:slug", "case-study:slug" …: open this page in the library.
    open_link_requested = Signal(str)

    @classmethod
    def build(cls, context: ScreenContext) -> Screen:
        """Build the screen (a screen that edits sessions takes the document from `context`)."""
        return cls()

    def set_library(self, library: ContentLibrary) -> None:
        """The bundled content is loaded."""

    def attach_store(self, store: SessionStore) -> None:
        """The session database is open."""

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        """An operation changed the sessions; `session` is a copy of the one open now."""

    def flush_pending(self) -> None:
        """Write anything still being typed, before the session is replaced or the app closes."""

    def retranslate_ui(self) -> None:
        """Put every word on the screen into the current language."""

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        """(file name, set-up) pairs for `--screenshots`."""
        return []

    def restore_state(self, settings: Any) -> None:
        """Take back what the screen remembers between runs (splitters …) from `settings`."""

    def save_state(self, settings: Any) -> None:
        """Remember what `restore_state` takes back."""
