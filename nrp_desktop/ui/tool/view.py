"""The "Explore what worked" screen: five steps a facilitator runs with a group round one screen.

1 pick issue cards, 2 mark who is in the room (and see how to bring in who is not), 3 see what
other neighbourhoods did, 4 talk it through, 5 turn a card into a priority. Big type and big
targets for a projector; every control works from the keyboard (Tab, Space, Enter, arrows).
The words come from the content library; the choosing is in services/learning_tool.py.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Hashable, Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary, Lesson, ToolCard, make_link, split_link
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.services import learning_tool
from nrp_desktop.services.learning_tool import LearningToolState
from nrp_desktop.ui.screen import Screen
from nrp_desktop.ui.theme import ACCENT_COLOUR, TEXT_COLOUR
from nrp_desktop.ui.widgets import clear_layout, text_label
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

STEP_NAMES = {  # short names for the step bar; the full question is the screen's title
    1: "What matters",
    2: "Who is here",
    3: "What others did",
    4: "Talk about it",
    5: "Make it a priority",
}
CARD_COLUMNS_MAX = 4
PLAYER_ROW_WIDE = 560  # narrower than this, a player's buttons go under the words
CARD_WIDTH_MIN = 250  # below this a card's title wraps into too many lines to read at a glance
SCREENSHOT_CARDS = ("debt-and-money-worries", "loneliness-and-isolation")
SCREENSHOT_PLAYERS = {"residents": True, "council-officers": True, "voluntary-organisations": True,
                      "businesses-and-employers": False, "health-services": False}
ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)


def short_domain_name(slug: str) -> str:
    """"Economic" for Economic resources: enough beside the mark on a small chip."""
    return domain_by_slug(slug).name.split()[0]


def scroll_area(content: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName("toolScroll")
    area.setAccessibleName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    # The area itself need not take focus: Tab goes straight to the controls inside it.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def _ensure_visible(widget: QWidget) -> None:
    """Scroll whatever scroll area holds `widget` so that it can be seen (arrow-key moves)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 16, 16)
            return
        parent = parent.parentWidget()


def _is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def no_modifiers(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return modifiers == Qt.KeyboardModifier.NoModifier


# Small widgets shared by the tool and the compass ----------------------------------------------


class BigButton(QPushButton):
    """A push button that Enter presses as well as Space (outside dialogs Qt only takes Space)."""

    def __init__(self, text: str = "", name: str = "", parent: Any = None) -> None:
        super().__init__(text, parent)
        if name:
            self.setObjectName(name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_enter(event) and no_modifiers(event):
            self.click()
            return
        super().keyPressEvent(event)


class LinkButton(BigButton):
    """An internal link ("lesson:slug") that looks like a link, wraps a long title, and is a
    real button for the keyboard and screen readers."""

    activated_link = Signal(str)

    def __init__(self, text: str, link: str, parent: Any = None) -> None:
        super().__init__("", "linkButton", parent)
        self.link = link
        self.text_label = QLabel(text, self)
        self.text_label.setObjectName("linkButtonText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text_label)
        kind = (split_link(link) or ("", ""))[0]
        where = {"lesson": "lesson", "case-study": "neighbourhood", "tool-player": "page",
                 "page": "page"}.get(kind, "page")
        self.setAccessibleName(text)
        self.setAccessibleDescription(self.tr("Opens the %s in the library") % self.tr(where))
        self.setToolTip(self.tr("Open in the library"))
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.clicked.connect(lambda: self.activated_link.emit(self.link))

    def text_shown(self) -> str:
        return self.text_label.text()

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        hint = self.layout().minimumSize()
        return QSize(min(hint.width(), 160), hint.height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)


def lesson_link_text(lesson: Lesson) -> str:
    return f"{lesson.number}. {lesson.title}"


class DomainChips(QWidget):
    """Each domain as a small chip: its colour, its letter and its first word, never colour alone."""

    def __init__(self, domains: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for slug in domains:
            if not is_domain(slug):
                continue
            domain = domain_by_slug(slug)
            chip = QLabel(f"{domain.mark}  {self.tr(short_domain_name(slug))}")
            chip.setObjectName("toolDomainChip")
            chip.setToolTip(self.tr(domain.name))
            chip.setAccessibleName(self.tr(domain.name))
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chip.setStyleSheet(
                f"QLabel#toolDomainChip {{ background: {domain.tint}; "
                f"border-left: 8px solid {domain.colour}; }}"
            )
            layout.addWidget(chip)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class ArrowGrid(QObject):
    """Arrow keys move the focus around a grid of widgets (a list of rows), as in any grid."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[list[QWidget]] = []

    def set_rows(self, rows: list[list[QWidget]]) -> None:
        for widget in self._widgets():
            widget.removeEventFilter(self)
        self.rows = [list(row) for row in rows if row]
        for widget in self._widgets():
            widget.installEventFilter(self)

    def _widgets(self) -> list[QWidget]:
        return [widget for row in self.rows for widget in row]

    def _position(self, widget: QObject) -> tuple[int, int] | None:
        for row_index, row in enumerate(self.rows):
            for column_index, candidate in enumerate(row):
                if candidate is widget:
                    return row_index, column_index
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in ARROWS or not no_modifiers(event):
            return False
        position = self._position(watched)
        if position is None:
            return False
        row, column = position
        if event.key() == Qt.Key.Key_Left:
            column -= 1
        elif event.key() == Qt.Key.Key_Right:
            column += 1
        elif event.key() == Qt.Key.Key_Up:
            row -= 1
        else:
            row += 1
        if 0 <= row < len(self.rows):
            column = min(max(column, 0), len(self.rows[row]) - 1) if event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down) else column
            if 0 <= column < len(self.rows[row]):
                target = self.rows[row][column]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                _ensure_visible(target)
        return True  # an arrow at the edge stays put rather than jumping elsewhere


class ChoiceBar(QWidget):
    """A row of buttons of which exactly one is chosen (like tabs or radio buttons).

    Only the chosen button is a Tab stop; Left/Right (and Home/End) choose the neighbour, so a
    keyboard user crosses the whole bar with one Tab and picks with the arrows."""

    chosen = Signal(object)  # the key of the option chosen by the user

    def __init__(self, name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.bar_layout = QHBoxLayout(self)
        self.bar_layout.setContentsMargins(0, 0, 0, 0)
        self.bar_layout.setSpacing(8)
        self.buttons: dict[Hashable, QPushButton] = {}
        self.keys: list[Hashable] = []
        self._current: Hashable = None

    def set_options(self, options: Sequence[tuple[Hashable, str, str]], button_name: str,
                    fill: bool = False) -> None:
        """Options as (key, text, accessible name); keeps the current choice when still offered.
        With `fill` the buttons share the bar's whole width, else they keep to the left."""
        clear_layout(self.bar_layout)
        self.buttons.clear()
        self.keys = [key for key, _text, _name in options]
        for key, text, accessible in options:
            button = BigButton(text, button_name)
            button.setCheckable(True)
            button.setAccessibleName(accessible)
            button.clicked.connect(lambda _checked=False, key=key: self._pick(key))
            button.installEventFilter(self)
            if fill:
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.bar_layout.addWidget(button)
            self.buttons[key] = button
        if not fill:
            self.bar_layout.addStretch(1)
        current = self._current if self._current in self.buttons else (
            self.keys[0] if self.keys else None)
        self._current = None
        if current is not None or None in self.buttons:
            self.set_current(current)

    def current(self) -> Hashable:
        return self._current

    def set_current(self, key: Hashable) -> None:
        """Show `key` as chosen, without telling anyone (the caller knows)."""
        self._current = key
        for option, button in self.buttons.items():
            button.setChecked(option == key)
            # The chosen option is the bar's one Tab stop; the others still take a click.
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if option == key else Qt.FocusPolicy.ClickFocus
            )

    def _pick(self, key: Hashable) -> None:
        had_focus = any(button.hasFocus() for button in self.buttons.values())
        self.set_current(key)
        if had_focus and key in self.buttons:
            self.buttons[key].setFocus(Qt.FocusReason.TabFocusReason)
        self.chosen.emit(key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.handle_key(event)
        return False

    def handle_key(self, event: QKeyEvent) -> bool:
        if not self.keys or not no_modifiers(event):
            return False
        index = self.keys.index(self._current) if self._current in self.keys else 0
        moves = {Qt.Key.Key_Left: index - 1, Qt.Key.Key_Right: index + 1,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: len(self.keys) - 1}
        if event.key() not in moves:
            return False
        target = moves[event.key()]
        if 0 <= target < len(self.keys) and target != index:
            self._pick(self.keys[target])
        return True


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
        names = ", ".join(domain_by_slug(s).name for s in card.domains if is_domain(s))
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
        if _is_enter(event) and no_modifiers(event):
            self.click()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        chosen = self.isChecked()
        title_rect, short_rect, chips, _height = self._layout(self.width())
        outer = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        background = QColor("#E3EEF6") if chosen else QColor("#FFFFFF")
        if self.underMouse() and not chosen:
            background = QColor("#F3F3EE")
        border = QColor(TEXT_COLOUR) if chosen else QColor("#5C5C55")
        painter.setPen(QPen(border, 5 if chosen else 2))
        painter.setBrush(background)
        painter.drawRoundedRect(outer.adjusted(2, 2, -2, -2), 10, 10)
        if self.hasFocus():
            painter.setPen(QPen(QColor(ACCENT_COLOUR), 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(outer, 12, 12)
        # The tick box: empty when not chosen, filled with a tick when chosen.
        side = self._box()
        box = QRectF(self.width() - self.PADDING - side, self.PADDING, side, side)
        unit = side / 30  # the tick was drawn for a 30-pixel box
        painter.setPen(QPen(QColor(TEXT_COLOUR), 2.5 * unit))
        painter.setBrush(QColor(TEXT_COLOUR) if chosen else QColor("#FFFFFF"))
        painter.drawRoundedRect(box, 5 * unit, 5 * unit)
        if chosen:
            painter.setPen(QPen(QColor("#FFFFFF"), 4 * unit, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.drawPolyline([
                QPointF(box.left() + 7 * unit, box.center().y() + unit),
                QPointF(box.left() + 13 * unit, box.bottom() - 8 * unit),
                QPointF(box.right() - 6 * unit, box.top() + 8 * unit),
            ])
        painter.setPen(QColor(TEXT_COLOUR))
        painter.setFont(self._title_font())
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.drawText(title_rect, flags | int(Qt.AlignmentFlag.AlignVCenter), self.card.title)
        painter.setFont(self._short_font())
        painter.setPen(QColor("#333333"))
        painter.drawText(short_rect, flags, self.card.short)
        painter.setFont(self._chip_font())
        for rect, slug, text in chips:
            domain = domain_by_slug(slug)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(domain.tint))
            painter.drawRoundedRect(QRectF(rect), 6, 6)
            painter.setBrush(QColor(domain.colour))
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 10, rect.height()), 4, 4)
            painter.setPen(QColor(TEXT_COLOUR))
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
        self.here = BigButton(self.tr("Here"), "presenceButton")
        self.here.setCheckable(True)
        self.here.setAccessibleName(self.tr("%s: in the room") % title)
        self.away = BigButton(self.tr("Not here"), "presenceButton")
        self.away.setCheckable(True)
        self.away.setAccessibleName(self.tr("%s: not in the room") % title)
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


# The screen ------------------------------------------------------------------------------------


class LearningToolView(Screen):
    """The five-step tool. Construct, then `set_library`; the state lives as long as the view."""

    priority_requested = Signal(object)  # a domain.session.Priority made on step 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("learningTool")
        self.library: ContentLibrary | None = None
        self.state = LearningToolState()
        self.card_buttons: dict[str, CardButton] = {}
        self.player_rows: dict[str, PlayerRow] = {}
        self.priority_buttons: dict[str, QPushButton] = {}

        self.step_bar = ChoiceBar(self.tr("Steps of the tool"))
        self.step_bar.set_options(
            [(n, f"{n}  {self.tr(STEP_NAMES[n])}", self.tr("Step %1: %2").replace(
                "%1", str(n)).replace("%2", self.tr(STEP_NAMES[n])))
             for n in range(learning_tool.FIRST_STEP, learning_tool.LAST_STEP + 1)],
            "stepButton",
        )
        self.step_bar.chosen.connect(lambda step: self.go_to_step(int(step)))
        for button in self.step_bar.buttons.values():
            # The bar shortens its labels when narrow (see _label_steps), so the full labels
            # must not hold the screen wide open.
            button.setMinimumWidth(48)
        self.notes_button = BigButton(self.tr("Facilitator notes"), "notesButton")
        self.notes_button.setCheckable(True)
        self.notes_button.setAccessibleName(self.tr("Show the facilitator's notes for this step"))
        self.notes_button.toggled.connect(self._show_notes)

        self.step_label = text_label("", "stepIndicator", wrap=False)
        self.title_label = text_label("", "toolTitle")
        self.summary_label = text_label("", "pageSubtitle")

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_cards_page())
        self.pages.addWidget(self._build_players_page())
        self.pages.addWidget(self._build_examples_page())
        self.pages.addWidget(self._build_questions_page())
        self.pages.addWidget(self._build_priority_page())

        self.notes = QTextBrowser()
        self.notes.setObjectName("facilitatorNotes")
        self.notes.setAccessibleName(self.tr("Facilitator notes"))
        self.notes.setOpenLinks(False)
        self.notes.setOpenExternalLinks(False)
        self.notes.anchorClicked.connect(lambda url: self._emit_link(url.toString()))
        self.notes.hide()
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.pages)
        self.body.addWidget(self.notes)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 1)

        self.back_button = BigButton(self.tr("◀  Back"), "navButton")
        self.back_button.setToolTip(self.tr("Back one step (Alt+Left)"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button = BigButton(self.tr("Next  ▶"), "primary")
        self.next_button.setToolTip(self.tr("Next step (Alt+Right)"))
        self.next_button.clicked.connect(self.go_next)
        footer = QHBoxLayout()
        footer.setSpacing(16)
        footer.addWidget(self.back_button)
        footer.addStretch(1)
        footer.addWidget(self.notes_button)
        footer.addStretch(1)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(8)
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.title_label, 1)
        layout.addWidget(self.step_bar)
        layout.addSpacing(8)
        layout.addLayout(title_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.body, 1)
        layout.addLayout(footer)

        for keys, action in (
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self.go_back),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right), self.go_next),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._show_step()

    # Building the five pages -------------------------------------------------------------------

    def _build_cards_page(self) -> QWidget:
        self.card_grid = CardGrid()
        self.cards_status = text_label("", "toolStatus")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(16)
        layout.addWidget(self.cards_status)
        layout.addWidget(self.card_grid)
        layout.addStretch(1)
        return scroll_area(page, self.tr("Issue cards"))

    def _build_players_page(self) -> QWidget:
        self.players_box = QWidget()
        self.players_layout = QVBoxLayout(self.players_box)
        self.players_layout.setContentsMargins(0, 0, 8, 0)
        self.players_layout.setSpacing(8)
        self.player_arrows = ArrowGrid(self)
        players_scroll = scroll_area(self.players_box, self.tr("Who is in the room"))

        self.prompts_box = QWidget()
        self.prompts_layout = QVBoxLayout(self.prompts_box)
        self.prompts_layout.setContentsMargins(0, 0, 8, 0)
        self.prompts_layout.setSpacing(16)
        prompts_scroll = scroll_area(self.prompts_box, self.tr("How to bring in who is missing"))
        prompts_panel = QFrame()
        prompts_panel.setObjectName("toolSidePanel")
        panel_layout = QVBoxLayout(prompts_panel)
        panel_layout.setContentsMargins(16, 16, 8, 16)
        panel_layout.addWidget(
            text_label(self.tr("Not in the room? How to bring them in"), "toolSectionTitle"))
        panel_layout.addWidget(prompts_scroll, 1)

        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(players_scroll, 11)
        layout.addWidget(prompts_panel, 9)
        return page

    def _build_examples_page(self) -> QWidget:
        self.example_cards = ChoiceBar(self.tr("Chosen cards"))
        self.example_cards.chosen.connect(lambda _slug: self._refill(self._fill_examples))
        self.examples_box = QWidget()
        self.examples_layout = QVBoxLayout(self.examples_box)
        self.examples_layout.setContentsMargins(0, 0, 8, 0)
        self.examples_layout.setSpacing(16)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.example_cards)
        layout.addWidget(scroll_area(self.examples_box, self.tr("What other neighbourhoods did")), 1)
        return page

    def _build_questions_page(self) -> QWidget:
        self.questions_box = QWidget()
        self.questions_layout = QVBoxLayout(self.questions_box)
        self.questions_layout.setContentsMargins(0, 0, 8, 0)
        self.questions_layout.setSpacing(24)
        return scroll_area(self.questions_box, self.tr("Questions to talk about"))

    def _build_priority_page(self) -> QWidget:
        self.priority_box = QWidget()
        self.priority_layout = QVBoxLayout(self.priority_box)
        self.priority_layout.setContentsMargins(0, 0, 8, 0)
        self.priority_layout.setSpacing(16)
        return scroll_area(self.priority_box, self.tr("Make it a priority"))

    # Content -----------------------------------------------------------------------------------

    def set_library(self, library: ContentLibrary) -> None:
        self.library = library
        self.state.forget_unknown(library)
        for step in library.tool_steps:
            if step.number in self.step_bar.buttons:
                self.step_bar.buttons[step.number].setAccessibleName(
                    self.tr("Step %1: %2").replace("%1", str(step.number))
                    .replace("%2", step.title))
        self.card_buttons = {}
        for card in library.tool_cards:
            button = CardButton(card)
            button.setChecked(self.state.is_chosen(card.slug))
            button.toggled.connect(lambda on, slug=card.slug: self._choose_card(slug, on))
            self.card_buttons[card.slug] = button
        self.card_grid.set_cards(list(self.card_buttons.values()))

        clear_layout(self.players_layout)
        self.player_rows = {}
        for player in learning_tool.players_in_order(library):
            row = PlayerRow(player.slug, player.title, player.short)
            row.set_presence(self.state.presence_of(player.slug))
            row.changed.connect(self._set_presence)
            self.players_layout.addWidget(row)
            self.player_rows[player.slug] = row
        self.players_layout.addStretch(1)
        self.player_arrows.set_rows([[row.here, row.away] for row in self.player_rows.values()])
        self._show_step()

    # Moving between steps ----------------------------------------------------------------------

    @property
    def step(self) -> int:
        return self.state.step

    def go_to_step(self, step: int) -> None:
        self.state.go_to(step)
        self._show_step()

    def go_next(self) -> None:
        self.go_to_step(self.state.step + 1)

    def go_back(self) -> None:
        self.go_to_step(self.state.step - 1)

    def step_title(self, number: int) -> str:
        if self.library is not None:
            for step in self.library.tool_steps:
                if step.number == number:
                    return step.title
        return self.tr(STEP_NAMES[number])

    def _show_step(self) -> None:
        number = self.state.step
        total = learning_tool.STEP_COUNT
        step_had_focus = any(button.hasFocus() for button in self.step_bar.buttons.values())
        self.step_bar.set_current(number)
        if step_had_focus:
            self.step_bar.buttons[number].setFocus(Qt.FocusReason.OtherFocusReason)
        self._label_steps()
        self.pages.setCurrentIndex(number - 1)
        step = None
        if self.library is not None:
            step = next((s for s in self.library.tool_steps if s.number == number), None)
        self.step_label.setText(self.tr("Step %1 of %2").replace("%1", str(number))
                                .replace("%2", str(total)))
        self.title_label.setText(self.step_title(number))
        self.summary_label.setText(step.summary if step else "")
        # Step 1 has its own line for the group ("Pick the cards …"); the others show the summary.
        self.summary_label.setVisible(bool(step) and number != learning_tool.FIRST_STEP)
        self.notes.setHtml(
            f"<h2>{html.escape(self.tr('Facilitator notes'))}</h2>{step.html}" if step else "")
        self.back_button.setEnabled(number > learning_tool.FIRST_STEP)
        self.next_button.setEnabled(number < learning_tool.LAST_STEP)
        if number < learning_tool.LAST_STEP:
            self.next_button.setText(
                self.tr("Next: %s  ▶") % self.tr(STEP_NAMES[number + 1]))
            self.next_button.setAccessibleName(
                self.tr("Next step: %s") % self.step_title(number + 1))
        else:
            self.next_button.setText(self.tr("Last step"))
            self.next_button.setAccessibleName(self.tr("This is the last step"))
        if self.library is None:
            return
        {1: self._fill_cards_status, 2: self._fill_prompts, 3: self._fill_examples,
         4: self._fill_questions, 5: self._fill_priorities}[number]()
        self.fix_tab_order()

    def _label_steps(self) -> None:
        """Every step's name on the bar when they all fit; on a narrow screen only the current
        step's name, the others by number (their names stay in tooltips and for screen readers)."""
        full = {n: f"{n}  {self.tr(STEP_NAMES[n])}" for n in self.step_bar.buttons}
        needed = sum(button.fontMetrics().horizontalAdvance(full[n]) + 40
                     for n, button in self.step_bar.buttons.items())
        compact = needed > self.width() - 48
        for number, button in self.step_bar.buttons.items():
            short = compact and number != self.state.step
            button.setText(f"{number}" if short else full[number])
            button.setToolTip(self.step_title(number))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._label_steps()

    def fix_tab_order(self) -> None:
        """Tab in reading order: steps, notes, the step's own controls, then Back and Next.
        (Qt's default is the order widgets were made, and the step's controls are remade.)"""
        chain: list[QWidget] = list(self.step_bar.buttons.values())
        page = self.pages.currentWidget()
        chain += [widget for widget in page.findChildren(QWidget)
                  if widget.focusPolicy() & Qt.FocusPolicy.TabFocus]
        chain += [self.notes, self.back_button, self.notes_button, self.next_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_notes(self, visible: bool) -> None:
        self.notes.setVisible(visible)
        self.notes_button.setText(
            self.tr("Hide notes") if visible else self.tr("Facilitator notes"))
        self.notes_button.setAccessibleName(
            self.tr("Hide the facilitator's notes") if visible
            else self.tr("Show the facilitator's notes for this step"))

    def _refill(self, fill: Callable[[], None]) -> None:
        fill()
        self.fix_tab_order()

    def _emit_link(self, link: str) -> None:
        if split_link(link) is not None:
            self.open_link_requested.emit(link)

    def _link_button(self, text: str, link: str) -> LinkButton:
        button = LinkButton(text, link)
        button.activated_link.connect(self._emit_link)
        return button

    def _lesson_links(self, lessons: Sequence[Lesson]) -> list[LinkButton]:
        return [self._link_button(lesson_link_text(lesson), make_link("lesson", lesson.slug))
                for lesson in lessons]

    def _nothing_chosen(self, layout: Any) -> None:
        layout.addWidget(text_label(
            self.tr("No cards are chosen yet. Go back to step 1 and pick one or more cards."),
            "toolEmpty"))
        button = BigButton(self.tr("Go to step 1: What matters"), "navButton")
        button.clicked.connect(lambda: self.go_to_step(1))
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    # Step 1 ------------------------------------------------------------------------------------

    def _choose_card(self, slug: str, chosen: bool) -> None:
        self.state.choose_card(slug, chosen)
        self._fill_cards_status()

    def _fill_cards_status(self) -> None:
        count = len(self.state.chosen_cards)
        if count == 0:
            text = self.tr("Pick the cards that matter most here. You can pick more than one.")
        elif count == 1:
            text = self.tr("1 card chosen. Pick more, or press Next.")
        else:
            text = self.tr("%s cards chosen. Pick more, or press Next.") % count
        self.cards_status.setText(text)

    # Step 2 ------------------------------------------------------------------------------------

    def _set_presence(self, slug: str, present: bool | None) -> None:
        self.state.set_presence(slug, present)
        self._fill_prompts()
        self.fix_tab_order()

    def _fill_prompts(self) -> None:
        if self.library is None:
            return
        clear_layout(self.prompts_layout)
        prompts = learning_tool.prompts_for_missing_players(self.library, self.state)
        if not prompts:
            self.prompts_layout.addWidget(text_label(
                self.tr("Mark who is “Not here”. For each one, you will see how other "
                        "neighbourhoods brought them in."), "toolEmpty"))
        for prompt in prompts:
            box = QFrame()
            box.setObjectName("promptBox")
            box.setAccessibleName(prompt.player.title)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(16, 12, 16, 12)
            box_layout.setSpacing(8)
            box_layout.addWidget(text_label(prompt.player.title, "promptTitle"))
            box_layout.addWidget(text_label(prompt.prompt, "promptText"))
            if prompt.lessons:
                box_layout.addWidget(text_label(self.tr("Lessons on bringing them in:"), "toolSmallHeading"))
                for button in self._lesson_links(prompt.lessons):
                    box_layout.addWidget(button)
            box_layout.addWidget(self._link_button(
                self.tr("More about %s") % prompt.player.title.lower(),
                make_link("tool-player", prompt.player.slug)))
            self.prompts_layout.addWidget(box)
        self.prompts_layout.addStretch(1)

    # Step 3 ------------------------------------------------------------------------------------

    def _fill_examples(self) -> None:
        if self.library is None:
            return
        cards = learning_tool.chosen_cards(self.library, self.state)
        self.example_cards.set_options(
            [(card.slug, card.title, self.tr("Show %s") % card.title) for card in cards],
            "cardTab")
        self.example_cards.setVisible(len(cards) > 1)
        clear_layout(self.examples_layout)
        if not cards:
            self._nothing_chosen(self.examples_layout)
            return
        slug = self.example_cards.current()
        shown = learning_tool.examples_for_cards(self.library, [slug])[0]
        self.examples_layout.addWidget(text_label(shown.card.title, "toolSectionTitle"))
        self.examples_layout.addWidget(DomainChips(shown.card.domains))
        for example in shown.neighbourhoods:
            self.examples_layout.addWidget(self._example_box(example))
        if shown.lessons:
            lessons = QFrame()
            lessons.setObjectName("toolSidePanel")
            lessons_layout = QVBoxLayout(lessons)
            lessons_layout.setContentsMargins(16, 12, 16, 12)
            lessons_layout.addWidget(text_label(
                self.tr("Lessons for “%s”") % shown.card.title, "toolSmallHeading"))
            grid = QGridLayout()
            grid.setSpacing(8)
            for index, button in enumerate(self._lesson_links(shown.lessons)):
                grid.addWidget(button, index // 2, index % 2)
            lessons_layout.addLayout(grid)
            self.examples_layout.addWidget(lessons)
        self.examples_layout.addStretch(1)

    def _example_box(self, example: learning_tool.NeighbourhoodExample) -> QFrame:
        box = QFrame()
        box.setObjectName("exampleBox")
        box.setAccessibleName(example.title)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        title_row = QHBoxLayout()
        title_row.addWidget(text_label(example.title, "exampleTitle"), 1)
        title_row.addWidget(self._link_button(self.tr("Read the case study"), example.link))
        layout.addLayout(title_row)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        for heading, items in (
            (self.tr("What they did"), example.actions),
            (self.tr("What got in the way"), example.challenges),
            (self.tr("What changed"), example.impacts),
        ):
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(text_label(heading, "exampleHeading"))
            column.addWidget(self._bullets(items), 1)
            columns.addLayout(column, 1)
        layout.addLayout(columns)
        if example.lessons:
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(text_label(self.tr("Lessons from here:"), "toolSmallHeading", wrap=False))
            for button in self._lesson_links(example.lessons):
                row.addWidget(button, 1)
            layout.addLayout(row)
        return box

    def _bullets(self, items: Sequence[str]) -> QLabel:
        if not items:
            label = text_label(self.tr("Not recorded in this edition."), "notRecorded")
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setAccessibleName(self.tr("Not recorded in this edition"))
            return label
        rows = "".join(
            f"<tr><td style='padding:0 8px 8px 0;'>•</td>"
            f"<td style='padding:0 0 8px 0;'>{html.escape(item)}</td></tr>" for item in items)
        label = QLabel(f"<table cellspacing='0' cellpadding='0'>{rows}</table>")
        label.setObjectName("exampleText")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    # Step 4 ------------------------------------------------------------------------------------

    def _fill_questions(self) -> None:
        if self.library is None:
            return
        clear_layout(self.questions_layout)
        questions = learning_tool.discussion_questions(self.library, self.state.chosen_cards)
        if not questions:
            self._nothing_chosen(self.questions_layout)
            return
        several = len(self.state.chosen_cards) > 1
        for number, question in enumerate(questions, start=1):
            row = QHBoxLayout()
            row.setSpacing(16)
            number_label = text_label(f"{number}", "questionNumber", wrap=False)
            number_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            number_label.setMinimumWidth(48)
            row.addWidget(number_label)
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addWidget(text_label(question.text, "questionText"))
            if several:
                text.addWidget(text_label(
                    self.tr("From the card: %s") % question.card.title, "questionSource"))
            row.addLayout(text, 1)
            self.questions_layout.addLayout(row)
        self.questions_layout.addStretch(1)

    # Step 5 ------------------------------------------------------------------------------------

    def make_priority(self, slug: str) -> None:
        """Turn the card into a priority, keep it on the tool's list and tell whoever listens."""
        if self.library is None:
            return
        card = self.library.find("tool-card", slug)
        if not isinstance(card, ToolCard) or self.state.has_priority_for(slug):
            return
        priority = learning_tool.add_priority(self.state, card)
        self._refill(self._fill_priorities)
        count = len(priority.lessons)
        self.confirmation.setText(
            self.tr("✓ “%1” is now a priority, with %2 lessons linked. It is on the list below.")
            .replace("%1", priority.title).replace("%2", str(count)))
        self.confirmation.show()
        # The receiver gets its own copy: editing it in the session leaves the tool's list alone.
        self.priority_requested.emit(copy.deepcopy(priority))

    def _fill_priorities(self) -> None:
        if self.library is None:
            return
        confirmation = getattr(self, "confirmation", None)
        previous = confirmation.text() if confirmation is not None else ""
        clear_layout(self.priority_layout)
        self.priority_buttons = {}
        self.confirmation = text_label(previous, "confirmation")
        self.priority_layout.addWidget(self.confirmation)
        self.confirmation.setVisible(bool(previous))
        cards = learning_tool.chosen_cards(self.library, self.state)
        if not cards:
            self._nothing_chosen(self.priority_layout)
            return
        for card in cards:
            self.priority_layout.addWidget(self._priority_box(card))
        made = QFrame()
        made.setObjectName("toolSidePanel")
        made_layout = QVBoxLayout(made)
        made_layout.setContentsMargins(16, 12, 16, 12)
        made_layout.setSpacing(8)
        made_layout.addWidget(text_label(self.tr("Priorities made here"), "toolSectionTitle"))
        if not self.state.priorities:
            made_layout.addWidget(text_label(self.tr("None yet."), "toolEmpty"))
        for number, priority in enumerate(self.state.priorities, start=1):
            lessons = [lesson.title for slug in priority.lessons
                       if (lesson := self.library.lesson(slug)) is not None]
            made_layout.addWidget(text_label(f"{number}. {priority.title}", "madePriority"))
            made_layout.addWidget(text_label(
                self.tr("Lessons linked: %s") % "; ".join(lessons), "madePriorityLessons"))
        self.priority_layout.addWidget(made)
        self.priority_layout.addStretch(1)

    def _priority_box(self, card: ToolCard) -> QFrame:
        box = QFrame()
        box.setObjectName("exampleBox")
        box.setAccessibleName(card.title)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        heading = QHBoxLayout()
        heading.setSpacing(16)
        name = QVBoxLayout()
        name.setSpacing(8)
        name.addWidget(text_label(card.title, "exampleTitle"))
        name.addWidget(DomainChips(card.domains))
        heading.addLayout(name, 1)
        done = self.state.has_priority_for(card.slug)
        button = BigButton(
            self.tr("✓ Already a priority") if done else self.tr("Make it a priority"), "primary")
        button.setEnabled(not done)
        button.setAccessibleName(self.tr("Make “%s” a priority") % card.title)
        button.clicked.connect(lambda _checked=False, slug=card.slug: self.make_priority(slug))
        heading.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.priority_buttons[card.slug] = button
        layout.addLayout(heading)
        lessons = learning_tool.examples_for_card(self.library, card).lessons if self.library else ()
        if lessons:
            layout.addWidget(
                text_label(self.tr("These lessons will be linked to it:"), "toolSmallHeading"))
            grid = QGridLayout()
            grid.setSpacing(8)
            for index, link in enumerate(self._lesson_links(lessons)):
                grid.addWidget(link, index // 2, index % 2)
            layout.addLayout(grid)
        return box

    # Screenshots -------------------------------------------------------------------------------

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        """(file name, set-up) for `--screenshots`: each step with a group's typical choices."""

        def choose_examples() -> None:
            for slug, button in self.card_buttons.items():
                button.setChecked(slug in SCREENSHOT_CARDS)
            for slug, row in self.player_rows.items():
                present = SCREENSHOT_PLAYERS.get(slug)
                row.set_presence(present)
                self.state.set_presence(slug, present)

        def at_step(number: int) -> Callable[[], None]:
            def setup() -> None:
                choose_examples()
                self.go_to_step(number)
            return setup

        return [(f"tool-step-{number}", at_step(number))
                for number in range(learning_tool.FIRST_STEP, learning_tool.LAST_STEP + 1)]
