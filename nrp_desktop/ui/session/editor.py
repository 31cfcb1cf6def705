"""The "Workshop session" screen: record what the group decides, live, with nothing lost.

The facilitator types priorities as the room agrees them, counts dot votes, ranks, adds actions
and links lessons. Every change is one undoable command written at once through the
`SessionStore` (see session_models.py); there is no Save button. Typing in a text field is
written a moment after the last key (and when the field is left), and a run of typing in one
field is one undo step.

Refused input (an empty title, text over its limit, a pasted megabyte) is said in plain words
right under the field it concerns, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QMimeData,
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
    QKeySequence,
    QPainter,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.domains import DOMAINS
from nrp_desktop.domain.session import (
    ACTION_WHAT_MAX,
    GROUP_NAME_MAX,
    PARTICIPANTS_MAX,
    PRIORITY_TEXT_MAX,
    PRIORITY_TITLE_MAX,
    SESSION_NOTES_MAX,
    SESSION_TITLE_MAX,
    SHORT_TEXT_MAX,
    VOTES_MAX,
    Action,
    Priority,
    Session,
)
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.services.examples import example_session
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.screen import Screen, ScreenContext
from nrp_desktop.ui.session.document import (
    ActionListModel,
    LessonFilterProxy,
    LessonLinkModel,
    LessonPickerModel,
    PriorityTableModel,
    Role,
    SessionDocument,
    SessionListModel,
    SuggestionModel,
    default_session_title,
    votes_text,
)
from nrp_desktop.ui.session.projector import ProjectorView, ProjectorWindow
from nrp_desktop.ui.widgets import (
    COMPACT_PAGE_MARGINS,
    ElidingComboBox,
    heading_width,
    page_layout,
    set_up_list_view,
    text_label,
)
from nrp_desktop.ui.widgets.delegates import PADDING, RichTextDelegate
from nrp_desktop.ui.widgets.flow_layout import FlowLayout
from nrp_desktop.ui.widgets.plain_text import ask, plain_tooltip

NARROW_TABLE_PX = 480  # below this the table hides its "Table" column
TYPING_DELAY_MS = 400  # typing is written this long after the last key (and when the field is left)
SUGGEST_DELAY_MS = 40  # suggestions follow the typing almost at once, skipping bursts of keys
SUGGESTION_LIMIT = 5
LANGUAGES = ("en", "ur", "ar", "pl", "bn", "pa", "so", "ro", "cy", "fr")
NO_TABLE = "— no table —"


# ------------------------------------------------------------------------------------------------
# Small parts


class FieldMessage(QLabel):
    """A refusal said in plain words under the field it concerns (never a dialog)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldMessage")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
        # Inside a scrolled panel, bring the message into view (after the layout has room for it).
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            area = parent
            QTimer.singleShot(0, self, lambda: area.ensureWidgetVisible(self) if self.isVisible() else None)

    def clear_message(self) -> None:
        if self.isVisibleTo(self.parentWidget()) or self.text():
            self.setText("")
            self.hide()

    @property
    def message(self) -> str:
        return self.text() if not self.isHidden() else ""


def _too_long_message(what: str, length: int, limit: int) -> str:
    return (f"That is too long to paste into {what}: {length:,} characters, and it holds at most "
            f"{limit:,}. Nothing was pasted.")


class LimitedLineEdit(QLineEdit):
    """A line that holds at most `limit` characters and refuses, with a message, a paste that
    would not fit (rather than cutting it short unseen)."""

    refused = Signal(str)

    def __init__(self, limit: int, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.what = what
        # One over the limit: a paste that slips past the checks below (the context menu's)
        # is then seen to be too long and refused, instead of being cut short unseen.
        self.setMaxLength(limit + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste) and self._paste_too_long():
            event.accept()
            return
        super().keyPressEvent(event)

    def _paste_too_long(self) -> bool:
        pasted = QApplication.clipboard().text()
        length = len(self.text()) - len(self.selectedText()) + len(pasted)
        if length > self.limit:
            self.refused.emit(_too_long_message(self.what, len(pasted), self.limit))
            return True
        return False

    def paste(self) -> None:  # the context menu's Paste and direct calls
        if not self._paste_too_long():
            super().paste()


class LimitedTextEdit(QPlainTextEdit):
    """Plain text of at most `limit` characters; a paste that would not fit is refused whole."""

    refused = Signal(str)

    def __init__(self, limit: int, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.what = what
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field

    def insertFromMimeData(self, source: QMimeData) -> None:
        pasted = source.text() if source.hasText() else ""
        selected = len(self.textCursor().selectedText())
        length = len(self.toPlainText()) - selected + len(pasted)
        if length > self.limit:
            self.refused.emit(_too_long_message(self.what, len(pasted), self.limit))
            return
        super().insertFromMimeData(source)


def _set_text_quietly(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Show a stored value without treating it as typing; leave the field alone when it already
    says the same (so a trimmed save never jumps the cursor while someone types)."""
    current = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    if current.strip() == text.strip():
        return
    widget.blockSignals(True)
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)
    widget.blockSignals(False)


def _fit_list_height(view: QListView, max_rows: int, min_rows: int = 1) -> None:
    """Make a short list as tall as its rows (up to max_rows), so no scrolling hides one."""
    model = view.model()
    rows = model.rowCount() if model is not None else 0
    height = 0
    for row in range(min(rows, max_rows)):
        height += max(view.sizeHintForRow(row), 24)
    if rows < min_rows:
        height += 56 * (min_rows - rows)
    view.setFixedHeight(height + 2 * view.frameWidth() + 4)


class ButtonRowDelegate(RichTextDelegate):
    """A row of rich text with a one-click button at its end (the text comes from the model's
    BUTTON_TEXT role). Enter on the row does the same, for the keyboard."""

    clicked = Signal(int)  # the row whose button was clicked
    BUTTON_MIN_WIDTH = 88

    def _button_rect(self, rect: QRect, text: str, font: QFont) -> QRect:
        metrics = QFontMetrics(font)
        width = max(self.BUTTON_MIN_WIDTH, metrics.horizontalAdvance(text) + 28)
        height = metrics.height() + 16
        return QRect(rect.right() - width - PADDING, rect.top() + PADDING, width, height)

    def button_rect(self, view: QListView, row: int) -> QRect:
        """Where the button of `row` is, in the view's viewport (for tests and hit tests)."""
        index = view.model().index(row, 0)
        return self._button_rect(view.visualRect(index), index.data(Role.BUTTON_TEXT) or "", view.font())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        text = index.data(Role.BUTTON_TEXT) or ""
        button = self._button_rect(option.rect, text, option.font)
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = QRect(option.rect)
        super().paint(painter, narrowed, index)  # text wraps short of the button (see _document)
        enabled = bool(index.data(Role.BUTTON_ENABLED))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#5C5C55" if enabled else "#B5B5AC"), 2))
        painter.setBrush(QColor("#FFFFFF" if enabled else "#EDEDE6"))
        painter.drawRoundedRect(button.adjusted(1, 1, -1, -1), 6, 6)
        font = QFont(option.font)
        font.setBold(enabled)
        painter.setFont(font)
        painter.setPen(QColor("#1A1A1A" if enabled else "#4D4D48"))
        painter.drawText(button, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def _document(self, option: QStyleOptionViewItem, index: Any, width: int) -> Any:
        text = index.data(Role.BUTTON_TEXT) or ""
        reserve = self._button_rect(QRect(0, 0, width, 10), text, option.font).width() + 2 * PADDING
        return super()._document(option, index, width - reserve)

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        hint = super().sizeHint(option, index)
        button_height = QFontMetrics(option.font).height() + 16 + 2 * PADDING
        return QSize(hint.width(), max(hint.height(), button_height))

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Any) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                    QEvent.Type.MouseButtonDblClick):
            button = self._button_rect(option.rect, index.data(Role.BUTTON_TEXT) or "", option.font)
            if button.contains(event.position().toPoint()):
                if (kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton
                        and index.data(Role.BUTTON_ENABLED)):
                    self.clicked.emit(index.row())
                return True  # the button's own click; the row is not selected or opened
        return super().editorEvent(event, model, option, index)


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
        self.setItemDelegate(self.button_delegate)
        self.max_rows = 3

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.fit_height)
        self.fit_height()

    def fit_height(self, *_args: Any) -> None:
        """As tall as its rows (up to max_rows), so none hides behind a scroll bar."""
        if self.max_rows > 0:
            _fit_list_height(self, self.max_rows)

    def resizeEvent(self, event: Any) -> None:
        old_width = event.oldSize().width()
        super().resizeEvent(event)
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
        for domain in DOMAINS:
            button = QToolButton()
            button.setObjectName("domainToggle")
            button.setCheckable(True)
            button.setText(f"{domain.mark}   {self.tr(domain.name)}")
            button.setAccessibleName(self.tr("Domain: %s") % self.tr(domain.name))
            button.setToolTip(self.tr("This priority is about %s") % self.tr(domain.name).lower())
            button.setStyleSheet(f"QToolButton#domainToggle {{ border-left: 10px solid {domain.colour}; }}")
            button.toggled.connect(self._emit)
            layout.addWidget(button)
            self.buttons[domain.slug] = button
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def selected(self) -> list[str]:
        return [slug for slug, button in self.buttons.items() if button.isChecked()]

    def set_selected(self, slugs: list[str]) -> None:
        for slug, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(slug in slugs)
            button.blockSignals(False)

    def _emit(self, *_args: Any) -> None:
        self.changed.emit(self.selected())


class _TitleDelegate(QStyledItemDelegate):
    """The inline title editor: refuses as the detail field does, and feeds the suggestions."""

    typing = Signal(str)

    def __init__(self, run_edit: Callable[[Callable[[], bool]], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit

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
        # panel shows anyway.
        self.setColumnHidden(PriorityTableModel.GROUP, self.viewport().width() < NARROW_TABLE_PX)

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


# ------------------------------------------------------------------------------------------------
# The detail panel of one priority


class PriorityDetail(QWidget):
    """Title, suggested and linked lessons, domains, table, description and notes; actions; and
    a searchable list to link any lesson by hand."""

    title_typing = Signal(str)
    open_link_requested = Signal(str)

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self.priority_id: str | None = None
        self._pending: dict[tuple[str, str], str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("About the chosen priority"))
        self.tabs.addTab(self._build_details_tab(), self.tr("Priority"))
        self.tabs.addTab(self._build_actions_tab(), self.tr("Actions"))
        self.tabs.addTab(self._build_lessons_tab(), self.tr("Find a lesson"))
        self.tabs.setUsesScrollButtons(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.document.priority_changed.connect(self._on_priority_changed)
        self.document.groups_changed.connect(self._fill_groups)

    # Building ---------------------------------------------------------------------------------

    def _build_details_tab(self) -> QWidget:
        self.title_field = LimitedLineEdit(PRIORITY_TITLE_MAX, self.tr("a title"))
        self.title_field.setObjectName("priorityTitle")
        self.title_field.setAccessibleName(self.tr("Title of the chosen priority"))
        self.title_field.textEdited.connect(lambda text: self._typed("title", text))
        self.title_field.textEdited.connect(self.title_typing)
        self.title_field.editingFinished.connect(self.flush)
        self.title_message = FieldMessage()
        self.title_field.refused.connect(self.title_message.show_message)

        self.suggestion_heading = text_label(self.tr("Lessons that fit, best first"), "sectionLabel")
        self.suggestion_view = ButtonRowList(self.tr("Lessons that fit this priority"))
        self.suggestion_empty = text_label("", "hint")
        self.linked_view = ButtonRowList(self.tr("Lessons linked to this priority"))
        self.linked_view.max_rows = 4
        self.linked_view.setModel(self.editor.linked_model)
        self.linked_view.button_delegate.clicked.connect(self._unlink_row)
        self.linked_view.delete_pressed.connect(self._unlink_row)
        self.linked_view.activated_row.connect(self._open_linked_row)
        self.linked_view.doubleClicked.connect(lambda index: self._open_linked_row(index.row()))
        self.linked_empty = text_label(
            self.tr("None linked yet: link a lesson above, or find one in “Find a lesson”."), "hint")
        self.lessons_message = FieldMessage()

        self.domains = DomainToggles()
        self.domains.changed.connect(self._domains_changed)
        self.domains_message = FieldMessage()

        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(self.tr("Which table raised it"))
        self.group_combo.activated.connect(self._group_chosen)
        self.group_message = FieldMessage()

        self.description_field = LimitedTextEdit(PRIORITY_TEXT_MAX, self.tr("the description"))
        self.description_field.setAccessibleName(self.tr("Description: what the group said about it"))
        self.description_field.setPlaceholderText(self.tr("What the group said about it, in their words"))
        self.description_field.setFixedHeight(88)
        self.description_field.textChanged.connect(
            lambda: self._typed("description", self.description_field.toPlainText()))
        self.description_message = FieldMessage()
        self.description_field.refused.connect(self.description_message.show_message)

        self.notes_field = LimitedTextEdit(PRIORITY_TEXT_MAX, self.tr("the notes"))
        self.notes_field.setAccessibleName(self.tr("Facilitator's notes on this priority"))
        self.notes_field.setPlaceholderText(self.tr("Anything to remember about it"))
        self.notes_field.setFixedHeight(88)
        self.notes_field.textChanged.connect(lambda: self._typed("notes", self.notes_field.toPlainText()))
        self.notes_message = FieldMessage()
        self.notes_field.refused.connect(self.notes_message.show_message)
        for field in (self.description_field, self.notes_field):
            field.installEventFilter(self)

        body = QWidget()
        body.setObjectName("detailBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(text_label(self.tr("Title"), "sectionLabel", buddy=self.title_field))
        layout.addWidget(self.title_field)
        layout.addWidget(self.title_message)
        layout.addWidget(self.suggestion_heading)
        layout.addWidget(self.suggestion_view)
        layout.addWidget(self.suggestion_empty)
        layout.addWidget(text_label(self.tr("Linked lessons (these go on the handout)"), "sectionLabel"))
        layout.addWidget(self.linked_view)
        layout.addWidget(self.linked_empty)
        layout.addWidget(self.lessons_message)
        layout.addWidget(text_label(self.tr("Domains"), "sectionLabel"))
        layout.addWidget(self.domains)
        layout.addWidget(self.domains_message)
        layout.addWidget(text_label(self.tr("Which table raised it"), "sectionLabel", buddy=self.group_combo))
        layout.addWidget(self.group_combo)
        layout.addWidget(self.group_message)
        layout.addWidget(text_label(self.tr("Description"), "sectionLabel", buddy=self.description_field))
        layout.addWidget(self.description_field)
        layout.addWidget(self.description_message)
        layout.addWidget(text_label(self.tr("Notes"), "sectionLabel", buddy=self.notes_field))
        layout.addWidget(self.notes_field)
        layout.addWidget(self.notes_message)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.details_scroll = scroll
        return scroll

    def show_suggestions(self) -> None:
        """Bring the suggestions into view (while a new priority is typed on the left)."""
        self.tabs.setCurrentIndex(0)
        self.details_scroll.verticalScrollBar().setValue(0)

    def _build_actions_tab(self) -> QWidget:
        self._actions_message = FieldMessage()
        self.action_model = ActionListModel(self.document, self)
        self.action_view = QTableView()
        self.action_view.setObjectName("actionTable")
        self.action_view.setAccessibleName(self.tr("Actions: what needs doing, who, by when"))
        self.action_view.setModel(self.action_model)
        self.action_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.action_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.action_view.setWordWrap(True)
        self.action_view.verticalHeader().hide()
        self.action_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.action_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 96)
        header.resizeSection(2, 84)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.action_view.setItemDelegate(_ActionDelegate(self.editor.run_edit_at(self._actions_message), self))
        self.action_model.modelReset.connect(self._update_action_tab_title)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.action_view, self.remove_selected_action,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self.what_field = LimitedLineEdit(ACTION_WHAT_MAX, self.tr("“What needs doing”"))
        self.what_field.setAccessibleName(self.tr("New action: what needs doing"))
        self.what_field.setPlaceholderText(self.tr("What needs doing"))
        self.who_field = LimitedLineEdit(SHORT_TEXT_MAX, self.tr("“Who”"))
        self.who_field.setAccessibleName(self.tr("New action: who will do it"))
        self.who_field.setPlaceholderText(self.tr("Who (a role or a team, no need for names)"))
        self.when_field = LimitedLineEdit(SHORT_TEXT_MAX, self.tr("“By when”"))
        self.when_field.setAccessibleName(self.tr("New action: by when"))
        self.when_field.setPlaceholderText(self.tr("By when"))
        for field in (self.what_field, self.who_field, self.when_field):
            field.returnPressed.connect(self.add_action)
            field.refused.connect(lambda text: self._actions_message.show_message(text))
        self.add_action_button = QPushButton(self.tr("Add action"))
        self.add_action_button.setObjectName("primary")
        self.add_action_button.setAccessibleName(self.tr("Add this action to the priority"))
        self.add_action_button.clicked.connect(self.add_action)
        self.remove_action_button = QPushButton(self.tr("Remove action"))
        self.remove_action_button.setAccessibleName(self.tr("Remove the selected action"))
        self.remove_action_button.setToolTip(self.tr("Remove the selected action (Delete)"))
        self.remove_action_button.clicked.connect(self.remove_selected_action)

        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)
        form.addWidget(self.what_field, 0, 0, 1, 2)
        form.addWidget(self.who_field, 1, 0)
        form.addWidget(self.when_field, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_action_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_action_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(text_label(self.tr("What will happen next, who will do it, and by when. "
                                        "Double-click an action to change it."), "hint"))
        layout.addWidget(self.action_view, 1)
        from nrp_desktop.ui.session.action_state import ActionStateBar

        self.action_state = ActionStateBar(self.document, self.action_view, self.action_model,
                                           self.editor.run_edit_at(self._actions_message))
        layout.addWidget(self.action_state)
        layout.addWidget(self._actions_message)
        layout.addWidget(text_label(self.tr("A new action"), "sectionLabel"))
        layout.addLayout(form)
        layout.addLayout(buttons)
        return page

    def _build_lessons_tab(self) -> QWidget:
        self.lesson_filter = QLineEdit()
        self.lesson_filter.setObjectName("lessonFilter")
        self.lesson_filter.setClearButtonEnabled(True)
        self.lesson_filter.setAccessibleName(self.tr("Find a lesson"))
        self.lesson_filter.setPlaceholderText(self.tr("Type to find a lesson: a word, a number or a neighbourhood"))
        self.lesson_filter.textChanged.connect(self.editor.lesson_proxy.set_filter_text)
        self.picker_view = ButtonRowList(self.tr("All lessons"))
        self.picker_view.max_rows = 0  # a full list that scrolls
        self.picker_view.setModel(self.editor.lesson_proxy)
        self.picker_view.button_delegate.clicked.connect(self._link_picked_row)
        self.picker_view.activated_row.connect(self._link_picked_row)
        self.picker_view.doubleClicked.connect(
            lambda index: self.open_link_requested.emit(index.data(Role.LINK)))
        self.picker_message = FieldMessage()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(text_label(self.tr("Link any lesson by hand: it goes on the handout with this priority. "
                                        "Double-click a lesson to read it in the library."), "hint"))
        layout.addWidget(self.lesson_filter)
        layout.addWidget(self.picker_view, 1)
        layout.addWidget(self.picker_message)
        return page

    # Showing a priority ---------------------------------------------------------------------------

    def show_priority(self, priority_id: str | None) -> None:
        self.flush()
        for message in self.messages():
            message.clear_message()
        self.priority_id = priority_id
        self.action_model.set_priority(priority_id)
        self.editor.linked_model.set_priority(priority_id)
        self.setEnabled(priority_id is not None)
        self._fill_groups()
        self._refresh(force=True)

    def messages(self) -> list[FieldMessage]:
        return [self.title_message, self.lessons_message, self.domains_message, self.group_message,
                self.description_message, self.notes_message, self._actions_message, self.picker_message]

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            self._refresh()

    def _refresh(self, force: bool = False) -> None:
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        if priority is None:
            for field in (self.title_field, self.description_field, self.notes_field):
                field.blockSignals(True)
                field.clear()
                field.blockSignals(False)
            self.domains.set_selected([])
            self._update_lists()
            return
        for field, name in ((self.title_field, "title"), (self.description_field, "description"),
                            (self.notes_field, "notes")):
            if force or (self.priority_id, name) not in self._pending:
                if force:
                    field.blockSignals(True)
                    if isinstance(field, QLineEdit):
                        field.setText(getattr(priority, name))
                        field.setCursorPosition(0)
                    else:
                        field.setPlainText(getattr(priority, name))
                    field.blockSignals(False)
                else:
                    _set_text_quietly(field, getattr(priority, name))
        self.domains.set_selected(priority.domains)
        self._select_group(priority.group)
        self._update_lists()

    def _update_lists(self) -> None:
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        linked = priority.lessons if priority else []
        self.linked_empty.setVisible(not linked)
        self.linked_view.setVisible(bool(linked))
        self.linked_view.fit_height()
        self.editor.lesson_picker.set_linked(linked)
        self._update_action_tab_title()

    def _update_action_tab_title(self) -> None:
        count = self.action_model.rowCount()
        self.tabs.setTabText(1, self.tr("Actions (%d)") % count if count else self.tr("Actions"))

    def _fill_groups(self) -> None:
        session = self.document.session
        groups = session.groups if session else []
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr(NO_TABLE), None)
        for name in groups:
            self.group_combo.addItem(name, name)
        self.group_combo.blockSignals(False)
        priority = self.document.priority(self.priority_id) if self.priority_id else None
        self._select_group(priority.group if priority else None)
        self.group_combo.setEnabled(bool(groups))
        self.group_combo.setToolTip("" if groups else self.tr("Add the tables in “Session details” first"))

    def _select_group(self, group: str | None) -> None:
        index = self.group_combo.findData(group) if group is not None else 0
        self.group_combo.blockSignals(True)
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)

    # Editing --------------------------------------------------------------------------------------

    def _typed(self, field: str, text: str) -> None:
        if self.priority_id is None:
            return
        widget_limit = PRIORITY_TITLE_MAX if field == "title" else PRIORITY_TEXT_MAX
        message = self._message_for(field)
        if len(text.strip()) > widget_limit:
            message.show_message(
                self.tr("This is %1 characters; the most it can hold is %2. It is not saved until it fits.")
                .replace("%1", f"{len(text.strip()):,}").replace("%2", f"{widget_limit:,}"))
            self._pending.pop((self.priority_id, field), None)
            return
        self._pending[(self.priority_id, field)] = text
        self._timer.start()

    def _message_for(self, field: str) -> FieldMessage:
        return {"title": self.title_message, "description": self.description_message,
                "notes": self.notes_message}[field]

    def flush(self) -> None:
        """Write what has been typed and not yet written."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for (priority_id, field), text in pending.items():
            if self.document.priority(priority_id) is None:
                continue
            message = self._message_for(field) if priority_id == self.priority_id else None
            self.editor.run_edit(lambda p=priority_id, f=field, t=text: self.document.edit_priority_text(p, f, t),
                                 message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in (self.description_field, self.notes_field):
            self.flush()
        return super().eventFilter(watched, event)

    def _domains_changed(self, domains: list[str]) -> None:
        if self.priority_id is None:
            return
        if not self.editor.run_edit(lambda: self.document.set_priority_domains(self.priority_id, domains),
                                    self.domains_message):
            self._refresh()
        self.editor.schedule_suggestions()

    def _group_chosen(self, _row: int) -> None:
        if self.priority_id is not None:
            group = self.group_combo.currentData()
            if not self.editor.run_edit(lambda: self.document.set_priority_group(self.priority_id, group),
                                        self.group_message):
                self._refresh()

    def add_action(self) -> bool:
        if self.priority_id is None:
            return False
        action = Action(self.what_field.text(), self.who_field.text(), self.when_field.text())
        if not action.what.strip():
            self._actions_message.show_message(self.tr("Say what needs doing first (who and when can wait)."))
            self.what_field.setFocus()
            return False
        if self.editor.run_edit(lambda: self.document.add_action(self.priority_id, action), self._actions_message):
            for field in (self.what_field, self.who_field, self.when_field):
                field.clear()
            self.what_field.setFocus()
            return True
        return False

    def remove_selected_action(self) -> bool:
        row = self.action_view.currentIndex().row()
        if self.priority_id is None or row < 0:
            self._actions_message.show_message(self.tr("Choose the action to remove first."))
            return False
        return self.editor.run_edit(lambda: self.document.remove_action(self.priority_id, row),
                                    self._actions_message)

    def _unlink_row(self, row: int) -> None:
        if self.priority_id is None or not 0 <= row < self.editor.linked_model.rowCount():
            return
        slug = self.editor.linked_model.slug(row)
        lesson = self.editor.linked_model.lesson(row)
        self.editor.run_edit(
            lambda: self.document.unlink_lesson(self.priority_id, slug, lesson.title if lesson else ""),
            self.lessons_message)

    def _open_linked_row(self, row: int) -> None:
        if 0 <= row < self.editor.linked_model.rowCount():
            self.open_link_requested.emit(self.editor.linked_model.index(row).data(Role.LINK))

    def _link_picked_row(self, row: int) -> None:
        index = self.editor.lesson_proxy.index(row, 0)
        if self.priority_id is None or not index.isValid() or not index.data(Role.BUTTON_ENABLED):
            return
        slug = index.data(Role.SLUG)
        title = self.editor.lesson_picker.lesson(self.editor.lesson_proxy.mapToSource(index).row()).title
        self.editor.run_edit(lambda: self.document.link_lesson(self.priority_id, slug, title), self.picker_message)


class _ActionDelegate(QStyledItemDelegate):
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


# ------------------------------------------------------------------------------------------------
# Tally mode


class TallyPanel(QWidget):
    """Counting paper dots table by table: the counts for one table are added to the votes in
    one undoable step; ranking by votes is a separate choice."""

    finished = Signal()

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self.spin_boxes: dict[str, QSpinBox] = {}
        self.counted: list[str] = []

        heading = text_label(self.tr("Count the dots, table by table"), "panelTitle")
        explain = text_label(self.tr("Choose the table, type the dots counted on each priority, then add them. "
                                 "Each table is one step that Ctrl+Z can undo."), "hint")
        self.table_combo = QComboBox()
        self.table_combo.setAccessibleName(self.tr("The table whose dots you are counting"))
        self.rows_box = QWidget()
        self.rows_layout = QGridLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 8, 0)
        self.rows_layout.setHorizontalSpacing(12)
        self.rows_layout.setVerticalSpacing(8)
        self.rows_layout.setColumnStretch(0, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.rows_box)
        self.add_button = QPushButton(self.tr("Add to the votes"))
        self.add_button.setAccessibleName(self.tr("Add these dots to the votes"))
        self.add_button.setObjectName("primary")
        self.add_button.setProperty("big", True)
        self.add_button.clicked.connect(self.add_counts)
        self.rank_button = QPushButton(self.tr("Rank by votes"))
        self.rank_button.setAccessibleName(self.tr("Put the priorities in order of votes, most first"))
        self.rank_button.clicked.connect(self.editor.rank_by_votes)
        self.done_button = QPushButton(self.tr("Done counting"))
        self.done_button.clicked.connect(self.finished)
        self.message = FieldMessage()
        self.status = text_label("", "hint")

        buttons = QHBoxLayout()
        buttons.addWidget(self.rank_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        table_row = QHBoxLayout()
        table_row.addWidget(text_label(self.tr("Table:"), buddy=self.table_combo))
        table_row.addWidget(self.table_combo, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(table_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.add_button)
        layout.addLayout(buttons)

        self._rows_stale = True
        self.document.groups_changed.connect(self._fill_tables)
        self.document.session_opened.connect(self._on_session_opened)
        self.document.priorities_changed.connect(self._priorities_changed)

    def _priorities_changed(self) -> None:
        # Rebuilt only while counting is on screen: every vote elsewhere must stay quick.
        if self.isVisible():
            self._rebuild_rows()
        else:
            self._rows_stale = True

    def showEvent(self, event: Any) -> None:
        if self._rows_stale:
            self._rebuild_rows()
        super().showEvent(event)

    def _on_session_opened(self, _session: object) -> None:
        self.counted = []
        self.status.clear()
        self._fill_tables()
        self._rebuild_rows()

    def _fill_tables(self) -> None:
        session = self.document.session
        current = self.table_combo.currentText()
        self.table_combo.clear()
        for name in session.groups if session else []:
            self.table_combo.addItem(name)
        self.table_combo.addItem(self.tr("The whole room"))
        # Stay on the table being counted; otherwise start with the first table.
        found = self.table_combo.findText(current) if session and current in session.groups else 0
        self.table_combo.setCurrentIndex(max(0, found))

    def _rebuild_rows(self) -> None:
        self._rows_stale = False
        kept = {priority_id: box.value() for priority_id, box in self.spin_boxes.items()}
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.spin_boxes = {}
        for row, priority in enumerate(self.document.priorities_in_order()):
            label = QLabel(f"{row + 1}. {priority.title}")
            label.setObjectName("tallyTitle")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            now = QLabel(self.tr("now %s; dots at this table:") % votes_text(priority.votes))
            now.setObjectName("hint")
            now.setWordWrap(True)
            now.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            box = QSpinBox()
            box.setObjectName("tallyCount")
            box.setRange(0, VOTES_MAX)
            box.setValue(kept.get(priority.id, 0))
            box.setAccessibleName(self.tr("Dots for %s") % priority.title)
            box.setMinimumWidth(88)
            label.setBuddy(box)
            self.rows_layout.addWidget(label, 2 * row, 0, 1, 2)
            self.rows_layout.addWidget(now, 2 * row + 1, 0)
            self.rows_layout.addWidget(box, 2 * row + 1, 1)
            self.spin_boxes[priority.id] = box
        self.rows_layout.setRowStretch(2 * len(self.spin_boxes), 1)

    def set_count(self, priority_id: str, dots: int) -> None:
        if self._rows_stale:
            self._rebuild_rows()
        self.spin_boxes[priority_id].setValue(dots)

    def add_counts(self) -> bool:
        for box in self.spin_boxes.values():
            box.interpretText()
        counts = {priority_id: box.value() for priority_id, box in self.spin_boxes.items() if box.value()}
        table = self.table_combo.currentText() or self.tr("the whole room")
        if not counts:
            self.message.show_message(self.tr("Type the dots counted on at least one priority first."))
            return False
        if not self.editor.run_edit(lambda: self.document.add_tally(counts, table), self.message):
            return False
        dots = sum(counts.values())
        if table not in self.counted:
            self.counted.append(table)
        self.status.setText(self.tr("Added %1 dots from %2. Counted so far: %3.").replace("%1", str(dots))
                            .replace("%2", table).replace("%3", ", ".join(self.counted)))
        for box in self.spin_boxes.values():
            box.setValue(0)
        next_index = self.table_combo.currentIndex() + 1
        if next_index < self.table_combo.count() - 1:  # on to the next table (not "the whole room")
            self.table_combo.setCurrentIndex(next_index)
        return True


# ------------------------------------------------------------------------------------------------
# Session details


class SessionDetailsForm(QWidget):
    """Title, date, venue, neighbourhood, facilitator, head count, language, notes and tables."""

    def __init__(self, editor: SessionEditor) -> None:
        super().__init__()
        self.editor = editor
        self.document = editor.document
        self._pending: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.messages: dict[str, FieldMessage] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(16)

        def add_row(label: str, field: QWidget, name: str, hint: str = "") -> None:
            message = FieldMessage()
            self.messages[name] = message
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(6)
            column.addWidget(field)
            if hint:
                # One line, unwrapped: QFormLayout gives wrapped labels too little height.
                hint_label = text_label(hint, "hint")
                hint_label.setWordWrap(False)
                column.addWidget(hint_label)
            column.addWidget(message)
            form.addRow(text_label(label, "formLabel", buddy=field), box)

        self.line_fields: dict[str, LimitedLineEdit] = {}
        for name, label, limit, placeholder in (
            ("title", self.tr("Title"), SESSION_TITLE_MAX,
             self.tr("For example: Residents' evening at the church hall")),
            ("venue", self.tr("Venue"), SHORT_TEXT_MAX, self.tr("Where you met")),
            ("neighbourhood", self.tr("Neighbourhood"), SHORT_TEXT_MAX, self.tr("The area the group lives in")),
            ("facilitator", self.tr("Facilitator"), SHORT_TEXT_MAX, self.tr("Who ran the session (a role is enough)")),
        ):
            field = LimitedLineEdit(limit, self.tr("the %s") % label.lower())
            field.setAccessibleName(self.tr("Session %s") % label.lower())
            field.setPlaceholderText(placeholder)
            field.textEdited.connect(lambda text, n=name: self._typed(n, text))
            field.editingFinished.connect(self.flush)
            self.line_fields[name] = field
            if name == "title":
                add_row(label, field, name)
                self.date_field = QDateEdit()
                self.date_field.setCalendarPopup(True)
                self.date_field.setDisplayFormat("d MMMM yyyy")
                self.date_field.setAccessibleName(self.tr("Date of the session"))
                self.date_field.dateChanged.connect(
                    lambda date: self._typed("date", dt.date(date.year(), date.month(), date.day())))
                add_row(self.tr("Date"), self.date_field, "date")
            else:
                add_row(label, field, name)
            field.refused.connect(self.messages[name].show_message)

        self.participants_field = QSpinBox()
        self.participants_field.setRange(-1, PARTICIPANTS_MAX)
        self.participants_field.setSpecialValueText(self.tr("Not counted"))
        self.participants_field.setObjectName("countField")
        self.participants_field.setMaximumWidth(200)
        self.participants_field.setAccessibleName(self.tr("Head count: how many took part"))
        self.participants_field.valueChanged.connect(
            lambda value: self._typed("participants", None if value < 0 else value))
        add_row(self.tr("Head count"), self.participants_field, "participants",
                self.tr("How many people took part: a number only, never names."))

        self.language_field = QComboBox()
        self.language_field.setEditable(True)
        self.language_field.addItems(LANGUAGES)
        self.language_field.setAccessibleName(self.tr("Language of the handout"))
        self.language_field.lineEdit().setMaxLength(35)
        self.language_field.lineEdit().editingFinished.connect(
            lambda: self._commit_now("language", self.language_field.currentText()))
        self.language_field.activated.connect(
            lambda _row: self._commit_now("language", self.language_field.currentText()))
        add_row(self.tr("Language"), self.language_field, "language",
                self.tr("The handout's language: en English, ur Urdu, ar Arabic, pl Polish."))

        self.notes_field = LimitedTextEdit(SESSION_NOTES_MAX, self.tr("the session notes"))
        self.notes_field.setAccessibleName(self.tr("Notes about the session"))
        self.notes_field.setFixedHeight(96)
        self.notes_field.textChanged.connect(lambda: self._typed("notes", self.notes_field.toPlainText()))
        self.notes_field.installEventFilter(self)
        add_row(self.tr("Notes"), self.notes_field, "notes")
        self.notes_field.refused.connect(self.messages["notes"].show_message)

        # Table groups.
        self.groups_list = QListWidget()
        self.groups_list.setObjectName("groupsList")
        self.groups_list.setAccessibleName(self.tr("Table groups in the room"))
        self.groups_list.setFixedHeight(120)
        self.group_field = LimitedLineEdit(GROUP_NAME_MAX, self.tr("a table name"))
        self.group_field.setAccessibleName(self.tr("Name of a new table group"))
        self.group_field.setPlaceholderText(self.tr("For example: Table 3, or Young people"))
        self.group_field.returnPressed.connect(self.add_group)
        self.add_group_button = QPushButton(self.tr("Add table"))
        self.add_group_button.clicked.connect(self.add_group)
        self.rename_group_button = QPushButton(self.tr("Rename…"))
        self.rename_group_button.setAccessibleName(self.tr("Rename the selected table"))
        self.rename_group_button.clicked.connect(self._ask_rename_group)
        self.remove_group_button = QPushButton(self.tr("Remove"))
        self.remove_group_button.setAccessibleName(self.tr("Remove the selected table"))
        self.remove_group_button.clicked.connect(self.remove_selected_group)
        groups_box = QWidget()
        groups_layout = QVBoxLayout(groups_box)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        groups_layout.setSpacing(6)
        groups_layout.addWidget(self.groups_list)
        add_row_layout = QHBoxLayout()
        add_row_layout.addWidget(self.group_field, 1)
        add_row_layout.addWidget(self.add_group_button)
        add_row_layout.addWidget(self.rename_group_button)
        add_row_layout.addWidget(self.remove_group_button)
        groups_layout.addLayout(add_row_layout)
        add_row(self.tr("Table groups"), groups_box, "groups",
                self.tr("The tables in the room, so each priority can say which one raised it."))
        self.group_field.refused.connect(self.messages["groups"].show_message)

        body = QWidget()
        body.setObjectName("detailBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.addLayout(form)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.document.session_opened.connect(lambda _session: self.refresh(force=True))
        self.document.fields_changed.connect(self.refresh)
        self.document.groups_changed.connect(self._fill_groups)

    def refresh(self, force: bool = False) -> None:
        session = self.document.session
        if force:
            self._timer.stop()
            self._pending.clear()
            for message in self.messages.values():
                message.clear_message()
        if session is None:
            return
        for name, field in self.line_fields.items():
            if name not in self._pending:
                _set_text_quietly(field, getattr(session, name))
        for widget, setter, value in (
            (self.date_field, self.date_field.setDate,
             QDate(session.date.year, session.date.month, session.date.day)),
            (self.participants_field, self.participants_field.setValue,
             -1 if session.participants is None else session.participants),
        ):
            widget.blockSignals(True)
            setter(value)
            widget.blockSignals(False)
        self.language_field.blockSignals(True)
        self.language_field.setCurrentText(session.language)
        self.language_field.blockSignals(False)
        if "notes" not in self._pending:
            _set_text_quietly(self.notes_field, session.notes)
        self._fill_groups()

    def _fill_groups(self) -> None:
        session = self.document.session
        current = self.groups_list.currentItem().text() if self.groups_list.currentItem() else None
        self.groups_list.clear()
        for name in session.groups if session else []:
            self.groups_list.addItem(name)
            if name == current:
                self.groups_list.setCurrentRow(self.groups_list.count() - 1)

    def _typed(self, name: str, value: Any) -> None:
        limit = {"title": SESSION_TITLE_MAX, "notes": SESSION_NOTES_MAX}.get(name, SHORT_TEXT_MAX)
        if isinstance(value, str) and len(value.strip()) > limit:
            self.messages[name].show_message(
                self.tr("This is %1 characters; the most it can hold is %2. It is not saved until it fits.")
                .replace("%1", f"{len(value.strip()):,}").replace("%2", f"{limit:,}"))
            self._pending.pop(name, None)
            return
        self._pending[name] = value
        self._timer.start()

    def _commit_now(self, name: str, value: Any) -> None:
        self._pending[name] = value
        self.flush()

    def flush(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, {}
        if self.document.session is None:
            return
        for name, value in pending.items():
            self.editor.run_edit(lambda n=name, v=value: self.document.edit_session_fields(**{n: v}),
                                 self.messages[name])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched is self.notes_field:
            self.flush()
        return super().eventFilter(watched, event)

    def add_group(self) -> bool:
        session = self.document.session
        name = self.group_field.text().strip()
        if session is None:
            return False
        if not name:
            self.messages["groups"].show_message(self.tr("Type the table's name first."))
            return False
        if name in session.groups:
            self.messages["groups"].show_message(self.tr("There is already a table called “%s”.") % name)
            return False
        if self.editor.run_edit(lambda: self.document.set_groups([*session.groups, name], f"add the table “{name}”"),
                                self.messages["groups"]):
            self.group_field.clear()
            return True
        return False

    def remove_selected_group(self) -> bool:
        session = self.document.session
        item = self.groups_list.currentItem()
        if session is None or item is None:
            self.messages["groups"].show_message(self.tr("Choose the table to remove first."))
            return False
        name = item.text()
        return self.editor.run_edit(
            lambda: self.document.set_groups([g for g in session.groups if g != name], f"remove the table “{name}”"),
            self.messages["groups"])

    def _ask_rename_group(self) -> None:
        item = self.groups_list.currentItem()
        if item is None:
            self.messages["groups"].show_message(self.tr("Choose the table to rename first."))
            return
        new_name, accepted = QInputDialog.getText(self, self.tr("Rename a table"), self.tr("New name:"),
                                                  text=item.text())
        if accepted:
            self.rename_group(item.text(), new_name)

    def rename_group(self, old_name: str, new_name: str) -> bool:
        if not new_name.strip() or new_name.strip() == old_name:
            return False
        return self.editor.run_edit(lambda: self.document.rename_group(old_name, new_name), self.messages["groups"])


# ------------------------------------------------------------------------------------------------
# New session


class NewSessionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start a new session"))
        today = dt.date.today()
        self.title_field = LimitedLineEdit(SESSION_TITLE_MAX, self.tr("the title"))
        self.title_field.setText(default_session_title(today))
        self.title_field.selectAll()
        self.title_field.setAccessibleName(self.tr("Title of the new session"))
        self.date_field = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_field.setCalendarPopup(True)
        self.date_field.setDisplayFormat("d MMMM yyyy")
        self.date_field.setAccessibleName(self.tr("Date of the new session"))
        self.message = FieldMessage()
        self.title_field.refused.connect(self.message.show_message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the session"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(text_label(self.tr("Title"), buddy=self.title_field), self.title_field)
        form.addRow("", self.message)
        form.addRow(text_label(self.tr("Date"), buddy=self.date_field), self.date_field)
        form.addRow(buttons)
        self.setMinimumWidth(480)

    def values(self) -> tuple[str, dt.date]:
        date = self.date_field.date()
        return self.title_field.text(), dt.date(date.year(), date.month(), date.day())

    def _accept(self) -> None:
        if not self.title_field.text().strip():
            self.message.show_message(self.tr("A session needs a title: a few words are enough."))
            return
        self.accept()


# ------------------------------------------------------------------------------------------------
# The screen


class SessionEditor(Screen):
    """What has the group decided? The open session: its priorities, votes, actions and lessons."""

    def __init__(self, parent: QWidget | None = None, document: SessionDocument | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionEditor")
        self.document = document if document is not None else SessionDocument(self)
        self.library: ContentLibrary | None = None
        self._suggestion_engine: Any = None
        self._message_override: FieldMessage | None = None
        self._deleted: list[Session] = []
        self._projector_window: ProjectorWindow | None = None
        self._preview_text = ""  # the new-priority field's text, while suggestions preview it

        self.linked_model = LessonLinkModel(self.document, self)
        self.suggestion_model = SuggestionModel(self)
        self.lesson_picker = LessonPickerModel(self)
        self.lesson_proxy = LessonFilterProxy(self)
        self.lesson_proxy.setSourceModel(self.lesson_picker)
        self.session_list = SessionListModel(self.document, self)

        self.suggest_timer = QTimer(self)
        self.suggest_timer.setSingleShot(True)
        self.suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self.suggest_timer.timeout.connect(self.update_suggestions)

        title = text_label(self.tr("What has the group decided?"), "pageTitle")
        subtitle = text_label(self.tr("Record what the group agrees as you go. Every change is saved at once; "
                                  "Ctrl+Z undoes it."), "pageSubtitle")

        self._build_session_bar()
        self._build_banner()
        self._build_priorities_page()
        self.details_form = SessionDetailsForm(self)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Session parts"))
        self.tabs.addTab(self.priorities_page, self.tr("Priorities and votes"))
        self.tabs.addTab(self.details_form, self.tr("Session details"))
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 0, 4)
        corner_layout.setSpacing(8)
        for button in (self.undo_button, self.redo_button, self.projector_button):
            button.setObjectName("cornerButton")
        corner_layout.addWidget(self.undo_button)
        corner_layout.addWidget(self.redo_button)
        corner_layout.addWidget(self.projector_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.projector_preview = ProjectorView(self.document)
        self.projector_preview.close_requested.connect(self.hide_projector_preview)

        self.placeholder = text_label(self.tr("Opening your sessions…"), "placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_session = self._build_no_session_page()
        self.body = QStackedWidget()
        self.body.addWidget(self.placeholder)
        self.body.addWidget(self.no_session)
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.projector_preview)

        layout = page_layout(self, title, subtitle, COMPACT_PAGE_MARGINS)
        layout.addLayout(self.session_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)

        from nrp_desktop.ui.session.follow_up import FollowUpControls

        self.follow_up = FollowUpControls(self)  # "Follow-up…" and "Since last time" (contract 5.1)
        self._build_shortcuts()
        self.document.session_opened.connect(self._on_session_opened)
        self.document.sessions_listed.connect(self._refresh_session_list)
        self.document.summary_changed.connect(self.session_list.patch_open_session)
        self.document.priorities_changed.connect(self._update_vote_panel)
        self.document.priority_changed.connect(self._on_priority_changed)
        self.document.refused.connect(self._show_refusal)
        self.document.failed.connect(self.show_banner)
        self._set_enabled_for_session(None)

    # Building ---------------------------------------------------------------------------------

    def _build_session_bar(self) -> None:
        self.session_combo = ElidingComboBox()
        self.session_combo.setObjectName("sessionChooser")
        self.session_combo.setAccessibleName(self.tr("Open a stored session (newest first)"))
        self.session_combo.setModel(self.session_list)
        self.session_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.session_combo.setMinimumContentsLength(16)
        self.session_combo.activated.connect(self._session_chosen)
        self.new_button = QPushButton(self.tr("New…"))
        self.new_button.setAccessibleName(self.tr("Start a new session"))
        self.new_button.clicked.connect(self.ask_new_session)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.rename_button.setAccessibleName(self.tr("Rename the open session"))
        self.rename_button.clicked.connect(self.ask_rename_session)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete the open session"))
        self.delete_button.clicked.connect(self.ask_delete_session)

        self.undo_action = self.document.undo_group.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.document.undo_group.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        # Short fixed labels (the actions' own text, "Undo rank by votes", goes in the tooltip)
        # so the buttons never push the tabs aside.
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo_action.trigger)
        self.redo_button = QPushButton(self.tr("Redo"))
        self.redo_button.clicked.connect(self.redo_action.trigger)
        self.undo_action.changed.connect(self._update_undo_buttons)
        self.redo_action.changed.connect(self._update_undo_buttons)
        self._update_undo_buttons()
        self.projector_button = QPushButton(self.tr("Show on projector"))
        self.projector_button.setAccessibleName(self.tr("Show the ranked priorities full screen, for a projector"))
        self.projector_button.setToolTip(self.tr("Full screen, very large type (F5). Esc closes it."))
        self.projector_button.clicked.connect(self.show_projector)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(text_label(self.tr("Session:"), buddy=self.session_combo))
        bar.addWidget(self.session_combo, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.rename_button)
        bar.addWidget(self.delete_button)
        self.session_bar = bar

    def _build_banner(self) -> None:
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_undo = QPushButton(self.tr("Undo delete"))
        self.banner_undo.setAccessibleName(self.tr("Bring back the deleted session"))
        self.banner_undo.clicked.connect(self.undo_delete)
        self.banner_close = QPushButton(self.tr("OK"))
        self.banner_close.setAccessibleName(self.tr("Hide this message"))
        self.banner_close.clicked.connect(self.banner.hide)
        layout = QHBoxLayout(self.banner)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.banner_text, 1)
        layout.addWidget(self.banner_undo)
        layout.addWidget(self.banner_close)
        self.banner.hide()

    def _build_no_session_page(self) -> QWidget:
        page = QWidget()
        text = text_label(self.tr("No session is open. Start a new one for today's workshop, or choose a stored "
                              "session above."), "placeholder")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        start = QPushButton(self.tr("Start a new session"))
        start.setObjectName("primary")
        start.setProperty("big", True)
        start.clicked.connect(self.ask_new_session)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addWidget(start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _build_priorities_page(self) -> None:
        self.new_priority_field = LimitedLineEdit(PRIORITY_TITLE_MAX, self.tr("a priority's title"))
        self.new_priority_field.setObjectName("newPriority")
        self.new_priority_field.setAccessibleName(self.tr("A new priority: type what the group agreed"))
        self.new_priority_field.setPlaceholderText(self.tr("New priority: type it, press Enter"))
        self.new_priority_field.returnPressed.connect(self.add_typed_priority)
        self.new_priority_field.textEdited.connect(self._preview_typed)
        self.add_button = QPushButton(self.tr("Add priority"))
        self.add_button.setObjectName("primary")
        self.add_button.setProperty("big", True)
        self.add_button.setAccessibleName(self.tr("Add the typed priority (Ctrl+N)"))
        self.add_button.setToolTip(self.tr("Add the typed priority (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_typed_priority)
        self.add_message = FieldMessage()
        self.new_priority_field.refused.connect(self.add_message.show_message)

        self.table = PriorityTableView()
        self.table.setModel(self.document.priorities)
        self.title_delegate = _TitleDelegate(self.run_edit_at(None), self.table)
        self.title_delegate.typing.connect(self._title_typing)
        self.table.setItemDelegateForColumn(PriorityTableModel.TITLE, self.title_delegate)
        self.table.setItemDelegateForColumn(PriorityTableModel.DOMAINS, RichTextDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PriorityTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PriorityTableModel.VOTES, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(PriorityTableModel.DOMAINS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PriorityTableModel.GROUP, QHeaderView.ResizeMode.Interactive)
        self.table.fit_columns()
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.vote_requested.connect(self.vote_selected)
        self.table.delete_requested.connect(self.delete_selected_priority)
        self.table.move_requested.connect(self.move_selected)
        self.table_message = FieldMessage()

        self.move_up_button = QPushButton("▲")
        self.move_up_button.setAccessibleName(self.tr("Move the selected priority up (Ctrl+Up)"))
        self.move_up_button.setToolTip(self.tr("Move up the ranking (Ctrl+Up)"))
        self.move_up_button.clicked.connect(lambda: self.move_selected(-1))
        self.move_up_button.setObjectName("arrowButton")
        self.move_down_button = QPushButton("▼")
        self.move_down_button.setAccessibleName(self.tr("Move the selected priority down (Ctrl+Down)"))
        self.move_down_button.setToolTip(self.tr("Move down the ranking (Ctrl+Down)"))
        self.move_down_button.clicked.connect(lambda: self.move_selected(1))
        self.move_down_button.setObjectName("arrowButton")
        self.delete_priority_button = QPushButton(self.tr("Delete"))
        self.delete_priority_button.setAccessibleName(self.tr("Delete the selected priority (Delete; Ctrl+Z undoes)"))
        self.delete_priority_button.setToolTip(self.tr("Delete the selected priority (Delete). Ctrl+Z brings it back."))
        self.delete_priority_button.clicked.connect(self.delete_selected_priority)

        self.vote_down_button = QPushButton("−")
        self.vote_down_button.setObjectName("voteButton")
        self.vote_down_button.setAccessibleName(self.tr("Take one vote away from the selected priority (− key)"))
        self.vote_down_button.setToolTip(self.tr("One vote fewer (− or Ctrl+−)"))
        self.vote_down_button.clicked.connect(lambda: self.vote_selected(-1))
        self.vote_up_button = QPushButton("+")
        self.vote_up_button.setObjectName("voteButton")
        self.vote_up_button.setAccessibleName(self.tr("Add one vote to the selected priority (+ key)"))
        self.vote_up_button.setToolTip(self.tr("One vote more (+ or Ctrl+=)"))
        self.vote_up_button.clicked.connect(lambda: self.vote_selected(1))
        self.vote_count = QLabel(self.tr("no priority chosen"))
        self.vote_count.setObjectName("voteCount")
        self.vote_count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.vote_count.setMinimumWidth(96)

        self.tally_button = QPushButton(self.tr("Count dots…"))
        self.tally_button.setCheckable(True)
        self.tally_button.setAccessibleName(self.tr("Tally mode: count paper dots table by table"))
        self.tally_button.setToolTip(self.tr("Count paper sticker dots table by table"))
        self.tally_button.toggled.connect(self.set_tally_mode)
        self.rank_button = QPushButton(self.tr("Rank by votes"))
        self.rank_button.setAccessibleName(self.tr("Put the priorities in order of votes, most first"))
        self.rank_button.clicked.connect(self.rank_by_votes)

        add_row = QHBoxLayout()
        add_row.addWidget(self.new_priority_field, 1)
        add_row.addWidget(self.add_button)
        vote_row = QHBoxLayout()
        vote_row.setSpacing(8)
        vote_row.addWidget(self.vote_down_button)
        vote_row.addWidget(self.vote_count)
        vote_row.addWidget(self.vote_up_button)
        vote_row.addStretch(1)
        vote_row.addWidget(self.move_up_button)
        vote_row.addWidget(self.move_down_button)
        tally_row = QHBoxLayout()
        tally_row.setSpacing(8)
        tally_row.addWidget(self.tally_button)
        tally_row.addWidget(self.rank_button)
        tally_row.addStretch(1)
        tally_row.addWidget(self.delete_priority_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 8, 8, 0)
        left_layout.setSpacing(8)
        left_layout.addLayout(add_row)
        left_layout.addWidget(self.add_message)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.table_message)
        left_layout.addLayout(vote_row)
        left_layout.addLayout(tally_row)

        self.detail = PriorityDetail(self)
        self.detail.title_typing.connect(self._title_typing)
        self.detail.open_link_requested.connect(self.open_link_requested)
        self.detail.suggestion_view.setModel(self.suggestion_model)
        self.detail.suggestion_view.button_delegate.clicked.connect(self.accept_suggestion)
        self.detail.suggestion_view.activated_row.connect(self.accept_suggestion)
        self.detail.suggestion_view.doubleClicked.connect(
            lambda index: self.open_link_requested.emit(index.data(Role.LINK)))
        self.tally = TallyPanel(self)
        self.tally.finished.connect(lambda: self.tally_button.setChecked(False))
        self.no_priority = text_label(self.tr("Choose a priority in the list to see its details, actions and lessons, "
                                          "or add one."), "placeholder")
        self.no_priority.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_priority)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.tally)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.priorities_page = self.splitter

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str, slot: Callable[[], Any]) -> None:
            QShortcut(QKeySequence(keys), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        shortcut("Ctrl+N", self.add_priority_shortcut)
        shortcut("Ctrl+=", lambda: self.vote_selected(1))
        shortcut("Ctrl++", lambda: self.vote_selected(1))
        shortcut("Ctrl+-", lambda: self.vote_selected(-1))
        shortcut("F5", self.show_projector)

    # Integration ---------------------------------------------------------------------------------

    def attach_store(self, store: SessionStore) -> None:
        """The session database is open: list the sessions and reopen the one last open."""
        self.document.attach_store(store)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush_pending)
        last = store.last_open_session_id()
        if last is not None:
            try:
                self.document.open_session(last)
                return
            except Exception as error:  # a vanished or unreadable session: say so, stay usable
                self.show_banner(self.tr("The session that was open last could not be reopened: %s") % error)
        self._on_session_opened(None)

    def set_library(self, library: ContentLibrary) -> None:
        from nrp_desktop.services.suggest import SuggestionEngine

        self.library = library
        self._suggestion_engine = SuggestionEngine(library)
        self.linked_model.set_library(library)
        self.lesson_picker.set_library(library)
        self.update_suggestions()

    @classmethod
    def create(cls, context: ScreenContext) -> SessionEditor:
        return cls(document=context.document)

    def current_session(self) -> Session | None:
        return self.document.snapshot()

    def follow_changes(self, changes: SessionChanges, session: Session | None) -> None:
        """A priority added from elsewhere (the learning tool) is the one shown."""
        if changes.added_priorities and not changes.opened:
            self.select_priority(changes.added_priorities[-1])

    def screenshot_states(self) -> list[tuple[str, Callable[[], None]]]:
        def editor_state() -> None:
            self._open_example()
            self.hide_projector_preview()
            self.tabs.setCurrentWidget(self.priorities_page)
            self.tally_button.setChecked(False)
            self._show_self()
            ids = self.document.priority_ids()
            if ids:
                self.select_priority(ids[1] if len(ids) > 1 else ids[0])
            self.update_suggestions()

        def projector_state() -> None:
            self._open_example()
            self._show_self()
            self.show_projector_preview()

        return [("session-editor", editor_state), ("projector", projector_state)]

    def _show_self(self) -> None:
        """Bring this screen to the front of the main window's stack (for screenshots)."""
        window = self.window()
        show = getattr(window, "show_screen", None)
        if callable(show):
            show(self)

    # Sessions ------------------------------------------------------------------------------------

    def _on_session_opened(self, session: Session | None) -> None:
        self._preview_text = ""
        self.new_priority_field.clear()
        self.add_message.clear_message()
        self.table_message.clear_message()
        self._refresh_session_list()
        self._set_enabled_for_session(session)
        if self.document.store is None:
            self.body.setCurrentWidget(self.placeholder)
        elif session is None:
            if self.body.currentWidget() is not self.projector_preview:
                self.body.setCurrentWidget(self.no_session)
        elif self.body.currentWidget() is not self.projector_preview:
            self.body.setCurrentWidget(self.tabs)
        if session is not None and session.priorities:
            self.select_priority(session.priorities[0].id)
        else:
            self._current_row_changed(QModelIndex(), QModelIndex())

    def _set_enabled_for_session(self, session: Session | None) -> None:
        for widget in (self.rename_button, self.delete_button, self.projector_button):
            widget.setEnabled(session is not None)
        self.new_button.setEnabled(self.document.store is not None)
        self.session_combo.setEnabled(self.document.store is not None)

    def _refresh_session_list(self) -> None:
        self.session_list.refresh()
        row = self.session_list.row_of(self.document.session_id)
        self.session_combo.blockSignals(True)
        self.session_combo.setCurrentIndex(row)
        self.session_combo.blockSignals(False)
        if row < 0:
            self.session_combo.setPlaceholderText(
                self.tr("No session open") if self.session_list.rowCount() else self.tr("No sessions yet"))

    def _session_chosen(self, row: int) -> None:
        if 0 <= row < self.session_list.rowCount():
            self.open_session(self.session_list.summary(row).id)

    def open_session(self, session_id: str) -> bool:
        self.flush_pending()
        if session_id == self.document.session_id:
            return True
        try:
            self.document.open_session(session_id)
        except Exception as error:
            self.show_banner(self.tr("That session could not be opened: %s") % error)
            self._refresh_session_list()
            return False
        return True

    def ask_new_session(self) -> None:
        dialog = NewSessionDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            title, date = dialog.values()
            self.new_session(title, date)

    def new_session(self, title: str, date: dt.date) -> Session | None:
        self.flush_pending()
        try:
            session = self.document.create_session(title, date)
        except Exception as error:
            self.show_banner(self.tr("The new session could not be started: %s") % error)
            return None
        self.tabs.setCurrentWidget(self.priorities_page)
        self.new_priority_field.setFocus()
        return session

    def ask_rename_session(self) -> None:
        session = self.document.session
        if session is None:
            return
        title, accepted = QInputDialog.getText(self, self.tr("Rename the session"), self.tr("New title:"),
                                               text=session.title)
        if accepted:
            self.rename_session(title)

    def rename_session(self, title: str) -> bool:
        if not title.strip():
            self.show_banner(self.tr("A session needs a title; the name was not changed."))
            return False
        return self.run_edit(lambda: self.document.edit_session_fields(title=title),
                             self.details_form.messages["title"])

    def confirm(self, question: str, detail: str) -> bool:
        """Ask before something that cannot simply be undone (replaced in tests)."""
        return ask(self, self.tr("Delete the session?"), question, detail, yes_text=self.tr("Delete"),
                   default_yes=False)

    def ask_delete_session(self) -> bool:
        session = self.document.session
        if session is None:
            return False
        count = len(session.priorities)
        question = self.tr("Delete the session “%1” and its %2?").replace("%1", session.title).replace(
            "%2", "1 priority" if count == 1 else f"{count} priorities")
        detail = self.tr("You can bring it back with “Undo delete” until you close NRP Desktop. After that it is "
                         "gone, apart from copies in the daily backups, which are removed within seven days.")
        if not self.confirm(question, detail):
            return False
        return self.delete_session(session.id)

    def delete_session(self, session_id: str) -> bool:
        self.flush_pending()
        try:
            kept = self.document.delete_session(session_id)
        except Exception as error:
            self.show_banner(self.tr("The session could not be deleted: %s") % error)
            return False
        self._deleted.append(kept)
        self.show_banner(self.tr("Deleted “%s”. You can bring it back until you close NRP Desktop.") % kept.title,
                         undo_delete=True)
        return True

    def undo_delete(self) -> bool:
        if not self._deleted:
            return False
        session = self._deleted.pop()
        try:
            self.document.restore_session(session)
        except Exception as error:
            self._deleted.append(session)
            self.show_banner(self.tr("The session could not be brought back: %s") % error, undo_delete=True)
            return False
        self.show_banner(self.tr("“%s” is back.") % session.title)
        return True

    def show_banner(self, text: str, undo_delete: bool = False) -> None:
        self.banner_text.setText(text)
        self.banner_undo.setVisible(undo_delete and bool(self._deleted))
        self.banner.show()

    def _update_undo_buttons(self) -> None:
        for button, action, keys in ((self.undo_button, self.undo_action, "Ctrl+Z"),
                                     (self.redo_button, self.redo_action, "Ctrl+Shift+Z")):
            button.setEnabled(action.isEnabled())
            button.setToolTip(plain_tooltip(f"{action.text()} ({keys})"))
            button.setAccessibleName(f"{action.text()} ({keys})")

    # Edits and their messages ---------------------------------------------------------------------

    @contextmanager
    def _messages_at(self, message: FieldMessage | None) -> Iterator[None]:
        previous = self._message_override
        self._message_override = message
        try:
            yield
        finally:
            self._message_override = previous

    def run_edit(self, edit: Callable[[], bool], message: FieldMessage | None = None) -> bool:
        """Run one edit, with any refusal shown at `message` (or where its field is shown); clear
        the message when the edit goes through."""
        with self._messages_at(message):
            done = edit()
        if done and message is not None:
            message.clear_message()
        return done

    def run_edit_at(self, message: FieldMessage | None) -> Callable[[Callable[[], bool]], bool]:
        return lambda edit: self.run_edit(edit, message)

    def _show_refusal(self, field: str, text: str) -> None:
        target = self._message_override or self._message_for_field(field)
        if target is None:
            self.show_banner(text)
        else:
            target.show_message(text)

    def _message_for_field(self, field: str) -> FieldMessage | None:
        detail = self.detail
        if field.startswith("priority.actions"):
            return detail._actions_message
        if field.startswith("priority.lessons"):
            return detail.lessons_message
        by_field = {
            "priority.title": detail.title_message,
            "priority.description": detail.description_message,
            "priority.notes": detail.notes_message,
            "priority.domains": detail.domains_message,
            "priority.group": detail.group_message,
            "priority.votes": self.table_message,
            "priority.index": self.table_message,
            "session.priorities": self.add_message,
        }
        if field in by_field:
            return by_field[field]
        if field.startswith("session."):
            name = field.split(".", 1)[1].split("[", 1)[0].split(".", 1)[0]
            return self.details_form.messages.get(name)
        return None

    def hideEvent(self, event: Any) -> None:
        self.flush_pending()  # leaving the screen writes what was being typed
        super().hideEvent(event)

    def flush_pending(self) -> None:
        """Write whatever has been typed and not yet written (before switching or closing)."""
        self.detail.flush()
        self.details_form.flush()

    # Priorities ------------------------------------------------------------------------------------

    def selected_priority_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(Role.PRIORITY_ID) if index.isValid() else None

    def select_priority(self, priority_id: str) -> None:
        row = self.document.priorities.row_of(priority_id)
        if row >= 0:
            index = self.document.priorities.index(row, PriorityTableModel.TITLE)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        priority_id = current.data(Role.PRIORITY_ID) if current.isValid() else None
        if priority_id != self.detail.priority_id:
            self.detail.show_priority(priority_id)
        if not self.tally_button.isChecked():
            self.right.setCurrentWidget(self.detail if priority_id else self.no_priority)
        self._update_vote_panel()
        self.schedule_suggestions()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.selected_priority_id():
            self.schedule_suggestions()

    def add_priority_shortcut(self) -> None:
        if self.new_priority_field.text().strip():
            self.add_typed_priority()
        else:
            self.tabs.setCurrentWidget(self.priorities_page)
            self.new_priority_field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_typed_priority(self, lessons: list[str] | None = None) -> bool:
        title = self.new_priority_field.text()
        if not title.strip():
            self.add_message.show_message(self.tr("Type the priority first: a few words the group agreed."))
            self.new_priority_field.setFocus()
            return False
        priority = Priority(title=title, lessons=list(lessons or []))
        if not self.run_edit(lambda: self.document.add_priority(priority), self.add_message):
            return False
        self.new_priority_field.clear()
        self._preview_text = ""
        self.select_priority(self.document.priority_ids()[-1])
        self.new_priority_field.setFocus()
        return True

    def delete_selected_priority(self) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        self.detail.flush()
        return self.run_edit(lambda: self.document.remove_priority(priority_id), self.table_message)

    def move_selected(self, step: int) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        new_index = self.document.index_of(priority_id) + step
        if not 0 <= new_index < self.document.priority_count():
            return False
        return self.run_edit(lambda: self.document.move_priority(priority_id, new_index), self.table_message)

    def vote_selected(self, delta: int) -> bool:
        priority_id = self.selected_priority_id()
        if priority_id is None:
            self.table_message.show_message(self.tr("Choose a priority in the list first, then vote."))
            return False
        return self.run_edit(lambda: self.document.change_votes(priority_id, delta), self.table_message)

    def rank_by_votes(self) -> bool:
        selected = self.selected_priority_id()
        done = self.run_edit(self.document.rank_by_votes, self.table_message)
        if selected:
            self.select_priority(selected)
        return done

    def _update_vote_panel(self) -> None:
        priority_id = self.selected_priority_id()
        priority = self.document.priority(priority_id) if priority_id else None
        self.vote_count.setText(votes_text(priority.votes) if priority else self.tr("—"))
        self.vote_count.setAccessibleName(
            self.tr("Votes for the chosen priority: %s") % (priority.votes if priority else self.tr("none chosen")))
        for widget in (self.vote_up_button, self.vote_down_button, self.move_up_button, self.move_down_button,
                       self.delete_priority_button):
            widget.setEnabled(priority is not None)
        if priority is not None:
            row = self.document.index_of(priority.id)
            self.move_up_button.setEnabled(row > 0)
            self.move_down_button.setEnabled(row < self.document.priority_count() - 1)
            self.vote_down_button.setEnabled(priority.votes > 0)
        count = self.document.priority_count()
        self.rank_button.setEnabled(count > 1)
        self.tally_button.setEnabled(count > 0 or self.tally_button.isChecked())

    # Tally mode -------------------------------------------------------------------------------------

    def set_tally_mode(self, on: bool) -> None:
        if self.tally_button.isChecked() != on:
            self.tally_button.setChecked(on)  # comes back here through toggled
            return
        if on:
            self.detail.flush()
            self.right.setCurrentWidget(self.tally)
        else:
            self.right.setCurrentWidget(self.detail if self.selected_priority_id() else self.no_priority)

    # Suggestions ------------------------------------------------------------------------------------

    def schedule_suggestions(self) -> None:
        self.suggest_timer.start()

    def _title_typing(self, _text: str) -> None:
        self._preview_text = ""
        self.schedule_suggestions()

    def _preview_typed(self, text: str) -> None:
        self._preview_text = text
        self.add_message.clear_message()
        self.schedule_suggestions()

    def update_suggestions(self) -> None:
        """The lessons that fit the text being typed (the new priority's, or the chosen one's
        title) and the chosen priority's domains, best first; linked lessons are left out."""
        self.suggest_timer.stop()
        detail = self.detail
        priority_id = self.selected_priority_id()
        priority = self.document.priority(priority_id) if priority_id else None
        preview = bool(self._preview_text.strip())
        if preview:
            text, domains, linked = self._preview_text, [], []
        elif priority is not None:
            editor = self.table.focusWidget() if self.table.state() == QAbstractItemView.State.EditingState else None
            text = editor.text() if isinstance(editor, QLineEdit) else detail.title_field.text()
            domains, linked = list(priority.domains), list(priority.lessons)
        else:
            text, domains, linked = "", [], []
        suggestions = []
        if self._suggestion_engine is not None and text.strip():
            found = self._suggestion_engine.suggest(text, domains, SUGGESTION_LIMIT + len(linked),
                                                    partial_last_word=True)
            suggestions = [s for s in found if s.lesson.slug not in linked][:SUGGESTION_LIMIT]
        self.suggestion_model.button_text = "Add and link" if preview else "Link"
        self.suggestion_model.set_suggestions(suggestions)
        self.suggestion_model.dataChanged.emit(self.suggestion_model.index(0), self.suggestion_model.index(
            max(0, self.suggestion_model.rowCount() - 1)))
        if preview:
            detail.suggestion_heading.setText(self.tr("Lessons that fit “%s”, best first") % self._preview_text.strip())
            if self.right.currentWidget() is self.no_priority:
                self.right.setCurrentWidget(self.detail)
            if suggestions:
                detail.show_suggestions()
        else:
            detail.suggestion_heading.setText(self.tr("Lessons that fit, best first"))
        if self.library is None:
            empty = self.tr("Lessons are suggested once the library has loaded.")
        elif not text.strip():
            empty = self.tr("Type a title and the lessons that fit it appear here.")
        else:
            empty = self.tr("No lesson fits these words well. Try other words, or find one in “Find a lesson”.")
        detail.suggestion_empty.setText(empty)
        detail.suggestion_empty.setVisible(not suggestions)
        detail.suggestion_view.setVisible(bool(suggestions))
        detail.suggestion_view.fit_height()

    def accept_suggestion(self, row: int) -> bool:
        """Link the suggested lesson in `row` (when previewing a new priority: add it, linked)."""
        if not 0 <= row < self.suggestion_model.rowCount():
            return False
        suggestion = self.suggestion_model.suggestion(row)
        if self._preview_text.strip():
            return self.add_typed_priority(lessons=[suggestion.lesson.slug])
        priority_id = self.selected_priority_id()
        if priority_id is None:
            return False
        done = self.run_edit(
            lambda: self.document.link_lesson(priority_id, suggestion.lesson.slug, suggestion.lesson.title),
            self.detail.lessons_message)
        self.update_suggestions()
        return done

    # Projector --------------------------------------------------------------------------------------

    def show_projector(self) -> None:
        if self.document.session is None:
            return
        self.flush_pending()
        if self._projector_window is None:
            self._projector_window = ProjectorWindow(self.document, near=self.window())
            self._projector_window.destroyed.connect(self._projector_closed)
        self._projector_window.show_full_screen()

    def _projector_closed(self) -> None:
        self._projector_window = None

    def show_projector_preview(self) -> None:
        self.body.setCurrentWidget(self.projector_preview)
        self.projector_preview.setFocus()

    def hide_projector_preview(self) -> None:
        if self.body.currentWidget() is self.projector_preview:
            self.body.setCurrentWidget(self.tabs if self.document.session else self.no_session)

    # The example session (screenshots) --------------------------------------------------------------

    def _open_example(self) -> None:
        store = self.document.store
        if store is None:
            return
        session = example_session({lesson.slug for lesson in self.library.lessons} if self.library else None)
        store.save_session(session)
        self.session_replaced(session.id, open_it=True, remember=False)

    def session_replaced(self, session_id: str, open_it: bool = False, remember: bool = True) -> None:
        """A stored session was written from outside the editor: what is typed is written
        first, then the document shows the new copy (see SessionDocument.session_replaced)."""
        self.flush_pending()
        self.document.session_replaced(session_id, open_it=open_it, remember=remember)


