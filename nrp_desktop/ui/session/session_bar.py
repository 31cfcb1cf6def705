"""What the session bar does: choose, start, rename, delete and bring back sessions"""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.domain.session import (
    Session,
)
from nrp_desktop.ui.document.texts import priorities_text
from nrp_desktop.ui.failures import failure_line
from nrp_desktop.ui.session.details import NewSessionDialog
from nrp_desktop.ui.widgets.plain_text import ask


class SessionBarActions:
    """Mixed into SessionEditor; see the module's docstring."""

    def _refresh_session_list(self) -> None:
        self.session_list.refresh()
        row = self.session_list.row_of(self.document.session_id)
        self.session_combo.blockSignals(True)
        self.session_combo.setCurrentIndex(row)
        self.session_combo.blockSignals(False)
        if row < 0:
            self.session_combo.setPlaceholderText(
                self.tr("No session open") if self.session_list.rowCount() else self.tr("No sessions yet"))

    def _session_chosen(self, row: int) -> None:
        if 0 <= row < self.session_list.rowCount():
            self.open_session(self.session_list.summary(row).id)

    def open_session(self, session_id: str) -> bool:
        self.flush_pending()
        if session_id == self.document.session_id:
            return True
        try:
            self._offer_warm_up_work(session_id)
            self.document.open_session(session_id)
        except Exception as error:
            self.show_banner(self.tr("That session could not be opened: %s")
                             % failure_line(error, "opening the session"))
            self._refresh_session_list()
            return False
        return True

    def _offer_warm_up_work(self, session_id: str) -> None:
        """Work done before a session was chosen (compass scores, priorities from the tool) sits
        in a session started by itself: offer to move it into the one the facilitator opens."""
        earlier = self.document.warm_up_session()
        if earlier is None or earlier.id == session_id or not self.document.has_warm_up_work(earlier):
            return
        target = self.document.store.load_session(session_id)
        parts = []
        if earlier.ratings:
            parts.append(self.tr("the compass scores"))
        if earlier.priorities:
            count = len(earlier.priorities)
            parts.append(self.tr("1 priority") if count == 1 else self.tr("%s priorities") % count)
        if ask(cast(QWidget, self), self.tr("Move the warm-up work?"),
               self.tr("Before a session was chosen, %1 went into “%2”. Move them into “%3”?\n\n"
                       "If not, they stay in “%2”, a session of its own.")
               .replace("%1", self.tr(" and ").join(parts)).replace("%2", earlier.title)
               .replace("%3", target.title), yes_text=self.tr("Move them")):
            self.document.move_warm_up_into(session_id)
        else:
            self.document.store.set_warm_up_session(None)  # asked once: it is a session now

    def ask_new_session(self) -> None:
        dialog = NewSessionDialog(cast(QWidget, self))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            title, date = dialog.values()
            self.new_session(title, date)

    def new_session(self, title: str, date: dt.date) -> Session | None:
        self.flush_pending()
        try:
            session = self.document.create_session(title, date)
        except Exception as error:
            self.show_banner(self.tr("The new session could not be started: %s")
                             % failure_line(error, "starting a new session"))
            return None
        self.tabs.setCurrentWidget(self.priorities_page)
        self.new_priority_field.setFocus()
        return session

    def ask_rename_session(self) -> None:
        session = self.document.session
        if session is None:
            return
        title, accepted = QInputDialog.getText(cast(QWidget, self), self.tr("Rename the session"),
                                               self.tr("New title:"), text=session.title)
        if accepted:
            self.rename_session(title)

    def rename_session(self, title: str) -> bool:
        if not title.strip():
            self.show_banner(self.tr("A session needs a title; the name was not changed."))
            return False
        return self.run_edit(lambda: self.document.edit_session_fields(title=title),
                             self.details_form.messages["title"])

    def confirm(self, question: str, detail: str) -> bool:
        """Ask before something that cannot simply be undone (replaced in tests)."""
        return ask(cast(QWidget, self), self.tr("Delete the session?"), question, detail, yes_text=self.tr("Delete"),
                   default_yes=False)

    def ask_delete_session(self) -> bool:
        session = self.document.session
        if session is None:
            return False
        count = len(session.priorities)
        question = self.tr("Delete the session “%1” and its %2?").replace("%1", session.title).replace(
            "%2", priorities_text(count))
        detail = self.tr("You can bring it back with “Undo delete” until you close NRP Desktop. After that it is "
                         "gone, apart from copies in the daily backups, which are removed within seven days.")
        if not self.confirm(question, detail):
            return False
        return self.delete_session(session.id)

    def delete_session(self, session_id: str) -> bool:
        self.flush_pending()
        try:
            kept = self.document.delete_session(session_id)
        except Exception as error:
            self.show_banner(self.tr("The session could not be deleted: %s")
                             % failure_line(error, "deleting the session"))
            return False
        self._deleted.append(kept)
        self.show_banner(self.tr("Deleted “%s”. You can bring it back until you close NRP Desktop.")
                         % i18n.isolate(kept.title),
                         undo_delete=True)
        return True

    def undo_delete(self) -> bool:
        if not self._deleted:
            return False
        session = self._deleted.pop()
        try:
            self.document.restore_session(session)
        except Exception as error:
            self._deleted.append(session)
            self.show_banner(self.tr("The session could not be brought back: %s")
                             % failure_line(error, "bringing the session back"), undo_delete=True)
            return False
        self.show_banner(self.tr("“%s” is back.") % i18n.isolate(session.title))
        return True
