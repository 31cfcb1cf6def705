"""The learning tool's cards (chosen with a click or the keyboard), their grid, and the rows of who
is in the room."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ToolCard
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.i18n import N_
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR, ink
from nrp_desktop.ui.widgets import text_label
from nrp_desktop.ui.widgets.accessible import as_radio_button
from nrp_desktop.ui.widgets.controls import ArrowGrid, BigButton, is_enter, no_modifiers, short_domain_name
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

# The extraction cannot look inside f-strings: the texts this module asks for inside one
# are marked here too (the pseudo-language test fails on any that reach no translator).
_ASKED_IN_F_STRINGS = (
    N_("Domains"),
)

CARD_COLUMNS_MAX = 4


PLAYER_ROW_WIDE = 560  # narrower than this, a player's buttons go under the words


CARD_WIDTH_MIN = 250  # below this a card's title wraps into too many lines to read at a glance


class CardButton(QAbstractButton):
    """One big issue card: its title, its short line and its domains, checked when chosen.

    Painted here rather than styled, so that a chosen card shows a tick box and a heavy border
    (not colour alone) and the text wraps inside the card."""

    PADDING = 16
    BOX_MIN = 30  # the tick box in the top right corner; it grows with large text

    def __init__(self, card: ToolCard, parent: Any = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setText(card.title)
        names = ", ".join(self.tr(domain_by_slug(s).name) for s in card.domains if is_domain(s))
        self.setAccessibleName(card.title)
        self.setAccessibleDescription(f"{card.short} {self.tr('Domains')}: {names}")
        self.setToolTip(plain_tooltip(card.short))
        # Preferred height: every card in a row takes the row's height, so the grid stays even.
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.toggled.connect(lambda _on: self.update())

    # Fonts follow the application's font, so a bigger app font makes bigger cards.
    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, self.font().pointSizeF()) * 1.45)
        font.setBold(True)
        return font

    def _short_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(1.0, self.font().pointSizeF()) * 1.1)
        return font

    def _chip_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _box(self) -> int:
        return max(self.BOX_MIN, round(QFontMetrics(self._title_font()).height() * 0.85))

    def _chips(self) -> list[tuple[str, str]]:
        return [(slug, f"{domain_by_slug(slug).mark}  {self.tr(short_domain_name(slug))}")
                for slug in self.card.domains if is_domain(slug)]

    def _layout(self, width: int) -> tuple[QRect, QRect, list[tuple[QRect, str, str]], int]:
        """Where the title, the short line and the chips go at this width; the total height."""
        inner = max(60, width - 2 * self.PADDING)
        box = self._box()
        title_width = max(40, inner - box - 8)
        flags = int(Qt.TextFlag.TextWordWrap)
        title_height = QFontMetrics(self._title_font()).boundingRect(
            QRect(0, 0, title_width, 10_000), flags, self.card.title).height()
        top = self.PADDING
        title_rect = QRect(self.PADDING, top, title_width, max(title_height, box))
        top = title_rect.bottom() + 8
        short_height = QFontMetrics(self._short_font()).boundingRect(
            QRect(0, 0, inner, 10_000), flags, self.card.short).height()
        short_rect = QRect(self.PADDING, top, inner, short_height)
        top = short_rect.bottom() + 12
        metrics = QFontMetrics(self._chip_font())
        chip_height = metrics.height() + 10
        chips: list[tuple[QRect, str, str]] = []
        x = self.PADDING
        for slug, text in self._chips():
            chip_width = metrics.horizontalAdvance(text) + 8 + 20
            if x > self.PADDING and x + chip_width > self.PADDING + inner:
                x = self.PADDING
                top += chip_height + 6
            chips.append((QRect(x, top, chip_width, chip_height), slug, text))
            x += chip_width + 8
        bottom = (top + chip_height) if chips else top
        return title_rect, short_rect, chips, bottom + self.PADDING

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(width)[3]

    def sizeHint(self) -> QSize:
        return QSize(300, self.heightForWidth(300))

    def minimumSizeHint(self) -> QSize:
        return QSize(CARD_WIDTH_MIN - 40, self.heightForWidth(CARD_WIDTH_MIN - 40))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_enter(event) and no_modifiers(event):
            self.click()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        chosen = self.isChecked()
        title_rect, short_rect, chips, _height = self._layout(self.width())
        outer = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        background = QColor(ink("#E3EEF6" if chosen else "#FFFFFF"))
        if self.underMouse() and not chosen:
            background = QColor(ink("#F3F3EE"))
        border = QColor(ink(TEXT_COLOUR if chosen else "#5C5C55"))
        painter.setPen(QPen(border, 5 if chosen else 2))
        painter.setBrush(background)
        painter.drawRoundedRect(outer.adjusted(2, 2, -2, -2), 10, 10)
        if self.hasFocus():
            painter.setPen(QPen(QColor(ink(ACCENT_COLOUR)), 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(outer, 12, 12)
        # The tick box: empty when not chosen, filled with a tick when chosen.
        side = self._box()
        box = QRectF(self.width() - self.PADDING - side, self.PADDING, side, side)
        unit = side / 30  # the tick was drawn for a 30-pixel box
        painter.setPen(QPen(QColor(ink(TEXT_COLOUR)), 2.5 * unit))
        painter.setBrush(QColor(ink(TEXT_COLOUR if chosen else "#FFFFFF")))
        painter.drawRoundedRect(box, 5 * unit, 5 * unit)
        if chosen:
            painter.setPen(QPen(QColor(ink("#FFFFFF")), 4 * unit, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.drawPolyline([
                QPointF(box.left() + 7 * unit, box.center().y() + unit),
                QPointF(box.left() + 13 * unit, box.bottom() - 8 * unit),
                QPointF(box.right() - 6 * unit, box.top() + 8 * unit),
            ])
        painter.setPen(QColor(ink(TEXT_COLOUR)))
        painter.setFont(self._title_font())
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.drawText(title_rect, flags | int(Qt.AlignmentFlag.AlignVCenter), self.card.title)
        painter.setFont(self._short_font())
        painter.setPen(QColor(ink("#333333")))
        painter.drawText(short_rect, flags, self.card.short)
        painter.setFont(self._chip_font())
        for rect, slug, text in chips:
            domain = domain_by_slug(slug)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(ink(domain.tint)))
            painter.drawRoundedRect(QRectF(rect), 6, 6)
            painter.setBrush(QColor(ink(domain.line)))
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 10, rect.height()), 4, 4)
            painter.setPen(QColor(ink(TEXT_COLOUR)))
            painter.drawText(rect.adjusted(18, 0, -6, 0), int(Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class CardGrid(QWidget):
    """The twelve cards in as many columns as fit (two to four)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        self.cards: list[CardButton] = []
        self.columns = 0
        self.arrows = ArrowGrid(self)

    def set_cards(self, cards: Sequence[CardButton]) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = list(cards)
        self.columns = 0
        self._arrange(self.width())

    def _columns_for(self, width: int) -> int:
        fitting = (width + self.grid.spacing()) // (CARD_WIDTH_MIN + self.grid.spacing())
        return max(2, min(CARD_COLUMNS_MAX, fitting))

    def _arrange(self, width: int) -> None:
        columns = self._columns_for(width)
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(CARD_COLUMNS_MAX):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.arrows.set_rows(
            [self.cards[start:start + columns] for start in range(0, len(self.cards), columns)]
        )
        # Tab goes through the cards in reading order, whatever the columns.
        for first, second in pairwise(self.cards):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width())


class PlayerRow(QFrame):
    """One system player: who they are, and two buttons: in the room, or not."""

    changed = Signal(str, object)  # player slug, True / False / None

    def __init__(self, slug: str, title: str, short: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.slug = slug
        self.setObjectName("playerRow")
        text = QVBoxLayout()
        text.setSpacing(2)
        title_label = text_label(title, "playerTitle")
        text.addWidget(title_label)
        text.addWidget(text_label(short, "playerShort"))
        # Here / Not here: an either/or pair, told to screen readers as radio buttons (the
        # arrow keys move between them); the name starts with the player, then the label.
        self.here = BigButton(self.tr("Here"), "presenceButton")
        as_radio_button(self.here)
        self.here.setAccessibleName(self.tr("%s: here") % title)
        self.here.setAccessibleDescription(self.tr("In the room"))
        self.away = BigButton(self.tr("Not here"), "presenceButton")
        as_radio_button(self.away)
        self.away.setAccessibleName(self.tr("%s: not here") % title)
        self.away.setAccessibleDescription(self.tr("Not in the room"))
        self.here.clicked.connect(lambda on: self._set(True if on else None))
        self.away.clicked.connect(lambda on: self._set(False if on else None))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.here)
        buttons.addWidget(self.away)
        self.row_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row_layout.setContentsMargins(16, 8, 12, 8)
        self.row_layout.setSpacing(8)
        self.row_layout.addLayout(text, 1)
        self.row_layout.addLayout(buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        direction = (QBoxLayout.Direction.LeftToRight if event.size().width() >= PLAYER_ROW_WIDE
                     else QBoxLayout.Direction.TopToBottom)
        if self.row_layout.direction() != direction:
            self.row_layout.setDirection(direction)

    def presence(self) -> bool | None:
        if self.here.isChecked():
            return True
        if self.away.isChecked():
            return False
        return None

    def set_presence(self, present: bool | None) -> None:
        self.here.setChecked(present is True)
        self.away.setChecked(present is False)
        self.here.setText(("✓ " if present is True else "") + self.tr("Here"))
        self.away.setText(("✗ " if present is False else "") + self.tr("Not here"))

    def _set(self, present: bool | None) -> None:
        self.set_presence(present)
        self.changed.emit(self.slug, present)
