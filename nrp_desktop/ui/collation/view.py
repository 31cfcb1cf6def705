"""The screen "Compare sessions from several halls": tick stored sessions, collate them, decide
which look-alike priorities are the same, read the totals, compare the compasses, save a PDF.

Loading and grouping run off the GUI thread. The table and the PDF are both made from the same
snapshot (`services.collation_pdf.collation_report`), so what is shown is what is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QListWidgetItem,
)

from nrp_desktop import i18n
from nrp_desktop.domain.collation import (
    CollationReport,
)
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.ui.collation.parts import (
    SESSION_ID_ROLE,
    CollationModel,
    Column,
    CompassCard,
    ProposalCard,
    state_counts_text,
)
from nrp_desktop.ui.collation.view_form import SOURCE_COUNCIL, CollationViewForm
from nrp_desktop.ui.failures import failure_line
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.widgets import heading_width, hide_in_large_text, tab_order
from nrp_desktop.ui.widgets.announce import announce
from nrp_desktop.ui.worker import run_in_background

if TYPE_CHECKING:
    from nrp_desktop.domain.collation_figures import CollationFigures, CollationFilter
    from nrp_desktop.domain.content import ContentLibrary
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.collate import Collation, PriorityGroup
    from nrp_desktop.services.sessions import SessionStore

SCREENSHOT_SECOND_SESSION_ID = "5d7e2c1a-3b4f-4e8a-9c6d-1f2a3b4c5d6e"
COUNCIL_ADDRESS_KEY = "collation/council_address"  # the address only: a password is never kept
COUNCIL_PRIORITIES_SHOWN = 200  # the best of a council's priorities in the table (the totals count all)
COMPASS_CARDS_SHOWN = 24


# --- the ranked priorities as a Qt item model -----------------------------------------------


# --- one proposal: "are these the same priority?" -------------------------------------------


# --- one session's compass --------------------------------------------------------------------


# --- the screen ---------------------------------------------------------------------------------


class CollationView(CollationViewForm, Screen):
    """Compare sessions from several halls."""

    collated = Signal()  # a new collation is shown
    pdf_saved = Signal(str)  # the path written

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("collation")
        self.store: SessionStore | None = None
        self.library: ContentLibrary | None = None
        self.collation: Collation | None = None
        self.report: CollationReport | None = None
        self.figures: CollationFigures | None = None  # the totals of what is shown
        self.from_council = False  # what is shown came from the council database
        self._generation = 0  # so a slow collation never replaces a newer one

        self._build_form()

    @staticmethod
    def _date_of(field: QDateEdit) -> dt.date | None:
        if field.date() == field.minimumDate():
            return None
        return dt.date(field.date().year(), field.date().month(), field.date().day())

    @staticmethod
    def set_date(field: QDateEdit, day: dt.date | None) -> None:
        field.setDate(field.minimumDate() if day is None else QDate(day.year, day.month, day.day))

    def council_filter(self) -> CollationFilter:
        from nrp_desktop.domain.collation_figures import CollationFilter

        neighbourhood = self.neighbourhood_filter.text().strip() or None
        return CollationFilter(neighbourhood, self._date_of(self.since_filter), self._date_of(self.until_filter))

    def _source_changed(self, _index: int) -> None:
        self.sources.setCurrentIndex(1 if self.source.currentData() == SOURCE_COUNCIL else 0)

    def collate_from_council(self) -> None:
        """The collation computed by the council database (SQL there, off the GUI thread here)."""
        address = self.council_address.text().strip()
        if not address:
            self.council_status.setText(self.tr("Type the council database's address first."))
            return
        where = self.council_filter()
        if where.since is not None and where.until is not None and where.since > where.until:
            self.council_status.setText(self.tr("The first date is after the last: nothing would count."))
            return
        password = self.council_password.text() or None
        self.council_password.clear()  # kept for this one request, never stored
        self._generation += 1
        generation = self._generation
        self.council_button.setEnabled(False)
        self.council_status.setText(self.tr("Asking the council database…"))

        def work() -> tuple[CollationFigures, CollationReport]:
            from nrp_desktop.services.council import collate_report

            return collate_report(where, url=address, password=password, top=COUNCIL_PRIORITIES_SHOWN)

        def done(result: tuple[CollationFigures, CollationReport]) -> None:
            self.council_button.setEnabled(True)
            if generation == self._generation:
                self.council_status.setText("")
                self.show_council_result(*result)

        def failed(error: Exception) -> None:
            from nrp_desktop.ui.widgets.council_messages import council_error_text

            self.council_button.setEnabled(True)
            if generation == self._generation:
                self.council_status.setText(council_error_text(error))

        run_in_background(work, done, failed, context=self)

    def show_council_result(self, figures: CollationFigures, report: CollationReport) -> None:
        self.collation = None
        self.from_council = True
        self.figures = figures
        self.report = report
        self._show_report(report, ())
        self.tabs.setCurrentIndex(0)
        self._fill_compasses()
        self._say_output("")
        self.collated.emit()

    def totals_text(self, figures: CollationFigures) -> str:
        """The figures in plain lines: what `collate --json` holds, in words."""
        from nrp_desktop.domain.session import ACTION_STATUSES

        names = {domain.slug: self.tr(domain.name) for domain in DOMAINS}
        lines = [self.tr("Sessions: %d") % figures.sessions,
                 self.tr("Participants: %s") % ("–" if figures.participants is None else figures.participants),
                 "", self.tr("Compass (mean of the sessions that rated the domain, 1 to 7):")]
        for slug, rating in figures.ratings.items():
            mean = "–" if rating.mean is None else f"{rating.mean:.2f}"
            rated = i18n.ngettext("{n} session", "{n} sessions", rating.n)
            lines.append(f"    {names.get(slug, slug)}: {mean} ({rated})")
        lines += ["", self.tr("Votes per domain:")]
        for slug, votes in figures.domain_votes.items():
            lines.append(f"    {names.get(slug, slug)}: {votes}")
        status_names = {"agreed": self.tr("agreed"), "started": self.tr("started"), "done": self.tr("done"),
                        "dropped": self.tr("dropped")}
        lines += ["", self.tr("Actions by status:")]
        for status in ACTION_STATUSES:
            lines.append(f"    {status_names.get(status, status)}: {figures.actions.get(status, 0)}")
        lines += ["", self.tr("Different priorities: %d") % len(figures.priorities)]
        return "\n".join(lines)

    # Integration -------------------------------------------------------------------------

    def attach_store(self, store: SessionStore) -> None:
        self.store = store
        self.refresh_sessions()

    def set_library(self, library: ContentLibrary) -> None:
        # Nothing here depends on the content; kept so the window can treat screens alike.
        self.library = library

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Room for the halls and the domains; the title takes the rest and wraps."""
        width = self.table.viewport().width()
        for column, minimum, share in ((Column.HALLS, 170, 0.22), (Column.DOMAINS, 160, 0.2),
                                       (Column.ACTIONS, 130, 0.15)):
            self.table.setColumnWidth(column, max(minimum, int(width * share),
                                                  heading_width(self.table, column)))
        self.table.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # "Large text for a projector" and back
            self._fit_columns()
            hide_in_large_text(self, self.page_title, self.page_subtitle)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_sessions()  # sessions may have been added, imported or renamed meanwhile

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        if changes.stored_sessions and self.isVisible():
            self.refresh_sessions()

    # Choosing sessions -----------------------------------------------------------------------

    def refresh_sessions(self) -> None:
        """List the stored sessions, newest first, keeping the ticks already made."""
        if self.store is None:
            return
        ticked = set(self.checked_session_ids())
        try:
            summaries = self.store.list_sessions()
        except Exception as error:  # a damaged database: say so, stay usable
            self.choice_status.setText(self.tr("The stored sessions could not be read: %s")
                                       % failure_line(error, "listing the stored sessions"))
            return
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for summary in summaries:
            count = summary.priorities
            details = i18n.format_date(summary.date) + " · " + (
                i18n.ngettext("{n} priority", "{n} priorities", count))
            item = QListWidgetItem(f"{summary.title}\n{details}")
            item.setData(SESSION_ID_ROLE, summary.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if summary.id in ticked
                               else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{summary.title}, {details}")
            self.session_list.addItem(item)
        self.session_list.blockSignals(False)
        if not summaries:
            self.choice_status.setText(self.tr("No sessions are stored yet. Record or import "
                                               "some first."))
        else:
            self._choice_changed()

    def _toggle_item(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _choice_changed(self, *_args: object) -> None:
        count = len(self.checked_session_ids())
        self.collate_button.setEnabled(count >= 1)
        if count == 0:
            self.choice_status.setText(self.tr("Tick the sessions to compare."))
        elif count == 1:
            self.choice_status.setText(self.tr("1 session ticked: tick another to compare."))
        else:
            self.choice_status.setText(i18n.ngettext("{n} session ticked.", "{n} sessions ticked.", count))

    def checked_session_ids(self) -> list[str]:
        """The ticked sessions, in the list's order (newest first)."""
        ids = []
        for row in range(self.session_list.count()):
            item = self.session_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(item.data(SESSION_ID_ROLE))
        return ids

    def set_checked(self, session_ids: Sequence[str]) -> None:
        """Tick exactly these sessions."""
        wanted = set(session_ids)
        for row in range(self.session_list.count()):
            item = self.session_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(SESSION_ID_ROLE) in wanted
                               else Qt.CheckState.Unchecked)

    # Collating ---------------------------------------------------------------------------------

    def collate_checked(self) -> None:
        """Load the ticked sessions and group their priorities, off the GUI thread."""
        store = self.store
        ids = self.checked_session_ids()
        if store is None or not ids:
            return
        # Oldest first, so halls and compasses read in the order the sessions were held.
        ids.reverse()
        self._generation += 1
        generation = self._generation
        # The button is disabled while the work runs: the keyboard waits on the list beside it
        # rather than falling out to the navigation.
        self._focus_result = self.collate_button.hasFocus() or self.session_list.hasFocus()
        if self.collate_button.hasFocus():
            self.session_list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.collate_button.setEnabled(False)
        self.choice_status.setText(self.tr("Collating…"))

        def work() -> tuple[Collation, CollationFigures]:
            from nrp_desktop.domain.collation_figures import figures_from_sessions
            from nrp_desktop.services.collate import collate

            sessions = [store.load_session(session_id) for session_id in ids]
            return collate(sessions), figures_from_sessions(sessions)

        def done(result: tuple[Collation, CollationFigures]) -> None:
            if generation == self._generation:
                self.show_collation(*result)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._choice_changed()
                self.choice_status.setText(self.tr("The sessions could not be collated: %s")
                                           % failure_line(error, "collating the sessions"))
                announce(self.choice_status, self.choice_status.text(), assertive=True)

        run_in_background(work, done, failed, context=self)

    def show_collation(self, collation: Collation, figures: CollationFigures | None = None) -> None:
        from nrp_desktop.domain.collation_figures import figures_from_sessions

        self.collation = collation
        self.from_council = False
        self.figures = figures if figures is not None else figures_from_sessions(collation.sessions)
        self._choice_changed()
        self._show_result()
        if collation.proposals:
            self.tabs.setCurrentIndex(0)  # the look-alikes come first: they change the totals
        self._fill_compasses()
        self._say_output("")
        undecided = len(collation.proposals)
        message = (self.tr("Collated %1 sessions: %2 priorities.") if not undecided else
                   self.tr("Collated %1 sessions: %2 priorities, %3 look-alikes to decide first."))
        announce(self.table, message.replace("%1", str(len(collation.sessions)))
                 .replace("%2", str(self.model.rowCount())).replace("%3", str(undecided)))
        if getattr(self, "_focus_result", False):
            # The keyboard goes on to the result: the first decision to make, else the table.
            self._focus_result = False
            first = self.proposal_cards[0].focus_target() if self.proposal_cards else None
            (first or self.table).setFocus(Qt.FocusReason.OtherFocusReason)
            if self.table.hasFocus() and not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
        self.collated.emit()

    def decide(self, group: PriorityGroup, merge: bool) -> None:
        """The facilitator's answer to a proposal; the totals follow at once."""
        from nrp_desktop.services.collate import confirm

        if self.collation is None:
            return
        focused = QApplication.focusWidget()
        had_focus = focused is not None and any(card.isAncestorOf(focused) for card in self.proposal_cards)
        confirm(self.collation, group, merge)
        self._show_result()
        remaining = len(self.collation.proposals)
        announce(self.table, (self.tr("Merged.") if merge else self.tr("Kept apart.")) + " " + (
            i18n.ngettext("{n} look-alike left to decide.", "{n} look-alikes left to decide.", remaining)
            if remaining
            else self.tr("All decided; the totals are up to date.")))
        if had_focus:  # the card that had the keyboard is gone: on to the next one, or the table
            (self.proposal_cards[0].focus_target() if self.proposal_cards else self.table).setFocus(
                Qt.FocusReason.OtherFocusReason)

    def _show_result(self) -> None:
        from nrp_desktop.services.collation_pdf import collation_report

        collation = self.collation
        if collation is None:
            if self.from_council and self.report is not None:
                self._show_report(self.report, ())
                return
            self.report = None
            self.model.set_priorities([])
            self.body.setCurrentWidget(self.placeholder)
            return
        self.report = collation_report(collation)
        self._show_report(self.report, collation.proposals)

    def _show_report(self, report: CollationReport, proposals: Sequence[PriorityGroup]) -> None:
        self.model.set_priorities(report.priorities)
        self._show_action_states()
        self._fit_columns()
        self._fill_proposals(proposals)
        sessions = self.figures.sessions if self.figures is not None else len(report.sessions)
        if self.from_council:
            self.summary.setText(i18n.ngettext("Council database: {n} session", "Council database: {n} sessions",
                                               sessions))
        else:
            self.summary.setText(i18n.ngettext("Priorities across {n} session",
                                               "Priorities across {n} sessions", sessions))
        self.totals.setText(self.totals_text(self.figures) if self.figures is not None else "")
        undecided = len(proposals)
        self.tabs.setTabText(0, self.tr("Priorities") if not undecided
                             else i18n.ngettext("Priorities ({n} to decide)", "Priorities ({n} to decide)",
                                                undecided))
        self.body.setCurrentWidget(self.results_page)

    def _show_action_states(self) -> None:
        report = self.report
        by_hall = report.action_counts_by_hall if report is not None else {}
        lines = [f"{hall}: {state_counts_text(counts, ', ')}" for hall, counts in by_hall.items()
                 if any(counts.values())]
        self.action_summary.setText(self.tr("Actions by state") + " — " + "; ".join(lines) if lines
                                    else self.tr("No session wrote down an action yet."))

    def _fill_proposals(self, proposals: Sequence[PriorityGroup]) -> None:
        for card in self.proposal_cards:
            self.proposals_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.proposal_cards = []
        for group in proposals:
            card = ProposalCard(group)
            card.decided.connect(self.decide)
            self.proposals_layout.addWidget(card)
            self.proposal_cards.append(card)
        self.proposals_scroll.setVisible(bool(self.proposal_cards))
        # Made after the table: Tab reaches them where they are seen, between the tabs and it.
        tab_order(self.tabs.tabBar(), *[button for card in self.proposal_cards
                                         for button in (card.merge_button, card.keep_button)], self.table)
        if self.proposal_cards:
            # Tall enough for two proposals at once; more scroll.
            shown = self.proposal_cards[:2]
            height = sum(card.sizeHint().height() for card in shown) + 8 * (len(shown) - 1)
            self.proposals_scroll.setFixedHeight(height + 4)

    def _fill_compasses(self) -> None:
        for card in self.compass_cards:
            card.hide()
            card.deleteLater()
        self.compass_cards = []
        while self.compass_row.count():  # the old cards and the stretch after them
            self.compass_row.takeAt(0)
        if self.report is None:
            return
        # A council's hundreds of sessions would be a strip nobody reads: the latest few, and
        # the means on the Totals tab.
        sessions = self.report.sessions[-COMPASS_CARDS_SHOWN:]
        for session in sessions:
            card = CompassCard(session)
            self.compass_row.addWidget(card)
            self.compass_cards.append(card)
        self.compass_row.addStretch(1)

    # Saving and printing -----------------------------------------------------------------------

    def _build_pdf(self, then: Callable[[bytes], object]) -> bool:
        """Build the PDF of what is shown, off the GUI thread, then call `then` with it."""
        report = self.report
        if report is None:
            return False
        paper = self.paper.currentData()
        # Disabling the button pressed moves the keyboard on: it comes back when the PDF is done.
        self._output_focus = next((button for button in (self.save_button, self.print_button)
                                   if button.hasFocus()), None)
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self._say_output(self.tr("Preparing the PDF…"))

        def build() -> bytes:
            from nrp_desktop.reports.collation import build_collation_pdf

            return build_collation_pdf(report, paper)

        def done(pdf: bytes) -> None:
            self._output_finished()
            then(pdf)

        def failed(error: Exception) -> None:
            self._output_finished()
            self._say_output(self.tr("The PDF could not be made: %s")
                             % failure_line(error, "making the collation PDF"))

        run_in_background(build, done, failed, context=self)
        return True

    def _say_output(self, text: str) -> None:
        self.output_status.setText(text)
        self.output_status.setVisible(bool(text))

    def _output_finished(self) -> None:
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self._say_output("")
        button, self._output_focus = getattr(self, "_output_focus", None), None
        focused = QApplication.focusWidget()
        if button is not None and button.isVisible() and (focused is None or self.isAncestorOf(focused)):
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def suggested_file_name(self) -> str:
        from nrp_desktop.ui.widgets.pdf_output import safe_file_name

        sessions = len(self.report.sessions) if self.report else 0
        return safe_file_name(f"Priorities across {sessions} sessions", "collation") + ".pdf"

    def save_to(self, path: str) -> bool:
        """Make the PDF and write it to `path` atomically; `pdf_saved` tells when it is done.
        False when there is nothing collated to save."""
        from nrp_desktop.ui.widgets.pdf_output import write_pdf

        def write(pdf: bytes) -> None:
            if write_pdf(self, path, pdf, self.tr("The collation was not saved: %s")):
                self._say_output(self.tr("Saved as %s") % path)
                self.pdf_saved.emit(path)

        return self._build_pdf(write)

    def save_as(self) -> None:
        from nrp_desktop.ui.widgets.pdf_output import ask_pdf_path

        if self.report is None:
            return
        path = ask_pdf_path(self, self.tr("Save the collation as PDF"),
                            self.suggested_file_name())
        if path:
            self.save_to(path)

    def print_collation(self) -> None:
        from nrp_desktop.ui.widgets import pdf_output

        title = self.summary.text()
        self._build_pdf(lambda pdf: pdf_output.ask_printer_and_print(
            self, pdf, title, self.tr("Print the collation")))

    def restore_state(self, settings: Any) -> None:
        self.council_address.setText(str(settings.value(COUNCIL_ADDRESS_KEY, "") or ""))

    def save_state(self, settings: Any) -> None:
        # An address with a password in it is refused before anything is sent; never keep one.
        from urllib.parse import urlsplit

        address = self.council_address.text().strip()
        try:
            has_password = urlsplit(address).password is not None
        except ValueError:
            has_password = True  # not an address at all: nothing worth keeping
        settings.setValue(COUNCIL_ADDRESS_KEY, "" if has_password else address)

    # Screenshots ---------------------------------------------------------------------------------

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        def collated() -> None:
            if self.store is None:
                return
            from nrp_desktop.services.collate import collate

            first = _example_session()
            second = screenshot_second_session()
            for session in (first, second):
                self.store.save_session(session)
            self.refresh_sessions()
            self.set_checked([first.id, second.id])
            self.show_collation(collate([first, second]))
            window = self.window()
            show = getattr(window, "show_screen", None)
            if callable(show):
                show(self)

        return [("collation", collated)]


def _example_session() -> Session:
    """The contract's example session, read from its file."""
    from nrp_desktop.services.examples import example_session

    return example_session()


def screenshot_second_session() -> Session:
    """A second hall's evening whose priorities overlap the example's, some in other words."""
    return Session(
        id=SCREENSHOT_SECOND_SESSION_ID,
        title="Library drop-in: what should change on the estate?",
        date=dt.date(2026, 12, 2),
        venue="Library community room",
        neighbourhood="Our estate",
        facilitator="Community link worker",
        participants=12,
        ratings={"social-connectedness": 2, "economic-resources": 3,
                 "environmental-conditions": 4, "governance-systems": 2},
        priorities=[
            Priority("Fly-tipping in the back alley", votes=9,
                     domains=["environmental-conditions"],
                     actions=[Action("Map the worst spots and send photos to the council",
                                     "Youth club", "End of January")]),
            Priority("Lonely older neighbours since the buses stopped", votes=7,
                     domains=["social-connectedness"],
                     actions=[Action("Start a weekly tea morning at the library",
                                     "Library staff", "From January")]),
            Priority("Nobody knows where to get help with debt", votes=5,
                     domains=["economic-resources"]),
            Priority("Street lights broken on Mill Lane", votes=3,
                     domains=["environmental-conditions", "governance-systems"]),
        ],
    )


__all__ = ["CollationModel", "CollationView", "Column", "screenshot_second_session"]
