"""Small widget helpers shared by the screens."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListView,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

# Every screen's outer margins (left, top, right, bottom) and spacing: the 8-pixel grid.
PAGE_MARGINS = (24, 16, 24, 16)
COMPACT_PAGE_MARGINS = (16, 8, 16, 8)  # for the session editor, which must fit 1024 pixels
PAGE_SPACING = 8


# A widget or a layout, or one with its stretch factor.
LayoutItem = QWidget | QLayout | tuple[QWidget | QLayout, int]


def arranged(items: Sequence[LayoutItem], margins: tuple[int, int, int, int] = (0, 0, 0, 0),
             spacing: int = 8, host: QWidget | None = None, horizontal: bool = False) -> QWidget:
    """`host` (a new plain widget unless given) holding `items` one under another, or side by
    side when `horizontal`, with the given margins and spacing."""
    host = host if host is not None else QWidget()
    layout = QHBoxLayout(host) if horizontal else QVBoxLayout(host)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for item in items:
        part, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(part, QLayout):
            layout.addLayout(part, stretch)
        else:
            layout.addWidget(part, stretch)
    return host


def framed_column(name: str, margins: tuple[int, int, int, int], spacing: int | None = 8,
                  accessible_name: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A frame styled by its object `name` (a panel, a box), named for screen readers when
    `accessible_name` is given, and the column layout inside it (Qt's spacing when None)."""
    frame = QFrame()
    frame.setObjectName(name)
    if accessible_name:
        frame.setAccessibleName(accessible_name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(*margins)
    if spacing is not None:
        layout.setSpacing(spacing)
    return frame, layout


def text_label(text: str = "", name: str = "", wrap: bool = True, buddy: QWidget | None = None) -> QLabel:
    """A label for plain text (never read as rich text, whatever a user typed), styled by name;
    with a buddy, its mnemonic moves the keyboard focus there."""
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


def page_layout(page: QWidget, title: QLabel | str, subtitle: QLabel | str | None = None,
                margins: tuple[int, int, int, int] = PAGE_MARGINS) -> QVBoxLayout:
    """A screen's outer layout, with its title (the screen's one job, in plain words) and the
    line under it already in place; the caller adds the rest."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(*margins)
    layout.setSpacing(PAGE_SPACING)
    layout.addWidget(title if isinstance(title, QLabel) else text_label(title, "pageTitle"))
    if subtitle is not None:
        layout.addWidget(subtitle if isinstance(subtitle, QLabel) else text_label(subtitle, "pageSubtitle"))
    return layout


def clear_layout(layout: Any) -> None:
    """Remove and delete everything in a layout, nested layouts included."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


def set_up_list_view(view: QListView, name: str) -> None:
    """The house list: named for screen readers, rows that wrap and differ in height, one row
    chosen at a time, smooth scrolling, never sideways."""
    view.setObjectName(view.objectName() or name)
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)  # Tab leaves the list; the arrows move inside
    view.setWordWrap(True)
    view.setUniformItemSizes(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListView.ResizeMode.Adjust)


class ElidingComboBox(QComboBox):
    """A combo box that shortens its shown choice with "…" in the middle when the choice is
    wider than the box, so its beginning and end stay readable instead of being clipped."""

    def _option_and_shown_text(self) -> tuple[QStyleOptionComboBox, str]:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()
        return option, self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideMiddle, room)

    def shown_text(self) -> str:
        return self._option_and_shown_text()[1]

    def paintEvent(self, event: QPaintEvent) -> None:
        option, shown = self._option_and_shown_text()
        painter = QStylePainter(self)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = shown
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def in_large_text(widget: QWidget) -> bool:
    """Whether View ▸ Large text for a projector is on, as `widget` sees it (its font)."""
    from nrp_desktop.ui.theme import BODY_POINT_SIZE

    return widget.font().pointSizeF() > BODY_POINT_SIZE * 1.3


def hide_in_large_text(page: QWidget, *labels: QWidget | None) -> None:
    """A screen's title (and the line under it), which the facilitator knows, gives its
    height to the screen's work in large text; shown again in normal text."""
    large = in_large_text(page)
    for label in labels:
        if label is not None:
            label.setVisible(not large)


class CurrentPageStack(QStackedWidget):
    """A stack of pages that needs only the room of the page shown (a plain one needs its
    largest page's): a pane beside a list stays as narrow as what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint().expandedTo(page.minimumSize()) if page is not None else QSize()

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()


def tab_order(*widgets: QWidget) -> None:
    """Tab moves through `widgets` in the order given (reading order), each right after the one
    before; what followed the first before still follows the last. For controls added after a
    screen was built (they would otherwise come last) and for corner widgets."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def heading_width(table: QTableView, column: int) -> int:
    """How wide a column must be to show its (bold) heading whole at the current text size."""
    # The table's own font: the header takes it on (bold, by the style sheet), but may not have
    # it yet while the table hears of a new text size.
    font = QFont(table.font())
    font.setBold(True)
    metrics = QFontMetrics(font)
    heading = table.model().headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    return metrics.horizontalAdvance(str(heading or "")) + 2 * metrics.averageCharWidth()
