"""The parts of Compare halls: the collated table's model, a proposal to merge look-alike
priorities, and each session's compass card."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
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
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop import i18n
from nrp_desktop.domain.collation import (
    CollatedPriority,
    CollatedSession,
)
from nrp_desktop.domain.domains import DOMAINS, domain_by_slug, is_domain
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN
from nrp_desktop.i18n import N_
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR, draw_domain_mark, ink
from nrp_desktop.ui.widgets import text_label
from nrp_desktop.ui.widgets.accessible import as_chart
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

if TYPE_CHECKING:
    from nrp_desktop.services.collate import PriorityGroup


AnyIndex = QModelIndex | QPersistentModelIndex


SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 60


GRID_COLOUR = "#B5B5AC"


def votes_text(count: int) -> str:
    from nrp_desktop.i18n import ngettext

    return ngettext("{n} vote", "{n} votes", count)


class WrappedChoiceDelegate(QStyledItemDelegate):
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


class Column(IntEnum):
    RANK = 0
    PRIORITY = 1
    VOTES = 2
    HALLS = 3
    DOMAINS = 4
    ACTIONS = 5


# The states of an action as Compare halls names them (contract 5.1's values, in words).
STATE_WORDS = {"agreed": N_("not started yet"), "started": N_("started"), "done": N_("done"),
               "dropped": N_("dropped")}


def state_counts_text(counts: Mapping[str, int], separator: str = "\n") -> str:
    """"2 done", "1 started" … for the states that have any; "—" for none."""
    return separator.join(f"{count} {i18n.gettext(STATE_WORDS.get(state, state))}"
                          for state, count in counts.items() if count) or "—"


class CollationModel(QAbstractTableModel):
    """The collated priorities, most votes first: rank, title, total votes, the halls that raised
    each (with their votes) and the domains (mark and name)."""

    HEADERS = {
        Column.RANK: N_("#"),
        Column.PRIORITY: N_("Priority"),
        Column.VOTES: N_("Votes"),
        Column.HALLS: N_("Raised in (votes)"),
        Column.DOMAINS: N_("Domains"),
        Column.ACTIONS: N_("Actions"),
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
            where = (i18n.ngettext("from {n} hall", "from {n} halls", halls) if halls > 1
                     else self.tr("within one hall"))
            return f"{priority.title}\n" + self.tr("(brought together %s)") % where
        if column == Column.VOTES:
            return str(priority.votes)
        if column == Column.HALLS:
            return "\n".join(f"{hall.hall}: {hall.votes}" for hall in priority.by_hall)
        if column == Column.ACTIONS:
            return state_counts_text(priority.action_counts)
        names = [domain_by_slug(slug) for slug in priority.domains if is_domain(slug)]
        return "\n".join(f"{domain.mark} · {self.tr(domain.name)}" for domain in names) or "—"


class ProposalCard(QFrame):
    """Look-alike priorities from the sessions, with Merge and Keep apart."""

    decided = Signal(object, bool)  # the proposed group, and True to merge

    def __init__(self, group: PriorityGroup, parent: Any = None) -> None:
        super().__init__(parent)
        self.group = group
        self.setObjectName("banner")
        question = text_label(self.tr("Are these the same priority?"), "sectionLabel")
        lines = [f"“{member.priority.title}”  —  {member.hall}, {votes_text(member.priority.votes)}"
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

    def focus_target(self) -> QWidget:
        """Where the keyboard goes when this card is the next decision to make."""
        return self.merge_button


class CompactRadar(QWidget):
    """A small compass radar for comparing sessions side by side: the five axes with their
    letter marks, scores 1…7 out from the middle, each score written by its mark. A domain not
    rated has a dashed grey axis and says "not rated", never a zero.

    (The compass screen's radar puts its words beside the marks, which leaves a thumbnail at
    this size; here the words go above and below, so the diagram keeps most of the room.)"""

    def __init__(self, ratings: Mapping[str, int], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compactRadar")
        self.setAccessibleName(self.tr("Compass diagram"))
        as_chart(self)  # a chart to screen readers; its description lists the scores
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
        # A diagram, never mirrored (Urdu): its words sit by their marks, and "5 / 7" keeps
        # its order (in a right-to-left line the numbers would swap round the slash).
        painter.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
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
        for level in range(RATING_MIN, RATING_MAX + 1):
            strong = level == RATING_MAX
            painter.setPen(QPen(QColor(ink("#6B6B64" if strong else GRID_COLOUR)), 2 if strong else 1))
            painter.drawPolygon(QPolygonF([point(i, level / RATING_MAX) for i in range(count)]))
        scores = list(self._values.values())
        for index, domain in enumerate(DOMAINS):
            rated = scores[index] is not None
            pen = QPen(QColor(ink(domain.line if rated else "#6B6B64")), 3 if rated else 2)
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
        fill = QColor(ink(ACCENT_COLOUR))
        fill.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(shape.simplified())
        painter.setPen(QPen(QColor(ink(ACCENT_COLOUR)), 3, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        for a, b in edges:
            painter.drawLine(a, b)
        for index, domain in enumerate(DOMAINS):
            score = scores[index]
            if score is not None:
                painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 1.5))
                painter.setBrush(QColor(ink(domain.colour)))
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
            painter.setPen(QColor(ink(TEXT_COLOUR if score is not None else "#3D3D3D")))
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
        caption = i18n.format_date(session.date)
        if session.participants is not None:
            caption += " · " + i18n.ngettext("{n} person", "{n} people", session.participants)
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
