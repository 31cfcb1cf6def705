"""An item delegate that draws an item's rich text (bold titles, domain marks, highlighted
matches) with word wrap, for the library lists and search results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from nrp_desktop.ui.theme import ink

PADDING = 8
RICH_TEXT_ROLE = Qt.ItemDataRole.UserRole + 20


MUTED_TEXT = "#3D3D3D"  # `<span class="muted">`: secondary words (a result's kind) on white


class RichTextDelegate(QStyledItemDelegate):
    """Secondary words are marked `class="muted"`, never given a colour of their own: a grey
    that reads on white vanishes on the selection's dark blue, so on a selected row they take
    the selected text's colour."""

    def _document(self, option: QStyleOptionViewItem, index: Any, width: int) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        muted = (option.palette.color(QPalette.ColorRole.HighlightedText).name() if selected
                 else ink(MUTED_TEXT))
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setDefaultStyleSheet(f".muted {{ color: {muted}; }}")
        document.setHtml(index.data(RICH_TEXT_ROLE) or "")
        document.setTextWidth(max(50, width - 2 * PADDING))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        options.text = ""
        widget = options.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, widget)
        document = self._document(options, index, options.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(options.state & QStyle.StateFlag.State_Selected)
        colour = options.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        left = self._text_left(options, index)
        painter.save()
        painter.translate(left, options.rect.top() + PADDING)
        painter.setClipRect(QRectF(0, 0, options.rect.width() - (left - options.rect.left()),
                                   options.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def _text_left(self, option: QStyleOptionViewItem,
                   index: QModelIndex | QPersistentModelIndex) -> int:
        """Where the text starts across the row (a delegate that draws more beside it moves it)."""
        return option.rect.left() + PADDING

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        widget = option.widget
        viewport = widget.viewport() if isinstance(widget, QAbstractScrollArea) else None
        width = viewport.width() if viewport is not None else option.rect.width()
        document = self._document(option, index, width or 300)
        return QSize(width, int(document.size().height()) + 2 * PADDING)
