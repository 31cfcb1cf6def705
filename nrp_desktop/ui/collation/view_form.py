"""The collation screen's layout (its form): the widgets and where they go. The behaviour is
in `view.py` (`CollationView`, which builds this form first).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QDate,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.ui.collation.parts import (
    CollationModel,
    Column,
    CompassCard,
    ProposalCard,
    WrappedChoiceDelegate,
)
from nrp_desktop.ui.widgets import arranged, page_layout, text_label

SOURCE_LAPTOP, SOURCE_COUNCIL = "laptop", "council"


class CollationViewForm:
    """Builds the collation screen's widgets; mixed into CollationView."""

    def _build_form(self) -> None:
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
        # Its own context: Qt print dialog's "Collate" (the order of copies) is another word.
        self.collate_button = QPushButton(self.tr("Collate", "Compare halls: add up the ticked sessions"))
        self.collate_button.setObjectName("primary")
        self.collate_button.setAccessibleName(self.tr("Collate the ticked sessions"))
        self.collate_button.setEnabled(False)
        # The shared style gives a primary button no disabled look; it must not seem pressable.
        from nrp_desktop.ui.theme import set_themed_style

        set_themed_style(
            self.collate_button, "QPushButton#primary:disabled { background: #EDEDE6; color: #3D3D3D; "
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
        left = arranged([source_label, self.source, (self.sources, 1)], margins=(0, 0, 8, 0))

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
        # Every hall's actions by state (contract 5.1): what was agreed, and what became of it.
        self.action_summary = text_label("", "hint")
        self.action_summary.setObjectName("actionStates")
        self.action_summary.setTextFormat(Qt.TextFormat.PlainText)  # hall names come from files
        table_box = arranged([self.proposals_scroll, (self.table, 1), self.action_summary])

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
        compass_box = arranged([compass_title, legend, (self.compass_scroll, 1)],
                               margins=(0, 4, 0, 0), spacing=4)

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
        totals_scroll.setAccessibleName(self.tr("Totals of the sessions collated"))  # a stop: it scrolls
        totals_scroll.setWidgetResizable(True)
        totals_scroll.setFrameShape(QFrame.Shape.NoFrame)
        totals_scroll.setWidget(self.totals)
        self.tabs.addTab(totals_scroll, self.tr("Totals"))
        results = arranged([bar, self.output_status, (self.tabs, 1)], margins=(8, 0, 0, 0))

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

        layout = page_layout(cast(QWidget, self), title, subtitle)
        self.page_title, self.page_subtitle = title, subtitle
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
        self.council_button.setAccessibleName(self.tr("Collate these sessions"))  # the label, then why
        self.council_button.setAccessibleDescription(self.tr("Collate from the council database"))
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

