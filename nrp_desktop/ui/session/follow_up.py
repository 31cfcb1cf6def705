"""Follow-up sessions in the session editor (contract.md §5.1, issue 14.1 and 14.3): the
"New follow-up session…" button, the "Since last time" button that opens the review on the
projector, and the session the open one follows, for the compass overlay and the handout.

Self-contained: `FollowUpControls(editor)` adds its two buttons to the editor's session bar and
tab corner and follows the editor's `SessionDocument`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QBoxLayout, QDialog, QPushButton

from nrp_desktop.domain.followup import carried_actions
from nrp_desktop.domain.session import SESSION_TITLE_MAX, Session
from nrp_desktop.ui.session.since_last_time import SinceLastTimeWindow
from nrp_desktop.ui.widgets import tab_order

if TYPE_CHECKING:
    from nrp_desktop.ui.session.editor import SessionEditor


def follow_up_title(earlier_title: str) -> str:
    title = f"Follow-up: {earlier_title.strip()}"
    return title if len(title) <= SESSION_TITLE_MAX else title[: SESSION_TITLE_MAX - 1] + "…"


class FollowUpControls(QObject):
    previous_changed = Signal(object)  # Session | None: the stored session the open one follows

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.document = editor.document
        self.previous: Session | None = None
        self._window: SinceLastTimeWindow | None = None

        self.follow_up_button = QPushButton(self.tr("Follow-up…"))
        self.follow_up_button.setObjectName("newFollowUp")
        self.follow_up_button.setAccessibleName(self.tr("New follow-up session of the open session"))
        self.follow_up_button.setToolTip(self.tr(
            "A new session that follows this one: same venue, tables and language, with every "
            "action not yet done or dropped carried over"))
        self.follow_up_button.clicked.connect(self.ask_follow_up)
        bar = editor.session_bar
        bar.insertWidget(bar.indexOf(editor.new_button) + 1, self.follow_up_button)

        self.review_button = QPushButton(self.tr("Since last time"))
        self.review_button.setObjectName("cornerButton")
        self.review_button.setAccessibleName(self.tr("Since last time"))  # the label, then why
        self.review_button.setAccessibleDescription(self.tr("Review last time's actions one by one, full screen"))
        self.review_button.setToolTip(self.tr("Go through the actions carried from last time on the "
                                              "projector and mark each done, started or dropped"))
        self.review_button.clicked.connect(self.show_review)
        corner = editor.tabs.cornerWidget()
        corner_layout = corner.layout() if corner is not None else None
        if isinstance(corner_layout, QBoxLayout):
            corner_layout.insertWidget(0, self.review_button)

        self.history_button = QPushButton(self.tr("History…"))
        self.history_button.setObjectName("sessionHistoryButton")
        self.history_button.setAccessibleName(self.tr("The history of this group's sessions"))
        self.history_button.setToolTip(self.tr("Every session in this chain of follow-ups: dates, "
                                               "actions done, and the compass over time"))
        self.history_button.clicked.connect(self.show_history)
        bar.insertWidget(bar.indexOf(self.follow_up_button) + 1, self.history_button)
        # Made after the bar and the tabs: put them where they are seen in the focus chain.
        tab_order(editor.new_button, self.follow_up_button, self.history_button, editor.rename_button)
        tab_order(editor.tabs.tabBar(), self.review_button, editor.undo_button)

        self._in_chain = False  # read from the store when the session opens or the sessions change
        self.document.session_opened.connect(self._on_session_opened)
        self.document.sessions_listed.connect(self._read_chain)
        # An edit of the priorities can change only the carried actions, not the chain: no read
        # of the store for it (phone votes arrive by the hundred).
        self.document.priorities_changed.connect(self._update_buttons)
        self._read_chain()

    # The session followed --------------------------------------------------------------------

    def _on_session_opened(self, session: Session | None) -> None:
        previous = None
        store = self.document.store
        if session is not None and session.follows is not None and store is not None:
            from nrp_desktop.services.followup import previous_session

            previous = previous_session(store, session)
        self.previous = previous
        self._read_chain()
        self.previous_changed.emit(previous)

    def _update_buttons(self) -> None:
        session = self.document.session
        self.follow_up_button.setEnabled(session is not None)
        carried = bool(session is not None and carried_actions(session))
        self.review_button.setVisible(carried)
        self.history_button.setVisible(session is not None and (session.follows is not None or self._in_chain))

    def _read_chain(self) -> None:
        """Whether a stored session follows the open one (so it has a history to show)."""
        session, store = self.document.session, self.document.store
        self._in_chain = bool(session is not None and store is not None
                              and any(link.follows == session.id for link in store.follow_links()))
        self._update_buttons()

    # New follow-up ---------------------------------------------------------------------------

    def ask_follow_up(self) -> None:
        session = self.document.session
        if session is None:
            return
        from nrp_desktop.ui.session.details import NewSessionDialog

        dialog = NewSessionDialog(self.editor)
        dialog.setWindowTitle(self.tr("New follow-up session"))
        dialog.title_field.setText(follow_up_title(session.title))
        dialog.title_field.selectAll()
        today = dt.date.today()
        dialog.date_field.setDate(QDate(today.year, today.month, today.day))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            title, date = dialog.values()
            self.create_follow_up(title, date)

    def create_follow_up(self, title: str, date: dt.date) -> Session | None:
        """Store a follow-up of the open session and open it; None (and a message) if it fails."""
        earlier = self.document.session
        store = self.document.store
        if earlier is None or store is None:
            return None
        self.editor.flush_pending()
        from nrp_desktop.services.followup import create_follow_up

        try:
            made = create_follow_up(store, earlier.id, title, date)
        except Exception as error:  # shown, never raised into Qt
            self.editor.show_banner(self.tr("The follow-up session could not be started: %s") % error)
            return None
        self.document.sessions_listed.emit()
        return self.document.open_session(made.session.id)

    def show_history(self) -> None:
        session, store = self.document.session, self.document.store
        if session is None or store is None:
            return
        from nrp_desktop.ui.session.history import SessionHistoryDialog

        try:
            dialog = SessionHistoryDialog(store, session.id, self.editor)
        except Exception as error:  # shown, never raised into Qt
            self.editor.show_banner(self.tr("The history could not be shown: %s") % error)
            return
        dialog.open()
        self._history = dialog  # kept while it is open

    # The review ------------------------------------------------------------------------------

    def show_review(self) -> None:
        if self.document.session is None:
            return
        self.editor.flush_pending()
        if self._window is None:
            self._window = SinceLastTimeWindow(self.document, near=self.editor.window())
            self._window.destroyed.connect(self._review_closed)
        self._window.reload()
        self._window.show_full_screen()

    def _review_closed(self) -> None:
        self._window = None
