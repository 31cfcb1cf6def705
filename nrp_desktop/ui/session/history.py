"""The history of a group (issue 14.5): the chain of sessions the open one belongs to, oldest
first. A table gives each session's date and title, how many actions it agreed and what became
of them (done, started, not started yet, dropped), and below it the compass over time: one small
line chart per domain, the sessions left to right, each score written by its point.

The chain is walked by `services.followup.history`, the rule `nrp-desktop history` uses too, so
a loop of follow-up links (files made elsewhere) is shown once, with one line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.collation import day_month_year
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.followup import ChainEntry
from nrp_desktop.domain.session import RATING_MAX, RATING_MIN
from nrp_desktop.ui.theme import TEXT_COLOUR, draw_domain_mark, ink
from nrp_desktop.ui.widgets import text_label
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

# The action columns: every action the session agreed, then what became of them.
ACTION_COLUMNS = (("", "Actions agreed"), ("done", "Done"), ("started", "Started"),
                  ("agreed", "Not started yet"), ("dropped", "Dropped"))
GRID_COLOUR = "#9A9A92"


def short_date(entry: ChainEntry) -> str:
    """"18 Nov 2026": fits under a point of the small charts."""
    day, month, year = day_month_year(entry.date).split()  # not strftime: it follows the locale
    return f"{day} {month[:3]} {year}"


class CompassOverTime(QWidget):
    """Five small line charts side by side, one per domain: each session of the chain a point
    (oldest on the left), its score 1…7 written above it; a session that did not rate the
    domain leaves a gap and an open ring under the axis, never a zero. Black lines and written
    numbers, so it reads in black and white; the domain's letter mark names each chart."""

    def __init__(self, entries: Sequence[ChainEntry], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("compassOverTime")
        self.setAccessibleName(self.tr("The compass over time"))
        self.entries = list(entries)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(560, 200)
        lines = []
        for domain in DOMAINS:
            scores = [str(e.ratings[domain.slug]) if domain.slug in e.ratings else self.tr("not rated")
                      for e in self.entries]
            lines.append(f"{self.tr(domain.name)}: " + ", ".join(scores))
        self.setAccessibleDescription(self.tr("Oldest first. ") + "; ".join(lines))
        self.setToolTip(plain_tooltip(self.tr("Oldest first") + "\n" + "\n".join(lines)))

    def sizeHint(self) -> QSize:
        return QSize(900, 240)

    def series(self, slug: str) -> list[int | None]:
        """The domain's score in each session of the chain, oldest first (None: not rated)."""
        return [entry.ratings.get(slug) for entry in self.entries]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(ink("#FFFFFF")))
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        line = QFontMetricsF(font).height()
        small_line = QFontMetricsF(small).height()
        gap = 12.0
        width = (self.width() - gap * (len(DOMAINS) + 1)) / len(DOMAINS)
        for index, domain in enumerate(DOMAINS):
            box = QRectF(gap + index * (width + gap), 4, width, self.height() - 8)
            self._paint_one(painter, domain.slug, self.tr(domain.name), box, font, bold, small, line,
                            small_line)
        painter.end()

    def _paint_one(self, painter: QPainter, slug: str, name: str, box: QRectF, font: QFont,
                   bold: QFont, small: QFont, line: float, small_line: float) -> None:
        mark_radius = line * 0.7
        draw_domain_mark(painter, slug, QPointF(box.left() + mark_radius + 2, box.top() + mark_radius + 2),
                         mark_radius, bold, 2.5)
        painter.setFont(bold)
        painter.setPen(QColor(ink(TEXT_COLOUR)))
        title = QRectF(box.left() + 2 * mark_radius + 8, box.top(), box.width() - 2 * mark_radius - 8,
                       max(2 * mark_radius + 4, 2 * QFontMetricsF(bold).height() + 2))
        painter.drawText(title, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                    | Qt.TextFlag.TextWordWrap), name)

        # The plot: 1 at the bottom, 7 at the top, a faint line at each whole score.
        scale_width = QFontMetricsF(small).horizontalAdvance("7") + 6  # the 1 and 7 at the left
        plot = QRectF(box.left() + scale_width, title.bottom() + line * 1.2, box.width() - scale_width - 4,
                      box.height() - title.height() - line * 1.2 - small_line * 2.6)
        span = RATING_MAX - RATING_MIN

        def y_of(score: float) -> float:
            return plot.bottom() - (score - RATING_MIN) / span * plot.height()

        painter.setPen(QPen(QColor(ink(GRID_COLOUR)), 1, Qt.PenStyle.DotLine))
        for score in range(RATING_MIN, RATING_MAX + 1):
            painter.drawLine(QPointF(plot.left(), y_of(score)), QPointF(plot.right(), y_of(score)))
        painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setFont(small)
        for score in (RATING_MIN, RATING_MAX):
            painter.drawText(QRectF(box.left(), y_of(score) - small_line / 2, scale_width - 4, small_line),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(score))

        count = len(self.entries)
        if count == 0:
            return

        def x_of(position: int) -> float:
            if count == 1:
                return plot.center().x()
            return plot.left() + 10 + position * (plot.width() - 20) / (count - 1)

        values = self.series(slug)
        # The line joins consecutive sessions that both rated the domain.
        painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        for position in range(count - 1):
            first, second = values[position], values[position + 1]
            if first is not None and second is not None:
                painter.drawLine(QPointF(x_of(position), y_of(first)),
                                 QPointF(x_of(position + 1), y_of(second)))
        dot = max(3.5, line * 0.22)
        painter.setFont(bold)
        for position, value in enumerate(values):
            x = x_of(position)
            if value is None:
                painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 1.5))
                painter.setBrush(QColor(ink("#FFFFFF")))
                painter.drawEllipse(QPointF(x, plot.bottom() + dot + 3), dot, dot)  # under the 1
                continue
            painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 1.5))
            painter.setBrush(QColor(ink(TEXT_COLOUR)))
            painter.drawEllipse(QPointF(x, y_of(value)), dot, dot)
            painter.setPen(QColor(ink(TEXT_COLOUR)))
            painter.drawText(QRectF(x - 20, y_of(value) - dot - line, 40, line),
                             int(Qt.AlignmentFlag.AlignCenter), str(value))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Under the axis: the first and the last session's dates (more would not fit).
        painter.setFont(small)
        painter.setPen(QColor(ink(TEXT_COLOUR)))
        under = QRectF(plot.left(), plot.bottom() + 2 * dot + 6, plot.width(), small_line)
        if count == 1:
            painter.drawText(under, int(Qt.AlignmentFlag.AlignHCenter), short_date(self.entries[0]))
        else:
            painter.drawText(under, int(Qt.AlignmentFlag.AlignLeft), short_date(self.entries[0]))
            painter.drawText(under, int(Qt.AlignmentFlag.AlignRight), short_date(self.entries[-1]))


class SessionHistoryDialog(QDialog):
    def __init__(self, store: object, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from nrp_desktop.services.followup import history

        self.setObjectName("sessionHistoryDialog")
        self.setWindowTitle(self.tr("History of this group's sessions"))
        found = history(store, session_id)  # type: ignore[arg-type]
        self.entries = found.entries
        headings = [self.tr("Date"), self.tr("Session")]
        headings += [self.tr(heading) for _status, heading in ACTION_COLUMNS]
        self.table = QTableWidget(len(self.entries), len(headings))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside
        self.table.setObjectName("sessionHistory")
        self.table.setAccessibleName(self.tr("The group's sessions, oldest first"))
        self.table.setHorizontalHeaderLabels(headings)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setStyleSheet("QTableWidget::item { padding: 4px 6px; }")  # room round wrapped titles
        for row, entry in enumerate(self.entries):
            cells = [day_month_year(entry.date), entry.title, str(sum(entry.actions.values()))]
            cells += [str(entry.actions.get(status, 0)) for status, _heading in ACTION_COLUMNS[1:]]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: a title is never read as markup
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if entry.id == session_id:
                    font = item.font()
                    font.setBold(True)  # the open session, told by weight, not colour alone
                    item.setFont(font)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Each row as tall as its wrapped title at the width it ends up with.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows_height = sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        self.table.setMinimumHeight(min(260, header.sizeHint().height() + rows_height + 6))

        self.chart = CompassOverTime(self.entries)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(text_label(self.tr(
            "Oldest first; the open session in bold. Actions: how many each session agreed "
            "(carried ones included), and what has become of them."), "hint"))
        layout.addWidget(self.table, 1)
        layout.addWidget(text_label(self.tr("The compass over time"), "sectionLabel"))
        layout.addWidget(text_label(self.tr(
            "Each domain scored 1 (a lot to improve) to 7 (little to improve) at each session, "
            "oldest on the left. An open ring under the bottom line: not rated that time."), "hint"))
        layout.addWidget(self.chart, 3)
        self.notes = text_label("", "hint")
        notes = []
        if found.chain.loop:
            notes.append(self.tr("These sessions follow each other in a loop (made on other laptops); "
                                 "each is shown once."))
        if found.chain.unknown_start:
            notes.append(self.tr("The oldest session here follows one that is not stored on this computer."))
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setFocus()  # not the table's first cell, which would look chosen
        self.resize(1000, 620)
