"""The screen "Compare sessions from several halls": tick stored sessions, collate them, decide
which look-alike priorities are the same, read the totals, compare the compasses, save a PDF.

Loading and grouping run off the GUI thread. The table and the PDF are both made from the same
snapshot (`services.collation_pdf.collation_report`), so what is shown is what is printed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.collation import (
    CollatedPriority,
    CollatedSession,
    CollationReport,
    day_month_year,
)
from nrp_desktop.domain.domains import DOMAINS, domain_by_slug, is_domain
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN, Action, Priority, Session
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR, draw_domain_mark
from nrp_desktop.ui.widgets import heading_width, page_layout, text_label
from nrp_desktop.ui.widgets.plain_text import plain_tooltip
from nrp_desktop.ui.worker import run_in_background

if TYPE_CHECKING:
    from nrp_desktop.domain.content import ContentLibrary
    from nrp_desktop.services.changes import SessionChanges
    from nrp_desktop.services.collate import Collation, PriorityGroup
    from nrp_desktop.services.sessions import SessionStore

AnyIndex = QModelIndex | QPersistentModelIndex
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 60
GRID_COLOUR = "#B5B5AC"
SCREENSHOT_SECOND_SESSION_ID = "5d7e2c1a-3b4f-4e8a-9c6d-1f2a3b4c5d6e"


def _votes(count: int) -> str:
    return f"{count} vote" + ("" if count == 1 else "s")


class _WrappedChoiceDelegate(QStyledItemDelegate):
    """Sizes a checkable list item for its wrapped text. Qt's own measure leaves out the tick
    box, so a long title would lose its last words to "…"."""

    ROOM_BESIDE_TEXT = 64  # the tick box, the item's padding (app.qss: 8 px) and a margin

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QListWidget) else option.rect.width()
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bounds = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, max(80, width - self.ROOM_BESIDE_TEXT), 100_000),
            int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, bounds.height() + 24)


# --- the ranked priorities as a Qt item model -----------------------------------------------


class Column(IntEnum):
    RANK = 0
    PRIORITY = 1
    VOTES = 2
    HALLS = 3
    DOMAINS = 4


class CollationModel(QAbstractTableModel):
    """The collated priorities, most votes first: rank, title, total votes, the halls that raised
    each (with their votes) and the domains (mark and name)."""

    HEADERS = {
        Column.RANK: "#",
        Column.PRIORITY: "Priority",
        Column.VOTES: "Votes",
        Column.HALLS: "Raised in (votes)",
        Column.DOMAINS: "Domains",
    }
    MERGED_ROLE = Qt.ItemDataRole.UserRole + 61
    VOTES_ROLE = Qt.ItemDataRole.UserRole + 62

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._priorities: list[CollatedPriority] = []

    def set_priorities(self, priorities: Sequence[CollatedPriority]) -> None:
        self.beginResetModel()
        self._priorities = list(priorities)
        self.endResetModel()

    def priority(self, row: int) -> CollatedPriority:
        return self._priorities[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._priorities)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[Column(section)])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._priorities):
            return None
        priority = self._priorities[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(priority, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.PRIORITY and priority.merged:
            wordings = "\n".join(f"• {hall.hall}: “{title}”" for hall in priority.by_hall
                                 for title in hall.titles)
            return plain_tooltip(self.tr("Brought together from:") + "\n" + wordings)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.RANK, Column.VOTES):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(priority, column).replace("\n", "; ")
        if role == self.MERGED_ROLE:
            return priority.merged
        if role == self.VOTES_ROLE:
            return priority.votes
        return None

    def _display(self, priority: CollatedPriority, column: Column) -> str:
        if column == Column.RANK:
            return str(priority.rank)
        if column == Column.PRIORITY:
            if not priority.merged:
                return priority.title
            halls = len(priority.by_hall)
            where = (self.tr("from %d halls") % halls) if halls > 1 else self.tr("within one hall")
            return f"{priority.title}\n" + self.tr("(brought together %s)") % where
        if column == Column.VOTES:
            return str(priority.votes)
        if column == Column.HALLS:
            return "\n".join(f"{hall.hall}: {hall.votes}" for hall in priority.by_hall)
        names = [domain_by_slug(slug) for slug in priority.domains if is_domain(slug)]
        return "\n".join(f"{domain.mark} · {self.tr(domain.name)}" for domain in names) or "—"


# --- one proposal: "are these the same priority?" -------------------------------------------


class ProposalCard(QFrame):
    """Look-alike priorities from the sessions, with Merge and Keep apart."""

    decided = Signal(object, bool)  # the proposed group, and True to merge

    def __init__(self, group: PriorityGroup, parent: Any = None) -> None:
        super().__init__(parent)
        self.group = group
        self.setObjectName("banner")
        question = text_label(self.tr("Are these the same priority?"), "sectionLabel")
        lines = [f"“{member.priority.title}”  —  {member.hall}, {_votes(member.priority.votes)}"
                 for member in group.members]
        members = text_label("\n".join(lines))
        summary = " / ".join(f"“{member.priority.title}”" for member in group.members)
        self.merge_button = QPushButton(self.tr("Merge"))
        self.merge_button.setAccessibleName(self.tr("Merge: count %s as one priority") % summary)
        self.merge_button.setToolTip(self.tr("Count them as one priority and add up the votes"))
        self.keep_button = QPushButton(self.tr("Keep apart"))
        self.keep_button.setAccessibleName(self.tr("Keep apart: %s") % summary)
        self.keep_button.setToolTip(self.tr("They are different priorities: count them apart"))
        self.merge_button.clicked.connect(lambda: self.decided.emit(self.group, True))
        self.keep_button.clicked.connect(lambda: self.decided.emit(self.group, False))

        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(question)
        text.addWidget(members)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.keep_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.setSpacing(16)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)


# --- one session's compass --------------------------------------------------------------------


class CompactRadar(QWidget):
    """A small compass radar for comparing sessions side by side: the five axes with their
    letter marks, scores 1…7 out from the middle, each score written by its mark. A domain not
    rated has a dashed grey axis and says "not rated", never a zero.

    (The compass screen's radar puts its words beside the marks, which leaves a thumbnail at
    this size; here the words go above and below, so the diagram keeps most of the room.)"""

    def __init__(self, ratings: Mapping[str, int], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compactRadar")
        self._values = {domain.slug: ratings.get(domain.slug) for domain in DOMAINS}
        parts = [f"{self.tr(domain.name)}: " + (self.tr("not rated") if value is None
                                                 else f"{value} / {RATING_MAX}")
                 for domain, value in zip(DOMAINS, self._values.values(), strict=True)]
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip(plain_tooltip("\n".join(parts)))
        self.setMinimumSize(250, 230)

    def values(self) -> dict[str, int | None]:
        return dict(self._values)

    def sizeHint(self) -> QSize:
        return QSize(280, 250)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        mark_font = QFont(self.font())
        mark_font.setBold(True)
        label_font = QFont(self.font())
        metrics = QFontMetricsF(label_font)
        line = metrics.height()
        mark_radius = QFontMetricsF(mark_font).height() * 0.75
        label_half_width = metrics.horizontalAdvance(self.tr("not rated")) / 2 + 2
        count = len(DOMAINS)

        def angle(index: int) -> float:
            return math.radians(-90 + index * 360 / count)

        # The largest radius at which the marks and their words stay inside the widget: words
        # above the top three marks, below the lower two.
        gap = 6.0
        width, height = float(self.width()), float(self.height())
        side = max(mark_radius, label_half_width)
        lower = math.sin(angle(2))  # the two lower axes, as a share of the radius
        radius_for_width = (width / 2 - side - 4) / max(math.cos(angle(1)), 1e-6) - gap - mark_radius
        above = 2 * mark_radius + line + gap + 4  # from the top axis's end to the widget's top
        below = 2 * mark_radius + line + gap + 4
        radius_for_height = (height - above - below) / (1 + lower)
        radius = max(24.0, min(radius_for_width, radius_for_height))
        top_extent = radius + above
        bottom_extent = radius * lower + below
        spare = max(0.0, height - top_extent - bottom_extent)
        centre = QPointF(width / 2, top_extent + spare / 2)

        def point(index: int, fraction: float) -> QPointF:
            return QPointF(centre.x() + math.cos(angle(index)) * radius * fraction,
                           centre.y() + math.sin(angle(index)) * radius * fraction)

        painter.setBrush(Qt.BrushStyle.NoBrush)
        for score in range(RATING_MIN, RATING_MAX + 1):
            strong = score == RATING_MAX
            painter.setPen(QPen(QColor("#6B6B64" if strong else GRID_COLOUR), 2 if strong else 1))
            painter.drawPolygon(QPolygonF([point(i, score / RATING_MAX) for i in range(count)]))
        scores = list(self._values.values())
        for index, domain in enumerate(DOMAINS):
            rated = scores[index] is not None
            pen = QPen(QColor(domain.colour) if rated else QColor("#6B6B64"), 3 if rated else 2)
            if not rated:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(centre, point(index, 1.0))

        # The shape: a wedge between each pair of neighbouring rated axes, so an unrated axis
        # leaves a gap instead of pretending to a value.
        shape = QPainterPath()
        edges: list[tuple[QPointF, QPointF]] = []
        for index in range(count):
            following = (index + 1) % count
            first, second = scores[index], scores[following]
            if first is None or second is None:
                continue
            a, b = point(index, first / RATING_MAX), point(following, second / RATING_MAX)
            shape.addPolygon(QPolygonF([centre, a, b, centre]))
            edges.append((a, b))
        fill = QColor(ACCENT_COLOUR)
        fill.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(shape.simplified())
        painter.setPen(QPen(QColor(ACCENT_COLOUR), 3, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for a, b in edges:
            painter.drawLine(a, b)
        for index, domain in enumerate(DOMAINS):
            score = scores[index]
            if score is not None:
                painter.setPen(QPen(QColor(TEXT_COLOUR), 1.5))
                painter.setBrush(QColor(domain.colour))
                painter.drawEllipse(point(index, score / RATING_MAX), 5, 5)

        for index, domain in enumerate(DOMAINS):
            score = scores[index]
            reach = radius + gap + mark_radius
            mark = QPointF(centre.x() + math.cos(angle(index)) * reach,
                           centre.y() + math.sin(angle(index)) * reach)
            draw_domain_mark(painter, domain.slug, mark, mark_radius, mark_font, 3)
            text = self.tr("not rated") if score is None else f"{score} / {RATING_MAX}"
            is_lower = math.sin(angle(index)) > 0.5
            top = mark.y() + mark_radius + 2 if is_lower else mark.y() - mark_radius - line - 2
            box = QRectF(mark.x() - label_half_width - 20, top, 2 * label_half_width + 40, line)
            painter.setFont(mark_font if score is not None else label_font)
            painter.setPen(QColor(TEXT_COLOUR if score is not None else "#3D3D3D"))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()


class CompassCard(QFrame):
    """A session's radar, labelled with its hall and date; unrated domains show "not rated"."""

    def __init__(self, session: CollatedSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compassRow")  # the white card of the compass screen
        self.session = session
        hall = text_label(session.hall, "sectionLabel")
        hall.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        caption = day_month_year(session.date)
        if session.participants is not None:
            caption += " · " + (self.tr("1 person") if session.participants == 1
                                else self.tr("%d people") % session.participants)
        date = text_label(caption, "hint")
        date.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.radar = CompactRadar(session.ratings)
        self.radar.setAccessibleName(self.tr("Compass of %s") % session.hall)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(2)
        layout.addWidget(hall)
        layout.addWidget(date)
        layout.addWidget(self.radar, 1)
        if not session.ratings:
            layout.addWidget(text_label(self.tr("No domain was rated"), "hint"))
        self.setFixedWidth(340)


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
        self.session_list.setItemDelegate(_WrappedChoiceDelegate(self.session_list))
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
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(sessions_title)
        left_layout.addWidget(self.session_list, 1)
        left_layout.addWidget(self.choice_status)
        left_layout.addWidget(self.collate_button)

        # Right: the result.
        self.summary = text_label("", "panelTitle")
        self.paper = QComboBox()
        self.paper.addItem(self.tr("A4"), "a4")
        self.paper.addItem(self.tr("US Letter"), "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        paper_label = QLabel(self.tr("Paper:"))
        paper_label.setBuddy(self.paper)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setAccessibleName(self.tr("Save the collation as PDF"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setAccessibleName(self.tr("Print the collation"))
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_collation)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.summary, 1)
        bar.addWidget(paper_label)
        bar.addWidget(self.paper)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
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
            self.choice_status.setText(self.tr("The stored sessions could not be read: %s") % error)
            return
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for summary in summaries:
            count = summary.priorities
            details = day_month_year(summary.date) + " · " + (
                self.tr("1 priority") if count == 1 else self.tr("%d priorities") % count)
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
            self.choice_status.setText(self.tr("%d sessions ticked.") % count)

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
        self.collate_button.setEnabled(False)
        self.choice_status.setText(self.tr("Collating…"))

        def work() -> Collation:
            from nrp_desktop.services.collate import collate

            return collate([store.load_session(session_id) for session_id in ids])

        def done(collation: Collation) -> None:
            if generation == self._generation:
                self.show_collation(collation)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._choice_changed()
                self.choice_status.setText(self.tr("The sessions could not be collated: %s")
                                           % error)

        run_in_background(work, done, failed, context=self)

    def show_collation(self, collation: Collation) -> None:
        self.collation = collation
        self._choice_changed()
        self._show_result()
        if collation.proposals:
            self.tabs.setCurrentIndex(0)  # the look-alikes come first: they change the totals
        self._fill_compasses()
        self._say_output("")
        self.collated.emit()

    def decide(self, group: PriorityGroup, merge: bool) -> None:
        """The facilitator's answer to a proposal; the totals follow at once."""
        from nrp_desktop.services.collate import confirm

        if self.collation is None:
            return
        confirm(self.collation, group, merge)
        self._show_result()

    def _show_result(self) -> None:
        from nrp_desktop.services.collation_pdf import collation_report

        collation = self.collation
        if collation is None:
            self.report = None
            self.model.set_priorities([])
            self.body.setCurrentWidget(self.placeholder)
            return
        self.report = collation_report(collation)
        self.model.set_priorities(self.report.priorities)
        self._fit_columns()
        self._fill_proposals(collation.proposals)
        sessions = len(collation.sessions)
        self.summary.setText(self.tr("Priorities across 1 session") if sessions == 1
                             else self.tr("Priorities across %d sessions") % sessions)
        undecided = len(collation.proposals)
        self.tabs.setTabText(0, self.tr("Priorities") if not undecided
                             else self.tr("Priorities (%d to decide)") % undecided)
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
        for session in self.report.sessions:
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
            self._say_output(self.tr("The PDF could not be made: %s") % error)

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

        sessions = len(self.collation.sessions) if self.collation else 0
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
