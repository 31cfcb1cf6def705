"""The editor's lists and table: rows with a button, domain toggles, the priority table with drag
and keys, and their delegates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.session import (
    ACTION_WHAT_MAX,
    PRIORITY_TITLE_MAX,
    SHORT_TEXT_MAX,
)
from nrp_desktop.ui.document.priority_models import ActionListModel, PriorityTableModel
from nrp_desktop.ui.document.texts import Role
from nrp_desktop.ui.session.fields import NARROW_TABLE_PX, VERY_NARROW_TABLE_PX, fit_list_height
from nrp_desktop.ui.theme import ink
from nrp_desktop.ui.widgets import (
    heading_width,
    set_up_list_view,
)
from nrp_desktop.ui.widgets.controls import domain_toggle
from nrp_desktop.ui.widgets.delegates import PADDING, RICH_TEXT_ROLE, RichTextDelegate
from nrp_desktop.ui.widgets.flow_layout import FlowLayout


class ButtonRowDelegate(RichTextDelegate):
    """A row of rich text with a one-click button at its end (the text comes from the model's
    BUTTON_TEXT role): at the right, or right to left (Urdu) at the left, the words then set
    from the right. Enter on the row does the same, for the keyboard."""

    clicked = Signal(int)  # the row whose button was clicked
    BUTTON_MIN_WIDTH = 88

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # How wide a real button with `text` must be (the style sheet's padding and border, the
        # bold face): the painted one is as wide, so it is never cut short in large text.
        self.measure: Callable[[str, QFont], int] | None = None

    def _button_rect(self, rect: QRect, text: str, font: QFont,
                     direction: Qt.LayoutDirection = Qt.LayoutDirection.LeftToRight) -> QRect:
        metrics = QFontMetrics(font)
        bold = QFont(font)
        bold.setBold(True)
        needed = QFontMetrics(bold).horizontalAdvance(text) + 28
        if self.measure is not None:
            needed = max(needed, self.measure(text, font))
        width = max(self.BUTTON_MIN_WIDTH, needed)
        height = metrics.height() + 16
        if direction == Qt.LayoutDirection.RightToLeft:
            return QRect(rect.left() + PADDING, rect.top() + PADDING, width, height)
        return QRect(rect.right() - width - PADDING, rect.top() + PADDING, width, height)

    def button_rect(self, view: QListView, row: int) -> QRect:
        """Where the button of `row` is, in the view's viewport (for tests and hit tests)."""
        index = view.model().index(row, 0)
        return self._button_rect(view.visualRect(index), index.data(Role.BUTTON_TEXT) or "", view.font(),
                                 view.layoutDirection())

    def _text_left(self, option: QStyleOptionViewItem, index: Any) -> int:
        if option.direction != Qt.LayoutDirection.RightToLeft:
            return super()._text_left(option, index)
        button = self._button_rect(option.rect, index.data(Role.BUTTON_TEXT) or "", option.font,
                                   option.direction)
        return button.right() + PADDING  # the words start past the button

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        text = index.data(Role.BUTTON_TEXT) or ""
        button = self._button_rect(option.rect, text, option.font, option.direction)
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = QRect(option.rect)
        super().paint(painter, narrowed, index)  # text wraps short of the button (see _document)
        enabled = bool(index.data(Role.BUTTON_ENABLED))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(ink("#5C5C55" if enabled else "#B5B5AC")), 2))
        painter.setBrush(QColor(ink("#FFFFFF" if enabled else "#EDEDE6")))
        painter.drawRoundedRect(button.adjusted(1, 1, -1, -1), 6, 6)
        font = QFont(option.font)
        font.setBold(enabled)
        painter.setFont(font)
        painter.setPen(QColor(ink("#1A1A1A" if enabled else "#4D4D48")))
        painter.drawText(button, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def _document(self, option: QStyleOptionViewItem, index: Any, width: int) -> Any:
        text = index.data(Role.BUTTON_TEXT) or ""
        reserve = self._button_rect(QRect(0, 0, width, 10), text, option.font).width() + 2 * PADDING
        document = super()._document(option, index, width - reserve)
        if option.direction == Qt.LayoutDirection.RightToLeft:
            # Set from the right as the rest of the window, each line keeping its own direction
            # (an English title stays left to right, its number before it).
            text_option = document.defaultTextOption()
            text_option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
            document.setDefaultTextOption(text_option)
            document.setHtml(index.data(RICH_TEXT_ROLE) or "")  # the blocks take the new option
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        hint = super().sizeHint(option, index)
        button_height = QFontMetrics(option.font).height() + 16 + 2 * PADDING
        return QSize(hint.width(), max(hint.height(), button_height))

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Any) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                    QEvent.Type.MouseButtonDblClick):
            button = self._button_rect(option.rect, index.data(Role.BUTTON_TEXT) or "", option.font,
                                       option.direction)
            mouse = cast(QMouseEvent, event)  # these three event types are mouse events
            if button.contains(mouse.position().toPoint()):
                if (kind == QEvent.Type.MouseButtonRelease and mouse.button() == Qt.MouseButton.LeftButton
                        and index.data(Role.BUTTON_ENABLED)):
                    self.clicked.emit(index.row())
                return True  # the button's own click; the row is not selected or opened
        return super().editorEvent(event, model, option, index)


class RowButton(QPushButton):
    """The painted button of one row, as a real button for assistive technology: it lies
    exactly over the painted one, draws nothing, takes neither the mouse (the list does) nor
    Tab (Enter on the row does the same), and is pressed by a screen reader's action."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("rowButton")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFlat(True)

    def paintEvent(self, event: Any) -> None:
        pass  # the list paints the button; this one only speaks for it


class ButtonRowList(QListView):
    """A short list whose rows each offer one action; Enter or Space does it too, Delete may
    remove."""

    activated_row = Signal(int)
    delete_pressed = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("buttonRowList")
        set_up_list_view(self, name)
        self.button_delegate = ButtonRowDelegate(self)
        self.button_delegate.measure = self._button_width
        self._measured: dict[tuple[str, str], int] = {}
        self._measuring = RowButton(self)
        self._measuring.hide()
        self.setItemDelegate(self.button_delegate)
        self.max_rows = 3
        # Real buttons for the painted ones (children of the list's parent: Qt's accessible list
        # shows only its rows), kept over the painted buttons as rows change and scroll.
        self.row_buttons: list[RowButton] = []
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(0)
        self._sync_timer.timeout.connect(self.sync_row_buttons)
        self.verticalScrollBar().valueChanged.connect(self._sync_timer.start)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.fit_height)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged,
                       model.dataChanged):
            signal.connect(self._sync_timer.start)
        self.fit_height()
        self._sync_timer.start()

    def _button_width(self, text: str, font: QFont) -> int:
        key = (text, font.key())
        if key not in self._measured:
            self._measuring.setFont(font)
            self._measuring.setText(text)
            self._measured[key] = self._measuring.minimumSizeHint().width()
        return self._measured[key]

    def sync_row_buttons(self) -> None:
        """One real button over each shown row's painted button, named by the action and the
        row ("Link: 9. Start with a quick project…")."""
        holder = self.parentWidget()
        model = self.model()
        if holder is None or model is None:
            return
        rows = model.rowCount() if self.isVisible() else 0
        while len(self.row_buttons) < rows:
            button = RowButton(holder)
            row = len(self.row_buttons)
            button.clicked.connect(lambda _checked=False, row=row: self._row_button_pressed(row))
            self.row_buttons.append(button)
        shown = self.viewport().rect()
        for row, button in enumerate(self.row_buttons):
            if button.parentWidget() is not holder:
                button.setParent(holder)
            rect = self.button_delegate.button_rect(self, row) if row < rows else QRect()
            if row >= rows or not shown.contains(rect):
                button.hide()
                continue
            index = model.index(row, 0)
            text = index.data(Role.BUTTON_TEXT) or ""
            button.setText(text)
            button.setAccessibleName(f"{text}: {index.data(Qt.ItemDataRole.DisplayRole) or ''}")
            button.setEnabled(bool(index.data(Role.BUTTON_ENABLED)))
            button.setGeometry(QRect(self.viewport().mapTo(holder, rect.topLeft()), rect.size()))
            button.show()
            button.raise_()

    def _row_button_pressed(self, row: int) -> None:
        model = self.model()
        if model is not None and 0 <= row < model.rowCount() and model.index(row, 0).data(Role.BUTTON_ENABLED):
            self.button_delegate.clicked.emit(row)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._sync_timer.start()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        for button in self.row_buttons:
            button.hide()

    def moveEvent(self, event: Any) -> None:
        super().moveEvent(event)
        self._sync_timer.start()

    def fit_height(self, *_args: Any) -> None:
        """As tall as its rows (up to max_rows), so none hides behind a scroll bar."""
        if self.max_rows > 0:
            fit_list_height(self, self.max_rows)

    def resizeEvent(self, event: Any) -> None:
        old_width = event.oldSize().width()
        super().resizeEvent(event)
        self._sync_timer.start()
        if old_width != event.size().width():
            QTimer.singleShot(0, self, self.fit_height)  # after the rows have been laid out anew

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentIndex().row()
        if row >= 0 and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated_row.emit(row)
            event.accept()
            return
        if row >= 0 and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit(row)
            event.accept()
            return
        super().keyPressEvent(event)


class DomainToggles(QWidget):
    """Five toggles, each with the domain's mark, name and colour."""

    changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)
        self.buttons: dict[str, QToolButton] = {}
        # The full names, or the short ones where the pane is too narrow for them (large text),
        # or the marks alone (large text on a 1024-pixel screen): the accessible name stays the
        # full one, which begins with what is shown, and the tooltip says it too.
        self._labels: tuple[dict[str, str], ...] = ({}, {}, {})
        # Chosen once the resize or the new text size has settled, never from inside it: asking
        # the buttons' sizes while the application swaps its style and fonts (Large text) is
        # not safe, and a label chosen mid-resize would resize the row again.
        self._choose_labels_soon = QTimer(self, singleShot=True, interval=0)
        self._choose_labels_soon.timeout.connect(self._choose_labels)
        for domain in DOMAINS:
            name = self.tr(domain.name)
            self._labels[0][domain.slug] = f"{domain.mark}   {name}"
            self._labels[1][domain.slug] = f"{domain.mark}   {self.tr(domain.short)}"
            self._labels[2][domain.slug] = domain.mark
            button = domain_toggle(domain, name, "domainToggle", f"{domain.mark}   {name}",
                                   self.tr("Domain: %s") % name,
                                   self.tr("This priority is about %s") % name.lower(), edge=10)
            button.toggled.connect(self._emit)
            layout.addWidget(button)
            self.buttons[domain.slug] = button
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _widest(self, level: int) -> int:
        """The widest toggle's width with the full names (0), the short ones (1) or the marks (2)."""
        return max(button.sizeHint().width() - button.fontMetrics().horizontalAdvance(button.text())
                   + button.fontMetrics().horizontalAdvance(self._labels[level][slug])
                   for slug, button in self.buttons.items())

    def minimumSizeHint(self) -> QSize:
        # Never wider than the marks need: the pane beside the priorities must not be pushed
        # past the window's edge.
        return QSize(self._widest(2), super().minimumSizeHint().height())

    def _choose_labels(self) -> None:
        level = next((level for level in (0, 1) if self.width() >= self._widest(level)), 2)
        for slug, button in self.buttons.items():
            if button.text() != self._labels[level][slug]:
                button.setText(self._labels[level][slug])

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._choose_labels_soon.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
            self._choose_labels_soon.start()

    def selected(self) -> list[str]:
        return [slug for slug, button in self.buttons.items() if button.isChecked()]

    def set_selected(self, slugs: list[str]) -> None:
        for slug, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(slug in slugs)
            button.blockSignals(False)

    def _emit(self, *_args: Any) -> None:
        self.changed.emit(self.selected())


class TitleDelegate(QStyledItemDelegate):
    """The inline title editor: refuses as the detail field does, and feeds the suggestions."""

    typing = Signal(str)

    def __init__(self, run_edit: Callable[[Callable[[], bool]], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        # The title wraps in the room it is painted in: the cell less the style sheet's padding.
        # Qt wraps the size hint's text at the whole cell width, so a title that only just fitted
        # got a row one line short and was cut to "The council never asks us before …".
        narrowed = QStyleOptionViewItem(option)
        self.initStyleOption(narrowed, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        painted = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, narrowed, widget)
        if painted.isValid() and 0 < painted.width() < option.rect.width():
            narrowed.rect.setWidth(painted.width())
        return super().sizeHint(narrowed, index)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Any) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(PRIORITY_TITLE_MAX)
        editor.setAccessibleName(self.tr("Priority title"))
        editor.textEdited.connect(self.typing)
        return editor

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        if isinstance(editor, QLineEdit):
            text = editor.text()
            self._run_edit(lambda: model.setData(index, text, Qt.ItemDataRole.EditRole))


class PriorityTableView(QTableView):
    """The ranking. + and − vote, Delete deletes, Ctrl+Up / Ctrl+Down move, rows drag to a new
    place; F2 or a double click edits the title in place."""

    vote_requested = Signal(int)
    delete_requested = Signal()
    move_requested = Signal(int)

    # The narrow columns' widths at the normal text size; with larger text they follow it.
    NARROW_COLUMNS = {PriorityTableModel.VOTES: 66, PriorityTableModel.DOMAINS: 84,
                      PriorityTableModel.GROUP: 88}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the buttons; arrows move inside
        self.setObjectName("priorityTable")
        self.setAccessibleName(self.tr("Priorities, in the group's ranking"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The vertical header is the rank: 1, 2, 3 … follow the rows wherever they move.
        ranks = self.verticalHeader()
        ranks.setObjectName("rankHeader")
        ranks.setMinimumWidth(40)
        # Rows are as tall as their wrapped titles. Qt's ResizeToContents does not follow the
        # title column's width, so the rows are fitted here whenever that or the data changes.
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(0)
        self._fit_rows_timer.timeout.connect(self.resizeRowsToContents)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._fit_rows_timer.start())
        ranks.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        ranks.setHighlightSections(False)
        self.horizontalHeader().setHighlightSections(False)

    def fit_columns(self) -> None:
        """Make the narrow columns wide enough for their (bold) headings at the current size."""
        if self.model() is None:
            return
        for column, normal in self.NARROW_COLUMNS.items():
            self.horizontalHeader().resizeSection(column, max(normal, heading_width(self, column)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # "Large text for a projector" and back
            self.fit_columns()

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(lambda *_: self._fit_rows_timer.start())
        model.rowsInserted.connect(lambda _parent, first, last: self._fit_rows(first, last))
        model.rowsMoved.connect(self._fit_moved_rows)
        model.dataChanged.connect(self._fit_changed_rows)  # a vote or a title: just those rows
        self._fit_rows_timer.start()

    def _fit_rows(self, first: int, last: int) -> None:
        if self._fit_rows_timer.isActive():
            return  # every row is about to be fitted anyway
        for row in range(max(0, first), min(last + 1, self.model().rowCount())):
            self.resizeRowToContents(row)

    def _fit_moved_rows(self, _parent: QModelIndex, start: int, end: int, _dest: QModelIndex, row: int) -> None:
        self._fit_rows(min(start, row), max(end, row))

    def _fit_changed_rows(self, top_left: QModelIndex, bottom_right: QModelIndex, *_roles: Any) -> None:
        if top_left.column() == bottom_right.column() == PriorityTableModel.VOTES:
            return  # only counts changed (phone votes in a burst): a count never wraps, the height stays
        self._fit_rows(top_left.row(), bottom_right.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if self.state() != QAbstractItemView.State.EditingState:
            if control and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
                event.accept()
                return
            if not control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.vote_requested.emit(1)
                event.accept()
                return
            if not control and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
                self.vote_requested.emit(-1)
                event.accept()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_requested.emit()
                event.accept()
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        # When narrow, the title needs the room more than the table column, which the detail
        # panel shows anyway ("narrow" grows with the text: large text needs more room).
        from nrp_desktop.ui.theme import BODY_POINT_SIZE

        scale = max(1.0, self.font().pointSizeF() / BODY_POINT_SIZE)
        self.setColumnHidden(PriorityTableModel.GROUP, self.viewport().width() < NARROW_TABLE_PX * scale)
        # Narrower still, the domains' marks too (the details' toggles show them): the titles
        # would otherwise wrap a word to a line, and not one row would fit in view.
        self.setColumnHidden(PriorityTableModel.DOMAINS, self.viewport().width() < VERY_NARROW_TABLE_PX * scale)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        # The model moves the row itself when it is dropped (one undoable move), so unlike
        # QAbstractItemView's own drag nothing is removed afterwards.
        indexes = [index for index in self.selectedIndexes() if index.column() == 0]
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.exec(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:
        model = self.model()
        position = event.position().toPoint()
        index = self.indexAt(position)
        if index.isValid():
            row = index.row() + (1 if position.y() > self.visualRect(index).center().y() else 0)
        else:
            row = model.rowCount()
        if model.dropMimeData(event.mimeData(), Qt.DropAction.MoveAction, row, 0, QModelIndex()):
            event.acceptProposedAction()
        else:
            event.ignore()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()


class ActionDelegate(QStyledItemDelegate):
    def __init__(self, run_edit: Callable[[Callable[[], bool]], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Any) -> QWidget:
        editor = QLineEdit(parent)
        editor.setMaxLength(ACTION_WHAT_MAX if index.column() == 0 else SHORT_TEXT_MAX)
        editor.setAccessibleName(ActionListModel.NAMES[index.column()])
        return editor

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        if isinstance(editor, QLineEdit):
            text = editor.text()
            self._run_edit(lambda: model.setData(index, text, Qt.ItemDataRole.EditRole))
