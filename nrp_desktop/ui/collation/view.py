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
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
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
    WrappedChoiceDelegate,
)
from nrp_desktop.ui.failures import failure_line
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.widgets import heading_width, page_layout, text_label
from nrp_desktop.ui.widgets.announce import announce
from nrp_desktop.ui.worker import run_in_background

if TYPE_CHECKING:
    from nrp_desktop.domain.collation_figures import CollationFigures, CollationFilter
    from nrp_desktop.domain.content import ContentLibrary
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.collate import Collation, PriorityGroup
    from nrp_desktop.services.sessions import SessionStore

SCREENSHOT_SECOND_SESSION_ID = "5d7e2c1a-3b4f-4e8a-9c6d-1f2a3b4c5d6e"
SOURCE_LAPTOP, SOURCE_COUNCIL = "laptop", "council"
COUNCIL_ADDRESS_KEY = "collation/council_address"  # the address only: a password is never kept
COUNCIL_PRIORITIES_SHOWN = 200  # the best of a council's priorities in the table (the totals count all)
COMPASS_CARDS_SHOWN = 24


# --- the ranked priorities as a Qt item model -----------------------------------------------


# --- one proposal: "are these the same priority?" -------------------------------------------


# --- one session's compass --------------------------------------------------------------------


# --- the screen ---------------------------------------------------------------------------------


class CollationView(Screen):
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

        title = text_label(self.tr("Compare sessions from several halls"), "pageTitle")
        subtitle = text_label(self.tr(
            "Tick the sessions to bring together, then press Collate. The votes for the same "
            "priority are added up across the halls."),
            "pageSubtitle")

        # Left: the stored sessions to choose from.
        sessions_title = text_label(self.tr("Stored sessions"), "panelTitle")
        self.session_list = QListWidget()
        self.session_list.setObjectName("sessionChoices")
        self.session_list.setAccessibleName(self.tr("Stored sessions to collate"))
        self.session_list.setWordWrap(True)
        self.session_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.session_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.session_list.setItemDelegate(WrappedChoiceDelegate(self.session_list))
        self.session_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.session_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.session_list.itemChanged.connect(self._choice_changed)
        self.session_list.itemActivated.connect(self._toggle_item)
        self.collate_button = QPushButton(self.tr("Collate"))
        self.collate_button.setObjectName("primary")
        self.collate_button.setAccessibleName(self.tr("Collate the ticked sessions"))
        self.collate_button.setEnabled(False)
        # The shared style gives a primary button no disabled look; it must not seem pressable.
        self.collate_button.setStyleSheet(
            "QPushButton#primary:disabled { background: #EDEDE6; color: #3D3D3D; "
            "border-color: #B5B5AC; font-weight: normal; }")
        self.collate_button.clicked.connect(self.collate_checked)
        self.choice_status = text_label("", "hint")
        laptop_page = QWidget()
        laptop_layout = QVBoxLayout(laptop_page)
        laptop_layout.setContentsMargins(0, 0, 0, 0)
        laptop_layout.setSpacing(8)
        laptop_layout.addWidget(sessions_title)
        laptop_layout.addWidget(self.session_list, 1)
        laptop_layout.addWidget(self.choice_status)
        laptop_layout.addWidget(self.collate_button)

        self.source = QComboBox()
        self.source.setObjectName("collationSource")
        self.source.setAccessibleName(self.tr("Where the sessions come from"))
        self.source.addItem(self.tr("This laptop"), SOURCE_LAPTOP)
        self.source.addItem(self.tr("The council database"), SOURCE_COUNCIL)
        self.source.currentIndexChanged.connect(self._source_changed)
        source_label = text_label(self.tr("Sessions from:"), buddy=self.source)
        self.sources = QStackedWidget()
        self.sources.addWidget(laptop_page)
        self.sources.addWidget(self._build_council_form())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(source_label)
        left_layout.addWidget(self.source)
        left_layout.addWidget(self.sources, 1)

        # Right: the result.
        self.summary = text_label("", "panelTitle")
        self.paper = QComboBox()
        self.paper.addItem(self.tr("A4"), "a4")
        self.paper.addItem(self.tr("US Letter"), "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        paper_label = QLabel(self.tr("Paper:"))
        paper_label.setBuddy(self.paper)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setAccessibleName(self.tr("Save as PDF"))
        self.save_button.setAccessibleDescription(self.tr("Save the collation as PDF"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setAccessibleName(self.tr("Print the collation"))
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_collation)
        # The summary and the paper and buttons share a line where they fit (English); in a
        # longer language the buttons take a line of their own under the summary.
        from nrp_desktop import i18n

        one_line = i18n.current().code == "en"
        bar = QHBoxLayout() if one_line else QVBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        if not one_line:
            buttons.addStretch(1)
        buttons.addWidget(paper_label)
        buttons.addWidget(self.paper)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        bar.addLayout(buttons, 0)
        self.output_status = text_label("", "hint")
        self.output_status.hide()  # shown only while it has something to say

        self.proposals_box = QWidget()
        self.proposals_layout = QVBoxLayout(self.proposals_box)
        self.proposals_layout.setContentsMargins(0, 0, 0, 0)
        self.proposals_layout.setSpacing(8)
        self.proposal_cards: list[ProposalCard] = []
        self.proposals_scroll = QScrollArea()
        self.proposals_scroll.setAccessibleName(self.tr("Priorities that look alike"))
        self.proposals_scroll.setWidgetResizable(True)
        self.proposals_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.proposals_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.proposals_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.proposals_scroll.setWidget(self.proposals_box)

        self.model = CollationModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside
        self.table.setObjectName("priorityTable")
        self.table.setAccessibleName(self.tr("Priorities across the sessions, most votes first"))
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.PRIORITY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.RANK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.VOTES, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(8)
        table_layout.addWidget(self.proposals_scroll)
        table_layout.addWidget(self.table, 1)

        compass_title = text_label(self.tr("How each hall rated the five domains"), "sectionLabel")
        legend = text_label("   ".join(f"{d.mark} = {self.tr(d.name)}" for d in DOMAINS), "hint")
        legend.setAccessibleName(self.tr("Letters on the compasses: ") + "; ".join(
            f"{d.mark}: {self.tr(d.name)}" for d in DOMAINS))
        self.compass_row = QHBoxLayout()
        self.compass_row.setContentsMargins(0, 0, 0, 0)
        self.compass_row.setSpacing(12)
        compass_strip = QWidget()
        compass_strip.setLayout(self.compass_row)
        self.compass_cards: list[CompassCard] = []
        self.compass_scroll = QScrollArea()
        self.compass_scroll.setAccessibleName(self.tr("The compass of each session"))
        self.compass_scroll.setWidgetResizable(True)
        self.compass_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.compass_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.compass_scroll.setWidget(compass_strip)
        compass_box = QWidget()
        compass_layout = QVBoxLayout(compass_box)
        compass_layout.setContentsMargins(0, 4, 0, 0)
        compass_layout.setSpacing(4)
        compass_layout.addWidget(compass_title)
        compass_layout.addWidget(legend)
        compass_layout.addWidget(self.compass_scroll, 1)

        # Two tabs, one job each: the totals (and the look-alikes to decide first), and the
        # compasses side by side. On a 1280×800 screen both at once would leave each too small.
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Collation results"))
        self.tabs.addTab(table_box, self.tr("Priorities"))
        self.tabs.addTab(compass_box, self.tr("Compasses"))
        self.totals = text_label("", "totals")
        self.totals.setObjectName("collationTotals")
        self.totals.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setAccessibleName(self.tr("Totals of the sessions collated"))
        totals_scroll = QScrollArea()
        totals_scroll.setWidgetResizable(True)
        totals_scroll.setFrameShape(QFrame.Shape.NoFrame)
        totals_scroll.setWidget(self.totals)
        self.tabs.addTab(totals_scroll, self.tr("Totals"))
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(8, 0, 0, 0)
        results_layout.setSpacing(8)
        results_layout.addLayout(bar)
        results_layout.addWidget(self.output_status)
        results_layout.addWidget(self.tabs, 1)

        self.placeholder = text_label(self.tr(
            "Tick two or more sessions on the left, then press Collate. The sessions can come "
            "from one hall or from many."), "placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.placeholder)
        self.body.addWidget(results)
        self.results_page = results

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.body)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([280, 800])
        self.splitter = splitter

        layout = page_layout(self, title, subtitle)
        layout.addWidget(splitter, 1)
        self._show_result()

    # The council database as the source ---------------------------------------------------------

    def _build_council_form(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(text_label(self.tr(
            "The sessions every hall published, collated by the council's database. Leave a filter "
            "empty for all."), "hint"))
        self.council_address = QLineEdit()
        self.council_address.setAccessibleName(self.tr("Council database address"))
        self.council_address.setPlaceholderText("postgresql://nrp_reader@council.example/nrp")
        self.council_password = QLineEdit()
        self.council_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.council_password.setAccessibleName(self.tr("Council database password"))
        self.council_password.setPlaceholderText(self.tr("from NRP_DESKTOP_DB_PASSWORD or ~/.pgpass"))
        self.neighbourhood_filter = QLineEdit()
        self.neighbourhood_filter.setAccessibleName(self.tr("Only this neighbourhood"))
        self.neighbourhood_filter.setPlaceholderText(self.tr("every neighbourhood"))
        self.since_filter = self._date_field(self.tr("Held on or after"))
        self.until_filter = self._date_field(self.tr("Held on or before"))
        for label, field in ((self.tr("Database address:"), self.council_address),
                             (self.tr("Password:"), self.council_password),
                             (self.tr("Neighbourhood:"), self.neighbourhood_filter),
                             (self.tr("From:"), self.since_filter),
                             (self.tr("Until:"), self.until_filter)):
            layout.addWidget(text_label(label, buddy=field))
            layout.addWidget(field)
        self.council_button = QPushButton(self.tr("Collate these sessions"))
        self.council_button.setAccessibleName(self.tr("Collate from the council database"))
        self.council_button.setObjectName("primary")
        self.council_button.clicked.connect(self.collate_from_council)
        self.council_password.returnPressed.connect(self.collate_from_council)
        self.council_status = text_label("", "hint")
        self.council_status.setObjectName("councilStatus")
        layout.addWidget(self.council_button)
        layout.addWidget(self.council_status)
        layout.addStretch(1)
        return page

    def _date_field(self, name: str) -> QDateEdit:
        """A date, or "any date" (its lowest value) for no limit."""
        field = QDateEdit()
        field.setAccessibleName(name)
        field.setCalendarPopup(True)
        field.setDisplayFormat("d MMM yyyy")
        field.setDateRange(QDate(2000, 1, 1), QDate(2100, 12, 31))
        field.setSpecialValueText(self.tr("any date"))
        field.setDate(field.minimumDate())
        return field

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
        for column, minimum, share in ((Column.HALLS, 170, 0.27), (Column.DOMAINS, 160, 0.24)):
            self.table.setColumnWidth(column, max(minimum, int(width * share),
                                                  heading_width(self.table, column)))
        self.table.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # "Large text for a projector" and back
            self._fit_columns()

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
        had_focus = any(card.isAncestorOf(QApplication.focusWidget()) for card in self.proposal_cards
                        if QApplication.focusWidget() is not None)
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

    def _build_pdf(self, then: Callable[[bytes], None]) -> bool:
        """Build the PDF of what is shown, off the GUI thread, then call `then` with it."""
        report = self.report
        if report is None:
            return False
        paper = self.paper.currentData()
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
