"""The handout screen: a preview of the real PDF, Save as PDF… and Print…

The PDF is built off the GUI thread by the same code as `nrp-desktop report`, its pages drawn
for the preview, saved atomically, and printed through the system's print dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.handout import HandoutOptions
from nrp_desktop.domain.session import Session
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.ui.failures import failure_line
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.widgets import hide_in_large_text, page_layout, text_label
from nrp_desktop.ui.widgets.announce import announce
from nrp_desktop.ui.widgets.flow_layout import FlowLayout
from nrp_desktop.ui.widgets.pdf_output import (
    ask_pdf_path,
    ask_printer_and_print,
    print_pdf_on,
    safe_file_name,
    write_pdf,
)
from nrp_desktop.ui.widgets.pdf_preview import PdfPreview
from nrp_desktop.ui.widgets.plain_text import plain_label
from nrp_desktop.ui.worker import run_in_background

REBUILD_DELAY_MS = 600  # after the last edit, so typing never waits for a PDF


class HandoutView(Screen):
    """Shows the handout of the open session, or a case study's sheet."""

    pdf_ready = Signal(int)  # the number of pages, once a PDF is shown

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.library: ContentLibrary | None = None
        self.session: Session | None = None
        self.previous_session: Session | None = None  # the one `session` follows, if stored
        self.case_study_slug: str | None = None
        self.pdf: bytes | None = None
        self._generation = 0  # so a slow build never replaces a newer one
        self._pdf_generation = 0  # the build self.pdf came from
        self._stale = False  # the session changed since the shown PDF was built
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(REBUILD_DELAY_MS)
        self._rebuild_timer.timeout.connect(self.rebuild)

        self.subject = text_label("", "pageSubtitle")

        self.paper = QComboBox()
        self.paper.addItem(self.tr("A4"), "a4")
        self.paper.addItem(self.tr("US Letter"), "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        self.large_print = QCheckBox(self.tr("Large print (for people with low vision)"))
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("primary")
        # The handout as a web page, with real headings and tables: what a screen reader reads
        # best (open-source reportlab cannot tag a PDF).
        self.html_button = QPushButton(self.tr("Save for a screen reader…"))
        self.html_button.setAccessibleDescription(
            self.tr("Saves the session's handout as a web page (HTML) with headings and tables"))
        self.html_button.clicked.connect(self.save_html_as)
        self.html_button.setEnabled(False)
        for widget in (self.save_button, self.print_button):
            widget.setEnabled(False)
        self.paper.currentIndexChanged.connect(self.rebuild)
        self.large_print.toggled.connect(self.rebuild)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_handout)

        # The controls wrap onto more lines where the window is narrow or the text large, never
        # cut short (File ▸ Save for a screen reader… also saves the web page from anywhere).
        controls_row = QWidget()
        controls = FlowLayout(controls_row, spacing=16)
        paper_label = QLabel(self.tr("Paper:"))
        paper_label.setBuddy(self.paper)
        for control in (paper_label, self.paper, self.large_print, self.save_button, self.print_button,
                        self.html_button):
            controls.addWidget(control)

        self.viewer = PdfPreview()
        self.viewer.setAccessibleName(self.tr("Handout preview"))
        self.viewer.rendered.connect(self._pages_shown)
        self.viewer.failed.connect(
            lambda line: self._show_message(self.tr("The handout could not be shown: %s") % line))
        self.message = plain_label(self.tr("Open or start a workshop session to see its handout here."))
        self.message.setObjectName("placeholder")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.message)
        self.body.addWidget(self.viewer)

        self.page_title = text_label(self.tr("Print a handout for the group"), "pageTitle")
        layout = page_layout(self, self.page_title, self.subject)  # (the line under: whose handout)
        layout.addWidget(controls_row)
        layout.addWidget(self.body, 1)
        hide_in_large_text(self, self.page_title)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # "Large text for a projector" and back
            hide_in_large_text(self, self.page_title)

    # What to show ------------------------------------------------------------------------

    def set_library(self, library: ContentLibrary) -> None:
        self.library = library
        self.rebuild()

    def set_session(self, session: Session | None) -> None:
        self.session = session
        self.case_study_slug = None
        self.rebuild()

    def set_previous_session(self, previous: Session | None) -> None:
        """The session the open one follows (for "Since last time"); rebuilt only if it changed."""
        if previous is self.previous_session:
            return
        self.previous_session = previous
        shown = self.session
        if shown is not None and previous is not None and shown.follows == previous.id \
                and not self.case_study_slug:
            self.rebuild()

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        """The handout follows the open session: another session is shown at once; an edit
        is shown once typing pauses, or when the screen is next shown."""
        if changes.opened:
            self.set_session(session)
        elif changes.session_content and self.case_study_slug is None:
            self.session = session
            self._stale = True
            if self.isVisible():
                self._rebuild_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.rebuild()

    def show_case_study(self, slug: str) -> None:
        self.case_study_slug = slug
        self.rebuild()

    def options(self) -> HandoutOptions:
        return HandoutOptions(paper=self.paper.currentData(), large_print=self.large_print.isChecked())

    def _subject_title(self) -> str:
        if self.case_study_slug and self.library:
            case_study = self.library.case_study(self.case_study_slug)
            return case_study.title if case_study else self.case_study_slug
        return self.session.title if self.session else ""

    def rebuild(self) -> None:
        self._stale = False
        self._rebuild_timer.stop()
        if self.library is None or (self.session is None and not self.case_study_slug):
            self.subject.setText("")
            self._show_message(self.tr("Open or start a workshop session to see its handout here."))
            return
        library, options = self.library, self.options()
        if self.case_study_slug:
            slug = self.case_study_slug
            self.subject.setText(self.tr("Case study sheet: %s") % i18n.isolate(self._subject_title()))

            def build() -> bytes:
                from nrp_desktop.services.handout import case_study_pdf

                return case_study_pdf(slug, library, options)
        else:
            session = self.session
            previous = self.previous_session
            if previous is not None and (session is None or session.follows != previous.id):
                previous = None  # left from another session
            self.subject.setText(self.tr("Handout for: %s") % i18n.isolate(self._subject_title()))

            def build() -> bytes:
                from nrp_desktop.services.handout import handout_pdf

                assert session is not None  # checked before the build is started
                return handout_pdf(session, library, options, previous=previous)

        self._generation += 1
        generation = self._generation
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        if self.pdf is None:
            self._show_message(self.tr("Preparing the handout…"))
        run_in_background(
            build,
            lambda pdf: self._show_pdf(pdf, generation),
            lambda error: self._show_message(self.tr("The handout could not be made: %s")
                                             % failure_line(error, "making the handout")),
            context=self,
        )

    def _show_message(self, text: str) -> None:
        self.html_button.setEnabled(self.session is not None and self.library is not None
                                    and not self.case_study_slug)
        self.message.setText(text)
        self.body.setCurrentWidget(self.message)

    def _show_pdf(self, pdf: bytes, generation: int) -> None:
        if generation != self._generation:
            return
        self.pdf = pdf
        self._pdf_generation = generation
        self.viewer.set_pdf(pdf)

    def _pages_shown(self, pages: int) -> None:
        if self._pdf_generation != self._generation:
            return  # an older handout drawn while a newer one is being made: not to be saved
        self.body.setCurrentWidget(self.viewer)
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.html_button.setEnabled(self.session is not None and not self.case_study_slug)
        self.pdf_ready.emit(pages)

    # Saving and printing -----------------------------------------------------------------

    def save_to(self, path: str) -> bool:
        if self.pdf is None:
            return False
        saved = write_pdf(self, path, self.pdf, self.tr("The handout was not saved: %s"))
        self._say_saved(path, saved)
        return saved

    def _say_saved(self, path: str, saved: bool) -> None:
        if saved:
            from PySide6.QtWidgets import QMainWindow

            announce(self, self.tr("Handout saved to %s") % path)
            # Seen as well as heard: without it a facilitator had no sign the file was written.
            # The path set apart, so its leading "/" stays in place in an Urdu line.
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(self.tr("Handout saved to %s") % i18n.isolate(path), 10_000)
        else:
            announce(self, self.tr("The handout was not saved."), assertive=True)

    def save_html_to(self, path: str) -> bool:
        """Write the open session's handout as accessible HTML to `path` (atomically)."""
        from nrp_desktop.services.handout import handout_html
        from nrp_desktop.services.output import FileWriteError, atomic_write_bytes
        from nrp_desktop.ui.widgets.plain_text import tell

        if self.session is None or self.library is None:
            return False
        try:
            atomic_write_bytes(path, handout_html(self.session, self.library).encode("utf-8"))
        except FileWriteError as error:
            tell(self, self.tr("Not saved"), self.tr("The handout was not saved: %s") % error)
            self._say_saved(path, False)
            return False
        self._say_saved(path, True)
        return True

    def save_html_as(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        suggested = safe_file_name(self._subject_title(), "handout") + ".html"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the handout for a screen reader"), suggested,
            self.tr("Web pages (*.html)"))
        if path:
            self.save_html_to(path if path.lower().endswith((".html", ".htm")) else path + ".html")

    def save_as(self) -> None:
        suggested = safe_file_name(self._subject_title(), "handout") + ".pdf"
        path = ask_pdf_path(self, self.tr("Save the handout as PDF"), suggested)
        if path:
            self.save_to(path)

    def print_to(self, printer: Any) -> int:
        """Print the shown PDF on `printer`; the number of pages sent (0 when it failed)."""
        if self.pdf is None:
            return 0
        return print_pdf_on(self, self.pdf, printer, self._subject_title())

    def print_handout(self) -> None:
        if self.pdf is not None:
            ask_printer_and_print(self, self.pdf, self._subject_title(),
                                  self.tr("Print the handout"))

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        def preview_example() -> None:
            from nrp_desktop.services.examples import example_session

            session = example_session()
            self.wait_for(lambda: self.set_session(session))

        return [("handout-preview", preview_example)]

    def wait_for(self, start: Callable[[], None], timeout_ms: int = 30_000) -> None:
        """Start a build and wait (running the event loop) until its pages are shown."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        self.pdf_ready.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        start()
        loop.exec()
        self.pdf_ready.disconnect(loop.quit)
