"""The main window's actions on files and sessions: import, export, a handout for a screen
reader, publishing to the council database, votes from phones, the follow-up actions, and
session files dropped on the window. A mixin of `MainWindow` (ui/main_window.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nrp_desktop.ui.window.basics import COUNCIL_ADDRESS_KEY, EDITOR, HANDOUT, settings

if TYPE_CHECKING:  # to mypy a window; at run time a plain mixin, MainWindow brings the QMainWindow
    from PySide6.QtWidgets import QMainWindow as _Window
else:
    _Window = object


class MainWindowActions(_Window):
    """File ▸ and Workshop session ▸ actions, and drag and drop, of `MainWindow`."""

    # Set in MainWindow.__init__ (annotations only: nothing is made here).
    _publish_dialog: Any
    live_votes: Any
    _join_panel: Any

    def receive_files(self, files: list[str], raise_window: bool = True) -> None:
        """Session files opened from outside (the command line, a file double-clicked while the
        window runs): imported as File ▸ Import does (once the sessions database is open), and
        the window comes to the front."""
        if files:
            if self.store is None:
                self._files_waiting.extend(files)
            else:
                self.import_files(list(files))
        if raise_window:
            if self.isMinimized():
                self.showNormal()
            self.show()
            from PySide6.QtGui import QGuiApplication

            if QGuiApplication.platformName() != "offscreen":  # which cannot raise (and says so)
                self.raise_()
            self.activateWindow()

    def import_files(self, files: list[str] | None = None) -> list[str]:
        """Import session files (asking which, unless given) and open the last one stored."""
        from nrp_desktop.ui import session_files

        if self.store is None:
            self.statusBar().showMessage(self.tr("Sessions are not available yet."), 8000)
            return []
        if files is None:
            stored = session_files.ask_and_import(self, self.store, self.library)
        else:
            stored = session_files.import_session_files(self, self.store, self.library, files)
        self.flush_pending()  # what is typed goes to the old copy, before the new one replaces it
        for index, session_id in enumerate(stored):
            self.document.session_replaced(session_id, open_it=index == len(stored) - 1)
        if stored:
            self.show_screen(self.screen_named(EDITOR))
            from nrp_desktop import i18n

            self.statusBar().showMessage(
                i18n.ngettext("Imported {n} session file.", "Imported {n} session files.", len(stored)), 8000)
        return stored

    def export_session(self, as_csv: bool) -> bool:
        from nrp_desktop.ui import session_files

        self.flush_pending()
        session = self.document.snapshot() if self.store is not None and self.document else None
        if session is None:
            self.statusBar().showMessage(self.tr("Open a workshop session to export it."), 8000)
            return False
        return session_files.export_session(self, session, self.library, as_csv)

    def publish_to_council(self, changes_only: bool) -> Any:
        """File ▸ Publish to council database… (the dialog, every session offered) or File ▸
        Publish changes (the dialog on the address last published to, sending at once only the
        sessions new or changed since). The dialog, or None without a session database."""
        from PySide6.QtCore import Qt

        from nrp_desktop.ui.publish_dialog import PublishDialog

        if self.store is None:
            self.statusBar().showMessage(self.tr("Sessions are not available yet."), 8000)
            return None
        self.flush_pending()  # what is being typed is part of what is published
        if self._publish_dialog is not None and self._publish_dialog.isVisible():
            self._publish_dialog.raise_()
            self._publish_dialog.activateWindow()
            return self._publish_dialog
        address = str(settings().value(COUNCIL_ADDRESS_KEY, "") or "")
        dialog = PublishDialog(self.store, self, url=address)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.published.connect(self._remember_council_address)
        dialog.destroyed.connect(self._publish_dialog_closed)
        self._publish_dialog = dialog
        if changes_only:
            dialog.changed_only.setChecked(True)
        else:
            dialog.everything.setChecked(True)
        dialog.open()
        if changes_only and address:
            dialog.start()  # the password from NRP_DESKTOP_DB_PASSWORD or ~/.pgpass, else asked
        return dialog

    def _follow_up_action(self, method: str) -> None:
        """Workshop session ▸ a follow-up action, on the open session (said when none is open)."""
        editor = self.screen_named(EDITOR)
        self.show_screen(editor)
        if self.document is None or self.document.session is None:
            self.statusBar().showMessage(self.tr("Open a workshop session first."), 8000)
            return
        getattr(editor.follow_up, method)()

    def show_live_votes(self) -> Any:
        """Workshop session ▸ Votes from phones…: the join panel for the open session (on the
        projector's screen when the projector window is open). Nothing listens until the
        facilitator presses Start; the server stops with the panel, the session or the window.
        The panel, or None with no session open."""
        from nrp_desktop.ui.live_panel import JoinPanel, LiveVotes

        editor = self.screen_named(EDITOR)
        if self.document is None or self.document.session is None:
            self.show_screen(editor)
            self.statusBar().showMessage(self.tr("Open a workshop session first: phones vote on its priorities."),
                                         8000)
            return None
        self.flush_pending()
        if self.live_votes is None:
            self.live_votes = LiveVotes(self.document, self)
        if self._join_panel is None:
            self._join_panel = JoinPanel(self.live_votes, self)
        panel = self._join_panel
        if panel.isVisible():  # asked again: bring it forward
            panel.raise_()
            panel.activateWindow()
            return panel
        projector = editor.projector_window()
        if projector is not None and projector.isVisible() and projector.screen() is not None:
            # The room's screen: the panel covers the projector's window while it is open.
            panel.setGeometry(projector.screen().geometry())
            panel.showFullScreen()
            panel.cover(projector)
        else:
            panel.fit_screen(self.screen())
            panel.showNormal()
        panel.activateWindow()
        return panel

    def _publish_dialog_closed(self) -> None:
        self._publish_dialog = None

    @staticmethod
    def _remember_council_address(address: str) -> None:
        # An address never holds a password (refused before anything is sent), so it may be kept.
        stored = settings()
        stored.setValue(COUNCIL_ADDRESS_KEY, address)
        stored.sync()

    def dragEnterEvent(self, event: Any) -> None:
        from nrp_desktop.ui.session_files import is_session_file

        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if urls and all(url.isLocalFile() and is_session_file(url.toLocalFile()) for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls()]
        event.acceptProposedAction()
        self.import_files(files)


    def save_for_screen_reader(self) -> None:
        """The open session's handout as an accessible web page (from the Handout screen)."""
        self.flush_pending()
        handout = self.screen_named(HANDOUT)
        if handout.session is None or handout.library is None:
            from nrp_desktop.ui.widgets.announce import announce

            message = self.tr("Open a workshop session to save its handout.")
            self.statusBar().showMessage(message, 8000)
            announce(self, message, assertive=True)
            return
        self.show_screen(handout)
        handout.save_html_as()

