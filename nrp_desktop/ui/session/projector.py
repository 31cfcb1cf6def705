"""Projector mode: the group's ranked priorities and votes, legible from the back of a hall.

Full screen, very large type (body text about 1/27 of the screen height: 40 px on a 1080-line
screen, never below 28 px there), black on white or, with C, white on black; domains shown by
letter as well as colour. It follows the open session live, so votes counted while it is up
appear at once. Keys: Page Down / Space / → next page, Page Up / ← previous, Home first page,
C swaps the colours, Esc closes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QStyle, QWidget

from nrp_desktop import i18n
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.domain.session import Priority
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.texts import votes_text
from nrp_desktop.ui.theme import BODY_FAMILY, text_families

BODY_SHARE = 1 / 27  # body text height as a share of the window height
BODY_MIN_PX = 18  # for small preview windows; on a real projector the share gives ≥ 28 px
TITLE_FACTOR = 1.35
RANK_FACTOR = 1.2
FOOTER_FACTOR = 0.75
MARGIN_SHARE = 0.04


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str
    rule: str


LIGHT = Palette("#FFFFFF", "#000000", "#262626", "#000000")
DARK = Palette("#000000", "#FFFFFF", "#E6E6E6", "#FFFFFF")


@dataclass(frozen=True)
class _Row:
    rank: int
    priority: Priority
    height: int


class ProjectorView(QWidget):
    """Paints the open session's ranking, page by page."""

    close_requested = Signal()

    def __init__(self, document: SessionDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.page = 0
        from nrp_desktop.ui.theme import is_dark

        self.palette_choice = DARK if is_dark() else LIGHT  # as the window looks (C switches)
        self._colours_chosen = False  # switched by hand: the window's look no longer decides
        self._pages: list[list[_Row]] = [[]]
        self._stale = True
        self.setObjectName("projector")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("The group's priorities, ranked, for the projector"))
        self.setAutoFillBackground(False)
        document.priorities_changed.connect(self._relayout)
        document.session_opened.connect(self._on_session_opened)
        document.fields_changed.connect(self.update)
        self._relayout()

    # Sizes -----------------------------------------------------------------------------------

    def body_pixel_size(self) -> int:
        return max(BODY_MIN_PX, round(self.height() * BODY_SHARE))

    def _font(self, factor: float = 1.0, bold: bool = False) -> QFont:
        font = QFont(BODY_FAMILY)
        font.setFamilies(text_families())
        font.setPixelSize(max(1, round(self.body_pixel_size() * factor)))
        font.setBold(bold)
        return font

    def _margin(self) -> int:
        return max(16, round(min(self.width(), self.height()) * MARGIN_SHARE))

    def _columns(self) -> tuple[QRect, QRect, QRect]:
        """Where the rank, the title and the votes go, across the usable width."""
        margin = self._margin()
        body = self.body_pixel_size()
        rank_width = round(body * 2.4)
        votes_width = QFontMetrics(self._font(1.0, bold=True)).horizontalAdvance("0000 votes") + body
        left = margin
        right = self.width() - margin
        rank = QRect(left, 0, rank_width, 0)
        votes = QRect(right - votes_width, 0, votes_width, 0)
        title = QRect(rank.right() + body // 2, 0, votes.left() - rank.right() - body, 0)
        if self.isRightToLeft():  # Urdu: the rank at the right, the votes at the left
            direction = Qt.LayoutDirection.RightToLeft
            rank, title, votes = (QStyle.visualRect(direction, self.rect(), column)
                                  for column in (rank, title, votes))
        return rank, title, votes

    def rank_text(self, rank: int) -> str:
        """"1." as English and Polish number a list; right to left the number stands alone in
        its column (a "." would sit on the side away from the title, and read ".1")."""
        return str(rank) if self.isRightToLeft() else f"{rank}."

    def _header_height(self) -> int:
        metrics = QFontMetrics(self._font(TITLE_FACTOR, bold=True))
        return self._margin() + metrics.height() * 2 + self.body_pixel_size() // 2

    def _footer_height(self) -> int:
        return QFontMetrics(self._font(FOOTER_FACTOR)).height() + self._margin()

    def _row_height(self, priority: Priority, title_width: int) -> int:
        body = self.body_pixel_size()
        metrics = QFontMetrics(self._font())
        flags = int(Qt.TextFlag.TextWordWrap)
        title = metrics.boundingRect(QRect(0, 0, max(1, title_width), 100_000), flags, priority.title)
        marks = self._marks_height() if priority.domains else 0
        return max(title.height() + marks, QFontMetrics(self._font(RANK_FACTOR, True)).height()) + body

    def _marks_height(self) -> int:
        return QFontMetrics(self._font(FOOTER_FACTOR, True)).height() + self.body_pixel_size() // 4

    # Pages -----------------------------------------------------------------------------------

    def _relayout(self) -> None:
        if not self.isVisible():
            self._stale = True  # laid out when shown: a hidden preview costs the editor nothing
            return
        self._stale = False
        priorities = self.document.priorities_in_order()
        _rank, title, _votes = self._columns()
        available = max(1, self.height() - self._header_height() - self._footer_height())
        pages: list[list[_Row]] = [[]]
        used = 0
        for rank, priority in enumerate(priorities, start=1):
            height = self._row_height(priority, title.width())
            if pages[-1] and used + height > available:
                pages.append([])
                used = 0
            pages[-1].append(_Row(rank, priority, height))
            used += height
        self._pages = pages
        self.page = min(self.page, len(pages) - 1)
        self.update()

    def _on_session_opened(self, _session: object) -> None:
        self.page = 0
        self._relayout()

    def page_count(self) -> int:
        if self._stale:
            self._relayout()
        return len(self._pages)

    def visible_rows(self) -> list[tuple[int, str, int]]:
        """(rank, title, votes) of each priority on the page shown."""
        if self._stale:
            self._relayout()
        return [(row.rank, row.priority.title, row.priority.votes) for row in self._pages[self.page]]

    def set_page(self, page: int) -> None:
        self.page = max(0, min(page, len(self._pages) - 1))
        self.update()

    def toggle_colours(self) -> None:
        self.palette_choice = DARK if self.palette_choice is LIGHT else LIGHT
        self._colours_chosen = True
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._colours_chosen:
            from nrp_desktop.ui.theme import is_dark

            wanted = DARK if is_dark() else LIGHT  # the window's look changed (View ▸ Appearance)
            if wanted is not self.palette_choice:
                self.palette_choice = wanted
                self.update()

    # Events ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close_requested.emit()
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.set_page(self.page + 1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            self.set_page(self.page - 1)
        elif key == Qt.Key.Key_Home:
            self.set_page(0)
        elif key == Qt.Key.Key_End:
            self.set_page(len(self._pages) - 1)
        elif key == Qt.Key.Key_C:
            self.toggle_colours()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = self.palette_choice
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor(colours.background))
        margin = self._margin()
        body = self.body_pixel_size()
        width = self.width() - 2 * margin

        # The question, then the session's title.
        session = self.document.session
        painter.setPen(QColor(colours.text))
        title_font = self._font(TITLE_FACTOR, bold=True)
        painter.setFont(title_font)
        title_height = QFontMetrics(title_font).height()
        y = margin
        painter.drawText(QRect(margin, y, width, title_height), int(Qt.AlignmentFlag.AlignLeft),
                         self.tr("What matters most to the group"))
        y += title_height
        painter.setFont(self._font())
        painter.setPen(QColor(colours.muted))
        subtitle = i18n.isolate(session.title) if session else self.tr("No session is open")
        metrics = QFontMetrics(self._font())
        painter.drawText(QRect(margin, y, width, title_height), int(Qt.AlignmentFlag.AlignLeft),
                         metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, width))
        y = self._header_height() - body // 4
        painter.setPen(QPen(QColor(colours.rule), max(2, body // 12)))
        painter.drawLine(margin, y, self.width() - margin, y)

        rows = self._pages[self.page]
        if not rows:
            painter.setPen(QColor(colours.text))
            painter.setFont(self._font())
            painter.drawText(QRect(margin, y + body, width, body * 4), int(Qt.TextFlag.TextWordWrap),
                             self.tr("No priorities yet. Add them in the session editor; they appear here at once."))
        rank_column, title_column, votes_column = self._columns()
        for row in rows:
            self._paint_row(painter, row, y + body // 2, rank_column, title_column, votes_column)
            y += row.height
            painter.setPen(QPen(QColor(colours.rule), 1))
            painter.drawLine(margin, y + body // 4, self.width() - margin, y + body // 4)

        # Where we are, and the keys.
        painter.setFont(self._font(FOOTER_FACTOR))
        painter.setPen(QColor(colours.muted))
        total = self.document.priority_count()
        if rows:
            shown = self.tr("Priorities %1–%2 of %3").replace("%1", str(rows[0].rank)).replace(
                "%2", str(rows[-1].rank)).replace("%3", str(total))
        else:
            shown = ""
        keys = []
        if self.page < len(self._pages) - 1:
            keys.append(self.tr("Page Down: more"))
        if self.page > 0:
            keys.append(self.tr("Page Up: back"))
        keys.append(self.tr("C: colours · Esc: close"))
        footer = " · ".join(part for part in (shown, *keys) if part)
        footer_height = QFontMetrics(self._font(FOOTER_FACTOR)).height()
        painter.drawText(QRect(margin, self.height() - margin - footer_height, width, footer_height),
                         int(Qt.AlignmentFlag.AlignLeft), footer)
        painter.end()

    def _paint_row(self, painter: QPainter, row: _Row, top: int, rank_column: QRect, title_column: QRect,
                   votes_column: QRect) -> None:
        colours = self.palette_choice
        body = self.body_pixel_size()
        painter.setPen(QColor(colours.text))
        painter.setFont(self._font(RANK_FACTOR, bold=True))
        rank_height = QFontMetrics(self._font(RANK_FACTOR, True)).height()
        painter.drawText(QRect(rank_column.left(), top, rank_column.width(), rank_height),
                         int(Qt.AlignmentFlag.AlignLeft), self.rank_text(row.rank))
        painter.setFont(self._font())
        flags = int(Qt.TextFlag.TextWordWrap)
        title_rect = QFontMetrics(self._font()).boundingRect(
            QRect(0, 0, title_column.width(), 100_000), flags, row.priority.title)
        painter.drawText(QRect(title_column.left(), top, title_column.width(), title_rect.height()),
                         flags | int(Qt.AlignmentFlag.AlignLeft), row.priority.title)
        painter.setFont(self._font(1.0, bold=True))
        painter.drawText(QRect(votes_column.left(), top, votes_column.width(), rank_height),
                         int(Qt.AlignmentFlag.AlignRight), votes_text(row.priority.votes))
        # Domains: the letter on its tint, boxed, with the name beside it (never colour alone);
        # right to left they run from the title's right edge, each name to its box's left.
        rtl = self.isRightToLeft()
        x = title_column.left()
        edge = title_column.right()
        y = top + title_rect.height() + body // 8
        mark_font = self._font(FOOTER_FACTOR, bold=True)
        name_font = self._font(FOOTER_FACTOR)
        mark_metrics = QFontMetrics(mark_font)
        for slug in row.priority.domains:
            if not is_domain(slug):
                continue
            domain = domain_by_slug(slug)
            name = self.tr(domain.name)
            name_width = QFontMetrics(name_font).horizontalAdvance(name)
            box_width = mark_metrics.height() * 1.2
            box = QRectF(edge - box_width if rtl else x, y, box_width, mark_metrics.height())
            painter.setPen(QPen(QColor(colours.rule), 2))
            painter.setBrush(QColor(domain.tint))
            painter.drawRoundedRect(box, 6, 6)
            painter.setFont(mark_font)
            painter.setPen(QColor("#000000"))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), domain.mark)
            painter.setFont(name_font)
            painter.setPen(QColor(colours.muted))
            name_left = box.left() - body * 0.3 - name_width - 4 if rtl else box.right() + body * 0.3
            painter.drawText(QRectF(name_left, y, name_width + 4, box.height()),
                             int(Qt.AlignmentFlag.AlignVCenter), name)
            x = int(box.right() + body * 0.3 + name_width + body)
            edge = int(name_left - body)
            if (edge < title_column.left()) if rtl else (x > title_column.right()):
                break
        painter.setBrush(Qt.BrushStyle.NoBrush)


def cover_projector_screen(window: QWidget, near: QWidget | None) -> None:
    """Give `window` the whole of the screen the room sees: another screen than the one `near`
    is on (the facilitator's), or that one when there is no other."""
    screens = QGuiApplication.screens()
    own = near.screen() if near is not None else None
    others = [screen for screen in screens if screen is not own]
    target = others[0] if others else (own or QGuiApplication.primaryScreen())
    if target is not None:
        window.setGeometry(target.geometry())


class ProjectorWindow(ProjectorView):
    """A top-level, full-screen projector view; on the second screen when there is one."""

    def __init__(self, document: SessionDocument, near: QWidget | None = None) -> None:
        super().__init__(document)
        self.setWindowTitle(self.tr("NRP Desktop: priorities for the projector"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close_requested.connect(self.close)
        cover_projector_screen(self, near)

    def show_full_screen(self) -> None:
        self.showFullScreen()  # a new window comes to the front by itself
        self.activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
